#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dispatch.h"
#include "inject.h"
#include "pids.h"
#include "sandbox.h"
#include "seccomp_compat.h"

bool pid_reachable(struct task *caller, pid_t pid)
{
	return pid == 0 || (pid > 0 && task_find(caller->sandbox, pid) != NULL);
}

struct pgrp_search {
	pid_t pgid;
	bool found;
};

static int has_pgid(struct task *t, void *arg)
{
	struct pgrp_search *s = arg;
	if (t->tid == t->tgid && getpgid(t->tgid) == s->pgid)
		s->found = true;
	return s->found;
}

/* The first process gets a group of its own at start, so every group a
 * sandbox process is in holds only sandbox processes. */
bool pgrp_reachable(struct task *caller, pid_t pgid)
{
	if (pgid == 0)
		return true;
	if (pgid < 0)
		return false;
	struct pgrp_search s = { pgid, false };
	task_for_each(caller->sandbox, has_pgid, &s);
	return s.found;
}

long continue_if_reachable(struct task *caller, struct syscall_call *call, bool reachable)
{
	if (!reachable) {
		report_denial(caller, call, ESRCH, "names a process outside the sandbox");
		return -ESRCH;
	}
	call->action = CALL_CONTINUE;
	return 0;
}

/* The state letter and parent of a host pid, from one read of its stat
 * line; false when there is no such pid. */
static bool read_state(pid_t pid, char *state, pid_t *ppid)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool got = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	const char *end = got ? strrchr(line, ')') : NULL;
	return end && sscanf(end + 1, " %c %d", state, ppid) == 2;
}

/* The sentry forgets a process once it has collected its exit, but the
 * pid stays a zombie, the parent's, until the parent reaps it. Every
 * child of a sandbox process was made by the sandbox (traced from its
 * fork), so a zombie whose parent is a sandbox process is the sandbox's. */
bool sandbox_zombie(struct sandbox *sb, pid_t pid)
{
	char state;
	pid_t ppid;
	return pid > 0 && read_state(pid, &state, &ppid) && (state == 'Z' || state == 'X') &&
	       task_is_sandbox_process(sb, ppid);
}

static bool out_of_call(pid_t tid)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)tid, &si, WEXITED | WSTOPPED | __WALL | WNOHANG | WNOWAIT) < 0)
		return errno != EINTR; /* ECHILD: gone */
	if (si.si_pid != 0)
		return true; /* any report: the task left the call */
	char state;
	pid_t ppid;
	return !read_state(tid, &state, &ppid) || state == 'Z' || state == 'X';
}

/* User-notify: the sentry answers "continue" itself, then asks for a stop
 * that the task takes on its way back to user space, after the call, and
 * waits until the task reports something (left for the lifecycle, which
 * resumes an interrupt stop as any other) or is dead: a zombie leader whose
 * threads the sentry has not reaped yet reports nothing, hence no blocking
 * wait. */
static long continue_and_wait(struct task *caller)
{
	struct seccomp_notif_resp resp = {
		.id = caller->notif_id,
		.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};
	if (ioctl(caller->sandbox->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return -EINTR; /* the request is gone: interrupted or killed */
	caller->answered = true; /* the kernel's result is the caller's */
	if (ptrace(PTRACE_INTERRUPT, caller->tid, 0, 0) < 0)
		return 0;
	unsigned pause_us = 10;
	while (!out_of_call(caller->tid)) {
		usleep(pause_us);
		if (pause_us < 1000)
			pause_us *= 2;
	}
	return 0;
}

long run_pinned(struct task *caller, struct syscall_call *call)
{
	if (caller->notif_id)
		return continue_and_wait(caller);
	if (caller->stop_regs && !caller->injected)
		return inject_syscall(caller, call->nr, call->args);
	report_denial(caller, call, ENOSYS, "internal error: a checked pid call outside a stop");
	return -ENOSYS;
}
