/* Denials and policy decisions: a line on stderr for each, and with
 * --audit FILE one JSON object per line in FILE. */
#ifndef SENTRY_AUDIT_H
#define SENTRY_AUDIT_H

#include <stdbool.h>

#include "backtrace.h"
#include "syscall.h"
#include "task.h"

enum verdict {
	VERDICT_DENIED, /* a handler's policy decision: the call fails */
	VERDICT_ERRNO,  /* a call the sandbox refuses outright, with a fixed errno */
	VERDICT_KILLED, /* the calling process is killed */
	VERDICT_ALLOWED, /* a handler's policy decision: the call may go on
	                    (audited only, e.g. an --allow-net destination) */
	/* --ask: a question put to the person, and its answer */
	VERDICT_ASKED,
	VERDICT_APPROVED,
	VERDICT_REFUSED,
	VERDICT_AUTO_APPROVED, /* answered without a question ("always", --ask=auto) */
};

struct denial {
	enum verdict verdict;
	int error;              /* what the call returns; 0 when killed */
	const char *why;
	const char *allowed_by; /* the option that would allow the call, NULL if none */
	const char *strings[6]; /* arguments decoded as strings (paths, names), NULL if not */
};

/* report_denial with details (dispatch.c). The call must then fail with
 * -d->error, or be killed: under --backtrace on user-notify the task has
 * been made to return that already. */
void report_denial_with(struct task *task, const struct syscall_call *call, const struct denial *d);

/* Creates FILE, or truncates it, mode 0600, before the workload starts.
 * 0, or -errno after a log line. */
int audit_open(const char *path);
bool audit_enabled(void);

/* One JSON line; bt is NULL without --backtrace. */
void audit_record(struct task *task, const struct syscall_call *call, const struct denial *d,
		  const struct backtrace *bt);

/* A record made on the loop and written later, from any thread, once the
 * decision is known (an --ask question answered on a worker): d gives the
 * verdict, errno, reason and option then, and the time is that of the
 * writing (d NULL: nothing is).  NULL without --audit; audit_complete frees it. */
struct audit_pending;
struct audit_pending *audit_prepare(struct task *task, const struct syscall_call *call, const struct denial *d);
void audit_complete(struct audit_pending *p, const struct denial *d);

/* A question no call waits on (the workspace's changes at exit):
 * {"time","event","path","verdict","reason"}. */
void audit_question(const char *event, const char *path, enum verdict verdict, const char *why);

#endif
