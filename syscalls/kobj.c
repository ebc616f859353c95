/* Calls that make kernel objects of the kinds a workload fd may be (pipes,
 * socketpairs, eventfds, epoll, timerfds, signalfds, anonymous memfds):
 * their arguments are plain values or buffers the kernel only fills, so
 * the kernel makes them. timerfd_settime and timerfd_gettime act on
 * whatever timerfd the number names at the time: no object the sentry
 * checked, and no timerfd is the host's. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dispatch.h"
#include "kobj.h"
#include "sandbox.h"

#define KERNEL_MAKES_IT(name)                                           \
	long sys_##name(struct task *task, struct syscall_call *call)   \
	{                                                               \
		call->action = CALL_CONTINUE;                           \
		return 0;                                               \
	}

KERNEL_MAKES_IT(pipe)
KERNEL_MAKES_IT(pipe2)
KERNEL_MAKES_IT(eventfd)
KERNEL_MAKES_IT(eventfd2)
KERNEL_MAKES_IT(epoll_create)
KERNEL_MAKES_IT(epoll_create1)
KERNEL_MAKES_IT(timerfd_create)
KERNEL_MAKES_IT(timerfd_settime)
KERNEL_MAKES_IT(timerfd_gettime)
KERNEL_MAKES_IT(signalfd)
KERNEL_MAKES_IT(signalfd4)
KERNEL_MAKES_IT(memfd_create)

/* The sentry's stdio are the workload's inherited stdio: the only host
 * files a workload fd can be. Pipes, sockets and devices are left out:
 * locks and leases matter on files. */
static bool stdio_file(int stdio_fd, struct stat *st)
{
	return fstat(stdio_fd, st) == 0 && (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode));
}

bool is_handed_over_file(int host_fd)
{
	struct stat obj, st;
	if (host_fd < 0 || fstat(host_fd, &obj) < 0)
		return false;
	for (int fd = 0; fd <= 2; fd++)
		if (stdio_file(fd, &st) && st.st_dev == obj.st_dev && st.st_ino == obj.st_ino)
			return true;
	return false;
}

struct shared_table {
	struct task *caller;
	bool shared;
};

static int shares_table(struct task *t, void *arg)
{
	struct shared_table *s = arg;
	if (t->tid == s->caller->tid)
		return 0;
	/* 0: the same table; a failed comparison counts as shared, except
	 * for a task that is gone */
	long order = syscall(SYS_kcmp, s->caller->tid, t->tid, KCMP_FILES, 0, 0);
	if (order == 0 || (order < 0 && errno != ESRCH))
		s->shared = true;
	return s->shared;
}

bool fd_table_shared(struct task *task)
{
	struct shared_table s = { task, false };
	task_for_each(task->sandbox, shares_table, &s);
	return s.shared;
}

bool fd_swap_can_bring_host_file(struct task *task)
{
	struct stat st;
	bool host_file = false;
	for (int fd = 0; fd <= 2; fd++)
		host_file |= stdio_file(fd, &st);
	return host_file && fd_table_shared(task);
}
