/* Stopping every other task that shares a task's memory, while the sentry
 * hands the kernel an exec whose arguments lie in that memory. */
#ifndef SENTRY_HOLD_H
#define SENTRY_HOLD_H

#include "task.h"

/* Stops every task other than task that shares its memory: its threads,
 * and, for a vfork child, the threads of its parent. 0 or -errno. */
int hold_memory_sharers(struct task *task);

/* Lets them go again (the exec failed), serving the stops they reported. */
void release_held(struct sandbox *sb);

#endif
