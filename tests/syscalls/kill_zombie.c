/* Signals to one's own exited, not yet reaped child succeed until it is
 * reaped (multiprocessing.Pool terminates workers that may have exited);
 * then ESRCH. Signals to a live child still reach it. */
#include "common.h"

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }

static pid_t exited_child(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	/* a zombie now, left unreaped */
	siginfo_t si;
	MUST(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT));
	return pid;
}

int main(void)
{
	begin("kill of an exited child before and after it is reaped");
	pid_t pid = exited_child();
	T(kill(pid, 0));
	T(kill(pid, SIGTERM));
	T(kill(pid, SIGKILL));
	T(kill(pid, 65));
	T(sigqueue(pid, SIGUSR1, (union sigval){ .sival_int = 1 }));
	siginfo_t info = { .si_signo = SIGUSR1, .si_code = SI_USER };
	T(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &info));
	reap("exited child", pid);
	T(kill(pid, 0));
	T(kill(pid, SIGTERM));
	T(sigqueue(pid, SIGUSR1, (union sigval){ .sival_int = 1 }));

	begin("a signal to a live child reaches it");
	signal(SIGUSR1, on_usr1);
	sigset_t usr1, none;
	sigemptyset(&usr1);
	sigemptyset(&none);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	int p[2];
	MUST(pipe(p));
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		while (!got_usr1)
			sigsuspend(&none);
		_exit(write(p[1], "u", 1) == 1 ? 3 : 4);
	}
	close(p[1]);
	T(kill(pid, SIGUSR1));
	char c = 0;
	T(read(p[0], &c, 1));
	say("child wrote %c\n", c);
	reap("signalled child", pid);
	close(p[0]);

	begin("a pidfd of a live child");
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	say("pidfd_open = %s\n", pidfd >= 0 ? "a pidfd" : res(-1, errno));
	T(syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0));
	reap("killed through the pidfd", pid);
	close(pidfd);
	return 0;
}
