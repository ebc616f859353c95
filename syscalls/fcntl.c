#define _GNU_SOURCE
/* fcntl and flock: the commands on an open file.
 *
 * fcntl is deny by default: every command the sandbox serves has a row in
 * fcntl_commands saying how and why; any other is refused with EINVAL and
 * a denial line.
 *
 * A command that acts on the open file description (F_SETFL, OFD locks,
 * flock) runs on the sentry's own copy of the object it checked, so
 * another thread dup2()ing something else onto the fd number changes
 * nothing. A command that belongs to the calling process (POSIX locks,
 * leases on objects other than the sandbox's files) must run in the kernel
 * as the caller, which looks the number up again: it is refused where a
 * swap could bring one of the caller's handed-over files to that number.
 * Leases on the sandbox's files are the sentry's (see "leases"). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "deferred.h"
#include "dispatch.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "hostview.h"
#include "inotify.h"
#include "kobj.h"
#include "opens.h"
#include "pids.h"
#include "sandbox.h"

#ifndef F_DUPFD_QUERY
#define F_DUPFD_QUERY 1027 /* F_LINUX_SPECIFIC_BASE + 3, Linux 6.10 */
#endif
#ifndef F_CREATED_QUERY
#define F_CREATED_QUERY 1028 /* F_LINUX_SPECIFIC_BASE + 4, Linux 6.12 */
#endif
#ifndef F_GETOWNER_UIDS
#define F_GETOWNER_UIDS 17
#endif

/* --- helpers ---------------------------------------------------------------- */

/* The sentry's copy of the fd's object: FD_VFS or FD_KERNEL, or -errno.
 * An O_PATH fd (no copy) is EBADF, as Linux answers these commands. */
static long object_of(struct task *task, int fd, int *copy)
{
	struct vfs_file *f;
	long r = task_fd_lookup(task, fd, &f, copy);
	if (r >= 0 && *copy < 0)
		return -EBADF;
	return r;
}

static long refuse(struct task *task, struct syscall_call *call, int err, const char *why)
{
	report_denial(task, call, err, why);
	return -err;
}

static long continue_call(struct syscall_call *call)
{
	call->action = CALL_CONTINUE;
	return 0;
}

/* An image file opened in place is the host's inode (read-only, through
 * the host view): a lock on it would hold back the host's own lockers, and
 * F_GETLK would show host processes. Locks on it are refused; leases are
 * the sentry's, as on every file of the sandbox. */
static long refuse_image_lock(struct task *task, struct syscall_call *call, int copy)
{
	if (!fdmap_is_host_image(copy))
		return 0;
	close(copy);
	return refuse(task, call, ENOLCK, "an image file opened in place is the host's: it is not locked from the sandbox");
}

/* A lock that blocks waits on a thread of the sentry, trying the
 * non-blocking form, so that a caller interrupted by a signal (its
 * request no longer valid) leaves no lock taken behind its back. */
struct lock_wait {
	int copy;
	struct deferred_caller caller;
	long (*try_lock)(struct lock_wait *w);
	void (*unlock)(struct lock_wait *w);
	int flock_op;
	struct flock fl;
};

static long wait_for_lock(void *arg)
{
	struct lock_wait *w = arg;
	long r;
	unsigned pause_us = 1000;
	for (;;) {
		r = w->try_lock(w);
		if (r != -EAGAIN && r != -EWOULDBLOCK)
			break;
		if (deferred_caller_gone(&w->caller)) {
			r = -EINTR;
			break;
		}
		deferred_backoff(&pause_us);
	}
	if (r == 0 && deferred_caller_gone(&w->caller)) {
		w->unlock(w); /* as Linux drops a lock whose conversion was interrupted */
		r = -EINTR;
	}
	close(w->copy);
	free(w);
	return r;
}

static long wait_in_background(struct task *task, struct syscall_call *call, struct lock_wait *w)
{
	struct lock_wait *heap = malloc(sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	*heap = *w;
	heap->caller = deferred_caller_of(task);
	long r = deferred_start(task, call, wait_for_lock, heap);
	if (r < 0)
		free(heap);
	return r;
}

/* --- flock ------------------------------------------------------------------ */

static long try_flock(struct lock_wait *w) { return flock(w->copy, w->flock_op | LOCK_NB) < 0 ? -errno : 0; }
static void undo_flock(struct lock_wait *w) { flock(w->copy, LOCK_UN); }

/* flock belongs to the open file description: the sentry takes it on its
 * copy of the object it checked. */
long sys_flock(struct task *task, struct syscall_call *call)
{
	int copy;
	long r = object_of(task, (int)call->args[0], &copy);
	if (r < 0)
		return r;
	int op = (int)call->args[1];
	if ((r = refuse_image_lock(task, call, copy)))
		return r;
	if (is_handed_over_file(copy)) {
		close(copy);
		return refuse(task, call, EACCES, "a file of the host, handed over as an fd, is not locked from the sandbox");
	}
	if ((op & ~LOCK_NB) != LOCK_UN)
		fdmap_forget_created_open(copy); /* the lock goes with the workload's last fd */
	if (op & LOCK_NB || (op & ~LOCK_NB) == LOCK_UN) {
		r = flock(copy, op) < 0 ? -errno : 0;
		close(copy);
		return r;
	}
	struct lock_wait w = { .copy = copy, .try_lock = try_flock, .unlock = undo_flock, .flock_op = op };
	r = try_flock(&w);
	if (r == -EWOULDBLOCK && (r = wait_in_background(task, call, &w)) == 0)
		return 0; /* the worker closes the copy */
	close(copy);
	return r;
}

/* --- fcntl commands ------------------------------------------------------------ */

/* F_SETFL on the copy: a handed-over file keeps the O_APPEND it came with. */
static long set_status_flags(struct task *task, struct syscall_call *call)
{
	int copy;
	long r = object_of(task, (int)call->args[0], &copy);
	if (r < 0)
		return r;
	int flags = (int)call->args[2];
	int held = fcntl(copy, F_GETFL);
	/* as Linux answers for an append-only inode */
	if (held >= 0 && (held & O_APPEND) && !(flags & O_APPEND) && is_handed_over_file(copy))
		r = refuse(task, call, EPERM, "a file of the host handed over for appending keeps O_APPEND");
	else
		r = fcntl(copy, F_SETFL, flags) < 0 ? -errno : 0;
	close(copy);
	return r;
}

/* Open file description locks: on the copy, with the struct read once. */
static long try_ofd_lock(struct lock_wait *w) { return fcntl(w->copy, F_OFD_SETLK, &w->fl) < 0 ? -errno : 0; }

static void undo_ofd_lock(struct lock_wait *w)
{
	w->fl.l_type = F_UNLCK;
	fcntl(w->copy, F_OFD_SETLK, &w->fl);
}

static long ofd_lock(struct task *task, struct syscall_call *call, int cmd)
{
	struct lock_wait w = { .try_lock = try_ofd_lock, .unlock = undo_ofd_lock };
	if (task_read_mem(task, call->args[2], &w.fl, sizeof(w.fl)) < 0)
		return -EFAULT;
	long r = object_of(task, (int)call->args[0], &w.copy);
	if (r < 0)
		return r;
	if ((r = refuse_image_lock(task, call, w.copy)))
		return r;
	if (is_handed_over_file(w.copy)) {
		close(w.copy);
		return refuse(task, call, EACCES, "a file of the host, handed over as an fd, is not locked from the sandbox");
	}
	if (cmd == F_OFD_GETLK) {
		r = fcntl(w.copy, F_OFD_GETLK, &w.fl) < 0 ? -errno : 0;
		if (r == 0 && task_write_mem(task, call->args[2], &w.fl, sizeof(w.fl)) < 0)
			r = -EFAULT;
	} else {
		if (w.fl.l_type != F_UNLCK)
			fdmap_forget_created_open(w.copy); /* the lock goes with the workload's last fd */
		r = try_ofd_lock(&w);
		if (r == -EAGAIN && cmd == F_OFD_SETLKW && (r = wait_in_background(task, call, &w)) == 0)
			return 0; /* the worker closes the copy */
	}
	close(w.copy);
	return r;
}

/* POSIX locks, leases and directory notes belong to the calling process
 * (a lease break signals the lease holder), so the kernel runs them as the
 * caller, on the number it looks up again. Refused on a handed-over file,
 * and wherever another task could put one at that number meanwhile. */
static long as_the_caller(struct task *task, struct syscall_call *call)
{
	int copy;
	long r = object_of(task, (int)call->args[0], &copy);
	if (r < 0)
		return r;
	if ((r = refuse_image_lock(task, call, copy)))
		return r;
	bool host = is_handed_over_file(copy);
	close(copy);
	if (host)
		return refuse(task, call, EACCES, "a file of the host, handed over as an fd, is not locked or leased from the sandbox");
	if (fd_swap_can_bring_host_file(task))
		return refuse(task, call, ENOLCK,
			      "record locks and leases in a process whose fd table is shared, while a host file is handed over, "
			      "are not supported (another thread could put the host file at that number)");
	/* any task can open an image file in place and dup it there */
	if (hostview_in_use() && fd_table_shared(task))
		return refuse(task, call, ENOLCK,
			      "record locks and leases in a process whose fd table is shared are not supported while image "
			      "files are opened in place (another thread could put one at that number)");
	return continue_call(call);
}

static long set_owner(struct task *task, struct syscall_call *call)
{
	pid_t owner = pid_arg(call->args[2]);
	bool reachable = owner < 0 ? pgrp_reachable(task, -owner) : pid_reachable(task, owner);
	return continue_if_reachable(task, call, reachable);
}

/* F_SETOWN_EX: the struct read once, its owner checked as F_SETOWN's,
 * set on the copy (the owner belongs to the open file description). */
static long set_owner_ex(struct task *task, struct syscall_call *call)
{
	int copy;
	long r = object_of(task, (int)call->args[0], &copy);
	if (r < 0)
		return r;
	struct f_owner_ex owner;
	bool reachable = true;
	r = 0;
	if (task_read_mem(task, call->args[2], &owner, sizeof(owner)) < 0)
		r = -EFAULT;
	else if (owner.pid <= 0)
		; /* none (0), or ESRCH from the kernel */
	else if (owner.type == F_OWNER_PGRP)
		reachable = pgrp_reachable(task, owner.pid);
	else if (owner.type == F_OWNER_TID || owner.type == F_OWNER_PID)
		reachable = pid_reachable(task, owner.pid);
	if (r == 0 && !reachable)
		r = refuse(task, call, ESRCH, "names a process outside the sandbox");
	else if (r == 0)
		r = fcntl(copy, F_SETOWN_EX, &owner) < 0 ? -errno : 0;
	close(copy);
	return r;
}

/* F_CREATED_QUERY: whether the open that made this fd created its file.
 * The workload's fd is a re-open made by the sentry, which the kernel
 * never marks created: the fd map remembers the creating open, until a
 * lock is taken through it (fdmap_forget_created_open). */
static long created_query(struct task *task, struct syscall_call *call)
{
	struct vfs_file *file;
	int copy;
	long r = task_fd_lookup(task, (int)call->args[0], &file, &copy);
	if (r < 0)
		return r;
	if (copy < 0)
		return 0; /* O_PATH: its open creates nothing */
	long kernel = fcntl(copy, F_CREATED_QUERY);
	if (kernel < 0)
		kernel = -errno; /* before Linux 6.12: EINVAL, as natively */
	if (kernel >= 0 && r == FD_VFS) {
		kernel = fdmap_created(copy);
		if (kernel == -ENOENT)
			kernel = refuse(task, call, EINVAL,
					"F_CREATED_QUERY on an open the sentry no longer tells apart: it was locked, its file "
					"lost its last name, or more created files were open than the sentry keeps track of");
	}
	close(copy);
	return kernel;
}

/* --- leases ------------------------------------------------------------------ */

/* Leases on the sandbox's own files are kept here: the kernel would count
 * the sentry's open of each file's contents as one more writer (no lease
 * could ever be granted), and the sandbox's opens are the VFS's, which
 * the kernel never sees break anything. A lease belongs to the open file
 * description it was taken on (the sentry keeps a copy) and lasts until
 * released, until no fd of the sandbox holds that description, or until
 * lease-break-time after a break. A conflicting open breaks it: the
 * owner gets the fd's F_SETSIG signal (SIGIO by default; the sentry
 * queues it, so si_code is SI_QUEUE where Linux says POLL_MSG) and the
 * open fails with EWOULDBLOCK, as Linux answers an O_NONBLOCK open. A
 * blocking open, which Linux holds until the holder gives way, is
 * refused the same way, with a line on stderr (not -q; not in --audit:
 * the VFS asks here without the call). */
struct lease {
	struct sandbox *sb;
	struct vfs_file *file; /* referenced, and counted by vfs_file_leased */
	uint64_t inode;
	int copy;              /* the sentry's copy of the open file description */
	int fd;                /* the holder's number for it (si_fd) */
	int type;              /* F_RDLCK or F_WRLCK */
	int breaking_to;       /* -1, or what a break asks for (F_RDLCK, F_UNLCK) */
	struct timespec broken_at;
	struct lease *next;
};

static struct lease *leases;

static bool same_description(int a, int b)
{
	return syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, a, b) == 0;
}

static void lease_drop(struct lease **at)
{
	struct lease *l = *at;
	*at = l->next;
	vfs_file_leased(l->file, -1);
	vfs_file_put(l->file);
	close(l->copy);
	free(l);
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static long lease_break_time(void)
{
	long seconds = 45;
	FILE *f = fopen("/proc/sys/fs/lease-break-time", "re");
	if (f && fscanf(f, "%ld", &seconds) != 1)
		seconds = 45;
	if (f)
		fclose(f);
	return seconds;
}

/* Drops the leases on inode whose description no sandbox fd holds any
 * more, or whose break has outlasted lease-break-time. */
static void prune_leases(uint64_t inode)
{
	for (struct lease **at = &leases; *at;) {
		struct lease *l = *at;
		struct open_census census;
		bool gone = l->inode == inode &&
			    ((l->breaking_to >= 0 && seconds_since(&l->broken_at) >= (double)lease_break_time()) ||
			     open_census(l->sb, l->copy, l->copy, &census) < 0 || census.self == 0);
		if (gone)
			lease_drop(at);
		else
			at = &l->next;
	}
}

static struct lease **own_lease(uint64_t inode, int copy)
{
	for (struct lease **at = &leases; *at; at = &(*at)->next)
		if ((*at)->inode == inode && same_description((*at)->copy, copy))
			return at;
	return NULL;
}

/* Only sandbox processes are signalled, through a pidfd taken before the
 * check (the owner's number may outlive its process). */
static void signal_process(struct sandbox *sb, pid_t pid, int sig, const siginfo_t *info)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return;
	if (task_is_sandbox_process(sb, pid)) {
		siginfo_t copy = *info;
		syscall(SYS_pidfd_send_signal, pidfd, sig, info->si_signo ? &copy : NULL, 0);
	}
	close(pidfd);
}

struct group_signal {
	pid_t pgid;
	int sig;
	siginfo_t info;
};

static int signal_group_member(struct task *t, void *arg)
{
	struct group_signal *g = arg;
	if (t->tid == t->tgid && getpgid(t->tgid) == g->pgid)
		signal_process(t->sandbox, t->tgid, g->sig, &g->info);
	return 0;
}

static void signal_lease_owner(const struct lease *l)
{
	int owner = fcntl(l->copy, F_GETOWN);
	int sig = fcntl(l->copy, F_GETSIG);
	if (owner == 0 || owner == -1)
		return;
	struct group_signal g = { .pgid = -owner, .sig = sig > 0 ? sig : SIGIO };
	if (sig > 0) {
		g.info.si_signo = sig;
		g.info.si_code = SI_QUEUE;
		g.info.si_band = POLLIN | POLLRDNORM | POLLMSG;
		g.info.si_fd = l->fd;
	}
	if (owner > 0)
		signal_process(l->sb, owner, g.sig, &g.info);
	else
		task_for_each(l->sb, signal_group_member, &g);
}

/* The VFS asks before an open (or truncate) of a leased file. */
static int break_leases(uint64_t inode, int flags)
{
	prune_leases(inode);
	bool want_write = (flags & O_ACCMODE) != O_RDONLY;
	struct sandbox *conflict = NULL;
	for (struct lease *l = leases; l; l = l->next) {
		if (l->inode != inode || (l->type == F_RDLCK && !want_write))
			continue;
		conflict = l->sb;
		int target = want_write ? F_UNLCK : F_RDLCK;
		if (l->breaking_to == F_UNLCK || l->breaking_to == target)
			continue; /* signalled already */
		l->breaking_to = target;
		clock_gettime(CLOCK_MONOTONIC, &l->broken_at);
		signal_lease_owner(l);
	}
	if (!conflict)
		return 0;
	if (!(flags & O_NONBLOCK) && !conflict->opts->quiet)
		sentry_log("denied: an open that breaks a lease fails with EWOULDBLOCK, as with O_NONBLOCK "
			   "(waiting for the holder to give way is not supported in the sandbox)");
	return -EWOULDBLOCK;
}

/* Linux generic_setlease and check_conflicting_open, on the sandbox's
 * opens of the file. */
static long set_lease_on(struct task *task, struct vfs_file *file, int copy, int fd, int type)
{
	struct stat st;
	vfs_fstat(file, &st);
	if (st.st_uid != task->cred.fsuid && !task_cred_capable(&task->cred, CAP_LEASE))
		return -EACCES;
	if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK)
		return -EINVAL;
	uint64_t inode = vfs_file_inode_id(file);
	prune_leases(inode);
	struct lease **own = own_lease(inode, copy);
	if (type == F_UNLCK) {
		if (!own)
			return -EAGAIN;
		lease_drop(own);
		return 0;
	}
	struct open_census census;
	long r = open_census(task->sandbox, copy, copy, &census);
	if (r < 0)
		return r;
	if (type == F_RDLCK && census.writers > 0)
		return -EAGAIN; /* its own description too, when open for writing */
	if (type == F_WRLCK && (census.others > 0 || vfs_file_being_run(file)))
		return -EAGAIN;
	for (struct lease *l = leases; l; l = l->next)
		if (l->inode == inode && (!own || l != *own) && (type == F_WRLCK || l->breaking_to == F_UNLCK))
			return -EAGAIN;
	if (own) {
		(*own)->type = type;
		if ((*own)->breaking_to == type)
			(*own)->breaking_to = -1;
		return fcntl(copy, F_SETOWN, task->tgid) < 0 ? -errno : 0;
	}
	struct lease *l = malloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	/* Linux makes the caller the owner the break signals */
	if (fcntl(copy, F_SETOWN, task->tgid) < 0) {
		free(l);
		return -errno;
	}
	*l = (struct lease){ .sb = task->sandbox, .file = file, .inode = inode, .copy = copy, .fd = fd,
			     .type = type, .breaking_to = -1, .next = leases };
	vfs_file_get(file);
	vfs_file_leased(file, 1);
	vfs_lease_set_breaker(break_leases);
	leases = l;
	return 1; /* the copy is kept */
}

/* The sandbox's regular files: the lease table. Any other object: the
 * kernel, as the caller (a handed-over host file stays refused). */
static long set_lease(struct task *task, struct syscall_call *call)
{
	int fd = (int)call->args[0];
	struct vfs_file *file;
	int copy;
	long r = task_fd_lookup(task, fd, &file, &copy);
	if (r < 0)
		return r;
	if (r != FD_VFS || copy < 0 || vfs_file_kind(file) != VFS_FILE_REGULAR || is_handed_over_file(copy)) {
		if (copy >= 0)
			close(copy);
		return as_the_caller(task, call);
	}
	r = set_lease_on(task, file, copy, fd, (int)call->args[2]);
	if (r == 1)
		return 0;
	close(copy);
	return r;
}

static long get_lease(struct task *task, struct syscall_call *call)
{
	struct vfs_file *file;
	int copy;
	long r = task_fd_lookup(task, (int)call->args[0], &file, &copy);
	if (r < 0)
		return r;
	if (r != FD_VFS || copy < 0 || vfs_file_kind(file) != VFS_FILE_REGULAR) {
		if (copy >= 0)
			close(copy);
		return continue_call(call);
	}
	uint64_t inode = vfs_file_inode_id(file);
	prune_leases(inode);
	struct lease **own = own_lease(inode, copy);
	close(copy);
	if (!own)
		return F_UNLCK;
	return (*own)->breaking_to >= 0 ? (*own)->breaking_to : (*own)->type;
}

enum how {
	KERNEL,      /* the kernel runs it on whatever the number names: no
			object of the host is changed through it */
	HANDLER,     /* the row's handler answers */
	REFUSED,     /* denied with EINVAL and the row's reason */
};

struct fcntl_command {
	int cmd;
	enum how how;
	long (*handler)(struct task *task, struct syscall_call *call);
	const char *why;
};

static const struct fcntl_command fcntl_commands[] = {
	{ F_DUPFD, KERNEL, NULL, "a new number for the same object gives no more than the fd" },
	{ F_DUPFD_CLOEXEC, KERNEL, NULL, "as F_DUPFD" },
	{ F_DUPFD_QUERY, KERNEL, NULL, "compares two of the caller's fds" },
	{ F_GETFD, KERNEL, NULL, "the caller's own close-on-exec flag" },
	{ F_SETFD, KERNEL, NULL, "the caller's own close-on-exec flag" },
	{ F_GETFL, KERNEL, NULL, "reads the status flags" },
	{ F_SETFL, HANDLER, set_status_flags, "on the copy; a handed-over file keeps O_APPEND" },
	{ F_GETOWN, KERNEL, NULL, "reads the owner" },
	{ F_GETOWN_EX, KERNEL, NULL, "reads the owner" },
	{ F_GETOWNER_UIDS, KERNEL, NULL, "reads the owner's ids" },
	{ F_SETOWN, HANDLER, set_owner, "the owner must be a task or group of the sandbox" },
	{ F_SETOWN_EX, HANDLER, set_owner_ex, "the owner, read once, must be a task or group of the sandbox; on the copy" },
	{ F_GETSIG, KERNEL, NULL, "reads the signal sent to the owner" },
	{ F_SETSIG, KERNEL, NULL, "the signal goes to the owner, which F_SETOWN checked" },
	{ F_GETLK, HANDLER, as_the_caller, "POSIX locks belong to the process" },
	{ F_SETLK, HANDLER, as_the_caller, "POSIX locks belong to the process" },
	{ F_SETLKW, HANDLER, as_the_caller, "POSIX locks belong to the process" },
	{ F_OFD_GETLK, HANDLER, NULL, "open file description locks, on the copy" },
	{ F_OFD_SETLK, HANDLER, NULL, "open file description locks, on the copy" },
	{ F_OFD_SETLKW, HANDLER, NULL, "open file description locks, on the copy" },
	{ F_GETLEASE, HANDLER, get_lease, "the sandbox's files: the lease the sentry keeps for the open file description" },
	{ F_SETLEASE, HANDLER, set_lease, "the sandbox's files: kept by the sentry, broken by the opens it serves" },
	{ F_NOTIFY, HANDLER, dnotify_set, "the sentry signals the owner when the sandbox changes the folder" },
	{ F_GETPIPE_SZ, KERNEL, NULL, "the size of a pipe, within the caller's limits" },
	{ F_SETPIPE_SZ, KERNEL, NULL, "the size of a pipe, within the caller's limits" },
	{ F_ADD_SEALS, KERNEL, NULL, "seals apply to memfds only; a host file on tmpfs comes sealed against more seals" },
	{ F_GET_SEALS, KERNEL, NULL, "reads a memfd's seals" },
	{ F_CREATED_QUERY, HANDLER, created_query, "whether the fd's open created its file, as the sentry made it" },
};

long sys_fcntl(struct task *task, struct syscall_call *call)
{
	int fd = (int)call->args[0];
	int cmd = (int)call->args[1];
	if (fd_is_reserved(task, fd))
		return -EBADF;
	for (size_t i = 0; i < sizeof(fcntl_commands) / sizeof(fcntl_commands[0]); i++) {
		const struct fcntl_command *c = &fcntl_commands[i];
		if (c->cmd != cmd)
			continue;
		switch (c->how) {
		case KERNEL:
			return continue_call(call);
		case REFUSED:
			return refuse(task, call, EINVAL, c->why);
		case HANDLER:
			return c->handler ? c->handler(task, call) : ofd_lock(task, call, cmd);
		}
	}
	int copy;
	long r = object_of(task, fd, &copy);
	if (copy >= 0)
		close(copy);
	if (r == -EBADF)
		return r; /* Linux looks the fd up first */
	return refuse(task, call, EINVAL, "this fcntl command is not supported in the sandbox");
}
