/* Unix sockets bound inside the sandbox: path names live in the VFS,
 * abstract names in a namespace of the sandbox's own; the sentry binds,
 * connects and sends on its copy of the workload's socket with a private
 * address of its own that the workload never names. */
#ifndef SENTRY_SYSCALLS_UNIX_H
#define SENTRY_SYSCALLS_UNIX_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "syscall.h"
#include "task.h"

enum unix_op { UNIX_BIND, UNIX_CONNECT, UNIX_SOCKNAME, UNIX_PEERNAME };

/* When the fd of call->args[0] is a unix socket: performs op (bind,
 * connect, getsockname or getpeername) and sets *result, returning true.
 * False, with nothing done, for every other fd. */
bool unix_socket_call(struct task *task, struct syscall_call *call, enum unix_op op, long *result);

/* The private address a workload's address (copied in) stands for when
 * sending a datagram to it: 0, or -errno as connect would answer. */
long unix_destination(struct task *task, const struct sockaddr_un *addr, socklen_t len,
		      struct sockaddr_un *out, socklen_t *out_len);

#endif
