/* Which stat answers stay the same for every process until the tree
 * changes (the sentry's stat snapshot). */
#ifndef SENTRY_VFS_STABLE_H
#define SENTRY_VFS_STABLE_H

#include <stdbool.h>

#include "vfs.h"

/*
 * True when the answer `result` (0 or -errno) of fstatat(AT_FDCWD, path,
 * at_flags) under ctx is the same for every process of the sandbox and
 * changes only through a call that changes the tree: path is absolute and
 * plain (no ".", "..", "//", trailing "/"), names its file without a
 * symlink on the way (a final one only unfollowed), every folder on the way
 * is searchable by everyone and lies in a file system whose attributes the
 * VFS keeps itself (tmpfs, overlay, host image; never proc, dev, sys or a
 * --bind), the file is not one whose contents the workload writes directly
 * (its size and times are read from the host on each call), and the
 * answer is a struct stat or ENOENT.
 */
bool vfs_stat_stable(const struct vfs_ctx *ctx, const char *path, int at_flags, int result);

#endif
