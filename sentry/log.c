#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

static enum log_format format = LOG_PLAIN;

const char *sentry_log_set_format(const char *name)
{
	if (strcmp(name, "json") == 0)
		format = LOG_JSON;
	else if (strcmp(name, "logfmt") == 0)
		format = LOG_LOGFMT;
	else if (strcmp(name, "plain") == 0)
		format = LOG_PLAIN;
	else
		return "--log-format takes plain, json or logfmt, not";
	return NULL;
}

/* msg inside double quotes as JSON (and Go's logfmt) reads it back.
 * Written here rather than with json-c: lines come from worker threads
 * and forked children too, where a line must not allocate. */
static size_t quote(char *out, size_t size, const char *msg, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 7 < size; i++) {
		unsigned char c = (unsigned char)msg[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	return o;
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char msg[1024], line[8 * 1024];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (format == LOG_PLAIN) {
		/* One write per line so lines from sentry and workload never interleave. */
		dprintf(STDERR_FILENO, "sentry: %.*s\n", n, msg);
		return;
	}
	/* As runc writes its --log: the same fields, time in UTC seconds. */
	char when[32], quoted[6 * sizeof(msg) + 1];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	size_t q = quote(quoted, sizeof(quoted), msg, (size_t)n);
	int len = format == LOG_JSON
			  ? snprintf(line, sizeof(line), "{\"level\":\"%s\",\"msg\":\"sentry: %.*s\",\"time\":\"%s\"}\n",
				     level, (int)q, quoted, when)
			  : snprintf(line, sizeof(line), "time=\"%s\" level=%s msg=\"sentry: %.*s\"\n", when, level, (int)q,
				     quoted);
	if (len > 0)
		(void)!write(STDERR_FILENO, line, (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1);
}

void sentry_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warning", fmt, ap);
	va_end(ap);
}

void sentry_debug(struct sandbox *sb, const char *fmt, ...)
{
	if (!sb || !sb->opts || sb->opts->verbose < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("debug", fmt, ap);
	va_end(ap);
}

void sentry_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}

/* The workload dies with us: every task is traced with PTRACE_O_EXITKILL. */
void sentry_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
	_exit(125);
}
