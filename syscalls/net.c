/* Sockets: AF_UNIX, with no path or abstract name reaching the host; TCP
 * and UDP to the destinations --allow-net names, nowhere else. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "ask.h"
#include "audit.h"
#include "deferred.h"
#include "dispatch.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "fsctx.h"
#include "net_ask.h"
#include "netns.h"
#include "netpolicy.h"
#include "pids.h"
#include "unix.h"

static const char *family_name(int family)
{
	switch (family) {
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_NETLINK: return "AF_NETLINK";
	case AF_PACKET: return "AF_PACKET";
	default: return "this address family";
	}
}

/* The only inet sockets a workload gets: TCP and UDP, under --allow-net,
 * which every connect and sendto of theirs must then pass. */
static bool plain_tcp_or_udp(int type, int protocol)
{
	type &= 0xf; /* SOCK_NONBLOCK and SOCK_CLOEXEC aside */
	return (type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP)) ||
	       (type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP));
}

/* A TCP or UDP socket made in the sandbox's own network namespace, where
 * nothing but its loopback can be reached. */
static long loopback_socket(struct task *task, int family, int type, int protocol)
{
	int fd = netns_socket(family, type & ~SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return fd;
	long r = task_install_fd_answer(task, fd, type & SOCK_CLOEXEC);
	close(fd);
	return r;
}

long sys_socket(struct task *task, struct syscall_call *call)
{
	int family = (int)call->args[0]; /* the kernel reads an int */
	if (family == AF_UNIX) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	bool inet = family == AF_INET || family == AF_INET6;
	/* --ask asks about destinations of the host's network */
	bool net_on = net_policy_enabled(task->sandbox->opts->net) || ask_mode() != ASK_OFF;
	bool tcp_or_udp = plain_tcp_or_udp((int)call->args[1], (int)call->args[2]);
	/* UDP-Lite, a UDP with partial checksums, reaches no more than UDP
	 * in a namespace that holds only lo */
	bool udplite = ((int)call->args[1] & 0xf) == SOCK_DGRAM && (int)call->args[2] == IPPROTO_UDPLITE;
	/* under --allow-net a socket starts in the sandbox's namespace too, and
	 * is swapped for a host socket when it connects to a destination that
	 * leaves it (allowed, or under --ask approved): only user-notify can
	 * swap (task_replace_fd) */
	bool swappable = task->sandbox->opts->platform == PLATFORM_UNOTIFY;
	if (inet && (!net_on || (swappable && tcp_or_udp)) && (tcp_or_udp || udplite) &&
	    netns_available(task->sandbox))
		return loopback_socket(task, family, (int)call->args[1], (int)call->args[2]);
	if (inet && net_on && tcp_or_udp) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	char why[128];
	if (inet && !tcp_or_udp)
		snprintf(why, sizeof(why), "%s sockets other than TCP and UDP are not allowed", family_name(family));
	else
		snprintf(why, sizeof(why), "%s sockets: the network is off in the sandbox", family_name(family));
	/* only TCP and UDP without a loopback of the sandbox's own (no root)
	 * are what --allow-net would change */
	struct denial d = { .verdict = VERDICT_DENIED, .error = EACCES, .why = why,
			    .allowed_by = inet && tcp_or_udp && !net_on ? "--allow-net HOST:PORT" : NULL };
	report_denial_with(task, call, &d);
	return -EACCES;
}

long sys_socketpair(struct task *task, struct syscall_call *call)
{
	if ((int)call->args[0] != AF_UNIX)
		return -EOPNOTSUPP; /* what Linux answers for other families */
	call->action = CALL_CONTINUE;
	return 0;
}

/* connect and bind name an address: a unix path would be looked up on
 * the host, an abstract name in the host's namespace. Neither ever
 * reaches the kernel. A path is looked up in the VFS instead: no socket
 * there is ENOENT, as for a program asking for a daemon that is not
 * running. Sockets bound inside the VFS are not supported yet. */
static long unix_address(struct task *task, struct syscall_call *call, bool binding)
{
	struct sockaddr_un addr;
	socklen_t len = (socklen_t)call->args[2];
	if (len > sizeof(addr))
		len = sizeof(addr);
	memset(&addr, 0, sizeof(addr));
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (task_read_mem(task, call->args[1], &addr, len) < 0)
		return -EFAULT;
	if (addr.sun_family != AF_UNIX)
		return -EAFNOSUPPORT;
	bool abstract = len > sizeof(sa_family_t) && addr.sun_path[0] == 0;
	if (!binding && !abstract) {
		struct vfs_ctx ctx;
		struct stat st;
		task_vfs_ctx(task, &ctx);
		long r = vfs_fstatat(&ctx, NULL, addr.sun_path, &st, 0);
		if (r < 0)
			return r;
		if (!S_ISSOCK(st.st_mode))
			return -ECONNREFUSED;
	}
	report_denial(task, call, binding ? EACCES : ECONNREFUSED,
		      abstract ? "abstract unix sockets would reach the host's"
			       : "unix sockets bound in the sandbox are not supported yet");
	return binding ? -EACCES : -ECONNREFUSED;
}

/* The socket behind a workload fd: the sentry's copy of it (the same
 * socket, not a new one), its domain and type. -ENOTSOCK and friends. */
struct socket_copy {
	int fd;
	int domain;
	int type;
	bool loopback; /* an inet socket of the sandbox's own namespace */
};

static long socket_copy_get(struct task *task, int fd, struct socket_copy *s)
{
	struct vfs_file *f;
	s->fd = -1;
	long r = task_fd_lookup(task, fd, &f, &s->fd);
	if (r < 0)
		return r;
	if (s->fd < 0)
		return r == FD_VFS ? -ENOTSOCK : -EBADF; /* an O_PATH fd */
	socklen_t len = sizeof(s->domain);
	if (getsockopt(s->fd, SOL_SOCKET, SO_DOMAIN, &s->domain, &len) < 0) {
		r = -errno;
		close(s->fd);
		s->fd = -1;
		return r;
	}
	len = sizeof(s->type);
	getsockopt(s->fd, SOL_SOCKET, SO_TYPE, &s->type, &len);
	s->loopback = (s->domain == AF_INET || s->domain == AF_INET6) && netns_owns(s->fd);
	return 0;
}

static bool is_inet(int domain) { return domain == AF_INET || domain == AF_INET6; }

/* The policy's decision on a destination: 0 when --allow-net names it (an
 * audit record under --audit), else EACCES and a line naming the option. */
static long check_destination(struct task *task, struct syscall_call *call, int address_arg,
			      const struct net_destination *dest)
{
	bool allowed = net_policy_allows(task->sandbox->opts->net, dest);
	if (allowed && !audit_enabled())
		return 0;
	char shown[64], option[96];
	net_destination_format(dest, shown, sizeof(shown));
	snprintf(option, sizeof(option), "--allow-net %s", shown);
	struct denial d = { .verdict = allowed ? VERDICT_ALLOWED : VERDICT_DENIED, .error = allowed ? 0 : EACCES,
			    .why = allowed ? "a destination --allow-net names" : "not a destination --allow-net names",
			    .allowed_by = option };
	d.strings[address_arg] = shown;
	if (allowed) {
		audit_record(task, call, &d, NULL);
		return 0;
	}
	report_denial_with(task, call, &d);
	return -EACCES;
}

/* May a socket of the sandbox's namespace leave it: --allow-net names
 * destinations, or --ask may approve some. */
static bool net_leaves_possible(struct task *task)
{
	return net_policy_enabled(task->sandbox->opts->net) || ask_mode() != ASK_OFF;
}

/* Does a destination leave the sandbox's namespace? Its loopback and the
 * unspecified addresses (which Linux connects to the local host) stay
 * inside, unless --allow-net names them: 127.0.0.1:PORT given there is
 * the host's port. */
static bool leaves_sandbox(struct task *task, const struct net_destination *d)
{
	if (net_policy_allows(task->sandbox->opts->net, d))
		return true;
	static const uint8_t zero[16], loopback6[16] = { [15] = 1 };
	if (d->family == AF_INET)
		return d->addr[0] != 127 && memcmp(d->addr, zero, 4) != 0;
	return memcmp(d->addr, zero, 16) != 0 && memcmp(d->addr, loopback6, 16) != 0;
}

/* Options of the workload's socket that a host socket made in its place
 * keeps (where the family and type have them). */
static const struct carried_option {
	int level, name;
} carried_options[] = {
	{ SOL_SOCKET, SO_REUSEADDR }, { SOL_SOCKET, SO_REUSEPORT }, { SOL_SOCKET, SO_KEEPALIVE },
	{ SOL_SOCKET, SO_BROADCAST }, { SOL_SOCKET, SO_LINGER },    { SOL_SOCKET, SO_OOBINLINE },
	{ SOL_SOCKET, SO_RCVTIMEO },  { SOL_SOCKET, SO_SNDTIMEO },  { SOL_SOCKET, SO_PRIORITY },
	{ IPPROTO_TCP, TCP_NODELAY }, { IPPROTO_TCP, TCP_KEEPIDLE }, { IPPROTO_TCP, TCP_KEEPINTVL },
	{ IPPROTO_TCP, TCP_KEEPCNT }, { IPPROTO_TCP, TCP_SYNCNT },   { IPPROTO_TCP, TCP_USER_TIMEOUT },
	{ IPPROTO_IP, IP_TOS },       { IPPROTO_IP, IP_TTL },       { IPPROTO_IPV6, IPV6_V6ONLY },
	{ IPPROTO_IPV6, IPV6_TCLASS }, { IPPROTO_IPV6, IPV6_UNICAST_HOPS },
};

static bool option_applies(const struct carried_option *o, const struct socket_copy *s)
{
	switch (o->level) {
	case IPPROTO_TCP: return s->type == SOCK_STREAM;
	case IPPROTO_IP: return s->domain == AF_INET;
	case IPPROTO_IPV6: return s->domain == AF_INET6;
	default: return true;
	}
}

/* Whether the task's fd is close-on-exec, from its fdinfo. */
static bool fd_cloexec(struct task *task, int fd)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", task->tid, fd);
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return false;
	ssize_t n = read(f, buf, sizeof(buf) - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	const char *flags = strstr(buf, "flags:");
	return flags && (strtoul(flags + 6, NULL, 8) & O_CLOEXEC);
}

/* A host socket of the same family, type and protocol as s (of the
 * sandbox's namespace), with its options and status flags. A bind made
 * inside is not carried over (the host socket gets a port of its own when
 * it connects). The fd, or -errno. */
static int host_socket_like(const struct socket_copy *s)
{
	int protocol = 0;
	socklen_t len = sizeof(protocol);
	getsockopt(s->fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len);
	int host = socket(s->domain, s->type | SOCK_CLOEXEC, protocol);
	if (host < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(carried_options) / sizeof(carried_options[0]); i++) {
		const struct carried_option *o = &carried_options[i];
		char value[64];
		len = sizeof(value);
		if (option_applies(o, s) && getsockopt(s->fd, o->level, o->name, value, &len) == 0)
			setsockopt(host, o->level, o->name, value, len);
	}
	int flags = fcntl(s->fd, F_GETFL);
	if (flags >= 0)
		fcntl(host, F_SETFL, flags & (O_NONBLOCK | O_ASYNC));
	return host;
}

/* The workload's socket (fd, of the sandbox's namespace) becomes such a
 * host socket at the same number: from here on s is that socket. */
static long swap_for_host_socket(struct task *task, int fd, struct socket_copy *s)
{
	int host = host_socket_like(s);
	if (host < 0)
		return host;
	long r = task_replace_fd(task, fd, host, fd_cloexec(task, fd));
	if (r < 0) {
		close(host);
		return r;
	}
	close(s->fd);
	s->fd = host;
	s->loopback = false;
	return 0;
}

/* A sockaddr as move_addr_to_kernel copies it: 0..sizeof(storage) bytes. */
static long read_sockaddr(struct task *task, uint64_t addr, int64_t len, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 0 || len > (int64_t)sizeof(*out))
		return -EINVAL;
	if (len && task_read_mem(task, addr, out, (size_t)len) < 0)
		return -EFAULT;
	return 0;
}

/* The sentry connects the workload's own socket (its copy of it) to the
 * address it copied and checked: what the workload's memory says later
 * no longer matters. */
static long inet_connect(struct task *task, struct syscall_call *call, struct socket_copy *s)
{
	struct sockaddr_storage addr;
	long r = read_sockaddr(task, call->args[1], (int)call->args[2], &addr);
	if (r < 0)
		return r;
	socklen_t len = (socklen_t)(int)call->args[2];
	bool decided = false; /* the policy allowed it already */
	if (s->loopback && net_leaves_possible(task) && len >= sizeof(sa_family_t) && addr.ss_family != AF_UNSPEC) {
		struct net_destination dest;
		if ((r = net_destination_parse(&addr, len, &dest)) < 0)
			return r;
		if (leaves_sandbox(task, &dest)) {
			int fd = (int)call->args[0];
			if (fd_is_reserved(task, fd))
				return -EBADF;
			/* asked: the socket is swapped when approved, on the worker */
			int host = host_socket_like(s);
			if (host < 0)
				return host;
			r = net_ask(task, call, 1, &dest, &host, &addr, len, fd, fd_cloexec(task, fd));
			if (host >= 0)
				close(host);
			if (r != NET_ASK_APPROVED && r != NET_ASK_NOT_ASKED)
				return r; /* asking on a worker, or failed */
			/* a refusal needs no swap */
			if (r == NET_ASK_NOT_ASKED && (r = check_destination(task, call, 1, &dest)) < 0)
				return r;
			if ((r = swap_for_host_socket(task, fd, s)) < 0)
				return r;
			decided = true;
		}
	}
	/* the sandbox's namespace routes nowhere but its own loopback */
	if (!s->loopback && !decided && len >= sizeof(sa_family_t) && addr.ss_family != AF_UNSPEC) {
		struct net_destination dest;
		if ((r = net_destination_parse(&addr, len, &dest)) < 0)
			return r;
		r = net_ask(task, call, 1, &dest, &s->fd, &addr, len, -1, false);
		if (r != NET_ASK_APPROVED && r != NET_ASK_NOT_ASKED)
			return r; /* asking on a worker, or failed */
		if (r == NET_ASK_NOT_ASKED && (r = check_destination(task, call, 1, &dest)) < 0)
			return r;
	}
	/* AF_UNSPEC dissolves an association: nowhere to go */
	int flags = fcntl(s->fd, F_GETFL);
	if (s->type == SOCK_STREAM && flags >= 0 && !(flags & O_NONBLOCK)) {
		r = deferred_connect(task, call, s->fd, (struct sockaddr *)&addr, len);
		if (r == 0)
			s->fd = -1; /* the worker closes it */
		return r;
	}
	return connect(s->fd, (struct sockaddr *)&addr, len) < 0 ? -errno : 0;
}

long sys_connect(struct task *task, struct syscall_call *call)
{
	long unix_result;
	if (unix_socket_call(task, call, UNIX_CONNECT, &unix_result))
		return unix_result;
	struct socket_copy s;
	long r = socket_copy_get(task, (int)call->args[0], &s);
	if (r < 0)
		return r;
	r = is_inet(s.domain) ? inet_connect(task, call, &s) : unix_address(task, call, false);
	if (s.fd >= 0)
		close(s.fd);
	return r;
}

/* A client may bind to port 0 (any free port) before it connects; a
 * fixed port would take one of the host's. */
static long inet_bind(struct task *task, struct syscall_call *call, struct socket_copy *s)
{
	struct sockaddr_storage addr;
	long r = read_sockaddr(task, call->args[1], (int)call->args[2], &addr);
	if (r < 0)
		return r;
	socklen_t len = (socklen_t)(int)call->args[2];
	struct net_destination where;
	if ((r = net_destination_parse(&addr, len, &where)) < 0)
		return r;
	if (where.port != 0 && !s->loopback) {
		report_denial(task, call, EACCES, "binding an inet socket to a port: the sandbox does not serve the network");
		return -EACCES;
	}
	return bind(s->fd, (struct sockaddr *)&addr, len) < 0 ? -errno : 0;
}

long sys_bind(struct task *task, struct syscall_call *call)
{
	long unix_result;
	if (unix_socket_call(task, call, UNIX_BIND, &unix_result))
		return unix_result;
	struct socket_copy s;
	long r = socket_copy_get(task, (int)call->args[0], &s);
	if (r < 0)
		return r;
	r = is_inet(s.domain) ? inet_bind(task, call, &s) : unix_address(task, call, true);
	close(s.fd);
	return r;
}

/* Listening on an inet socket would serve the host's network. */
long sys_listen(struct task *task, struct syscall_call *call)
{
	struct socket_copy s;
	long r = socket_copy_get(task, (int)call->args[0], &s);
	if (r < 0)
		return r;
	if (is_inet(s.domain) && !s.loopback) {
		close(s.fd);
		report_denial(task, call, EACCES, "listening on an inet socket: the sandbox does not serve the network");
		return -EACCES;
	}
	/* on the copy of the socket checked: the number may name another by now */
	r = listen(s.fd, (int)call->args[1]) < 0 ? -errno : 0;
	close(s.fd);
	return r;
}

/* Accepting needs a listening socket, and no inet socket listens; naming
 * one reveals nothing. No check is made, so whichever socket the number
 * names when the kernel runs the call is as good as another. */
#define ON_OWN_SOCKET(name)                                             \
	long sys_##name(struct task *task, struct syscall_call *call)   \
	{                                                               \
		call->action = CALL_CONTINUE;                           \
		return 0;                                               \
	}

ON_OWN_SOCKET(accept)
ON_OWN_SOCKET(accept4)

/* A unix socket's name is shown as the workload gave it, not as the
 * sentry bound it. */
long sys_getsockname(struct task *task, struct syscall_call *call)
{
	long unix_result;
	if (unix_socket_call(task, call, UNIX_SOCKNAME, &unix_result))
		return unix_result;
	call->action = CALL_CONTINUE;
	return 0;
}

long sys_getpeername(struct task *task, struct syscall_call *call)
{
	long unix_result;
	if (unix_socket_call(task, call, UNIX_PEERNAME, &unix_result))
		return unix_result;
	call->action = CALL_CONTINUE;
	return 0;
}

/* A UDP datagram to an address the policy allows, sent by the sentry
 * from what it copied (data, address, control) so that no other thread
 * can swap the address after the check. Never blocks the loop. */
#define DATAGRAM_MAX 65536
#define IOVECS_MAX 1024 /* the kernel's UIO_MAXIOV */
#define CONTROL_MAX 4096

static long send_datagram(struct task *task, struct syscall_call *call, struct socket_copy *s, struct msghdr *m,
			  int flags, int address_arg)
{
	struct sockaddr_storage addr;
	if (m->msg_name && m->msg_namelen) {
		long r = read_sockaddr(task, (uint64_t)(uintptr_t)m->msg_name, (int)m->msg_namelen, &addr);
		if (r < 0)
			return r;
		struct net_destination dest;
		if ((r = net_destination_parse(&addr, m->msg_namelen, &dest)) < 0)
			return r;
		bool leaves = !s->loopback || (net_leaves_possible(task) && leaves_sandbox(task, &dest));
		if (leaves && net_ask(task, call, address_arg, &dest, NULL, NULL, 0, -1, false) != NET_ASK_APPROVED &&
		    (r = check_destination(task, call, address_arg, &dest)) < 0)
			return r;
		if (leaves && s->loopback && (r = swap_for_host_socket(task, (int)call->args[0], s)) < 0)
			return r;
		m->msg_name = &addr;
	} else {
		m->msg_name = NULL;
		m->msg_namelen = 0;
	}
	static char data[DATAGRAM_MAX], control[CONTROL_MAX];
	size_t total = 0;
	for (size_t i = 0; i < m->msg_iovlen; i++) {
		size_t len = m->msg_iov[i].iov_len;
		if (len > DATAGRAM_MAX - total)
			return -EMSGSIZE;
		if (len && task_read_mem(task, (uint64_t)(uintptr_t)m->msg_iov[i].iov_base, data + total, len) < 0)
			return -EFAULT;
		total += len;
	}
	struct iovec one = { data, total };
	m->msg_iov = &one;
	m->msg_iovlen = 1;
	if (m->msg_control && m->msg_controllen) {
		if (m->msg_controllen > CONTROL_MAX)
			return -ENOBUFS;
		if (task_read_mem(task, (uint64_t)(uintptr_t)m->msg_control, control, m->msg_controllen) < 0)
			return -EFAULT;
		m->msg_control = control;
	} else {
		m->msg_control = NULL;
		m->msg_controllen = 0;
	}
	ssize_t n = sendmsg(s->fd, m, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && errno == EPIPE && !(flags & MSG_NOSIGNAL))
		kill(task->tid, SIGPIPE); /* what the kernel would have raised */
	return n < 0 ? -errno : n;
}

/* The caller's msghdr at msghdr_at (sendmsg, an entry of sendmmsg) or
 * the one sendto's registers make, with its iovec
 * array copied in; name, data and control still point into the caller's
 * memory. */
static long read_msghdr(struct task *task, struct syscall_call *call, bool is_sendmsg, uint64_t msghdr_at,
			struct msghdr *m)
{
	static struct iovec iov[IOVECS_MAX];
	memset(m, 0, sizeof(*m));
	if (is_sendmsg) {
		if (task_read_mem(task, msghdr_at, m, sizeof(*m)) < 0)
			return -EFAULT;
		if (m->msg_iovlen > IOVECS_MAX)
			return -EMSGSIZE;
		if (m->msg_iovlen && task_read_mem(task, (uint64_t)(uintptr_t)m->msg_iov, iov,
						   m->msg_iovlen * sizeof(iov[0])) < 0)
			return -EFAULT;
	} else {
		iov[0] = (struct iovec){ (void *)(uintptr_t)call->args[1], (size_t)call->args[2] };
		m->msg_iovlen = 1;
		m->msg_name = (void *)(uintptr_t)call->args[4];
		m->msg_namelen = (socklen_t)call->args[5];
	}
	m->msg_iov = iov;
	if (!m->msg_name)
		m->msg_namelen = 0;
	return 0;
}

/* --- sending on the sentry's copy ---------------------------------------- */

/* A send the sentry makes itself on its copy of the socket it checked,
 * from data and control it copied: which object the fd number names
 * later, and what the caller's memory says later, no longer matter.
 * SCM_RIGHTS names fds of the caller's table: each is replaced by the
 * sentry's copy of the same object, so the receiver gets what the caller
 * named (never a file of the sentry's own). */
#define SEND_MAX (256 * 1024)

struct send_work {
	int fd;
	pid_t tid;
	struct deferred_caller caller;
	bool stream, nosignal;
	int flags;
	struct sockaddr_un to; /* a unix datagram's destination, when to_len */
	socklen_t to_len;
	char *data;
	size_t len, sent;
	char *control;
	size_t controllen;
	int fds[CONTROL_MAX / sizeof(int)];
	size_t nfds;
	uint64_t msg_len_at; /* sendmmsg: where the entry's msg_len goes, else 0 */
};

static void send_work_free(struct send_work *w)
{
	for (size_t i = 0; i < w->nfds; i++)
		close(w->fds[i]);
	if (w->fd >= 0)
		close(w->fd);
	free(w->data);
	free(w->control);
	free(w);
}

/* One non-blocking sendmsg of what is left; control goes with the first
 * byte only, as the kernel sends it. */
static long send_some(struct send_work *w)
{
	struct iovec one = { w->data + w->sent, w->len - w->sent };
	struct msghdr m = { .msg_iov = &one, .msg_iovlen = 1 };
	if (w->to_len) {
		m.msg_name = &w->to;
		m.msg_namelen = w->to_len;
	}
	if (w->sent == 0 && w->controllen) {
		m.msg_control = w->control;
		m.msg_controllen = w->controllen;
	}
	ssize_t n = sendmsg(w->fd, &m, w->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EPIPE && !w->nosignal)
			kill(w->tid, SIGPIPE); /* what the kernel would have raised */
		return -errno;
	}
	w->sent += (size_t)n;
	return n;
}

/* On a worker thread: waits for room as a blocking send would, checking
 * between waits that the caller still waits (a signal ends its call). */
static long send_blocking(void *arg)
{
	struct send_work *w = arg;
	long r = 0;
	while (w->sent < w->len || (w->len == 0 && r == 0)) {
		struct pollfd p = { .fd = w->fd, .events = POLLOUT };
		poll(&p, 1, 50);
		if (deferred_caller_gone(&w->caller)) {
			r = -EINTR;
			break;
		}
		r = send_some(w);
		if (r < 0 && r != -EAGAIN)
			break;
		if (r >= 0 && (!w->stream || w->len == 0))
			break;
	}
	long result = w->sent > 0 || r >= 0 ? (long)w->sent : r;
	if (w->msg_len_at && result >= 0) {
		/* a sendmmsg whose first message waited: that one is sent */
		unsigned int msg_len = (unsigned int)result;
		struct iovec local = { &msg_len, sizeof(msg_len) };
		struct iovec remote = { (void *)(uintptr_t)w->msg_len_at, sizeof(msg_len) };
		result = process_vm_writev(w->tid, &local, 1, &remote, 1, 0) == sizeof(msg_len) ? 1 : -EFAULT;
	}
	send_work_free(w);
	return result;
}

/* Linux's scm_check_creds against the sender's emulated ids: its own pid
 * (any with CAP_SYS_ADMIN, though only the sandbox's exist for it), one of
 * its uids (any with CAP_SETUID), one of its gids (any with CAP_SETGID). */
static long check_credentials(struct task *task, const struct cmsghdr *c)
{
	if (c->cmsg_len != CMSG_LEN(sizeof(struct ucred)))
		return -EINVAL;
	struct ucred u;
	memcpy(&u, CMSG_DATA(c), sizeof(u));
	const struct task_cred *cred = &task->cred;
	if (u.uid == (uid_t)-1 || u.gid == (gid_t)-1)
		return -EINVAL;
	bool pid_ok = u.pid == task->tgid || task_cred_capable(cred, CAP_SYS_ADMIN);
	bool uid_ok = u.uid == cred->ruid || u.uid == cred->euid || u.uid == cred->suid ||
		      task_cred_capable(cred, CAP_SETUID);
	bool gid_ok = u.gid == cred->rgid || u.gid == cred->egid || u.gid == cred->sgid ||
		      task_cred_capable(cred, CAP_SETGID);
	if (!pid_ok || !uid_ok || !gid_ok)
		return -EPERM;
	if (u.pid != task->tgid && (u.pid <= 0 || !pid_reachable(task, u.pid)))
		return -ESRCH;
	return 0;
}

/* Whether the kernel lets the sentry name another process's pid and any
 * ids in SCM_CREDENTIALS (CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID). */
static bool sentry_may_send_credentials(void)
{
	static int may = -1;
	if (may < 0) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];
		uint64_t need = (1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_SETUID) | (1ULL << CAP_SETGID);
		may = syscall(SYS_capget, &h, d) == 0 &&
		      ((d[0].effective | (uint64_t)d[1].effective << 32) & need) == need;
	}
	return may;
}

/* A unix message the sentry sends carries the sender's credentials, as
 * the kernel would stamp them (its pid, real uid and gid, the emulated
 * ones), rather than the sentry's: a receiver with SO_PASSCRED sees them. */
static long add_own_credentials(struct task *task, struct send_work *w)
{
	if (!sentry_may_send_credentials())
		return 0;
	size_t at = CMSG_ALIGN(w->controllen);
	char *grown = realloc(w->control, at + CMSG_SPACE(sizeof(struct ucred)));
	if (!grown)
		return -ENOMEM;
	memset(grown + w->controllen, 0, at + CMSG_SPACE(sizeof(struct ucred)) - w->controllen);
	struct cmsghdr *c = (struct cmsghdr *)(grown + at);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	struct ucred u = { .pid = task->tgid, .uid = task->cred.ruid, .gid = task->cred.rgid };
	memcpy(CMSG_DATA(c), &u, sizeof(u));
	w->control = grown;
	w->controllen = at + CMSG_SPACE(sizeof(struct ucred));
	return 0;
}

/* The control data, copied, with SCM_RIGHTS fds replaced by the sentry's
 * copies of the caller's objects. On a unix socket, credentials given are
 * checked against the caller's emulated ids, and the caller's own are
 * added when none are given: the sentry's kernel would stamp its own. */
static long copy_control(struct task *task, const struct msghdr *m, struct send_work *w, bool unix_socket)
{
	bool credentials = false;
	if (!m->msg_control || !m->msg_controllen)
		return unix_socket ? add_own_credentials(task, w) : 0;
	if (m->msg_controllen > CONTROL_MAX)
		return -ENOBUFS;
	w->control = malloc(m->msg_controllen);
	if (!w->control)
		return -ENOMEM;
	w->controllen = m->msg_controllen;
	if (task_read_mem(task, (uint64_t)(uintptr_t)m->msg_control, w->control, w->controllen) < 0)
		return -EFAULT;
	struct msghdr view = { .msg_control = w->control, .msg_controllen = w->controllen };
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&view); c; c = CMSG_NXTHDR(&view, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS && unix_socket) {
			long bad = check_credentials(task, c);
			if (bad < 0)
				return bad;
			credentials = true;
			continue;
		}
		if (c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0))
			continue;
		int *fds = (int *)CMSG_DATA(c);
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			struct vfs_file *f;
			int copy = -1;
			long r = task_fd_lookup(task, fds[i], &f, &copy);
			if (r < 0)
				return r;
			if (copy < 0)
				return -EBADF; /* an O_PATH fd cannot be copied */
			if (w->nfds == sizeof(w->fds) / sizeof(w->fds[0])) {
				close(copy);
				return -EINVAL;
			}
			w->fds[w->nfds++] = copy;
			fds[i] = copy;
		}
	}
	return unix_socket && !credentials ? add_own_credentials(task, w) : 0;
}

static long send_on_copy(struct task *task, struct syscall_call *call, struct socket_copy *s, const struct msghdr *m,
			 int flags, uint64_t msg_len_at)
{
	struct send_work *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = s->fd;
	w->stream = s->type == SOCK_STREAM;
	w->nosignal = flags & MSG_NOSIGNAL;
	w->flags = flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL);
	w->tid = task->tid;
	w->caller = deferred_caller_of(task);
	w->msg_len_at = msg_len_at;
	if (m->msg_name && m->msg_namelen <= sizeof(w->to)) {
		memcpy(&w->to, m->msg_name, m->msg_namelen);
		w->to_len = m->msg_namelen;
	}
	size_t total = 0;
	for (size_t i = 0; i < m->msg_iovlen; i++)
		total += m->msg_iov[i].iov_len;
	long r = 0;
	if (total > SEND_MAX) {
		if (w->stream)
			total = SEND_MAX; /* a short write, which a stream allows */
		else
			r = -EMSGSIZE;
	}
	if (r == 0 && !(w->data = malloc(total ? total : 1)))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < m->msg_iovlen && w->len < total; i++) {
		size_t len = m->msg_iov[i].iov_len < total - w->len ? m->msg_iov[i].iov_len : total - w->len;
		if (len && task_read_mem(task, (uint64_t)(uintptr_t)m->msg_iov[i].iov_base, w->data + w->len, len) < 0)
			r = -EFAULT;
		w->len += len;
	}
	if (r == 0)
		r = copy_control(task, m, w, s->domain == AF_UNIX);
	if (r == 0)
		r = send_some(w);
	int fl = fcntl(s->fd, F_GETFL);
	bool blocking = !(flags & MSG_DONTWAIT) && fl >= 0 && !(fl & O_NONBLOCK);
	bool more = r == -EAGAIN || (r >= 0 && w->stream && w->sent < w->len);
	if (blocking && more) {
		s->fd = -1;
		r = deferred_start(task, call, send_blocking, w);
		if (r == 0)
			return 0; /* the worker answers, closes the socket and frees w */
		s->fd = w->fd;
	}
	w->fd = -1; /* the caller's to close */
	if (r >= 0)
		r = (long)w->sent;
	send_work_free(w);
	return r;
}

static long inet_send(struct task *task, struct syscall_call *call, struct socket_copy *s, struct msghdr *m,
		      int flags, int address_arg, uint64_t msg_len_at)
{
	/* TCP ignores an address, except to connect with MSG_FASTOPEN */
	if (s->type == SOCK_STREAM) {
		if (!(flags & MSG_FASTOPEN)) {
			m->msg_name = NULL;
			m->msg_namelen = 0;
			return send_on_copy(task, call, s, m, flags, msg_len_at);
		}
		report_denial(task, call, EACCES, "MSG_FASTOPEN connects: call connect() first");
		return -EACCES;
	}
	if (s->type != SOCK_DGRAM)
		return -EOPNOTSUPP;
	return send_datagram(task, call, s, m, flags, address_arg);
}

/* A unix socket: a stream socket refuses an address as unix_stream_sendmsg
 * does, a seqpacket socket ignores it, a datagram goes to the private
 * address of the name it gives. */
static long unix_send(struct task *task, struct syscall_call *call, struct socket_copy *s, struct msghdr *m,
		      int flags, uint64_t msg_len_at)
{
	if (m->msg_namelen) {
		if (s->type == SOCK_STREAM) {
			struct sockaddr_storage peer;
			socklen_t len = sizeof(peer);
			return getpeername(s->fd, (struct sockaddr *)&peer, &len) == 0 ? -EISCONN : -EOPNOTSUPP;
		}
		if (s->type != SOCK_SEQPACKET) {
			struct sockaddr_un given, to;
			socklen_t to_len;
			memset(&given, 0, sizeof(given));
			if (m->msg_namelen > sizeof(given))
				return -EINVAL;
			if (task_read_mem(task, (uint64_t)(uintptr_t)m->msg_name, &given, m->msg_namelen) < 0)
				return -EFAULT;
			long r = unix_destination(task, &given, m->msg_namelen, &to, &to_len);
			if (r < 0)
				return r;
			m->msg_name = &to;
			m->msg_namelen = to_len;
			return send_on_copy(task, call, s, m, flags, msg_len_at);
		}
		m->msg_name = NULL;
		m->msg_namelen = 0;
	}
	return send_on_copy(task, call, s, m, flags, msg_len_at);
}

/* One message: its msghdr read (sendto's registers unless is_sendmsg),
 * checked and sent on the sentry's copy of the socket. */
static long send_one(struct task *task, struct syscall_call *call, struct socket_copy *s, bool inet, bool is_sendmsg,
		     uint64_t msghdr_at, int flags, int address_arg, uint64_t msg_len_at)
{
	struct msghdr m;
	long r = read_msghdr(task, call, is_sendmsg, msghdr_at, &m);
	if (r < 0)
		return r;
	return inet ? inet_send(task, call, s, &m, flags, address_arg, msg_len_at)
		    : unix_send(task, call, s, &m, flags, msg_len_at);
}

/* sendmmsg as the kernel's __sys_sendmmsg: each entry is one sendmsg,
 * checked on what the sentry copied, its msg_len written back; an error
 * ends the batch and is the answer only when nothing was sent. Only the
 * first message may wait for room (on a worker, which then answers 1);
 * later ones are sent without waiting, and one that would block ends the
 * batch with the count so far, which the caller retries from. */
#define MMSG_MAX 1024 /* the kernel's UIO_MAXIOV */

static long send_batch(struct task *task, struct syscall_call *call, struct socket_copy *s, bool inet)
{
	uint64_t vec = call->args[1];
	unsigned int vlen = (unsigned int)call->args[2] < MMSG_MAX ? (unsigned int)call->args[2] : MMSG_MAX;
	int flags = (int)call->args[3];
	long r = 0;
	unsigned int sent = 0;
	while (sent < vlen) {
		uint64_t entry = vec + (uint64_t)sent * sizeof(struct mmsghdr);
		uint64_t msg_len_at = entry + offsetof(struct mmsghdr, msg_len);
		r = send_one(task, call, s, inet, true, entry, sent ? flags | MSG_DONTWAIT : flags, 1, msg_len_at);
		if (r < 0 || call->action == CALL_DEFERRED)
			break;
		unsigned int msg_len = (unsigned int)r;
		if (task_write_mem(task, msg_len_at, &msg_len, sizeof(msg_len)) < 0) {
			r = -EFAULT;
			break;
		}
		sent++;
	}
	return sent ? (long)sent : r;
}

/* sendto with no address (a NULL pointer or a zero length, both in
 * registers) gives the kernel nothing to look up: it sends on whatever
 * socket the number names, as it would on a connected one. Every other
 * send is made by the sentry on its copy of the socket it checked. */
enum send_kind { SEND_TO, SEND_MSG, SEND_MMSG };

static long send_checked(struct task *task, struct syscall_call *call, enum send_kind kind)
{
	if (kind == SEND_TO && (call->args[4] == 0 || (socklen_t)call->args[5] == 0)) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	struct socket_copy s;
	long r = socket_copy_get(task, (int)call->args[0], &s);
	if (r < 0)
		return r; /* ENOTSOCK */
	int flags = (int)call->args[kind == SEND_TO ? 3 : 2];
	bool inet = is_inet(s.domain) &&
		    (s.loopback || net_policy_enabled(task->sandbox->opts->net) || ask_mode() != ASK_OFF);
	if (!(inet || s.domain == AF_UNIX)) {
		report_denial(task, call, EACCES, "sending on this kind of socket is not supported in the sandbox");
		r = -EACCES;
	} else if (kind == SEND_MMSG) {
		r = send_batch(task, call, &s, inet);
	} else {
		r = send_one(task, call, &s, inet, kind == SEND_MSG, call->args[1], flags, kind == SEND_MSG ? 1 : 4, 0);
	}
	if (s.fd >= 0)
		close(s.fd);
	return r;
}

long sys_sendto(struct task *task, struct syscall_call *call) { return send_checked(task, call, SEND_TO); }
long sys_sendmsg(struct task *task, struct syscall_call *call) { return send_checked(task, call, SEND_MSG); }
long sys_sendmmsg(struct task *task, struct syscall_call *call) { return send_checked(task, call, SEND_MMSG); }
