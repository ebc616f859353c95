/* The two ways of catching calls, and the task lifecycle both share. */
#ifndef SENTRY_PLATFORM_H
#define SENTRY_PLATFORM_H

#include "sandbox.h"

/* Serve the workload until its first process has ended. */
void serve_unotify(struct sandbox *sb);
void serve_ptrace(struct sandbox *sb);

/* User-notify, every ptrace stop of a task (status as waitpid gave it).
 * At a signal-delivery stop, a call the kernel withdrew from the sentry
 * before the sentry received it (nothing was done) is made again once the
 * signal is handled, whatever SA_RESTART says, as if the signal had come
 * just before the call. */
void unotify_task_stopped(struct task *task, int status);

/* One waitpid() result of a traced task: creation, exec, exit, signal and
 * group stops, and seccomp stops (which run the call's handler). */
void lifecycle_event(struct sandbox *sb, pid_t tid, int status);

/* Answers a call deferred at a seccomp stop (ptrace) and resumes the task. */
struct arch_regs;
void lifecycle_answer(struct sandbox *sb, struct task *task, struct arch_regs *regs, long ret);
/* A deferred call at its seccomp stop whose caller a signal interrupted:
 * skipped, and at its syscall-exit rewound as Linux's interrupted wait. */
void lifecycle_interrupted(struct task *task, struct arch_regs *regs, long nr);

/* Blocks SIGCHLD and returns a signalfd (non-blocking) that reads it: a
 * loop that polls wakes when a task has something to report. */
int lifecycle_sigchld_fd(void);

/* Consumes every waitpid() result ready now. */
void lifecycle_drain(struct sandbox *sb);

/* Once the first process has ended: SIGKILL the rest and reap them. */
void lifecycle_kill_all(struct sandbox *sb);

#endif
