/* Shared by the escape attempts. Every attempt takes the same KEY=VALUE
 * arguments from run.sh (see arg() for the keys), tries one way out, and
 * prints what it did and what it got. The verdict comes from the host
 * canaries, not from this output. */
#ifndef ESC_H
#define ESC_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int esc_argc;
static char **esc_argv;

static inline void out_raw(const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(1, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	out_raw(buf, (size_t)n);
}

/* "3", "-1 EPERM": a call's result with its errno. */
static inline const char *res(long r, int err)
{
	static char buf[8][64];
	static int slot;
	char *b = buf[slot++ % 8];
	if (r == -1)
		snprintf(b, 64, "-1 %s", strerrorname_np(err) ? strerrorname_np(err) : "E?");
	else
		snprintf(b, 64, "%ld", r);
	return b;
}

/* Evaluates a call once, prints "label: result", gives the result. */
#define CHECK(label, call) ({ \
	errno = 0; \
	long r_ = (long)(call); \
	int e_ = errno; \
	say("%s: %s\n", (label), res(r_, e_)); \
	errno = e_; \
	r_; })

/* Keys: secret (host path of the secret file), secretdir, canary (the
 * file inside the image), bystander (host pid), bys_env (start:end of its
 * environment, hex), hostbin (host program outside the image), area (the
 * temp area), work (the workspace), tcp4 udp4 tcp6 udp6 (listener ports),
 * usock_work usock_area (unix stream paths), uabstract (abstract name),
 * udgram (unix datagram path), handle (type:hex of the secret's file
 * handle), image_bin (a program inside the image). */
static inline const char *arg(const char *key)
{
	size_t k = strlen(key);
	for (int i = 1; i < esc_argc; i++)
		if (!strncmp(esc_argv[i], key, k) && esc_argv[i][k] == '=')
			return esc_argv[i] + k + 1;
	return "";
}

static inline long arg_long(const char *key)
{
	return strtol(arg(key), NULL, 0);
}

static inline void esc_init(int argc, char **argv)
{
	esc_argc = argc;
	esc_argv = argv;
	setvbuf(stdout, NULL, _IONBF, 0);
}

/* Prints up to 4 KiB read from fd, as text, labelled. */
static inline void dump_fd(const char *label, int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		say("%s: read: %s\n", label, res(-1, errno));
		return;
	}
	buf[n] = 0;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == 0)
			buf[i] = '\n';
	say("%s: read %zd bytes: [%s]\n", label, n, buf);
}

/* Opens a path read-only and prints what it holds. */
static inline void try_read(const char *label, int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY);
	say("%s: open %s: %s\n", label, path, res(fd, errno));
	if (fd >= 0) {
		dump_fd(label, fd);
		close(fd);
	}
}

/* Prints bytes as hex on one line. */
static inline void say_hex(const char *label, const unsigned char *p, size_t n)
{
	char buf[2 * 512 + 1];
	if (n > 512)
		n = 512;
	for (size_t i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	buf[2 * n] = 0;
	say("%s: hex %s\n", label, buf);
}

/* Monotonic milliseconds. */
static inline long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

#endif
