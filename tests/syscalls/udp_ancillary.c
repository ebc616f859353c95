/* Datagrams on the loopback: UDP-Lite over IPv4, and the ancillary data a
 * receiver asks for with IP_RECVTTL, IP_RECVTOS, IPV6_RECVHOPLIMIT and
 * IPV6_RECVTCLASS (what CPython's RFC 3542 tests read). Ports are not
 * printed: they differ between runs. */
#include "common.h"
#include <netinet/in.h>
#include <sys/socket.h>

/* Binds a socket to the loopback's port 0 and connects a second to it. */
static int pair(int family, int protocol, int *receiver)
{
	struct sockaddr_storage a;
	memset(&a, 0, sizeof(a));
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&a;
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a;
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		len = sizeof(*in6);
	}
	*receiver = (int)T(socket(family, SOCK_DGRAM, protocol));
	int sender = (int)T(socket(family, SOCK_DGRAM, protocol));
	T(bind(*receiver, (struct sockaddr *)&a, len));
	T(getsockname(*receiver, (struct sockaddr *)&a, &len));
	T(connect(sender, (struct sockaddr *)&a, len));
	return sender;
}

/* Receives one datagram and prints its bytes and every control message. */
static void receive(int fd)
{
	char data[64], control[256];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			    .msg_controllen = sizeof(control) };
	long n = T(recvmsg(fd, &m, 0));
	if (n < 0)
		return;
	say("  %ld bytes \"%.*s\" flags %#x\n", n, (int)n, data, m.msg_flags);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		int v = 0;
		if (c->cmsg_len >= CMSG_LEN(1))
			memcpy(&v, CMSG_DATA(c), c->cmsg_len - CMSG_LEN(0) < sizeof(v) ? 1 : sizeof(v));
		say("  cmsg level %d type %d len %zu value %d\n", c->cmsg_level, c->cmsg_type,
		    (size_t)c->cmsg_len, c->cmsg_len - CMSG_LEN(0) == 1 ? (unsigned char)v : v);
	}
}

static void set_on(int fd, int level, int option, const char *label)
{
	int one = 1, v = -1;
	socklen_t len = sizeof(v);
	say("%s: ", label);
	T(setsockopt(fd, level, option, &one, sizeof(one)));
	T(getsockopt(fd, level, option, &v, &len));
	say("  value %d\n", v);
}

int main(void)
{
	begin("udp_ancillary");
	int r, s;

	say("UDP-Lite over IPv4\n");
	s = pair(AF_INET, IPPROTO_UDPLITE, &r);
	T(send(s, "lite", 4, 0));
	receive(r);
	close(s);
	close(r);

	say("UDP over IPv4\n");
	s = pair(AF_INET, 0, &r);
	set_on(r, IPPROTO_IP, IP_RECVTTL, "IP_RECVTTL");
	set_on(r, IPPROTO_IP, IP_RECVTOS, "IP_RECVTOS");
	T(send(s, "four", 4, 0));
	receive(r);
	close(s);
	close(r);

	say("UDP over IPv6\n");
	s = pair(AF_INET6, 0, &r);
	set_on(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, "IPV6_RECVHOPLIMIT");
	set_on(r, IPPROTO_IPV6, IPV6_RECVTCLASS, "IPV6_RECVTCLASS");
	T(send(s, "six", 3, 0));
	receive(r);
	close(s);
	close(r);
	return 0;
}
