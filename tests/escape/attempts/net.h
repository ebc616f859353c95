/* Socket helpers for the network attempts. */
#ifndef NET_H
#define NET_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>

#include "esc.h"

static inline struct sockaddr_in addr4(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static inline struct sockaddr_in6 addr6(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port) };
	a.sin6_addr = in6addr_loopback;
	return a;
}

/* Connects a stream socket, sends a line, closes; prints each step. */
static inline void stream_to(const char *label, long sock, const void *addr, socklen_t len)
{
	say("%s: socket: %s\n", label, res(sock, errno));
	if (sock < 0)
		return;
	struct timeval tv = { 2, 0 };
	setsockopt((int)sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (CHECK("connect", connect((int)sock, addr, len)) == 0)
		CHECK("send", send((int)sock, "sentry-escape\n", 14, MSG_NOSIGNAL));
	close((int)sock);
}

static inline void dgram_to(const char *label, long sock, const void *addr, socklen_t len)
{
	say("%s: socket: %s\n", label, res(sock, errno));
	if (sock < 0)
		return;
	CHECK("sendto", sendto((int)sock, "sentry-escape\n", 14, 0, addr, len));
	if (CHECK("connect", connect((int)sock, addr, len)) == 0)
		CHECK("send", send((int)sock, "sentry-escape\n", 14, MSG_NOSIGNAL));
	close((int)sock);
}

#endif
