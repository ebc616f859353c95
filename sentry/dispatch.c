#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "ask.h"
#include "audit.h"
#include "decode.h"
#include "fastpath.h"
#include "dispatch.h"
#include "sandbox.h"

#define STATS_SLOTS 1024

struct call_stats {
	uint64_t count;
	uint64_t ns;	     /* in the handler */
	uint64_t round_trip; /* from received to answered */
};

static struct call_stats stats[STATS_SLOTS];
static const struct options *stats_opts;
static enum stats_format stats_format;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runtimes probe what they may use (python and java try an AF_INET6
 * socket, getent the network) and would fill stderr: a line shows each
 * (call, reason) once per run, at most a burst a second, and the rest are
 * counted for one line at exit. --audit keeps every record; -q shows none. */
#define DENIAL_KINDS 512

static struct {
	long nr;
	char why[96];
} denial_kinds[DENIAL_KINDS];
static unsigned ndenial_kinds, denials_not_shown;

static bool first_of_kind(long nr, const char *why)
{
	for (unsigned i = 0; i < ndenial_kinds; i++)
		if (denial_kinds[i].nr == nr && strncmp(denial_kinds[i].why, why, sizeof(denial_kinds[i].why) - 1) == 0)
			return false;
	if (ndenial_kinds == DENIAL_KINDS)
		return false;
	denial_kinds[ndenial_kinds].nr = nr;
	snprintf(denial_kinds[ndenial_kinds].why, sizeof(denial_kinds[0].why), "%s", why);
	ndenial_kinds++;
	return true;
}

static bool within_burst(void)
{
	static time_t window;
	static unsigned in_window;
	time_t now = time(NULL);
	if (now != window) {
		window = now;
		in_window = 0;
	}
	return in_window++ < 20;
}

static bool denial_shown(const struct task *task, long nr, const char *why)
{
	const struct options *opts = task->sandbox->opts;
	if (opts->quiet)
		return false;
	if (first_of_kind(nr, why ? why : "") && within_burst())
		return true;
	denials_not_shown++;
	return false;
}

void denials_summary(void)
{
	const struct options *opts = sentry_sandbox ? sentry_sandbox->opts : NULL;
	if (!denials_not_shown || !opts || opts->quiet)
		return;
	if (opts->audit)
		sentry_log("%u more denials like these; all are in the audit log %s", denials_not_shown, opts->audit);
	else
		sentry_log("%u more denials like these; --audit FILE keeps them all", denials_not_shown);
}

/* A string from the workload, fit for one line of the terminal: control
 * characters (a newline could forge a log line) become '?'. */
static const char *printable(const char *s, char *out, size_t size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = 0;
	return out;
}

/* The arguments as --trace shows them (decode.h); the strings the refusing
 * code read (d->strings) in place of the arguments they came from. */
static void format_args(struct task *task, const struct syscall_call *call, const struct denial *d, char *buf,
			size_t size)
{
	decode_args_known(task, call->entry ? call->entry->name : syscall_name(call->nr), call->args, d->strings, buf,
			  size);
}

static void denial_line(struct task *task, const struct syscall_call *call, const struct denial *d)
{
	char args[700], outcome[64], option[64] = "";
	format_args(task, call, d, args, sizeof(args));
	if (d->verdict == VERDICT_KILLED)
		snprintf(outcome, sizeof(outcome), "the process is killed");
	else
		snprintf(outcome, sizeof(outcome), "returned %s",
			 strerrorname_np(d->error) ? strerrorname_np(d->error) : "?");
	if (d->allowed_by)
		snprintf(option, sizeof(option), "; %s would allow it", d->allowed_by);
	sentry_log("denied %s(%s) in process %d (thread %d): %s; %s%s",
		   call->entry ? call->entry->name : syscall_name(call->nr), args, task->tgid, task->tid, d->why,
		   outcome, option);
}

/* "at mount+0x1e <- deny_here+0x11 <- main+0x5d": one line, innermost first. */
static void backtrace_line(const struct backtrace *bt)
{
	if (!bt->nframes) {
		sentry_log("    no backtrace: %s", bt->stack_error);
		return;
	}
	char line[600], function[61];
	size_t used = 0;
	for (int i = 0; i < bt->nframes && i < 8 && used < sizeof(line); i++) {
		const struct backtrace_frame *f = &bt->frames[i];
		const char *sep = i ? " <- " : "";
		int n = f->function[0] ? snprintf(line + used, sizeof(line) - used, "%s%s+%#" PRIx64, sep,
						  printable(f->function, function, sizeof(function)), f->offset)
				       : snprintf(line + used, sizeof(line) - used, "%s%#" PRIx64, sep, f->ip);
		used += n > 0 ? (size_t)n : 0;
	}
	sentry_log("    at %s%s%s%s", line, bt->nframes > 8 ? " <- ..." : "", bt->stack_error[0] ? "; then: " : "",
		   bt->stack_error);
}

void report_denial_with(struct task *task, const struct syscall_call *call, const struct denial *d)
{
	bool shown = denial_shown(task, call->nr, d->why);
	bool unwound = task->sandbox->opts->backtrace && (shown || audit_enabled());
	static struct backtrace bt;
	if (unwound)
		backtrace_take(task, call, -d->error, d->verdict == VERDICT_KILLED, &bt);
	if (shown) {
		denial_line(task, call, d);
		if (unwound)
			backtrace_line(&bt);
	}
	audit_record(task, call, d, unwound ? &bt : NULL);
}

void report_denial(struct task *task, const struct syscall_call *call, int error, const char *why)
{
	struct denial d = { .verdict = VERDICT_DENIED, .error = error, .why = why };
	report_denial_with(task, call, &d);
}

/* String arguments of the calls the table refuses: decoded for the
 * report only, never acted on. Bit i set: argument i is a string. */
static const struct {
	const char *name;
	unsigned args;
} string_args[] = {
	{ "mount", 0x7 }, { "umount2", 0x1 }, { "pivot_root", 0x3 }, { "acct", 0x1 },
	{ "swapon", 0x1 }, { "swapoff", 0x1 }, { "uselib", 0x1 }, { "init_module", 0x4 },
	{ "delete_module", 0x1 }, { "quotactl", 0x2 }, { "name_to_handle_at", 0x2 }, { "open_tree", 0x2 },
	{ "move_mount", 0xa }, { "fsopen", 0x1 }, { "fspick", 0x2 }, { "mount_setattr", 0x2 },
	{ "fanotify_mark", 0x10 },
};

static void refuse_by_table(struct task *task, const struct syscall_call *call, enum verdict verdict, int error,
			    const char *why)
{
	static char decoded[6][1024];
	struct denial d = { .verdict = verdict, .error = error, .why = why };
	for (size_t k = 0; k < sizeof(string_args) / sizeof(string_args[0]); k++) {
		if (strcmp(string_args[k].name, call->entry->name) != 0)
			continue;
		for (int i = 0; i < 6; i++)
			if ((string_args[k].args >> i & 1) && call->args[i] &&
			    task_read_string(task, call->args[i], decoded[i], sizeof(decoded[i])) >= 0)
				d.strings[i] = decoded[i];
	}
	report_denial_with(task, call, &d);
}

static long not_built(struct task *task, struct syscall_call *call)
{
	if (denial_shown(task, call->nr, "not supported yet"))
		sentry_log("%s (syscall %ld) in process %d is not supported yet: returned ENOSYS",
			   call->entry ? call->entry->name : "unknown syscall", call->nr, task->tgid);
	struct denial d = { .verdict = VERDICT_ERRNO, .error = ENOSYS, .why = "not supported in the sandbox yet" };
	audit_record(task, call, &d, NULL);
	return -ENOSYS;
}

static long run_entry(struct task *task, struct syscall_call *call)
{
	const struct syscall_entry *e = call->entry;
	if (!e || e->disposition == DISP_UNLISTED)
		return not_built(task, call);
	switch (e->disposition) {
	case DISP_ERRNO:
		refuse_by_table(task, call, VERDICT_ERRNO, e->error, "not allowed in the sandbox");
		return -e->error;
	case DISP_KILL:
		refuse_by_table(task, call, VERDICT_KILLED, 0, "kills the process");
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

/* One line, strace-like: the arguments as the workload passed them (args,
 * copied before the handler could change call->args), decoded (decode.h);
 * output arguments only when the sentry answered the call itself. One
 * write, so lines never interleave with the workload's output. */
static void trace_line(struct task *task, const struct syscall_call *call, const uint64_t args[6], long ret,
		       uint64_t ns)
{
	const char *how = call->action == CALL_CONTINUE	? " (continued)"
			  : call->action == CALL_CONTINUE_CHANGED ? " (continued, changed)"
			  : call->action == CALL_KILL		? " (killed)"
			  : call->action == CALL_DEFERRED	? " (answered when done)"
								: "";
	const char *name = call->entry ? call->entry->name : syscall_name(call->nr);
	static char decoded[DECODE_ARGS_MAX], line[DECODE_ARGS_MAX + 256];
	char result[48];
	decode_args(task, name, args, call->action == CALL_RETURN, ret, decoded, sizeof(decoded));
	if (call->action == CALL_DEFERRED)
		snprintf(result, sizeof(result), "?");
	else
		decode_result(name, ret, result, sizeof(result));
	int n = snprintf(line, sizeof(line), "[%d] %s(%s) = %s%s <%.1f us>\n", task->tid, name, decoded, result, how,
			 (double)ns / 1000.0);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	ssize_t w;
	do
		w = write(2, line, (size_t)n);
	while (w < 0 && errno == EINTR);
}

long dispatch_call(struct task *task, struct syscall_call *call)
{
	const struct options *opts = task->sandbox->opts;
	int timed = opts->trace || opts->stats;
	uint64_t start = timed ? now_ns() : 0;

	call->entry = syscall_lookup(call->nr);
	call->action = CALL_RETURN;
	uint64_t args[6]; /* as the workload passed them, for --trace */
	memcpy(args, call->args, sizeof(args));
	fastpath_call_start(task, call); /* some answers go out from inside the handler */
	long ret = run_entry(task, call);
	vfs_release_held(task->sandbox->vfs);
	fastpath_call_done(task, call);

	if (timed) {
		uint64_t ns = now_ns() - start;
		if (call->nr >= 0 && call->nr < STATS_SLOTS) {
			stats[call->nr].count++;
			stats[call->nr].ns += ns;
		}
		if (opts->trace)
			trace_line(task, call, args, ret, ns);
	}
	return ret;
}

void stats_configure(const struct options *opts, enum stats_format format)
{
	stats_opts = opts;
	stats_format = format;
}

uint64_t stats_clock(const struct options *opts)
{
	return opts->stats ? now_ns() : 0;
}

void stats_round_trip(long nr, uint64_t received)
{
	if (received && nr >= 0 && nr < STATS_SLOTS)
		stats[nr].round_trip += now_ns() - received;
}

/* What the sandbox's files hold in the store: image files copied in (and
 * those opened in place through the host view instead), and the bytes of
 * the files the workload wrote. */
struct store_stats {
	struct vfs_hostimg_stats image;
	uint64_t workload_bytes;
};

static void store_stats(struct store_stats *out)
{
	vfs_hostimg_totals(&out->image);
	uint64_t inodes;
	out->workload_bytes = 0;
	if (sentry_sandbox && sentry_sandbox->vfs)
		vfs_usage(sentry_sandbox->vfs, &out->workload_bytes, &inodes);
}

static void stats_print_table(void)
{
	uint64_t total_calls = 0, total_ns = 0, total_rt = 0;
	dprintf(2, "sentry: %-20s %-8s %10s %12s %10s %14s\n", "syscall", "handled", "calls", "total us", "mean ns",
		"round trip us");
	for (int nr = 0; nr < STATS_SLOTS; nr++) {
		if (!stats[nr].count)
			continue;
		const struct syscall_entry *e = syscall_lookup(nr);
		dprintf(2, "sentry: %-20s %-8s %10" PRIu64 " %12.1f %10" PRIu64 " %14.1f\n", e ? e->name : "unknown",
			e ? disposition_name(e->disposition) : "unlisted", stats[nr].count, (double)stats[nr].ns / 1000.0,
			stats[nr].ns / stats[nr].count, (double)stats[nr].round_trip / 1000.0);
		total_calls += stats[nr].count;
		total_ns += stats[nr].ns;
		total_rt += stats[nr].round_trip;
	}
	dprintf(2, "sentry: %-20s %-8s %10" PRIu64 " %12.1f %10s %14.1f\n", "total", "", total_calls,
		(double)total_ns / 1000.0, "", (double)total_rt / 1000.0);
	ask_stats_print(stderr);
	struct store_stats st;
	store_stats(&st);
	dprintf(2,
		"sentry: store: %" PRIu64 " bytes of image copies (%" PRIu64 " files, %" PRIu64 " shared), %" PRIu64
		" image files opened in place, %" PRIu64 " bytes of the workload's files\n",
		st.image.bytes_loaded, st.image.files_loaded, st.image.files_shared, st.image.files_direct,
		st.workload_bytes);
}

static void stats_print_json(void)
{
	uint64_t total_calls = 0, total_ns = 0, total_rt = 0;
	json_object *root = json_object_new_object();
	json_object *calls = json_object_new_array();
	const char *platform = !stats_opts			       ? NULL
			       : stats_opts->platform == PLATFORM_PTRACE ? "ptrace"
									 : "unotify";
	json_object_object_add(root, "platform", platform ? json_object_new_string(platform) : NULL);
	for (int nr = 0; nr < STATS_SLOTS; nr++) {
		if (!stats[nr].count)
			continue;
		const struct syscall_entry *e = syscall_lookup(nr);
		json_object *row = json_object_new_object();
		json_object_object_add(row, "name", json_object_new_string(e ? e->name : syscall_name(nr)));
		json_object_object_add(row, "nr", json_object_new_int(nr));
		json_object_object_add(row, "disposition",
				       json_object_new_string(e ? disposition_name(e->disposition) : "unlisted"));
		json_object_object_add(row, "calls", json_object_new_uint64(stats[nr].count));
		json_object_object_add(row, "handler_ns", json_object_new_uint64(stats[nr].ns));
		json_object_object_add(row, "round_trip_ns", json_object_new_uint64(stats[nr].round_trip));
		json_object_array_add(calls, row);
		total_calls += stats[nr].count;
		total_ns += stats[nr].ns;
		total_rt += stats[nr].round_trip;
	}
	json_object_object_add(root, "syscalls", calls);
	json_object *total = json_object_new_object();
	json_object_object_add(total, "calls", json_object_new_uint64(total_calls));
	json_object_object_add(total, "handler_ns", json_object_new_uint64(total_ns));
	json_object_object_add(total, "round_trip_ns", json_object_new_uint64(total_rt));
	json_object_object_add(root, "total", total);
	struct store_stats st;
	store_stats(&st);
	json_object *store = json_object_new_object();
	json_object_object_add(store, "image_copy_bytes", json_object_new_uint64(st.image.bytes_loaded));
	json_object_object_add(store, "image_files_copied", json_object_new_uint64(st.image.files_loaded));
	json_object_object_add(store, "image_files_shared", json_object_new_uint64(st.image.files_shared));
	json_object_object_add(store, "image_files_in_place", json_object_new_uint64(st.image.files_direct));
	json_object_object_add(store, "workload_bytes", json_object_new_uint64(st.workload_bytes));
	json_object_object_add(root, "store", store);
	if (ask_mode() != ASK_OFF) {
		unsigned asked, automatic;
		ask_counts(&asked, &automatic);
		json_object *questions = json_object_new_object();
		json_object_object_add(questions, "asked", json_object_new_uint64(asked));
		json_object_object_add(questions, "automatic", json_object_new_uint64(automatic));
		json_object_object_add(root, "questions", questions);
	}
	dprintf(2, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
}

void stats_print(void)
{
	if (stats_format == STATS_JSON)
		stats_print_json();
	else
		stats_print_table();
}
