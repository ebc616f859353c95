/* The host view: a read-only, detached clone of the host's mount tree,
 * made once per sandbox, through which image files are opened read-only
 * and handed to the workload as they are (no copy in the store). Every
 * change through such an open fails with EROFS in the kernel: the mounts
 * are read-only, nosuid and nodev, attached nowhere, and the sentry holds
 * the only reference to them. */
#ifndef SENTRY_HOSTVIEW_H
#define SENTRY_HOSTVIEW_H

#include <stdbool.h>

/* The view's root (the clone of the sentry's "/"), made at the first call;
 * -errno when the kernel or the sentry's privileges do not allow one
 * (open_tree and mount_setattr need CAP_SYS_ADMIN over the mount
 * namespace; without it the view is the one made in the sentry's user
 * namespace, userns.h). The fd is the sentry's, kept until exit. */
int hostview_root(void);

/* A new read-only clone of the caller's "/", or -errno. */
int hostview_clone(void);

/* Whether the view was made: image files are then opened in place. */
bool hostview_in_use(void);

#endif
