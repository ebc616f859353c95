/* SCM_CREDENTIALS on unix sockets: what a receiver with SO_PASSCRED sees
 * when the sender gives none (its pid, real uid and gid) or gives them,
 * and which claims the kernel refuses: another pid or uid without the
 * capability, a bad length, a pid that does not exist. Run as root; a
 * child drops to uid and gid 1000, which the sentry emulates: its sends
 * carry them. Pids are printed as relations. */
#include "common.h"
#include <grp.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/wait.h>

static pid_t other; /* a second process of the program */

static const char *who(pid_t pid)
{
	return pid == getpid() ? "self" : pid == other ? "other" : pid == getppid() ? "parent" : "unknown";
}

static long send_with(int fd, const struct ucred *u, size_t len)
{
	char control[CMSG_SPACE(sizeof(struct ucred)) + 8];
	memset(control, 0, sizeof(control));
	struct iovec iov = { "x", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (u) {
		struct cmsghdr *c = (struct cmsghdr *)control;
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = CMSG_LEN(len);
		memcpy(CMSG_DATA(c), u, sizeof(*u));
		m.msg_control = control;
		m.msg_controllen = CMSG_SPACE(len);
	}
	return sendmsg(fd, &m, 0);
}

static void receive(int fd)
{
	char byte, control[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			    .msg_controllen = sizeof(control) };
	long n = recvmsg(fd, &m, MSG_DONTWAIT);
	say("  recvmsg = %s", res(n, errno));
	struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&m) : NULL;
	if (c && c->cmsg_type == SCM_CREDENTIALS) {
		struct ucred u;
		memcpy(&u, CMSG_DATA(c), sizeof(u));
		say(" pid %s uid %u gid %u", who(u.pid), u.uid, u.gid);
	}
	say("\n");
}

static void attempt(const char *label, int s[2], pid_t pid, uid_t uid, gid_t gid, size_t len)
{
	struct ucred u = { pid, uid, gid };
	long r = send_with(s[0], &u, len);
	say("%s: sendmsg = %s\n", label, res(r, errno));
	if (r >= 0)
		receive(s[1]);
}

static void exchange(int type, const char *name, bool root)
{
	int s[2];
	say("-- %s\n", name);
	T(socketpair(AF_UNIX, type, 0, s));
	int one = 1;
	T(setsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	say("none given: sendmsg = %s\n", res(send_with(s[0], NULL, 0), errno));
	receive(s[1]);
	if (root) {
		/* a write is the kernel's: inside it stamps the host's ids,
		 * not emulated ones (README, known differences) */
		say("write: %s\n", res(write(s[0], "w", 1), errno));
		receive(s[1]);
	}
	attempt("own", s, getpid(), getuid(), getgid(), sizeof(struct ucred));
	attempt("other pid", s, other, getuid(), getgid(), sizeof(struct ucred));
	attempt("uid 1234", s, getpid(), 1234, getgid(), sizeof(struct ucred));
	attempt("gid 4321", s, getpid(), getuid(), 4321, sizeof(struct ucred));
	attempt("uid -1", s, getpid(), (uid_t)-1, getgid(), sizeof(struct ucred));
	attempt("short", s, getpid(), getuid(), getgid(), sizeof(struct ucred) - 4);
	if (root) {
		attempt("pid 0", s, 0, 0, 0, sizeof(struct ucred));
		attempt("no such pid", s, 0x3ffffe, 0, 0, sizeof(struct ucred));
	}
	close(s[0]);
	close(s[1]);
}

int main(void)
{
	begin("scm_credentials");
	other = fork();
	if (other == 0) {
		pause();
		_exit(0);
	}
	exchange(SOCK_DGRAM, "datagram, root", true);
	exchange(SOCK_STREAM, "stream, root", true);

	pid_t child = fork();
	if (child == 0) {
		if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(3);
		exchange(SOCK_DGRAM, "datagram, uid 1000", false);
		exchange(SOCK_STREAM, "stream, uid 1000", false);
		_exit(0);
	}
	int status;
	say("child reaped %d status %d\n", waitpid(child, &status, 0) == child, status);
	kill(other, SIGKILL);
	say("other reaped %d\n", waitpid(other, &status, 0) == other);
	return 0;
}
