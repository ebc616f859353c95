/* AF_PACKET: an Ethernet frame carrying an IPv6 UDP datagram to the UDP
 * listener on ::1, sent on the loopback interface. (Linux drops frames for
 * 127.0.0.1 that arrive without a route as martians; ::1 on lo passes.) */
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>

#include "net.h"

static unsigned long sum16(const void *p, size_t n, unsigned long s)
{
	const unsigned char *b = p;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (unsigned long)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (unsigned long)(b[n - 1] << 8);
	return s;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	static const char payload[] = "sentry-escape packet\n";
	unsigned char frame[256] = { 0 };
	struct ether_header *eh = (void *)frame;
	struct ip6_hdr *ip = (void *)(eh + 1);
	struct udphdr *udp = (void *)(ip + 1);
	size_t ulen = sizeof(*udp) + sizeof(payload) - 1;
	eh->ether_type = htons(ETHERTYPE_IPV6);
	ip->ip6_flow = htonl(6u << 28);
	ip->ip6_plen = htons((unsigned short)ulen);
	ip->ip6_nxt = IPPROTO_UDP;
	ip->ip6_hlim = 64;
	ip->ip6_src = in6addr_loopback;
	ip->ip6_dst = in6addr_loopback;
	udp->source = htons(9);
	udp->dest = htons((unsigned short)arg_long("udp6"));
	udp->len = htons((unsigned short)ulen);
	memcpy(udp + 1, payload, sizeof(payload) - 1);
	/* Checksum over the pseudo-header (addresses, length, next header). */
	unsigned long s = sum16(&ip->ip6_src, 32, 0) + ulen + IPPROTO_UDP;
	s = sum16(udp, ulen, s);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	udp->check = htons((unsigned short)~s);
	size_t len = sizeof(*eh) + sizeof(*ip) + ulen;

	int fd = CHECK("socket(AF_PACKET, SOCK_RAW)", socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
	CHECK("socket(AF_PACKET, SOCK_DGRAM)", socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IPV6)));
	if (fd < 0)
		return 0;
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
				  .sll_ifindex = (int)if_nametoindex("lo"), .sll_halen = 6 };
	if (!to.sll_ifindex)
		to.sll_ifindex = 1;
	CHECK("sendto lo", sendto(fd, frame, len, 0, (void *)&to, sizeof(to)));
	return 0;
}
