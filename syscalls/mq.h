/* POSIX message queues of the sandbox (syscalls/mq.c). */
#ifndef SENTRY_SYSCALLS_MQ_H
#define SENTRY_SYSCALLS_MQ_H

#include "syscall.h"
#include "task.h"

/* The queues as /dev/mqueue lists them (vfs/mqfs.c). */
struct vfs_mq_provider;
const struct vfs_mq_provider *mq_provider(void);

#endif
