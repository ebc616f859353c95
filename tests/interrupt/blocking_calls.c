/* Blocking calls the sentry serves on a worker (a send on a full unix
 * socket, a flock another process holds, a connect to a unix listener
 * whose backlog is full), interrupted by a timer's SIGALRM: a handler
 * without SA_RESTART makes them fail with EINTR; with SA_RESTART the call
 * is made again after the handler, which here frees what it waited for,
 * so it succeeds. So does accept, which the kernel runs for the sentry
 * (its ERESTARTSYS is the kernel's own). SIGINT's default action still
 * ends a process blocked in one, and a stop and SIGCONT leave it waiting
 * as before. */
#include "../syscalls/common.h"

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

static volatile sig_atomic_t handled;
static int unblock_fd = -1;            /* what the handler frees, if anything */
static void (*unblock)(int fd);

static void on_alarm(int sig)
{
	(void)sig;
	handled++;
	if (unblock)
		unblock(unblock_fd);
}

/* One SIGALRM in 100 ms, to a handler with or without SA_RESTART that
 * frees the call's wait with free_it (or not, when NULL). */
static void arm(int sa_flags, void (*free_it)(int), int fd)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = sa_flags };
	sigaction(SIGALRM, &sa, NULL);
	handled = 0;
	unblock = free_it;
	unblock_fd = fd;
	struct itimerval once = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &once, NULL);
}

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static const char *how(int sa_flags) { return sa_flags ? "with SA_RESTART" : "without SA_RESTART"; }

/* --- send on a full socket ----------------------------------------------- */

static void drain(int fd)
{
	char buf[65536];
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static void blocked_send(int sa_flags)
{
	int sv[2];
	if (MUST(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) < 0)
		return;
	char chunk[4096] = { 0 };
	while (send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT) > 0)
		;
	char msg[100] = "hello";
	struct iovec iov = { msg, sizeof(msg) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	arm(sa_flags, sa_flags ? drain : NULL, sv[1]);
	long r = sendmsg(sv[0], &m, 0);
	say("sendmsg on a full socket, handler %s: %s, handler ran %d time(s)\n", how(sa_flags), res(r, errno),
	    (int)handled);
	close(sv[0]);
	close(sv[1]);
}

/* --- flock another process holds ------------------------------------------ */

/* A child that takes the lock on its own open of "lock" (the first one
 * creates the file), says so on the ready pipe, and lets it go (and
 * exits) once a byte comes on release. */
static pid_t lock_holder(int *release)
{
	int ready[2], go[2];
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		return -1;
	pid_t child = fork();
	if (child == 0) {
		int fd = open("lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		char c = flock(fd, LOCK_EX) == 0 ? 'y' : 'n';
		write(ready[1], &c, 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	char c = 0;
	read(ready[0], &c, 1);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	*release = go[1];
	return c == 'y' ? child : -1;
}

static void let_go(int release)
{
	char c = 'x';
	write(release, &c, 1);
}

static void wait_for(pid_t child)
{
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
}

static void blocked_flock(int sa_flags)
{
	int release;
	pid_t holder = lock_holder(&release);
	if (holder < 0) {
		say("setup failed: the lock holder\n");
		return;
	}
	int fd = open("lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	arm(sa_flags, sa_flags ? let_go : NULL, release);
	long r = flock(fd, LOCK_EX);
	say("flock held by another process, handler %s: %s, handler ran %d time(s)\n", how(sa_flags),
	    res(r, errno), (int)handled);
	let_go(release);
	wait_for(holder);
	close(release);
	close(fd);
}

/* --- connect to a full backlog -------------------------------------------- */

static void accept_one(int listener)
{
	int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

static void blocked_connect(int sa_flags)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	strcpy(addr.sun_path, "listener");
	unlink(addr.sun_path);
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int first = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int second = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (MUST(bind(l, (struct sockaddr *)&addr, sizeof(addr))) < 0 || MUST(listen(l, 0)) < 0 ||
	    MUST(connect(first, (struct sockaddr *)&addr, sizeof(addr))) < 0)
		return;
	arm(sa_flags, sa_flags ? accept_one : NULL, l);
	long r = connect(second, (struct sockaddr *)&addr, sizeof(addr));
	say("connect to a full backlog, handler %s: %s, handler ran %d time(s)\n", how(sa_flags), res(r, errno),
	    (int)handled);
	close(first);
	close(second);
	close(l);
	unlink(addr.sun_path);
}

/* --- accept, which the kernel runs ------------------------------------------ */

static void connect_client(int client)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	strcpy(addr.sun_path, "acceptor");
	connect(client, (struct sockaddr *)&addr, sizeof(addr));
}

static void blocked_accept(int sa_flags)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	strcpy(addr.sun_path, "acceptor");
	unlink(addr.sun_path);
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int client = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (MUST(bind(l, (struct sockaddr *)&addr, sizeof(addr))) < 0 || MUST(listen(l, 1)) < 0)
		return;
	arm(sa_flags, sa_flags ? connect_client : NULL, client);
	long r = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	say("accept with no client, handler %s: %s, handler ran %d time(s)\n", how(sa_flags),
	    r >= 0 ? "a new fd" : res(r, errno), (int)handled);
	if (r >= 0)
		close((int)r);
	close(client);
	close(l);
	unlink(addr.sun_path);
}

/* --- signals with a default action ---------------------------------------- */

static pid_t waiting_locker(void)
{
	pid_t child = fork();
	if (child == 0) {
		int fd = open("lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		long r = flock(fd, LOCK_EX);
		say("  the child's flock: %s\n", res(r, errno));
		_exit(0);
	}
	pause_ms(100); /* long enough to be blocked in flock */
	return child;
}

static void interrupted_by_default_actions(void)
{
	int release;
	pid_t holder = lock_holder(&release);
	if (holder < 0) {
		say("setup failed: the lock holder\n");
		return;
	}
	int status = 0;
	pid_t child = waiting_locker();
	kill(child, SIGINT);
	waitpid(child, &status, 0);
	say("SIGINT to a process blocked in flock: %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

	child = waiting_locker();
	kill(child, SIGSTOP);
	waitpid(child, &status, WUNTRACED);
	say("SIGSTOP to a process blocked in flock: %s\n", WIFSTOPPED(status) ? "stopped" : "not stopped");
	kill(child, SIGCONT);
	pause_ms(100);
	let_go(release);
	waitpid(child, &status, 0);
	say("continued, it waits for the lock and gets it: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	wait_for(holder);
	close(release);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* a lock holder let go by a handler is gone */
	for (int restart = 0; restart <= 1; restart++) {
		int flags = restart ? SA_RESTART : 0;
		blocked_send(flags);
		blocked_flock(flags);
		blocked_connect(flags);
		blocked_accept(flags);
	}
	signal(SIGALRM, SIG_DFL);
	interrupted_by_default_actions();
	return 0;
}
