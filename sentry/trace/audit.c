/* --audit FILE: JSON lines written with json-c, one write per line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "decode.h"
#include "hostfile.h"
#include "sandbox.h"

static int audit_fd = -1;

int audit_open(const char *path)
{
	int fd = hostfile_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY, 0600);
	/* an existing file keeps its mode through O_TRUNC */
	int err = fd < 0 ? fd : fchmod(fd, 0600) < 0 ? -errno : 0;
	if (err) {
		sentry_log("cannot write the audit log %s: %s", path, hostfile_error(err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	audit_fd = fd;
	return 0;
}

bool audit_enabled(void) { return audit_fd >= 0; }

/* RFC 3339 in UTC, with microseconds. */
static json_object *now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char date[32], text[64];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(text, sizeof(text), "%s.%06dZ", date, (int)(ts.tv_nsec / 1000));
	return json_object_new_string(text);
}

static json_object *hex(uint64_t value)
{
	char text[24];
	snprintf(text, sizeof(text), "0x%" PRIx64, value);
	return json_object_new_string(text);
}

/* Strings from the workload (paths, symbol names) may be any bytes: JSON
 * text must be UTF-8, so an invalid sequence shows its bytes as '?'. */
static size_t utf8_sequence(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static json_object *text(const char *s)
{
	size_t len = strlen(s);
	char *clean = malloc(len + 1);
	if (!clean)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence((const unsigned char *)s + i);
		if (n == 0) {
			clean[i++] = '?';
			continue;
		}
		memcpy(clean + i, s + i, n);
		i += n;
	}
	clean[len] = 0;
	json_object *o = json_object_new_string(clean);
	free(clean);
	return o;
}

static json_object *string_or_null(const char *s) { return s && s[0] ? text(s) : NULL; }

static json_object *build_record(struct task *task, const struct syscall_call *call, const struct denial *d,
				 const struct backtrace *bt);

static const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_DENIED: return "denied";
	case VERDICT_ERRNO: return "errno";
	case VERDICT_KILLED: return "killed";
	case VERDICT_ALLOWED: return "allowed";
	case VERDICT_ASKED: return "asked";
	case VERDICT_APPROVED: return "approved";
	case VERDICT_REFUSED: return "refused";
	case VERDICT_AUTO_APPROVED: return "auto-approved";
	}
	return "denied";
}

static json_object *stack_json(const struct backtrace *bt)
{
	json_object *frames = json_object_new_array();
	for (int i = 0; i < bt->nframes; i++) {
		const struct backtrace_frame *f = &bt->frames[i];
		json_object *frame = json_object_new_object();
		json_object_object_add(frame, "ip", hex(f->ip));
		json_object_object_add(frame, "function", string_or_null(f->function));
		json_object_object_add(frame, "offset", f->function[0] ? json_object_new_uint64(f->offset) : NULL);
		json_object_array_add(frames, frame);
	}
	json_object *stack = json_object_new_object();
	json_object_object_add(stack, "frames", frames);
	json_object_object_add(stack, "error", string_or_null(bt->stack_error));
	return stack;
}

static json_object *code_json(const struct backtrace *bt)
{
	json_object *insns = json_object_new_array();
	for (int i = 0; i < bt->ninsns; i++) {
		const struct backtrace_insn *in = &bt->insns[i];
		json_object *insn = json_object_new_object();
		json_object_object_add(insn, "address", hex(in->address));
		json_object_object_add(insn, "bytes", json_object_new_string(in->bytes));
		json_object_object_add(insn, "text", json_object_new_string(in->text));
		json_object_object_add(insn, "site", json_object_new_boolean(in->site));
		json_object_array_add(insns, insn);
	}
	json_object *code = json_object_new_object();
	json_object_object_add(code, "instructions", insns);
	json_object_object_add(code, "error", string_or_null(bt->code_error));
	return code;
}

static void write_line(const char *json)
{
	size_t len = strlen(json);
	char *line = malloc(len + 1);
	if (!line)
		return;
	memcpy(line, json, len);
	line[len] = '\n';
	ssize_t n;
	do
		n = write(audit_fd, line, len + 1);
	while (n < 0 && errno == EINTR);
	free(line);
	static bool warned;
	if (n != (ssize_t)(len + 1) && !warned) {
		warned = true;
		sentry_log("the audit log is incomplete: %s", n < 0 ? strerror(errno) : "short write");
	}
}

/* The parts of a record a later decision changes. */
static void set_decision(json_object *record, const struct denial *d)
{
	json_object_object_add(record, "time", now_rfc3339());
	json_object_object_add(record, "verdict", json_object_new_string(verdict_name(d->verdict)));
	json_object_object_add(record, "errno", d->error ? string_or_null(strerrorname_np(d->error)) : NULL);
	json_object_object_add(record, "reason", json_object_new_string(d->why));
	json_object_object_add(record, "allowed_by", string_or_null(d->allowed_by));
}

static void write_record(json_object *record)
{
	write_line(json_object_to_json_string_ext(record, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

struct audit_pending *audit_prepare(struct task *task, const struct syscall_call *call, const struct denial *d)
{
	if (audit_fd < 0)
		return NULL;
	json_object *record = build_record(task, call, d, NULL);
	return (struct audit_pending *)record;
}

void audit_complete(struct audit_pending *p, const struct denial *d)
{
	json_object *record = (json_object *)p;
	if (!record)
		return;
	if (d) {
		set_decision(record, d);
		write_record(record);
	}
	json_object_put(record);
}

void audit_question(const char *event, const char *path, enum verdict verdict, const char *why)
{
	if (audit_fd < 0)
		return;
	json_object *record = json_object_new_object();
	json_object_object_add(record, "time", now_rfc3339());
	json_object_object_add(record, "event", json_object_new_string(event));
	json_object_object_add(record, "path", string_or_null(path));
	json_object_object_add(record, "verdict", json_object_new_string(verdict_name(verdict)));
	json_object_object_add(record, "reason", json_object_new_string(why));
	write_record(record);
	json_object_put(record);
}

void audit_record(struct task *task, const struct syscall_call *call, const struct denial *d,
		  const struct backtrace *bt)
{
	if (audit_fd < 0)
		return;
	json_object *record = build_record(task, call, d, bt);
	write_record(record);
	json_object_put(record);
}

static json_object *build_record(struct task *task, const struct syscall_call *call, const struct denial *d,
				 const struct backtrace *bt)
{
	json_object *record = json_object_new_object();
	json_object_object_add(record, "time", now_rfc3339());
	json_object_object_add(record, "pid", json_object_new_int(task->tgid));
	json_object_object_add(record, "tid", json_object_new_int(task->tid));
	json_object_object_add(record, "syscall",
			       json_object_new_string(call->entry ? call->entry->name : syscall_name(call->nr)));
	json_object_object_add(record, "nr", json_object_new_int64(call->nr));
	json_object *args = json_object_new_array();
	json_object *strings = json_object_new_object();
	for (int i = 0; i < 6; i++) {
		json_object_array_add(args, hex(call->args[i]));
		if (d->strings[i]) {
			char key[8];
			snprintf(key, sizeof(key), "arg%d", i);
			json_object_object_add(strings, key, text(d->strings[i]));
		}
	}
	json_object_object_add(record, "args", args);
	json_object_object_add(record, "strings", strings);
	/* the argument list as --trace shows it: openat(AT_FDCWD, "/x", ...) */
	static char decoded[DECODE_ARGS_MAX];
	decode_args_known(task, call->entry ? call->entry->name : syscall_name(call->nr), call->args, d->strings,
			  decoded, sizeof(decoded));
	json_object_object_add(record, "decoded", json_object_new_string(decoded));
	json_object_object_add(record, "ip", hex(call->ip));
	json_object_object_add(record, "verdict", json_object_new_string(verdict_name(d->verdict)));
	json_object_object_add(record, "errno", d->error ? string_or_null(strerrorname_np(d->error)) : NULL);
	json_object_object_add(record, "reason", json_object_new_string(d->why));
	json_object_object_add(record, "allowed_by", string_or_null(d->allowed_by));
	if (bt) {
		json_object_object_add(record, "backtrace", stack_json(bt));
		json_object_object_add(record, "disassembly", code_json(bt));
	}
	return record;
}
