/* AF_INET6 datagram: to the UDP listener on ::1. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct sockaddr_in6 a = addr6((int)arg_long("udp6"));
	dgram_to("udp ::1", socket(AF_INET6, SOCK_DGRAM, 0), &a, sizeof(a));
	return 0;
}
