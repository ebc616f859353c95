/* --allow-net: what a HOST:PORT means, and which sockaddrs it lets through. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "netpolicy.h"

static struct net_destination v4(const char *addr, uint16_t port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port) };
	cr_assert_eq(inet_pton(AF_INET, addr, &in.sin_addr), 1);
	struct net_destination d;
	cr_assert_eq(net_destination_parse(&in, sizeof(in), &d), 0);
	return d;
}

static struct net_destination v6(const char *addr, uint16_t port)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	cr_assert_eq(inet_pton(AF_INET6, addr, &in6.sin6_addr), 1);
	struct net_destination d;
	cr_assert_eq(net_destination_parse(&in6, sizeof(in6), &d), 0);
	return d;
}

static struct net_policy *policy_of(const char *const *specs)
{
	struct net_policy *p = NULL;
	for (; *specs; specs++)
		cr_assert_null(net_policy_add(&p, *specs), "%s", *specs);
	cr_assert_eq(net_policy_resolve(p), 0);
	return p;
}

Test(netpolicy, bad_specs_are_refused)
{
	const char *bad[] = { "", "host", ":80", "host:", "host:0", "host:65536", "host:-1", "host:+80", "host:8x",
			      "::1:80", "[::1:80", "[]:80", "[not-v6]:80", "[127.0.0.1]:80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct net_policy *p = NULL;
		cr_expect_not_null(net_policy_add(&p, bad[i]), "'%s' was taken", bad[i]);
		net_policy_free(p);
	}
}

Test(netpolicy, nothing_given_allows_nothing)
{
	cr_assert_not(net_policy_enabled(NULL));
	struct net_destination d = v4("127.0.0.1", 80);
	cr_assert_not(net_policy_allows(NULL, &d));
	cr_assert_null(net_policy_hosts_lines(NULL));
}

Test(netpolicy, exact_address_and_port)
{
	struct net_policy *p = policy_of((const char *[]){ "127.0.0.1:8080", "[::1]:9090", NULL });
	cr_assert(net_policy_enabled(p));
	struct net_destination ok4 = v4("127.0.0.1", 8080), ok6 = v6("::1", 9090);
	cr_expect(net_policy_allows(p, &ok4));
	cr_expect(net_policy_allows(p, &ok6));
	struct net_destination other_port = v4("127.0.0.1", 8081), other_host = v4("127.0.0.2", 8080),
			       wrong_family_port = v6("::1", 8080), any = v4("0.0.0.0", 8080);
	cr_expect_not(net_policy_allows(p, &other_port));
	cr_expect_not(net_policy_allows(p, &other_host));
	cr_expect_not(net_policy_allows(p, &wrong_family_port));
	cr_expect_not(net_policy_allows(p, &any));
	cr_expect_null(net_policy_hosts_lines(p), "numeric addresses need no /etc/hosts line");
	net_policy_free(p);
}

/* An IPv6 socket reaches an IPv4 host through a mapped address: it is
 * the same destination, allowed or refused alike. */
Test(netpolicy, mapped_ipv4_is_the_ipv4_address)
{
	struct net_policy *p = policy_of((const char *[]){ "127.0.0.1:80", NULL });
	struct net_destination mapped = v6("::ffff:127.0.0.1", 80);
	cr_expect_eq(mapped.family, AF_INET);
	cr_expect(net_policy_allows(p, &mapped));
	struct net_destination mapped_other = v6("::ffff:10.0.0.1", 80);
	cr_expect_not(net_policy_allows(p, &mapped_other));
	net_policy_free(p);
}

Test(netpolicy, a_name_is_resolved_and_listed_for_etc_hosts)
{
	struct net_policy *p = policy_of((const char *[]){ "localhost:5000", NULL });
	struct net_destination d = v4("127.0.0.1", 5000);
	cr_expect(net_policy_allows(p, &d));
	const char *lines = net_policy_hosts_lines(p);
	cr_assert_not_null(lines);
	cr_expect(strstr(lines, "127.0.0.1 localhost\n") != NULL, "%s", lines);
	net_policy_free(p);
}

Test(netpolicy, sockaddrs_as_the_kernel_reads_them)
{
	struct net_destination d;
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(1) };
	cr_expect_eq(net_destination_parse(&in, 1, &d), -EINVAL);
	cr_expect_eq(net_destination_parse(&in, sizeof(in) - 1, &d), -EINVAL);
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	cr_expect_eq(net_destination_parse(&in6, 23, &d), -EINVAL);
	cr_expect_eq(net_destination_parse(&in6, 24, &d), 0, "RFC 2133 length, no scope id");
	struct sockaddr un = { .sa_family = AF_UNIX };
	cr_expect_eq(net_destination_parse(&un, sizeof(un), &d), -EAFNOSUPPORT);
	char shown[64];
	d = v6("::1", 8080);
	net_destination_format(&d, shown, sizeof(shown));
	cr_expect_str_eq(shown, "[::1]:8080");
	d = v4("10.1.2.3", 443);
	net_destination_format(&d, shown, sizeof(shown));
	cr_expect_str_eq(shown, "10.1.2.3:443");
}
