#ifndef SENTRY_SYSCALLS_FIFO_H
#define SENTRY_SYSCALLS_FIFO_H

#include "task.h"

/* Gives the workload an open of a VFS fifo; the caller keeps its
 * reference on f. The fd number or -errno. */
long install_fifo(struct task *task, struct vfs_file *f, int open_flags);

#endif
