/* Calls on open VFS files: directory listings and attribute changes
 * through an fd. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"
#include "kobj.h"

#define DIRENT_BUF_MAX (64 * 1024)

/* The VFS file behind fd and the sentry's copy of the fd (closed by the
 * caller): FD_VFS, or FD_KERNEL for a kernel object (a pipe, a memfd the
 * workload made, the caller's stdio), which the handler then changes
 * through that copy, the very object it checked: another thread putting
 * something else at the fd number meanwhile changes nothing. */
static long vfs_fd(struct task *task, struct syscall_call *call, struct vfs_file **f, int *copy)
{
	long r = task_fd_lookup(task, (int)call->args[0], f, copy);
	if (r >= 0 && opened_as_path(*copy)) {
		if (*copy >= 0)
			close(*copy);
		r = -EBADF;
	}
	return r;
}

/* An O_PATH fd only names a file: calls that need an open give EBADF. */
bool opened_as_path(int host_fd)
{
	if (host_fd < 0)
		return true; /* only O_PATH fds come without a copy */
	int flags = fcntl(host_fd, F_GETFL);
	return flags >= 0 && (flags & O_PATH);
}

/* A directory's position is the placeholder's file offset, which the
 * kernel keeps per open file description: lseek (a passed call), dup
 * and fork then behave as Linux without the sentry tracking them. */
static long list_directory(struct task *task, struct syscall_call *call, void *buf, size_t size)
{
	struct vfs_file *f;
	int copy;
	long r = task_fd_lookup(task, (int)call->args[0], &f, &copy);
	if (r < 0)
		return r;
	if (r == FD_KERNEL || opened_as_path(copy)) {
		if (copy >= 0)
			close(copy);
		return r == FD_KERNEL ? -ENOTDIR : -EBADF;
	}
	struct vfs_ctx ctx;
	task_vfs_ctx(task, &ctx);
	off_t pos = lseek(copy, 0, SEEK_CUR);
	r = vfs_file_lseek(f, pos < 0 ? 0 : pos, SEEK_SET);
	if (r >= 0)
		r = vfs_getdents64(&ctx, f, buf, size);
	if (r > 0)
		lseek(copy, vfs_file_lseek(f, 0, SEEK_CUR), SEEK_SET);
	close(copy);
	return r;
}

long sys_getdents64(struct task *task, struct syscall_call *call)
{
	size_t size = call->args[2] < DIRENT_BUF_MAX ? call->args[2] : DIRENT_BUF_MAX;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	long r = list_directory(task, call, buf, size);
	if (r > 0) {
		long c = copy_out(task, call->args[1], buf, (size_t)r);
		if (c < 0)
			r = c;
	}
	free(buf);
	return r;
}

/* The old getdents record: d_type sits in the last byte. */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

long sys_getdents(struct task *task, struct syscall_call *call)
{
	size_t size = call->args[2] < DIRENT_BUF_MAX ? call->args[2] : DIRENT_BUF_MAX;
	/* a linux_dirent64 record is never larger than its old form, so
	 * reading as many bytes as fit is safe; records that would not fit
	 * after conversion are left for the next call */
	char *in = malloc(size ? size : 1), *out = malloc(size ? size : 1);
	long r = (in && out) ? list_directory(task, call, in, size) : -ENOMEM;
	size_t used = 0;
	for (long pos = 0; r > 0 && pos < r;) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)(in + pos);
		size_t namelen = strlen(d->d_name);
		size_t reclen = (offsetof(struct linux_dirent, d_name) + namelen + 2 + 7) & ~(size_t)7;
		if (used + reclen > size)
			break;
		struct linux_dirent *o = (struct linux_dirent *)(out + used);
		o->d_ino = d->d_ino;
		o->d_off = (unsigned long)d->d_off;
		o->d_reclen = (unsigned short)reclen;
		memcpy(o->d_name, d->d_name, namelen + 1);
		out[used + reclen - 1] = (char)d->d_type;
		used += reclen;
		pos += d->d_reclen;
	}
	if (r > 0)
		r = used ? copy_out(task, call->args[1], out, used) : -EINVAL;
	if (r == 0 && used)
		r = (long)used;
	free(in);
	free(out);
	return r;
}

long sys_ftruncate(struct task *task, struct syscall_call *call)
{
	struct vfs_file *f;
	int copy;
	long r = vfs_fd(task, call, &f, &copy);
	if (r < 0)
		return r;
	/* the fd's own access mode decides, as in Linux */
	int flags = fcntl(copy, F_GETFL);
	if (r == FD_KERNEL) {
		if ((flags & O_APPEND) && is_handed_over_file(copy))
			r = -EPERM; /* what was there before the sandbox stays */
		else
			r = ftruncate(copy, (off_t)call->args[1]) < 0 ? -errno : 0;
		close(copy);
		if (r == -EPERM)
			report_denial(task, call, EPERM, "a file of the host handed over for appending is not truncated");
		return r;
	}
	close(copy);
	if ((flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	struct vfs_ctx ctx;
	task_vfs_ctx(task, &ctx);
	return vfs_ftruncate(&ctx, f, (off_t)call->args[1]);
}

/* A metadata change through an fd: on a VFS file by the VFS with the
 * caller's context (*copy closed), on a kernel object of the sandbox by
 * the sentry on *copy (left open); a file of the host keeps its
 * attributes. FD_VFS, FD_KERNEL or -errno. */
static long file_to_change(struct task *task, struct syscall_call *call, struct vfs_ctx *ctx, struct vfs_file **f,
			   int *copy)
{
	long r = vfs_fd(task, call, f, copy);
	if (r == FD_VFS) {
		close(*copy);
		task_vfs_ctx(task, ctx);
	} else if (r == FD_KERNEL) {
		long refused = refuse_host_file_change(task, call, *copy);
		if (refused) {
			close(*copy);
			r = refused;
		}
	}
	return r;
}

static long kernel_result(int copy, int r)
{
	long result = r < 0 ? -errno : 0;
	close(copy);
	return result;
}

long sys_fchmod(struct task *task, struct syscall_call *call)
{
	struct vfs_ctx ctx;
	struct vfs_file *f;
	int copy;
	long r = file_to_change(task, call, &ctx, &f, &copy);
	if (r == FD_KERNEL)
		return kernel_result(copy, fchmod(copy, (mode_t)call->args[1]));
	return r < 0 ? r : vfs_fchmod(&ctx, f, (mode_t)call->args[1]);
}

long sys_fchown(struct task *task, struct syscall_call *call)
{
	struct vfs_ctx ctx;
	struct vfs_file *f;
	int copy;
	uid_t uid = (uid_t)call->args[1];
	gid_t gid = (gid_t)call->args[2];
	long r = file_to_change(task, call, &ctx, &f, &copy);
	if (r == FD_KERNEL)
		return kernel_result(copy, fchown(copy, uid, gid));
	return r < 0 ? r : vfs_fchown(&ctx, f, uid, gid);
}

long sys_fstatfs(struct task *task, struct syscall_call *call)
{
	struct vfs_file *f;
	int copy;
	struct statfs st;
	long r = task_fd_lookup(task, (int)call->args[0], &f, &copy);
	if (r < 0)
		return r;
	if (r == FD_VFS)
		r = vfs_fstatfs(f, &st);
	else
		r = fstatfs(copy, &st) < 0 ? -errno : 0;
	if (copy >= 0)
		close(copy);
	return r < 0 ? r : copy_out(task, call->args[1], &st, sizeof(st));
}
