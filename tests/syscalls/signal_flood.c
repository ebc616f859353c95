/* Calls that never block, made while a timer floods the process with
 * signals: natively none of them is interrupted (no EINTR, handler with
 * SA_RESTART or without), and none runs twice (no EEXIST from a mkdir
 * made once, no ENOENT from an rmdir, no fd left behind). So are pipes
 * made between forks whose children's exits raise SIGCHLD, as a shell's
 * pipeline makes them. */
#include "common.h"

#include <sys/time.h>

static volatile sig_atomic_t arrived;

static void on_alarm(int sig)
{
	(void)sig;
	arrived++;
}

enum { MKDIR, RMDIR, CREATE, UNLINK, OPEN, CLOSE, PIPE, STAT, RENAME, NCALLS };
static const char *const call_names[NCALLS] = { "mkdir", "rmdir", "open O_CREAT|O_EXCL", "unlink", "open",
						 "close", "pipe", "stat", "rename" };
static unsigned failures[NCALLS];
static int first_errno[NCALLS];

static void check(int call, long r)
{
	if (r >= 0)
		return;
	if (failures[call]++ == 0)
		first_errno[call] = errno;
}

static int open_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static void flood(const char *label, int sa_flags, int rounds)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = sa_flags };
	sigaction(SIGALRM, &sa, NULL);
	memset(failures, 0, sizeof(failures));
	arrived = 0;
	int fds_before = open_fds();
	struct itimerval every = { { 0, 100 }, { 0, 100 } };
	setitimer(ITIMER_REAL, &every, NULL);
	for (int i = 0; i < rounds; i++) {
		int p[2];
		struct stat st;
		check(MKDIR, mkdir("d", 0755));
		check(RMDIR, rmdir("d"));
		int fd = open("f", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		check(CREATE, fd);
		if (fd >= 0)
			check(CLOSE, close(fd));
		check(RENAME, rename("f", "g"));
		fd = open("g", O_RDONLY | O_CLOEXEC);
		check(OPEN, fd);
		if (fd >= 0)
			check(CLOSE, close(fd));
		check(STAT, stat("g", &st));
		check(UNLINK, unlink("g"));
		long r = pipe2(p, O_CLOEXEC);
		check(PIPE, r);
		if (r == 0) {
			close(p[0]);
			close(p[1]);
		}
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_IGN);
	say("%s: %d rounds, signals %s\n", label, rounds, arrived > 20 ? "arrived" : "missing");
	for (int c = 0; c < NCALLS; c++)
		if (failures[c])
			say("  %s failed %u times, first with %s\n", call_names[c], failures[c], errname(first_errno[c]));
	say("  fds left behind: %d\n", open_fds() - fds_before);
	rmdir("d");
	unlink("f");
	unlink("g");
}

/* A shell's pipeline: pipes made one after the other, with children
 * forked between them whose exits raise SIGCHLD. */
static void pipeline(int rounds)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGCHLD, &sa, NULL);
	unsigned failed = 0;
	int first = 0;
	for (int i = 0; i < rounds; i++) {
		int a[2], b[2];
		pid_t child = -1;
		if (pipe2(a, O_CLOEXEC) < 0) {
			if (!failed++)
				first = errno;
			continue;
		}
		if ((child = fork()) == 0)
			_exit(0);
		if (pipe2(b, O_CLOEXEC) < 0) {
			if (!failed++)
				first = errno;
		} else {
			close(b[0]);
			close(b[1]);
		}
		close(a[0]);
		close(a[1]);
		while (child > 0 && waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	signal(SIGCHLD, SIG_DFL);
	say("pipes between forks, SIGCHLD handler without SA_RESTART: %d rounds\n", rounds);
	if (failed)
		say("  pipe failed %u times, first with %s\n", failed, errname(first));
}

int main(void)
{
	flood("handler without SA_RESTART", 0, 1000);
	flood("handler with SA_RESTART", SA_RESTART, 1000);
	pipeline(300);
	return 0;
}
