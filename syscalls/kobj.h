/* Kernel objects behind workload fds: which of them are the caller's own
 * files handed over as stdio, and whether a check made on one fd number
 * still holds when the kernel looks the number up again. */
#ifndef SENTRY_SYSCALLS_KOBJ_H
#define SENTRY_SYSCALLS_KOBJ_H

#include <stdbool.h>

#include "task.h"

/* Is the object behind host_fd a regular file or folder the caller handed
 * over (the same file as one of the sentry's own stdio, which the
 * workload inherits), or a reopen of one? */
bool is_handed_over_file(int host_fd);

/* Could another task dup a handed-over file onto an fd number between
 * the sentry's check of that number and the kernel's use of it? Only
 * when such a file exists at all and the task shares its fd table. */
bool fd_swap_can_bring_host_file(struct task *task);

/* Does another task of the sandbox share the task's fd table? */
bool fd_table_shared(struct task *task);

#endif
