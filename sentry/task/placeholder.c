#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

#include "placeholder.h"

static int parent_fd = -1;
static unsigned long counter;
static char fallback_dir[] = "/dev/shm/sentry-XXXXXX";

static void remove_fallback_dir(void) { rmdir(fallback_dir); }

/* A tmpfs mounted nowhere (fsopen/fsmount, Linux 5.2+); without the
 * privilege for it, a private folder under /dev/shm, removed at once. */
static int open_parent(void)
{
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs >= 0) {
		int mnt = -1;
		if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0700", 0) == 0 &&
		    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "64k", 0) == 0 &&
		    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
			mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
		close(fs);
		if (mnt >= 0)
			return mnt;
	}
	/* The folder must outlive this call to hold the stand-ins, which are
	 * removed as soon as they are open; it goes when the sentry exits. */
	if (!mkdtemp(fallback_dir))
		return -errno;
	int fd = open(fallback_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		rmdir(fallback_dir);
		return -e;
	}
	atexit(remove_fallback_dir);
	return fd;
}

static int parent(void)
{
	if (parent_fd < 0) {
		int fd = open_parent();
		if (fd < 0)
			return fd;
		parent_fd = fd;
	}
	return parent_fd;
}

int placeholder_fifo_open(uint64_t id, int open_flags)
{
	int dir = parent();
	if (dir < 0)
		return dir;
	char name[32];
	snprintf(name, sizeof(name), "p%llu", (unsigned long long)id);
	if (mknodat(dir, name, S_IFIFO | 0600, 0) < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(dir, name, open_flags | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

int placeholder_dir_open(int open_flags)
{
	int dir = parent();
	if (dir < 0)
		return dir;
	char name[32];
	snprintf(name, sizeof(name), "d%lu", counter++);
	if (mkdirat(parent_fd, name, 0500) < 0)
		return -errno;
	int fd = openat(parent_fd, name, (open_flags & (O_PATH | O_CLOEXEC | O_NONBLOCK | O_NOATIME)) | O_RDONLY | O_DIRECTORY);
	int e = errno;
	unlinkat(parent_fd, name, AT_REMOVEDIR);
	return fd < 0 ? -e : fd;
}
