/* Extended attributes: the sandbox's file systems keep none. Each call
 * resolves its path or fd first, so ENOENT and EBADF come as in Linux,
 * then answers EOPNOTSUPP, as a file system without xattrs does. */
#include <errno.h>
#include <fcntl.h>

#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"

static long on_path(struct task *task, uint64_t path_addr, int at_flags)
{
	struct vfs_ctx ctx;
	char path[PATH_MAX];
	struct stat st;
	task_vfs_ctx(task, &ctx);
	long r = path_arg(task, path_addr, path);
	if (r >= 0)
		r = vfs_fstatat(&ctx, NULL, path, &st, at_flags);
	return r < 0 ? r : -EOPNOTSUPP;
}

static long on_fd(struct task *task, uint64_t fd)
{
	struct vfs_file *f;
	long r = task_fd_lookup(task, (int)fd, &f, NULL);
	return r < 0 ? r : -EOPNOTSUPP;
}

#define XATTR_ON_PATH(name, at_flags) \
	long sys_##name(struct task *task, struct syscall_call *call) { return on_path(task, call->args[0], at_flags); }
#define XATTR_ON_FD(name) \
	long sys_##name(struct task *task, struct syscall_call *call) { return on_fd(task, call->args[0]); }

XATTR_ON_PATH(setxattr, 0)
XATTR_ON_PATH(getxattr, 0)
XATTR_ON_PATH(listxattr, 0)
XATTR_ON_PATH(removexattr, 0)
XATTR_ON_PATH(lsetxattr, AT_SYMLINK_NOFOLLOW)
XATTR_ON_PATH(lgetxattr, AT_SYMLINK_NOFOLLOW)
XATTR_ON_PATH(llistxattr, AT_SYMLINK_NOFOLLOW)
XATTR_ON_PATH(lremovexattr, AT_SYMLINK_NOFOLLOW)
XATTR_ON_FD(fsetxattr)
XATTR_ON_FD(fgetxattr)
XATTR_ON_FD(flistxattr)
XATTR_ON_FD(fremovexattr)
