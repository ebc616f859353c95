#include <errno.h>
#include <unistd.h>

#include "dispatch.h"
#include "pids.h"

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
