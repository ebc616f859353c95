/* Leases (F_SETLEASE, F_GETLEASE) on the sandbox's files, as Linux grants
 * them, and their break by another process's open: the holder gets SIGIO
 * (or the F_SETSIG signal) and an O_NONBLOCK opener EWOULDBLOCK until the
 * holder gives way. */
#include "common.h"

#define L(x) ((x) == F_RDLCK ? "F_RDLCK" : (x) == F_WRLCK ? "F_WRLCK" : (x) == F_UNLCK ? "F_UNLCK" : "?")

static void get(const char *label, int fd)
{
	errno = 0;
	int r = fcntl(fd, F_GETLEASE);
	say("  F_GETLEASE %s = %s\n", label, r < 0 ? res(r, errno) : L(r));
}

/* Waits up to 5 s for one of the blocked signals; prints its name. */
static void await_signal(const char *label)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGUSR1);
	struct timespec five = { 5, 0 };
	int sig = sigtimedwait(&set, NULL, &five);
	say("  %s: %s\n", label, sig == SIGIO ? "SIGIO" : sig == SIGUSR1 ? "SIGUSR1" : "nothing");
}

/* A child takes a lease of `type` on f (opened with `mode`), says so on
 * `ready` and then does what `step` says for each byte of `cmd`. */
static pid_t holder(int type, int mode, int sig, int *cmd, int *ready)
{
	int c[2], r[2];
	MUST(pipe2(c, O_CLOEXEC));
	MUST(pipe2(r, O_CLOEXEC));
	pid_t pid = fork();
	if (pid == 0) {
		close(c[1]);
		close(r[0]);
		int fd = open("f", mode);
		if (sig)
			fcntl(fd, F_SETSIG, sig);
		int got = fcntl(fd, F_SETLEASE, type);
		say("  holder: F_SETLEASE %s = %s\n", L(type), res(got, errno));
		write(r[1], "r", 1);
		char op;
		while (read(c[0], &op, 1) == 1) {
			switch (op) {
			case 's': await_signal("holder got"); break;
			case 'g': get("holder", fd); break;
			case 'u': say("  holder: F_UNLCK = %s\n", res(fcntl(fd, F_SETLEASE, F_UNLCK), errno)); break;
			case 'd': say("  holder: F_RDLCK = %s\n", res(fcntl(fd, F_SETLEASE, F_RDLCK), errno)); break;
			case 'c': close(fd); break;
			}
			write(r[1], "r", 1);
		}
		_exit(0);
	}
	close(c[0]);
	close(r[1]);
	char b;
	read(r[0], &b, 1);
	*cmd = c[1];
	*ready = r[0];
	return pid;
}

static void tell(int cmd, int ready, char op)
{
	char b;
	write(cmd, &op, 1);
	read(ready, &b, 1);
}

static void done(pid_t pid, int cmd, int ready)
{
	close(cmd);
	close(ready);
	int status;
	waitpid(pid, &status, 0);
}

int main(void)
{
	begin("leases");
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL); /* children inherit it: sigtimedwait */
	put("f", "contents");

	say("one process:\n");
	int r = T(open("f", O_RDONLY | O_CLOEXEC));
	get("none", r);
	T(fcntl(r, F_SETLEASE, F_UNLCK));
	T(fcntl(r, F_SETLEASE, F_RDLCK));
	get("read", r);
	T(fcntl(r, F_SETLEASE, F_WRLCK));
	get("upgraded", r);
	int d = T(dup(r));
	get("through a dup", d);
	T(fcntl(r, F_SETLEASE, F_UNLCK));
	get("released", r);
	T(fcntl(r, F_SETLEASE, 99));
	int r2 = T(open("f", O_RDONLY | O_CLOEXEC));
	T(fcntl(r, F_SETLEASE, F_WRLCK));
	T(fcntl(r, F_SETLEASE, F_RDLCK));
	T(fcntl(r2, F_SETLEASE, F_RDLCK));
	get("second", r2);
	T(fcntl(r, F_SETLEASE, F_UNLCK));
	T(fcntl(r2, F_SETLEASE, F_UNLCK));
	close(r2);
	int w = T(open("f", O_RDWR | O_CLOEXEC));
	T(fcntl(w, F_SETLEASE, F_RDLCK));
	T(fcntl(r, F_SETLEASE, F_RDLCK));
	T(fcntl(w, F_SETLEASE, F_WRLCK));
	close(r);
	close(d);
	T(fcntl(w, F_SETLEASE, F_WRLCK));
	get("write", w);
	T(fcntl(w, F_SETLEASE, F_RDLCK));
	T(fcntl(w, F_SETLEASE, F_UNLCK));
	close(w);
	int dir = T(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	T(fcntl(dir, F_SETLEASE, F_RDLCK));
	close(dir);
	int p[2];
	MUST(pipe(p));
	T(fcntl(p[0], F_SETLEASE, F_RDLCK));

	say("a read lease broken by a writer:\n");
	int cmd, ready;
	pid_t pid = holder(F_RDLCK, O_RDONLY, 0, &cmd, &ready);
	TO(open("f", O_RDONLY | O_NONBLOCK));
	TO(open("f", O_WRONLY | O_NONBLOCK));
	tell(cmd, ready, 's');
	tell(cmd, ready, 'g');
	TO(open("f", O_RDWR | O_NONBLOCK));
	tell(cmd, ready, 'u');
	TO(open("f", O_WRONLY | O_NONBLOCK));
	done(pid, cmd, ready);

	say("a write lease broken by a reader, with F_SETSIG:\n");
	pid = holder(F_WRLCK, O_RDONLY, SIGUSR1, &cmd, &ready);
	TO(open("f", O_RDONLY | O_NONBLOCK));
	tell(cmd, ready, 's');
	tell(cmd, ready, 'g');
	tell(cmd, ready, 'd');
	tell(cmd, ready, 'g');
	TO(open("f", O_RDONLY | O_NONBLOCK));
	done(pid, cmd, ready);

	say("the holder closes its fd:\n");
	pid = holder(F_RDLCK, O_RDONLY, 0, &cmd, &ready);
	tell(cmd, ready, 'c');
	TO(open("f", O_WRONLY | O_NONBLOCK));
	done(pid, cmd, ready);
	return 0;
}
