/* Cost of one system call of each class the sandbox distinguishes:
 *   getppid     passed: the kernel runs it
 *   getpgid0    emulated: the sentry answers getpgid(0)
 *   stat6       emulated, VFS walk: newfstatat of a cached path six
 *               components deep that the image holds on every arch
 *               (BENCH_STAT_PATH overrides it)
 *   openclose   emulated with an fd installed: openat of a 4 KiB file in
 *               the working folder, then close (two caught calls)
 *   pread4k     passed data path: pread of 4 KiB from that file (a memfd
 *               inside, a host file natively)
 *   pwrite4k    passed data path: pwrite of 4 KiB to it
 *   ptrace      denied and audited: ptrace(PTRACE_PEEKUSER) on a bad pid
 *   clone3      refused by the filter itself: clone3(NULL, 0)
 * One line per call: "call=NAME ns=MEDIAN min=MIN max=MAX rounds=R calls=N
 * result=R". Natively the last two give ESRCH and EINVAL. The file lives in
 * a scratch folder of the working folder, removed at the end. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "measure.h"

/* /usr/lib/locale/C.utf8 comes with libc-bin on every Debian arch. */
#define DEFAULT_STAT_PATH "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES"
#define IO_SIZE 4096

static long last;
static int last_errno;
static const char *stat_path = DEFAULT_STAT_PATH;
static char scratch[64], data_path[96];
static int data_fd = -1;
static char io_buf[IO_SIZE];

static void call_getppid(void) { last = syscall(SYS_getppid); }
static void call_getpgid0(void) { last = syscall(SYS_getpgid, 0); }
static void call_stat6(void)
{
	struct stat st;
	last = syscall(SYS_newfstatat, AT_FDCWD, stat_path, &st, 0);
	last_errno = errno;
}
static void call_openclose(void)
{
	last = syscall(SYS_openat, AT_FDCWD, data_path, O_RDONLY | O_CLOEXEC);
	last_errno = errno;
	if (last >= 0 && syscall(SYS_close, (int)last) < 0) {
		last = -1;
		last_errno = errno;
	}
}
static void call_pread4k(void)
{
	last = syscall(SYS_pread64, data_fd, io_buf, IO_SIZE, 0);
	last_errno = errno;
	if (last >= 0 && last != IO_SIZE) {
		last = -1;
		last_errno = EIO;
	}
}
static void call_pwrite4k(void)
{
	last = syscall(SYS_pwrite64, data_fd, io_buf, IO_SIZE, 0);
	last_errno = errno;
	if (last >= 0 && last != IO_SIZE) {
		last = -1;
		last_errno = EIO;
	}
}
static void call_ptrace(void)
{
	last = syscall(SYS_ptrace, PTRACE_PEEKUSER, INT_MAX, 0, 0);
	last_errno = errno;
}
static void call_clone3(void)
{
	last = syscall(SYS_clone3, NULL, 0);
	last_errno = errno;
}

static const struct {
	const char *name;
	void (*fn)(void);
	int needs_file;
} calls[] = {
	{ "getppid", call_getppid, 0 },
	{ "getpgid0", call_getpgid0, 0 },
	{ "stat6", call_stat6, 0 },
	{ "openclose", call_openclose, 1 },
	{ "pread4k", call_pread4k, 1 },
	{ "pwrite4k", call_pwrite4k, 1 },
	{ "ptrace", call_ptrace, 0 },
	{ "clone3", call_clone3, 0 },
};

/* The scratch folder and its 4 KiB file, open read-write for pread/pwrite.
 * 0, or the errno that stopped it. */
static int make_scratch(void)
{
	snprintf(scratch, sizeof(scratch), ".callcost.%d", (int)getpid());
	snprintf(data_path, sizeof(data_path), "%s/data", scratch);
	memset(io_buf, 'x', sizeof(io_buf));
	if (mkdir(scratch, 0700) < 0)
		return errno;
	data_fd = open(data_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (data_fd < 0)
		return errno;
	if (pwrite(data_fd, io_buf, IO_SIZE, 0) != IO_SIZE)
		return errno ? errno : EIO;
	return 0;
}

static void remove_scratch(void)
{
	if (data_fd >= 0)
		close(data_fd);
	unlink(data_path);
	rmdir(scratch);
}

int main(int argc, char **argv)
{
	int rounds;
	unsigned round_ms;
	bench_params(&rounds, &round_ms);
	const char *sp = getenv("BENCH_STAT_PATH");
	if (sp && *sp)
		stat_path = sp;
	int scratch_error = -1; /* not made yet */
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (argc > 1 && strcmp(argv[1], calls[i].name) != 0)
			continue;
		char result[32];
		if (calls[i].needs_file && scratch_error < 0)
			scratch_error = make_scratch();
		if (calls[i].needs_file && scratch_error > 0) {
			snprintf(result, sizeof(result), "setup-%s", strerrorname_np(scratch_error));
			out("call=%s ns=-1 min=-1 max=-1 rounds=0 calls=0 result=%s\n", calls[i].name, result);
			continue;
		}
		double v[MAX_ROUNDS];
		uint64_t n = 0;
		last_errno = 0;
		double med = measure(calls[i].fn, rounds, round_ms, v, &n);
		if (last == -1)
			snprintf(result, sizeof(result), "%s", strerrorname_np(last_errno));
		else
			snprintf(result, sizeof(result), "%s", "ok");
		out("call=%s ns=%.1f min=%.1f max=%.1f rounds=%d calls=%llu result=%s\n",
		    calls[i].name, med, v[0], v[rounds - 1], rounds, (unsigned long long)n, result);
	}
	remove_scratch();
	return 0;
}
