/* socketpair: stream, datagram and seqpacket round trips, flags,
 * shutdown, and passing an fd. */
#include "common.h"
#include <sys/socket.h>

int main(void)
{
	begin("socketpair");
	signal(SIGPIPE, SIG_IGN);
	int s[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	show_fd("stream", s[0]);
	T(write(s[0], "ping", 4));
	T(write(s[0], "pong", 4));
	readfd("s[1]", s[1]);
	T(send(s[1], "back", 4, 0));
	readfd("s[0]", s[0]);
	int type = 0;
	socklen_t len = sizeof(type);
	T(getsockopt(s[0], SOL_SOCKET, SO_TYPE, &type, &len));
	say("  SO_TYPE %d\n", type);
	T(shutdown(s[0], SHUT_WR));
	readfd("after shutdown", s[1]);
	T(write(s[0], "x", 1));
	T(send(s[0], "x", 1, MSG_NOSIGNAL));
	T(close(s[0]));
	T(close(s[1]));
	/* Datagrams keep their boundaries. */
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	T(write(s[0], "one", 3));
	T(write(s[0], "two", 3));
	readfd("dgram", s[1]);
	readfd("dgram", s[1]);
	T(close(s[0]));
	T(close(s[1]));
	T(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	T(write(s[0], "first", 5));
	T(write(s[0], "second", 6));
	char small[3];
	T(read(s[1], small, sizeof(small)));
	readfd("seqpacket", s[1]);
	T(close(s[0]));
	T(close(s[1]));
	/* Flags. */
	T(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, s));
	T(fcntl(s[0], F_GETFD));
	T(fcntl(s[1], F_GETFL) & O_NONBLOCK);
	T(read(s[0], small, 1));
	T(close(s[0]));
	T(close(s[1]));
	T(socketpair(AF_INET, SOCK_STREAM, 0, s));
	T(socketpair(AF_UNIX, SOCK_STREAM, 99, s));
	T(socketpair(AF_UNIX, 99, 0, s));
	T(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (int *)1));
	/* Pass an fd of a file with SCM_RIGHTS; it arrives as the lowest
	 * free number and reads the same file. */
	put("f", "passed file");
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	int fd = T(open("f", O_RDONLY));
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { .iov_base = "m", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	T(sendmsg(s[0], &msg, 0));
	T(close(fd));
	char m;
	struct iovec riov = { .iov_base = &m, .iov_len = 1 };
	char rbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr rmsg = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf,
			       .msg_controllen = sizeof(rbuf) };
	T(recvmsg(s[1], &rmsg, MSG_CMSG_CLOEXEC));
	struct cmsghdr *rc = CMSG_FIRSTHDR(&rmsg);
	if (rc && rc->cmsg_type == SCM_RIGHTS) {
		int got;
		memcpy(&got, CMSG_DATA(rc), sizeof(int));
		say("  received fd %d\n", got);
		T(fcntl(got, F_GETFD));
		readfd("received", got);
	} else {
		say("  no fd received\n");
	}
	return 0;
}
