#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "pids.h"
#include "sandbox.h"

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

/* The sentry forgets a process once it has collected its exit, but the
 * pid stays a zombie, the parent's, until the parent reaps it. Every
 * child of a sandbox process was made by the sandbox (traced from its
 * fork), so a zombie whose parent is a sandbox process is the sandbox's. */
bool sandbox_zombie(struct sandbox *sb, pid_t pid)
{
	char state;
	pid_t ppid;
	return pid > 0 && host_pid_state(pid, &state, &ppid) && (state == 'Z' || state == 'X') &&
	       task_is_sandbox_process(sb, ppid);
}
