/*
 * Runs a program the way the sentry does: execveat() of the embedded loader
 * from a memfd, with openat/readlinkat of "/proc/self/exe" answered through
 * seccomp user-notify (the program's fd, the program's path). Every other
 * openat/readlinkat continues in the kernel.
 *
 *   sandbox_exec PROGRAM ARGV0 [ARG]...           under the loader
 *   sandbox_exec --native PROGRAM ARGV0 [ARG]...  plain execve, to compare
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader_image.h"

extern char **environ;

static void die(const char *what)
{
	fprintf(stderr, "sandbox_exec: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int loader_memfd(void)
{
	int fd = memfd_create("sentry-loader", MFD_CLOEXEC);
	unsigned long done = 0;

	if (fd < 0)
		die("memfd_create");
	while (done < sentry_loader_image_size) {
		ssize_t n = write(fd, sentry_loader_image + done, sentry_loader_image_size - done);

		if (n <= 0)
			die("write loader");
		done += n;
	}
	return fd;
}

static void send_fd(int sock, int fd)
{
	char data = 0, control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof control };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	if (sendmsg(sock, &msg, 0) != 1)
		die("sendmsg");
}

static int recv_fd(int sock)
{
	char data, control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof control };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1 || !(c = CMSG_FIRSTHDR(&msg)))
		die("recvmsg");
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

static _Noreturn void child(int sock, int loader_fd, char **argv)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_readlinkat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };
	int listener;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("PR_SET_NO_NEW_PRIVS");
	listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0)
		die("seccomp");
	send_fd(sock, listener);
	close(listener);
	syscall(SYS_execveat, loader_fd, "", argv, environ, AT_EMPTY_PATH);
	die("execveat");
	exit(125);
}

/* A NUL-terminated string of the stopped task; "" if unreadable. */
static void read_string(pid_t pid, unsigned long addr, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int mem;

	snprintf(path, sizeof path, "/proc/%d/mem", pid);
	mem = open(path, O_RDONLY | O_CLOEXEC);
	n = mem < 0 ? -1 : pread(mem, buf, size - 1, addr);
	buf[n > 0 ? n : 0] = 0;
	if (mem >= 0)
		close(mem);
}

static long write_memory(pid_t pid, unsigned long addr, const char *data, size_t len)
{
	char path[64];
	ssize_t n;
	int mem;

	snprintf(path, sizeof path, "/proc/%d/mem", pid);
	mem = open(path, O_WRONLY | O_CLOEXEC);
	if (mem < 0)
		return -errno;
	n = pwrite(mem, data, len, addr);
	close(mem);
	return n == (ssize_t)len ? (long)len : -EFAULT;
}

static void answer(int listener, const struct seccomp_notif *req, const char *program)
{
	struct seccomp_notif_resp resp = { .id = req->id };
	char path[4096];

	read_string(req->pid, req->data.args[1], path, sizeof path);
	if (strcmp(path, "/proc/self/exe")) {
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	} else if (req->data.nr == SYS_openat) {
		struct seccomp_notif_addfd addfd = {
			.id = req->id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.newfd_flags = req->data.args[2] & O_CLOEXEC,
		};
		int fd = open(program, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			resp.error = -errno;
		} else {
			addfd.srcfd = fd;
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 && errno != ENOENT)
				die("SECCOMP_IOCTL_NOTIF_ADDFD");
			close(fd);
			return;
		}
	} else {
		size_t len = strlen(program);

		if (len > req->data.args[3])
			len = req->data.args[3];
		resp.val = write_memory(req->pid, req->data.args[2], program, len);
		if (resp.val < 0) {
			resp.error = (int)resp.val;
			resp.val = 0;
		}
	}
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
		die("SECCOMP_IOCTL_NOTIF_SEND");
}

static void serve(int listener, const char *program)
{
	for (;;) {
		struct pollfd p = { .fd = listener, .events = POLLIN };
		struct seccomp_notif req;

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (!(p.revents & POLLIN))
			return;
		memset(&req, 0, sizeof req);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			die("SECCOMP_IOCTL_NOTIF_RECV");
		}
		answer(listener, &req, program);
	}
}

int main(int argc, char **argv)
{
	int sock[2], listener, status, loader_fd;
	pid_t pid;

	if (argc >= 4 && !strcmp(argv[1], "--native")) {
		execve(argv[2], argv + 3, environ);
		die(argv[2]);
	}
	if (argc < 3) {
		fprintf(stderr, "usage: sandbox_exec [--native] PROGRAM ARGV0 [ARG]...\n");
		return 125;
	}
	loader_fd = loader_memfd();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock))
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		child(sock[1], loader_fd, argv + 2);
	close(sock[1]);
	listener = recv_fd(sock[0]);
	serve(listener, argv[1]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
