/* The process of the sandbox's own namespaces when the sentry is not root.
 * The kernel lets an unprivileged process unshare a user namespace only
 * while it is single-threaded, and the sentry could not setns into a
 * network namespace without CAP_SYS_ADMIN in its own user namespace: so a
 * forked child makes the namespaces and then serves the sentry over a
 * socketpair, making sockets on request and passing them back. After fork
 * it uses only system calls (the sentry may have threads by then). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devpts.h"
#include "hostview.h"
#include "netns.h"
#include "userns.h"

enum { MADE_NETNS, MADE_DEVPTS, MADE_VIEW, MADE_COUNT };

struct socket_request {
	int domain, type, protocol;
};

static int channel = -1;
static int start_error = ENOSYS; /* not started */
static int made[MADE_COUNT] = { -ENOSYS, -ENOSYS, -ENOSYS };
static pthread_mutex_t channel_lock = PTHREAD_MUTEX_INITIALIZER;

/* results[i] is 0 or -errno; fds holds one fd per result that is 0 */
static int send_fds(int sock, const int *results, size_t nresults, const int *fds, size_t nfds)
{
	char control[CMSG_SPACE(sizeof(int) * MADE_COUNT)];
	memset(control, 0, sizeof(control));
	struct iovec iov = { (void *)results, nresults * sizeof(int) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds) {
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* Receives results as send_fds sent them; results that are 0 get their fd
 * in place. */
static int recv_fds(int sock, int *results, size_t nresults)
{
	char control[CMSG_SPACE(sizeof(int) * MADE_COUNT)];
	struct iovec iov = { results, nresults * sizeof(int) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != nresults * sizeof(int))
		return -EPROTO;
	int fds[MADE_COUNT];
	size_t nfds = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(c), nfds * sizeof(int));
		}
	size_t next = 0;
	for (size_t i = 0; i < nresults; i++)
		if (results[i] == 0)
			results[i] = next < nfds ? fds[next++] : -EPROTO;
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* "0 ID 1\n" without stdio */
static void id_map_line(char *out, unsigned id)
{
	char digits[12];
	int n = 0;
	do
		digits[n++] = (char)('0' + id % 10);
	while ((id /= 10) != 0);
	*out++ = '0';
	*out++ = ' ';
	while (n)
		*out++ = digits[--n];
	strcpy(out, " 1\n");
}

static int enter_namespaces(uid_t uid, gid_t gid)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) < 0)
		return -errno;
	char line[32];
	int r = write_file("/proc/self/setgroups", "deny");
	id_map_line(line, uid);
	if (r == 0)
		r = write_file("/proc/self/uid_map", line);
	id_map_line(line, gid);
	if (r == 0)
		r = write_file("/proc/self/gid_map", line);
	return r < 0 ? r : netns_lo_up();
}

static void serve(int sock)
{
	int results[MADE_COUNT], fds[MADE_COUNT];
	size_t nfds = 0;
	int r = enter_namespaces(getuid(), getgid());
	/* no process of the caller's (the workload among them) may trace it
	 * or write its memory: it opens what the caller may */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (int i = 0; i < MADE_COUNT; i++)
		results[i] = r;
	if (r == 0) {
		results[MADE_NETNS] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (results[MADE_NETNS] < 0)
			results[MADE_NETNS] = -errno;
		results[MADE_DEVPTS] = devpts_instance();
		results[MADE_VIEW] = hostview_clone();
		for (int i = 0; i < MADE_COUNT; i++)
			if (results[i] >= 0) {
				fds[nfds++] = results[i];
				results[i] = 0;
			}
	}
	if (send_fds(sock, results, MADE_COUNT, fds, nfds) < 0 || r < 0)
		_exit(0);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	for (;;) {
		struct socket_request req;
		ssize_t n = recv(sock, &req, sizeof(req), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(req))
			_exit(0); /* the sentry has gone */
		int fd = socket(req.domain, req.type | SOCK_CLOEXEC, req.protocol);
		int result = fd < 0 ? -errno : 0;
		if (send_fds(sock, &result, 1, &fd, fd >= 0) < 0)
			_exit(0);
		if (fd >= 0)
			close(fd);
	}
}

void userns_start(void)
{
	if (geteuid() == 0 || start_error != ENOSYS)
		return; /* tried already */
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		start_error = errno;
		return;
	}
	pid_t sentry_pid = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		start_error = errno;
		close(pair[0]);
		close(pair[1]);
		return;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != sentry_pid)
			_exit(0);
		/* nothing of the sentry's kept open: only the channel, at 3 */
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		if (dup3(pair[1], 3, O_CLOEXEC) < 0)
			_exit(0);
		close_range(4, ~0u, 0);
		serve(3);
		_exit(0);
	}
	close(pair[1]);
	int r = recv_fds(pair[0], made, MADE_COUNT);
	if (r == 0 && made[MADE_NETNS] < 0 && made[MADE_NETNS] == made[MADE_DEVPTS] &&
	    made[MADE_NETNS] == made[MADE_VIEW])
		r = made[MADE_NETNS]; /* the namespaces themselves were refused */
	if (r < 0) {
		start_error = -r;
		for (int i = 0; i < MADE_COUNT; i++)
			made[i] = r;
		close(pair[0]);
		waitpid(pid, NULL, 0); /* it exits after saying why */
		return;
	}
	start_error = 0;
	channel = pair[0];
}

int userns_error(void)
{
	return start_error;
}

static int take(int which)
{
	int fd = made[which];
	if (fd >= 0)
		made[which] = -EBUSY; /* given already */
	return fd;
}

int userns_netns(void)
{
	return take(MADE_NETNS);
}

int userns_devpts(void)
{
	return take(MADE_DEVPTS);
}

int userns_hostview(void)
{
	return take(MADE_VIEW);
}

int userns_socket(int domain, int type, int protocol)
{
	if (channel < 0)
		return -ENETDOWN;
	struct socket_request req = { domain, type & ~SOCK_CLOEXEC, protocol };
	int result;
	pthread_mutex_lock(&channel_lock);
	int r = send(channel, &req, sizeof(req), MSG_NOSIGNAL) < 0 ? -errno : 0;
	if (r == 0)
		r = recv_fds(channel, &result, 1);
	pthread_mutex_unlock(&channel_lock);
	if (r < 0)
		return r;
	if (result >= 0 && !(type & SOCK_CLOEXEC)) {
		/* MSG_CMSG_CLOEXEC set it; the caller asked for none */
		int flags = fcntl(result, F_GETFD);
		if (flags >= 0)
			fcntl(result, F_SETFD, flags & ~FD_CLOEXEC);
	}
	return result;
}
