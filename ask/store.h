/* The approvals file: one "DEST PROGRAM" line per remembered "always". */
#ifndef SENTRY_ASK_STORE_H
#define SENTRY_ASK_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "ask.h"

struct approval {
	char *dest;     /* "10.0.0.7:80", "[::1]:8080" */
	char *program;  /* an absolute path inside the sandbox */
};

struct approvals {
	struct approval *items;
	size_t n;
};

/* Reads the file (missing: no entries).  0, or -1 after one line on
 * stderr: unreadable, unsafe (a symlink, another owner, writable by
 * others) or malformed; then nothing of it is used. */
int store_load(struct approvals *out);
bool store_has(const struct approvals *a, const char *program, const char *dest);
void store_free(struct approvals *a);

/* Rewrites the file under a lock: adds (program, dest), or removes the
 * matching entries (program NULL: all of them).  The folder is made 0700
 * and the file 0600, through no symlink.  The number of entries added or
 * removed, or -1 after one line on stderr. */
int store_add(const char *program, const char *dest);
int store_remove(const char *program, const char *dest);

/* prompt.c: a question asked while the caller holds the terminal
 * (ask_terminal_lock, then ask_terminal_unlock). */
void ask_terminal_lock(void);
enum ask_answer ask_person_held(const char *question, bool offer_always, enum ask_source *source);

#endif
