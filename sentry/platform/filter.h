/* The seccomp filter, generated from the syscall table with libseccomp. */
#ifndef SENTRY_FILTER_H
#define SENTRY_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "sandbox.h"
#include "syscall.h"

/* A syscall that takes another way when one argument matches
 * ((arg & mask) == value on its low 32 bits); otherwise it goes where the
 * table says. With SCMP_ACT_ALLOW the kernel runs common, harmless calls
 * without a round trip; with SCMP_ACT_TRACE(0) a call the sentry answers
 * arrives as a ptrace stop even on the user-notify platform, for what only
 * a stopped task can be given (an O_PATH fd cannot travel by ADDFD). */
struct fast_path {
	const char *name;
	unsigned arg;
	uint32_t mask;
	uint32_t value;
	uint32_t action;
};

extern const struct fast_path fast_paths[];
extern const size_t n_fast_paths;

/* Clone flags the workload may never use: new namespaces, and
 * CLONE_UNTRACED, which would hide a task from the sentry. */
#define CLONE_FORBIDDEN_FLAGS 0x7e820000u /* checked against linux/sched.h in filter.c */

/* Set before filter_build: every clone, fork and vfork reaches the sentry,
 * which counts the workload's tasks (--pids-limit); otherwise the fast
 * paths let the kernel run them. */
extern bool filter_every_clone_to_sentry;

/* Whether the kernel has SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux
 * 5.19): once the sentry has received a call, only a fatal signal ends the
 * caller's wait. Without it any signal withdraws the request, even after
 * the sentry acted on it, and the kernel restarts the call (a mkdir made
 * twice says EEXIST) or fails it with EINTR. */
bool filter_waits_killable(void);

/* The flags that install the user-notify filter: a new listener, killable
 * waits where the kernel has them. */
unsigned filter_listener_flags(void);

/* Builds the classic BPF program for a platform: a copy of the one made
 * at build time for the same rules, or else compiled by libseccomp.
 * close(fd) of an fd below reserved_floor (the lowest fd the sentry
 * reserves; 0: none) runs in the kernel; only closes at or above it reach
 * the sentry. The caller frees prog->filter. Returns 0 or -errno. */
int filter_build(enum platform_kind platform, int reserved_floor, struct sock_fprog *prog);

/* filter_build without the programs made at build time: libseccomp
 * compiles the rules (filter_gen, and the tests that compare the two). */
int filter_compile(enum platform_kind platform, int reserved_floor, struct sock_fprog *prog);

/* A program compiled at build time for one rule set, found at run time by
 * the hash of the rules (all but the floor's value, which is patched into
 * the instructions floor_at names). A list of them ends with code NULL. */
struct filter_prebuilt {
	uint64_t rules_hash;
	const struct sock_filter *code;
	unsigned short len;
	const unsigned short *floor_at;
	unsigned n_floor_at;
};

/* The hash of the rules filter_build would compile for these options. */
int filter_rules_hash(enum platform_kind platform, int reserved_floor, uint64_t *hash);

/* Whether filter_build finds a program made at build time for these. */
bool filter_is_prebuilt(enum platform_kind platform, int reserved_floor);

/* SECCOMP_RET_* action the filter gives a table row on a platform,
 * ignoring fast paths. */
uint32_t filter_action_for(enum platform_kind platform, const struct syscall_entry *entry);

#endif
