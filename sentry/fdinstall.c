#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "arch.h"
#include "fdinstall.h"
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

int task_install_fd(struct task *task, int host_fd, bool cloexec)
{
	int fd;
	int r = task_install_fds(task, &host_fd, 1, cloexec, &fd);
	return r < 0 ? r : fd;
}
