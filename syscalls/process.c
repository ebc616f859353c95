/* Process calls: clone's flags, the calls that name a pid, a process
 * group or a user, and the machine's name. */
#include <errno.h>
#include <linux/sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dispatch.h"
#include "filter.h"
#include "reslimits.h"
#include "pids.h"
#include "sandbox.h"

/* The host's, but for the node name: the sandbox's host name, which
 * /proc/sys/kernel/hostname and gethostname show too. */
long sys_uname(struct task *task, struct syscall_call *call)
{
	struct utsname u;
	if (uname(&u) < 0)
		return -errno;
	snprintf(u.nodename, sizeof(u.nodename), "%s", task->sandbox->opts->hostname);
	return task_write_mem(task, call->args[0], &u, sizeof(u)) < 0 ? -EFAULT : 0;
}

/* Clones with forbidden flags come here, and every clone under --pids-limit;
 * the filter runs the rest. */
long sys_clone(struct task *task, struct syscall_call *call)
{
	uint32_t flags = (uint32_t)call->args[0];
	if (flags & CLONE_FORBIDDEN_FLAGS) {
		report_denial(task, call, EPERM,
			      flags & CLONE_UNTRACED ? "CLONE_UNTRACED would hide a task from the sentry"
						     : "new namespaces are not allowed in the sandbox");
		return -EPERM;
	}
	long r = limits_new_task(task, call);
	if (r < 0)
		return r;
	call->action = CALL_CONTINUE;
	return 0;
}

/* Here only under --pids-limit, which counts them: else the filter runs them. */
long sys_fork(struct task *task, struct syscall_call *call)
{
	long r = limits_new_task(task, call);
	if (r < 0)
		return r;
	call->action = CALL_CONTINUE;
	return 0;
}

long sys_vfork(struct task *task, struct syscall_call *call) { return sys_fork(task, call); }

/* The calls whose first argument is a pid or tid (0 for the caller). A
 * negative pid names nobody in these calls: the kernel gives its errno. */
#define PID_ARG0_HANDLER(name)                                                          \
	long sys_##name(struct task *task, struct syscall_call *call)                   \
	{                                                                               \
		pid_t pid = pid_arg(call->args[0]);                                     \
		return continue_if_reachable(task, call, pid < 0 || pid_reachable(task, pid)); \
	}

PID_ARG0_HANDLER(sched_setparam)
PID_ARG0_HANDLER(sched_getparam)
PID_ARG0_HANDLER(sched_setscheduler)
PID_ARG0_HANDLER(sched_getscheduler)
PID_ARG0_HANDLER(sched_setaffinity)
PID_ARG0_HANDLER(sched_getaffinity)
PID_ARG0_HANDLER(sched_rr_get_interval)
PID_ARG0_HANDLER(sched_setattr)
PID_ARG0_HANDLER(sched_getattr)
PID_ARG0_HANDLER(get_robust_list)
PID_ARG0_HANDLER(migrate_pages)
PID_ARG0_HANDLER(move_pages)

/* Answered by the sentry itself: the value is the kernel's, asked for the
 * caller's own tid, so no round trip back into the kernel is needed. */
static long answer_for_target(struct task *task, struct syscall_call *call, pid_t (*query)(pid_t))
{
	pid_t pid = pid_arg(call->args[0]);
	if (pid < 0)
		return -ESRCH;
	if (!pid_reachable(task, pid)) {
		report_denial(task, call, ESRCH, "names a process outside the sandbox");
		return -ESRCH;
	}
	pid_t r = query(pid ? pid : task->tid);
	return r < 0 ? -errno : r;
}

long sys_getpgid(struct task *task, struct syscall_call *call) { return answer_for_target(task, call, getpgid); }
long sys_getsid(struct task *task, struct syscall_call *call) { return answer_for_target(task, call, getsid); }

long sys_setpgid(struct task *task, struct syscall_call *call)
{
	pid_t pid = pid_arg(call->args[0]);
	pid_t pgid = pid_arg(call->args[1]);
	if (pid < 0 || pgid < 0)
		return -EINVAL;
	pid_t target = pid ? pid : task->tgid;
	/* joining a group: its own new one, or one the sandbox already has */
	bool group_ok = pgid == 0 || pgid == target || pgrp_reachable(task, pgid);
	return continue_if_reachable(task, call, pid_reachable(task, pid) && group_ok);
}

/* which/who pairs of {get,set}priority and ioprio_{get,set}. */
static long priority_target(struct task *task, struct syscall_call *call, int which, int process, int pgrp,
			    int user)
{
	pid_t who = pid_arg(call->args[1]);
	if (who < 0) {
		call->action = CALL_CONTINUE; /* names nobody: the kernel's errno */
		return 0;
	}
	if (which == process)
		return continue_if_reachable(task, call, pid_reachable(task, who));
	if (which == pgrp)
		return continue_if_reachable(task, call, pgrp_reachable(task, who));
	if (which == user) {
		report_denial(task, call, EPERM, "a whole user's processes reach outside the sandbox");
		return -EPERM;
	}
	call->action = CALL_CONTINUE; /* EINVAL from the kernel */
	return 0;
}

long sys_setpriority(struct task *task, struct syscall_call *call)
{
	return priority_target(task, call, (int)call->args[0], PRIO_PROCESS, PRIO_PGRP, PRIO_USER);
}

long sys_getpriority(struct task *task, struct syscall_call *call)
{
	return priority_target(task, call, (int)call->args[0], PRIO_PROCESS, PRIO_PGRP, PRIO_USER);
}

enum { IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER };

long sys_ioprio_set(struct task *task, struct syscall_call *call)
{
	return priority_target(task, call, (int)call->args[0], IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER);
}

long sys_ioprio_get(struct task *task, struct syscall_call *call)
{
	return priority_target(task, call, (int)call->args[0], IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER);
}
