/* Who in the sandbox holds a file open: the workload's fds are kernel
 * objects of their own (re-opens of a file's contents), so the sentry
 * reads the fd tables of the sandbox's processes to count them, as Linux
 * counts an inode's open files for ETXTBSY and leases. */
#ifndef SENTRY_OPENS_H
#define SENTRY_OPENS_H

#include <stdbool.h>

#include "task.h"

struct open_census {
	int writers; /* fds open for writing, and shared writable mappings */
	int others;  /* fds of an open file description other than `self`'s */
	int self;    /* fds of `self`'s */
};

/* Counts the sandbox's opens of the kernel file `contents` (an fd of the
 * sentry's naming it). self: a copy of one open file description to count
 * apart from `others`, or -1. 0, or -errno. */
int open_census(struct sandbox *sb, int contents, int self, struct open_census *out);

#endif
