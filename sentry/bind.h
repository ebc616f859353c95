/* --bind HOST:GUEST[:ro]: host folders and files served at GUEST, with
 * changes reaching HOST (vfs hostdir). */
#ifndef SENTRY_BIND_H
#define SENTRY_BIND_H

#include "sandbox.h"
#include "vfs/vfs.h"

/* Adds --bind HOST:GUEST[:ro] to opts: HOST an existing host folder or
 * regular file, GUEST an absolute path other than /.  NULL, or what is
 * wrong with spec. */
const char *bind_add(struct options *opts, const char *spec);

/* Mounts every --bind, in order, over what the tree shows at GUEST: a
 * folder made with mkdir -p, a file made empty (in memory) when missing.
 * 0, or -errno after one line saying which bind failed. */
int bind_mount_all(const struct vfs_ctx *ctx, const struct options *opts);

#endif
