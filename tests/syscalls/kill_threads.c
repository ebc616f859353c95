/* Signals that name the caller's own process by another number: a sibling
 * thread's tid (kill, tkill), its own group (kill(-pgid)), including those
 * that kill the caller itself while other threads run. */
#include <pthread.h>

#include "common.h"

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1++; }

static pid_t sibling_tid;
static int ready[2];

static void *sibling(void *arg)
{
	(void)arg;
	sibling_tid = gettid();
	if (write(ready[1], "r", 1) != 1)
		return NULL;
	for (;;)
		pause();
	return NULL;
}

/* Starts a sibling thread and waits until its tid is known. */
static void start_sibling(void)
{
	pthread_t t;
	char c;
	MUST(pipe(ready));
	pthread_create(&t, NULL, sibling, NULL);
	if (read(ready[0], &c, 1) != 1)
		say("setup failed: the sibling did not start\n");
}

/* In a child that has a sibling thread: how is fatal(sibling_tid) ended? */
static void fatal_from_leader(const char *label, int how)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		start_sibling();
		if (how == 0)
			kill(sibling_tid, SIGKILL);
		else if (how == 1)
			syscall(SYS_tkill, sibling_tid, SIGKILL);
		else
			kill(-getpgrp(), SIGKILL);
		sleep(5);
		_exit(1);
	}
	reap(label, pid);
}

int main(void)
{
	begin("a sibling thread named by its tid");
	signal(SIGUSR1, on_usr1);
	start_sibling();
	T(kill(sibling_tid, 0));
	T(syscall(SYS_tkill, sibling_tid, 0));
	T(syscall(SYS_tgkill, getpid(), sibling_tid, 0));
	T(kill(-getpgrp(), 0));
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	T(syscall(SYS_tkill, sibling_tid, SIGUSR1));
	T(kill(sibling_tid, SIGUSR1));
	for (int i = 0; i < 500 && got_usr1 < 2; i++)
		usleep(2000);
	say("SIGUSR1 handled %d times\n", (int)got_usr1);

	begin("the leader kills its own process through a sibling or its group");
	fatal_from_leader("kill(sibling tid, SIGKILL)", 0);
	fatal_from_leader("tkill(sibling tid, SIGKILL)", 1);
	fatal_from_leader("kill(-own group, SIGKILL)", 2);
	return 0;
}
