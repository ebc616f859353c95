/* --allow-net HOST:PORT: the only destinations a workload may reach. */
#ifndef SENTRY_NETPOLICY_H
#define SENTRY_NETPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct net_policy;

/* Adds one HOST:PORT ("example.org:443", "10.0.0.7:80", "[::1]:8080").
 * NULL when taken, else why not (for a one-line usage error). */
const char *net_policy_add(struct net_policy **policy, const char *spec);

/* Resolves the names, once, before the workload starts. 0, or -1 after
 * printing one line naming the destination that failed. */
int net_policy_resolve(struct net_policy *policy);

bool net_policy_enabled(const struct net_policy *policy);
void net_policy_free(struct net_policy *policy);

/* An inet destination the workload names: its address family and bytes
 * (an IPv4-mapped IPv6 address is taken as the IPv4 one) and port. */
struct net_destination {
	int family;        /* AF_INET or AF_INET6 */
	uint8_t addr[16];  /* 4 bytes for AF_INET */
	uint16_t port;     /* host byte order */
};

/* Reads a sockaddr the workload copied in: 0, or -EINVAL (too short) or
 * -EAFNOSUPPORT (not AF_INET/AF_INET6), what the kernel would answer. */
int net_destination_parse(const void *sa, size_t len, struct net_destination *out);
/* "10.0.0.7:80", "[::1]:8080" */
void net_destination_format(const struct net_destination *d, char *buf, size_t size);

bool net_policy_allows(const struct net_policy *policy, const struct net_destination *d);

/* The lines "ADDRESS NAME" for the names given, for the sandbox's
 * /etc/hosts; NULL when no name was given. Owned by the policy. */
const char *net_policy_hosts_lines(const struct net_policy *policy);

#endif
