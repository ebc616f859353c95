/* The ptrace platform's hand-over runs recvmsg in the task, on a msghdr
 * written to its stack, which other threads of the task can rewrite while
 * the kernel reads it. What a rewrite cannot change: the socket and the
 * flags (registers), and what is queued: one datagram holding exactly the
 * fds meant for this call (a datagram is taken whole; stale ones are
 * drained first). What it can change: where the kernel writes the fd
 * numbers, so the numbers read back are checked against the fds sent
 * (kcmp) before they are believed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "arch.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "inject.h"
#include "sandbox.h"

#define MAX_INSTALL 16

bool fd_is_reserved(struct task *task, int fd)
{
	struct sandbox *sb = task->sandbox;
	return fd >= 0 && (fd == sb->fd_loader || fd == sb->fd_courier);
}

static int install_by_addfd(struct task *task, const int *host_fds, int n, bool cloexec, int *out)
{
	for (int i = 0; i < n; i++) {
		struct seccomp_notif_addfd addfd = {
			.id = task->notif_id,
			.srcfd = (unsigned)host_fds[i],
			.newfd_flags = cloexec ? O_CLOEXEC : 0,
		};
		int fd = ioctl(task->sandbox->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
		if (fd < 0)
			return -errno;
		out[i] = fd;
	}
	return 0;
}

/* The workload's scratch copy of a recvmsg's arguments, written below its
 * stack pointer. Every pointer in it points into the same block. */
struct courier_block {
	struct msghdr msg;
	struct iovec iov;
	char byte;
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int) * MAX_INSTALL)];
	} control;
};

static int send_to_courier(struct sandbox *sb, const int *host_fds, int n)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int) * MAX_INSTALL)];
	} control;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), host_fds, sizeof(int) * (size_t)n);
	return sendmsg(sb->courier_sentry_end, &msg, MSG_DONTWAIT) == 1 ? 0 : -errno;
}

static void close_received(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
}

/* A datagram nobody took (its task died before its recvmsg ran, or a
 * rewritten msghdr made the recvmsg fail before it took one) would be
 * taken by the next recvmsg in place of the fds sent for it: take such
 * datagrams out through a copy of the workload's end, and close their fds.
 * The sender's queue length says whether there is any. */
static void drain_courier(struct task *task)
{
	struct sandbox *sb = task->sandbox;
	int queued = 0;
	if (ioctl(sb->courier_sentry_end, SIOCOUTQ, &queued) < 0 || queued == 0)
		return;
	int pidfd = task_pidfd(task);
	int end = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, sb->fd_courier, 0);
	if (end < 0)
		return; /* the recvmsg below fails too */
	for (;;) {
		union {
			struct cmsghdr hdr;
			char buf[CMSG_SPACE(sizeof(int) * MAX_INSTALL)];
		} control;
		char byte;
		struct iovec iov = { &byte, 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
				      .msg_controllen = sizeof(control.buf) };
		if (recvmsg(end, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
			break;
		close_received(&msg);
	}
	close(end);
}

/* Is the task's fd the same open file as the sentry's host_fd? Without
 * kcmp (a kernel built without it) the number is taken as read. */
static bool same_file(struct task *task, int host_fd, int fd)
{
	long r = syscall(SYS_kcmp, getpid(), task->tid, KCMP_FILE, host_fd, fd);
	return r == 0 || (r < 0 && errno == ENOSYS);
}

/* At a ptrace stop the task itself receives the fds: the sentry sends them
 * on its end of the courier socket and makes the task run recvmsg on the
 * reserved end. */
static int install_by_courier(struct task *task, const int *host_fds, int n, bool cloexec, int *out)
{
	struct sandbox *sb = task->sandbox;
	uint64_t sp = arch_regs_sp(task->stop_regs);
	uint64_t at = (sp - arch_stack_red_zone - sizeof(struct courier_block) - 64) & ~(uint64_t)15;
	struct courier_block block;
	memset(&block, 0, sizeof(block));
	block.iov.iov_base = (void *)(uintptr_t)(at + offsetof(struct courier_block, byte));
	block.iov.iov_len = 1;
	block.msg.msg_iov = (void *)(uintptr_t)(at + offsetof(struct courier_block, iov));
	block.msg.msg_iovlen = 1;
	block.msg.msg_control = (void *)(uintptr_t)(at + offsetof(struct courier_block, control));
	block.msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
	int r = (int)task_write_mem(task, at, &block, sizeof(block));
	if (r < 0)
		return r;
	drain_courier(task);
	r = send_to_courier(sb, host_fds, n);
	if (r < 0)
		return r;
	uint64_t args[6] = { (uint64_t)sb->fd_courier, at, MSG_DONTWAIT | (cloexec ? MSG_CMSG_CLOEXEC : 0), 0, 0, 0 };
	long got = inject_syscall(task, SYS_recvmsg, args);
	if (got < 0)
		return (int)got;
	if (task_read_mem(task, at, &block, sizeof(block)) < 0)
		return -EFAULT;
	struct cmsghdr *c = &block.control.hdr;
	if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int) * (size_t)n))
		return -EMFILE; /* truncated: the task's table is full */
	memcpy(out, CMSG_DATA(c), sizeof(int) * (size_t)n);
	for (int i = 0; i < n; i++) {
		if (!same_file(task, host_fds[i], out[i])) {
			sentry_log("process %d: the fds handed over landed elsewhere than its recvmsg said (its msghdr was rewritten)",
				   task->tgid);
			return -EFAULT;
		}
	}
	return 0;
}

int task_install_fds(struct task *task, const int *host_fds, int n, bool cloexec, int *out)
{
	if (n < 1 || n > MAX_INSTALL)
		return -EINVAL;
	if (task->notif_id)
		return install_by_addfd(task, host_fds, n, cloexec, out);
	if (task->stop_regs && !task->injected)
		return install_by_courier(task, host_fds, n, cloexec, out);
	return -EINVAL;
}

int task_install_fd_answer(struct task *task, int host_fd, bool cloexec)
{
	if (!task->notif_id)
		return task_install_fd(task, host_fd, cloexec);
	struct seccomp_notif_addfd addfd = {
		.id = task->notif_id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (unsigned)host_fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int fd = ioctl(task->sandbox->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	if (fd < 0)
		return -errno; /* not answered: the reply carries the error */
	task->answered = true;
	return fd;
}

int notif_replace_fd(int notify_fd, uint64_t notif_id, int fd, int host_fd, bool cloexec)
{
	struct seccomp_notif_addfd addfd = {
		.id = notif_id,
		.flags = SECCOMP_ADDFD_FLAG_SETFD,
		.srcfd = (unsigned)host_fd,
		.newfd = (unsigned)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int got = ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	return got < 0 ? -errno : 0;
}

int task_replace_fd(struct task *task, int fd, int host_fd, bool cloexec)
{
	if (!task->notif_id)
		return -ENOSYS;
	if (fd < 0 || fd_is_reserved(task, fd))
		return -EBADF;
	return notif_replace_fd(task->sandbox->notify_fd, task->notif_id, fd, host_fd, cloexec);
}

int task_install_fd(struct task *task, int host_fd, bool cloexec)
{
	int fd;
	int r = task_install_fds(task, &host_fd, 1, cloexec, &fd);
	return r < 0 ? r : fd;
}
