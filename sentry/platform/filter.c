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
#include <xxhash.h>

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

/* What the filter says, as a list of rules. The same list is either
 * compiled by libseccomp at run time or, for the usual options, was
 * compiled at build time by filter_gen and is found by its hash. */
struct rule {
	int nr;
	uint32_t action;
	bool has_cmp;
	bool is_floor; /* its datum is the reserved floor, patched in */
	struct scmp_arg_cmp cmp;
};

struct rules {
	struct rule *r;
	size_t n;
	uint32_t route;
};

static void add_rule(struct rules *rs, int nr, uint32_t action, const struct scmp_arg_cmp *cmp, bool is_floor)
{
	struct rule *r = &rs->r[rs->n++];
	*r = (struct rule){ .nr = nr, .action = action, .has_cmp = cmp != NULL, .is_floor = is_floor };
	if (cmp)
		r->cmp = *cmp;
}

static int add_fast_path(struct rules *rs, enum platform_kind platform, const struct fast_path *fp)
{
	int nr = seccomp_syscall_resolve_name_arch(arch_native.scmp_arch, fp->name);
	if (nr < 0)
		return 0; /* not on this architecture (__NR_SCMP_ERROR or a __PNR_ number) */
	if (filter_action_for(platform, syscall_lookup(nr)) != route_to_sentry(platform))
		return -EINVAL; /* a fast path only narrows a call the sentry sees */
	if (fp->action == route_to_sentry(platform))
		return 0; /* already where it would go */
	struct scmp_arg_cmp cmp = SCMP_CMP32(fp->arg, SCMP_CMP_MASKED_EQ, fp->mask, fp->value);
	add_rule(rs, nr, fp->action, &cmp, false);
	return 0;
}

/* The fd is an unsigned int to the kernel; the filter compares all 64 bits
 * of the register, so junk in the upper half goes to the sentry. */
static int add_close_below(struct rules *rs, enum platform_kind platform, int reserved_floor)
{
	int nr = seccomp_syscall_resolve_name_arch(arch_native.scmp_arch, "close");
	if (reserved_floor <= 0 || nr < 0)
		return 0;
	if (filter_action_for(platform, syscall_lookup(nr)) != route_to_sentry(platform))
		return -EINVAL;
	struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_LT, (uint64_t)reserved_floor);
	add_rule(rs, nr, SCMP_ACT_ALLOW, &cmp, true);
	return 0;
}

static int collect_rules(enum platform_kind platform, int reserved_floor, struct rules *rs)
{
	rs->route = route_to_sentry(platform);
	rs->n = 0;
	rs->r = calloc(syscall_table_len + n_fast_paths + 1, sizeof(*rs->r));
	if (!rs->r)
		return -ENOMEM;
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		uint32_t action = filter_action_for(platform, e);
		if (action != rs->route)
			add_rule(rs, e->nr, action, NULL, false);
	}
	int r = 0;
	for (size_t i = 0; !r && i < n_fast_paths; i++)
		if (!(filter_every_clone_to_sentry && makes_a_task(fast_paths[i].name)))
			r = add_fast_path(rs, platform, &fast_paths[i]);
	if (!r)
		r = add_close_below(rs, platform, reserved_floor);
	if (r)
		free(rs->r);
	return r;
}

/* Everything the program depends on but the floor's value. */
static uint64_t hash_rules(const struct rules *rs)
{
	static const char format[] = "sentry filter rules 1";
	size_t n = 2 + rs->n * 7, i = 0;
	uint64_t *words = calloc(n, sizeof(*words));
	if (!words)
		return 0; /* matches no program */
	words[i++] = arch_native.scmp_arch;
	words[i++] = rs->route;
	for (size_t k = 0; k < rs->n; k++) {
		const struct rule *r = &rs->r[k];
		words[i++] = (uint64_t)(uint32_t)r->nr;
		words[i++] = r->action;
		words[i++] = r->has_cmp | (uint64_t)r->is_floor << 1;
		words[i++] = r->has_cmp ? r->cmp.arg : 0;
		words[i++] = r->has_cmp ? r->cmp.op : 0;
		words[i++] = r->has_cmp && !r->is_floor ? r->cmp.datum_a : 0;
		words[i++] = r->has_cmp ? r->cmp.datum_b : 0;
	}
	uint64_t h = XXH3_64bits_withSeed(words, n * sizeof(*words), XXH3_64bits(format, sizeof(format)));
	free(words);
	return h ? h : 1;
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

static int compile_rules(const struct rules *rs, struct sock_fprog *prog)
{
	scmp_filter_ctx ctx = seccomp_init(rs->route);
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
	for (size_t i = 0; !r && i < rs->n; i++) {
		const struct rule *rule = &rs->r[i];
		r = rule->has_cmp ? seccomp_rule_add_exact(ctx, rule->action, rule->nr, 1, rule->cmp)
				  : seccomp_rule_add_exact(ctx, rule->action, rule->nr, 0);
	}
	if (!r)
		r = export_bpf(ctx, prog);
	seccomp_release(ctx);
	return r;
}

/* Linked into sentry itself only (a build step makes it): elsewhere, and
 * where the build could not run filter_gen (a cross build), absent. */
extern const struct filter_prebuilt filter_prebuilts[] __attribute__((weak));

static const struct filter_prebuilt *prebuilt_for(const struct rules *rs)
{
	if (!filter_prebuilts)
		return NULL;
	uint64_t h = hash_rules(rs);
	for (const struct filter_prebuilt *p = filter_prebuilts; p->code; p++)
		if (p->rules_hash == h)
			return p;
	return NULL;
}

static int copy_prebuilt(const struct filter_prebuilt *p, int reserved_floor, struct sock_fprog *prog)
{
	prog->filter = malloc(p->len * sizeof(*p->code));
	if (!prog->filter)
		return -ENOMEM;
	memcpy(prog->filter, p->code, p->len * sizeof(*p->code));
	prog->len = p->len;
	for (unsigned i = 0; i < p->n_floor_at; i++)
		prog->filter[p->floor_at[i]].k = (uint32_t)reserved_floor;
	return 0;
}

int filter_build(enum platform_kind platform, int reserved_floor, struct sock_fprog *prog)
{
	struct rules rs;
	int r = collect_rules(platform, reserved_floor, &rs);
	if (r)
		return r;
	const struct filter_prebuilt *p = prebuilt_for(&rs);
	r = p ? copy_prebuilt(p, reserved_floor, prog) : compile_rules(&rs, prog);
	free(rs.r);
	return r;
}

int filter_compile(enum platform_kind platform, int reserved_floor, struct sock_fprog *prog)
{
	struct rules rs;
	int r = collect_rules(platform, reserved_floor, &rs);
	if (r)
		return r;
	r = compile_rules(&rs, prog);
	free(rs.r);
	return r;
}

int filter_rules_hash(enum platform_kind platform, int reserved_floor, uint64_t *hash)
{
	struct rules rs;
	int r = collect_rules(platform, reserved_floor, &rs);
	if (r)
		return r;
	*hash = hash_rules(&rs);
	free(rs.r);
	return 0;
}

bool filter_is_prebuilt(enum platform_kind platform, int reserved_floor)
{
	struct rules rs;
	if (collect_rules(platform, reserved_floor, &rs))
		return false;
	bool found = prebuilt_for(&rs) != NULL;
	free(rs.r);
	return found;
}
