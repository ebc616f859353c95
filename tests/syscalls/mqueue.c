/* POSIX message queues: names, attributes, priorities, errors, blocking
 * on the other side, descriptors across dup, fork and exec, read and poll
 * on the descriptor, unlink while open, permissions, and mq_notify. Queue
 * names carry the pid, so that native runs at the same time never meet. */
#include "common.h"

#include <mqueue.h>
#include <poll.h>
#include <sys/resource.h>
#include <time.h>

static char names[8][64];

/* Named after the first process, so that its children name the same. */
static const char *qname(int i) { return names[i]; }

static void show_attr(const char *label, mqd_t q)
{
	struct mq_attr a;
	if (mq_getattr(q, &a) < 0) {
		say("%s: getattr %s\n", label, res(-1, errno));
		return;
	}
	say("%s: flags %s maxmsg %ld msgsize %ld curmsgs %ld\n", label, a.mq_flags & O_NONBLOCK ? "O_NONBLOCK" : "0",
	    a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
}

static void receive_show(mqd_t q)
{
	char buf[8192];
	unsigned prio = 99;
	errno = 0;
	ssize_t n = mq_receive(q, buf, sizeof(buf), &prio);
	if (n < 0)
		say("  receive: %s\n", res(-1, errno));
	else
		say("  receive: %zd \"%.*s\" prio %u\n", n, (int)n, buf, prio);
}

static struct timespec in_ms(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000L;
	t.tv_sec += t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	return t;
}

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static void names_and_open(void)
{
	say("-- names and open\n");
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	T(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL));
	T(syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, NULL));
	T(syscall(SYS_mq_open, ".", O_RDWR | O_CREAT, 0600, NULL));
	T(syscall(SYS_mq_open, longname, O_RDWR | O_CREAT, 0600, NULL));
	T(mq_open("no-slash", O_RDWR | O_CREAT, 0600, NULL));
	TL("open missing", mq_open(qname(0), O_RDWR));
	TL("unlink missing", mq_unlink(qname(0)));

	mqd_t q = mq_open(qname(0), O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	say("create: %s\n", q >= 0 ? "ok" : res(-1, errno));
	show_attr("defaults", q);
	say("FD_CLOEXEC: %d\n", fcntl(q, F_GETFD) & FD_CLOEXEC);
	TL("create again O_EXCL", mq_open(qname(0), O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
	TL("open O_RDWR|O_WRONLY", mq_open(qname(0), O_RDWR | O_WRONLY));
	mqd_t again = mq_open(qname(0), O_RDONLY | O_CREAT, 0600, NULL);
	say("open existing with O_CREAT: %s\n", again >= 0 ? "ok" : res(-1, errno));
	show_attr("existing", again);
	mq_close(again);

	struct mq_attr bad = { .mq_maxmsg = 0, .mq_msgsize = 16 };
	TL("maxmsg 0", mq_open(qname(1), O_RDWR | O_CREAT, 0600, &bad));
	bad = (struct mq_attr){ .mq_maxmsg = 4, .mq_msgsize = -1 };
	TL("msgsize -1", mq_open(qname(1), O_RDWR | O_CREAT, 0600, &bad));
	struct mq_attr small = { .mq_maxmsg = 3, .mq_msgsize = 16, .mq_flags = O_NONBLOCK };
	mqd_t s = mq_open(qname(1), O_RDWR | O_CREAT, 0600, &small);
	show_attr("maxmsg 3 msgsize 16 (mq_flags ignored)", s);
	mq_close(s);
	T(mq_unlink(qname(1)));
	T(mq_close(q));
	T(mq_unlink(qname(0)));
	TL("unlink again", mq_unlink(qname(0)));
}

static void send_and_receive(void)
{
	say("-- send and receive\n");
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	mqd_t q = mq_open(qname(0), O_RDWR | O_CREAT, 0600, &a);
	T(mq_send(q, "a1", 2, 1));
	T(mq_send(q, "b5", 2, 5));
	T(mq_send(q, "c1", 2, 1));
	T(mq_send(q, "d5", 2, 5));
	show_attr("four sent", q);
	struct pollfd p = { .fd = q, .events = POLLIN };
	int ready = poll(&p, 1, 0);
	say("poll with messages: %d POLLIN %d\n", ready, !!(p.revents & POLLIN));
	char line[256] = { 0 };
	ssize_t n = read(q, line, sizeof(line) - 1);
	say("read: %zd \"%s\"\n", n, n > 0 ? line : "");
	char buf[64];
	TL("receive into 15 bytes", mq_receive(q, buf, 15, NULL));
	for (int i = 0; i < 4; i++)
		receive_show(q);
	p.revents = 0;
	say("poll empty: %d\n", poll(&p, 1, 0));
	T(mq_send(q, "", 0, 0));
	receive_show(q);
	TL("send 17 bytes", mq_send(q, "0123456789abcdef!", 17, 0));
	TL("send prio 32768", mq_send(q, "p", 1, 32768));
	T(mq_send(q, "top", 3, 32767));
	receive_show(q);

	say("-- non-blocking and timeouts\n");
	struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
	T(mq_setattr(q, &nb, &old));
	say("old flags %ld\n", old.mq_flags);
	show_attr("after setattr", q);
	say("F_GETFL O_NONBLOCK: %d\n", !!(fcntl(q, F_GETFL) & O_NONBLOCK));
	TL("receive empty, O_NONBLOCK", mq_receive(q, buf, sizeof(buf), NULL));
	for (int i = 0; i < 4; i++)
		mq_send(q, "f", 1, 0);
	TL("send full, O_NONBLOCK", mq_send(q, "g", 1, 0));
	struct mq_attr bad = { .mq_flags = O_NONBLOCK | O_APPEND };
	TL("setattr O_APPEND", mq_setattr(q, &bad, NULL));
	struct mq_attr block = { .mq_flags = 0 };
	T(mq_setattr(q, &block, NULL));
	struct timespec t = in_ms(50);
	TL("timedsend full, 50 ms", mq_timedsend(q, "g", 1, 0, &t));
	struct timespec past = { 1, 0 };
	TL("timedsend full, deadline past", mq_timedsend(q, "g", 1, 0, &past));
	struct timespec invalid = { 0, 2000000000L };
	TL("timedsend full, invalid timespec", mq_timedsend(q, "g", 1, 0, &invalid));
	TL("timedreceive with messages, invalid timespec", mq_timedreceive(q, buf, sizeof(buf), NULL, &invalid));
	for (int i = 0; i < 4; i++)
		mq_receive(q, buf, sizeof(buf), NULL);
	t = in_ms(50);
	TL("timedreceive empty, 50 ms", mq_timedreceive(q, buf, sizeof(buf), NULL, &t));
	TL("timedreceive empty, deadline past", mq_timedreceive(q, buf, sizeof(buf), NULL, &past));
	mq_close(q);

	say("-- access modes and bad descriptors\n");
	mqd_t r = mq_open(qname(0), O_RDONLY);
	mqd_t w = mq_open(qname(0), O_WRONLY);
	TL("send on O_RDONLY", mq_send(r, "x", 1, 0));
	TL("receive on O_WRONLY", mq_receive(w, buf, sizeof(buf), NULL));
	int fds[2];
	MUST(pipe(fds));
	TL("send on a pipe", mq_send(fds[1], "x", 1, 0));
	TL("getattr on a pipe", mq_getattr(fds[0], &old));
	TL("send on a closed fd", mq_send(999, "x", 1, 0));
	close(fds[0]);
	close(fds[1]);
	T(mq_send(w, "rw", 2, 3));
	receive_show(r);
	mq_close(r);
	mq_close(w);
	T(mq_unlink(qname(0)));
}

static void blocking(void)
{
	say("-- blocking until the other side acts\n");
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	mqd_t q = mq_open(qname(2), O_RDWR | O_CREAT, 0600, &a);
	pid_t child = fork();
	if (child == 0) {
		pause_ms(100);
		mq_send(q, "late", 4, 7);
		pause_ms(100);
		char buf[16];
		ssize_t n = mq_receive(q, buf, sizeof(buf), NULL);
		say("  child received %zd \"%.*s\"\n", n, n > 0 ? (int)n : 0, buf);
		_exit(0);
	}
	receive_show(q); /* waits for the child's send */
	T(mq_send(q, "one", 3, 0));
	int sent = mq_send(q, "two", 3, 0); /* waits for the child's receive */
	waitpid(child, NULL, 0);
	say("send \"two\" into the full queue: %d\n", sent);
	show_attr("after", q);
	receive_show(q);

	say("-- several receivers waiting\n");
	pid_t kids[3];
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			char buf[16];
			ssize_t n = mq_receive(q, buf, sizeof(buf), NULL);
			_exit(n == 2 && buf[0] == 'm' ? 0 : 1);
		}
	}
	pause_ms(100);
	for (int i = 0; i < 3; i++)
		mq_send(q, "m!", 2, 0);
	int served = 0;
	for (int i = 0; i < 3; i++) {
		int st;
		waitpid(kids[i], &st, 0);
		served += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	say("receivers served: %d\n", served);
	show_attr("after", q);
	mq_close(q);
	mq_unlink(qname(2));
}

static void descriptors(const char *self)
{
	say("-- dup, fork, exec, unlink while open\n");
	mqd_t q = mq_open(qname(3), O_RDWR | O_CREAT, 0600, NULL);
	int d = dup(q);
	T(mq_send(d, "via dup", 7, 0));
	struct mq_attr nb = { .mq_flags = O_NONBLOCK };
	mq_setattr(d, &nb, NULL);
	show_attr("the original after setattr on the dup", q);
	close(d);
	pid_t child = fork();
	if (child == 0) {
		receive_show(q);
		mq_send(q, "from child", 10, 2);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	receive_show(q);
	T(mq_unlink(qname(3)));
	TL("open after unlink", mq_open(qname(3), O_RDWR));
	T(mq_send(q, "still there", 11, 0));
	receive_show(q);
	/* a new queue of the same name is another queue */
	mqd_t fresh = mq_open(qname(3), O_RDWR | O_CREAT | O_NONBLOCK, 0600, NULL);
	T(mq_send(q, "old", 3, 0));
	receive_show(fresh);
	receive_show(q);
	mq_close(fresh);
	mq_unlink(qname(3));
	/* exec closes it */
	char fdtext[16];
	snprintf(fdtext, sizeof(fdtext), "%d", q);
	child = fork();
	if (child == 0) {
		execl(self, self, "after-exec", fdtext, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(child, &st, 0);
	say("exec child: %d\n", WEXITSTATUS(st));
	mq_close(q);
}

static void permissions(void)
{
	say("-- permissions\n");
	mode_t old = umask(0);
	mqd_t a = mq_open(qname(4), O_RDWR | O_CREAT, 0600, NULL);
	mqd_t b = mq_open(qname(5), O_RDWR | O_CREAT, 0644, NULL);
	umask(old);
	pid_t child = fork();
	if (child == 0) {
		if (setgid(1000) < 0 || setuid(1000) < 0)
			_exit(2);
		TL("  uid 1000 opens 0600 O_RDONLY", mq_open(qname(4), O_RDONLY));
		TO(mq_open(qname(5), O_RDONLY) >= 0 ? 0 : -1);
		TL("  uid 1000 opens 0644 O_WRONLY", mq_open(qname(5), O_WRONLY));
		TL("  uid 1000 unlinks root's 0644", mq_unlink(qname(5)));
		struct mq_attr big = { .mq_maxmsg = 11, .mq_msgsize = 16 };
		TL("  uid 1000 maxmsg 11", mq_open(qname(6), O_RDWR | O_CREAT, 0600, &big));
		big = (struct mq_attr){ .mq_maxmsg = 10, .mq_msgsize = 8193 };
		TL("  uid 1000 msgsize 8193", mq_open(qname(6), O_RDWR | O_CREAT, 0600, &big));
		big = (struct mq_attr){ .mq_maxmsg = 10, .mq_msgsize = 8192 };
		mqd_t own = mq_open(qname(6), O_RDWR | O_CREAT, 0600, &big);
		say("  uid 1000 creates at the limits: %s\n", own >= 0 ? "ok" : res(-1, errno));
		_exit(0);
	}
	waitpid(child, NULL, 0);
	TL("root unlinks uid 1000's", mq_unlink(qname(6)));

	/* RLIMIT_MSGQUEUE counts each user's queues: a uid of this run's own,
	 * so that runs at the same time never share its count */
	child = fork();
	if (child == 0) {
		struct rlimit lim = { 200000, 200000 };
		uid_t uid = 20000 + (uid_t)(getpid() % 10000);
		if (setrlimit(RLIMIT_MSGQUEUE, &lim) < 0 || setgid(uid) < 0 || setuid(uid) < 0)
			_exit(2);
		char name[80];
		int made = 0;
		for (int i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "%s-limit-%d", qname(6), i);
			mqd_t q = mq_open(name, O_RDWR | O_CREAT, 0600, NULL);
			if (q < 0) {
				say("  queue %d of 10 x 8192 bytes under RLIMIT_MSGQUEUE 200000: %s\n", i, errname(errno));
				break;
			}
			made++;
		}
		struct mq_attr small = { .mq_maxmsg = 1, .mq_msgsize = 1000 };
		snprintf(name, sizeof(name), "%s-limit-small", qname(6));
		say("  a small one still: %s\n", mq_open(name, O_RDWR | O_CREAT, 0600, &small) >= 0 ? "ok" : errname(errno));
		mq_unlink(name);
		for (int i = 0; i < made; i++) {
			snprintf(name, sizeof(name), "%s-limit-%d", qname(6), i);
			mq_unlink(name);
		}
		_exit(0);
	}
	waitpid(child, NULL, 0);
	mq_close(a);
	mq_close(b);
	mq_unlink(qname(4));
	mq_unlink(qname(5));
}

static volatile sig_atomic_t got_signo, got_code, got_value, got_pid;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	got_signo = sig;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
	got_pid = si->si_pid;
}

/* The first read of a description gives the line (later ones are at its
 * end): read from a new one, in a child, since a close by the process
 * registered for the notification would end its registration on Linux.
 * Only while the queue holds a message: the sandbox's descriptor of an
 * empty queue has nothing to read. */
static void show_line(const char *name)
{
	pid_t reader = fork();
	if (reader > 0) {
		waitpid(reader, NULL, 0);
		return;
	}
	char line[256] = { 0 };
	mqd_t q = mq_open(name, O_RDONLY);
	ssize_t n = read(q, line, sizeof(line) - 1);
	char *pid = strstr(line, "NOTIFY_PID:");
	if (pid) {
		int who = atoi(pid + 11);
		snprintf(pid, 64, "NOTIFY_PID:%s\n", who == 0 ? "0" : who == getppid() ? "registered process" : "other");
	}
	say("  read %s: %s", n > 0 ? "ok" : res(n, errno), n > 0 ? line : "\n");
	_exit(0);
}

static void notifications(void)
{
	say("-- mq_notify\n");
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	mqd_t q = mq_open(qname(7), O_RDWR | O_CREAT, 0600, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	ev.sigev_value.sival_int = 42;
	T(mq_notify(q, &ev));
	T(mq_send(q, "x", 1, 0));
	show_line(qname(7));
	say("signal %d code SI_MESGQ %d value %d from sender %d\n", got_signo, got_code == SI_MESGQ, got_value,
	    got_pid == getpid());
	T(mq_send(q, "x2", 2, 0));
	TL("register while not empty", mq_notify(q, &ev));
	show_line(qname(7));
	pid_t child = fork();
	if (child == 0) {
		TL("  child registers", mq_notify(q, &ev));
		_exit(0);
	}
	waitpid(child, NULL, 0);
	T(mq_notify(q, NULL));
	char buf[8192];
	show_line(qname(7));
	got_signo = 0;
	T(mq_send(q, "y", 1, 0)); /* not empty before: nobody notified */
	say("signal %d\n", got_signo);
	for (int i = 0; i < 3; i++)
		mq_receive(q, buf, sizeof(buf), NULL);

	say("a child's send:\n");
	got_signo = 0;
	T(mq_notify(q, &ev));
	child = fork();
	if (child == 0) {
		mq_send(q, "z", 1, 0);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	for (int i = 0; i < 100 && !got_signo; i++)
		pause_ms(10);
	say("signal %d code SI_MESGQ %d value %d from sender %d\n", got_signo, got_code == SI_MESGQ, got_value,
	    got_pid == child);
	mq_receive(q, buf, sizeof(buf), NULL);

	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	T(mq_notify(q, &none));
	got_signo = 0;
	mq_send(q, "w", 1, 0);
	show_line(qname(7)); /* used by the message */
	say("signal %d\n", got_signo);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_send(q, "v", 1, 0);
	T(mq_notify(q, &none));
	show_line(qname(7));
	mq_receive(q, buf, sizeof(buf), NULL);
	struct sigevent bad = { .sigev_notify = 7 };
	TL("sigev_notify 7", mq_notify(q, &bad));
	bad = (struct sigevent){ .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 65 };
	TL("signal 65", mq_notify(q, &bad));
	mq_close(q);
	mq_unlink(qname(7));
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "after-exec") == 0) {
		struct mq_attr a;
		TL("  after exec, getattr on the descriptor", mq_getattr(atoi(argv[2]), &a));
		return 0;
	}
	for (int i = 0; i < 8; i++)
		snprintf(names[i], sizeof(names[i]), "/sc-mq-%d-%d", (int)getpid(), i);
	names_and_open();
	send_and_receive();
	blocking();
	descriptors(argv[0]);
	permissions();
	notifications();
	return 0;
}
