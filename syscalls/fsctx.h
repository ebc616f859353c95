/* What every file syscall needs: the caller's VFS context, its paths
 * copied in, and the VFS file behind a dirfd. */
#ifndef SENTRY_SYSCALLS_FSCTX_H
#define SENTRY_SYSCALLS_FSCTX_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "syscall.h"
#include "task.h"
#include "vfs.h"

void task_vfs_ctx(struct task *task, struct vfs_ctx *ctx);
/* Turns a task_vfs_ctx cred into the one access() checks with. */
void task_access_cred(struct task *task, struct vfs_cred *cred);

/* Copies a path argument in: its length, -EFAULT, or -ENAMETOOLONG. */
long path_arg(struct task *task, uint64_t addr, char path[PATH_MAX]);

/* The VFS file a dirfd argument names: NULL for AT_FDCWD; -EBADF when
 * not open; -ENOTDIR for a kernel object (a pipe or socket). The file
 * is borrowed. */
long dirfd_arg(struct task *task, uint64_t raw, struct vfs_file **dir);

/* Gives the workload an fd for an open VFS file (lowest free number,
 * O_CLOEXEC honoured); drops the caller's reference on f. */
long install_vfs_file(struct task *task, struct vfs_file *f, int open_flags);

/* Was the fd (the sentry's copy of it) opened with O_PATH? */
bool opened_as_path(int host_fd);

/* -EPERM (and a denial line) when host_fd is one of the host's files
 * rather than a sandbox object: its metadata must not change. */
long refuse_host_file_change(struct task *task, struct syscall_call *call, int host_fd);

/* Copies a result struct out: 0 or -EFAULT. */
long copy_out(struct task *task, uint64_t addr, const void *data, size_t len);

#endif
