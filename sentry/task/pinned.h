/* Running a call whose pid arguments were checked, so that no pid it
 * names can be freed and reused between the check and the kernel's use. */
#ifndef SENTRY_PINNED_H
#define SENTRY_PINNED_H

#include "syscall.h"
#include "task.h"

/* Runs the caller's call before the sentry's loop collects any task's
 * exit (see sys_kill in syscalls/signal.c), and returns its result: injected into the stopped
 * caller on ptrace, continued and waited for on user-notify (where the
 * result is the kernel's, and the sentry's 0). */
long run_pinned(struct task *caller, struct syscall_call *call);

/* Whether the caller's call may be answered CALL_CONTINUE_CHANGED: it
 * waits at a trace stop (always on ptrace), not in a user-notify request. */
bool call_can_be_changed(const struct task *caller);

/* run_pinned for a call whose target is in the caller's own process or
 * group, named by a number that could be freed meanwhile (another
 * thread's tid, the group's id): where the call can be changed, it names
 * the same target by same_target, a number that cannot be freed while the
 * caller runs (its own process, or 0 for its group). */
long run_pinned_own(struct task *caller, struct syscall_call *call, pid_t same_target);

/* The caller's own process signalled by the sentry (sig, as from kill).
 * On user-notify the answer, 0, goes first: a signal arriving while the
 * request waits would interrupt it, and the call, restarted, would send
 * it again. */
long signal_own_process(struct task *caller, int sig);

#endif
