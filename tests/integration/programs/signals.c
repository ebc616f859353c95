/* Signals a process sends to itself and to its children: every kind of
 * sending call, blocking, queueing, waiting, timers, restart. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "it.h"

struct event {
	int signo, code, same_uid, value, status;
	pid_t pid;
};

static volatile sig_atomic_t nevents;
static struct event events[32];
static pid_t self;
static sigjmp_buf segv_jump;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	if (nevents < 32) {
		struct event *e = &events[nevents];
		e->signo = sig;
		e->code = si->si_code;
		e->pid = si->si_pid;
		e->same_uid = si->si_uid == getuid();
		e->value = si->si_code == SI_QUEUE ? si->si_value.sival_int : 0;
		e->status = sig == SIGCHLD ? si->si_status : 0;
		nevents = nevents + 1;
	}
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	say("SIGSEGV caught: addr=%p code=%d\n", si->si_addr, si->si_code);
	siglongjmp(segv_jump, 1);
}

/* Prints and forgets the events seen since the last call. */
static void drain(const char *step)
{
	say("%s: %d event(s)\n", step, (int)nevents);
	for (int i = 0; i < nevents; i++)
		say("  sig=%d code=%d from_self=%d same_uid=%d value=%d status=%d\n",
		    events[i].signo, events[i].code, events[i].pid == self,
		    events[i].same_uid, events[i].value, events[i].status);
	nevents = 0;
}

static void handle(int sig, int flags)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | flags };
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		say("sigaction %d failed\n", sig);
}

static void block(int sig, int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int main(void)
{
	self = getpid();
	handle(SIGUSR1, 0);
	handle(SIGUSR2, 0);
	handle(SIGRTMIN, 0);
	handle(SIGALRM, 0);

	CHECK("kill(self, SIGUSR1)", kill(self, SIGUSR1));
	drain("kill");
	CHECK("raise(SIGUSR2)", raise(SIGUSR2));
	drain("raise");
	CHECK("tgkill(self, tid, SIGUSR1)", syscall(SYS_tgkill, self, gettid_(), SIGUSR1));
	drain("tgkill");
	CHECK("tkill(tid, SIGUSR2)", syscall(SYS_tkill, gettid_(), SIGUSR2));
	drain("tkill");
	CHECK("sigqueue(self, SIGUSR1, 42)", sigqueue(self, SIGUSR1, (union sigval){ .sival_int = 42 }));
	drain("sigqueue");

	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR2;
	info.si_code = SI_QUEUE;
	info.si_pid = self;
	info.si_uid = getuid();
	info.si_value.sival_int = 77;
	CHECK("rt_tgsigqueueinfo(self, tid, SIGUSR2, 77)",
	      syscall(SYS_rt_tgsigqueueinfo, self, gettid_(), SIGUSR2, &info));
	drain("rt_tgsigqueueinfo");
	CHECK("kill(self, 0)", kill(self, 0));
	CHECK("tgkill(self, tid, 0)", syscall(SYS_tgkill, self, gettid_(), 0));

	/* A blocked standard signal stays pending and is delivered once. */
	block(SIGUSR1, SIG_BLOCK);
	kill(self, SIGUSR1);
	kill(self, SIGUSR1);
	sigset_t pending;
	sigpending(&pending);
	say("blocked: pending SIGUSR1=%d SIGUSR2=%d\n", sigismember(&pending, SIGUSR1),
	    sigismember(&pending, SIGUSR2));
	drain("while blocked");
	block(SIGUSR1, SIG_UNBLOCK);
	drain("after unblock");

	/* Real-time signals queue, in order, with their values. */
	block(SIGRTMIN, SIG_BLOCK);
	for (int v = 1; v <= 3; v++)
		sigqueue(self, SIGRTMIN, (union sigval){ .sival_int = v });
	block(SIGRTMIN, SIG_UNBLOCK);
	drain("queued SIGRTMIN");

	/* Synchronous waiting for a blocked signal. */
	block(SIGUSR2, SIG_BLOCK);
	kill(self, SIGUSR2);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	memset(&info, 0, sizeof(info));
	int got = sigwaitinfo(&set, &info);
	say("sigwaitinfo: %d code=%d from_self=%d\n", got, info.si_code, info.si_pid == self);
	struct timespec zero = { 0, 0 };
	CHECK("sigtimedwait with nothing pending", sigtimedwait(&set, &info, &zero));
	block(SIGUSR2, SIG_UNBLOCK);

	/* Timers. */
	CHECK("alarm(5)", alarm(5));
	CHECK("alarm(0)", alarm(0));
	struct itimerval it = { .it_value = { 0, 20000 } };
	sigset_t none;
	sigemptyset(&none);
	block(SIGALRM, SIG_BLOCK);
	setitimer(ITIMER_REAL, &it, NULL);
	sigsuspend(&none);
	block(SIGALRM, SIG_UNBLOCK);
	drain("setitimer");

	/* A synchronous fault caught by a handler. */
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(segv_jump, 1) == 0)
		*(volatile int *)0 = 1;
	say("after the fault\n");

	/* A signal to a child: it waits in sigsuspend, reports, exits 5. */
	handle(SIGCHLD, 0);
	block(SIGUSR1, SIG_BLOCK);
	pid_t child = fork();
	if (child == 0) {
		nevents = 0;
		self = getpid();
		sigsuspend(&none);
		say("child: %d event(s), sig=%d code=%d from parent=%d\n", (int)nevents,
		    events[0].signo, events[0].code, events[0].pid == getppid());
		_exit(5);
	}
	block(SIGUSR1, SIG_UNBLOCK);
	/* the child prints when the signal arrives: report after reaping it,
	 * so the two processes' lines come in one order */
	errno = 0;
	long sent = kill(child, SIGUSR1);
	int sent_errno = errno;
	int status;
	pid_t w = waitpid(child, &status, 0);
	say("kill(child, SIGUSR1): %s\n", res(sent, sent_errno));
	say("child reaped=%d exited=%d code=%d\n", w == child, WIFEXITED(status), WEXITSTATUS(status));
	drain("SIGCHLD");

	/* SIGTERM with the default action, then a check the pid is gone. */
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	CHECK("kill(child, SIGTERM)", kill(child, SIGTERM));
	waitpid(child, &status, 0);
	say("child killed=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
	CHECK("kill(reaped child, 0)", kill(child, 0));
	drain("SIGCHLD after SIGTERM");

	/* A child in its own process group signals that group. */
	child = fork();
	if (child == 0) {
		nevents = 0;
		self = getpid();
		CHECK("child setpgid(0, 0)", setpgid(0, 0));
		say("child is group leader=%d\n", getpgid(0) == self);
		CHECK("child kill(0, SIGUSR2)", kill(0, SIGUSR2));
		CHECK("child kill(-self, SIGUSR1)", kill(-self, SIGUSR1));
		say("child: %d event(s)\n", (int)nevents);
		_exit(0);
	}
	waitpid(child, &status, 0);
	say("group child exited=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));
	drain("SIGCHLD after group child");

	/* An interrupted wait4: restarted with SA_RESTART, EINTR without. */
	for (int restart = 0; restart <= 1; restart++) {
		handle(SIGALRM, restart ? SA_RESTART : 0);
		child = fork();
		if (child == 0) {
			sleep_ms(200);
			_exit(3);
		}
		struct itimerval t = { .it_value = { 0, 10000 } };
		setitimer(ITIMER_REAL, &t, NULL);
		errno = 0;
		w = wait4(child, &status, 0, NULL);
		say("wait4 with SA_RESTART=%d: %s\n", restart,
		    w == child ? "child" : res(w, errno));
		if (w != child)
			waitpid(child, &status, 0);
		say("  child code=%d\n", WEXITSTATUS(status));
		nevents = 0;
	}
	return 0;
}
