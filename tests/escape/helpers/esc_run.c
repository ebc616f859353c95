/* esc_run: starts a command as run.sh's escape attempts need it, and
 * stands in for the parent the command may attack.
 *
 *   esc_run LOG STATUS STDIN DIR HOLD SECONDS KEEP_TOKEN -- COMMAND [ARGS...]
 *
 * Opens STDIN read-only as fd 0 ("-": keep fd 0), the folder DIR as fd 3
 * (inherited), HOLD as a close-on-exec fd (so only this process holds it),
 * then runs COMMAND in a child. ESCAPE_TOKEN stays in the child's
 * environment only when KEEP_TOKEN is 1 (the sentry keeps it to itself).
 * Every signal this process receives is written to LOG ("signal N from
 * pid P"); how the child ended goes to STATUS: "exit N", "signal N" or
 * "timeout" (after SECONDS it is killed).
 *
 * With ESCAPE_STDERR=FILE in the environment, the command's stderr is FILE
 * opened for appending, as a shell's 2>>FILE gives it: a host file that
 * must only ever grow at its end. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got[65];
static volatile sig_atomic_t from[65];

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	got[sig]++;
	from[sig] = si ? si->si_pid : 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	if (argc < 10 || strcmp(argv[8], "--")) {
		fprintf(stderr, "usage: esc_run LOG STATUS STDIN DIR HOLD SECONDS KEEP_TOKEN -- COMMAND [ARGS...]\n");
		return 2;
	}
	const char *log = argv[1], *status = argv[2], *in = argv[3], *dir = argv[4], *hold = argv[5];
	long seconds = atol(argv[6]);
	int keep_token = atoi(argv[7]);
	char **cmd = argv + 9;

	if (getpgrp() != getpid())
		setpgid(0, 0);
	if (strcmp(in, "-")) {
		int fd = open(in, O_RDONLY);
		if (fd < 0 || dup2(fd, 0) < 0) {
			perror(in);
			return 2;
		}
		if (fd != 0)
			close(fd);
	}
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	if (d < 0 || dup2(d, 3) < 0) {
		perror(dir);
		return 2;
	}
	if (d != 3)
		close(d);
	int held = open(hold, O_RDONLY | O_CLOEXEC);
	if (held < 0)
		perror(hold);

	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	sigfillset(&sa.sa_mask);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD)
			sigaction(s, &sa, NULL);

	const char *append = getenv("ESCAPE_STDERR");
	int appended = append ? open(append, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
	if (append && appended < 0)
		perror(append);
	unsetenv("ESCAPE_STDERR");

	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (child == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		for (int s = 1; s < 32; s++)
			if (s != SIGKILL && s != SIGSTOP)
				sigaction(s, &dfl, NULL);
		if (!keep_token)
			unsetenv("ESCAPE_TOKEN");
		if (appended >= 0 && dup2(appended, 2) < 0)
			_exit(126);
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		_exit(127);
	}
	long deadline = now_ms() + seconds * 1000;
	int st = 0, timed_out = 0;
	for (;;) {
		pid_t r = waitpid(child, &st, WNOHANG);
		if (r == child)
			break;
		if (r < 0 && errno != EINTR)
			break;
		if (!timed_out && now_ms() > deadline) {
			timed_out = 1;
			kill(child, SIGKILL);
		}
		usleep(2000);
	}
	FILE *f = fopen(status, "w");
	if (f) {
		if (timed_out)
			fprintf(f, "timeout\n");
		else if (WIFSIGNALED(st))
			fprintf(f, "signal %d\n", WTERMSIG(st));
		else
			fprintf(f, "exit %d\n", WEXITSTATUS(st));
		fclose(f);
	}
	f = fopen(log, "a");
	if (f) {
		for (int s = 1; s < 32; s++)
			if (got[s])
				fprintf(f, "signal %d (%s) from pid %d, %d times\n", s, strsignal(s), (int)from[s], (int)got[s]);
		fclose(f);
	}
	return 0;
}
