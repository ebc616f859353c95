/* The sandbox's own network namespace, holding only `lo` (up), made once
 * by a short-lived thread that unshares it; the sentry keeps an fd of it.
 * A socket is made there by switching the calling thread in and back out
 * (namespaces are per thread, so no other thread of the sentry notices).
 * A socket keeps the namespace it was made in: bind, listen, connect and
 * accept on it then happen there, at kernel speed, and 127.0.0.1 and ::1
 * inside are the sandbox's, never the host's. Without CAP_SYS_ADMIN the
 * namespace is the one of the sentry's user-namespace process (userns.c),
 * which makes the sockets; without either, inet sockets stay refused. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>

#include "netns.h"
#include "sandbox.h"
#include "userns.h"

static int ns_fd = -1, host_ns_fd = -1;
static bool ns_of_userns; /* sockets are made there by the userns process */
static struct stat ns_id;
static int ns_error; /* why the namespace could not be made, once tried */

int netns_lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	int r = 0;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (r == 0 && ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		r = -errno;
	close(s);
	return r;
}

/* Signals stay with the loop's thread (a SIGCHLD taken by another thread
 * would be lost to the loop), so every thread started here blocks them. */
static int start_thread(void *(*run)(void *), void *arg, bool detached, pthread_t *out)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	if (detached)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	int err = pthread_create(out ? out : &t, &attr, run, arg);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

/* The thread ends right after: only its fd of the namespace remains. */
static void *make_namespace(void *arg)
{
	int *err = arg;
	if (unshare(CLONE_NEWNET) < 0) {
		*err = errno;
		return NULL;
	}
	long r = netns_lo_up();
	if (r < 0) {
		*err = (int)-r;
		return NULL;
	}
	ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	*err = ns_fd < 0 ? errno : 0;
	return NULL;
}

static int netns_make(void)
{
	if (ns_fd >= 0 || ns_error)
		return ns_error;
	int err = 0, made = 0; /* made: the thread's own result */
	pthread_t t;
	host_ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (host_ns_fd < 0)
		err = errno;
	else if ((err = start_thread(make_namespace, &made, false, &t)) == 0) {
		pthread_join(t, NULL);
		err = made;
	}
	if (err == EPERM && (ns_fd = userns_netns()) >= 0) {
		err = 0;
		ns_of_userns = true;
	}
	if (err == 0 && fstat(ns_fd, &ns_id) < 0)
		err = errno;
	if (err) {
		ns_error = err;
		if (ns_fd >= 0)
			close(ns_fd);
		ns_fd = -1;
	}
	return err;
}

const char *netns_join(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return "--netns: cannot open";
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		close(fd);
		return "--netns: not a network namespace:";
	}
	host_ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (host_ns_fd < 0 || fstat(fd, &ns_id) < 0) {
		close(fd);
		return "--netns: cannot hold the host's network namespace for";
	}
	ns_fd = fd;
	return NULL;
}

bool netns_available(struct sandbox *sb)
{
	bool tried = ns_fd >= 0 || ns_error;
	int err = netns_make();
	if (err && !tried)
		sentry_debug(sb, "no loopback inside: a network namespace of the sandbox's own needs CAP_SYS_ADMIN "
				 "or a user namespace (%s; user namespace: %s); inet sockets stay refused",
			     strerror(err), strerror(userns_error()));
	return err == 0;
}

int netns_socket(int domain, int type, int protocol)
{
	if (ns_fd < 0)
		return -ENETDOWN;
	if (ns_of_userns)
		return userns_socket(domain, type, protocol);
	if (setns(ns_fd, CLONE_NEWNET) < 0)
		return -errno;
	int fd = socket(domain, type, protocol);
	int err = errno;
	if (setns(host_ns_fd, CLONE_NEWNET) < 0)
		sentry_fatal("cannot return to the host's network namespace: %s", strerror(errno));
	return fd < 0 ? -err : fd;
}

int netns_sysctl(struct sandbox *sb, const char *key, const char *value, char *shown, size_t size)
{
	if (!netns_available(sb))
		return -ENETDOWN;
	if (ns_of_userns)
		return -EPERM;  /* the user-namespace process's: not the sentry's to enter */
	/* the host's: that of whoever started the sentry, which is not always
	 * the sentry's (sentry-runc starts it in one of the container's own,
	 * which Docker's prestart hook configures) */
	char parent[64];
	snprintf(parent, sizeof(parent), "/proc/%d/ns/net", (int)getppid());
	struct stat host;
	if ((stat(parent, &host) == 0 || fstat(host_ns_fd, &host) == 0) && host.st_dev == ns_id.st_dev &&
	    host.st_ino == ns_id.st_ino)
		return -EBUSY;  /* --netns named the host's own: as runc, never its sysctls */
	char path[256];
	int n = snprintf(path, sizeof(path), "/proc/sys/%s", key);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	/* /proc/sys/net is the namespace of the thread that opens it */
	if (setns(ns_fd, CLONE_NEWNET) < 0)
		return -errno;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int err = errno;
	if (setns(host_ns_fd, CLONE_NEWNET) < 0)
		sentry_fatal("cannot return to the host's network namespace: %s", strerror(errno));
	if (fd < 0)
		return -err;
	ssize_t len = (ssize_t)strlen(value);
	ssize_t w = write(fd, value, (size_t)len);
	err = w == len ? 0 : w < 0 ? -errno : -EIO;
	ssize_t r = err ? -1 : pread(fd, shown, size - 1, 0);
	if (!err && r < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	shown[r] = '\0';
	shown[strcspn(shown, "\n")] = '\0';
	return 0;
}

bool netns_owns(int sockfd)
{
	if (ns_fd < 0)
		return false;
	int ns = ioctl(sockfd, SIOCGSKNS);
	if (ns < 0)
		return false;
	struct stat st;
	bool same = fstat(ns, &st) == 0 && st.st_dev == ns_id.st_dev && st.st_ino == ns_id.st_ino;
	close(ns);
	return same;
}

/* --- --publish: host ports relayed to the sandbox's loopback ------------- */

#define PUBLISH_MAX 32

static struct publish {
	struct sockaddr_storage host;
	socklen_t host_len;
	char shown[80];
	uint16_t sandbox_port;
	int listener;
} published[PUBLISH_MAX];
static int npublished;

static int parse_port(const char *text, size_t len)
{
	if (len == 0 || len > 5)
		return -1;
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	return v >= 1 && v <= 65535 ? v : -1;
}

const char *netns_publish_add(const char *spec)
{
	if (npublished == PUBLISH_MAX)
		return "--publish: too many ports at";
	struct publish *p = &published[npublished];
	const char *last = strrchr(spec, ':');
	if (!last)
		return "--publish takes [HOST_ADDR:]HOST_PORT:SANDBOX_PORT, not";
	int sandbox_port = parse_port(last + 1, strlen(last + 1));
	const char *port_start = last;
	while (port_start > spec && port_start[-1] != ':')
		port_start--;
	int host_port = parse_port(port_start, (size_t)(last - port_start));
	if (sandbox_port < 0 || host_port < 0)
		return "--publish takes ports from 1 to 65535, not";
	char addr[64] = "127.0.0.1";
	if (port_start > spec) {
		size_t len = (size_t)(port_start - 1 - spec);
		const char *a = spec;
		if (len >= 2 && a[0] == '[' && a[len - 1] == ']') {
			a++;
			len -= 2;
		}
		if (len == 0 || len >= sizeof(addr))
			return "--publish takes HOST_ADDR as an IPv4 address or [IPv6], not";
		memcpy(addr, a, len);
		addr[len] = 0;
	}
	memset(p, 0, sizeof(*p));
	struct sockaddr_in *in = (struct sockaddr_in *)&p->host;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&p->host;
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)host_port);
		p->host_len = sizeof(*in);
		snprintf(p->shown, sizeof(p->shown), "%s:%d", addr, host_port);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)host_port);
		p->host_len = sizeof(*in6);
		snprintf(p->shown, sizeof(p->shown), "[%s]:%d", addr, host_port);
	} else {
		return "--publish takes HOST_ADDR as an IPv4 address or [IPv6], not";
	}
	p->sandbox_port = (uint16_t)sandbox_port;
	p->listener = -1;
	npublished++;
	return NULL;
}

/* One connection: bytes both ways until both sides have finished; an
 * end of one direction is passed on as a shutdown of that direction. */
#define RELAY_BUF 65536

struct pump {
	int outside, inside;
	uint16_t port;
};

static void *pump_run(void *arg)
{
	struct pump *p = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(p->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(p->inside, (struct sockaddr *)&to, sizeof(to)) == 0) {
		int fds[2] = { p->outside, p->inside };
		bool open[2] = { true, true }; /* reading fds[i] may still give data */
		char *buf = malloc(RELAY_BUF);
		if (!buf)
			open[0] = open[1] = false;
		while (open[0] || open[1]) {
			struct pollfd pf[2] = { { open[0] ? fds[0] : -1, POLLIN, 0 }, { open[1] ? fds[1] : -1, POLLIN, 0 } };
			if (poll(pf, 2, -1) < 0 && errno != EINTR)
				break;
			bool failed = false;
			for (int i = 0; i < 2 && !failed; i++) {
				if (!open[i] || !pf[i].revents)
					continue;
				ssize_t n = recv(fds[i], buf, RELAY_BUF, 0);
				if (n <= 0) {
					open[i] = false;
					shutdown(fds[1 - i], SHUT_WR);
					failed = n < 0;
					continue;
				}
				for (ssize_t done = 0; done < n && !failed;) {
					ssize_t w = send(fds[1 - i], buf + done, (size_t)(n - done), MSG_NOSIGNAL);
					failed = w <= 0;
					done += w > 0 ? w : 0;
				}
			}
			if (failed)
				break;
		}
		free(buf);
	}
	close(p->outside);
	close(p->inside);
	free(p);
	return NULL;
}

static void *relay_run(void *arg)
{
	struct publish *p = arg;
	for (;;) {
		int c = accept4(p->listener, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
				continue;
			return NULL;
		}
		struct pump *w = malloc(sizeof(*w));
		int inside = netns_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (w && inside >= 0) {
			*w = (struct pump){ .outside = c, .inside = inside, .port = p->sandbox_port };
			if (start_thread(pump_run, w, true, NULL) == 0)
				w = NULL, c = inside = -1;
		}
		free(w);
		if (c >= 0)
			close(c);
		if (inside >= 0)
			close(inside);
	}
}

int netns_publish_start(void)
{
	if (npublished == 0)
		return 0;
	userns_start(); /* before the relays' threads */
	int err = netns_make();
	if (err) {
		fprintf(stderr,
			"sentry: --publish needs the sandbox's own loopback, which needs CAP_SYS_ADMIN or a user namespace: %s\n",
			strerror(err));
		return -1;
	}
	for (int i = 0; i < npublished; i++) {
		struct publish *p = &published[i];
		int one = 1;
		p->listener = socket(p->host.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (p->listener < 0 || setsockopt(p->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		    bind(p->listener, (struct sockaddr *)&p->host, p->host_len) < 0 || listen(p->listener, 128) < 0) {
			fprintf(stderr, "sentry: --publish %s:%u: cannot listen on %s: %s\n", p->shown, p->sandbox_port,
				p->shown, strerror(errno));
			return -1;
		}
		if ((err = start_thread(relay_run, p, true, NULL)) != 0) {
			fprintf(stderr, "sentry: --publish: %s\n", strerror(err));
			return -1;
		}
	}
	return 0;
}
