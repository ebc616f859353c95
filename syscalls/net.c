/* Sockets: only AF_UNIX, and no path or abstract name reaches the host. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdmap.h"
#include "fsctx.h"

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

long sys_connect(struct task *task, struct syscall_call *call) { return unix_address(task, call, false); }
long sys_bind(struct task *task, struct syscall_call *call) { return unix_address(task, call, true); }

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
	int type = 0, domain = 0;
	socklen_t len = sizeof(type);
	r = getsockopt(copy, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ? -errno : 0;
	len = sizeof(domain);
	if (r == 0 && getsockopt(copy, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		r = -errno;
	close(copy);
	if (r < 0)
		return r; /* ENOTSOCK */
	/* only a unix stream or seqpacket socket ignores the address: a TCP
	 * socket would connect to it (MSG_FASTOPEN) */
	if (domain == AF_UNIX && (type == SOCK_STREAM || type == SOCK_SEQPACKET)) {
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
