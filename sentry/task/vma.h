/* What backs a range of a task's memory. */
#ifndef SENTRY_VMA_H
#define SENTRY_VMA_H

#include <stdint.h>
#include <sys/types.h>

/* Is all of [lo, hi) in tid's memory mapped, and mapped private? A private
 * page the sentry has written to is the task's own copy: only tasks sharing
 * its memory can change it. A shared mapping (MAP_SHARED, shared memory, a
 * file another process can write) can be rewritten by others at any time.
 * 1 when private, 0 when not (a shared mapping, or a hole), -errno when
 * the maps cannot be read. */
int task_memory_private(pid_t tid, uint64_t lo, uint64_t hi);

#endif
