/*
 * The in-process stat fast path (--fastpath, x86_64): a
 * snapshot of stat answers every process maps read-only, and call sites
 * of newfstatat rewritten to call a stub that answers from it (see
 * doc/fastpath.md and sentry/loader/fastpath_stub.c).
 */
#ifndef SENTRY_FASTPATH_H
#define SENTRY_FASTPATH_H

#include <stdbool.h>
#include <sys/stat.h>

#include "syscall.h"
#include "task.h"
#include "vfs.h"

/* Set once at start, before the first workload process. */
extern bool fastpath_on;

/* Turns the fast path on: the loader image with its fast path enabled, in
 * a sealed memfd (in place of the plain one), and the snapshot. An fd or
 * -errno. */
int fastpath_loader_memfd(void);

/* The loader's request (a newfstatat on the loader's fd with
 * FASTPATH_REQUEST_FLAGS): answers with a read-only fd of the snapshot.
 * -EINVAL when the fast path is off or disabled. */
long fastpath_loader_request(struct task *task);

/* After the sentry answered newfstatat(dirfd, path, flags) with result:
 * publishes the answer where it is stable, and rewrites the call site. */
void fastpath_stat_answered(struct task *task, const struct syscall_call *call, const struct vfs_ctx *ctx,
			    const char *path, int at_flags, long result, const struct stat *st);

/* Before and after every emulated call: a call that may change anything
 * clears the snapshot (a new generation). Before, because a handler may
 * answer the workload from inside (an fd installed with the answer);
 * after, for what it changed once the handler returned. */
void fastpath_call_start(struct task *task, const struct syscall_call *call);
void fastpath_call_done(struct task *task, const struct syscall_call *call);

#endif
