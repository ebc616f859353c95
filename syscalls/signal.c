/* Signals may only reach tasks of the sandbox. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "dispatch.h"
#include "fdmap.h"
#include "pids.h"
#include "pinned.h"

/* The sandbox's tasks all run as the sentry's host user; their ids are
 * the emulated ones, so the kernel cannot refuse a signal between them and
 * the sentry does, as Linux's kill_ok_by_cred: the sender's real or
 * effective uid must be the target's real or saved uid, or the sender
 * holds CAP_KILL; SIGCONT within one session is always allowed. */
static bool may_signal(const struct task *sender, const struct task *target, int sig)
{
	if (sender->tgid == target->tgid)
		return true;
	const struct task_cred *s = &sender->cred, *t = &target->cred;
	if (s->euid == t->suid || s->euid == t->ruid || s->ruid == t->suid || s->ruid == t->ruid)
		return true;
	if (task_cred_capable(s, CAP_KILL))
		return true;
	pid_t session = getsid(sender->tgid);
	return sig == SIGCONT && session >= 0 && session == getsid(target->tgid);
}

static bool valid_signal(int sig)
{
	return sig >= 0 && sig <= SIGRTMAX;
}

/* The kernel finds the target, then checks the signal number, then the
 * permission: only a valid signal to a found target is refused here. */
static bool signal_refused(const struct task *sender, const struct task *target, int sig)
{
	return target && valid_signal(sig) && !may_signal(sender, target, sig);
}

struct kill_all {
	struct task *caller;
	int sig;
	int sent;
	int refused;
};

static int kill_other_process(struct task *t, void *arg)
{
	struct kill_all *k = arg;
	if (t->tid != t->tgid || t->tgid == k->caller->tgid)
		return 0;
	if (!may_signal(k->caller, t, k->sig))
		k->refused++;
	else if (kill(t->tgid, k->sig) == 0)
		k->sent++;
	return 0;
}

/* kill(-1) means every process the caller may signal: inside, that is
 * every other sandbox process. The sentry sends them itself. As Linux, a
 * process the caller may not signal counts as found, not as a failure. */
static long kill_every_process(struct task *task, int sig)
{
	if (!valid_signal(sig))
		return -EINVAL;
	struct kill_all k = { task, sig, 0, 0 };
	task_for_each(task->sandbox, kill_other_process, &k);
	return k.sent || k.refused ? 0 : -ESRCH;
}

struct pgrp_check {
	struct task *caller;
	pid_t pgid;
	int sig;
	int allowed;
	int refused;
};

static int check_pgrp_member(struct task *t, void *arg)
{
	struct pgrp_check *c = arg;
	if (t->tid != t->tgid || getpgid(t->tgid) != c->pgid)
		return 0;
	if (may_signal(c->caller, t, c->sig))
		c->allowed++;
	else
		c->refused++;
	return 0;
}

/* A signal to a process group reaches the members the sender may signal
 * and fails with EPERM when it may signal none. One call sent by the
 * kernel cannot leave some members out, so a group of both is refused
 * with a line. Returns 0 when the call may go on. */
static long pgrp_refusal(struct task *task, struct syscall_call *call, pid_t pgid, int sig)
{
	if (!valid_signal(sig) || pgid <= 0)
		return 0;
	struct pgrp_check c = { task, pgid, sig, 0, 0 };
	task_for_each(task->sandbox, check_pgrp_member, &c);
	if (!c.refused)
		return 0;
	if (c.allowed) {
		report_denial(task, call, EPERM,
		              "the process group holds processes this sender may and may not signal");
	}
	return -EPERM;
}

/* Why a checked signal is sent at once (run_pinned) and not let through:
 * the kernel looks the pid up only when it runs the call. Let through
 * (answered "continue" on user-notify, resumed on ptrace), the call runs
 * while the sentry's loop goes on; the loop may collect the target's exit
 * meanwhile, its sandbox parent reap it (wait4 is not the sentry's), and
 * the freed pid go to a host process before the late call finds it. A pid
 * is freed only when its task is released, and a traced zombie is the
 * tracer's to collect before its parent sees it; an exited thread is
 * released by that collection. So nothing the check found can be freed
 * while the sentry collects nothing: run_pinned makes the call run to its
 * end before the loop goes on. The receiver sees the caller as the sender
 * (si_pid, si_uid, si_code), as natively, which a send from the sentry's
 * own pidfd of the target would not give.
 *
 * Calls that can only reach the caller's own process need no pinning: it
 * is alive while it makes the call. Its own group (pid 0) cannot be freed
 * while the caller is in it. */
static bool own_process(const struct task *caller, pid_t pid)
{
	return pid == 0 || pid == caller->tgid || pid == caller->tid;
}

/* An exec by a thread other than the leader frees that thread's tid in
 * the kernel, before the sentry hears of the exec: treated as gone. */
static bool tid_may_vanish(const struct task *t)
{
	return t->exec_in_progress && t->tid != t->tgid;
}

/* A target the sentry no longer has a task for: a zombie that its sandbox
 * parent has not reaped is still signalled by Linux, with no effect. */
static long signal_zombie(int sig)
{
	return sig < 0 || sig > SIGRTMAX ? -EINVAL : 0;
}

long sys_kill(struct task *task, struct syscall_call *call)
{
	pid_t pid = pid_arg(call->args[0]);
	int sig = (int)call->args[1];
	if (pid == INT_MIN)
		return continue_if_reachable(task, call, true); /* ESRCH from the kernel */
	if (pid == -1)
		return kill_every_process(task, sig);
	pid_t own_pgid = getpgid(task->tgid);
	long refused = pid == 0 ? pgrp_refusal(task, call, own_pgid, sig) : 0;
	if (refused)
		return refused;
	if (own_process(task, pid))
		return continue_if_reachable(task, call, true);
	if (pid < 0 && pgrp_reachable(task, -pid) && (refused = pgrp_refusal(task, call, -pid, sig)))
		return refused;
	if (pid < 0 && own_pgid == -pid)
		return run_pinned_own(task, call, 0);
	if (pid < 0)
		return pgrp_reachable(task, -pid) ? run_pinned(task, call) : continue_if_reachable(task, call, false);
	struct task *target = task_find(task->sandbox, pid);
	if (target && tid_may_vanish(target))
		return -ESRCH;
	if (signal_refused(task, target, sig))
		return -EPERM;
	if (target && target->tgid == task->tgid)
		return run_pinned_own(task, call, task->tgid);
	if (target)
		return run_pinned(task, call);
	if (sandbox_zombie(task->sandbox, pid))
		return signal_zombie(sig);
	return continue_if_reachable(task, call, false);
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
	bool reachable = target && (tgid == -1 || target->tgid == tgid);
	if (reachable && (exited_thread(target) || tid_may_vanish(target)))
		return -ESRCH;
	/* the kernel checks that tid is a thread of tgid: of the caller's own
	 * process, it can reach nothing else */
	if (tid == task->tid || tgid == task->tgid)
		return continue_if_reachable(task, call, true);
	if (reachable && signal_refused(task, target, (int)call->args[tgid == -1 ? 1 : 2]))
		return -EPERM;
	if (reachable && target->tgid == task->tgid && call_can_be_changed(task)) {
		/* tkill of a thread of the caller's process, as tgkill names it
		 * (see run_pinned_own) */
		uint64_t sig = call->args[1];
		call->nr = SYS_tgkill;
		call->args[0] = (uint64_t)(uint32_t)task->tgid;
		call->args[1] = (uint64_t)(uint32_t)tid;
		call->args[2] = sig;
		call->action = CALL_CONTINUE_CHANGED;
		return 0;
	}
	return reachable ? run_pinned(task, call) : continue_if_reachable(task, call, false);
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

/* Only the caller may send itself a siginfo that claims to come from
 * kill() or the kernel. */
static long queue_to_zombie(struct task *task, uint64_t addr, int sig)
{
	siginfo_t info;
	if (task_read_mem(task, addr, &info, sizeof(info)) != sizeof(info))
		return -EFAULT;
	if (info.si_code >= 0 || info.si_code == SI_TKILL)
		return -EPERM;
	return signal_zombie(sig);
}

long sys_rt_sigqueueinfo(struct task *task, struct syscall_call *call)
{
	if (!siginfo_readable(task, call->args[2]))
		return -EFAULT;
	pid_t pid = pid_arg(call->args[0]);
	if (pid <= 0 || own_process(task, pid))
		return continue_if_reachable(task, call, true); /* the kernel's answer */
	struct task *target = task_find(task->sandbox, pid);
	if (target && tid_may_vanish(target))
		return -ESRCH;
	if (signal_refused(task, target, (int)call->args[1]))
		return -EPERM;
	if (target)
		return run_pinned(task, call);
	if (sandbox_zombie(task->sandbox, pid))
		return queue_to_zombie(task, call->args[2], (int)call->args[1]);
	return continue_if_reachable(task, call, false);
}

long sys_rt_tgsigqueueinfo(struct task *task, struct syscall_call *call)
{
	if (!siginfo_readable(task, call->args[3]))
		return -EFAULT;
	return sys_tgkill(task, call);
}

/* The pidfd is made by the kernel from the pid when the call runs. */
long sys_pidfd_open(struct task *task, struct syscall_call *call)
{
	pid_t pid = pid_arg(call->args[0]);
	if (pid <= 0 || own_process(task, pid))
		return continue_if_reachable(task, call, true);
	struct task *target = task_find(task->sandbox, pid);
	if (target && tid_may_vanish(target))
		return -ESRCH;
	return target ? run_pinned(task, call) : continue_if_reachable(task, call, false);
}

/* The pid a pidfd names, from its fdinfo; 0 when it names none (its
 * process is gone: "Pid: -1"). */
static pid_t pidfd_pid(int pidfd)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	pid_t pid = 0;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Pid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid > 0 ? pid : 0;
}

/* A pidfd (made by pidfd_open, which names only sandbox tasks) or, as
 * Linux takes it, an open /proc/<pid> folder. The emulated ids are checked
 * as kill's are; the signal goes on the sentry's copy of the pidfd (or a
 * pidfd it opens for the folder's process), so another thread putting
 * another fd at the number changes nothing. The caller's own process gets
 * the kernel's call unchanged. */
long sys_pidfd_send_signal(struct task *task, struct syscall_call *call)
{
	int sig = (int)call->args[1];
	unsigned flags = (unsigned)call->args[3];
	struct vfs_file *file;
	int copy = -1;
	long kind = task_fd_lookup(task, (int)call->args[0], &file, &copy);
	if (kind < 0)
		return kind;
	pid_t pid = 0;
	if (kind == FD_VFS)
		pid = vfs_proc_dir_pid(file);
	else if (copy >= 0)
		pid = pidfd_pid(copy);
	if (copy >= 0)
		close(copy);
	if (pid == 0 && kind == FD_VFS)
		return -EBADF; /* a file, not a process */
	if (pid == 0 || (kind == FD_KERNEL && pid == task->tgid)) {
		/* not a pidfd (EBADF), its process gone (ESRCH), or the caller's own */
		call->action = CALL_CONTINUE;
		return 0;
	}
	if (flags != 0) {
		/* PIDFD_SIGNAL_PROCESS_GROUP would need every member checked */
		report_denial(task, call, EINVAL, "pidfd_send_signal flags to another process are not supported");
		return -EINVAL;
	}
	if (!valid_signal(sig))
		return -EINVAL;
	struct task *target = task_find(task->sandbox, pid);
	if (!target || target->tid != target->tgid)
		return sandbox_zombie(task->sandbox, pid) ? signal_zombie(sig) : -ESRCH;
	if (signal_refused(task, target, sig))
		return -EPERM;
	if (target->tgid == task->tgid && !call->args[2])
		return signal_own_process(task, sig); /* an open /proc/self folder */
	siginfo_t info, *infop = NULL;
	if (call->args[2]) {
		if (task_read_mem(task, call->args[2], &info, sizeof(info)) < 0)
			return -EFAULT;
		infop = &info;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, target->tgid, 0);
	if (pidfd < 0)
		return -ESRCH;
	long r = syscall(SYS_pidfd_send_signal, pidfd, sig, infop, 0) < 0 ? -errno : 0;
	close(pidfd);
	return r;
}
