/* Change notes of the sandbox's files: inotify instances and dnotify
 * (fcntl F_NOTIFY), fed by the VFS's events (vfs/notify.h). */
#ifndef SENTRY_SYSCALLS_INOTIFY_H
#define SENTRY_SYSCALLS_INOTIFY_H

#include "syscall.h"
#include "task.h"

/* fcntl(fd, F_NOTIFY, mask) on a folder of the sandbox. */
long dnotify_set(struct task *task, struct syscall_call *call);

#endif
