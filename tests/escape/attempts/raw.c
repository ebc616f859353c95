/* Raw IP sockets: a hand-made UDP datagram to the UDP listener, through
 * SOCK_RAW with IPPROTO_UDP (the kernel adds the IP header) and with
 * IPPROTO_RAW (we give it). */
#include "inet_packet.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int port = (int)arg_long("udp4");
	unsigned char pkt[128];
	size_t len = udp_packet(pkt, port);
	struct sockaddr_in to = addr4(0);
	int fd = CHECK("socket(AF_INET, SOCK_RAW, IPPROTO_UDP)", socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
	if (fd >= 0)
		CHECK("sendto", sendto(fd, pkt + sizeof(struct iphdr), len - sizeof(struct iphdr), 0, (void *)&to, sizeof(to)));
	fd = CHECK("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)", socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
	if (fd >= 0)
		CHECK("sendto", sendto(fd, pkt, len, 0, (void *)&to, sizeof(to)));
	CHECK("socket(AF_INET6, SOCK_RAW, IPPROTO_UDP)", socket(AF_INET6, SOCK_RAW, IPPROTO_UDP));
	return 0;
}
