/* From a caught call to its handler: shared by both platforms. */
#ifndef SENTRY_DISPATCH_H
#define SENTRY_DISPATCH_H

#include <stdint.h>

#include "sandbox.h"
#include "syscall.h"
#include "task.h"

/* Decodes nothing: the platform filled call->nr/args/ip. Runs the table's
 * handler and returns its result; call->action says what to do with it. */
long dispatch_call(struct task *task, struct syscall_call *call);

/* A denial: one rate-limited line on stderr. */
void report_denial(struct task *task, const struct syscall_call *call, int error, const char *why);

/* --stats: printed on exit, as a table (the default) or as one JSON
 * object. opts is read at print time, for the platform. */
enum stats_format { STATS_TABLE, STATS_JSON };
void stats_configure(const struct options *opts, enum stats_format format);
void stats_print(void);
/* At exit: how many denials stderr did not show (one line shows each
 * kind once), unless there were none. */
void denials_summary(void);

/* The round trip of a call, from the moment the platform received it (RECV
 * returned, or waitpid reported the stop) to the moment it answered it (SEND
 * returned, or the task was resumed). stats_clock() is 0 unless --stats;
 * stats_round_trip() adds now - received to syscall nr, unless received is 0. */
uint64_t stats_clock(const struct options *opts);
void stats_round_trip(long nr, uint64_t received);

#endif
