/* Task lifecycle through ptrace: every task of the sandbox is traced with
 * PTRACE_O_EXITKILL, so the workload cannot outlive the sentry. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "control.h"
#include "ask.h"
#include "deferred.h"
#include "dispatch.h"
#include "hold.h"
#include "reslimits.h"
#include "platform.h"

static void resume(pid_t tid, int sig)
{
	/* ESRCH: the task was killed meanwhile; its exit is reported later. */
	if (ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
		sentry_fatal("cannot resume task %d: %s", tid, strerror(errno));
}

void lifecycle_answer(struct sandbox *sb, struct task *task, struct arch_regs *regs, long ret)
{
	(void)sb;
	if (arch_skip_syscall(task->tid, regs, ret) < 0 && errno != ESRCH)
		sentry_fatal("cannot answer a call of task %d: %s", task->tid, strerror(errno));
	resume(task->tid, 0);
}

/* A skipped call is not restarted by the kernel (its number is -1 at the
 * exit), so it is run to its syscall-exit, where it gets its number back
 * and -ERESTARTSYS: the signal's delivery then restarts it or makes it
 * EINTR as SA_RESTART says, and with no signal left it restarts. */
void lifecycle_interrupted(struct task *task, struct arch_regs *regs, long nr)
{
	if (task->deferred_at_exit) {
		/* regs are the call's own, from its seccomp stop */
		if (arch_restart_at_exit(task->tid, regs, nr) < 0 && errno != ESRCH)
			sentry_fatal("cannot restart a call of task %d: %s", task->tid, strerror(errno));
		resume(task->tid, 0);
		return;
	}
	if (arch_skip_syscall(task->tid, regs, -EINTR) < 0 && errno != ESRCH)
		sentry_fatal("cannot answer a call of task %d: %s", task->tid, strerror(errno));
	task->restart_at_exit = nr + 1;
	if (ptrace(PTRACE_SYSCALL, task->tid, 0, 0) < 0 && errno != ESRCH)
		sentry_fatal("cannot resume task %d: %s", task->tid, strerror(errno));
}

static void restart_at_exit(struct task *task)
{
	long nr = task->restart_at_exit - 1;
	task->restart_at_exit = 0;
	struct arch_regs *regs = arch_regs_alloc();
	if (!regs)
		sentry_fatal("out of memory");
	if (arch_regs_get(task->tid, regs) == 0 && arch_restart_at_exit(task->tid, regs, nr) < 0 && errno != ESRCH)
		sentry_fatal("cannot restart a call of task %d: %s", task->tid, strerror(errno));
	arch_regs_free(regs);
}

/* A tid we have not heard of: a new task whose first stop came before its
 * parent's clone event. The kernel knows its thread group and parent. */
static struct task *adopt_unknown(struct sandbox *sb, pid_t tid)
{
	char path[64], line[256];
	pid_t tgid = tid, ppid = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "Tgid: %d", &tgid);
			sscanf(line, "PPid: %d", &ppid);
		}
		fclose(f);
	}
	return task_add(sb, tid, tgid, ppid);
}

static uint64_t clone_flags_of(pid_t parent_tid, int event)
{
	if (event == PTRACE_EVENT_FORK)
		return 0;
	if (event == PTRACE_EVENT_VFORK)
		return CLONE_VM | CLONE_VFORK;
	struct arch_regs *regs = arch_regs_alloc();
	uint64_t args[6] = { 0 };
	if (!regs || arch_regs_get(parent_tid, regs) < 0)
		sentry_fatal("cannot read the registers of task %d at clone", parent_tid);
	arch_regs_syscall_args(regs, args);
	arch_regs_free(regs);
	return arch_clone_flags(args);
}

static void on_clone_event(struct sandbox *sb, struct task *parent, int event)
{
	limits_task_created(parent->tid);
	unsigned long msg = 0;
	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg) < 0)
		return;
	pid_t child_tid = (pid_t)msg;
	uint64_t flags = clone_flags_of(parent->tid, event);
	bool thread = flags & CLONE_THREAD;

	struct task *child = task_find_any(sb, child_tid);
	bool held = child && child->held_at_start;
	if (!child)
		child = task_add(sb, child_tid, thread ? parent->tgid : child_tid, thread ? parent->ppid : parent->tgid);
	child->tgid = thread ? parent->tgid : child_tid;
	child->ppid = thread ? parent->ppid : parent->tgid;

	/* The kernel keeps fd tables (CLONE_FILES or not) itself. */
	if (flags & CLONE_FS) {
		child->fs = parent->fs;
		child->fs->refs++;
	} else {
		child->fs = fs_state_copy(parent->fs);
	}
	child->cred = parent->cred;
	child->vm_owner = (flags & CLONE_VM) && !thread ? parent->tgid : child->tgid;
	child->vfork_waiter = (flags & CLONE_VFORK) ? parent->tid : 0;
	task_set_exe(child, &parent->exe, &child->exe);
	control_task_born(sb, parent, child);

	if (held) {
		child->held_at_start = false;
		resume(child_tid, 0);
	} else {
		child->awaiting_start_stop = true;
	}
}

static void on_exec_event(struct sandbox *sb, struct task *task)
{
	unsigned long former = 0;
	ptrace(PTRACE_GETEVENTMSG, task->tid, 0, &former);
	/* A non-leader thread that execs takes over the leader's tid; the
	 * exec's state was recorded on the thread that made the call. */
	struct task *caller = task;
	if ((pid_t)former != task->tid) {
		struct task *old = task_find_any(sb, (pid_t)former);
		if (old) {
			task_set_exe(task, &old->pending_exe, &task->pending_exe);
			task->cred = old->cred;
			memcpy(task->exec_name, old->exec_name, sizeof(task->exec_name));
			task_remove(sb, old);
		}
	}
	task_set_exe(caller, &caller->pending_exe, &caller->exe);
	task_set_exe(caller, NULL, &caller->pending_exe);
	caller->exec_in_progress = false;
	task->exec_in_progress = false;
	task_cred_exec(&task->cred);
	/* a new program has memory of its own: a vfork child no longer shares
	 * its parent's, and the parent is no longer waiting for it */
	task->vm_owner = task->tgid;
	task->vfork_waiter = 0;
	/* the exec's other threads are gone; a vfork parent's go on */
	release_held(sb);
	control_task_execed(sb, task);
}

/* The only syscall-exit stop a task reports outside an injection: an exec
 * the kernel refused after the sentry had prepared it. */
static void on_exec_failed(struct sandbox *sb, struct task *task)
{
	if (!task->exec_in_progress)
		return;
	task->exec_in_progress = false;
	task->exec_name[0] = 0;
	task_set_exe(task, NULL, &task->pending_exe);
	release_held(sb);
}

static void task_exited(struct sandbox *sb, struct task *task, int status);

/* Returns false when the task is not to be resumed now: it died while
 * being served, or waits for a deferred answer. An exec rewritten
 * into the loader's is resumed to its syscall-exit, to see if it failed.
 * *nr: the call served, for its round trip (received: 0 unless --stats). */
static bool on_seccomp_stop(struct sandbox *sb, struct task *task, uint64_t received, long *nr)
{
	struct arch_regs *regs = arch_regs_alloc();
	if (!regs)
		sentry_fatal("out of memory");
	if (arch_regs_get(task->tid, regs) < 0) {
		arch_regs_free(regs);
		return true; /* killed meanwhile: its exit comes next */
	}
	struct syscall_call call = { .nr = arch_regs_syscall_nr(regs), .ip = arch_regs_ip(regs) };
	arch_regs_syscall_args(regs, call.args);
	task->stop_regs = regs;
	long ret = dispatch_call(task, &call);
	task->stop_regs = NULL;
	bool injected = task->injected;
	task->injected = false;
	if (task->died) {
		arch_regs_free(regs);
		task_exited(sb, task, task->death_status);
		stats_round_trip(call.nr, received); /* nothing left to answer */
		return false;
	}
	switch (call.action) {
	case CALL_RETURN:
		/* at the seccomp stop this skips the call; at the exit stop of an
		 * injected call it restores the caller's registers. A skipped call
		 * is not restarted by the kernel: a restart becomes EINTR. */
		if (ret == -SENTRY_ERESTARTSYS)
			ret = -EINTR;
		if (arch_skip_syscall(task->tid, regs, ret) < 0 && errno != ESRCH)
			sentry_fatal("cannot answer syscall %ld of task %d", call.nr, task->tid);
		break;
	case CALL_CONTINUE_CHANGED:
		arch_regs_set_syscall(regs, call.nr, call.args);
		if (arch_regs_set(task->tid, regs) < 0 && errno != ESRCH)
			sentry_fatal("cannot change syscall %ld of task %d", call.nr, task->tid);
		/* fall through */
	case CALL_CONTINUE:
		if (injected)
			sentry_fatal("internal error: %s continued after an injected call", syscall_name(call.nr));
		break;
	case CALL_KILL:
		kill(task->tgid, SIGKILL);
		break;
	case CALL_DEFERRED:
		task->deferred_at_exit = injected;
		deferred_keep_regs(task, regs); /* it stays in this stop */
		*nr = call.nr;
		return false;
	}
	arch_regs_free(regs);
	*nr = call.nr;
	return true;
}

static void task_exited(struct sandbox *sb, struct task *task, int status)
{
	control_task_exited(sb, task, status);
	if (task->tid == sb->init_pid) {
		sb->init_exited = true;
		sb->init_status = status;
	}
	task_remove(sb, task);
}

static bool is_group_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void lifecycle_event(struct sandbox *sb, pid_t tid, int status)
{
	uint64_t received = stats_clock(sb->opts); /* waitpid has just reported it */
	struct task *task = task_find_any(sb, tid);

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (task)
			task_exited(sb, task, status);
		else if (tid == sb->init_pid) {
			sb->init_exited = true;
			sb->init_status = status;
		}
		return;
	}
	if (!WIFSTOPPED(status))
		return;

	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;
	long nr = -1; /* a stop whose registers could not be read serves no call */
	if (!task) {
		task = adopt_unknown(sb, tid);
		if (event == PTRACE_EVENT_STOP) {
			task->held_at_start = true; /* resumed at the parent's clone event */
			return;
		}
	}

	if (sb->notify_fd >= 0)
		unotify_task_stopped(task, status);
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		if (!on_seccomp_stop(sb, task, received, &nr))
			return;
		if (task->exec_in_progress) {
			if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0 && errno != ESRCH)
				sentry_fatal("cannot resume task %d: %s", tid, strerror(errno));
		} else {
			resume(tid, 0);
		}
		stats_round_trip(nr, received);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone_event(sb, task, event);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(sb, task);
		resume(tid, 0);
		return;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			if (task->restart_at_exit)
				restart_at_exit(task);
			else
				on_exec_failed(sb, task);
			resume(tid, 0);
			return;
		}
		resume(tid, sig); /* signal-delivery stop: deliver it */
		return;
	case PTRACE_EVENT_STOP:
		if (task->awaiting_start_stop) {
			task->awaiting_start_stop = false;
			resume(tid, 0);
		} else if (is_group_stop_signal(sig)) {
			if (sig == SIGTTIN || sig == SIGTTOU)
				ask_job_stopped(task->tgid); /* a question of --ask may hold the terminal */
			ptrace(PTRACE_LISTEN, tid, 0, 0);
		} else {
			resume(tid, 0);
		}
		return;
	default:
		resume(tid, 0);
		return;
	}
}

int lifecycle_sigchld_fd(void)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		sentry_fatal("signalfd: %s", strerror(errno));
	return sfd;
}

void lifecycle_drain(struct sandbox *sb)
{
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | WNOHANG);
		if (tid <= 0)
			return;
		lifecycle_event(sb, tid, status);
	}
}

static int kill_task(struct task *t, void *arg)
{
	kill(t->tid, SIGKILL);
	return 0;
}

void lifecycle_kill_all(struct sandbox *sb)
{
	task_for_each_any(sb, kill_task, NULL);
	while (task_count(sb) > 0) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nothing left to reap */
		}
		struct task *t = task_find_any(sb, tid);
		if (t && (WIFEXITED(status) || WIFSIGNALED(status)))
			task_remove(sb, t);
		else if (WIFSTOPPED(status))
			ptrace(PTRACE_CONT, tid, 0, 0);
	}
}
