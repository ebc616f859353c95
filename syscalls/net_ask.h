/* --ask at a connect or send to a destination --allow-net does not name. */
#ifndef SENTRY_SYSCALLS_NET_ASK_H
#define SENTRY_SYSCALLS_NET_ASK_H

#include <stdbool.h>
#include <sys/socket.h>

#include "netpolicy.h"
#include "syscall.h"
#include "task.h"

enum {
	NET_ASK_NOT_ASKED = 1, /* --ask is off, or --allow-net names it: the policy decides */
	NET_ASK_APPROVED = 2,  /* approved before ("always", --ask=auto): go on */
};

/* With fd: a destination not approved before is asked on a worker, which
 * connects *fd (taken: set to -1) to addr once approved, else the call
 * fails with EACCES; 0 then (the call is deferred).  With swap_at >= 0,
 * *fd is a host socket not yet the workload's: once approved it is put at
 * the caller's fd number swap_at (close-on-exec as swap_cloexec says) in
 * place of the socket of the sandbox's namespace there, before it connects.
 * Without fd (a datagram's destination) nothing is asked.  Every decision
 * is an audit record.  NET_ASK_*, 0, or -errno. */
long net_ask(struct task *task, struct syscall_call *call, int address_arg, const struct net_destination *dest,
	     int *fd, const struct sockaddr_storage *addr, socklen_t len, int swap_at, bool swap_cloexec);

#endif
