/* setsockopt and getsockopt, deny by default: only the (level, option)
 * pairs below, each with its reason, on the socket kinds a workload has
 * (AF_UNIX; TCP and UDP under --allow-net). Anything else gets a denial
 * line and ENOPROTOOPT. The sentry performs an allowed option itself, on
 * its own copy of the socket (the same kernel object), with optval and
 * optlen copied in and out: neither the fd number nor the memory can be
 * swapped between the check and the kernel's use. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"

/* Every allowed option fits; a longer optlen is cut to it (Linux reads no
 * more than the option's size of any of them). */
#define OPTVAL_MAX 512

enum { GET = 1, SET = 2, BOTH = GET | SET };

struct sockopt_rule {
	int level;
	int option;
	int dirs;
	const char *why;
};

static const struct sockopt_rule sockopt_rules[] = {
	{ SOL_SOCKET, SO_TYPE, GET, "query" },
	{ SOL_SOCKET, SO_DOMAIN, GET, "query" },
	{ SOL_SOCKET, SO_PROTOCOL, GET, "query" },
	{ SOL_SOCKET, SO_ERROR, GET, "the pending error, e.g. of a non-blocking connect" },
	{ SOL_SOCKET, SO_ACCEPTCONN, GET, "query" },
	{ SOL_SOCKET, SO_PEERCRED, GET, "the peer's credentials, taken when it connected" },
	{ SOL_SOCKET, SO_REUSEADDR, BOTH, "binding is checked by the sentry either way" },
	{ SOL_SOCKET, SO_REUSEPORT, BOTH, "binding is checked by the sentry either way" },
	{ SOL_SOCKET, SO_KEEPALIVE, BOTH, "probes on an established connection" },
	{ SOL_SOCKET, SO_LINGER, BOTH, "how close waits for unsent data" },
	{ SOL_SOCKET, SO_BROADCAST, BOTH, "every destination is still checked by the sentry" },
	{ SOL_SOCKET, SO_SNDBUF, BOTH, "buffer sizes, capped by the host's limits without CAP_NET_ADMIN" },
	{ SOL_SOCKET, SO_RCVBUF, BOTH, "buffer sizes, capped by the host's limits without CAP_NET_ADMIN" },
	{ SOL_SOCKET, SO_RCVLOWAT, BOTH, "when a read wakes up" },
	{ SOL_SOCKET, SO_SNDLOWAT, GET, "query (Linux refuses to set it)" },
	{ SOL_SOCKET, SO_RCVTIMEO_OLD, BOTH, "timeouts (struct timeval)" },
	{ SOL_SOCKET, SO_SNDTIMEO_OLD, BOTH, "timeouts (struct timeval)" },
	{ SOL_SOCKET, SO_RCVTIMEO_NEW, BOTH, "timeouts (64-bit struct)" },
	{ SOL_SOCKET, SO_SNDTIMEO_NEW, BOTH, "timeouts (64-bit struct)" },
	{ SOL_SOCKET, SO_OOBINLINE, BOTH, "urgent data inline" },
	{ SOL_SOCKET, SO_PRIORITY, BOTH, "0 to 6 without CAP_NET_ADMIN" },
	{ SOL_SOCKET, SO_PASSCRED, BOTH, "credentials of unix messages, as the kernel takes them" },
	{ SOL_SOCKET, SO_TIMESTAMP_OLD, BOTH, "receive time stamps" },
	{ SOL_SOCKET, SO_TIMESTAMPNS_OLD, BOTH, "receive time stamps" },
	{ SOL_SOCKET, SO_TIMESTAMP_NEW, BOTH, "receive time stamps" },
	{ SOL_SOCKET, SO_TIMESTAMPNS_NEW, BOTH, "receive time stamps" },
	{ IPPROTO_TCP, TCP_NODELAY, BOTH, "Nagle's algorithm" },
	{ IPPROTO_TCP, TCP_CORK, BOTH, "batching of sends" },
	{ IPPROTO_TCP, TCP_KEEPIDLE, BOTH, "keep-alive timing" },
	{ IPPROTO_TCP, TCP_KEEPINTVL, BOTH, "keep-alive timing" },
	{ IPPROTO_TCP, TCP_KEEPCNT, BOTH, "keep-alive timing" },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, BOTH, "how long unacknowledged data may wait" },
	{ IPPROTO_TCP, TCP_QUICKACK, BOTH, "delayed acknowledgements" },
	{ IPPROTO_TCP, TCP_MAXSEG, BOTH, "segment size (lowered only)" },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, BOTH, "when a write wakes up" },
	{ IPPROTO_TCP, TCP_INFO, GET, "the connection's counters" },
	{ IPPROTO_IP, IP_TOS, BOTH, "the type-of-service byte" },
	{ IPPROTO_IP, IP_TTL, BOTH, "hop limit" },
	{ IPPROTO_IP, IP_RECVERR, BOTH, "errors queued for the socket (resolvers set it)" },
	{ IPPROTO_IP, IP_MTU_DISCOVER, BOTH, "path MTU discovery" },
	{ IPPROTO_IP, IP_MTU, GET, "query" },
	{ IPPROTO_IP, IP_PKTINFO, BOTH, "the destination address of received datagrams" },
	{ IPPROTO_IP, IP_RECVTOS, BOTH, "the type-of-service byte of received datagrams" },
	{ IPPROTO_IP, IP_RECVTTL, BOTH, "the time to live of received datagrams" },
	{ IPPROTO_IPV6, IPV6_V6ONLY, BOTH, "whether an IPv6 socket also speaks IPv4" },
	{ IPPROTO_IPV6, IPV6_TCLASS, BOTH, "the traffic class" },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS, BOTH, "hop limit" },
	{ IPPROTO_IPV6, IPV6_RECVERR, BOTH, "errors queued for the socket (resolvers set it)" },
	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER, BOTH, "path MTU discovery" },
	{ IPPROTO_IPV6, IPV6_MTU, GET, "query" },
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO, BOTH, "the destination address of received datagrams" },
	{ IPPROTO_IPV6, IPV6_RECVHOPLIMIT, BOTH, "the hop limit of received datagrams" },
	{ IPPROTO_IPV6, IPV6_RECVTCLASS, BOTH, "the traffic class of received datagrams" },
};

static bool allowed(int level, int option, int dir)
{
	for (size_t i = 0; i < sizeof(sockopt_rules) / sizeof(sockopt_rules[0]); i++)
		if (sockopt_rules[i].level == level && sockopt_rules[i].option == option)
			return (sockopt_rules[i].dirs & dir) != 0;
	return false;
}

/* The sentry's copy of a socket fd of the task, or -EBADF / -ENOTSOCK. */
static int socket_copy(struct task *task, uint64_t raw_fd)
{
	int host_fd = -1;
	struct vfs_file *file;
	int r = task_fd_lookup(task, (int)raw_fd, &file, &host_fd);
	if (r < 0) {
		if (host_fd >= 0)
			close(host_fd);
		return r;
	}
	if (host_fd < 0)
		return -EBADF; /* O_PATH: no socket call takes it */
	struct stat st;
	if (fstat(host_fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		close(host_fd);
		return -ENOTSOCK;
	}
	return host_fd;
}

static long refuse(struct task *task, struct syscall_call *call)
{
	report_denial(task, call, ENOPROTOOPT, "socket option not allowed in the sandbox");
	return -ENOPROTOOPT;
}

/* setsockopt(fd, level, option, optval, optlen) */
long sys_setsockopt(struct task *task, struct syscall_call *call)
{
	int level = (int)call->args[1], option = (int)call->args[2];
	int optlen = (int)call->args[4];
	int host_fd = socket_copy(task, call->args[0]);
	if (host_fd < 0)
		return host_fd;
	long r;
	if (!allowed(level, option, SET)) {
		r = refuse(task, call);
	} else if (optlen < 0) {
		r = -EINVAL;
	} else {
		char value[OPTVAL_MAX];
		socklen_t len = (socklen_t)optlen < sizeof(value) ? (socklen_t)optlen : sizeof(value);
		/* unreadable: the kernel itself says what it says of a bad
		 * pointer, after its own length checks */
		const void *from = task_read_mem(task, call->args[3], value, len) == (ssize_t)len ? value : NULL;
		r = setsockopt(host_fd, level, option, from, len) < 0 ? -errno : 0;
	}
	close(host_fd);
	return r;
}

/* getsockopt(fd, level, option, optval, &optlen) */
long sys_getsockopt(struct task *task, struct syscall_call *call)
{
	int level = (int)call->args[1], option = (int)call->args[2];
	int host_fd = socket_copy(task, call->args[0]);
	if (host_fd < 0)
		return host_fd;
	long r;
	int optlen;
	if (!allowed(level, option, GET)) {
		r = refuse(task, call);
	} else if (task_read_mem(task, call->args[4], &optlen, sizeof(optlen)) != sizeof(optlen)) {
		r = -EFAULT;
	} else if (optlen < 0) {
		r = -EINVAL;
	} else {
		char value[OPTVAL_MAX];
		memset(value, 0, sizeof(value));
		socklen_t len = (socklen_t)optlen < sizeof(value) ? (socklen_t)optlen : sizeof(value);
		r = getsockopt(host_fd, level, option, value, &len) < 0 ? -errno : 0;
		if (r == 0)
			r = copy_out(task, call->args[3], value, len);
		int out = (int)len;
		if (r == 0)
			r = copy_out(task, call->args[4], &out, sizeof(out));
	}
	close(host_fd);
	return r;
}
