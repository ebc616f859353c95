/* Host files the sentry writes, or reads to configure a run, reached
 * without following any symlink in their path: a link the workload left
 * behind (written back into the workspace, or copied into a --save
 * folder) must never redirect where the sentry writes or what it reads. */
#ifndef SENTRY_HOSTFILE_H
#define SENTRY_HOSTFILE_H

#include <stdbool.h>
#include <sys/types.h>

/* open(2) of path with no symlink followed in any of its names: an fd, or
 * -errno (-ELOOP when a name is a symlink). */
int hostfile_open(const char *path, int flags, mode_t mode);

/* The folder `path`, reached the same way (O_PATH): an fd, or -errno.
 * `make`: missing folders are made on the way, as mkdir -p would. */
int hostfile_dir(const char *path, bool make);

/* path made absolute from the cwd, "." and ".." taken by name as the
 * kernel takes them in a path without symlinks; malloc'd, NULL when the
 * cwd cannot be told. */
char *hostfile_absolute(const char *path);

/* What a failed hostfile_* call means, for a message. */
const char *hostfile_error(int err);

#endif
