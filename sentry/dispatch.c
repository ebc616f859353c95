#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dispatch.h"
#include "sandbox.h"

#define STATS_SLOTS 1024

struct call_stats {
	uint64_t count;
	uint64_t ns;
};

static struct call_stats stats[STATS_SLOTS];

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* At most a burst of lines per second, then one line saying how many
 * were held back: a workload must not be able to flood the terminal. */
static int denial_allowed(void)
{
	static time_t window;
	static unsigned in_window, suppressed;
	time_t now = time(NULL);
	if (now != window) {
		if (suppressed)
			sentry_log("%u more denials not shown", suppressed);
		window = now;
		in_window = 0;
		suppressed = 0;
	}
	if (in_window++ < 20)
		return 1;
	suppressed++;
	return 0;
}

void report_denial(struct task *task, const struct syscall_call *call, int error, const char *why)
{
	if (!denial_allowed())
		return;
	sentry_log("denied %s(%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ") in process %d (thread %d): %s; returned %s",
		   call->entry ? call->entry->name : syscall_name(call->nr), call->args[0], call->args[1],
		   call->args[2], task->tgid, task->tid, why, strerrorname_np(error) ? strerrorname_np(error) : "?");
}

static long not_built(struct task *task, struct syscall_call *call)
{
	if (denial_allowed())
		sentry_log("%s (syscall %ld) in process %d is not supported yet: returned ENOSYS",
			   call->entry ? call->entry->name : "unknown syscall", call->nr, task->tgid);
	return -ENOSYS;
}

static long run_entry(struct task *task, struct syscall_call *call)
{
	const struct syscall_entry *e = call->entry;
	if (!e || e->disposition == DISP_UNLISTED)
		return not_built(task, call);
	switch (e->disposition) {
	case DISP_ERRNO:
		report_denial(task, call, e->error, "not allowed in the sandbox");
		return -e->error;
	case DISP_KILL:
		report_denial(task, call, 0, "kills the process");
		call->action = CALL_KILL;
		return 0;
	case DISP_PASS:
		/* Only a fast-path miss of a pass row could come here; none exists. */
		call->action = CALL_CONTINUE;
		return 0;
	case DISP_EMULATE:
	case DISP_TRACE:
	case DISP_UNLISTED:
		break;
	}
	return e->handler ? e->handler(task, call) : not_built(task, call);
}

static void trace_line(struct task *task, const struct syscall_call *call, long ret, uint64_t ns)
{
	const char *how = call->action == CALL_CONTINUE	? " (continued)"
			  : call->action == CALL_CONTINUE_CHANGED ? " (continued, changed)"
			  : call->action == CALL_KILL		? " (killed)"
								: "";
	char result[48];
	if (ret < 0 && ret > -4096)
		snprintf(result, sizeof(result), "-1 %s", strerrorname_np((int)-ret) ? strerrorname_np((int)-ret) : "?");
	else
		snprintf(result, sizeof(result), "%ld", ret);
	dprintf(2, "[%d] %s(%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ") = %s%s <%.1f us>\n", task->tid,
		call->entry ? call->entry->name : syscall_name(call->nr), call->args[0], call->args[1], call->args[2],
		call->args[3], result, how, (double)ns / 1000.0);
}

long dispatch_call(struct task *task, struct syscall_call *call)
{
	const struct options *opts = task->sandbox->opts;
	int timed = opts->trace || opts->stats;
	uint64_t start = timed ? now_ns() : 0;

	call->entry = syscall_lookup(call->nr);
	call->action = CALL_RETURN;
	long ret = run_entry(task, call);

	if (timed) {
		uint64_t ns = now_ns() - start;
		if (call->nr >= 0 && call->nr < STATS_SLOTS) {
			stats[call->nr].count++;
			stats[call->nr].ns += ns;
		}
		if (opts->trace)
			trace_line(task, call, ret, ns);
	}
	return ret;
}

void stats_print(void)
{
	uint64_t total_calls = 0, total_ns = 0;
	dprintf(2, "sentry: %-20s %-8s %10s %12s %10s\n", "syscall", "handled", "calls", "total us", "mean ns");
	for (int nr = 0; nr < STATS_SLOTS; nr++) {
		if (!stats[nr].count)
			continue;
		const struct syscall_entry *e = syscall_lookup(nr);
		dprintf(2, "sentry: %-20s %-8s %10" PRIu64 " %12.1f %10" PRIu64 "\n", e ? e->name : "unknown",
			e ? disposition_name(e->disposition) : "unlisted", stats[nr].count, (double)stats[nr].ns / 1000.0,
			stats[nr].ns / stats[nr].count);
		total_calls += stats[nr].count;
		total_ns += stats[nr].ns;
	}
	dprintf(2, "sentry: %-20s %-8s %10" PRIu64 " %12.1f\n", "total", "", total_calls, (double)total_ns / 1000.0);
}
