/* SIGIO to a host process through F_SETOWN_EX: one thread keeps flipping
 * the owner in the struct between this process and the bystander (pid,
 * thread and group owners) while another sets it and makes a pipe with
 * O_ASYNC readable, so an owner checked in one read of the struct and
 * set from another would reach the bystander. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>

#include "target.h"

static struct f_owner_ex owner;
static pid_t self, host;
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		__atomic_store_n(&owner.pid, self, __ATOMIC_RELAXED);
		__atomic_store_n(&owner.pid, host, __ATOMIC_RELAXED);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct target t[2];
	targets(t);
	self = getpid();
	host = t[0].pid;
	signal(SIGIO, SIG_IGN); /* when the owner is this process */
	int p[2];
	if (pipe(p) < 0 || fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0)
		return 1;
	static const int types[] = { F_OWNER_PID, F_OWNER_TID, F_OWNER_PGRP };
	pthread_t th;
	pthread_create(&th, NULL, flipper, NULL);
	long tries = 0, set = 0, denied = 0;
	for (long end = now_ms() + 1500; now_ms() < end; tries++) {
		owner.type = types[tries % 3];
		long r = fcntl(p[0], F_SETOWN_EX, &owner);
		set += r == 0;
		denied += r < 0 && errno == ESRCH;
		char c;
		if (write(p[1], "x", 1) == 1)
			(void)!read(p[0], &c, 1);
	}
	stop = 1;
	pthread_join(th, NULL);
	say("%ld tries: %ld set, %ld ESRCH\n", tries, set, denied);
	return 0;
}
