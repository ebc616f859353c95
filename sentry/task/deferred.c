#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "deferred.h"
#include "filter.h"
#include "platform.h"
#include "seccomp_compat.h"

struct deferred {
	struct deferred *next;
	uint64_t seq;
	pid_t tid;
	uint64_t notif_id;       /* user-notify: the request to answer */
	long nr;
	struct arch_regs *regs;  /* ptrace: the stop the task waits in */
	bool done;
	long result;
	deferred_work_fn work;
	void *arg;
};

/* What a worker writes when it is done: small enough to be atomic. */
struct completion {
	uint64_t seq;
	long result;
};

static struct deferred *pending;
static unsigned npending;
static uint64_t last_seq;
static int pipe_fds[2] = { -1, -1 };

int deferred_fd(void) { return pipe_fds[0]; }
unsigned deferred_pending(void) { return npending; }

static void *run_work(void *arg)
{
	struct deferred *d = arg; /* only seq, work and arg are read here */
	struct completion c = { .seq = d->seq };
	c.result = d->work(d->arg);
	ssize_t n;
	do
		n = write(pipe_fds[1], &c, sizeof(c));
	while (n < 0 && errno == EINTR);
	return NULL;
}

int deferred_start(struct task *task, struct syscall_call *call, deferred_work_fn work, void *arg)
{
	/* the loop reads without blocking; a worker's write may wait */
	if (pipe_fds[0] < 0 && (pipe2(pipe_fds, O_CLOEXEC) < 0 || fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK) < 0))
		return -errno;
	struct deferred *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->seq = ++last_seq;
	d->tid = task->tid;
	d->notif_id = task->notif_id;
	d->nr = call->nr;
	d->work = work;
	d->arg = arg;

	/* signals stay with the loop's thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_t thread;
	int err = pthread_create(&thread, &attr, run_work, d);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		free(d);
		return -err;
	}
	d->next = pending;
	pending = d;
	npending++;
	task->deferred_seq = d->seq;
	call->action = CALL_DEFERRED;
	return 0;
}

struct connect_work {
	int fd;
	struct sockaddr_storage addr;
	socklen_t len;
	struct deferred_caller caller;
};

/* Breaks a worker's blocking connect (EINTR), to look at its caller. */
#define WAKE_SIGNAL (SIGRTMIN + 5)
#define WAKE_EVERY_NS 20000000L

static void on_wake(int sig) { (void)sig; }

static void install_on_wake(void)
{
	struct sigaction sa = { .sa_handler = on_wake }; /* no SA_RESTART */
	sigaction(WAKE_SIGNAL, &sa, NULL);
}

/* A timer of the calling thread's own, raising WAKE_SIGNAL there every
 * WAKE_EVERY_NS; the signal is unblocked on this thread only. */
static int start_wake_timer(timer_t *timer)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install_on_wake);
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = WAKE_SIGNAL };
	ev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &ev, timer) < 0)
		return -errno;
	struct itimerspec every = { { 0, WAKE_EVERY_NS }, { 0, WAKE_EVERY_NS } };
	sigset_t wake;
	sigemptyset(&wake);
	sigaddset(&wake, WAKE_SIGNAL);
	if (timer_settime(*timer, 0, &every, NULL) < 0 || pthread_sigmask(SIG_UNBLOCK, &wake, NULL) != 0) {
		timer_delete(*timer);
		return -EAGAIN;
	}
	return 0;
}

/* A connect cannot be polled without making the socket, which is the
 * workload's too, non-blocking: it is broken every WAKE_EVERY_NS to see
 * whether the caller still waits, then made again, which goes on with
 * the same attempt (a TCP handshake under way) or starts it anew (a unix
 * listener's backlog still full). */
static long connect_blocking(void *arg)
{
	struct connect_work *w = arg;
	timer_t timer;
	bool woken = start_wake_timer(&timer) == 0;
	long r;
	do
		r = connect(w->fd, (struct sockaddr *)&w->addr, w->len) < 0 ? -errno : 0;
	while (r == -EINTR && !deferred_caller_gone(&w->caller));
	if (woken) {
		sigset_t wake;
		sigemptyset(&wake);
		sigaddset(&wake, WAKE_SIGNAL);
		pthread_sigmask(SIG_BLOCK, &wake, NULL);
		timer_delete(timer);
	}
	close(w->fd);
	free(w);
	return r;
}

int deferred_connect(struct task *task, struct syscall_call *call, int fd, const struct sockaddr *addr,
		     socklen_t len)
{
	if (len > sizeof(struct sockaddr_storage))
		return -EINVAL;
	struct connect_work *w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct connect_work){ .fd = fd, .len = len, .caller = deferred_caller_of(task) };
	memcpy(&w->addr, addr, len);
	int r = deferred_start(task, call, connect_blocking, w);
	if (r < 0)
		free(w);
	return r;
}

static struct deferred *find(uint64_t seq)
{
	for (struct deferred *d = pending; d; d = d->next)
		if (d->seq == seq)
			return d;
	return NULL;
}

void deferred_keep_regs(struct task *task, struct arch_regs *regs)
{
	struct deferred *d = find(task->deferred_seq);
	if (d)
		d->regs = regs;
	else
		arch_regs_free(regs);
}

static void forget(struct deferred *d)
{
	for (struct deferred **pp = &pending; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	npending--;
	arch_regs_free(d->regs);
	free(d);
}

static void answer(struct sandbox *sb, struct deferred *d)
{
	struct task *task = task_find_any(sb, d->tid);
	if (!task || task->deferred_seq != d->seq) {
		forget(d); /* the task died, or gave up the call (a signal) */
		return;
	}
	if (task->held) {
		d->done = true; /* another task is execing: answered at release */
		return;
	}
	task->deferred_seq = 0;
	if (d->regs) {
		/* given up for a signal (deferred_caller_gone) */
		if (d->result == -EINTR)
			lifecycle_interrupted(task, d->regs, d->nr);
		else
			lifecycle_answer(sb, task, d->regs, d->result);
	} else {
		struct seccomp_notif_resp resp = { .id = d->notif_id };
		/* given up for a signal (deferred_caller_gone): the kernel
		 * restarts the call or fails it with EINTR, as SA_RESTART says */
		if (d->result == -EINTR && filter_waits_killable())
			d->result = -SENTRY_ERESTARTSYS;
		task->kernel_ran_call = d->result == -SENTRY_ERESTARTSYS ? d->nr + 1 : 0;
		if (d->result < 0 && d->result >= -4095)
			resp.error = (int)d->result;
		else
			resp.val = d->result;
		/* ENOENT: a signal interrupted the call, which the kernel restarts */
		if (ioctl(sb->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
			sentry_fatal("cannot answer a user-notify request: %s", strerror(errno));
	}
	forget(d);
}

void deferred_serve(struct sandbox *sb)
{
	struct completion c;
	while (read(pipe_fds[0], &c, sizeof(c)) == (ssize_t)sizeof(c)) {
		struct deferred *d = find(c.seq);
		if (!d)
			continue;
		d->result = c.result;
		answer(sb, d);
	}
}

void deferred_release(struct task *task)
{
	struct deferred *d = task->deferred_seq ? find(task->deferred_seq) : NULL;
	if (d && d->done)
		answer(task->sandbox, d);
}

struct deferred_caller deferred_caller_of(const struct task *task)
{
	return (struct deferred_caller){ task->sandbox->notify_fd, task->notif_id, task->tid };
}

static uint64_t signal_bit(int sig) { return 1ull << (sig - 1); }

/* Whether a signal pending for the thread or its process would end an
 * interruptible wait in Linux: not blocked, not ignored (SIG_IGN, or the
 * default action of SIGCHLD, SIGURG, SIGWINCH and SIGCONT). A stop signal
 * counts: the call is made again once the task is continued. */
static bool signal_interrupts(pid_t tid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	uint64_t waiting = 0, blocked = 0, ignored = 0, caught = 0, v;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SigPnd: %" SCNx64, &v) == 1 || sscanf(line, "ShdPnd: %" SCNx64, &v) == 1)
			waiting |= v;
		else if (sscanf(line, "SigBlk: %" SCNx64, &v) == 1)
			blocked = v;
		else if (sscanf(line, "SigIgn: %" SCNx64, &v) == 1)
			ignored = v;
		else if (sscanf(line, "SigCgt: %" SCNx64, &v) == 1)
			caught = v;
	}
	fclose(f);
	uint64_t ignored_by_default = signal_bit(SIGCHLD) | signal_bit(SIGURG) | signal_bit(SIGWINCH) | signal_bit(SIGCONT);
	return (waiting & ~blocked & ~ignored & ~(ignored_by_default & ~caught)) != 0;
}

bool deferred_caller_gone(const struct deferred_caller *caller)
{
	/* ptrace: the caller stays at its seccomp stop, where a signal waits
	 * to be delivered until the sentry lets the call end */
	if (caller->notify_fd < 0) {
#ifdef __aarch64__
		return false; /* arch_restart_at_exit in arch/aarch64/arch.c */
#else
		return signal_interrupts(caller->tid);
#endif
	}
	uint64_t id = caller->notif_id;
	if (ioctl(caller->notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
		return true;
	/* no signal ends a killable wait: the sentry ends it as Linux would */
	return filter_waits_killable() && signal_interrupts(caller->tid);
}

void deferred_backoff(unsigned *pause_us)
{
	usleep(*pause_us);
	if (*pause_us < 50000)
		*pause_us *= 2;
}
