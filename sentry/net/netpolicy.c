/* --allow-net: destinations given as HOST:PORT, names resolved by the
 * sentry at start (the workload finds them in /etc/hosts; DNS stays
 * closed), and the check a connect or sendto must pass. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netpolicy.h"

struct net_rule {
	char *host;       /* as given, without brackets */
	uint16_t port;
	bool is_name;     /* not a numeric address: resolved at start */
};

struct net_policy {
	struct net_rule *rules;
	size_t nrules;
	struct net_destination *allowed;
	size_t nallowed;
	char *hosts_lines;
};

static int parse_port(const char *text)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > 65535 || text[0] == '+' || text[0] == '-')
		return -1;
	return (int)v;
}

static bool is_numeric(const char *host)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

const char *net_policy_add(struct net_policy **policy, const char *spec)
{
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec)
		return "--allow-net takes HOST:PORT, not";
	const char *host = spec;
	size_t host_len = (size_t)(colon - spec);
	if (spec[0] == '[') {
		if (colon[-1] != ']' || host_len < 3)
			return "--allow-net takes [IPv6]:PORT, not";
		host++;
		host_len -= 2;
	} else if (memchr(spec, ':', host_len)) {
		return "--allow-net takes an IPv6 address in brackets ([::1]:PORT), not";
	}
	int port = parse_port(colon + 1);
	if (port < 0)
		return "--allow-net takes a port from 1 to 65535, not";
	if (!*policy && !(*policy = calloc(1, sizeof(**policy))))
		return "out of memory at";
	struct net_policy *p = *policy;
	struct net_rule *rules = realloc(p->rules, (p->nrules + 1) * sizeof(*rules));
	if (!rules)
		return "out of memory at";
	p->rules = rules;
	struct net_rule *r = &rules[p->nrules];
	if (!(r->host = strndup(host, host_len)))
		return "out of memory at";
	if (spec[0] == '[' && inet_pton(AF_INET6, r->host, (unsigned char[16]){ 0 }) != 1) {
		free(r->host);
		return "--allow-net takes an IPv6 address in brackets, not";
	}
	r->port = (uint16_t)port;
	r->is_name = !is_numeric(r->host);
	p->nrules++;
	return NULL;
}

/* An address of the family's size; an IPv4-mapped IPv6 one is the IPv4
 * address, the same destination. */
static void set_destination(struct net_destination *d, int family, const void *addr, uint16_t port)
{
	memset(d, 0, sizeof(*d));
	d->port = port;
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr)) {
		d->family = AF_INET;
		memcpy(d->addr, (const uint8_t *)addr + 12, 4);
	} else {
		d->family = family;
		memcpy(d->addr, addr, family == AF_INET ? 4 : 16);
	}
}

static int allow(struct net_policy *p, int family, const void *addr, uint16_t port)
{
	struct net_destination d;
	set_destination(&d, family, addr, port);
	if (net_policy_allows(p, &d))
		return 0;
	struct net_destination *grown = realloc(p->allowed, (p->nallowed + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	p->allowed = grown;
	p->allowed[p->nallowed++] = d;
	return 0;
}

static int append_hosts_line(struct net_policy *p, const char *address, const char *name)
{
	size_t old = p->hosts_lines ? strlen(p->hosts_lines) : 0;
	size_t add = strlen(address) + 1 + strlen(name) + 1;
	char *grown = realloc(p->hosts_lines, old + add + 1);
	if (!grown)
		return -1;
	snprintf(grown + old, add + 1, "%s %s\n", address, name);
	p->hosts_lines = grown;
	return 0;
}

static int resolve_one(struct net_policy *p, const struct net_rule *r)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = r->is_name ? 0 : AI_NUMERICHOST };
	struct addrinfo *list;
	int err = getaddrinfo(r->host, NULL, &hints, &list);
	if (err) {
		fprintf(stderr, "sentry: --allow-net %s:%u: cannot resolve %s: %s\n", r->host, r->port, r->host,
			err == EAI_SYSTEM ? strerror(errno) : gai_strerror(err));
		return -1;
	}
	int result = 0;
	for (struct addrinfo *ai = list; ai && result == 0; ai = ai->ai_next) {
		char shown[INET6_ADDRSTRLEN];
		const void *addr;
		if (ai->ai_family == AF_INET)
			addr = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			addr = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		result = allow(p, ai->ai_family, addr, r->port);
		if (result == 0 && r->is_name && inet_ntop(ai->ai_family, addr, shown, sizeof(shown)) &&
		    (!p->hosts_lines || !strstr(p->hosts_lines, shown)))
			result = append_hosts_line(p, shown, r->host);
	}
	freeaddrinfo(list);
	if (result)
		fprintf(stderr, "sentry: --allow-net: out of memory\n");
	return result;
}

int net_policy_resolve(struct net_policy *policy)
{
	for (size_t i = 0; policy && i < policy->nrules; i++)
		if (resolve_one(policy, &policy->rules[i]) < 0)
			return -1;
	return 0;
}

bool net_policy_enabled(const struct net_policy *policy) { return policy && policy->nrules; }

void net_policy_free(struct net_policy *policy)
{
	if (!policy)
		return;
	for (size_t i = 0; i < policy->nrules; i++)
		free(policy->rules[i].host);
	free(policy->rules);
	free(policy->allowed);
	free(policy->hosts_lines);
	free(policy);
}

int net_destination_parse(const void *sa, size_t len, struct net_destination *out)
{
	sa_family_t family;
	if (len < sizeof(family))
		return -EINVAL;
	memcpy(&family, sa, sizeof(family));
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		struct sockaddr_in in;
		if (len < sizeof(in))
			return -EINVAL;
		memcpy(&in, sa, sizeof(in));
		set_destination(out, AF_INET, &in.sin_addr, ntohs(in.sin_port));
		return 0;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 in6;
		if (len < offsetof(struct sockaddr_in6, sin6_scope_id)) /* SIN6_LEN_RFC2133 */
			return -EINVAL;
		memset(&in6, 0, sizeof(in6));
		memcpy(&in6, sa, len < sizeof(in6) ? len : sizeof(in6));
		set_destination(out, AF_INET6, &in6.sin6_addr, ntohs(in6.sin6_port));
		return 0;
	}
	return -EAFNOSUPPORT;
}

void net_destination_format(const struct net_destination *d, char *buf, size_t size)
{
	char shown[INET6_ADDRSTRLEN] = "?";
	inet_ntop(d->family, d->addr, shown, sizeof(shown));
	snprintf(buf, size, d->family == AF_INET6 ? "[%s]:%u" : "%s:%u", shown, d->port);
}

bool net_policy_allows(const struct net_policy *policy, const struct net_destination *d)
{
	for (size_t i = 0; policy && i < policy->nallowed; i++) {
		const struct net_destination *a = &policy->allowed[i];
		if (a->family == d->family && a->port == d->port &&
		    memcmp(a->addr, d->addr, d->family == AF_INET ? 4 : 16) == 0)
			return true;
	}
	return false;
}

const char *net_policy_hosts_lines(const struct net_policy *policy) { return policy ? policy->hosts_lines : NULL; }
