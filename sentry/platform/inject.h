/* Running a syscall of the sentry's choosing in a stopped task. */
#ifndef SENTRY_INJECT_H
#define SENTRY_INJECT_H

#include <stdint.h>

#include "task.h"

/* At a seccomp stop (task->stop_regs set), replaces the task's syscall by
 * nr(args), lets it run, and returns its result once the task is at the
 * syscall-exit stop; -ESRCH if the task died meanwhile (task->died is
 * then set). The caller's answer to the original call is written at that
 * exit stop, with the original registers. */
long inject_syscall(struct task *task, long nr, const uint64_t args[6]);

#endif
