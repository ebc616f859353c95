/* devfs: a memfs holding the devices a program expects.  The stateless
 * ones open the host character device (no host data behind them); tty is
 * the terminal the caller handed over, if any, or the process's own
 * controlling terminal when that is one of the sandbox's ptys; ptmx and
 * pts/N are the ptys of the sandbox's private devpts instance. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <ctype.h>
#include <dirent.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct devfs {
	int tty_fd;
	int devpts_fd;   /* the private devpts mount, -1 for no ptys */
	dev_t devpts_dev;
};

static void devfs_destroy(struct vfs_sb *sb);

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

/* Opens the pty numbered `index` of the private instance for the
 * workload: the open flags it may choose, never as a controlling
 * terminal (the kernel would give it to the sentry). */
static int open_pty(struct devfs *dev, const char *name, int flags)
{
	int fd = openat(dev->devpts_fd, name, (flags & (O_ACCMODE | O_NONBLOCK)) | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/* The controlling terminal of process pid when it is a pty of the
 * instance: its tty_nr names a pty slave by number, and host ptys have
 * the same numbers; a process in a session the sandbox made (not the
 * sentry's) can control no host terminal, only a pty of the instance.
 * An fd, or -ENOENT. */
static int controlling_pty(struct devfs *dev, pid_t pid, int flags)
{
	if (dev->devpts_fd < 0 || pid <= 0)
		return -ENOENT;
	pid_t sid = getsid(pid);
	if (sid <= 0 || sid == getsid(0))
		return -ENOENT;
	char path[64], line[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *stat = fopen(path, "re");
	if (!stat)
		return -ENOENT;
	char *got = fgets(line, sizeof(line), stat);
	fclose(stat);
	char *after_name = got ? strrchr(line, ')') : NULL;
	unsigned long tty_nr = 0;
	if (!after_name || sscanf(after_name, ") %*c %*d %*d %*d %lu", &tty_nr) != 1)
		return -ENOENT;
	unsigned major = (tty_nr >> 8) & 0xfff, minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
	if (major < 136 || major > 143) /* UNIX98 pty slaves */
		return -ENOENT;
	char name[16];
	snprintf(name, sizeof(name), "%u", (major - 136) * 256 + minor);
	int fd = open_pty(dev, name, flags);
	return fd < 0 ? -ENOENT : fd;
}

static int open_tty(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	struct devfs *dev = f->inode->sb->priv;
	int pty = controlling_pty(dev, ctx->pid, f->flags);
	if (pty >= 0) {
		f->fd = pty;
		return 0;
	}
	if (dev->tty_fd < 0)
		return -ENXIO;  /* no controlling terminal */
	int fd = fcntl(dev->tty_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	f->fd = fd;
	return 0;
}

static int open_ptmx(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	struct devfs *dev = f->inode->sb->priv;
	int fd = open_pty(dev, "ptmx", f->flags);
	if (fd < 0)
		return fd;
	f->fd = fd;
	return 0;
}

static int open_pts(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	struct devfs *dev = f->inode->sb->priv;
	int fd = open_pty(dev, f->path.dentry->name, f->flags);
	if (fd < 0)
		return fd == -ENOENT ? -EIO : fd; /* the pty is gone: EIO, as the kernel's */
	f->fd = fd;
	return 0;
}

int vfs_devfs_take_pty_fd(struct vfs_file *f)
{
	if (f->inode->sb->ops->destroy != devfs_destroy || f->fd < 0)
		return -1;
	struct devfs *dev = f->inode->sb->priv;
	struct stat st;
	if (dev->devpts_fd < 0 || fstat(f->fd, &st) < 0 || st.st_dev != dev->devpts_dev)
		return -1;
	int fd = f->fd;
	f->fd = -1;
	return fd;
}

/* A slave's number: decimal, no sign, no leading zero. */
static bool pty_name(const char *name, size_t len)
{
	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	return true;
}

static const struct vfs_inode_ops pts_ops = {.open = open_pts};

/* /dev/pts/N while the instance holds that pty. A name once seen keeps
 * its inode (hidden while the pty is gone), so that an fd of the pty and
 * the name agree on the inode (ttyname) when the number comes back. */
static int pts_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
		      struct vfs_dentry **out)
{
	struct devfs *dev = dir->inode->sb->priv;
	if (!pty_name(name, len) || dev->devpts_fd < 0)
		return -ENOENT;
	char cname[16];
	memcpy(cname, name, len);
	cname[len] = 0;
	struct stat st;
	if (fstatat(dev->devpts_fd, cname, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISCHR(st.st_mode))
		return -ENOENT;
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (!d) {
		struct vfs_inode *inode;
		int err = vfs_d_make(dir, cname, S_IFCHR | 0620, &pts_ops, &inode);
		if (err)
			return err;
		/* owned by the process that looks first: nearly always the
		 * one that opened the master (ptsname, grantpt) */
		inode->uid = ctx->cred.uid;
		inode->gid = ctx->cred.gid;
		d = vfs_d_lookup(dir, name, len);
	}
	d->inode->rdev = st.st_rdev;
	*out = d;
	return 0;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

static int pts_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	struct devfs *dev = dir->inode->sb->priv;
	if (!vfs_dir_emit_dots(dir, it) || dev->devpts_fd < 0)
		return 0;
	int fd = openat(dev->devpts_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	unsigned numbers[1024];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < sizeof(numbers) / sizeof(numbers[0]))
		if (pty_name(de->d_name, strlen(de->d_name)))
			numbers[n++] = (unsigned)strtoul(de->d_name, NULL, 10);
	closedir(d);
	qsort(numbers, n, sizeof(numbers[0]), cmp_unsigned);
	for (size_t i = 0; i < n; i++) {
		uint64_t pos = 3 + (uint64_t)numbers[i];
		if (pos < it->pos)
			continue;
		char name[16];
		int len = snprintf(name, sizeof(name), "%u", numbers[i]);
		struct vfs_dentry *child;
		if (pts_lookup(ctx, dir, name, len, &child))
			continue; /* closed meanwhile */
		if (!vfs_dir_emit(it, name, len, child->inode->ino, DT_CHR, pos + 1))
			return 0;
	}
	return 0;
}

static const struct vfs_inode_ops host_device_ops = {.open = open_host_device};
static const struct vfs_inode_ops tty_ops = {.open = open_tty};
static const struct vfs_inode_ops ptmx_ops = {.open = open_ptmx};
static const struct vfs_inode_ops pts_dir_ops = {.lookup = pts_lookup, .iterate = pts_iterate};

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
	dev->devpts_fd = -1;
	struct stat pts_st;
	if (opts && opts->devpts_fd > 0 && fstat(opts->devpts_fd, &pts_st) == 0) {
		dev->devpts_fd = opts->devpts_fd;
		dev->devpts_dev = pts_st.st_dev;
	}
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
	if (!err && dev->devpts_fd >= 0 && !(err = vfs_d_make(root, "ptmx", S_IFCHR | 0666, &ptmx_ops, &inode)))
		inode->rdev = makedev(5, 2);
	if (!err && dev->devpts_fd >= 0)
		err = vfs_d_make(root, "pts", S_IFDIR | 0755, &pts_dir_ops, &inode);
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
