/* A receive from an empty POSIX message queue and a send to a full one,
 * interrupted by a timer's SIGALRM: without SA_RESTART they fail with
 * EINTR and leave the queue as it was; with SA_RESTART the call is made
 * again after the handler, which here sends (or receives) on another
 * descriptor of the queue, so it succeeds. SIGINT's default action still
 * ends a process blocked in one. */
#include "../syscalls/common.h"

#include <mqueue.h>
#include <stdbool.h>
#include <sys/time.h>
#include <time.h>

static char name[64];
static volatile sig_atomic_t handled;
static mqd_t other = -1;
static void (*unblock)(void);

static void send_one(void) { mq_send(other, "from handler", 12, 3); }
static void receive_one(void)
{
	char buf[64];
	mq_receive(other, buf, sizeof(buf), NULL);
}

static void on_alarm(int sig)
{
	(void)sig;
	handled++;
	if (unblock)
		unblock();
}

static void arm(int sa_flags, void (*free_it)(void))
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = sa_flags };
	sigaction(SIGALRM, &sa, NULL);
	handled = 0;
	unblock = free_it;
	struct itimerval once = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &once, NULL);
}

static const char *how(int sa_flags) { return sa_flags ? "with SA_RESTART" : "without SA_RESTART"; }

static long curmsgs(mqd_t q)
{
	struct mq_attr a;
	return mq_getattr(q, &a) == 0 ? a.mq_curmsgs : -1;
}

static void blocked_receive(int sa_flags, bool timed)
{
	mqd_t q = mq_open(name, O_RDWR);
	arm(sa_flags, sa_flags ? send_one : NULL);
	char buf[64] = { 0 };
	unsigned prio = 0;
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 5;
	errno = 0;
	long r = timed ? mq_timedreceive(q, buf, sizeof(buf), &prio, &t) : mq_receive(q, buf, sizeof(buf), &prio);
	say("%s from an empty queue, handler %s: %s \"%s\" prio %u, handler ran %d time(s), %ld left\n",
	    timed ? "mq_timedreceive" : "mq_receive", how(sa_flags), res(r, errno), buf, prio, (int)handled,
	    curmsgs(q));
	mq_close(q);
}

static void blocked_send(int sa_flags)
{
	mqd_t q = mq_open(name, O_RDWR);
	mq_send(q, "filler", 6, 0); /* the queue holds one */
	arm(sa_flags, sa_flags ? receive_one : NULL);
	errno = 0;
	long r = mq_send(q, "blocked", 7, 1);
	say("mq_send to a full queue, handler %s: %s, handler ran %d time(s), %ld held\n", how(sa_flags),
	    res(r, errno), (int)handled, curmsgs(q));
	char buf[64] = { 0 };
	while (curmsgs(q) > 0) {
		memset(buf, 0, sizeof(buf));
		mq_receive(q, buf, sizeof(buf), NULL);
		say("  then: \"%s\"\n", buf);
	}
	mq_close(q);
}

static void killed_while_blocked(void)
{
	pid_t child = fork();
	if (child == 0) {
		mqd_t q = mq_open(name, O_RDONLY);
		char buf[64];
		mq_receive(q, buf, sizeof(buf), NULL);
		_exit(0);
	}
	struct timespec t = { 0, 100000000 };
	nanosleep(&t, NULL);
	kill(child, SIGINT);
	int status;
	waitpid(child, &status, 0);
	say("SIGINT to a process blocked in mq_receive: %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	/* nobody waits any more: a message sent now stays in the queue */
	mqd_t q = mq_open(name, O_RDWR);
	mq_send(q, "after", 5, 0);
	say("a message sent afterwards is held: %ld\n", curmsgs(q));
	char buf[64];
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_close(q);
}

int main(void)
{
	snprintf(name, sizeof(name), "/intr-mq-%d", (int)getpid());
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 64 };
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (q < 0) {
		say("setup failed: mq_open %s\n", errname(errno));
		return 1;
	}
	other = mq_open(name, O_RDWR | O_NONBLOCK);
	blocked_receive(0, false);
	blocked_receive(SA_RESTART, false);
	blocked_receive(0, true);
	blocked_receive(SA_RESTART, true);
	blocked_send(0);
	blocked_send(SA_RESTART);
	killed_while_blocked();
	mq_close(q);
	mq_close(other);
	mq_unlink(name);
	return 0;
}
