/* From a caught call to its handler: shared by both platforms. */
#ifndef SENTRY_DISPATCH_H
#define SENTRY_DISPATCH_H

#include "syscall.h"
#include "task.h"

/* Decodes nothing: the platform filled call->nr/args/ip. Runs the table's
 * handler and returns its result; call->action says what to do with it. */
long dispatch_call(struct task *task, struct syscall_call *call);

/* A denial: one rate-limited line on stderr. */
void report_denial(struct task *task, const struct syscall_call *call, int error, const char *why);

/* --stats: printed on exit. */
void stats_print(void);

#endif
