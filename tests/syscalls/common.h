/* Shared helpers of the syscall programs.
 *
 * Every program is run natively and inside the sentry, each time in a fresh
 * empty folder that is also its cwd; the two outputs must be identical. So a
 * program prints only what Linux makes deterministic: return values, errno
 * names, file types, modes, link counts, sizes, contents, sorted listings,
 * and comparisons (same inode? mtime changed?), never inode numbers, pids,
 * absolute times or the absolute path of the folder.
 *
 * Output goes straight to fd 1 with write(2): nothing is buffered, so a fork
 * or an exec never duplicates or loses a line.
 */
#ifndef SC_COMMON_H
#define SC_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void sc_write_all(int fd, const char *buf, size_t len)
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

/* printf to stdout, unbuffered. */
__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	char buf[8192];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		sc_write_all(1, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	errno = saved;
}

/* The name of an errno value ("ENOENT"). */
static inline const char *errname(int err)
{
	const char *n = strerrorname_np(err);
	static char buf[32];
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* "-1 ENOENT" for a failed call, the value otherwise. */
static inline const char *res(long r, int err)
{
	static char buf[8][48];
	static int slot;
	char *b = buf[slot++ % 8];
	if (r == -1)
		snprintf(b, 48, "-1 %s", errname(err));
	else
		snprintf(b, 48, "%ld", r);
	return b;
}

/* Evaluates a call once, prints "call = result" and yields the result. */
#define T(call) TL(#call, call)

/* The same with an explicit label, for calls whose text is not readable. */
#define TL(label, call) ({ \
	errno = 0; \
	long r_ = (long)(call); \
	say("%s = %s\n", (label), res(r_, errno)); \
	r_; \
})

/* Evaluates an open-like call, prints it, and closes the fd it gave. */
#define TO(call) do { \
	long fd_ = TL(#call, call); \
	if (fd_ >= 0) \
		close((int)fd_); \
} while (0)

/* For calls that return a pointer, with MAP_FAILED or NULL on error. */
#define TP(call, failed) ({ \
	errno = 0; \
	void *p_ = (void *)(call); \
	if (p_ == (void *)(failed)) \
		say("%s = %s\n", #call, res(-1, errno)); \
	else \
		say("%s = ok\n", #call); \
	p_; \
})

/* Setup steps whose failure is a bug in the program: print and go on, the
 * comparison with the native run shows it. */
#define MUST(call) ({ \
	errno = 0; \
	long r_ = (long)(call); \
	if (r_ == -1) \
		say("setup failed: %s = %s\n", #call, res(r_, errno)); \
	r_; \
})

static inline const char *ftype(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "lnk";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	}
	return "?";
}

/* The deterministic fields of a stat: type, permission bits, link count,
 * and the size for files and symlinks (a directory's size depends on the
 * file system). */
static inline void show_st(const char *label, const struct stat *st)
{
	char size[32] = "";
	if (!S_ISDIR(st->st_mode))
		snprintf(size, sizeof(size), " size=%lld", (long long)st->st_size);
	say("  %s: %s mode=%04o nlink=%lu%s\n", label, ftype(st->st_mode),
	    (unsigned)(st->st_mode & 07777), (unsigned long)st->st_nlink, size);
}

/* lstat (nofollow) or stat of a path, printed. */
static inline void show_path(const char *path, int follow)
{
	struct stat st;
	int r = follow ? stat(path, &st) : lstat(path, &st);
	char label[600];
	snprintf(label, sizeof(label), "%s %s", follow ? "stat" : "lstat", path);
	if (r < 0)
		say("  %s: -1 %s\n", label, errname(errno));
	else
		show_st(label, &st);
}
#define SHOW(path) show_path((path), 0)
#define SHOWF(path) show_path((path), 1)

static inline void show_fd(const char *label, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		say("  fstat %s: -1 %s\n", label, errname(errno));
	else
		show_st(label, &st);
}

/* Writes a whole file (created 0644 or truncated). */
static inline void put(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		say("setup failed: put %s: %s\n", path, errname(errno));
		return;
	}
	sc_write_all(fd, content, strlen(content));
	close(fd);
}

/* Prints bytes readably: printable ASCII as is, the rest as \xNN. */
static inline void say_bytes(const char *buf, size_t len)
{
	char out[4 * 4096 + 1];
	size_t o = 0;
	for (size_t i = 0; i < len && o + 5 < sizeof(out); i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
	}
	out[o] = 0;
	say("\"%s\"", out);
}

/* Prints the contents of a file (up to 4 KiB). */
static inline void cat(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("  cat %s: -1 %s\n", path, errname(errno));
		return;
	}
	ssize_t n, len = 0;
	while (len < (ssize_t)sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - (size_t)len)) > 0)
		len += n;
	close(fd);
	say("  cat %s: ", path);
	say_bytes(buf, (size_t)len);
	say("\n");
}

/* Prints what a read from an fd gives (up to 4 KiB, one read). */
static inline void readfd(const char *label, int fd)
{
	char buf[4096];
	errno = 0;
	ssize_t n = read(fd, buf, sizeof(buf));
	say("  read %s = %s", label, res(n, errno));
	if (n > 0) {
		say(" ");
		say_bytes(buf, (size_t)n);
	}
	say("\n");
}

static inline int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the entries of a directory (without . and ..), sorted, each with
 * its d_type. */
static inline void ls(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		say("  ls %s: -1 %s\n", path, errname(errno));
		return;
	}
	char *names[512];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 512) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		const char *t = "?";
		switch (e->d_type) {
		case DT_REG: t = "reg"; break;
		case DT_DIR: t = "dir"; break;
		case DT_LNK: t = "lnk"; break;
		case DT_FIFO: t = "fifo"; break;
		case DT_SOCK: t = "sock"; break;
		case DT_CHR: t = "chr"; break;
		case DT_BLK: t = "blk"; break;
		case DT_UNKNOWN: t = "unknown"; break;
		}
		if (asprintf(&names[n], "%s(%s)", e->d_name, t) < 0)
			break;
		n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	say("  ls %s:", path);
	for (int i = 0; i < n; i++) {
		say(" %s", names[i]);
		free(names[i]);
	}
	say("\n");
}

/* Whether two paths (not followed) name the same inode. */
static inline void same(const char *a, const char *b)
{
	struct stat sa, sb;
	if (lstat(a, &sa) < 0 || lstat(b, &sb) < 0) {
		say("  same %s %s: -1 %s\n", a, b, errname(errno));
		return;
	}
	say("  same %s %s: %s\n", a, b,
	    sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev ? "yes" : "no");
}

/* The folder the program started in; paths under it print as "./...". */
static char sc_start[PATH_MAX];

static inline const char *rel(const char *path)
{
	static char buf[4][PATH_MAX + 16];
	static int slot;
	char *b = buf[slot++ % 4];
	size_t n = strlen(sc_start);
	if (n > 0 && strncmp(path, sc_start, n) == 0 && (path[n] == '/' || path[n] == 0))
		snprintf(b, PATH_MAX + 16, ".%s", path + n);
	else if (path[0] == '/')
		snprintf(b, PATH_MAX + 16, "%s", path);
	else
		snprintf(b, PATH_MAX + 16, "(relative) %s", path);
	return b;
}

/* Prints where a symlink points; paths under the start folder relative. */
static inline void link_of(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		say("  readlink %s: -1 %s\n", path, errname(errno));
		return;
	}
	buf[n] = 0;
	say("  readlink %s: %s\n", path, rel(buf));
}

/* Prints the cwd relative to the start folder. */
static inline void pwd(void)
{
	char buf[PATH_MAX];
	long r = syscall(SYS_getcwd, buf, sizeof(buf));
	if (r < 0)
		say("  getcwd: -1 %s\n", errname(errno));
	else
		say("  getcwd: %s\n", rel(buf));
}

/* Sets the mtime and atime of a path to a fixed past value, so that a later
 * change is visible whatever the timestamp granularity. */
static inline void age(const char *path)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) < 0)
		say("setup failed: age %s: %s\n", path, errname(errno));
}

/* Whether the mtime of a path has moved from the value age() set. */
static inline void mtime_changed(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		say("  mtime %s: -1 %s\n", path, errname(errno));
		return;
	}
	say("  mtime %s: %s\n", path,
	    st.st_mtim.tv_sec == 1000000000 && st.st_mtim.tv_nsec == 0 ? "unchanged" : "changed");
}

/* Prints how a child ended. */
static inline void show_status(const char *label, int status)
{
	if (WIFEXITED(status))
		say("  %s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		say("  %s: killed by %s%s\n", label, sigabbrev_np(WTERMSIG(status)) ?: "?",
		    WCOREDUMP(status) ? " (core)" : "");
	else if (WIFSTOPPED(status))
		say("  %s: stopped by %s\n", label, sigabbrev_np(WSTOPSIG(status)) ?: "?");
	else
		say("  %s: status 0x%x\n", label, status);
}

/* Waits for a child and prints how it ended. */
static inline void reap(const char *label, pid_t pid)
{
	int status;
	pid_t r;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		say("  %s: waitpid -1 %s\n", label, errname(errno));
	else
		show_status(label, status);
}

/* Called first by every program: a known umask, default signal handling
 * whatever the caller ignored or blocked, the start folder noted, and a
 * title line. */
static inline void begin(const char *title)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	umask(022);
	if (!getcwd(sc_start, sizeof(sc_start)))
		sc_start[0] = 0;
	say("== %s\n", title);
}

#endif
