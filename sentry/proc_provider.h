/* The process side of the sandbox's /proc. */
#ifndef SENTRY_PROC_PROVIDER_H
#define SENTRY_PROC_PROVIDER_H

#include "sandbox.h"
#include "vfs.h"

void proc_provider_init(struct vfs_proc_provider *p, struct sandbox *sb);

#endif
