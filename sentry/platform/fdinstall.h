/* Putting an fd the sentry holds into a workload task's fd table. */
#ifndef SENTRY_FDINSTALL_H
#define SENTRY_FDINSTALL_H

#include <stdbool.h>
#include <stdint.h>

#include "task.h"

/* Installs copies of n host fds (n <= 16) into the calling task, at the
 * lowest free numbers, and writes the numbers to out. Works during any
 * caught call: through SECCOMP_IOCTL_NOTIF_ADDFD for user-notify requests,
 * through a recvmsg injected at a ptrace stop otherwise. 0 or -errno. */
int task_install_fds(struct task *task, const int *host_fds, int n, bool cloexec, int *out);

/* One fd; returns its number in the task or -errno. */
int task_install_fd(struct task *task, int host_fd, bool cloexec);

/* The same, as the call's answer: on user-notify the fd is installed and
 * the call answered with its number in one step (SECCOMP_ADDFD_FLAG_SEND,
 * one switch to the task instead of two), so the handler must return that
 * number and change nothing the task could see afterwards. */
int task_install_fd_answer(struct task *task, int host_fd, bool cloexec);

/* Puts host_fd into the task at the number fd, closing what fd was (as
 * dup2 does, in one step: SECCOMP_ADDFD_FLAG_SETFD). User-notify only:
 * -ENOSYS on ptrace, where it would take more than the one syscall a
 * stop can inject. 0 or -errno. */
int task_replace_fd(struct task *task, int fd, int host_fd, bool cloexec);

/* The same for a user-notify request still waiting for its answer, from
 * any thread (a worker answering it later); the caller checks fd. */
int notif_replace_fd(int notify_fd, uint64_t notif_id, int fd, int host_fd, bool cloexec);

/* Is fd one of the sentry's reserved numbers, which the workload may
 * neither use nor close? */
bool fd_is_reserved(struct task *task, int fd);

#endif
