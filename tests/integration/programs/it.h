/* Output helpers for the integration programs: everything goes through
 * write(2) on fd 1, so a program makes no file syscall of its own. */
#ifndef IT_H
#define IT_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void it_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	it_write(1, buf, (size_t)n);
}

/* "0", "-1 ESRCH": the result of a call that returns -1 and sets errno. */
static inline const char *res(long r, int err)
{
	static char buf[4][64];
	static int slot;
	char *b = buf[slot++ % 4];
	if (r == -1)
		snprintf(b, 64, "-1 %s", strerrorname_np(err) ? strerrorname_np(err) : "E?");
	else
		snprintf(b, 64, "%ld", r);
	return b;
}

/* Evaluates a call once and prints "label: result". */
#define CHECK(label, call) do { \
	errno = 0; \
	long r_ = (long)(call); \
	say("%s: %s\n", label, res(r_, errno)); \
} while (0)

#endif
