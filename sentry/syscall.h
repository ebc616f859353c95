/* The syscall table and the handler signature shared by both platforms. */
#ifndef SENTRY_SYSCALL_H
#define SENTRY_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

struct task;

enum disposition {
	DISP_UNLISTED = 0, /* no row: ENOSYS and a log line */
	DISP_PASS,         /* the host kernel runs it */
	DISP_EMULATE,      /* the sentry answers (user-notify or a ptrace stop) */
	DISP_TRACE,        /* a ptrace stop on every platform (exec) */
	DISP_ERRNO,        /* refused with a fixed errno */
	DISP_KILL,         /* the whole process is killed */
};

/* What a handler asks the platform to do once it returns. */
enum call_action {
	CALL_RETURN,   /* finish the call with the handler's value */
	CALL_CONTINUE, /* let the kernel run it: only for calls whose checked
	                  arguments are plain values */
	CALL_CONTINUE_CHANGED, /* let the kernel run it with call->args as the
	                          handler changed them: trace stops only */
	CALL_KILL,     /* kill the calling process */
	CALL_DEFERRED, /* answered later, when work the handler started is
	                  done (deferred.h) */
};

struct syscall_call {
	long nr;
	uint64_t args[6];
	uint64_t ip;
	const struct syscall_entry *entry;
	enum call_action action; /* set by the handler; CALL_RETURN by default */
};

/* A handler's answer after it signalled the caller: the kernel's
 * ERESTARTSYS, restart the call once the signal is handled (a stop and
 * SIGCONT, or a handler with SA_RESTART). The platform makes it so where
 * it can; where the call was already skipped (a ptrace stop) it is EINTR. */
#define SENTRY_ERESTARTSYS 512

/* Returns the call's result: a value >= 0 or -errno. */
typedef long (*syscall_handler_fn)(struct task *task, struct syscall_call *call);

struct syscall_entry {
	int nr;
	const char *name;
	enum disposition disposition;
	int error;         /* errno for DISP_ERRNO */
	int audited;       /* DISP_ERRNO answered by the sentry so it is logged */
	syscall_handler_fn handler; /* NULL: not built yet, ENOSYS and a log line */
};

/* Generated from arch/<arch>/syscalls.tbl, ordered by number. */
extern const struct syscall_entry syscall_table[];
extern const size_t syscall_table_len;
extern const char syscall_table_arch[];

const struct syscall_entry *syscall_lookup(long nr);
const char *syscall_name(long nr);
const char *disposition_name(enum disposition d);

#endif
