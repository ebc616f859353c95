/* Change notes of the sandbox's files: inotify instances and dnotify
 * (fcntl F_NOTIFY), fed by the VFS's events (vfs/notify.h). */
#ifndef SENTRY_SYSCALLS_INOTIFY_H
#define SENTRY_SYSCALLS_INOTIFY_H

#include "syscall.h"
#include "task.h"

#include <stdbool.h>
#include <sys/types.h>

/* Is the pipe of inode number ino an inotify instance (its read end is
 * what the workload holds)? */
bool inotify_pipe(ino_t ino);

/* fcntl(fd, F_NOTIFY, mask) on a folder of the sandbox. */
long dnotify_set(struct task *task, struct syscall_call *call);

#endif
