/* Eight threads compute partial sums; thread ids; how a threaded process
 * ends; signals between threads; emulated calls from many threads at once.
 * Modes: "sum" (default), "exit-in-thread", "leader-exit", "signal-thread",
 * "emulated-storm". */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "it.h"

#define NTHREADS 8

struct work {
	int index;
	uint64_t sum;
	pid_t tid;
	pid_t pid;
};

static pthread_barrier_t barrier;

static void *compute(void *arg)
{
	struct work *w = arg;
	w->tid = (pid_t)syscall(SYS_gettid);
	w->pid = getpid();
	/* All threads alive at once, so the tids are distinct. */
	pthread_barrier_wait(&barrier);
	uint64_t s = 0;
	for (uint64_t i = 0; i < 1000000; i++)
		s += (i * (uint64_t)(w->index + 1)) % 1009;
	w->sum = s;
	return (void *)(intptr_t)(w->index * 3);
}

static int run_sum(void)
{
	pthread_t th[NTHREADS];
	struct work w[NTHREADS];
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct work){ .index = i };
		if (pthread_create(&th[i], NULL, compute, &w[i]) != 0) {
			say("pthread_create %d failed\n", i);
			return 1;
		}
	}
	uint64_t total = 0;
	pid_t main_tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		say("thread %d: sum=%llu ret=%ld same pid=%d own tid=%d\n", i,
		    (unsigned long long)w[i].sum, (long)(intptr_t)ret,
		    w[i].pid == getpid(), w[i].tid != main_tid);
		total += w[i].sum;
	}
	int distinct = 1;
	for (int i = 0; i < NTHREADS; i++)
		for (int j = i + 1; j < NTHREADS; j++)
			if (w[i].tid == w[j].tid)
				distinct = 0;
	say("total=%llu distinct tids=%d\n", (unsigned long long)total, distinct);
	return 0;
}

static void *exiter(void *arg)
{
	say("thread calls exit(7)\n");
	exit(7);
}

static void *last_one(void *arg)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	say("worker outlives the leader, exits 9\n");
	exit(9);
}

/* A worker waits for SIGUSR1 sent by the main thread to its tid alone. */
static pid_t worker_tid;
static pthread_barrier_t ready;

static void *waiter(void *arg)
{
	worker_tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&ready);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	static siginfo_t si;
	static char line[96];
	int sig = sigwaitinfo(&set, &si);
	snprintf(line, sizeof(line), "worker: sig=%d code=%d from own process=%d\n", sig,
		 si.si_code, si.si_pid == getpid());
	return line; /* printed by main after the join: a fixed order */
}

static int run_signal_thread(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by the worker */
	pthread_barrier_init(&ready, NULL, 2);
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	pthread_barrier_wait(&ready);
	CHECK("kill(worker tid, 0)", kill(worker_tid, 0));
	CHECK("tgkill(pid, worker tid, 0)", syscall(SYS_tgkill, getpid(), worker_tid, 0));
	CHECK("tgkill(worker tid, worker tid, 0)", syscall(SYS_tgkill, worker_tid, worker_tid, 0));
	CHECK("getpgid(worker tid) same", getpgid(worker_tid) == getpgid(0) ? 0 : -1);
	CHECK("tgkill(pid, worker tid, SIGUSR1)", syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1));
	void *line;
	pthread_join(t, &line);
	say("%s", (char *)line);
	/* The join returns when the thread clears its tid, a moment before
	 * the kernel lets go of it: wait for that (10 s at most), not a time. */
	for (int i = 0; i < 10000 && syscall(SYS_tgkill, getpid(), worker_tid, 0) == 0; i++) {
		struct timespec ms = { 0, 1000 * 1000 };
		nanosleep(&ms, NULL);
	}
	CHECK("tgkill(pid, joined tid, 0)", syscall(SYS_tgkill, getpid(), worker_tid, 0));
	return 0;
}

/* Emulated calls from all threads at once; each answer checked. */
#define STORM_CALLS 500
static pid_t storm_pgid, storm_sid;

static void *storm(void *arg)
{
	struct work *w = arg;
	pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < STORM_CALLS; i++) {
		w->sum += getpgid(0) != storm_pgid;
		w->sum += getsid(0) != storm_sid;
		w->sum += syscall(SYS_tgkill, pid, tid, 0) != 0;
		w->sum += kill(pid, 0) != 0;
	}
	return NULL;
}

static int run_storm(void)
{
	pthread_t th[NTHREADS];
	struct work w[NTHREADS];
	storm_pgid = getpgid(0);
	storm_sid = getsid(0);
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct work){ .index = i };
		pthread_create(&th[i], NULL, storm, &w[i]);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		say("thread %d: %d calls, %llu wrong answers\n", i, 4 * STORM_CALLS,
		    (unsigned long long)w[i].sum);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sum";
	pthread_t t;
	if (!strcmp(mode, "sum"))
		return run_sum();
	if (!strcmp(mode, "signal-thread"))
		return run_signal_thread();
	if (!strcmp(mode, "emulated-storm"))
		return run_storm();
	if (!strcmp(mode, "exit-in-thread")) {
		pthread_create(&t, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	if (!strcmp(mode, "leader-exit")) {
		pthread_create(&t, NULL, last_one, NULL);
		say("leader calls pthread_exit\n");
		pthread_exit(NULL);
	}
	say("unknown mode %s\n", mode);
	return 2;
}
