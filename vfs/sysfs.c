/* sysfs: a small read-only tree of what programs read from /sys, never the
 * host's: the CPUs the sandbox shows (online, possible and present are all
 * the online ones, as /proc/stat and /proc/cpuinfo list them), the host's
 * transparent huge page modes (they apply to the workload's memory, which
 * is the host kernel's), and an empty /sys/fs/cgroup: no cgroup file
 * system inside. Each file's text is fixed when the tree is made. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/magic.h>

static const struct vfs_sb_ops sysfs_sb_ops = {
	.name = "sysfs",
	.magic = SYSFS_MAGIC,
};

static int add_dir(struct vfs_dentry *parent, const char *name, struct vfs_dentry **out)
{
	struct vfs_inode *inode;
	int err = vfs_d_make(parent, name, S_IFDIR | 0755, NULL, &inode);
	if (err)
		return err;
	inode->dir->populated = true;
	*out = vfs_d_lookup(parent, name, strlen(name));
	return 0;
}

/* Its text, put in a sealed memfd (no open of it can change it) when a
 * read first needs it: most runs never read /sys. */
static int sysfs_file_memfd(struct vfs_inode *inode)
{
	if (inode->memfd >= 0)
		return inode->memfd;
	const char *text = inode->priv;
	int fd = vfs_memfd_new("sysfs");
	if (fd < 0)
		return fd;
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		int err = errno ? -errno : -EIO;
		close(fd);
		return err;
	}
	inode->memfd = fd;
	return fd;
}

static void sysfs_file_release(struct vfs_inode *inode)
{
	free(inode->priv);
	inode->priv = NULL;
}

static const struct vfs_inode_ops sysfs_file_ops = {
	.lower_memfd = sysfs_file_memfd,
	.release = sysfs_file_release,
};

static int add_file(struct vfs_dentry *parent, const char *name, const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	struct vfs_inode *inode;
	int err = vfs_d_make(parent, name, S_IFREG | 0444, &sysfs_file_ops, &inode);
	if (err) {
		free(copy);
		return err;
	}
	inode->priv = copy;
	inode->size = (int64_t)strlen(text);
	return 0;
}

/* The host's file of one line, or the text given. */
static void host_line(const char *path, char *buf, size_t size, const char *fallback)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0 && buf[n - 1] == '\n') {
		buf[n] = '\0';
		return;
	}
	snprintf(buf, size, "%s", fallback);
}

int vfs_sysfs_new(struct vfs *vfs, int ncpus, struct vfs_sb **out)
{
	if (ncpus <= 0)
		ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus <= 0)
		ncpus = 1;
	int err = vfs_sb_new(vfs, &sysfs_sb_ops, SB_RDONLY, S_IFDIR | 0555, NULL, out);
	if (err)
		return err;
	struct vfs_dentry *root = (*out)->root, *devices, *system, *cpu, *fs, *cgroup, *kernel, *mm, *thp;
	root->inode->dir->populated = true;
	char cpus[32], thp_enabled[128], thp_defrag[128];
	snprintf(cpus, sizeof(cpus), ncpus > 1 ? "0-%d\n" : "0\n", ncpus - 1);
	host_line("/sys/kernel/mm/transparent_hugepage/enabled", thp_enabled, sizeof(thp_enabled),
		  "always madvise [never]\n");
	host_line("/sys/kernel/mm/transparent_hugepage/defrag", thp_defrag, sizeof(thp_defrag),
		  "always defer defer+madvise madvise [never]\n");
	if ((err = add_dir(root, "devices", &devices)) || (err = add_dir(devices, "system", &system)) ||
	    (err = add_dir(system, "cpu", &cpu)) || (err = add_file(cpu, "online", cpus)) ||
	    (err = add_file(cpu, "possible", cpus)) || (err = add_file(cpu, "present", cpus)) ||
	    (err = add_dir(root, "fs", &fs)) || (err = add_dir(fs, "cgroup", &cgroup)) ||
	    (err = add_dir(root, "kernel", &kernel)) || (err = add_dir(kernel, "mm", &mm)) ||
	    (err = add_dir(mm, "transparent_hugepage", &thp)) || (err = add_file(thp, "enabled", thp_enabled)) ||
	    (err = add_file(thp, "defrag", thp_defrag))) {
		vfs_sb_put(*out);
		return err;
	}
	return 0;
}
