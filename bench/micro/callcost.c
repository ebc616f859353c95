/* Cost of one system call of each class the sandbox distinguishes:
 *   getppid     passed: the kernel runs it
 *   getpgid0    emulated: the sentry answers getpgid(0)
 *   ptrace      denied and audited: ptrace(PTRACE_PEEKUSER) on a bad pid
 *   clone3      refused by the filter itself: clone3(NULL, 0)
 * One line per call: "call=NAME ns=MEDIAN min=MIN max=MAX rounds=R calls=N
 * result=R". Natively the last two give ESRCH and EINVAL. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "measure.h"

static long last;
static int last_errno;

static void call_getppid(void) { last = syscall(SYS_getppid); }
static void call_getpgid0(void) { last = syscall(SYS_getpgid, 0); }
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
} calls[] = {
	{ "getppid", call_getppid },
	{ "getpgid0", call_getpgid0 },
	{ "ptrace", call_ptrace },
	{ "clone3", call_clone3 },
};

int main(int argc, char **argv)
{
	int rounds;
	unsigned round_ms;
	bench_params(&rounds, &round_ms);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (argc > 1 && strcmp(argv[1], calls[i].name) != 0)
			continue;
		double v[MAX_ROUNDS];
		uint64_t n = 0;
		last_errno = 0;
		double med = measure(calls[i].fn, rounds, round_ms, v, &n);
		char result[32];
		if (last == -1)
			snprintf(result, sizeof(result), "%s", strerrorname_np(last_errno));
		else
			snprintf(result, sizeof(result), "%s", "ok");
		out("call=%s ns=%.1f min=%.1f max=%.1f rounds=%d calls=%llu result=%s\n",
		    calls[i].name, med, v[0], v[rounds - 1], rounds, (unsigned long long)n, result);
	}
	return 0;
}
