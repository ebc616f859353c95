/* AF_INET6 stream: connect to the TCP listener on ::1, and to the IPv4
 * one through an IPv4-mapped address. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct sockaddr_in6 a = addr6((int)arg_long("tcp6"));
	stream_to("tcp ::1", socket(AF_INET6, SOCK_STREAM, 0), &a, sizeof(a));
	struct sockaddr_in6 m = addr6((int)arg_long("tcp4"));
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &m.sin6_addr);
	stream_to("tcp ::ffff:127.0.0.1", socket(AF_INET6, SOCK_STREAM, 0), &m, sizeof(m));
	return 0;
}
