/* AF_UNIX datagrams: sendto the host's datagram socket by path, and
 * sendmsg with the path in msg_name. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", arg("udgram"));
	dgram_to("unix dgram", socket(AF_UNIX, SOCK_DGRAM, 0), &a, sizeof(a));
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd >= 0) {
		struct iovec iov = { "sentry-escape\n", 14 };
		struct msghdr m = { .msg_name = &a, .msg_namelen = sizeof(a), .msg_iov = &iov, .msg_iovlen = 1 };
		CHECK("sendmsg", sendmsg(fd, &m, 0));
	}
	return 0;
}
