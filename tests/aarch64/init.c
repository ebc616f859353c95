/* The init (PID 1) of the arm64 test guest booted by .ci/aarch64-qemu.
 *
 * Mounts what the sentry needs (proc, sys, a tmpfs /dev with its device
 * nodes, /dev/shm, /tmp), runs every test of /tests.list, prints one line per
 * result on the console and a last line "summary: N passed, M failed", then
 * powers the machine off. Every run is bounded in time.
 *
 * /tests.list, one test a line ('#' starts a comment, "..." quotes a word;
 * "seconds=N" right after NAME bounds each run of that test to N seconds
 * instead of RUN_SECONDS):
 *   same NAME PROGRAM [ARGS...]
 *       PROGRAM natively, then inside the sentry on each platform, each run
 *       in a fresh empty folder of /dev/shm: stdout and exit status must be
 *       identical to the native run's (Linux is the oracle), and the
 *       inside run's folder must stay empty on the host.
 *   inside NAME [log=WORD,WORD...] PROGRAM [ARGS...]
 *       a self-checking PROGRAM inside the sentry on each platform: it must
 *       exit 0, and the sentry's stderr must name every WORD.
 *   foreign NAME STATUS TEXT PROGRAM [ARGS...]
 *       PROGRAM is built for another ABI of the CPU (32-bit arm). Natively
 *       it must print the line TEXT and exit STATUS: the machine runs it, so
 *       the test cannot pass for want of support. Inside the sentry (with
 *       --trace) on each platform it must not run: TEXT nowhere in its
 *       output, its folder untouched, and either its exec refused with
 *       ENOEXEC (the sentry runs native ELF programs only; execvp then hands
 *       the file to /bin/sh as a script) or the process killed by SIGSYS
 *       (exit 159: the filter's arch check kills any call of a foreign ABI).
 *   failclosed NAME PROGRAM
 *       PROGRAM prints "main PID", three "child PID", two "thread TID" and
 *       "ready", in any order (its children write on their own): after
 *       SIGKILL of the sentry none of these tasks may live.
 *       Each wait is for the event (the report, the tasks gone), bounded
 *       only by the run's seconds: a slow guest takes longer, and the time
 *       is reported, never judged.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SENTRY "/sentry"
#define TESTS "/tests.list"
#define RESULTS "/tmp/results"
#define RUN_SECONDS 60          /* one run, native or inside, by default */
#define MAX_ARGS 32

static const char *const platforms[] = { "unotify", "ptrace" };
static char *const envp[] = {
	"PATH=/usr/bin:/bin", "HOME=/", "LC_ALL=C",
	"IT_VAR=a value with  spaces", NULL,
};
static int passed, failed;
static int run_seconds = RUN_SECONDS; /* the bound of each run of the current test */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
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
	for (char *p = buf; n > 0;) {
		ssize_t w = write(1, p, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (int)w;
	}
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Reaps every finished child: orphans of the runs come to PID 1. */
static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void result(bool ok, const char *test, const char *platform, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void result(bool ok, const char *test, const char *platform, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	out("%s %s %s: %s\n", ok ? "ok  " : "FAIL", test, platform, why);
	if (ok)
		passed++;
	else
		failed++;
}

static void setup(void)
{
	static const struct { const char *name; mode_t mode; int major, minor; } nodes[] = {
		{ "null", 0666, 1, 3 }, { "zero", 0666, 1, 5 }, { "full", 0666, 1, 7 },
		{ "random", 0666, 1, 8 }, { "urandom", 0666, 1, 9 },
		{ "tty", 0666, 5, 0 }, { "console", 0600, 5, 1 }, { "ptmx", 0666, 5, 2 },
	};
	mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (mount("dev", "/dev", "tmpfs", MS_NOSUID, "mode=0755") < 0)
		out("init: mount /dev: %s\n", strerror(errno));
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/dev/%s", nodes[i].name);
		if (mknod(path, S_IFCHR | nodes[i].mode, makedev(nodes[i].major, nodes[i].minor)) < 0)
			out("init: mknod %s: %s\n", path, strerror(errno));
		chmod(path, nodes[i].mode); /* mknod obeys the umask */
	}
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	mkdir("/dev/shm", 01777);
	mkdir("/dev/pts", 0755);
	mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "ptmxmode=0666");
	mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	mount("tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	mkdir(RESULTS, 0755);
	sethostname("guest", 5);
}

/* The first line of a small /proc file, without its newline ("" if none). */
static void read_line(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* Every user task but init, with its state, wait channel and current
 * syscall: what a run that timed out was stuck in. */
static void show_tasks(void)
{
	DIR *procs = opendir("/proc");
	struct dirent *p;
	int shown = 0;
	out("  --- tasks still there (tid, state, wchan, /proc/TID/syscall, CPU time) ---\n");
	while (procs && (p = readdir(procs)) && shown < 40) {
		char path[64], line[256];
		int pid = atoi(p->d_name);
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		read_line(path, line, sizeof(line));
		if (pid <= 1 || !*line)
			continue; /* not a process, init, or a kernel thread */
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		DIR *tasks = opendir(path);
		struct dirent *t;
		while (tasks && (t = readdir(tasks)) && shown < 40) {
			int tid = atoi(t->d_name);
			if (tid <= 0)
				continue;
			char stat[256], wchan[64], sc[128];
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
			read_line(path, stat, sizeof(stat));
			snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
			read_line(path, wchan, sizeof(wchan));
			snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
			read_line(path, sc, sizeof(sc));
			char *comm_end = strrchr(stat, ')');
			/* user and system time (ticks): a busy task spins in
			 * its own code or in the kernel */
			unsigned long utime = 0, stime = 0;
			if (comm_end)
				sscanf(comm_end + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
				       &utime, &stime);
			out("  | %d %.*s %s [%s] utime %lu stime %lu\n", tid,
			    comm_end ? (int)(comm_end - stat + 3) : 0, stat, wchan, sc, utime, stime);
			shown++;
		}
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);
}

/* Runs argv in cwd with stdin from /dev/null and stdout, stderr into files,
 * for at most `seconds`. Returns the shell-style status (the exit code, or
 * 128+N for a death by signal N), or -1 when the run was killed for time. */
static int run(char *const argv[], const char *cwd, const char *out_path, const char *err_path, int seconds)
{
	pid_t pid = fork();
	if (pid < 0)
		return -2;
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		int in = open("/dev/null", O_RDONLY);
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || o < 0 || e < 0 || chdir(cwd) < 0)
			_exit(125);
		dup2(in, 0);
		dup2(o, 1);
		dup2(e, 2);
		close_range(3, ~0U, 0);
		execve(argv[0], argv, envp);
		dprintf(2, "init: execve %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	long deadline = now_ms() + seconds * 1000L;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		long left = deadline - now_ms();
		if (left <= 0) {
			show_tasks();
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			reap_all();
			return -1;
		}
		struct timespec ts = { left / 1000, (left % 1000) * 1000000 };
		sigtimedwait(&chld, NULL, &ts);
	}
	reap_all();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The whole content of a file, NUL-terminated (NULL if unreadable). */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Shows up to max lines of a file, indented, under a label. */
static void show(const char *label, const char *path, int max)
{
	char *s = slurp(path, NULL);
	if (!s || !*s) {
		free(s);
		return;
	}
	out("  --- %s ---\n", label);
	char *line = s;
	for (int i = 0; line && *line && i < max; i++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		out("  | %s\n", line);
		line = nl ? nl + 1 : NULL;
	}
	if (line && *line)
		out("  | ...\n");
	free(s);
}

/* The first line where a and b differ, both shown. */
static void show_difference(const char *a, const char *b)
{
	int line = 1;
	while (*a && *a == *b) {
		line += *a == '\n';
		a++;
		b++;
	}
	while (line > 1 && a[-1] != '\n') {
		a--;
		b--;
	}
	out("  first difference at line %d:\n  native: %.*s\n  inside: %.*s\n", line,
	    (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* A fresh empty folder of /dev/shm for one run; never one used before,
 * since a program may leave names too deep or too long to remove. The
 * previous run's folder is removed as far as it can be. */
static void fresh_dir(char *buf, size_t size)
{
	static unsigned serial;
	static char previous[64];
	if (*previous)
		nftw(previous, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	snprintf(buf, size, "/dev/shm/run.%u", ++serial);
	mkdir(buf, 0755);
	snprintf(previous, sizeof(previous), "%s", buf);
}

/* Whether a folder has no entry but . and .. */
static bool empty_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return false;
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n == 0;
}

static void status_text(char *buf, size_t size, int status)
{
	if (status == -1)
		snprintf(buf, size, "timed out after %d s", run_seconds);
	else if (status > 128 && status < 128 + 65)
		snprintf(buf, size, "signal %s", sigabbrev_np(status - 128) ? sigabbrev_np(status - 128) : "?");
	else
		snprintf(buf, size, "exit %d", status);
}

/* argv of `sentry --platform=P --env=IT_VAR [OPTION] -- PROGRAM ARGS...`. */
static void sentry_argv(char **argv, char *platform_opt, size_t size, const char *platform, char *option,
			char **prog)
{
	snprintf(platform_opt, size, "--platform=%s", platform);
	int n = 0;
	argv[n++] = SENTRY;
	argv[n++] = platform_opt;
	argv[n++] = "--env=IT_VAR";
	if (option)
		argv[n++] = option;
	argv[n++] = "--";
	for (int i = 0; prog[i]; i++)
		argv[n++] = prog[i];
	argv[n] = NULL;
}

static void test_same(const char *name, char **prog)
{
	char dir[128], st_text[64];
	fresh_dir(dir, sizeof(dir));
	int nrc = run(prog, dir, RESULTS "/native.out", RESULTS "/native.err", run_seconds);
	size_t nlen;
	char *native = slurp(RESULTS "/native.out", &nlen);
	if (nrc < 0 || (nrc >= 124 && nrc <= 127)) {
		status_text(st_text, sizeof(st_text), nrc);
		for (size_t p = 0; p < 2; p++)
			result(false, name, platforms[p], "the native run is broken (%s)", st_text);
		show("native stderr", RESULTS "/native.err", 20);
		free(native);
		return;
	}
	for (size_t p = 0; p < 2; p++) {
		char *argv[MAX_ARGS + 8], opt[32];
		sentry_argv(argv, opt, sizeof(opt), platforms[p], NULL, prog);
		fresh_dir(dir, sizeof(dir));
		long t0 = now_ms();
		int irc = run(argv, dir, RESULTS "/inside.out", RESULTS "/inside.err", run_seconds);
		long ms = now_ms() - t0;
		char *inside = slurp(RESULTS "/inside.out", NULL);
		bool same_out = native && inside && strcmp(native, inside) == 0;
		bool untouched = empty_dir(dir);
		status_text(st_text, sizeof(st_text), irc);
		if (same_out && irc == nrc && untouched) {
			result(true, name, platforms[p], "stdout (%zu lines) and %s as native, host folder untouched, %ld ms",
			       count_lines(native), st_text, ms);
		} else {
			char nst[64];
			status_text(nst, sizeof(nst), nrc);
			result(false, name, platforms[p], "%s; native %s, inside %s%s",
			       same_out ? "stdout identical" : "stdout differs", nst, st_text,
			       untouched ? "" : "; the inside run changed its host folder");
			if (!same_out && native && inside)
				show_difference(native, inside);
			show("sentry stderr", RESULTS "/inside.err", 20);
		}
		free(inside);
	}
	free(native);
}

static void test_inside(const char *name, const char *log_words, char **prog)
{
	for (size_t p = 0; p < 2; p++) {
		char *argv[MAX_ARGS + 8], opt[32], dir[128], st_text[64];
		sentry_argv(argv, opt, sizeof(opt), platforms[p], NULL, prog);
		fresh_dir(dir, sizeof(dir));
		long t0 = now_ms();
		int irc = run(argv, dir, RESULTS "/inside.out", RESULTS "/inside.err", run_seconds);
		long ms = now_ms() - t0;
		status_text(st_text, sizeof(st_text), irc);
		char *err = slurp(RESULTS "/inside.err", NULL);
		char missing[256] = "";
		if (log_words) {
			char words[256];
			snprintf(words, sizeof(words), "%s", log_words);
			for (char *w = strtok(words, ","); w; w = strtok(NULL, ","))
				if (!err || !strstr(err, w))
					snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s", w);
		}
		free(err);
		if (irc == 0 && !*missing) {
			result(true, name, platforms[p], "exit 0%s, %ld ms", log_words ? ", every denial logged" : "", ms);
		} else {
			if (irc != 0)
				result(false, name, platforms[p], "%s", st_text);
			else
				result(false, name, platforms[p], "the sentry's stderr does not name:%s", missing);
			show("workload stdout", RESULTS "/inside.out", 40);
			show("sentry stderr", RESULTS "/inside.err", 20);
		}
	}
}

/* Whether a --trace log has a line of an exec refused with ENOEXEC. */
static bool exec_refused(const char *trace)
{
	for (const char *line = trace; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), line);
		if ((strstr(buf, "] execve(") || strstr(buf, "] execveat(")) && strstr(buf, ") = -1 ENOEXEC"))
			return true;
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

static void test_foreign(const char *name, int want_status, const char *text, char **prog)
{
	char dir[128], st_text[64], want_out[256];
	snprintf(want_out, sizeof(want_out), "%s\n", text);
	fresh_dir(dir, sizeof(dir));
	int nrc = run(prog, dir, RESULTS "/native.out", RESULTS "/native.err", run_seconds);
	char *native = slurp(RESULTS "/native.out", NULL);
	bool native_ok = nrc == want_status && native && strcmp(native, want_out) == 0;
	free(native);
	if (!native_ok) {
		/* Without a native run there is nothing to refuse: fail, never skip. */
		status_text(st_text, sizeof(st_text), nrc);
		for (size_t p = 0; p < 2; p++)
			result(false, name, platforms[p],
			       "natively it must print \"%s\" and exit %d, it gave %s: without a native run the "
			       "test shows nothing", text, want_status, st_text);
		show("native stdout", RESULTS "/native.out", 5);
		show("native stderr", RESULTS "/native.err", 5);
		return;
	}
	for (size_t p = 0; p < 2; p++) {
		char *argv[MAX_ARGS + 8], opt[32];
		sentry_argv(argv, opt, sizeof(opt), platforms[p], "--trace", prog);
		fresh_dir(dir, sizeof(dir));
		long t0 = now_ms();
		int irc = run(argv, dir, RESULTS "/inside.out", RESULTS "/inside.err", run_seconds);
		long ms = now_ms() - t0;
		size_t olen = 0;
		char *out_text = slurp(RESULTS "/inside.out", &olen);
		char *err = slurp(RESULTS "/inside.err", NULL);
		bool absent = out_text && err && !strstr(out_text, text) && !strstr(err, text);
		bool untouched = empty_dir(dir);
		bool killed = irc == 128 + SIGSYS;
		bool refused = !killed && err && exec_refused(err);
		status_text(st_text, sizeof(st_text), irc);
		if (absent && untouched && irc != want_status && (killed || refused)) {
			result(true, name, platforms[p], "%s (%s), its line absent (%zu bytes on stdout), host folder untouched, %ld ms",
			       killed ? "killed by SIGSYS" : "its exec refused with ENOEXEC", st_text, olen, ms);
		} else {
			result(false, name, platforms[p], "%s (native: exit %d); %s; %s; %s", st_text, want_status,
			       killed ? "killed by SIGSYS" : refused ? "its exec refused with ENOEXEC"
							   : "neither killed by SIGSYS nor its exec refused with ENOEXEC",
			       absent ? "its line absent" : "its line printed",
			       untouched ? "host folder untouched" : "the inside run changed its host folder");
			show("workload stdout", RESULTS "/inside.out", 10);
			show("sentry stderr", RESULTS "/inside.err", 20);
		}
		free(out_text);
		free(err);
	}
}

/* Whether a pid or tid is a live task (not gone, not a zombie). */
static bool alive(pid_t t)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)t);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* The task ids of the complete lines of a failclosed report (at most 6),
 * and whether one of them is "ready". */
static int parse_report(const char *report, pid_t tasks[6], bool *ready)
{
	int n = 0;
	*ready = false;
	for (const char *line = report, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		int id;
		if (n < 6 && (sscanf(line, "main %d", &id) == 1 || sscanf(line, "child %d", &id) == 1 ||
			      sscanf(line, "thread %d", &id) == 1))
			tasks[n++] = id;
		*ready |= strncmp(line, "ready\n", 6) == 0;
	}
	return n;
}

static void failclosed_once(const char *name, const char *platform, char **prog)
{
	char *argv[MAX_ARGS + 8], opt[32];
	sentry_argv(argv, opt, sizeof(opt), platform, NULL, prog);
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		result(false, name, platform, "pipe: %s", strerror(errno));
		return;
	}
	pid_t sentry = fork();
	if (sentry == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int in = open("/dev/null", O_RDONLY);
		int e = open(RESULTS "/inside.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(fds[1], 1);
		dup2(e, 2);
		close_range(3, ~0U, 0);
		chdir("/dev/shm");
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(fds[1]);

	/* The workload's report: six task ids and "ready", in any order: the
	 * children write theirs on their own, and one may come after "ready". */
	char buf[1024];
	size_t len = 0;
	pid_t tasks[6];
	int ntasks = 0;
	bool ready = false;
	long deadline = now_ms() + run_seconds * 1000L;
	while (!(ready && ntasks == 6) && len < sizeof(buf) - 1) {
		long left = deadline - now_ms();
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		ssize_t r = read(fds[0], buf + len, sizeof(buf) - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		ntasks = parse_report(buf, tasks, &ready);
	}
	bool ok = ready && ntasks == 6;
	for (int i = 0; ok && i < ntasks; i++)
		ok = alive(tasks[i]);
	if (!ok) {
		/* how the sentry ended, if it did before the harness kills it */
		int early = 0;
		char how[64] = "still running";
		if (waitpid(sentry, &early, WNOHANG) == sentry)
			snprintf(how, sizeof(how), WIFSIGNALED(early) ? "killed by signal %d" : "exited %d",
				 WIFSIGNALED(early) ? WTERMSIG(early) : WEXITSTATUS(early));
		result(false, name, platform, "the workload did not report 6 live tasks and \"ready\" (%d tasks; the sentry: %s)",
		       ntasks, how);
		out("  --- workload stdout ---\n");
		for (const char *line = buf, *nl; *line; line = nl ? nl + 1 : "") {
			nl = strchr(line, '\n');
			out("  | %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
		}
		kill(sentry, SIGKILL);
		for (int i = 0; i < ntasks; i++)
			kill(tasks[i], SIGKILL);
		waitpid(sentry, NULL, 0);
		close(fds[0]);
		show("sentry stderr", RESULTS "/inside.err", 20);
		reap_all();
		return;
	}

	kill(sentry, SIGKILL);
	waitpid(sentry, NULL, 0);
	long start = now_ms();
	int left;
	do {
		reap_all();
		left = 0;
		for (int i = 0; i < ntasks; i++)
			left += alive(tasks[i]);
		if (left)
			sleep_ms(10);
	} while (left && now_ms() - start < run_seconds * 1000L);
	long ms = now_ms() - start;
	if (left == 0) {
		result(true, name, platform, "all 6 tasks gone %ld ms after SIGKILL of the sentry", ms);
	} else {
		result(false, name, platform, "%d of 6 tasks still alive %ld ms after SIGKILL of the sentry", left, ms);
		for (int i = 0; i < ntasks; i++)
			kill(tasks[i], SIGKILL);
	}
	close(fds[0]);
	reap_all();
}

/* Splits a line into words; "..." quotes a word (no escapes). */
static int split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\n')
			break;
		if (*p == '"') {
			words[n++] = ++p;
			p += strcspn(p, "\"\n");
		} else {
			words[n++] = p;
			p += strcspn(p, " \t\n");
		}
		if (!*p)
			break;
		*p++ = '\0';
	}
	words[n] = NULL;
	return n;
}

static void run_tests(void)
{
	FILE *f = fopen(TESTS, "re");
	if (!f) {
		out("init: %s: %s\n", TESTS, strerror(errno));
		failed++;
		return;
	}
	char line[1024];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		char *w[MAX_ARGS + 1];
		lineno++;
		int n = split(line, w, MAX_ARGS);
		if (n == 0)
			continue;
		run_seconds = RUN_SECONDS;
		if (n >= 3 && strncmp(w[2], "seconds=", 8) == 0) {
			char *end;
			long seconds = strtol(w[2] + 8, &end, 10);
			if (*end || end == w[2] + 8 || seconds < 1 || seconds > 3600)
				goto malformed;
			run_seconds = (int)seconds;
			memmove(w + 2, w + 3, sizeof(w[0]) * (size_t)(n - 2)); /* with the final NULL */
			n--;
		}
		if (n >= 3 && strcmp(w[0], "same") == 0) {
			test_same(w[1], w + 2);
		} else if (n >= 3 && strcmp(w[0], "inside") == 0) {
			bool has_log = strncmp(w[2], "log=", 4) == 0;
			if (has_log && n < 4)
				goto malformed;
			test_inside(w[1], has_log ? w[2] + 4 : NULL, w + 2 + has_log);
		} else if (n >= 5 && strcmp(w[0], "foreign") == 0) {
			char *end;
			long status = strtol(w[2], &end, 10);
			if (*end || end == w[2] || status < 0 || status > 255)
				goto malformed;
			test_foreign(w[1], (int)status, w[3], w + 4);
		} else if (n == 3 && strcmp(w[0], "failclosed") == 0) {
			for (size_t p = 0; p < 2; p++)
				failclosed_once(w[1], platforms[p], w + 2);
		} else {
			goto malformed;
		}
		continue;
malformed:
		out("FAIL %s:%d: malformed line\n", TESTS, lineno);
		failed++;
	}
	fclose(f);
}

int main(void)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	setup();

	struct utsname u;
	uname(&u);
	out("guest: Linux %s %s, %ld CPUs\n", u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN));
	long t0 = now_ms();
	run_tests();
	out("guest: tests took %ld ms\n", now_ms() - t0);
	out("summary: %d passed, %d failed\n", passed, failed);
	sync();
	reboot(RB_POWER_OFF);
	return 0; /* not reached: PID 1 exiting panics, and qemu exits (-no-reboot) */
}
