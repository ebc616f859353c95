#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

#include "hostview.h"
#include "userns.h"

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif

static int view = -ENOTRECOVERABLE; /* not made yet */

int hostview_clone(void)
{
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0)
		return -errno;
	/* every mount of the clone: a submount left writable would let a
	 * file below it be changed */
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
	};
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Without CAP_SYS_ADMIN, the clone made in the sentry's user namespace:
 * its mounts are copies of the sentry's, shown as the host shows them to
 * the sentry (files are opened with the sentry's own credentials). */
static int make_view(void)
{
	int fd = hostview_clone();
	if (fd == -EPERM && userns_error() == 0)
		fd = userns_hostview();
	return fd;
}

bool hostview_in_use(void)
{
	return view >= 0;
}

int hostview_root(void)
{
	if (view == -ENOTRECOVERABLE)
		view = make_view();
	return view;
}
