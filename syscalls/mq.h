/* POSIX message queues of the sandbox (syscalls/mq.c). */
#ifndef SENTRY_SYSCALLS_MQ_H
#define SENTRY_SYSCALLS_MQ_H

#include "syscall.h"
#include "task.h"

#endif
