/* Syscall arguments decoded for --trace, the denial line and the audit
 * record (sentry/trace/decode.c). The task is this test process: strings and
 * structures are read from its own memory, next to unmapped pages. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode.h"
#include "task.h"

static struct task self;

static void setup(void) { self.tid = self.tgid = getpid(); }

TestSuite(decode_args, .init = setup);

static uint64_t A(const void *p) { return (uint64_t)(uintptr_t)p; }

/* The decoded argument list of a call that returned ret. */
static const char *args_of(const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			   uint64_t a5, long ret)
{
	static char buf[DECODE_ARGS_MAX];
	const uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };
	decode_args(&self, name, args, true, ret, buf, sizeof(buf));
	return buf;
}
#define D(name, ...) args_of(name, __VA_ARGS__)
#define EXPECT(got, want) cr_expect_str_eq(got, want, "got   %s\nwant  %s", got, want)

/* A page followed by an unmapped one, for reads that run off the end. */
static char *page_before_hole(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(p, MAP_FAILED);
	cr_assert_eq(munmap(p + page, (size_t)page), 0);
	return p;
}

static bool all_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

Test(decode_args, openat_as_strace_shows_it)
{
	const char *path = "/usr/lib/python3.11/os.py";
	EXPECT(D("openat", (uint64_t)-100, A(path), O_RDONLY | O_CLOEXEC, 0, 0, 0, 3),
	       "AT_FDCWD, \"/usr/lib/python3.11/os.py\", O_RDONLY|O_CLOEXEC");
	/* AT_FDCWD as a 32-bit int, the upper half garbage */
	EXPECT(D("openat", 0xffffff9c, A(path), O_RDONLY, 0, 0, 0, 3), "AT_FDCWD, \"/usr/lib/python3.11/os.py\", O_RDONLY");
	EXPECT(D("openat", 0x1234567800000007ull, A("x"), O_WRONLY | O_APPEND, 0, 0, 0, 3), "7, \"x\", O_WRONLY|O_APPEND");
}

Test(decode_args, the_mode_only_when_the_flags_create)
{
	EXPECT(D("openat", (uint64_t)-100, A("f"), O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0, 3),
	       "AT_FDCWD, \"f\", O_WRONLY|O_CREAT|O_TRUNC, 0644");
	EXPECT(D("open", A("f"), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, 0, 0, 0, 3),
	       "\"f\", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600");
	EXPECT(D("open", A("/tmp"), O_RDWR | O_TMPFILE, 0600, 0, 0, 0, 3), "\"/tmp\", O_RDWR|O_TMPFILE, 0600");
	EXPECT(D("open", A("f"), O_RDONLY, 0644, 0, 0, 0, 3), "\"f\", O_RDONLY");
	EXPECT(D("creat", A("f"), 0755, 0, 0, 0, 0, 3), "\"f\", 0755");
}

Test(decode_args, open_flags_by_name_unknown_bits_in_hex)
{
	EXPECT(D("open", A("d"), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK, 0, 0, 0, 0, 3),
	       "\"d\", O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_NOFOLLOW");
	EXPECT(D("open", A("f"), O_RDONLY | 0x40000000, 0, 0, 0, 0, 3), "\"f\", O_RDONLY|0x40000000");
	EXPECT(D("open", A("f"), O_WRONLY | O_SYNC | O_PATH, 0, 0, 0, 0, 3), "\"f\", O_WRONLY|O_SYNC|O_PATH");
	EXPECT(D("open", A("f"), O_ACCMODE, 0, 0, 0, 0, 3), "\"f\", O_ACCMODE");
	/* an int: the upper half of the register is not the flags' */
	EXPECT(D("open", A("f"), 0xdead000000000000ull | O_CLOEXEC, 0, 0, 0, 0, 3), "\"f\", O_RDONLY|O_CLOEXEC");
}

Test(decode_args, openat2_shows_its_struct)
{
	uint64_t how[3] = { O_RDONLY | O_CLOEXEC, 0, 0x08 | 0x04 };
	EXPECT(D("openat2", 5, A("a/b"), A(how), sizeof(how), 0, 0, 3),
	       "5, \"a/b\", {flags=O_RDONLY|O_CLOEXEC, mode=0000, resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24");
	char expect[64];
	snprintf(expect, sizeof(expect), "5, \"a/b\", %#llx, 8", (unsigned long long)A(how));
	EXPECT(D("openat2", 5, A("a/b"), A(how), 8, 0, 0, 3), expect);
}

Test(decode_args, long_strings_are_cut_with_dots)
{
	static char s[DECODE_PATH_MAX + 101];
	memset(s, 'a', DECODE_PATH_MAX + 100);
	s[DECODE_PATH_MAX + 100] = 0;
	static char want[DECODE_PATH_MAX + 256];
	snprintf(want, sizeof(want), "\"%.*s\"..., R_OK", DECODE_PATH_MAX, s);
	EXPECT(D("access", A(s), R_OK, 0, 0, 0, 0, 0), want);
	/* exactly the limit: whole */
	s[DECODE_PATH_MAX] = 0;
	snprintf(want, sizeof(want), "\"%s\", R_OK", s);
	EXPECT(D("access", A(s), R_OK, 0, 0, 0, 0, 0), want);
	s[DECODE_PATH_MAX] = 'a';
	s[DECODE_PATH_MAX + 1] = 0;
	snprintf(want, sizeof(want), "\"%.*s\"..., R_OK", DECODE_PATH_MAX, s);
	EXPECT(D("access", A(s), R_OK, 0, 0, 0, 0, 0), want);
}

Test(decode_args, strings_are_escaped_onto_one_line)
{
	const char *nasty = "a\nb\"c\\d\te\r\x1b[31m\x7f\xc3\xa9\x01z";
	const char *got = D("unlink", A(nasty), 0, 0, 0, 0, 0, 0);
	EXPECT(got, "\"a\\nb\\\"c\\\\d\\te\\r\\33[31m\\177\\303\\251\\1z\"");
	cr_expect(all_printable(got));
	/* a forged log line stays inside the quotes */
	got = D("unlink", A("x\nsentry: denied nothing"), 0, 0, 0, 0, 0, 0);
	EXPECT(got, "\"x\\nsentry: denied nothing\"");
	/* an octal escape before a digit has three digits */
	const char bytes[] = { 'a', 0, '1', 2, 'x' };
	EXPECT(D("readlink", A("l"), A(bytes), 100, 0, 0, 0, 5), "\"l\", \"a\\0001\\2x\", 100");
}

Test(decode_args, every_byte_of_a_garbage_string_is_printable)
{
	char s[256];
	for (int i = 0; i < 255; i++)
		s[i] = (char)(i + 1);
	s[255] = 0;
	for (int off = 0; off < 255; off += 17) {
		const char *got = D("chdir", A(s + off), 0, 0, 0, 0, 0, 0);
		cr_expect(all_printable(got), "%s", got);
		cr_expect(got[0] == '"', "%s", got);
	}
}

Test(decode_args, unreadable_pointers_show_in_hex)
{
	EXPECT(D("chdir", 1, 0, 0, 0, 0, 0, 0), "0x1");
	EXPECT(D("chdir", 0, 0, 0, 0, 0, 0, 0), "NULL");
	EXPECT(D("chdir", 0xffff800000000000ull, 0, 0, 0, 0, 0, 0), "0xffff800000000000");
	/* a string that runs into an unmapped page */
	long page = sysconf(_SC_PAGESIZE);
	char *p = page_before_hole();
	memset(p + page - 8, 'x', 8);
	char want[64];
	snprintf(want, sizeof(want), "AT_FDCWD, %#llx, O_RDONLY", (unsigned long long)A(p + page - 8));
	EXPECT(D("openat", (uint64_t)-100, A(p + page - 8), 0, 0, 0, 0, -ENOENT), want);
	/* one that ends on the page's last byte is whole */
	memcpy(p + page - 4, "abc", 4);
	EXPECT(D("chdir", A(p + page - 4), 0, 0, 0, 0, 0, 0), "\"abc\"");
	/* one longer than the limit but readable that far is cut, not hex */
	memset(p + page - (DECODE_PATH_MAX + 100), 'y', DECODE_PATH_MAX + 100);
	const char *got = D("chdir", A(p + page - (DECODE_PATH_MAX + 100)), 0, 0, 0, 0, 0, 0);
	cr_expect(strstr(got, "\"...") != NULL, "%s", got);
	/* no task: nothing is read */
	char buf[64];
	const uint64_t args[6] = { (uint64_t)-100, A("x"), 0 };
	decode_args(NULL, "openat", args, true, 3, buf, sizeof(buf));
	snprintf(want, sizeof(want), "AT_FDCWD, %#llx, O_RDONLY", (unsigned long long)A("x"));
	EXPECT(buf, want);
}

Test(decode_args, access_modes_and_at_flags)
{
	EXPECT(D("access", A("/etc/x"), R_OK | W_OK, 0, 0, 0, 0, 0), "\"/etc/x\", R_OK|W_OK");
	EXPECT(D("access", A("/etc/x"), F_OK, 0, 0, 0, 0, 0), "\"/etc/x\", F_OK");
	EXPECT(D("access", A("/etc/x"), X_OK | 0x10, 0, 0, 0, 0, 0), "\"/etc/x\", X_OK|0x10");
	EXPECT(D("faccessat2", 3, A("y"), R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW, 0, 0, 0),
	       "3, \"y\", R_OK, AT_EACCESS|AT_SYMLINK_NOFOLLOW");
	EXPECT(D("faccessat", 3, A("y"), X_OK, 0x200, 0, 0, 0), "3, \"y\", X_OK");
	char want[128];
	char statbuf[144];
	snprintf(want, sizeof(want), "3, \"\", %#llx, AT_EMPTY_PATH", (unsigned long long)A(statbuf));
	EXPECT(D("newfstatat", 3, A(""), A(statbuf), AT_EMPTY_PATH, 0, 0, 0), want);
	snprintf(want, sizeof(want), "AT_FDCWD, \"l\", %#llx, AT_SYMLINK_NOFOLLOW|0x10000000", (unsigned long long)A(statbuf));
	EXPECT(D("newfstatat", (uint64_t)-100, A("l"), A(statbuf), AT_SYMLINK_NOFOLLOW | 0x10000000, 0, 0, 0), want);
	EXPECT(D("unlinkat", 4, A("d"), AT_REMOVEDIR, 0, 0, 0, 0), "4, \"d\", AT_REMOVEDIR");
	EXPECT(D("unlinkat", 4, A("f"), 0, 0, 0, 0, 0), "4, \"f\", 0");
	snprintf(want, sizeof(want), "AT_FDCWD, \"s\", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS|STATX_BTIME, %#llx",
		 (unsigned long long)A(statbuf));
	EXPECT(D("statx", (uint64_t)-100, A("s"), AT_SYMLINK_NOFOLLOW, 0xfff, A(statbuf), 0, 0), want);
	EXPECT(D("renameat2", (uint64_t)-100, A("a"), 5, A("b"), 1, 0, 0), "AT_FDCWD, \"a\", 5, \"b\", RENAME_NOREPLACE");
	EXPECT(D("linkat", 1, A("a"), 2, A("b"), AT_SYMLINK_FOLLOW, 0, 0), "1, \"a\", 2, \"b\", AT_SYMLINK_FOLLOW");
}

Test(decode_args, modes_in_octal)
{
	EXPECT(D("chmod", A("f"), 04755, 0, 0, 0, 0, 0), "\"f\", 04755");
	EXPECT(D("mkdirat", (uint64_t)-100, A("d"), 0700, 0, 0, 0, 0), "AT_FDCWD, \"d\", 0700");
	EXPECT(D("umask", 022, 0, 0, 0, 0, 0, 0), "0022");
	EXPECT(D("mknod", A("p"), S_IFIFO | 0644, 0, 0, 0, 0, 0), "\"p\", S_IFIFO|0644, 0");
	EXPECT(D("mknodat", 3, A("c"), S_IFCHR | 0600, 0x103, 0, 0, 0), "3, \"c\", S_IFCHR|0600, 0x103");
	EXPECT(D("fchownat", 3, A("o"), 0xffffffff, 1000, AT_SYMLINK_NOFOLLOW, 0, 0),
	       "3, \"o\", -1, 1000, AT_SYMLINK_NOFOLLOW");
	EXPECT(D("setresuid", (uint64_t)-1, 0, 0xffffffff, 0, 0, 0, 0), "-1, 0, -1");
}

Test(decode_args, signals_by_name)
{
	EXPECT(D("kill", 123, SIGTERM, 0, 0, 0, 0, 0), "123, SIGTERM");
	EXPECT(D("kill", (uint64_t)-1, SIGKILL, 0, 0, 0, 0, 0), "-1, SIGKILL");
	EXPECT(D("kill", 1, 0, 0, 0, 0, 0, 0), "1, 0");
	EXPECT(D("tgkill", 1, 2, 34, 0, 0, 0, 0), "1, 2, SIGRT_2");
	EXPECT(D("tkill", 1, 99, 0, 0, 0, 0, 0), "1, 99");
	char want[64];
	snprintf(want, sizeof(want), "SIGCHLD, %#llx, NULL, 8", (unsigned long long)A(want));
	EXPECT(D("rt_sigaction", SIGCHLD, A(want), 0, 8, 0, 0, 0), want);
	EXPECT(D("rt_sigprocmask", 2, 0, 0, 8, 0, 0, 0), "SIG_SETMASK, NULL, NULL, 8");
}

Test(decode_args, clone_and_namespace_flags)
{
	/* what glibc's pthread_create passes */
	const char *got = D("clone", 0x3d0f00, 0x7f0000001000, 0x7f0000002000, 0x7f0000002000, 0x7f0000003000, 0, 42);
	EXPECT(got, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
		    "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, 0x7f0000001000, 0x7f0000002000, 0x7f0000002000, "
		    "0x7f0000003000");
	/* what fork() passes */
	EXPECT(D("clone", 0x1200011, 0, 0, 0x7f00, 0, 0, 42),
	       "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, 0x7f00, NULL");
	EXPECT(D("clone", 0, 0, 0, 0, 0, 0, 42), "0, NULL, NULL, NULL, NULL");
	EXPECT(D("unshare", 0x10000000 | 0x20000 | 0x80, 0, 0, 0, 0, 0, 0), "CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWTIME");
	EXPECT(D("setns", 3, 0x40000000, 0, 0, 0, 0, 0), "3, CLONE_NEWNET");
}

Test(decode_args, memory_protection_and_mapping_flags)
{
	EXPECT(D("mmap", 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0, 0),
	       "NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0");
	EXPECT(D("mmap", 0x7f0000000000, 8192, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE, 3, 0x2000, 0),
	       "0x7f0000000000, 8192, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000");
	EXPECT(D("mprotect", 0x1000, 4096, PROT_NONE, 0, 0, 0, 0), "0x1000, 4096, PROT_NONE");
	EXPECT(D("mprotect", 0x1000, 4096, 0x100 | PROT_READ, 0, 0, 0, 0), "0x1000, 4096, PROT_READ|0x100");
	EXPECT(D("mmap", 0, 1, 0, MAP_SHARED | 0x40000000, 0, 0, 0), "NULL, 1, PROT_NONE, MAP_SHARED|0x40000000, 0, 0");
	EXPECT(D("mmap", 0, 1, 0, 0xf, 0, 0, 0), "NULL, 1, PROT_NONE, 0xf, 0, 0");
	char result[32];
	decode_result("mmap", 0x7f1234560000, result, sizeof(result));
	EXPECT(result, "0x7f1234560000");
	decode_result("mmap", -ENOMEM, result, sizeof(result));
	EXPECT(result, "-1 ENOMEM");
}

Test(decode_args, sockets)
{
	EXPECT(D("socket", AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0, 3), "AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0");
	EXPECT(D("socket", AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, 0, 0, 0, 3), "AF_UNIX, SOCK_DGRAM|SOCK_NONBLOCK, 0");
	EXPECT(D("socket", AF_NETLINK, SOCK_RAW, 9, 0, 0, 0, 3), "AF_NETLINK, SOCK_RAW, 9");
	EXPECT(D("socket", 12345, 0xf, 0, 0, 0, 0, 3), "12345, 0xf, 0");

	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(8080) };
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	EXPECT(D("connect", 3, A(&in), sizeof(in), 0, 0, 0, 0),
	       "3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16");
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	EXPECT(D("connect", 3, A(&in6), sizeof(in6), 0, 0, 0, 0),
	       "3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
	       "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28");
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	strcpy(un.sun_path, "/tmp/sock");
	EXPECT(D("bind", 4, A(&un), offsetof(struct sockaddr_un, sun_path) + 10, 0, 0, 0, 0),
	       "4, {sa_family=AF_UNIX, sun_path=\"/tmp/sock\"}, 12");
	memcpy(un.sun_path, "\0abs\n", 5);
	EXPECT(D("bind", 4, A(&un), offsetof(struct sockaddr_un, sun_path) + 5, 0, 0, 0, 0),
	       "4, {sa_family=AF_UNIX, sun_path=@\"abs\\n\"}, 7");
	char want[64];
	snprintf(want, sizeof(want), "4, %#llx, 1", (unsigned long long)A(&un));
	EXPECT(D("bind", 4, A(&un), 1, 0, 0, 0, 0), want);
	EXPECT(D("sendto", 3, 0, 0, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0, 0), "3, NULL, 0, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0");
	EXPECT(D("accept4", 3, 0, 0, SOCK_CLOEXEC, 0, 0, 5), "3, NULL, NULL, SOCK_CLOEXEC");
}

Test(decode_args, fcntl_shows_the_argument_its_command_reads)
{
	EXPECT(D("fcntl", 3, F_GETFD, 0x1234, 0, 0, 0, 1), "3, F_GETFD");
	EXPECT(D("fcntl", 3, F_GETFL, 0, 0, 0, 0, 2), "3, F_GETFL");
	EXPECT(D("fcntl", 3, F_SETFD, FD_CLOEXEC, 0, 0, 0, 0), "3, F_SETFD, FD_CLOEXEC");
	EXPECT(D("fcntl", 3, F_SETFL, O_RDWR | O_NONBLOCK, 0, 0, 0, 0), "3, F_SETFL, O_RDWR|O_NONBLOCK");
	EXPECT(D("fcntl", 3, F_DUPFD_CLOEXEC, 10, 0, 0, 0, 10), "3, F_DUPFD_CLOEXEC, 10");
	EXPECT(D("fcntl", 3, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW, 0, 0, 0, 0),
	       "3, F_ADD_SEALS, F_SEAL_SHRINK|F_SEAL_GROW");
	EXPECT(D("fcntl", 3, F_SETLK, 0x7ffe00, 0, 0, 0, 0), "3, F_SETLK, 0x7ffe00");
	EXPECT(D("fcntl", 3, 0x7777, 0x10, 0, 0, 0, 0), "3, 0x7777, 0x10");
}

Test(decode_args, ioctl_requests_by_name_else_hex)
{
	EXPECT(D("ioctl", 1, TCGETS, 0x7ffe10, 0, 0, 0, 0), "1, TCGETS, 0x7ffe10");
	EXPECT(D("ioctl", 0, TIOCGWINSZ, 0x7ffe10, 0, 0, 0, 0), "0, TIOCGWINSZ, 0x7ffe10");
	EXPECT(D("ioctl", 0, TIOCSTI, 0x7ffe10, 0, 0, 0, 0), "0, TIOCSTI, 0x7ffe10");
	EXPECT(D("ioctl", 5, 0xdeadbeef, 0, 0, 0, 0, 0), "5, 0xdeadbeef, 0");
}

Test(decode_args, whence_and_other_values)
{
	EXPECT(D("lseek", 3, (uint64_t)-5, SEEK_END, 0, 0, 0, 0), "3, -5, SEEK_END");
	EXPECT(D("lseek", 3, 0, 9, 0, 0, 0, 0), "3, 0, 9");
	EXPECT(D("prlimit64", 0, RLIMIT_NOFILE, 0, 0x1000, 0, 0, 0), "0, RLIMIT_NOFILE, NULL, 0x1000");
	EXPECT(D("wait4", (uint64_t)-1, 0, WNOHANG | __WALL, 0, 0, 0, 0), "-1, NULL, WNOHANG|__WALL, NULL");
	EXPECT(D("ptrace", 0, 0, 0, 0, 0, 0, 0), "PTRACE_TRACEME, 0, NULL, NULL");
	EXPECT(D("ptrace", 16, 0x7fffffff, 0, 0, 0, 0, 0), "PTRACE_ATTACH, 2147483647, NULL, NULL");
	EXPECT(D("clock_gettime", 1, 0x10, 0, 0, 0, 0, 0), "CLOCK_MONOTONIC, 0x10");
	EXPECT(D("close_range", 3, 0xffffffff, 4, 0, 0, 0, 0), "3, 4294967295, CLOSE_RANGE_CLOEXEC");
	EXPECT(D("memfd_create", A("shm"), 3, 0, 0, 0, 0, 4), "\"shm\", MFD_CLOEXEC|MFD_ALLOW_SEALING");
	EXPECT(D("pipe2", 0, O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0, -EFAULT), "NULL, O_NONBLOCK|O_CLOEXEC");
	EXPECT(D("mount", A("none"), A("/mnt"), A("tmpfs"), 6, 0, 0, 0),
	       "\"none\", \"/mnt\", \"tmpfs\", MS_NOSUID|MS_NODEV, NULL");
	EXPECT(D("mount", 0, A("/m"), 0, 0xc0ed0000 | 4096, 0, 0, 0), "NULL, \"/m\", NULL, MS_MGC_VAL|MS_BIND, NULL");
	EXPECT(D("shmget", 0, 4096, 01000 | 0600, 0, 0, 0, 0), "0, 4096, IPC_CREAT|0600");
}

Test(decode_args, execve_argv_and_envp)
{
	const char *argv[] = { "sh", "-c", "echo hi", NULL };
	const char *envp[] = { "PATH=/bin", "HOME=/", NULL };
	char want[128];
	snprintf(want, sizeof(want), "\"/bin/sh\", [\"sh\", \"-c\", \"echo hi\"], %#llx /* 2 vars */",
		 (unsigned long long)A(envp));
	EXPECT(D("execve", A("/bin/sh"), A(argv), A(envp), 0, 0, 0, 0), want);
	/* long argv: the first DECODE_ARRAY_MAX, then dots */
	const char *many[40];
	for (int i = 0; i < 39; i++)
		many[i] = "x";
	many[39] = NULL;
	const char *got = D("execve", A("/p"), A(many), 0, 0, 0, 0, 0);
	cr_expect(strstr(got, "\"x\", ...], NULL") != NULL, "%s", got);
	/* argv that runs into an unmapped page */
	long page = sysconf(_SC_PAGESIZE);
	char *p = page_before_hole();
	const char **edge = (const char **)(p + page - 2 * sizeof(char *));
	edge[0] = "a";
	edge[1] = "b";
	EXPECT(D("execve", A("/p"), A(edge), 0, 0, 0, 0, 0), "\"/p\", [\"a\", \"b\", ...], NULL");
	snprintf(want, sizeof(want), "\"/p\", 0x1, %#llx", (unsigned long long)A(p + page));
	EXPECT(D("execve", A("/p"), 1, A(p + page), 0, 0, 0, 0), want);
	EXPECT(D("execveat", 3, A(""), 0, 0, AT_EMPTY_PATH, 0, 0), "3, \"\", NULL, NULL, AT_EMPTY_PATH");
}

Test(decode_args, output_arguments_once_the_call_succeeded)
{
	char target[] = "python3.11garbage";
	EXPECT(D("readlink", A("/usr/bin/python3"), A(target), 4096, 0, 0, 0, 10),
	       "\"/usr/bin/python3\", \"python3.11\", 4096");
	EXPECT(D("readlinkat", (uint64_t)-100, A("/proc/self/exe"), A(target), 4095, 0, 0, 10),
	       "AT_FDCWD, \"/proc/self/exe\", \"python3.11\", 4095");
	char want[64];
	snprintf(want, sizeof(want), "\"/l\", %#llx, 4096", (unsigned long long)A(target));
	EXPECT(D("readlink", A("/l"), A(target), 4096, 0, 0, 0, -EINVAL), want);
	/* not returned yet (a denial): the buffer is not shown */
	char buf[128];
	const uint64_t args[6] = { A("/l"), A(target), 4096 };
	decode_args(&self, "readlink", args, false, 10, buf, sizeof(buf));
	EXPECT(buf, want);

	char cwd[] = "/work/dir";
	EXPECT(D("getcwd", A(cwd), 4096, 0, 0, 0, 0, 10), "\"/work/dir\", 4096");
	snprintf(want, sizeof(want), "%#llx, 2", (unsigned long long)A(cwd));
	EXPECT(D("getcwd", A(cwd), 2, 0, 0, 0, 0, -ERANGE), want);

	int fds[2] = { 3, 4 };
	EXPECT(D("pipe2", A(fds), O_CLOEXEC, 0, 0, 0, 0, 0), "[3, 4], O_CLOEXEC");
	EXPECT(D("socketpair", AF_UNIX, SOCK_STREAM, 0, A(fds), 0, 0, 0), "AF_UNIX, SOCK_STREAM, 0, [3, 4]");
}

Test(decode_args, argument_counts_are_the_kernels)
{
	cr_expect_eq(decode_nargs("openat"), 4);
	cr_expect_eq(decode_nargs("getpid"), 0);
	cr_expect_eq(decode_nargs("close"), 1);
	cr_expect_eq(decode_nargs("mmap"), 6);
	cr_expect_eq(decode_nargs("execve"), 3);
	cr_expect_eq(decode_nargs("clone"), 5);
	cr_expect_eq(decode_nargs("preadv2"), 5); /* pos_h is not shown */
	cr_expect_eq(decode_nargs("no_such_call"), -1);
	cr_expect_eq(decode_nargs(NULL), -1);
	EXPECT(D("getpid", 1, 2, 3, 4, 5, 6, 7), "");
	EXPECT(D("close", 3, 2, 3, 4, 5, 6, 0), "3");
	EXPECT(D("preadv2", 3, 0, 1, 100, 0, 0x10, 0), "3, NULL, 1, 100, 0x10");
}

Test(decode_args, unknown_calls_show_six_hex_arguments)
{
	EXPECT(D("unknown", 1, 0x20, 0, 0xffffffffffffffffull, 5, 6, 0),
	       "0x1, 0x20, 0, 0xffffffffffffffff, 0x5, 0x6");
	char result[32];
	decode_result("unknown", 3, result, sizeof(result));
	EXPECT(result, "3");
	decode_result("openat", -ENOENT, result, sizeof(result));
	EXPECT(result, "-1 ENOENT");
	decode_result("openat", -4000, result, sizeof(result));
	EXPECT(result, "-1 errno 4000");
	decode_result("openat", -5000, result, sizeof(result));
	EXPECT(result, "-5000");
}

Test(decode_args, a_denial_shows_the_strings_the_sentry_read)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(80) };
	const uint64_t args[6] = { 3, A(&in), sizeof(in) };
	const char *known[6] = { NULL, "10.0.0.1:80" };
	char buf[256];
	decode_args_known(&self, "connect", args, known, buf, sizeof(buf));
	EXPECT(buf, "3, \"10.0.0.1:80\", 16");
	/* escaped and cut as any other string */
	char longer[100];
	memset(longer, 'z', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	longer[1] = '\n';
	const char *known2[6] = { longer, NULL, "t\x1b" };
	const uint64_t margs[6] = { 0, A("/mnt"), 0, 0, 0, 0 };
	decode_args_known(&self, "mount", margs, known2, buf, sizeof(buf));
	char want[160];
	snprintf(want, sizeof(want), "\"z\\n%.*s\"..., \"/mnt\", \"t\\33\", 0, NULL", DECODE_STRING_MAX - 2, longer + 2);
	EXPECT(buf, want);
	/* an unknown call: the string in place of the hex */
	decode_args_known(&self, "unknown", args, known, buf, sizeof(buf));
	EXPECT(buf, "0x3, \"10.0.0.1:80\", 0x10, 0, 0, 0");
}

/* Every syscall of both architectures' tables has a signature, once. */
static void every_row_of(const char *table)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/arch/%s/syscalls.tbl", SENTRY_SOURCE_DIR, table);
	FILE *f = fopen(path, "r");
	cr_assert(f, "cannot open %s", path);
	char line[256];
	int rows = 0;
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		int nr;
		char name[64];
		if (sscanf(line, "%d %63s", &nr, name) != 2)
			continue;
		rows++;
		cr_expect_geq(decode_nargs(name), 0, "%s: %s (%d) has no signature", table, name, nr);
	}
	fclose(f);
	cr_expect_gt(rows, 300, "%s: only %d rows", table, rows);
}

Test(decode_args, every_syscall_of_both_tables_has_a_signature)
{
	every_row_of("x86_64");
	every_row_of("aarch64");
}

Test(decode_args, small_buffers_are_cut_never_overrun)
{
	const char *path = "/usr/lib/python3.11/os.py";
	const uint64_t args[6] = { (uint64_t)-100, A(path), O_RDONLY | O_CLOEXEC };
	char full[256];
	size_t len = decode_args(&self, "openat", args, true, 3, full, sizeof(full));
	cr_assert_eq(len, strlen(full));
	for (size_t size = 0; size < len + 3; size++) {
		char buf[300];
		memset(buf, 'Z', sizeof(buf));
		size_t n = decode_args(&self, "openat", args, true, 3, buf, size);
		cr_expect_eq(buf[size], 'Z', "size %zu: wrote past the buffer", size);
		if (size == 0)
			continue;
		cr_expect_eq(strlen(buf), n, "size %zu", size);
		cr_expect_lt(n, size, "size %zu", size);
		if (size > len)
			EXPECT(buf, full);
		else if (size >= 4)
			cr_expect(n >= 3 && strcmp(buf + n - 3, "...") == 0 && strncmp(buf, full, n - 3) == 0,
				  "size %zu: %s", size, buf);
	}
}
