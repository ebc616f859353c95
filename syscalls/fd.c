#define _GNU_SOURCE
/* Calls on file descriptors. */
#include <stdbool.h>
#include <errno.h>

#include <fcntl.h>

#include "dispatch.h"
#include "fdinstall.h"
#include "sandbox.h"

/* The reserved fds look closed to the workload. */
static long bad_if_reserved(struct task *task, struct syscall_call *call, int fd)
{
	if (fd_is_reserved(task, fd))
		return -EBADF;
	call->action = CALL_CONTINUE;
	return 0;
}

long sys_close(struct task *task, struct syscall_call *call)
{
	return bad_if_reserved(task, call, (int)call->args[0]);
}

long sys_dup(struct task *task, struct syscall_call *call)
{
	return bad_if_reserved(task, call, (int)call->args[0]);
}

long sys_dup2(struct task *task, struct syscall_call *call)
{
	int oldfd = (int)call->args[0], newfd = (int)call->args[1];
	if (fd_is_reserved(task, newfd))
		return -EBADF; /* beyond what the workload may use */
	return bad_if_reserved(task, call, oldfd);
}

long sys_dup3(struct task *task, struct syscall_call *call) { return sys_dup2(task, call); }

/* close_range is a trace stop: the range is cut below the reserved fds,
 * which are the two highest numbers the workload can have. */
long sys_close_range(struct task *task, struct syscall_call *call)
{
	unsigned first = (unsigned)call->args[0], last = (unsigned)call->args[1];
	unsigned lowest_reserved = (unsigned)task->sandbox->fd_loader;
	if (first > last || last < lowest_reserved) {
		call->action = CALL_CONTINUE; /* EINVAL, or nothing reserved in range */
		return 0;
	}
	if (first >= lowest_reserved)
		return 0;
	call->args[1] = lowest_reserved - 1;
	call->action = CALL_CONTINUE_CHANGED;
	return 0;
}
