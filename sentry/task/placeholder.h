/* Stand-ins for sentry-owned directories in the workload's fd table. */
#ifndef SENTRY_PLACEHOLDER_H
#define SENTRY_PLACEHOLDER_H

#include <stdint.h>

/* A new, empty, already removed directory of a file system only the
 * sentry reaches, opened with open_flags (O_RDONLY or O_PATH, plus
 * O_CLOEXEC as asked). read() on it gives EISDIR as a directory should;
 * every call that could look inside it is emulated. The host fd or -errno. */
int placeholder_dir_open(int open_flags);

/* The host fifo standing for the VFS fifo numbered id (made on first
 * use, in the same private file system), opened with open_flags. */
int placeholder_fifo_open(uint64_t id, int open_flags);

#endif
