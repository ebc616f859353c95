/* Calls answered after their handler returned: the handler starts work
 * that could block (a connect to an allowed host) on a thread of its own,
 * and the platform's loop answers the call when the work is done. The
 * sentry's loop never waits for the network. */
#ifndef SENTRY_DEFERRED_H
#define SENTRY_DEFERRED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sandbox.h"
#include "syscall.h"
#include "task.h"

struct arch_regs;

/* Work run off the loop; returns the call's result (>= 0 or -errno) and
 * releases arg. */
typedef long (*deferred_work_fn)(void *arg);

/* The caller a worker serves, as far as the worker may ask about it:
 * whether it still waits for the answer. A caller interrupted by a signal
 * must be left with nothing done on its behalf, and the worker's result is
 * then -EINTR: on user-notify a killable wait (filter_waits_killable) is
 * answered ERESTARTSYS, so the kernel restarts the call after a handler
 * with SA_RESTART, or a stop, as its own wait would; without killable
 * waits the kernel withdraws the request itself. On ptrace the caller
 * waits at its seccomp stop with the signal pending, and the call is
 * rewound at its syscall-exit with -ERESTARTSYS (lifecycle_interrupted);
 * not on aarch64, where the restarted call's first argument came out wrong. */
struct deferred_caller {
	int notify_fd;
	uint64_t notif_id;
	pid_t tid;
};

struct deferred_caller deferred_caller_of(const struct task *task);
bool deferred_caller_gone(const struct deferred_caller *caller);

/* A worker that polls for its condition: sleeps *pause_us, then doubles
 * it up to 50 ms (start at 1000). */
void deferred_backoff(unsigned *pause_us);

/* From a handler: runs work(arg) on a thread and marks the call
 * CALL_DEFERRED. 0, or -errno (then arg is the caller's to free). */
int deferred_start(struct task *task, struct syscall_call *call, deferred_work_fn work, void *arg);

/* From a handler: connects fd (taken: closed when done) to addr on a
 * worker, and the call's answer is connect's. A blocking connect takes as
 * long as the kernel lets it (SO_SNDTIMEO, SYN retries, a full unix
 * backlog), as it would natively. 0, or -errno (fd is then still the
 * caller's). */
int deferred_connect(struct task *task, struct syscall_call *call, int fd, const struct sockaddr *addr,
		     socklen_t len);

/* The ptrace platform hands over the registers of the stop it leaves the
 * task in; they are freed once the call is answered. */
void deferred_keep_regs(struct task *task, struct arch_regs *regs);

/* Readable when some work has finished; -1 before the first start. */
int deferred_fd(void);
/* Calls started and not answered yet. */
unsigned deferred_pending(void);

/* Answers every call whose work has finished. */
void deferred_serve(struct sandbox *sb);

/* A held task (another one is execing) is answered when released. */
void deferred_release(struct task *task);

#endif
