#define _GNU_SOURCE
/* Calls on file descriptors. */
#include <stdbool.h>
#include <errno.h>
#include <sys/ioctl.h>

#include <fcntl.h>

#include "dispatch.h"
#include "fdinstall.h"
#include "pids.h"
#include "sandbox.h"

/* Terminal ioctls that push input into a terminal other programs read. */
static bool injects_terminal_input(uint32_t cmd) { return cmd == TIOCSTI || cmd == TIOCLINUX; }

long sys_ioctl(struct task *task, struct syscall_call *call)
{
	uint32_t cmd = (uint32_t)call->args[1]; /* the kernel reads an unsigned int */
	if (injects_terminal_input(cmd)) {
		report_denial(task, call, EPERM, "injecting terminal input is not allowed");
		return -EPERM;
	}
	/* Every fd the workload holds is a kind whose ioctls are its own. */
	call->action = CALL_CONTINUE;
	return 0;
}

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

long sys_fcntl(struct task *task, struct syscall_call *call)
{
	int fd = (int)call->args[0];
	int cmd = (int)call->args[1];
	if (fd_is_reserved(task, fd))
		return -EBADF;
	if (cmd == F_SETOWN) {
		pid_t owner = pid_arg(call->args[2]);
		bool reachable = owner < 0 ? pgrp_reachable(task, -owner) : pid_reachable(task, owner);
		return continue_if_reachable(task, call, reachable);
	}
	if (cmd == F_SETOWN_EX) {
		/* struct f_owner_ex lies behind a pointer the workload could
		 * rewrite after a check; refuse rather than race. */
		report_denial(task, call, EINVAL, "F_SETOWN_EX is not supported in the sandbox; use F_SETOWN");
		return -EINVAL;
	}
	call->action = CALL_CONTINUE;
	return 0;
}
