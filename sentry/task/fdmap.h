/* Which VFS file a workload fd stands for.
 *
 * Every fd the sentry gives the workload is a kernel object of its own: a
 * re-open of a file's memfd, a sealed memfd snapshot, or an empty deleted
 * directory standing in for a VFS directory. The sentry remembers the
 * object's (st_dev, st_ino) and, when the workload names an fd, takes a
 * copy of it (pidfd_getfd) and looks the object up. The kernel keeps the
 * fd table itself (dup, close, fork, exec, SCM_RIGHTS), so the sentry's
 * view never drifts from it. */
#ifndef SENTRY_FDMAP_H
#define SENTRY_FDMAP_H

#include "task.h"

struct vfs_file;

/* Remembers that the kernel object behind host_fd (about to be installed
 * in task) stands for file; takes a reference on file. Entries count
 * against the sandbox's byte limit, and those of objects no fd table holds
 * any more are dropped (swept) when the map has doubled since the last
 * sweep, or when it is over the limit. 0, -ENFILE when the limit leaves no
 * room for one more open file, or -errno. A sweep may drop an entry a
 * caller borrowed from task_fd_lookup; its file stays alive until the call
 * is over (vfs_file_hold_call). */
int fdmap_add(struct task *task, int host_fd, struct vfs_file *file);

/* host_fd (installed in task, already added) is the open that created its
 * file: the sentry keeps a copy of it, to tell that open file description
 * from later opens of the same file, until no fd table holds the file.
 * At most FDMAP_CREATED_MAX copies are kept at once (an fd each): past
 * that, one is dropped and its file's answer becomes unknown. */
void fdmap_note_created(struct task *task, int host_fd);

/* Whether host_fd is a copy of the open that created its file: 1 or 0;
 * -ENOENT when that copy was dropped (the answer is unknown). */
int fdmap_created(int host_fd);

/* A lock (flock, OFD lock) is about to be taken on host_fd's open file
 * description: when it is the creating open, the sentry's copy of it is
 * closed, or it would hold the lock past the workload's last close of that
 * open. F_CREATED_QUERY on its fds is unknown from then on. */
void fdmap_forget_created_open(int host_fd);

/* fdmap_add for a read-only open of a host image file through the host
 * view: its inode is the host's, so the handlers keep locks, leases and
 * every change away from it (fdmap_is_host_image on their copy). The mark
 * stays with the inode's entry. */
int fdmap_add_host_image(struct task *task, int host_fd, struct vfs_file *file);
bool fdmap_is_host_image(int host_fd);

/* Entries held now. */
size_t fdmap_size(void);

enum fd_kind {
	FD_VFS,    /* a VFS file: *file is set (borrowed) */
	FD_KERNEL, /* a kernel object the workload made or inherited: a pipe,
	              socket, eventfd, or the caller's stdio */
};

/* What the task's fd is: FD_VFS or FD_KERNEL, or -EBADF when it is not
 * open (or is a reserved fd). host_fd, when not NULL, receives the copy
 * the sentry took (the caller closes it), or -1 for an O_PATH fd, which
 * cannot be copied; otherwise it is closed here. A VFS file with no name
 * left gets the copy's contents for the call under way (vfs_file_lend). */
int task_fd_lookup(struct task *task, int fd, struct vfs_file **file, int *host_fd);

/* The task's process as a pidfd (cached on the task). */
int task_pidfd(struct task *task);

#endif
