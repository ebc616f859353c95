/* Calls that name a process outside the sandbox.
 *   hostpid query PID      non-destructive calls on PID (sig 0, getters)
 *   hostpid query-parent   the same on getppid()
 *   hostpid signal HOW PID sends SIGTERM to PID (kill, tkill, tgkill,
 *                          sigqueue, killpg)
 *   hostpid group0         kill(0, SIGTERM) with SIGTERM ignored here
 * Each line: "call: result". */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "it.h"

static long queueinfo(pid_t pid, int sig)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static void query(pid_t p)
{
	struct { uint64_t cur, max; } lim;
	struct sched_param sp;
	unsigned long mask[16];
	struct timespec ts;
	CHECK("kill(P, 0)", kill(p, 0));
	CHECK("tkill(P, 0)", syscall(SYS_tkill, p, 0));
	CHECK("tgkill(P, P, 0)", syscall(SYS_tgkill, p, p, 0));
	CHECK("rt_sigqueueinfo(P, 0)", queueinfo(p, 0));
	CHECK("getpgid(P) ok", getpgid(p) >= 0 ? 0 : -1);
	CHECK("getsid(P) ok", getsid(p) >= 0 ? 0 : -1);
	CHECK("sched_getscheduler(P)", sched_getscheduler(p) >= 0 ? 0 : -1);
	CHECK("sched_getparam(P)", sched_getparam(p, &sp));
	CHECK("sched_getaffinity(P) ok", syscall(SYS_sched_getaffinity, p, sizeof(mask), mask) > 0 ? 0 : -1);
	CHECK("sched_rr_get_interval(P)", sched_rr_get_interval(p, &ts));
	CHECK("prlimit64(P, NOFILE, get)", syscall(SYS_prlimit64, p, RLIMIT_NOFILE, NULL, &lim));
	CHECK("getpriority(PRIO_PROCESS, P) ok", syscall(SYS_getpriority, PRIO_PROCESS, p) >= 0 ? 0 : -1);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "query") && argc > 2) {
		query(atoi(argv[2]));
		return 0;
	}
	if (!strcmp(mode, "query-parent")) {
		query(getppid());
		return 0;
	}
	if (!strcmp(mode, "signal") && argc > 3) {
		const char *how = argv[2];
		pid_t p = atoi(argv[3]);
		if (!strcmp(how, "kill"))
			CHECK("kill(P, SIGTERM)", kill(p, SIGTERM));
		else if (!strcmp(how, "tkill"))
			CHECK("tkill(P, SIGTERM)", syscall(SYS_tkill, p, SIGTERM));
		else if (!strcmp(how, "tgkill"))
			CHECK("tgkill(P, P, SIGTERM)", syscall(SYS_tgkill, p, p, SIGTERM));
		else if (!strcmp(how, "sigqueue"))
			CHECK("rt_sigqueueinfo(P, SIGTERM)", queueinfo(p, SIGTERM));
		else if (!strcmp(how, "killpg"))
			CHECK("kill(-P, SIGTERM)", kill(-p, SIGTERM));
		else
			return 2;
		return 0;
	}
	if (!strcmp(mode, "group0")) {
		signal(SIGTERM, SIG_IGN);
		CHECK("kill(0, SIGTERM)", kill(0, SIGTERM));
		return 0;
	}
	say("usage: hostpid query PID | query-parent | signal HOW PID | group0\n");
	return 2;
}
