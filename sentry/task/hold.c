#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "deferred.h"
#include "filter.h"
#include "hold.h"
#include "platform.h"
#include "sandbox.h"

struct hold_walk {
	struct task *caller;
	int error;
};

static bool shares_memory(const struct task *a, const struct task *b)
{
	return a->tgid == b->tgid || a->vm_owner == b->tgid || b->vm_owner == a->tgid ||
	       (a->vm_owner == b->vm_owner && a->vm_owner != a->tgid);
}

struct vfork_search {
	pid_t waiter;
	bool found;
};

static int waits_for(struct task *t, void *arg)
{
	struct vfork_search *s = arg;
	if (t->vfork_waiter == s->waiter)
		s->found = true;
	return s->found;
}

/* A thread blocked in vfork until a child execs or exits cannot run user
 * code, and cannot stop either (it waits uninterruptibly). */
static bool in_vfork(struct task *t)
{
	struct vfork_search s = { t->tid, false };
	task_for_each(t->sandbox, waits_for, &s);
	return s.found;
}

static int hold_one(struct task *t, void *arg)
{
	struct hold_walk *w = arg;
	if (t == w->caller || t->held || !shares_memory(t, w->caller) || in_vfork(t))
		return 0;
	if (t->deferred_seq && (t->sandbox->notify_fd < 0 || filter_waits_killable())) {
		/* already stopped, at the seccomp stop of its deferred call, or
		 * in a wait for its answer that no interrupt ends: keep it there
		 * until released */
		t->held = true;
		t->held_status = HELD_IN_DEFERRED;
		return 0;
	}
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0)
		return 0; /* already gone */
	for (;;) {
		int status;
		pid_t got = waitpid(t->tid, &status, __WALL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		/* Whatever it reports, it is stopped now (or gone): keep the
		 * report to serve once it is released. */
		t->held = true;
		t->held_status = status;
		return 0;
	}
}

int hold_memory_sharers(struct task *task)
{
	struct hold_walk w = { task, 0 };
	task_for_each(task->sandbox, hold_one, &w);
	return w.error;
}

static int release_one(struct task *t, void *arg)
{
	if (!t->held)
		return 0;
	t->held = false;
	deferred_release(t); /* its deferred call, if done meanwhile */
	if (t->held_status == HELD_IN_DEFERRED)
		return 0;
	/* may remove t: task_for_each allows that */
	lifecycle_event(t->sandbox, t->tid, t->held_status);
	return 0;
}

void release_held(struct sandbox *sb)
{
	task_for_each(sb, release_one, NULL);
}
