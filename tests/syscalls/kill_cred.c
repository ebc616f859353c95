/* Who may signal whom: a user may signal a process whose real or saved
 * uid is its real or effective uid, root (CAP_KILL) anyone, and anyone in
 * the session may send SIGCONT. Run as root; the users are children that
 * setuid() after fork. */
#include "common.h"

/* A child that waits for signals in a process group of its own, as uid
 * (or root for -1). It ignores SIGTERM, so that every way of sending
 * one can be tried on it. */
static pid_t waiting_child(int uid)
{
	int ready[2];
	MUST(pipe(ready));
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		setpgid(0, 0);
		signal(SIGTERM, SIG_IGN);
		if (uid >= 0 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
			_exit(99);
		close(ready[1]); /* set up: the parent may go on */
		for (;;)
			pause();
	}
	close(ready[1]);
	char byte;
	while (read(ready[0], &byte, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	return pid;
}

static void still_there(const char *label, pid_t pid)
{
	int status;
	say("  %s still running: %d\n", label, waitpid(pid, &status, WNOHANG) == 0);
}

/* A child that becomes uid (real, effective, saved), signals target in
 * every way, and exits. */
static void signal_as(const char *title, uid_t r, uid_t e, uid_t s, pid_t target)
{
	say("-- %s\n", title);
	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(r, e, s) < 0)
			_exit(99);
		T(kill(target, 0));
		T(kill(target, SIGTERM));
		T(kill(target, 99));
		T(kill(-target, SIGTERM));
		T(syscall(SYS_tgkill, target, target, SIGTERM));
		T(syscall(SYS_tkill, target, SIGTERM));
		T(sigqueue(target, SIGTERM, (union sigval){ .sival_int = 1 }));
		T(kill(target, SIGCONT));
		T(setsid() > 0);
		T(kill(target, SIGCONT));
		_exit(0);
	}
	reap("sender", pid);
}

int main(void)
{
	begin("a user signals root's process");
	pid_t root_child = waiting_child(-1);
	signal_as("uid 1000", 1000, 1000, 1000, root_child);
	still_there("root's child", root_child);
	signal_as("effective root", 1000, 0, 1000, root_child);
	still_there("root's child", root_child);
	kill(root_child, SIGKILL);
	reap("root's child", root_child);

	begin("root signals a user's process");
	pid_t user_child = waiting_child(1000);
	T(kill(user_child, 0));
	T(kill(user_child, SIGUSR1));
	reap("user's child", user_child);

	begin("users signal a user's process");
	user_child = waiting_child(1000);
	signal_as("uid 1001", 1001, 1001, 1001, user_child);
	still_there("user's child", user_child);
	signal_as("uid 1001 saved 1000", 1001, 1001, 1000, user_child);
	still_there("user's child", user_child);
	signal_as("real 1000, effective 1001", 1000, 1001, 1001, user_child);
	still_there("user's child", user_child);
	kill(user_child, SIGKILL);
	reap("user's child", user_child);
	return 0;
}
