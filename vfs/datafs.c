/* Where regular file contents live.
 *
 * With the privilege to make a tmpfs (fsopen: root, or CAP_SYS_ADMIN over
 * the mount namespace), contents are files of two private tmpfs instances
 * mounted nowhere, made once per process by vfs_datafs_init:
 *
 *  - the image store holds contents copied from the host.  Its files are
 *    filled through a writable mount and kept open only through a
 *    read-only clone of it, so no open of them (not even a re-open through
 *    /proc/self/fd) can ever write them: what seals give a memfd.  A
 *    kernel that cannot clone it keeps image contents in sealed memfds.
 *  - the workload store holds contents the workload may write (O_TMPFILE
 *    files), with the byte limit as the tmpfs size, so that write(),
 *    fallocate() and stores through a shared mapping past it fail as on a
 *    full tmpfs (ENOSPC, SIGBUS), in the kernel, without the sentry.
 *
 * Each is made at its first use, not by vfs_datafs_init, which only asks
 * whether a tmpfs may be made: most runs never write a file, and with a
 * host view no image content is copied either, so neither instance (two
 * mounts made at start and torn down at exit) would be used at all.
 *
 * Both use huge=within_size: a file of 2 MiB or more gets huge pages for
 * the part its size covers, which makes copying it in and mapping it
 * faster, while small files take no more than their pages.  Neither is
 * mounted noexec: libraries are mapped PROT_EXEC from them.
 *
 * Without that privilege, or before vfs_datafs_init, contents are memfds
 * (image contents sealed), and only the VFS's own accounting bounds what
 * the workload writes. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <stdio.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_fspick
#define SYS_fspick 433
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

#define IMAGE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static struct {
	int image_rw;      /* the image store, to make and fill files */
	int image_ro;      /* a read-only clone of it, to keep them open */
	int workload;      /* the workload store */
	unsigned long next_name;
	bool workload_due; /* permitted, and made at its first use */
	bool image_due;
	char workload_size[32]; /* its size option; empty for no bound */
} store = {-1, -1, -1, 0, false, false, ""};

static int fsconfig_string(int fs, const char *key, const char *value)
{
	return (int)syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0);
}

/* A new tmpfs, mounted nowhere: a mount fd, or -errno.  `size` NULL
 * means no bound (the default would be half the memory). */
static int new_tmpfs(const char *size)
{
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	int mnt = -1;
	/* huge pages and "no bound" are wishes: a kernel without THP, or one
	 * that wants a bound on a tmpfs of a user namespace, still gets one */
	fsconfig_string(fs, "huge", "within_size");
	if (!size) {
		fsconfig_string(fs, "size", "0");
		fsconfig_string(fs, "nr_inodes", "0");
	}
	if (fsconfig_string(fs, "mode", "0700") == 0 && (!size || fsconfig_string(fs, "size", size) == 0) &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	int err = -errno;
	close(fs);
	return mnt >= 0 ? mnt : err;
}

/* A read-only clone of a detached mount, or -errno (older kernels refuse
 * to clone a mount of no namespace: EINVAL). */
static int read_only_clone(int mnt)
{
	int ro = (int)syscall(SYS_open_tree, mnt, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (ro < 0)
		return -errno;
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
	if (syscall(SYS_mount_setattr, ro, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
		int err = -errno;
		close(ro);
		return err;
	}
	return ro;
}

static void close_store(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int vfs_datafs_init(uint64_t workload_bytes)
{
	close_store(&store.image_rw);
	close_store(&store.image_ro);
	close_store(&store.workload);
	store.workload_due = store.image_due = false;
	/* what making one asks: the privilege to fsopen a tmpfs */
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return 0;  /* fsopen not permitted: memfds */
	close(fs);
	snprintf(store.workload_size, sizeof(store.workload_size), "%llu", (unsigned long long)workload_bytes);
	if (!workload_bytes)
		store.workload_size[0] = 0;
	store.workload_due = store.image_due = true;
	return 1;
}

/* The workload store once made, -1 when there is none to make, or
 * -errno when making it failed (its bound would be missing: no memfd
 * stands in for it). */
static int workload_store(void)
{
	if (store.workload_due) {
		store.workload_due = false;
		int mnt = new_tmpfs(store.workload_size[0] ? store.workload_size : NULL);
		if (mnt < 0)
			return mnt;
		store.workload = mnt;
	}
	return store.workload;
}

/* Image contents in the image store once made; where it cannot be made
 * (or cloned read-only) they stay sealed memfds. */
static void image_store(void)
{
	if (!store.image_due)
		return;
	store.image_due = false;
	int rw = new_tmpfs(NULL);
	int ro = rw >= 0 ? read_only_clone(rw) : rw;
	if (ro >= 0) {
		store.image_rw = rw;
		store.image_ro = ro;
	} else if (rw >= 0) {
		close(rw);
	}
}

int vfs_datafs_resize(uint64_t workload_bytes)
{
	char size[32];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)workload_bytes);
	if (store.workload_due) {
		/* not made yet: it will be made with the new size */
		snprintf(store.workload_size, sizeof(store.workload_size), "%s", size);
		return 0;
	}
	if (store.workload < 0)
		return 0;
	int fs = (int)syscall(SYS_fspick, store.workload, "", FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);
	if (fs < 0)
		return -errno;
	int r = 0;
	if (fsconfig_string(fs, "size", size) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0) < 0)
		/* tmpfs: "Too small a size for current use" */
		r = errno == EINVAL ? -ENOSPC : -errno;
	close(fs);
	return r;
}

static int new_memfd(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd < 0 ? -errno : fd;
}

int vfs_data_new(void)
{
	int dir = workload_store();
	if (dir < -1)
		return dir;
	if (dir < 0)
		return new_memfd("sentry");
	int fd = openat(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

int vfs_data_store_new(const char *size, const char *nr_inodes)
{
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	/* no huge pages: a sized tmpfs fills up page by page, as Linux's
	 * default tmpfs does */
	int mnt = -1;
	if (fsconfig_string(fs, "mode", "0700") == 0 && (!size || fsconfig_string(fs, "size", size) == 0) &&
	    (!nr_inodes || fsconfig_string(fs, "nr_inodes", nr_inodes) == 0) &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	int err = -errno;
	close(fs);
	return mnt >= 0 ? mnt : err;
}

int vfs_sb_data_new(const struct vfs_sb *sb)
{
	if (sb->data_store < 0)
		return vfs_data_new();
	int fd = openat(sb->data_store, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

int vfs_sb_data_open(const struct vfs_sb *sb, int flags)
{
	int dir = sb->data_store >= 0 ? sb->data_store : workload_store();
	if (dir < -1)
		return dir;
	if (dir < 0)
		return -EAGAIN;  /* a memfd opens O_RDWR only */
	/* named for the moment of the open: F_GETFL of an O_TMPFILE open
	 * shows O_TMPFILE, and this one is the workload's */
	char name[24];
	snprintf(name, sizeof(name), "new%lx", store.next_name++);
	int fd = openat(dir, name, O_CREAT | O_EXCL | flags | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	unlinkat(dir, name, 0);
	return fd;
}

int vfs_data_image_new(int *wfd)
{
	image_store();
	if (store.image_rw < 0) {
		int fd = new_memfd("sentry-image");
		*wfd = fd;
		return fd;
	}
	char name[24];
	snprintf(name, sizeof(name), "%lx", store.next_name++);
	int w = openat(store.image_rw, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0400);
	if (w < 0)
		return -errno;
	int r = openat(store.image_ro, name, O_RDONLY | O_CLOEXEC);
	int err = -errno;
	unlinkat(store.image_rw, name, 0);
	if (r < 0) {
		close(w);
		return err;
	}
	*wfd = w;
	return r;
}

int vfs_data_image_done(int fd, int wfd)
{
	if (wfd != fd) {
		close(wfd);
		return 0;
	}
	return fcntl(fd, F_ADD_SEALS, IMAGE_SEALS) < 0 ? -errno : 0;
}

int64_t vfs_data_used(void)
{
	struct statfs st;
	if (store.workload_due && store.workload_size[0])
		return 0;  /* not made yet: nothing written to it */
	/* an unbounded tmpfs counts no blocks */
	if (store.workload < 0 || fstatfs(store.workload, &st) < 0 || !st.f_blocks)
		return -1;
	return (int64_t)(st.f_blocks - st.f_bfree) * st.f_bsize;
}
