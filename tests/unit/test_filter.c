/* The seccomp filter the sentry builds, run by a BPF interpreter for every
 * syscall number on both platforms, and once loaded into the kernel. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "bpf_interp.h"
#include "filter.h"

#define X32_SYSCALL_BIT 0x40000000u
#define NR_LIMIT 1024

static const enum platform_kind platforms[] = { PLATFORM_UNOTIFY, PLATFORM_PTRACE };
static const char *const platform_names[] = { "unotify", "ptrace" };

/* Where the sentry receives a call on each platform. */
/* The lowest fd the sentry reserves, as if RLIMIT_NOFILE were 1024. */
#define RESERVED_FLOOR 1022

static uint32_t route(enum platform_kind p)
{
	return p == PLATFORM_UNOTIFY ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE;
}

/* What a row means, from the dispositions alone (DESIGN.md, data flow). */
static uint32_t meaning(enum platform_kind p, const struct syscall_entry *e)
{
	if (!e)
		return route(p);
	switch (e->disposition) {
	case DISP_PASS: return SECCOMP_RET_ALLOW;
	case DISP_TRACE: return SECCOMP_RET_TRACE;
	case DISP_KILL: return SECCOMP_RET_KILL_PROCESS;
	case DISP_ERRNO: return e->audited ? route(p) : SECCOMP_RET_ERRNO | (uint32_t)e->error;
	case DISP_EMULATE:
	case DISP_UNLISTED: break;
	}
	return route(p);
}

static const struct syscall_entry *by_name(const char *name)
{
	for (size_t i = 0; i < syscall_table_len; i++)
		if (!strcmp(syscall_table[i].name, name))
			return &syscall_table[i];
	return NULL;
}

/* The action the filter must give: a matching fast path lets the kernel
 * run the call, anything else goes where the table says. */
static uint32_t expected(enum platform_kind p, const struct seccomp_data *d)
{
	const struct syscall_entry *e = syscall_lookup(d->nr);
	if (e && !strcmp(e->name, "close") && d->args[0] < RESERVED_FLOOR)
		return SECCOMP_RET_ALLOW;
	for (size_t i = 0; e && i < n_fast_paths; i++) {
		const struct fast_path *fp = &fast_paths[i];
		if (!strcmp(fp->name, e->name) && ((uint32_t)d->args[fp->arg] & fp->mask) == fp->value)
			return fp->action;
	}
	return filter_action_for(p, e);
}

static struct sock_fprog programs[2];

static void build_filters(void)
{
	for (int i = 0; i < 2; i++) {
		int r = filter_build(platforms[i], RESERVED_FLOOR, &programs[i]);
		cr_assert_eq(r, 0, "filter_build(%s): %s", platform_names[i], strerror(-r));
		cr_assert_gt(programs[i].len, 0);
	}
}

static void free_filters(void)
{
	for (int i = 0; i < 2; i++)
		free(programs[i].filter);
}

static uint32_t run(int i, const struct seccomp_data *d)
{
	uint32_t ret = 0;
	const char *error = NULL;
	int r = bpf_run(programs[i].filter, programs[i].len, d, &ret, &error);
	cr_assert_eq(r, 0, "%s filter, nr %d arch %#x: %s", platform_names[i], d->nr, d->arch, error);
	return ret;
}

static struct seccomp_data call(int nr, uint32_t arch, uint64_t arg)
{
	struct seccomp_data d = { .nr = nr, .arch = arch, .instruction_pointer = 0x7f0012345678 };
	for (int k = 0; k < 6; k++)
		d.args[k] = arg;
	return d;
}

static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

TestSuite(filter, .init = build_filters, .fini = free_filters);

Test(filter, action_for_follows_the_dispositions)
{
	for (int i = 0; i < 2; i++) {
		cr_expect_eq(filter_action_for(platforms[i], NULL), route(platforms[i]));
		for (size_t j = 0; j < syscall_table_len; j++) {
			const struct syscall_entry *e = &syscall_table[j];
			cr_expect_eq(filter_action_for(platforms[i], e), meaning(platforms[i], e),
				     "%s on %s: got %#x, want %#x", e->name, platform_names[i],
				     filter_action_for(platforms[i], e), meaning(platforms[i], e));
		}
	}
}

Test(filter, every_native_number)
{
	uint64_t seed = 1;
	for (int i = 0; i < 2; i++) {
		for (int nr = 0; nr < NR_LIMIT; nr++) {
			uint64_t patterns[] = { 0, ~0ull, next_random(&seed), next_random(&seed) };
			for (size_t k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
				struct seccomp_data d = call(nr, arch_native.audit_arch, patterns[k]);
				uint32_t got = run(i, &d), want = expected(platforms[i], &d);
				cr_expect_eq(got, want, "%s (%d) on %s, args %#llx: got %#x, want %#x",
					     syscall_name(nr), nr, platform_names[i],
					     (unsigned long long)patterns[k], got, want);
			}
		}
	}
}

Test(filter, numbers_beyond_the_table_go_to_the_sentry)
{
	static const int nrs[] = { NR_LIMIT, 4095, 65536, 0x3fffffff };
	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < sizeof(nrs) / sizeof(nrs[0]); k++) {
			struct seccomp_data d = call(nrs[k], arch_native.audit_arch, 0);
			cr_expect_eq(run(i, &d), route(platforms[i]), "nr %#x on %s", nrs[k], platform_names[i]);
		}
}

Test(filter, fast_paths_narrow_calls_the_sentry_sees)
{
	size_t found = 0;
	for (size_t f = 0; f < n_fast_paths; f++) {
		const struct syscall_entry *e = by_name(fast_paths[f].name);
		if (!e)
			continue;
		found++;
		cr_expect_lt(fast_paths[f].arg, 6u, "%s", e->name);
		cr_expect_eq(fast_paths[f].value & ~fast_paths[f].mask, 0, "%s: value outside the mask", e->name);
		for (int i = 0; i < 2; i++)
			cr_expect_eq(filter_action_for(platforms[i], e), route(platforms[i]), "%s", e->name);
	}
	cr_expect_gt(found, 0, "no fast path names a syscall of this architecture");
}

/* For each fast path: a matching argument runs in the kernel, a single
 * forbidden bit routes it, and the upper half of the register is ignored
 * as the kernel ignores it for a 32-bit argument. */
Test(filter, fast_path_arguments)
{
	static const uint64_t junk[] = { 0, 0xdeadbeef00000000ull, 0xffffffff00000000ull };
	for (size_t f = 0; f < n_fast_paths; f++) {
		const struct fast_path *fp = &fast_paths[f];
		const struct syscall_entry *e = by_name(fp->name);
		if (!e)
			continue;
		for (int i = 0; i < 2; i++) {
			uint32_t routed = filter_action_for(platforms[i], e);
			for (size_t j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
				struct seccomp_data d = call(e->nr, arch_native.audit_arch, 0);
				d.args[fp->arg] = junk[j] | fp->value;
				cr_expect_eq(run(i, &d), fp->action, "%s %#llx on %s", e->name,
					     (unsigned long long)d.args[fp->arg], platform_names[i]);
				/* bits the mask does not cover change nothing */
				d.args[fp->arg] = junk[j] | fp->value | (~fp->mask & 0xffffffffu);
				cr_expect_eq(run(i, &d), fp->action, "%s %#llx on %s", e->name,
					     (unsigned long long)d.args[fp->arg], platform_names[i]);
				for (int bit = 0; bit < 32; bit++) {
					if (!(fp->mask & (1u << bit)))
						continue;
					d.args[fp->arg] = junk[j] | (fp->value ^ (1u << bit));
					cr_expect_eq(run(i, &d), routed, "%s %#llx on %s", e->name,
						     (unsigned long long)d.args[fp->arg], platform_names[i]);
				}
			}
		}
	}
}

/* clone flags as glibc and programs use them. */
Test(filter, clone_flags)
{
	const struct syscall_entry *e = by_name("clone");
	cr_assert_not_null(e);
	static const struct {
		uint64_t flags;
		int allowed;
	} cases[] = {
		{ 0x01200011, 1 },   /* fork(): CHILD_SETTID|CHILD_CLEARTID|SIGCHLD */
		{ 0x003d0f00, 1 },   /* pthread_create */
		{ 0x00004111, 1 },   /* vfork via clone: VM|VFORK|SIGCHLD */
		{ 0x10000011, 0 },   /* CLONE_NEWUSER */
		{ 0x20000011, 0 },   /* CLONE_NEWPID */
		{ 0x40000011, 0 },   /* CLONE_NEWNET */
		{ 0x00020011, 0 },   /* CLONE_NEWNS */
		{ 0x00800011, 0 },   /* CLONE_UNTRACED */
		{ 0x04000011, 0 },   /* CLONE_NEWUTS */
		{ 0x08000011, 0 },   /* CLONE_NEWIPC */
		{ 0x02000011, 0 },   /* CLONE_NEWCGROUP */
		{ 0x0000000100000011ull, 1 }, /* a 64-bit bit the kernel drops */
		{ 0xffffffff003d0f00ull, 1 },
	};
	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			struct seccomp_data d = call(e->nr, arch_native.audit_arch, 0);
			d.args[0] = cases[k].flags;
			uint32_t want = cases[k].allowed ? SECCOMP_RET_ALLOW : route(platforms[i]);
			cr_expect_eq(run(i, &d), want, "clone(%#llx) on %s", (unsigned long long)cases[k].flags,
				     platform_names[i]);
		}
}

/* i386 (int 0x80), 32-bit arm and anything else but the native ABI die. */
Test(filter, foreign_abis_are_killed)
{
	static const uint32_t archs[] = { AUDIT_ARCH_I386, AUDIT_ARCH_ARM, AUDIT_ARCH_X86_64,
		AUDIT_ARCH_AARCH64, 0, 0xffffffffu };
	for (int i = 0; i < 2; i++)
		for (size_t a = 0; a < sizeof(archs) / sizeof(archs[0]); a++) {
			if (archs[a] == arch_native.audit_arch)
				continue;
			for (int nr = 0; nr < NR_LIMIT; nr++) {
				struct seccomp_data d = call(nr, archs[a], 0);
				cr_expect_eq(run(i, &d), SECCOMP_RET_KILL_PROCESS, "arch %#x nr %d on %s", archs[a],
					     nr, platform_names[i]);
			}
		}
}

Test(filter, x32_numbers_are_killed)
{
	if (strcmp(arch_native.name, "x86_64"))
		cr_skip_test("x32 exists on x86_64 only");
	for (int i = 0; i < 2; i++)
		for (int nr = 0; nr < NR_LIMIT; nr++) {
			struct seccomp_data d = call((int)(X32_SYSCALL_BIT | (uint32_t)nr), arch_native.audit_arch, 0);
			cr_expect_eq(run(i, &d), SECCOMP_RET_KILL_PROCESS, "x32 nr %d on %s", nr, platform_names[i]);
		}
}

/* The kernel accepts the program, and it behaves as interpreted: passed
 * calls run, calls routed to an absent listener or tracer get ENOSYS.
 * Runs in a child, which carries the filter until it exits. */
static int child_checks(int i)
{
	pid_t pid = getpid();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 10;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &programs[i]))
		return 11;
	if (syscall(SYS_getpid) != pid)
		return 12;
	if (syscall(NR_LIMIT - 1) != -1 || errno != ENOSYS)
		return 13;
	const struct syscall_entry *e = by_name("io_uring_setup");
	if (!e || syscall(e->nr, 1, NULL) != -1 || errno != ENOSYS)
		return 14;
	return 0;
}

static int in_child(int (*fn)(int), int i)
{
	pid_t child = fork();
	cr_assert_geq(child, 0);
	if (child == 0)
		_exit(fn(i));
	int status;
	cr_assert_eq(waitpid(child, &status, 0), child);
	return status;
}

Test(filter, loads_into_the_kernel)
{
	for (int i = 0; i < 2; i++) {
		int status = in_child(child_checks, i);
		cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s filter: status %#x",
			  platform_names[i], status);
	}
}

static int child_x32(int i)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &programs[i]))
		return 10;
	syscall(X32_SYSCALL_BIT | SYS_getpid);
	return 0;
}

Test(filter, kernel_kills_an_x32_call)
{
	if (strcmp(arch_native.name, "x86_64"))
		cr_skip_test("x32 exists on x86_64 only");
	for (int i = 0; i < 2; i++) {
		int status = in_child(child_x32, i);
		cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "%s filter: status %#x",
			  platform_names[i], status);
	}
}

/* The interpreter itself, on small programs. */
#define STMT(code, k) ((struct sock_filter){ (code), 0, 0, (k) })
#define JUMP(code, k, jt, jf) ((struct sock_filter){ (code), (jt), (jf), (k) })

static int interp(const struct sock_filter *prog, size_t len, const struct seccomp_data *d, uint32_t *ret)
{
	const char *error = NULL;
	return bpf_run(prog, len, d, ret, &error);
}

Test(bpf, loads_jumps_and_returns)
{
	const struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]) + 4),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80000000u, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	};
	struct seccomp_data d = { .nr = 39 };
	uint32_t ret;
	cr_assert_eq(interp(prog, 7, &d, &ret), 0);
	cr_expect_eq(ret, SECCOMP_RET_ALLOW);
	d.nr = 40;
	d.args[1] = 0x8000000000000000ull;
	cr_assert_eq(interp(prog, 7, &d, &ret), 0);
	cr_expect_eq(ret, SECCOMP_RET_KILL_PROCESS);
	d.args[1] = 0xffffffffull;
	cr_assert_eq(interp(prog, 7, &d, &ret), 0);
	cr_expect_eq(ret, SECCOMP_RET_ERRNO | 1);
}

Test(bpf, memory_alu_and_registers)
{
	const struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		STMT(BPF_ST, 3),
		STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
		STMT(BPF_ALU | BPF_LSH | BPF_K, 4),
		STMT(BPF_ALU | BPF_OR | BPF_K, 1),
		STMT(BPF_MISC | BPF_TAX, 0),
		STMT(BPF_LD | BPF_MEM, 3),
		STMT(BPF_ALU | BPF_RSH | BPF_K, 8),
		STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
		STMT(BPF_ALU | BPF_SUB | BPF_K, 2),
		JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 1, 0),
		STMT(BPF_RET | BPF_K, 0),
		STMT(BPF_STX, 0),
		STMT(BPF_LDX | BPF_MEM, 0),
		STMT(BPF_MISC | BPF_TXA, 0),
		STMT(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data d = { .args = { 0x1234 } };
	uint32_t ret;
	/* x = (0x34 << 4) | 1 = 0x341; a = 0x12 + 0x341 - 2 = 0x351 > x */
	cr_assert_eq(interp(prog, sizeof(prog) / sizeof(prog[0]), &d, &ret), 0);
	cr_expect_eq(ret, 0x341);
	d.args[0] = 0x100;
	/* x = 1; a = 1 + 1 - 2 = 0, not > 1 */
	cr_assert_eq(interp(prog, sizeof(prog) / sizeof(prog[0]), &d, &ret), 0);
	cr_expect_eq(ret, 0);
}

Test(bpf, refuses_what_the_kernel_refuses)
{
	struct seccomp_data d = { 0 };
	uint32_t ret;
	const struct sock_filter past_end[] = { JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 5),
						STMT(BPF_RET | BPF_K, 0) };
	cr_expect_eq(interp(past_end, 2, &d, &ret), -1);
	const struct sock_filter no_ret[] = { STMT(BPF_LD | BPF_W | BPF_ABS, 0) };
	cr_expect_eq(interp(no_ret, 1, &d, &ret), -1);
	const struct sock_filter outside[] = { STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(d)),
					       STMT(BPF_RET | BPF_K, 0) };
	cr_expect_eq(interp(outside, 2, &d, &ret), -1);
	const struct sock_filter unaligned[] = { STMT(BPF_LD | BPF_W | BPF_ABS, 2), STMT(BPF_RET | BPF_K, 0) };
	cr_expect_eq(interp(unaligned, 2, &d, &ret), -1);
	const struct sock_filter unset[] = { STMT(BPF_LD | BPF_MEM, 1), STMT(BPF_RET | BPF_K, 0) };
	cr_expect_eq(interp(unset, 2, &d, &ret), -1);
	const struct sock_filter byte_load[] = { STMT(BPF_LD | BPF_B | BPF_ABS, 0), STMT(BPF_RET | BPF_K, 0) };
	cr_expect_eq(interp(byte_load, 2, &d, &ret), -1);
	cr_expect_eq(interp(byte_load, 0, &d, &ret), -1);
}

/* close runs in the kernel below the reserved fds; at or above them, and
 * with junk in the register's upper half, the sentry sees it. */
Test(filter, close_below_the_reserved_fds)
{
	const struct syscall_entry *e = by_name("close");
	cr_assert_not_null(e);
	static const struct {
		uint64_t fd;
		bool kernel;
	} cases[] = {
		{ 0, true }, { 3, true }, { RESERVED_FLOOR - 1, true }, { RESERVED_FLOOR, false },
		{ RESERVED_FLOOR + 1, false }, { 0xffffffffu, false }, { UINT64_MAX, false },
		{ 0x100000000ull | 3, false },
	};
	for (int i = 0; i < 2; i++)
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			struct seccomp_data d = call(e->nr, arch_native.audit_arch, cases[c].fd);
			cr_expect_eq(run(i, &d), cases[c].kernel ? SECCOMP_RET_ALLOW : route(platforms[i]),
				     "close(%#llx) on %s", (unsigned long long)cases[c].fd, platform_names[i]);
		}
}
