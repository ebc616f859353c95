/* --ask: the person at sentry's own terminal decides what the policy would
 * refuse (a connection --allow-net does not name, the workspace's changes
 * at exit).  --ask=auto keeps "always" answers in the person's approvals
 * file, which later runs use without asking.  Nothing here reads settings
 * from the workspace, the current folder or the workload. */
#ifndef SENTRY_ASK_H
#define SENTRY_ASK_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

enum ask_mode { ASK_OFF, ASK_ON, ASK_AUTO };

enum ask_answer { ASK_NO, ASK_YES, ASK_ALWAYS };

/* Who gave an answer. */
enum ask_source {
	ASK_BY_PERSON,
	ASK_BY_TIMEOUT,      /* nobody answered in time: no */
	ASK_BY_NO_TERMINAL,  /* no terminal to ask on: no */
	ASK_BY_RUN,          /* an "always" earlier in this run */
	ASK_BY_APPROVALS,    /* the approvals file (--ask=auto) */
};

#define ASK_DEFAULT_TIMEOUT 60.0

void ask_configure(enum ask_mode mode, double timeout_seconds);
enum ask_mode ask_mode(void);
double ask_timeout(void);

/* One question on sentry's controlling terminal (/dev/tty), one at a time
 * (a caller waits for the question before it); "always" is offered when
 * offer_always.  The workload's process group loses the terminal's
 * foreground while the question is up, and typed-ahead input is dropped.
 * Without a terminal, or after the timeout, the answer is no (one line on
 * stderr says so). */
enum ask_answer ask_person(const char *question, bool offer_always, enum ask_source *source);

/* The workload's changes to the terminal (its foreground group, its modes)
 * wait for no question: trylock fails while one is up, and holds off the
 * next one until unlock. */
bool ask_terminal_trylock(void);
void ask_terminal_unlock(void);

/* From the tracer, at a group stop by SIGTTIN or SIGTTOU of a workload
 * process: one a question caused is continued (SIGCONT) once the question
 * is over; no other is. */
void ask_job_stopped(pid_t pid);

/* At exit: whether to apply the workspace's changes to the host folder. */
bool ask_apply_changes(const char *workspace, enum ask_source *source);

/* A connection to dest ("10.0.0.7:80") by program (its path inside) that
 * --allow-net does not name.  The approvals file keys an answer by
 * image_file, the host path of the program when it is an unchanged file of
 * the image; NULL (a program written inside, or the workspace's) is never
 * looked up there nor kept.  ask_connection_known: approved without a
 * question (an "always" of this run, or the approvals file under
 * --ask=auto).  ask_connection asks, and keeps an "always". */
bool ask_connection_known(const char *image_file, const char *dest, enum ask_source *source);
enum ask_answer ask_connection(const char *program, const char *image_file, pid_t pid, const char *dest,
			       enum ask_source *source);

/* What a source means, for a log line or an audit record. */
const char *ask_source_text(enum ask_source source);

/* Counts for --stats: questions put to the person, answers given without one. */
void ask_counts(unsigned *asked, unsigned *automatic);
/* The --stats table lines ("sentry: questions asked ..."), when --ask is on. */
void ask_stats_print(FILE *out);

/* The approvals file: $XDG_CONFIG_HOME/sentry/approvals, or
 * ~/.config/sentry/approvals.  malloc'd; NULL (after a line) when neither
 * XDG_CONFIG_HOME nor HOME is set. */
char *approvals_path(void);

/* `sentry approvals list | revoke PROGRAM DEST | revoke --all` */
int approvals_main(int argc, char **argv);

#endif
