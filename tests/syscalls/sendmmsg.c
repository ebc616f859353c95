/* sendmmsg: several messages in one call (what glibc's resolver sends its
 * A and AAAA queries with). The count, each entry's msg_len, and what the
 * receiver gets, over UDP on the loopback and unix sockets; an error on
 * the first message is the answer, one after some were sent ends the
 * batch with the count. Ports are not printed: they differ between runs. */
#include "common.h"
#include <netinet/in.h>
#include <sys/socket.h>

static struct sockaddr_in bound_udp(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	*fd = (int)MUST(socket(AF_INET, SOCK_DGRAM, 0));
	MUST(bind(*fd, (struct sockaddr *)&a, len));
	MUST(getsockname(*fd, (struct sockaddr *)&a, &len));
	return a;
}

static void show_lens(struct mmsghdr *v, unsigned n)
{
	say("  msg_len:");
	for (unsigned i = 0; i < n; i++)
		say(" %u", v[i].msg_len);
	say("\n");
}

/* Reads what is waiting without blocking, one message at a time. */
static void drain(int fd)
{
	char buf[128];
	long n;
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		say("  got %ld \"%.*s\"\n", n, (int)n, buf);
	say("  then %s\n", n == 0 ? "end of file" : errname(errno));
}

/* Three entries: "one", "two" from two iovecs, "three". */
static void fill(struct mmsghdr *v, struct iovec *iov, void *name, socklen_t namelen)
{
	memset(v, 0, 3 * sizeof(*v));
	iov[0] = (struct iovec){ "one", 3 };
	iov[1] = (struct iovec){ "tw", 2 };
	iov[2] = (struct iovec){ "o", 1 };
	iov[3] = (struct iovec){ "three", 5 };
	v[0].msg_hdr = (struct msghdr){ .msg_iov = &iov[0], .msg_iovlen = 1 };
	v[1].msg_hdr = (struct msghdr){ .msg_iov = &iov[1], .msg_iovlen = 2 };
	v[2].msg_hdr = (struct msghdr){ .msg_iov = &iov[3], .msg_iovlen = 1 };
	for (int i = 0; i < 3; i++) {
		v[i].msg_hdr.msg_name = name;
		v[i].msg_hdr.msg_namelen = namelen;
		v[i].msg_len = 77;
	}
}

int main(void)
{
	begin("sendmmsg");
	struct mmsghdr v[3];
	struct iovec iov[4];
	int r;

	say("UDP, an address in each entry\n");
	struct sockaddr_in to = bound_udp(&r);
	int s = (int)MUST(socket(AF_INET, SOCK_DGRAM, 0));
	fill(v, iov, &to, sizeof(to));
	T(sendmmsg(s, v, 3, 0));
	show_lens(v, 3);
	drain(r);

	say("UDP, connected, no addresses\n");
	MUST(connect(s, (struct sockaddr *)&to, sizeof(to)));
	fill(v, iov, NULL, 0);
	T(sendmmsg(s, v, 2, 0));
	show_lens(v, 3);
	drain(r);

	say("vlen 0\n");
	T(sendmmsg(s, v, 0, 0));

	say("a bad buffer in the first entry\n");
	fill(v, iov, NULL, 0);
	iov[0].iov_base = (void *)8;
	T(sendmmsg(s, v, 3, 0));
	show_lens(v, 3);
	drain(r);

	say("a bad buffer in the second entry\n");
	fill(v, iov, NULL, 0);
	iov[2].iov_base = (void *)8;
	T(sendmmsg(s, v, 3, 0));
	show_lens(v, 3);
	drain(r);

	say("a datagram too long in the third entry\n");
	static char big[70000];
	fill(v, iov, NULL, 0);
	iov[3] = (struct iovec){ big, sizeof(big) };
	T(sendmmsg(s, v, 3, 0));
	show_lens(v, 3);
	drain(r);

	say("a NULL vector\n");
	T(sendmmsg(s, NULL, 1, 0));
	close(s);
	close(r);

	say("unix datagram socketpair\n");
	int sv[2];
	MUST(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	fill(v, iov, NULL, 0);
	T(sendmmsg(sv[0], v, 3, 0));
	show_lens(v, 3);
	drain(sv[1]);
	close(sv[0]);
	close(sv[1]);

	say("unix stream socketpair\n");
	MUST(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	fill(v, iov, NULL, 0);
	T(sendmmsg(sv[0], v, 3, MSG_NOSIGNAL));
	show_lens(v, 3);
	shutdown(sv[0], SHUT_WR);
	drain(sv[1]);
	close(sv[1]);
	say("  after shutdown(SHUT_WR):\n");
	fill(v, iov, NULL, 0);
	T(sendmmsg(sv[0], v, 3, MSG_NOSIGNAL));
	close(sv[0]);
	return 0;
}
