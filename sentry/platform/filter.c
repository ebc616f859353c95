#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"
#include "filter.h"

_Static_assert(CLONE_FORBIDDEN_FLAGS == (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
					 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_UNTRACED),
	       "CLONE_FORBIDDEN_FLAGS out of date");

/* The kernel truncates clone's flags to 32 bits, so a junk upper half
 * changes nothing; the filter looks at the low half only. */
const struct fast_path fast_paths[] = {
	{ "clone", 0, CLONE_FORBIDDEN_FLAGS, 0, SCMP_ACT_ALLOW },
	{ "fork", 0, 0, 0, SCMP_ACT_ALLOW },
	{ "vfork", 0, 0, 0, SCMP_ACT_ALLOW },
	{ "open", 1, O_PATH, O_PATH, SCMP_ACT_TRACE(0) },
	{ "openat", 2, O_PATH, O_PATH, SCMP_ACT_TRACE(0) },
};
const size_t n_fast_paths = sizeof(fast_paths) / sizeof(fast_paths[0]);

bool filter_every_clone_to_sentry;

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* A kernel that knows every flag reaches the copy of the (null) program
 * and says EFAULT; one that does not know a flag says EINVAL first. */
bool filter_waits_killable(void)
{
	static int known = -1;
	if (known < 0) {
		unsigned flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		known = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
	}
	return known;
}

unsigned filter_listener_flags(void)
{
	return SECCOMP_FILTER_FLAG_NEW_LISTENER | (filter_waits_killable() ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0);
}

static bool makes_a_task(const char *name)
{
	return !strcmp(name, "clone") || !strcmp(name, "fork") || !strcmp(name, "vfork");
}

/* Where a call goes when the sentry must see it. */
static uint32_t route_to_sentry(enum platform_kind platform)
{
	return platform == PLATFORM_UNOTIFY ? SCMP_ACT_NOTIFY : SCMP_ACT_TRACE(0);
}

uint32_t filter_action_for(enum platform_kind platform, const struct syscall_entry *entry)
{
	if (!entry)
		return route_to_sentry(platform);
	switch (entry->disposition) {
	case DISP_PASS:
		return SCMP_ACT_ALLOW;
	case DISP_TRACE:
		return SCMP_ACT_TRACE(0);
	case DISP_ERRNO:
		return entry->audited ? route_to_sentry(platform) : SCMP_ACT_ERRNO((uint32_t)entry->error);
	case DISP_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case DISP_EMULATE:
	case DISP_UNLISTED:
		break;
	}
	return route_to_sentry(platform);
}

static int add_fast_path(scmp_filter_ctx ctx, enum platform_kind platform, const struct fast_path *fp)
{
	int nr = seccomp_syscall_resolve_name_arch(arch_native.scmp_arch, fp->name);
	if (nr < 0)
		return 0; /* not on this architecture (__NR_SCMP_ERROR or a __PNR_ number) */
	if (filter_action_for(platform, syscall_lookup(nr)) != route_to_sentry(platform))
		return -EINVAL; /* a fast path only narrows a call the sentry sees */
	if (fp->action == route_to_sentry(platform))
		return 0; /* already where it would go */
	struct scmp_arg_cmp cmp = SCMP_CMP32(fp->arg, SCMP_CMP_MASKED_EQ, fp->mask, fp->value);
	return seccomp_rule_add_exact(ctx, fp->action, nr, 1, cmp);
}

static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	int fd = memfd_create("sentry-filter", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = seccomp_export_bpf(ctx, fd);
	struct stat st;
	if (r == 0 && fstat(fd, &st) < 0)
		r = -errno;
	if (r == 0) {
		size_t len = (size_t)st.st_size;
		prog->filter = malloc(len);
		prog->len = (unsigned short)(len / sizeof(struct sock_filter));
		if (!prog->filter)
			r = -ENOMEM;
		else if (pread(fd, prog->filter, len, 0) != (ssize_t)len)
			r = -EIO;
		if (r)
			free(prog->filter);
	}
	close(fd);
	return r;
}

/* The fd is an unsigned int to the kernel; the filter compares all 64 bits
 * of the register, so junk in the upper half goes to the sentry. */
static int add_close_below(scmp_filter_ctx ctx, enum platform_kind platform, int reserved_floor)
{
	int nr = seccomp_syscall_resolve_name_arch(arch_native.scmp_arch, "close");
	if (reserved_floor <= 0 || nr < 0)
		return 0;
	if (filter_action_for(platform, syscall_lookup(nr)) != route_to_sentry(platform))
		return -EINVAL;
	return seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_LT, (uint64_t)reserved_floor));
}

int filter_build(enum platform_kind platform, int reserved_floor, struct sock_fprog *prog)
{
	uint32_t route = route_to_sentry(platform);
	scmp_filter_ctx ctx = seccomp_init(route);
	if (!ctx)
		return -ENOMEM;
	int r = 0;
	/* The native ABI only: i386 (int 0x80, sysenter) and x32 numbers on
	 * x86_64, 32-bit arm on aarch64, all fail the arch check and die. */
	if (seccomp_arch_native() != arch_native.scmp_arch) {
		r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (!r)
			r = seccomp_arch_add(ctx, arch_native.scmp_arch);
	}
	if (!r)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!r)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; !r && i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		uint32_t action = filter_action_for(platform, e);
		if (action != route)
			r = seccomp_rule_add_exact(ctx, action, e->nr, 0);
	}
	for (size_t i = 0; !r && i < n_fast_paths; i++)
		if (!(filter_every_clone_to_sentry && makes_a_task(fast_paths[i].name)))
			r = add_fast_path(ctx, platform, &fast_paths[i]);
	if (!r)
		r = add_close_below(ctx, platform, reserved_floor);
	if (!r)
		r = export_bpf(ctx, prog);
	seccomp_release(ctx);
	return r;
}
