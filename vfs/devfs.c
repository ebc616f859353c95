/* devfs: a memfs holding the devices a program expects.  The stateless
 * ones open the host character device (no host data behind them); tty is
 * the terminal the caller handed over, if any. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct devfs {
	int tty_fd;
};

static const struct {
	const char *name;
	unsigned major, minor;
} host_devices[] = {
	{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9},
};

static int open_host_device(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	struct vfs_inode *inode = f->inode;
	char path[64];
	snprintf(path, sizeof(path), "/dev/%s", f->path.dentry->name);
	int fd = open(path, (f->flags & O_ACCMODE) | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != inode->rdev) {
		close(fd);
		return -ENXIO;  /* not the stateless device we expect */
	}
	f->fd = fd;
	return 0;
}

static int open_tty(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	struct devfs *dev = f->inode->sb->priv;
	if (dev->tty_fd < 0)
		return -ENXIO;  /* no controlling terminal */
	int fd = fcntl(dev->tty_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	f->fd = fd;
	return 0;
}

static const struct vfs_inode_ops host_device_ops = {.open = open_host_device};
static const struct vfs_inode_ops tty_ops = {.open = open_tty};

static void devfs_destroy(struct vfs_sb *sb)
{
	free(sb->priv);
}

static const struct vfs_sb_ops devfs_sb_ops = {
	.name = "devtmpfs",
	.magic = TMPFS_MAGIC,
	.destroy = devfs_destroy,
};

static int add_link(struct vfs_dentry *root, const char *name, const char *target)
{
	struct vfs_inode *inode;
	char *copy = strdup(target);
	if (!copy)
		return -ENOMEM;
	int err = vfs_d_make(root, name, S_IFLNK | 0777, NULL, &inode);
	if (err) {
		free(copy);
		return err;
	}
	inode->link = copy;
	inode->size = strlen(copy);
	return 0;
}

int vfs_devfs_new(struct vfs *vfs, const struct vfs_devfs_opts *opts, struct vfs_sb **out)
{
	struct devfs *dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->tty_fd = opts ? opts->tty_fd : -1;
	struct vfs_sb *sb;
	int err = vfs_sb_new(vfs, &devfs_sb_ops, 0, S_IFDIR | 0755, NULL, &sb);
	if (err) {
		free(dev);
		return err;
	}
	sb->priv = dev;
	struct vfs_dentry *root = sb->root;
	root->inode->dir->populated = true;
	struct vfs_inode *inode;
	for (size_t i = 0; !err && i < sizeof(host_devices) / sizeof(host_devices[0]); i++) {
		err = vfs_d_make(root, host_devices[i].name, S_IFCHR | 0666, &host_device_ops, &inode);
		if (!err)
			inode->rdev = makedev(host_devices[i].major, host_devices[i].minor);
	}
	if (!err && !(err = vfs_d_make(root, "tty", S_IFCHR | 0666, &tty_ops, &inode)))
		inode->rdev = makedev(5, 0);
	if (!err)
		err = add_link(root, "fd", "/proc/self/fd");
	if (!err)
		err = add_link(root, "stdin", "/proc/self/fd/0");
	if (!err)
		err = add_link(root, "stdout", "/proc/self/fd/1");
	if (!err)
		err = add_link(root, "stderr", "/proc/self/fd/2");
	if (!err && !(err = vfs_d_make(root, "shm", S_IFDIR | 01777, NULL, &inode)))
		inode->dir->populated = true;
	sb->flags |= SB_CHARGED;  /* what the workload adds counts */
	*out = sb;
	return err;
}
