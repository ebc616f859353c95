/* fcntl(F_NOTIFY): the owner of a folder fd gets SIGIO, or the signal
 * F_SETSIG names (with si_fd), when the folder's entries change inside:
 * one signal per change asked for, none without DN_MULTISHOT after the
 * first; a second F_NOTIFY adds to the first; F_NOTIFY 0 and closing the
 * fd end it; the caller becomes the fd's owner, and F_SETOWN moves the
 * signal to another process; only folders. */
#include "common.h"

#include <time.h>

/* The call's result, or -1 and its errno, read after the call. */
#define R(call) ({ errno = 0; long r_ = (call); res(r_, errno); })

static sigset_t set;

/* The signals pending now: the sentry, as Linux, signals before the call
 * that made the change returns. */
static void signals(const char *after, int fd)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig, io = 0, rt = 0, right_fd = 0;
	while ((sig = sigtimedwait(&set, &si, &zero)) > 0) {
		if (sig == SIGIO)
			io++;
		else
			rt++, right_fd += si.si_fd == fd;
	}
	say("%s: SIGIO %d, SIGRTMIN+1 %d (si_fd right %d)\n", after, io, rt, right_fd);
}

static void make(const char *path)
{
	close(open(path, O_CREAT | O_WRONLY, 0644));
}

int main(void)
{
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	make("plain");
	int pf = open("plain", O_RDONLY);
	say("on a file: %s\n", R(fcntl(pf, F_NOTIFY, DN_CREATE)));
	say("bad fd: %s\n", R(fcntl(999, F_NOTIFY, DN_CREATE)));

	mkdir("d", 0755);
	int fd = open("d", O_RDONLY | O_DIRECTORY);
	say("F_NOTIFY create, multishot: %s\n", R(fcntl(fd, F_NOTIFY, DN_CREATE | DN_MULTISHOT)));
	say("owner is the caller: %d\n", fcntl(fd, F_GETOWN) == getpid());
	make("d/a");
	signals("create", fd);
	mkdir("d/sub", 0755);
	signals("mkdir", fd);
	chmod("d/a", 0600);
	signals("chmod (not asked)", fd);
	make("elsewhere");
	signals("create elsewhere", fd);
	close(fd);

	fd = open("d", O_RDONLY | O_DIRECTORY);
	fcntl(fd, F_SETSIG, SIGRTMIN + 1);
	say("F_NOTIFY delete, once: %s\n", R(fcntl(fd, F_NOTIFY, DN_DELETE)));
	unlink("d/a");
	signals("unlink", fd);
	rmdir("d/sub");
	signals("rmdir after the one signal", fd);

	say("F_NOTIFY attrib, multishot: %s\n", R(fcntl(fd, F_NOTIFY, DN_ATTRIB | DN_MULTISHOT)));
	say("F_NOTIFY modify adds: %s\n", R(fcntl(fd, F_NOTIFY, DN_MODIFY)));
	make("d/b");
	signals("create (not asked)", fd);
	chmod("d/b", 0600);
	signals("chmod", fd);
	truncate("d/b", 5);
	signals("truncate", fd);
	unlink("d/b");
	signals("unlink (not asked)", fd);

	say("F_NOTIFY 0: %s\n", R(fcntl(fd, F_NOTIFY, 0)));
	make("d/c");
	chmod("d/c", 0644);
	signals("after F_NOTIFY 0", fd);

	say("F_NOTIFY rename: %s\n", R(fcntl(fd, F_NOTIFY, DN_RENAME | DN_MULTISHOT)));
	rename("d/c", "d/e");
	signals("rename", fd);
	rename("d/e", "moved_out");
	signals("rename out", fd);

	fcntl(fd, F_NOTIFY, DN_CREATE | DN_DELETE | DN_MULTISHOT);
	rename("moved_out", "d/back");
	signals("rename in, create and delete asked", fd);
	/* F_SETOWN after F_NOTIFY: the signal goes to the new owner */
	int go[2];
	if (pipe(go) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		char c;
		read(go[0], &c, 1);
		struct timespec t = { 2, 0 };
		siginfo_t si;
		_exit(sigtimedwait(&set, &si, &t) == SIGRTMIN + 1 && si.si_fd == fd ? 7 : 1);
	}
	say("F_SETOWN a child: %s\n", R(fcntl(fd, F_SETOWN, child)));
	write(go[1], "x", 1);
	make("d/for_child");
	int status;
	waitpid(child, &status, 0);
	say("child got the signal: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 7);
	signals("the caller, after F_SETOWN", fd);

	int dup_fd = dup(fd);
	close(fd);
	unlink("d/back");
	signals("after the fd was closed", dup_fd);
	return 0;
}
