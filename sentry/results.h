/* What becomes of the workspace's changes once the workload has ended: a
 * summary line on stderr, and when asked, a copy in a folder (--save) or
 * the changes applied to the host folder (--write-back).  The sentry does
 * this itself after the last workload process is gone. */
#ifndef SENTRY_RESULTS_H
#define SENTRY_RESULTS_H

#include <stdbool.h>

#include "sandbox.h"
#include "vfs.h"

/* The name of the list of removed paths in a --save folder: each path
 * relative to the workspace, ended by a NUL byte (a name may hold a
 * newline, never a NUL). */
#define RESULTS_REMOVED_LIST ".sentry-removed"

struct results_request {
	const char *save_dir;  /* --save DIR */
	bool write_back;       /* --write-back */
	bool ask;              /* --ask: at exit, the person decides whether to write back */
};

/* Before the run: remembers the folder sandbox_run imports as the workspace
 * and checks the request against it.  One line on stderr and -1 when the
 * request is refused. */
int results_prepare(const struct options *opts, const struct results_request *req);

/* Whether the absolute path (with no symlink in it) lies in the workspace
 * folder, which the workload may have changed through an earlier
 * --write-back and which this run's --write-back may change. */
bool results_inside_workspace(const char *absolute);

/* After the run: the summary line when the workspace changed, then the copy
 * or write-back asked for.  0, or -1 when some change could not be saved or
 * written back (one line on stderr for each). */
int results_finish(struct vfs *vfs);

/* While the workload runs: fn for each change of the workspace so far, as
 * results_finish would see it; -ENOENT when there is no workspace. */
int results_changes(struct vfs *vfs, vfs_change_fn fn, void *arg);

#endif
