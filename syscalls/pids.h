/* Checks for syscalls that name a pid: only tasks of the sandbox. */
#ifndef SENTRY_SYSCALLS_PIDS_H
#define SENTRY_SYSCALLS_PIDS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "syscall.h"
#include "task.h"

/* A pid_t argument as the kernel reads it: the low 32 bits. */
static inline pid_t pid_arg(uint64_t raw) { return (pid_t)(int32_t)raw; }

/* 0 (the caller) or any task (process or thread) of the sandbox. */
bool pid_reachable(struct task *caller, pid_t pid);
/* 0 (the caller's group) or a process group of sandbox processes. */
bool pgrp_reachable(struct task *caller, pid_t pgid);

/* Lets the call through when target is reachable; otherwise ESRCH and a
 * denial line, as if the host's processes did not exist. */
long continue_if_reachable(struct task *caller, struct syscall_call *call, bool reachable);

/* A process the sentry has collected and its sandbox parent not yet
 * reaped: the pid is still the sandbox's, though no task is. */
bool sandbox_zombie(struct sandbox *sb, pid_t pid);

#endif
