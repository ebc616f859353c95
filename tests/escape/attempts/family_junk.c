/* Junk in the upper half of socket()'s family, type and protocol: the
 * kernel reads them as ints, so (1 << 32) | AF_INET is AF_INET. Then
 * connect to the TCP and UDP listeners. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct sockaddr_in t = addr4((int)arg_long("tcp4")), u = addr4((int)arg_long("udp4"));
	stream_to("family (1<<32)|AF_INET", syscall(SYS_socket, (1UL << 32) | AF_INET, SOCK_STREAM, 0), &t, sizeof(t));
	stream_to("family 0xffffffff00000002", syscall(SYS_socket, 0xffffffff00000000UL | AF_INET, SOCK_STREAM, 0), &t, sizeof(t));
	stream_to("type (1<<32)|SOCK_STREAM", syscall(SYS_socket, AF_INET, (1UL << 32) | SOCK_STREAM, 0), &t, sizeof(t));
	dgram_to("family (1<<32)|AF_INET dgram", syscall(SYS_socket, (1UL << 32) | AF_INET, SOCK_DGRAM, 0), &u, sizeof(u));
	struct sockaddr_in6 t6 = addr6((int)arg_long("tcp6"));
	stream_to("family (1<<32)|AF_INET6", syscall(SYS_socket, (1UL << 32) | AF_INET6, SOCK_STREAM, 0), &t6, sizeof(t6));
	/* An AF_UNIX socket whose connect address says AF_INET. */
	stream_to("AF_UNIX socket, AF_INET address", socket(AF_UNIX, SOCK_STREAM, 0), &t, sizeof(t));
	return 0;
}
