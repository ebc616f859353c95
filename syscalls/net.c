/* Sockets: only AF_UNIX, and no path or abstract name reaches the host. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdmap.h"

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

long sys_socket(struct task *task, struct syscall_call *call)
{
	int family = (int)call->args[0]; /* the kernel reads an int */
	if (family == AF_UNIX) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	char why[96];
	snprintf(why, sizeof(why), "%s sockets: the network is off in the sandbox", family_name(family));
	report_denial(task, call, EACCES, why);
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
 * the host, an abstract name in the host's namespace. */
static long refuse_address(struct task *task, struct syscall_call *call)
{
	report_denial(task, call, EACCES, "unix socket addresses are not supported in the sandbox yet");
	return -EACCES;
}

long sys_connect(struct task *task, struct syscall_call *call) { return refuse_address(task, call); }
long sys_bind(struct task *task, struct syscall_call *call) { return refuse_address(task, call); }

/* Sockets are all AF_UNIX, made by the kernel: their own business. */
#define ON_OWN_SOCKET(name)                                             \
	long sys_##name(struct task *task, struct syscall_call *call)   \
	{                                                               \
		call->action = CALL_CONTINUE;                           \
		return 0;                                               \
	}

ON_OWN_SOCKET(listen)
ON_OWN_SOCKET(accept)
ON_OWN_SOCKET(accept4)
ON_OWN_SOCKET(getsockname)
ON_OWN_SOCKET(getpeername)

/* A stream or seqpacket socket ignores or refuses a destination address,
 * so the kernel may send; a datagram socket would go where the address
 * says, and that address sits in memory another thread could rewrite. */
static long send_if_connection(struct task *task, struct syscall_call *call, bool has_address)
{
	if (!has_address) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	struct vfs_file *f;
	int copy;
	long r = task_fd_lookup(task, (int)call->args[0], &f, &copy);
	if (r < 0)
		return r;
	int type = 0;
	socklen_t len = sizeof(type);
	r = getsockopt(copy, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ? -errno : 0;
	close(copy);
	if (r < 0)
		return r; /* ENOTSOCK */
	if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	report_denial(task, call, EACCES, "sending a datagram to an address is not supported in the sandbox yet");
	return -EACCES;
}

long sys_sendto(struct task *task, struct syscall_call *call)
{
	return send_if_connection(task, call, call->args[4] != 0);
}

long sys_sendmsg(struct task *task, struct syscall_call *call) { return send_if_connection(task, call, true); }
long sys_sendmmsg(struct task *task, struct syscall_call *call) { return send_if_connection(task, call, true); }
