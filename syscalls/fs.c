/* Path syscalls, answered from the VFS. The x86_64-only forms (open,
 * stat, mkdir, ...) are their *at forms with AT_FDCWD. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "arch.h"
#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"
#include "fdinstall.h"
#include "fastpath.h"
#include "fastpath/snapshot.h"
#include "sandbox.h"

#define AT_FDCWD_ARG ((uint64_t)(int64_t)AT_FDCWD)

/* Declares ctx, reads the path in args[path_arg] and the dirfd in
 * args[dirfd_arg] (or AT_FDCWD when dirfd_arg < 0). */
struct path_call {
	struct vfs_ctx ctx;
	struct vfs_file *dir;
	char path[PATH_MAX];
};

static long prepare(struct task *task, struct path_call *pc, uint64_t dirfd, uint64_t path_addr)
{
	task_vfs_ctx(task, &pc->ctx);
	long r = path_arg(task, path_addr, pc->path);
	if (r < 0)
		return r;
	pc->dir = NULL;
	if (pc->path[0] == '/')
		return 0; /* an absolute path ignores dirfd, even a bad one */
	return dirfd_arg(task, dirfd, &pc->dir);
}

/* --- open ------------------------------------------------------------------ */

/* Opening /proc/<pid>/fd/<n> (or /dev/fd/<n>, /dev/stdin) of a kernel
 * object makes a new open of that object, as Linux does for a pipe (bash's
 * <(...)). Never with more access than the fd already gives, except for a
 * pipe, whose both ends are the sandbox's anyway: a read-only stdin file
 * of the caller stays read-only, and one opened for appending (>>) stays
 * O_APPEND, so no write lands before its end. */
static long reopen_kernel_object(struct task *task, int flags)
{
	struct sandbox *sb = task->sandbox;
	sb->kernel_fd_link.set = false;
	struct task *owner = task_find(sb, sb->kernel_fd_link.pid);
	struct vfs_file *f;
	int copy;
	if (!owner || task_fd_lookup(owner, sb->kernel_fd_link.fd, &f, &copy) != FD_KERNEL)
		return -ENXIO;
	struct stat st;
	int held = fcntl(copy, F_GETFL);
	long r = fstat(copy, &st) < 0 ? -errno : 0;
	int want = flags & O_ACCMODE;
	if (r == 0 && !S_ISFIFO(st.st_mode)) {
		bool more_access = (want == O_RDWR && (held & O_ACCMODE) != O_RDWR) ||
				   (want != O_RDWR && want != (held & O_ACCMODE) && (held & O_ACCMODE) != O_RDWR);
		if (S_ISSOCK(st.st_mode))
			r = -ENXIO;
		else if (!S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))
			r = -ENXIO;
		else if (more_access)
			r = -EACCES;
	}
	if (r == 0) {
		char proc_path[64];
		snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", copy);
		int keep = O_ACCMODE | O_APPEND | O_NONBLOCK;
		/* a file handed over for appending stays append-only */
		int append = S_ISREG(st.st_mode) ? held & O_APPEND : 0;
		int fd = open(proc_path, (flags & keep) | append | O_CLOEXEC | O_NOCTTY);
		r = fd < 0 ? -errno : task_install_fd_answer(task, fd, flags & O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	close(copy);
	return r;
}

/* stat through such a link: the object's own stat. */
static long stat_kernel_object(struct task *task, struct stat *st)
{
	struct sandbox *sb = task->sandbox;
	sb->kernel_fd_link.set = false;
	struct task *owner = task_find(sb, sb->kernel_fd_link.pid);
	struct vfs_file *f;
	int copy;
	if (!owner || task_fd_lookup(owner, sb->kernel_fd_link.fd, &f, &copy) != FD_KERNEL)
		return -ENXIO;
	long r = fstat(copy, st) < 0 ? -errno : 0;
	close(copy);
	return r;
}

static long open_common(struct task *task, uint64_t dirfd, uint64_t path_addr, int flags, mode_t mode)
{
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	if (r < 0)
		return r;
	struct vfs_file *f;
	task->sandbox->kernel_fd_link.set = false;
	r = vfs_openat(&pc.ctx, pc.dir, pc.path, flags, mode, &f);
	if (r == -ENXIO && task->sandbox->kernel_fd_link.set)
		return reopen_kernel_object(task, flags);
	return r < 0 ? r : install_vfs_file(task, f, flags);
}

long sys_open(struct task *task, struct syscall_call *call)
{
	return open_common(task, AT_FDCWD_ARG, call->args[0], (int)call->args[1], (mode_t)call->args[2]);
}

long sys_openat(struct task *task, struct syscall_call *call)
{
	return open_common(task, call->args[0], call->args[1], (int)call->args[2], (mode_t)call->args[3]);
}

long sys_creat(struct task *task, struct syscall_call *call)
{
	return open_common(task, AT_FDCWD_ARG, call->args[0], O_CREAT | O_WRONLY | O_TRUNC, (mode_t)call->args[1]);
}

long sys_openat2(struct task *task, struct syscall_call *call)
{
	struct open_how how;
	size_t size = call->args[3];
	if (size < 24) /* OPEN_HOW_SIZE_VER0 */
		return -EINVAL;
	if (size > 4096) /* a page at most, as Linux */
		return -E2BIG;
	if (size > sizeof(how)) {
		/* a larger struct (up to a page) is fine only if the part we do
		 * not know is zero */
		char tail[4096];
		if (size - sizeof(how) > sizeof(tail))
			return -E2BIG;
		if (task_read_mem(task, call->args[2] + sizeof(how), tail, size - sizeof(how)) < 0)
			return -EFAULT;
		for (size_t i = 0; i < size - sizeof(how); i++)
			if (tail[i])
				return -E2BIG;
		size = sizeof(how);
	}
	memset(&how, 0, sizeof(how));
	if (task_read_mem(task, call->args[2], &how, size) < 0)
		return -EFAULT;
	struct path_call pc;
	long r = prepare(task, &pc, call->args[0], call->args[1]);
	if (r == 0 && pc.path[0] == '/' && (how.resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)))
		r = dirfd_arg(task, call->args[0], &pc.dir); /* the dirfd is the root here */
	if (r < 0)
		return r;
	/* O_LARGEFILE is the kernel's own on 64-bit: accepted and implied,
	 * except with O_PATH, which takes no other flags (the VFS refuses it) */
	uint64_t largefile = (how.flags & O_PATH) ? 0 : arch_native.o_largefile;
	struct vfs_open_how vhow = { how.flags & ~largefile, how.mode, how.resolve };
	struct vfs_file *f;
	r = vfs_openat2(&pc.ctx, pc.dir, pc.path, &vhow, &f);
	return r < 0 ? r : install_vfs_file(task, f, (int)how.flags);
}

/* --- stat ------------------------------------------------------------------ */

/* fstat of an fd that is a kernel object (pipe, socket, the caller's
 * terminal): the kernel's answer, through the sentry's copy. */
static long stat_kernel_fd(struct task *task, int fd, struct stat *st)
{
	struct vfs_file *f;
	int copy;
	long r = task_fd_lookup(task, fd, &f, &copy);
	if (r < 0)
		return r;
	if (r == FD_VFS) {
		if (copy >= 0)
			close(copy);
		return vfs_fstat(f, st);
	}
	r = fstat(copy, st) < 0 ? -errno : 0;
	close(copy);
	return r;
}

static long fstatat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, uint64_t buf, int at_flags,
			   const struct syscall_call *fastpath_call)
{
	struct stat st;
	struct path_call pc;
	task_vfs_ctx(task, &pc.ctx);
	long r = path_arg(task, path_addr, pc.path);
	if (r < 0)
		return r;
	if (pc.path[0] == 0 && (at_flags & AT_EMPTY_PATH) && (int)dirfd != AT_FDCWD) {
		r = stat_kernel_fd(task, (int)dirfd, &st);
	} else {
		pc.dir = NULL;
		r = pc.path[0] == '/' ? 0 : dirfd_arg(task, dirfd, &pc.dir);
		task->sandbox->kernel_fd_link.set = false;
		if (r == 0)
			r = vfs_fstatat(&pc.ctx, pc.dir, pc.path, &st, at_flags);
		if (r == -ENXIO && task->sandbox->kernel_fd_link.set)
			r = stat_kernel_object(task, &st);
		if (fastpath_call && fastpath_on)
			fastpath_stat_answered(task, fastpath_call, &pc.ctx, pc.path, at_flags, r, &st);
	}
	return r < 0 ? r : copy_out(task, buf, &st, sizeof(st));
}

long sys_stat(struct task *task, struct syscall_call *call)
{
	return fstatat_common(task, AT_FDCWD_ARG, call->args[0], call->args[1], 0, NULL);
}

long sys_lstat(struct task *task, struct syscall_call *call)
{
	return fstatat_common(task, AT_FDCWD_ARG, call->args[0], call->args[1], AT_SYMLINK_NOFOLLOW, NULL);
}

long sys_newfstatat(struct task *task, struct syscall_call *call)
{
	if (fastpath_on && (int)call->args[3] == FASTPATH_REQUEST_FLAGS &&
	    (int)call->args[0] == task->sandbox->fd_loader)
		return fastpath_loader_request(task);
	return fstatat_common(task, call->args[0], call->args[1], call->args[2], (int)call->args[3], call);
}

long sys_fstat(struct task *task, struct syscall_call *call)
{
	struct stat st;
	long r = stat_kernel_fd(task, (int)call->args[0], &st);
	return r < 0 ? r : copy_out(task, call->args[1], &st, sizeof(st));
}

long sys_statx(struct task *task, struct syscall_call *call)
{
	int at_flags = (int)call->args[2];
	struct statx stx;
	struct path_call pc;
	task_vfs_ctx(task, &pc.ctx);
	long r = path_arg(task, call->args[1], pc.path);
	if (r < 0)
		return r;
	memset(&stx, 0, sizeof(stx));
	int dirfd = (int)call->args[0];
	if (pc.path[0] == 0 && (at_flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		struct vfs_file *f;
		int copy = -1;
		r = task_fd_lookup(task, dirfd, &f, &copy);
		if (r == FD_VFS)
			r = vfs_statx(&pc.ctx, f, "", at_flags, (unsigned)call->args[3], &stx);
		else if (r == FD_KERNEL)
			r = statx(copy, "", at_flags, (unsigned)call->args[3], &stx) < 0 ? -errno : 0;
		if (copy >= 0)
			close(copy);
	} else {
		pc.dir = NULL;
		r = pc.path[0] == '/' ? 0 : dirfd_arg(task, call->args[0], &pc.dir);
		if (r == 0)
			r = vfs_statx(&pc.ctx, pc.dir, pc.path, at_flags, (unsigned)call->args[3], &stx);
	}
	/* Linux reports only the fields asked for as filled in */
	stx.stx_mask &= (unsigned)call->args[3];
	return r < 0 ? r : copy_out(task, call->args[4], &stx, sizeof(stx));
}

/* --- access, readlink ------------------------------------------------------ */

static long faccessat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, int mode, int at_flags)
{
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	if (!(at_flags & AT_EACCESS))
		task_access_cred(task, &pc.ctx.cred);
	return r < 0 ? r : vfs_faccessat(&pc.ctx, pc.dir, pc.path, mode, at_flags & ~AT_EACCESS);
}

long sys_access(struct task *task, struct syscall_call *call)
{
	return faccessat_common(task, AT_FDCWD_ARG, call->args[0], (int)call->args[1], 0);
}

long sys_faccessat(struct task *task, struct syscall_call *call)
{
	return faccessat_common(task, call->args[0], call->args[1], (int)call->args[2], 0);
}

long sys_faccessat2(struct task *task, struct syscall_call *call)
{
	int at_flags = (int)call->args[3];
	if (at_flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return faccessat_common(task, call->args[0], call->args[1], (int)call->args[2], at_flags);
}

static long readlinkat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, uint64_t buf, uint64_t size)
{
	if ((int)size <= 0)
		return -EINVAL;
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	if (r < 0)
		return r;
	char target[PATH_MAX];
	size_t want = size < sizeof(target) ? size : sizeof(target);
	r = vfs_readlinkat(&pc.ctx, pc.dir, pc.path, target, want);
	if (r < 0)
		return r;
	long c = copy_out(task, buf, target, (size_t)r);
	return c < 0 ? c : r;
}

long sys_readlink(struct task *task, struct syscall_call *call)
{
	return readlinkat_common(task, AT_FDCWD_ARG, call->args[0], call->args[1], call->args[2]);
}

long sys_readlinkat(struct task *task, struct syscall_call *call)
{
	return readlinkat_common(task, call->args[0], call->args[1], call->args[2], call->args[3]);
}

/* --- creating and removing names ----------------------------------------- */

static long mkdirat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, mode_t mode)
{
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_mkdirat(&pc.ctx, pc.dir, pc.path, mode);
}

long sys_mkdir(struct task *task, struct syscall_call *call)
{
	return mkdirat_common(task, AT_FDCWD_ARG, call->args[0], (mode_t)call->args[1]);
}

long sys_mkdirat(struct task *task, struct syscall_call *call)
{
	return mkdirat_common(task, call->args[0], call->args[1], (mode_t)call->args[2]);
}

static long mknodat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, mode_t mode, dev_t dev)
{
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_mknodat(&pc.ctx, pc.dir, pc.path, mode, dev);
}

long sys_mknod(struct task *task, struct syscall_call *call)
{
	return mknodat_common(task, AT_FDCWD_ARG, call->args[0], (mode_t)call->args[1], (dev_t)call->args[2]);
}

long sys_mknodat(struct task *task, struct syscall_call *call)
{
	return mknodat_common(task, call->args[0], call->args[1], (mode_t)call->args[2], (dev_t)call->args[3]);
}

static long unlinkat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, int at_flags)
{
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_unlinkat(&pc.ctx, pc.dir, pc.path, at_flags);
}

long sys_unlink(struct task *task, struct syscall_call *call)
{
	return unlinkat_common(task, AT_FDCWD_ARG, call->args[0], 0);
}

long sys_rmdir(struct task *task, struct syscall_call *call)
{
	return unlinkat_common(task, AT_FDCWD_ARG, call->args[0], AT_REMOVEDIR);
}

long sys_unlinkat(struct task *task, struct syscall_call *call)
{
	int at_flags = (int)call->args[2];
	if (at_flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return unlinkat_common(task, call->args[0], call->args[1], at_flags);
}

static long renameat_common(struct task *task, uint64_t olddirfd, uint64_t oldpath, uint64_t newdirfd,
			    uint64_t newpath, unsigned flags)
{
	struct path_call from, to;
	long r = prepare(task, &from, olddirfd, oldpath);
	if (r == 0)
		r = prepare(task, &to, newdirfd, newpath);
	return r < 0 ? r : vfs_renameat2(&from.ctx, from.dir, from.path, to.dir, to.path, flags);
}

long sys_rename(struct task *task, struct syscall_call *call)
{
	return renameat_common(task, AT_FDCWD_ARG, call->args[0], AT_FDCWD_ARG, call->args[1], 0);
}

long sys_renameat(struct task *task, struct syscall_call *call)
{
	return renameat_common(task, call->args[0], call->args[1], call->args[2], call->args[3], 0);
}

long sys_renameat2(struct task *task, struct syscall_call *call)
{
	return renameat_common(task, call->args[0], call->args[1], call->args[2], call->args[3],
			       (unsigned)call->args[4]);
}

static long linkat_common(struct task *task, uint64_t olddirfd, uint64_t oldpath, uint64_t newdirfd,
			  uint64_t newpath, int at_flags)
{
	if (at_flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path_call from, to;
	long r = prepare(task, &from, olddirfd, oldpath);
	if (r == 0)
		r = prepare(task, &to, newdirfd, newpath);
	return r < 0 ? r : vfs_linkat(&from.ctx, from.dir, from.path, to.dir, to.path, at_flags);
}

long sys_link(struct task *task, struct syscall_call *call)
{
	return linkat_common(task, AT_FDCWD_ARG, call->args[0], AT_FDCWD_ARG, call->args[1], 0);
}

long sys_linkat(struct task *task, struct syscall_call *call)
{
	return linkat_common(task, call->args[0], call->args[1], call->args[2], call->args[3], (int)call->args[4]);
}

static long symlinkat_common(struct task *task, uint64_t target_addr, uint64_t dirfd, uint64_t path_addr)
{
	char target[PATH_MAX];
	long r = path_arg(task, target_addr, target);
	if (r < 0)
		return r;
	struct path_call pc;
	r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_symlinkat(&pc.ctx, target, pc.dir, pc.path);
}

long sys_symlink(struct task *task, struct syscall_call *call)
{
	return symlinkat_common(task, call->args[0], AT_FDCWD_ARG, call->args[1]);
}

long sys_symlinkat(struct task *task, struct syscall_call *call)
{
	return symlinkat_common(task, call->args[0], call->args[1], call->args[2]);
}

/* --- attributes ------------------------------------------------------------ */

static long fchmodat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, mode_t mode, int at_flags)
{
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_fchmodat(&pc.ctx, pc.dir, pc.path, mode, at_flags);
}

long sys_chmod(struct task *task, struct syscall_call *call)
{
	return fchmodat_common(task, AT_FDCWD_ARG, call->args[0], (mode_t)call->args[1], 0);
}

long sys_fchmodat(struct task *task, struct syscall_call *call)
{
	return fchmodat_common(task, call->args[0], call->args[1], (mode_t)call->args[2], 0);
}

long sys_fchmodat2(struct task *task, struct syscall_call *call)
{
	int at_flags = (int)call->args[3];
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return fchmodat_common(task, call->args[0], call->args[1], (mode_t)call->args[2], at_flags);
}

static long fchownat_common(struct task *task, uint64_t dirfd, uint64_t path_addr, uint64_t uid, uint64_t gid,
			    int at_flags)
{
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path_call pc;
	long r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_fchownat(&pc.ctx, pc.dir, pc.path, (uid_t)uid, (gid_t)gid, at_flags);
}

long sys_chown(struct task *task, struct syscall_call *call)
{
	return fchownat_common(task, AT_FDCWD_ARG, call->args[0], call->args[1], call->args[2], 0);
}

long sys_lchown(struct task *task, struct syscall_call *call)
{
	return fchownat_common(task, AT_FDCWD_ARG, call->args[0], call->args[1], call->args[2], AT_SYMLINK_NOFOLLOW);
}

long sys_fchownat(struct task *task, struct syscall_call *call)
{
	return fchownat_common(task, call->args[0], call->args[1], call->args[2], call->args[3], (int)call->args[4]);
}

/* futimens: a VFS file's times, or a kernel object's (a pipe, a memfd the
 * workload made) changed by the sentry on its copy of the object it
 * checked; a file of the host keeps its times. */
static long futimens_fd(struct task *task, struct syscall_call *call, int fd, const struct timespec *times)
{
	struct vfs_file *f;
	int copy = -1;
	long r = task_fd_lookup(task, fd, &f, &copy);
	if (r == FD_VFS) {
		struct vfs_ctx ctx;
		task_vfs_ctx(task, &ctx);
		r = vfs_futimens(&ctx, f, times);
	} else if (r == FD_KERNEL) {
		r = refuse_host_file_change(task, call, copy);
		if (r == 0)
			r = futimens(copy, times) < 0 ? -errno : 0;
	}
	if (copy >= 0)
		close(copy);
	return r;
}

static long utimensat_common(struct task *task, struct syscall_call *call, uint64_t dirfd, uint64_t path_addr,
			     const struct timespec *times, int at_flags)
{
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path_call pc;
	task_vfs_ctx(task, &pc.ctx);
	long r;
	if (path_addr == 0) {
		/* utimensat(fd, NULL, ...) changes the file fd names */
		if ((int)dirfd == AT_FDCWD)
			return -EFAULT;
		return futimens_fd(task, call, (int)dirfd, times);
	}
	r = prepare(task, &pc, dirfd, path_addr);
	return r < 0 ? r : vfs_utimensat(&pc.ctx, pc.dir, pc.path, times, at_flags);
}

long sys_utimensat(struct task *task, struct syscall_call *call)
{
	struct timespec times[2];
	if (call->args[2] && task_read_mem(task, call->args[2], times, sizeof(times)) < 0)
		return -EFAULT;
	return utimensat_common(task, call, call->args[0], call->args[1], call->args[2] ? times : NULL, (int)call->args[3]);
}

static long timevals_to_timespecs(struct task *task, uint64_t addr, struct timespec ts[2])
{
	struct timeval tv[2];
	if (task_read_mem(task, addr, tv, sizeof(tv)) < 0)
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return 0;
}

long sys_utimes(struct task *task, struct syscall_call *call)
{
	struct timespec ts[2];
	long r = call->args[1] ? timevals_to_timespecs(task, call->args[1], ts) : 0;
	return r < 0 ? r : utimensat_common(task, call, AT_FDCWD_ARG, call->args[0], call->args[1] ? ts : NULL, 0);
}

long sys_futimesat(struct task *task, struct syscall_call *call)
{
	struct timespec ts[2];
	long r = call->args[2] ? timevals_to_timespecs(task, call->args[2], ts) : 0;
	return r < 0 ? r : utimensat_common(task, call, call->args[0], call->args[1], call->args[2] ? ts : NULL, 0);
}

long sys_utime(struct task *task, struct syscall_call *call)
{
	struct utimbuf ub;
	struct timespec ts[2];
	if (call->args[1]) {
		if (task_read_mem(task, call->args[1], &ub, sizeof(ub)) < 0)
			return -EFAULT;
		ts[0] = (struct timespec){ ub.actime, 0 };
		ts[1] = (struct timespec){ ub.modtime, 0 };
	}
	return utimensat_common(task, call, AT_FDCWD_ARG, call->args[0], call->args[1] ? ts : NULL, 0);
}

long sys_truncate(struct task *task, struct syscall_call *call)
{
	struct path_call pc;
	long r = prepare(task, &pc, AT_FDCWD_ARG, call->args[0]);
	return r < 0 ? r : vfs_truncate(&pc.ctx, NULL, pc.path, (off_t)call->args[1]);
}

long sys_statfs(struct task *task, struct syscall_call *call)
{
	struct path_call pc;
	struct statfs st;
	long r = prepare(task, &pc, AT_FDCWD_ARG, call->args[0]);
	if (r == 0)
		r = vfs_statfs(&pc.ctx, NULL, pc.path, &st);
	return r < 0 ? r : copy_out(task, call->args[1], &st, sizeof(st));
}

/* --- cwd, root, umask ------------------------------------------------------ */

static void set_fs_path(struct vfs_path *slot, struct vfs_path *to)
{
	if (slot->dentry)
		vfs_path_put(slot);
	*slot = *to; /* takes over the reference */
}

long sys_chdir(struct task *task, struct syscall_call *call)
{
	struct path_call pc;
	struct vfs_path to;
	long r = prepare(task, &pc, AT_FDCWD_ARG, call->args[0]);
	if (r == 0)
		r = vfs_lookup_dir(&pc.ctx, NULL, pc.path, &to);
	if (r == 0)
		set_fs_path(&task->fs->cwd, &to);
	return r;
}

long sys_fchdir(struct task *task, struct syscall_call *call)
{
	struct vfs_ctx ctx;
	struct vfs_file *dir;
	struct vfs_path to;
	task_vfs_ctx(task, &ctx);
	long r = dirfd_arg(task, (uint64_t)(int64_t)(int)call->args[0], &dir);
	if (r == 0 && !dir)
		r = -EBADF; /* AT_FDCWD is no fd */
	if (r == 0)
		r = vfs_lookup_dir(&ctx, dir, "", &to);
	if (r == 0)
		set_fs_path(&task->fs->cwd, &to);
	return r;
}

long sys_chroot(struct task *task, struct syscall_call *call)
{
	struct path_call pc;
	struct vfs_path to;
	long r = prepare(task, &pc, AT_FDCWD_ARG, call->args[0]);
	if (r == 0)
		r = vfs_lookup_dir(&pc.ctx, NULL, pc.path, &to);
	if (r == 0 && !task_cred_capable(&task->cred, CAP_SYS_CHROOT)) {
		vfs_path_put(&to);
		r = -EPERM;
	}
	if (r == 0)
		set_fs_path(&task->fs->root, &to);
	return r;
}

long sys_getcwd(struct task *task, struct syscall_call *call)
{
	struct vfs_ctx ctx;
	char buf[PATH_MAX];
	task_vfs_ctx(task, &ctx);
	long r = vfs_getcwd(&ctx, buf, sizeof(buf));
	if (r == -ERANGE)
		return -ENAMETOOLONG; /* longer than a page, as Linux says */
	if (r < 0)
		return r;
	if ((uint64_t)r > call->args[1])
		return -ERANGE;
	long c = copy_out(task, call->args[0], buf, (size_t)r);
	return c < 0 ? c : r;
}

long sys_umask(struct task *task, struct syscall_call *call)
{
	mode_t old = task->fs->umask;
	task->fs->umask = (mode_t)call->args[0] & 0777;
	return old;
}
