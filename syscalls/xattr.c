/* Extended attributes, answered by the VFS.  The arguments are copied in
 * in the order Linux reads them (flags, name, value, then the path or fd),
 * so the first bad one gives Linux's errno.  An fd that is a kernel object
 * (a pipe, a socket, a memfd the workload made) is answered by the kernel
 * through the sentry's copy of the object it checked, with the name and
 * value it copied: another thread swapping the fd or rewriting the
 * memory meanwhile changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"

#define BY_FD -1  /* at_flags of the f* calls */

/* What a call acts on: a path (resolved by the VFS) or an open file. */
struct target {
	struct vfs_ctx ctx;
	char path[PATH_MAX];
	int at_flags;
	struct vfs_file *file;  /* the f* calls; borrowed while copy is open */
	int copy;               /* the sentry's copy of the fd, or -1 */
	bool kernel;            /* a kernel object: the kernel answers on copy */
};

static long target_arg(struct task *task, struct syscall_call *call, int at_flags, struct target *t)
{
	task_vfs_ctx(task, &t->ctx);
	t->at_flags = at_flags;
	if (at_flags != BY_FD) {
		long r = path_arg(task, call->args[0], t->path);
		return r < 0 ? r : 0;
	}
	long r = task_fd_lookup(task, (int)call->args[0], &t->file, &t->copy);
	if (r >= 0 && opened_as_path(t->copy))
		return -EBADF;
	if (r == FD_KERNEL) {
		t->kernel = true;
		return 0;
	}
	return r < 0 ? r : 0;
}

static void target_done(struct target *t)
{
	if (t->copy >= 0)
		close(t->copy);
}

/* Linux copies at most 256 bytes of a name: empty or unterminated is ERANGE. */
static long name_arg(struct task *task, uint64_t addr, char name[VFS_XATTR_NAME_MAX + 1])
{
	long r = task_read_string(task, addr, name, VFS_XATTR_NAME_MAX + 1);
	if (r == -ENAMETOOLONG || r == 0)
		return -ERANGE;
	return r < 0 ? r : 0;
}

/* The value of a set call; NULL when size is 0. */
static long value_arg(struct task *task, uint64_t addr, size_t size, void **value)
{
	*value = NULL;
	if (size == 0)
		return 0;
	if (size > VFS_XATTR_SIZE_MAX)
		return -E2BIG;
	*value = malloc(size);
	if (!*value)
		return -ENOMEM;
	long r = task_read_mem(task, addr, *value, size);
	return r < 0 ? r : 0;
}

/* A result buffer of at most `max` bytes; NULL for a size query. */
static long result_buf(size_t *size, size_t max, char **buf)
{
	*buf = NULL;
	if (*size > max)
		*size = max;
	if (*size && !(*buf = malloc(*size)))
		return -ENOMEM;
	return 0;
}

static long kernel_count(ssize_t n) { return n < 0 ? -errno : n; }

static long copy_result(struct task *task, uint64_t addr, const char *buf, long r)
{
	if (r <= 0 || !buf)
		return r;
	long w = copy_out(task, addr, buf, (size_t)r);
	return w < 0 ? w : r;
}

static long set_common(struct task *task, struct syscall_call *call, int at_flags)
{
	char name[VFS_XATTR_NAME_MAX + 1];
	void *value = NULL;
	struct target t = {.copy = -1};
	size_t size = call->args[3];
	int flags = (int)call->args[4];
	long r = (flags & ~(XATTR_CREATE | XATTR_REPLACE)) ? -EINVAL : name_arg(task, call->args[1], name);
	if (r == 0)
		r = value_arg(task, call->args[2], size, &value);
	if (r == 0)
		r = target_arg(task, call, at_flags, &t);
	if (r == 0 && t.kernel && !(r = refuse_host_file_change(task, call, t.copy)))
		r = fsetxattr(t.copy, name, value, size, flags) < 0 ? -errno : 0;
	else if (r == 0)
		r = t.file ? vfs_fsetxattr(&t.ctx, t.file, name, value, size, flags)
			   : vfs_setxattrat(&t.ctx, NULL, t.path, t.at_flags, name, value, size, flags);
	target_done(&t);
	free(value);
	return r;
}

static long get_common(struct task *task, struct syscall_call *call, int at_flags)
{
	char name[VFS_XATTR_NAME_MAX + 1];
	char *buf = NULL;
	struct target t = {.copy = -1};
	size_t size = call->args[3];
	long r = name_arg(task, call->args[1], name);
	if (r == 0)
		r = target_arg(task, call, at_flags, &t);
	if (r == 0)
		r = result_buf(&size, VFS_XATTR_SIZE_MAX, &buf);
	if (r == 0 && t.kernel)
		r = kernel_count(fgetxattr(t.copy, name, buf, size));
	else if (r == 0)
		r = t.file ? vfs_fgetxattr(&t.ctx, t.file, name, buf, size)
			   : vfs_getxattrat(&t.ctx, NULL, t.path, t.at_flags, name, buf, size);
	r = copy_result(task, call->args[2], buf, r);
	target_done(&t);
	free(buf);
	return r;
}

static long list_common(struct task *task, struct syscall_call *call, int at_flags)
{
	char *buf = NULL;
	struct target t = {.copy = -1};
	size_t size = call->args[2];
	long r = target_arg(task, call, at_flags, &t);
	if (r == 0)
		r = result_buf(&size, VFS_XATTR_LIST_MAX, &buf);
	if (r == 0 && t.kernel)
		r = kernel_count(flistxattr(t.copy, buf, size));
	else if (r == 0)
		r = t.file ? vfs_flistxattr(&t.ctx, t.file, buf, size)
			   : vfs_listxattrat(&t.ctx, NULL, t.path, t.at_flags, buf, size);
	r = copy_result(task, call->args[1], buf, r);
	target_done(&t);
	free(buf);
	return r;
}

static long remove_common(struct task *task, struct syscall_call *call, int at_flags)
{
	char name[VFS_XATTR_NAME_MAX + 1];
	struct target t = {.copy = -1};
	long r = name_arg(task, call->args[1], name);
	if (r == 0)
		r = target_arg(task, call, at_flags, &t);
	if (r == 0 && t.kernel && !(r = refuse_host_file_change(task, call, t.copy)))
		r = fremovexattr(t.copy, name) < 0 ? -errno : 0;
	else if (r == 0)
		r = t.file ? vfs_fremovexattr(&t.ctx, t.file, name)
			   : vfs_removexattrat(&t.ctx, NULL, t.path, t.at_flags, name);
	target_done(&t);
	return r;
}

#define XATTR_CALL(name, common, at_flags) \
	long sys_##name(struct task *task, struct syscall_call *call) { return common(task, call, at_flags); }

XATTR_CALL(setxattr, set_common, 0)
XATTR_CALL(lsetxattr, set_common, AT_SYMLINK_NOFOLLOW)
XATTR_CALL(fsetxattr, set_common, BY_FD)
XATTR_CALL(getxattr, get_common, 0)
XATTR_CALL(lgetxattr, get_common, AT_SYMLINK_NOFOLLOW)
XATTR_CALL(fgetxattr, get_common, BY_FD)
XATTR_CALL(listxattr, list_common, 0)
XATTR_CALL(llistxattr, list_common, AT_SYMLINK_NOFOLLOW)
XATTR_CALL(flistxattr, list_common, BY_FD)
XATTR_CALL(removexattr, remove_common, 0)
XATTR_CALL(lremovexattr, remove_common, AT_SYMLINK_NOFOLLOW)
XATTR_CALL(fremovexattr, remove_common, BY_FD)
