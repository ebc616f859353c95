/* Signals may only reach tasks of the sandbox. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
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

/* A thread that has exited stays a zombie until the sentry, its tracer,
 * collects it; natively it would be gone at once, and a signal to it
 * fails with ESRCH. */
static bool exited_thread(const struct task *t)
{
	if (t->tid == t->tgid)
		return false; /* a process leader is signalled until reaped */
	char path[64], stat[256];
	snprintf(path, sizeof(path), "/proc/%d/stat", t->tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return true;
	bool gone = !fgets(stat, sizeof(stat), f);
	fclose(f);
	const char *state = gone ? NULL : strrchr(stat, ')');
	return !state || state[2] == 'Z' || state[2] == 'X';
}

static long signal_thread(struct task *task, struct syscall_call *call, pid_t tgid, pid_t tid)
{
	if (tid <= 0 || tgid == 0 || tgid < -1)
		return continue_if_reachable(task, call, true); /* EINVAL from the kernel */
	struct task *target = task_find(task->sandbox, tid);
	if (target && (tgid == -1 || target->tgid == tgid) && exited_thread(target))
		return -ESRCH;
	return continue_if_reachable(task, call, target && (tgid == -1 || target->tgid == tgid));
}

long sys_tkill(struct task *task, struct syscall_call *call)
{
	return signal_thread(task, call, -1, pid_arg(call->args[0]));
}

long sys_tgkill(struct task *task, struct syscall_call *call)
{
	pid_t tgid = pid_arg(call->args[0]);
	return signal_thread(task, call, tgid <= 0 ? 0 : tgid, pid_arg(call->args[1]));
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
