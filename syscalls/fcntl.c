#define _GNU_SOURCE
/* fcntl and flock: the commands on an open file. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>

#include "dispatch.h"
#include "fdinstall.h"
#include "pids.h"
#include "sandbox.h"

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

long sys_flock(struct task *task, struct syscall_call *call)
{
	if (fd_is_reserved(task, (int)call->args[0]))
		return -EBADF;
	call->action = CALL_CONTINUE;
	return 0;
}
