/* An IPv4 UDP datagram to 127.0.0.1, built by hand. */
#ifndef INET_PACKET_H
#define INET_PACKET_H

#include <netinet/ip.h>
#include <netinet/udp.h>

#include "net.h"

static inline unsigned short ip_sum(const void *p, size_t n)
{
	const unsigned short *w = p;
	unsigned long s = 0;
	for (; n > 1; n -= 2)
		s += *w++;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned short)~s;
}

/* Fills buf with an IP header, a UDP header and a payload; gives the
 * length. */
static inline size_t udp_packet(unsigned char *buf, int port)
{
	static const char payload[] = "sentry-escape raw\n";
	struct iphdr *ip = (void *)buf;
	struct udphdr *udp = (void *)(buf + sizeof(*ip));
	size_t len = sizeof(*ip) + sizeof(*udp) + sizeof(payload) - 1;
	memset(buf, 0, len);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons((unsigned short)len);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = htonl(INADDR_LOOPBACK);
	ip->daddr = htonl(INADDR_LOOPBACK);
	ip->check = ip_sum(ip, sizeof(*ip));
	udp->source = htons(9);
	udp->dest = htons((unsigned short)port);
	udp->len = htons((unsigned short)(sizeof(*udp) + sizeof(payload) - 1));
	udp->check = 0; /* optional for IPv4 */
	memcpy(udp + 1, payload, sizeof(payload) - 1);
	return len;
}

#endif
