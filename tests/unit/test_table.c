/* The real syscall table of this architecture against the kernel headers
 * and the contract. */
#include <asm/unistd.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "arch.h"
#include "syscall.h"

/* Every syscall the headers define: unistd_names.h is generated at build
 * time from <asm/unistd.h> (unistd_names.awk). */
static const struct {
	const char *name;
	long nr;
} header_syscalls[] = {
#define X(name) { #name, __NR_##name },
#include "unistd_names.h"
#undef X
};
#define N_HEADER (sizeof(header_syscalls) / sizeof(header_syscalls[0]))

static long header_max(void)
{
	long max = -1;
	for (size_t i = 0; i < N_HEADER; i++)
		if (header_syscalls[i].nr > max)
			max = header_syscalls[i].nr;
	return max;
}

static const struct syscall_entry *by_name(const char *name)
{
	for (size_t i = 0; i < syscall_table_len; i++)
		if (!strcmp(syscall_table[i].name, name))
			return &syscall_table[i];
	return NULL;
}

Test(table, built_for_this_arch)
{
	cr_expect_str_eq(syscall_table_arch, arch_native.name);
	cr_expect_geq(N_HEADER, 250u, "only %zu syscalls found in the headers", N_HEADER);
}

Test(table, every_header_number_once_with_its_name)
{
	for (size_t i = 0; i < N_HEADER; i++) {
		long nr = header_syscalls[i].nr;
		size_t rows = 0;
		for (size_t j = 0; j < syscall_table_len; j++)
			rows += syscall_table[j].nr == nr;
		cr_expect_eq(rows, 1, "%s (%ld): %zu rows", header_syscalls[i].name, nr, rows);
		const struct syscall_entry *e = syscall_lookup(nr);
		cr_expect_not_null(e, "%s (%ld) not found", header_syscalls[i].name, nr);
		if (e)
			cr_expect_str_eq(e->name, header_syscalls[i].name, "number %ld", nr);
	}
}

/* Rows the headers do not know are syscalls newer than the headers. */
Test(table, no_row_unknown_to_the_headers_below_their_last_number)
{
	long max = header_max();
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		int known = 0;
		for (size_t j = 0; j < N_HEADER && !known; j++)
			known = header_syscalls[j].nr == e->nr;
		cr_expect(known || e->nr > max, "%s (%d) is not in the headers", e->name, e->nr);
	}
}

Test(table, sorted_and_names_unique)
{
	for (size_t i = 1; i < syscall_table_len; i++)
		cr_expect_lt(syscall_table[i - 1].nr, syscall_table[i].nr, "row %zu", i);
	for (size_t i = 0; i < syscall_table_len; i++)
		cr_expect(by_name(syscall_table[i].name) == &syscall_table[i], "%s listed twice",
			  syscall_table[i].name);
}

Test(table, lookup_finds_each_row_and_nothing_else)
{
	for (size_t i = 0; i < syscall_table_len; i++) {
		cr_expect(syscall_lookup(syscall_table[i].nr) == &syscall_table[i], "%s", syscall_table[i].name);
		cr_expect_str_eq(syscall_name(syscall_table[i].nr), syscall_table[i].name);
	}
	for (long nr = -2; nr < 2048; nr++) {
		const struct syscall_entry *want = NULL;
		for (size_t i = 0; i < syscall_table_len; i++)
			if (syscall_table[i].nr == nr)
				want = &syscall_table[i];
		cr_expect(syscall_lookup(nr) == want, "number %ld", nr);
	}
}

Test(table, rows_are_well_formed)
{
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		cr_expect(e->disposition != DISP_UNLISTED, "%s", e->name);
		if (e->disposition == DISP_ERRNO)
			cr_expect_gt(e->error, 0, "%s", e->name);
		else
			cr_expect_eq(e->error, 0, "%s", e->name);
		if (e->disposition != DISP_ERRNO)
			cr_expect_eq(e->audited, 0, "%s", e->name);
		if (e->disposition == DISP_PASS || e->disposition == DISP_ERRNO || e->disposition == DISP_KILL)
			cr_expect_null(e->handler, "%s", e->name);
		if (e->disposition == DISP_TRACE)
			cr_expect_not_null(e->handler, "%s", e->name);
	}
}

/* The contract: whatever takes a path, makes or describes an fd, names
 * another process or reaches the network never passes. Names absent on
 * this architecture are skipped (open, stat... do not exist on arm64). */
static const char *const never_pass[] = {
	"open", "openat", "openat2", "creat", "close", "close_range", "dup", "dup2", "dup3", "fcntl",
	"stat", "lstat", "fstat", "newfstatat", "statx", "access", "faccessat", "faccessat2",
	"readlink", "readlinkat", "mkdir", "mkdirat", "mknod", "mknodat", "rmdir", "unlink",
	"unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
	"chdir", "fchdir", "getcwd", "chroot", "chmod", "fchmod", "fchmodat", "chown", "fchown",
	"lchown", "fchownat", "utime", "utimes", "utimensat", "futimesat", "truncate", "ftruncate",
	"getdents", "getdents64", "statfs", "fstatfs", "ustat", "setxattr", "lsetxattr", "fsetxattr",
	"getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr",
	"lremovexattr", "fremovexattr", "inotify_init", "inotify_init1", "inotify_add_watch",
	"memfd_create", "pipe", "pipe2", "eventfd", "eventfd2", "epoll_create", "epoll_create1",
	"timerfd_create", "signalfd", "signalfd4", "umask", "socket", "socketpair", "connect", "bind",
	"listen", "accept", "accept4", "sendto", "sendmsg", "sendmmsg", "mq_open", "shmget", "semget",
	"msgget", "ioctl", "clone", "clone3", "execve", "execveat", "kill", "tkill", "tgkill",
	"rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open", "pidfd_getfd", "prlimit64",
	"sched_setaffinity", "sched_setscheduler", "setpriority", "setpgid", "ptrace",
	"process_vm_readv", "process_vm_writev", "kcmp", "mount", "umount2", "pivot_root", "unshare",
	"setns", "fsopen", "fsmount", "open_tree", "move_mount", "bpf", "perf_event_open",
	"userfaultfd", "keyctl", "add_key", "request_key", "kexec_load", "init_module",
	"finit_module", "open_by_handle_at", "name_to_handle_at", "io_uring_setup", "io_uring_enter",
	"io_uring_register", "io_setup", "io_submit", "seccomp", "personality", "modify_ldt",
	"iopl", "ioperm", "fanotify_init", "memfd_secret", "landlock_create_ruleset",
	"fchmodat2", "statmount", "listmount", "setxattrat", "getxattrat", "file_getattr",
	"file_setattr", "open_tree_attr",
};

Test(table, contract_never_pass)
{
	size_t present = 0;
	for (size_t i = 0; i < sizeof(never_pass) / sizeof(never_pass[0]); i++) {
		const struct syscall_entry *e = by_name(never_pass[i]);
		if (!e)
			continue;
		present++;
		cr_expect_neq(e->disposition, DISP_PASS, "%s passes", e->name);
	}
	cr_expect_geq(present, 150u, "only %zu of the listed calls found", present);
}

static void expect_row(const char *name, enum disposition d, int error, int audited)
{
	const struct syscall_entry *e = by_name(name);
	cr_assert_not_null(e, "%s has no row", name);
	cr_expect_eq(e->disposition, d, "%s: %s", name, disposition_name(e->disposition));
	cr_expect_eq(e->error, error, "%s", name);
	cr_expect_eq(e->audited, audited, "%s", name);
}

Test(table, contract_denials)
{
	static const char *const eperm[] = { "ptrace", "process_vm_readv", "process_vm_writev",
		"mount", "umount2", "unshare", "setns", "bpf", "perf_event_open", "userfaultfd",
		"keyctl", "open_by_handle_at", "kexec_load", "init_module", "reboot" };
	for (size_t i = 0; i < sizeof(eperm) / sizeof(eperm[0]); i++)
		expect_row(eperm[i], DISP_ERRNO, EPERM, 1);
	expect_row("io_uring_setup", DISP_ERRNO, ENOSYS, 1);
	expect_row("io_uring_enter", DISP_ERRNO, ENOSYS, 1);
	expect_row("io_uring_register", DISP_ERRNO, ENOSYS, 1);
	expect_row("clone3", DISP_ERRNO, ENOSYS, 0);
}

Test(table, contract_handlers)
{
	static const char *const handled[] = { "clone", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
		"rt_tgsigqueueinfo", "pidfd_open", "prlimit64", "getpgid", "setpgid", "getsid",
		"setpriority", "getpriority", "sched_setaffinity", "sched_getaffinity", "ioctl",
		"execve", "execveat" };
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		const struct syscall_entry *e = by_name(handled[i]);
		cr_assert_not_null(e, "%s has no row", handled[i]);
		cr_expect_not_null(e->handler, "%s has no handler", handled[i]);
	}
	expect_row("execve", DISP_TRACE, 0, 0);
	expect_row("execveat", DISP_TRACE, 0, 0);
	expect_row("clone", DISP_EMULATE, 0, 0);
}

Test(table, contract_hot_calls_pass)
{
	static const char *const hot[] = { "read", "write", "mmap", "munmap", "brk", "futex",
		"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "clock_gettime", "getpid", "gettid",
		"exit", "exit_group", "wait4", "lseek", "pread64", "epoll_pwait", "ppoll", "getrandom" };
	for (size_t i = 0; i < sizeof(hot) / sizeof(hot[0]); i++)
		expect_row(hot[i], DISP_PASS, 0, 0);
}
