/* The emulated credentials' share of prctl. */
#ifndef SENTRY_SYSCALLS_CRED_H
#define SENTRY_SYSCALLS_CRED_H

#include "syscall.h"
#include "task.h"

/* PR_CAPBSET_READ/DROP, PR_GET/SET_KEEPCAPS, PR_GET/SET_SECUREBITS and
 * PR_CAP_AMBIENT on the caller's emulated credentials. */
long cred_prctl(struct task *task, struct syscall_call *call);

#endif
