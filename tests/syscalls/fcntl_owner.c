/* fcntl F_SETOWN_EX / F_GETOWN_EX: owners of each type, shared by dup and
 * fork (the owner belongs to the open file description), SIGIO delivered
 * to the owning thread, and the errors. Pids are printed as comparisons. */
#include <poll.h>
#include <pthread.h>

#include "common.h"

static const char *type_name(int type)
{
	switch (type) {
	case F_OWNER_TID: return "tid";
	case F_OWNER_PID: return "pid";
	case F_OWNER_PGRP: return "pgrp";
	}
	return "?";
}

/* F_GETOWN_EX and F_GETOWN, the owner named relative to this process. */
static void show_owner(const char *label, int fd, pid_t tid)
{
	struct f_owner_ex o = { -1, -1 };
	long r = fcntl(fd, F_GETOWN_EX, &o);
	if (r < 0) {
		say("%s: F_GETOWN_EX = %s\n", label, res(r, errno));
		return;
	}
	const char *who = o.pid == 0 ? "none" :
		o.type == F_OWNER_PGRP ? (o.pid == getpgrp() ? "own group" : "other group") :
		o.pid == getpid() ? "self" : o.pid == tid ? "thread" : "other";
	long own = fcntl(fd, F_GETOWN);
	const char *legacy = own == 0 ? "0" : own == getpid() ? "self" : own == -getpgrp() ? "-group" :
		own == tid ? "thread" : "other";
	say("%s: F_GETOWN_EX = %s %s; F_GETOWN = %s\n", label, type_name(o.type), who, legacy);
}

static volatile sig_atomic_t sigio_count;
static volatile pid_t sigio_tid;
static void on_sigio(int sig)
{
	(void)sig;
	sigio_count++;
	sigio_tid = (pid_t)syscall(SYS_gettid);
}

static int thread_ready[2], thread_done[2];
static pid_t thread_tid;
static void *waiter(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	char c = 't';
	(void)!write(thread_ready[1], &c, 1);
	(void)!read(thread_done[0], &c, 1);
	return NULL;
}

int main(void)
{
	begin("fcntl_owner");
	int fd = T(open("f", O_RDWR | O_CREAT, 0644));
	show_owner("new file", fd, 0);

	struct f_owner_ex o = { F_OWNER_PID, getpid() };
	T(fcntl(fd, F_SETOWN_EX, &o));
	show_owner("pid self", fd, 0);
	int dup_fd = T(dup(fd));
	show_owner("its dup", dup_fd, 0);
	int other = T(open("f", O_RDWR));
	show_owner("another open of the file", other, 0);

	o = (struct f_owner_ex){ F_OWNER_PGRP, getpgrp() };
	T(fcntl(fd, F_SETOWN_EX, &o));
	show_owner("pgrp own", dup_fd, 0);
	o = (struct f_owner_ex){ F_OWNER_TID, 0 };
	T(fcntl(fd, F_SETOWN_EX, &o));
	show_owner("tid 0", fd, 0);
	T(fcntl(fd, F_SETOWN, getpid()));
	show_owner("F_SETOWN self", fd, 0);
	T(fcntl(fd, F_SETOWN, -getpgrp()));
	show_owner("F_SETOWN -group", fd, 0);

	/* Errors: a bad type, a negative pid, bad memory, a bad fd. */
	o = (struct f_owner_ex){ 7, getpid() };
	T(fcntl(fd, F_SETOWN_EX, &o));
	o = (struct f_owner_ex){ F_OWNER_PID, -5 };
	T(fcntl(fd, F_SETOWN_EX, &o));
	T(fcntl(fd, F_SETOWN_EX, (void *)8));
	T(fcntl(fd, F_GETOWN_EX, (void *)8));
	T(fcntl(99, F_SETOWN_EX, &o));
	T(fcntl(99, F_GETOWN_EX, &o));
	int path = T(open("f", O_PATH));
	o = (struct f_owner_ex){ F_OWNER_PID, getpid() };
	T(fcntl(path, F_SETOWN_EX, &o));
	T(fcntl(path, F_GETOWN_EX, &o));
	T(close(path));

	/* The owner of a child's inherited fd is shared with the parent. */
	pid_t child = fork();
	if (child == 0) {
		struct f_owner_ex c = { F_OWNER_PID, getpid() };
		fcntl(fd, F_SETOWN_EX, &c);
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	T(fcntl(fd, F_GETOWN_EX, &o) == 0 && o.type == F_OWNER_PID && o.pid == child);

	/* SIGIO goes to the owning thread of a pipe's reader. */
	int p[2];
	MUST(pipe(p));
	MUST(pipe(thread_ready));
	MUST(pipe(thread_done));
	signal(SIGIO, on_sigio);
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	char c;
	(void)!read(thread_ready[0], &c, 1);
	o = (struct f_owner_ex){ F_OWNER_TID, thread_tid };
	T(fcntl(p[0], F_SETOWN_EX, &o));
	show_owner("tid of a thread", p[0], thread_tid);
	T(fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK));
	T(write(p[1], "x", 1));
	for (int i = 0; i < 500 && sigio_count == 0; i++)
		poll(NULL, 0, 10);
	say("SIGIO received: %s, by the owning thread: %s\n", sigio_count ? "yes" : "no",
	    sigio_tid == thread_tid ? "yes" : "no");
	(void)!write(thread_done[1], "d", 1);
	pthread_join(t, NULL);
	return 0;
}
