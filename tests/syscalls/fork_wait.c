/* fork and the wait family: exit statuses, signals, WNOHANG, ECHILD. */
#include "common.h"

int main(void)
{
	begin("fork and wait");
	static const int codes[] = { 0, 1, 42, 255, 256 + 3 };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(codes[i]);
		char label[32];
		snprintf(label, sizeof(label), "_exit(%d)", codes[i]);
		reap(label, pid);
	}
	static const int sigs[] = { SIGTERM, SIGKILL, SIGINT, SIGUSR1 };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = fork();
		if (pid == 0) {
			raise(sigs[i]);
			_exit(99);
		}
		char label[32];
		snprintf(label, sizeof(label), "raise(%s)", sigabbrev_np(sigs[i]));
		reap(label, pid);
	}
	/* Killed by the parent while blocked. */
	int p[2];
	MUST(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(2);
	}
	T(kill(pid, SIGKILL));
	reap("killed", pid);
	close(p[0]);
	close(p[1]);
	/* WNOHANG with a running child, then the real wait. */
	MUST(pipe(p));
	pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 9 : 8);
	}
	int status;
	T(waitpid(pid, &status, WNOHANG));
	close(p[1]);
	close(p[0]);
	reap("after WNOHANG", pid);
	/* No children left. */
	T(wait(&status));
	T(waitpid(-1, &status, WNOHANG));
	T(waitpid(1, &status, 0));
	T(waitpid(pid, &status, 0x40000));
	/* waitid. */
	pid = fork();
	if (pid == 0)
		_exit(17);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	T(waitid(P_PID, (id_t)pid, &si, WEXITED));
	say("  si_code %s si_status %d same pid %s\n", si.si_code == CLD_EXITED ? "CLD_EXITED" : "?",
	    si.si_status, si.si_pid == pid ? "yes" : "no");
	T(waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
	T(waitid(P_ALL, 0, &si, 0));
	/* Several children reaped in any order: count the statuses. */
	for (int i = 0; i < 5; i++)
		if (fork() == 0)
			_exit(10 + i);
	int sum = 0, n = 0;
	while (wait(&status) > 0) {
		sum += WEXITSTATUS(status);
		n++;
	}
	say("  reaped %d children, statuses sum to %d\n", n, sum);
	/* A grandchild is reparented, not ours to wait for. */
	pid = fork();
	if (pid == 0) {
		if (fork() == 0)
			_exit(0);
		_exit(5);
	}
	reap("middle", pid);
	T(wait(&status));
	/* getppid in a child names the parent. */
	pid_t me = getpid();
	pid = fork();
	if (pid == 0)
		_exit(getppid() == me ? 0 : 1);
	reap("child sees parent pid", pid);
	return 0;
}
