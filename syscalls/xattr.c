/* Extended attributes: the sandbox's file systems keep none. Each call
 * resolves its path or fd first, so ENOENT and EBADF come as in Linux,
 * then answers EOPNOTSUPP, as a file system without xattrs does. */
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>

#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"

/* Attribute names are read before anything else, as Linux does. */
static long name_arg(struct task *task, struct syscall_call *call, int which)
{
	char name[256];
	if (which < 0)
		return 0;
	long r = task_read_string(task, call->args[which], name, sizeof(name));
	if (r == -ENAMETOOLONG || r == 0)
		return -ERANGE;
	return r < 0 ? r : 0;
}

static long on_path(struct task *task, struct syscall_call *call, int name_index, int at_flags)
{
	struct vfs_ctx ctx;
	char path[PATH_MAX];
	struct stat st;
	task_vfs_ctx(task, &ctx);
	long r = name_arg(task, call, name_index);
	if (r == 0)
		r = path_arg(task, call->args[0], path);
	if (r >= 0)
		r = vfs_fstatat(&ctx, NULL, path, &st, at_flags);
	return r < 0 ? r : -EOPNOTSUPP;
}

static long on_fd(struct task *task, struct syscall_call *call, int name_index)
{
	struct vfs_file *f;
	int copy = -1;
	long r = name_arg(task, call, name_index);
	if (r == 0)
		r = task_fd_lookup(task, (int)call->args[0], &f, &copy);
	if (r >= 0 && opened_as_path(copy))
		r = -EBADF;
	if (copy >= 0)
		close(copy);
	return r < 0 ? r : -EOPNOTSUPP;
}

/* name_index: the argument holding the attribute name, -1 for list. */
#define XATTR_ON_PATH(name, name_index, at_flags) \
	long sys_##name(struct task *task, struct syscall_call *call) { return on_path(task, call, name_index, at_flags); }
#define XATTR_ON_FD(name, name_index) \
	long sys_##name(struct task *task, struct syscall_call *call) { return on_fd(task, call, name_index); }

XATTR_ON_PATH(setxattr, 1, 0)
XATTR_ON_PATH(getxattr, 1, 0)
XATTR_ON_PATH(listxattr, -1, 0)
XATTR_ON_PATH(removexattr, 1, 0)
XATTR_ON_PATH(lsetxattr, 1, AT_SYMLINK_NOFOLLOW)
XATTR_ON_PATH(lgetxattr, 1, AT_SYMLINK_NOFOLLOW)
XATTR_ON_PATH(llistxattr, -1, AT_SYMLINK_NOFOLLOW)
XATTR_ON_PATH(lremovexattr, 1, AT_SYMLINK_NOFOLLOW)
XATTR_ON_FD(fsetxattr, 1)
XATTR_ON_FD(fgetxattr, 1)
XATTR_ON_FD(flistxattr, -1)
XATTR_ON_FD(fremovexattr, 1)
