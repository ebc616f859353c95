/* Signals may only reach tasks of the sandbox. */
#include <errno.h>
#include <limits.h>
#include <signal.h>

#include "dispatch.h"
#include "pids.h"

struct kill_all {
	pid_t caller_tgid;
	int sig;
	int sent;
};

static int kill_other_process(struct task *t, void *arg)
{
	struct kill_all *k = arg;
	if (t->tid == t->tgid && t->tgid != k->caller_tgid && kill(t->tgid, k->sig) == 0)
		k->sent++;
	return 0;
}

/* kill(-1) means every process the caller may signal: inside, that is
 * every other sandbox process. The sentry sends them itself. */
static long kill_every_process(struct task *task, int sig)
{
	if (sig < 0 || sig > SIGRTMAX)
		return -EINVAL;
	struct kill_all k = { task->tgid, sig, 0 };
	task_for_each(task->sandbox, kill_other_process, &k);
	return k.sent ? 0 : -ESRCH;
}

long sys_kill(struct task *task, struct syscall_call *call)
{
	pid_t pid = pid_arg(call->args[0]);
	if (pid == INT_MIN)
		return continue_if_reachable(task, call, true); /* ESRCH from the kernel */
	if (pid == -1)
		return kill_every_process(task, (int)call->args[1]);
	if (pid <= 0)
		return continue_if_reachable(task, call, pgrp_reachable(task, -pid));
	return continue_if_reachable(task, call, pid_reachable(task, pid));
}

long sys_tkill(struct task *task, struct syscall_call *call)
{
	pid_t tid = pid_arg(call->args[0]);
	/* tid <= 0 is EINVAL from the kernel, which reaches nobody */
	return continue_if_reachable(task, call, tid <= 0 || pid_reachable(task, tid));
}

long sys_tgkill(struct task *task, struct syscall_call *call)
{
	pid_t tgid = pid_arg(call->args[0]);
	pid_t tid = pid_arg(call->args[1]);
	if (tgid <= 0 || tid <= 0)
		return continue_if_reachable(task, call, true);
	struct task *target = task_find(task->sandbox, tid);
	return continue_if_reachable(task, call, target && target->tgid == tgid);
}

/* Linux copies the siginfo in before it looks for the target. */
static bool siginfo_readable(struct task *task, uint64_t addr)
{
	siginfo_t info;
	return task_read_mem(task, addr, &info, sizeof(info)) == sizeof(info);
}

long sys_rt_sigqueueinfo(struct task *task, struct syscall_call *call)
{
	if (!siginfo_readable(task, call->args[2]))
		return -EFAULT;
	pid_t pid = pid_arg(call->args[0]);
	return continue_if_reachable(task, call, pid <= 0 || pid_reachable(task, pid));
}

long sys_rt_tgsigqueueinfo(struct task *task, struct syscall_call *call)
{
	if (!siginfo_readable(task, call->args[3]))
		return -EFAULT;
	return sys_tgkill(task, call);
}

long sys_pidfd_open(struct task *task, struct syscall_call *call)
{
	pid_t pid = pid_arg(call->args[0]);
	return continue_if_reachable(task, call, pid <= 0 || pid_reachable(task, pid));
}
