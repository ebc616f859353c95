/* Odd and invalid arguments: the answers must be Linux's, byte for byte. */
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "it.h"

#define HI(x) ((long)(x) | (0x5aL << 40)) /* junk in the upper 32 bits */

int main(void)
{
	pid_t pid = getpid();
	pid_t tid = (pid_t)syscall(SYS_gettid);

	/* Numbers no table lists. */
	CHECK("syscall(999)", syscall(999));
	CHECK("syscall(-1)", syscall(-1L));
	CHECK("syscall(0x3fffffff)", syscall(0x3fffffffL));
	/* The kernel takes the number as an int: the upper half of rax is ignored. */
	say("getpid with junk above the number ok=%d\n", syscall(HI(SYS_getpid)) == pid);
	say("getpgid with junk above the number ok=%d\n",
	    syscall(HI(SYS_getpgid), 0) == syscall(SYS_getpgid, 0));

	/* kill and friends: pid and signal checks, in Linux's order. */
	CHECK("kill(INT_MAX, 0)", kill(INT_MAX, 0));
	CHECK("kill(INT_MIN, 0)", kill(INT_MIN, 0));
	CHECK("kill(INT_MAX, 65)", kill(INT_MAX, 65));
	CHECK("kill(self, 65)", kill(pid, 65));
	CHECK("kill(self, -1)", syscall(SYS_kill, pid, -1));
	CHECK("kill(-INT_MAX, 0)", kill(-INT_MAX, 0));
	CHECK("tkill(0, 0)", syscall(SYS_tkill, 0, 0));
	CHECK("tkill(-5, 0)", syscall(SYS_tkill, -5, 0));
	CHECK("tkill(INT_MAX, 0)", syscall(SYS_tkill, INT_MAX, 0));
	CHECK("tkill(tid, 65)", syscall(SYS_tkill, tid, 65));
	CHECK("tgkill(0, tid, 0)", syscall(SYS_tgkill, 0, tid, 0));
	CHECK("tgkill(self, -1, 0)", syscall(SYS_tgkill, pid, -1, 0));
	CHECK("tgkill(self, INT_MAX, 0)", syscall(SYS_tgkill, pid, INT_MAX, 0));
	CHECK("tgkill(INT_MAX, tid, 0)", syscall(SYS_tgkill, INT_MAX, tid, 0));
	CHECK("tgkill(self, tid, 65)", syscall(SYS_tgkill, pid, tid, 65));

	/* rt_sigqueueinfo: bad pointers, and impersonation. */
	CHECK("rt_sigqueueinfo(self, SIGUSR1, NULL)", syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, NULL));
	CHECK("rt_sigqueueinfo(self, SIGUSR1, 1)", syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, (void *)1));
	CHECK("rt_sigqueueinfo(INT_MAX, SIGUSR1, NULL)", syscall(SYS_rt_sigqueueinfo, INT_MAX, SIGUSR1, NULL));
	CHECK("rt_tgsigqueueinfo(self, tid, SIGUSR1, 1)",
	      syscall(SYS_rt_tgsigqueueinfo, pid, tid, SIGUSR1, (void *)1));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_USER; /* only the kernel may claim this for another process */
	pid_t child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	CHECK("rt_sigqueueinfo(child, SIGUSR1, SI_USER)", syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si));
	si.si_code = SI_TKILL;
	CHECK("rt_sigqueueinfo(child, SIGUSR1, SI_TKILL)", syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si));
	si.si_code = SI_QUEUE;
	CHECK("rt_sigqueueinfo(child, 0, SI_QUEUE)", syscall(SYS_rt_sigqueueinfo, child, 0, &si));
	CHECK("rt_sigqueueinfo(child, 65, SI_QUEUE)", syscall(SYS_rt_sigqueueinfo, child, 65, &si));
	kill(child, SIGKILL);
	int status;
	waitpid(child, &status, 0);
	say("child killed by %d\n", WTERMSIG(status));

	/* Junk in the upper half of int arguments: the kernel truncates. */
	CHECK("kill(self|junk, 0|junk)", syscall(SYS_kill, HI(pid), HI(0)));
	CHECK("tkill(tid|junk, 0|junk)", syscall(SYS_tkill, HI(tid), HI(0)));
	CHECK("tgkill(self|junk, tid|junk, 0|junk)", syscall(SYS_tgkill, HI(pid), HI(tid), HI(0)));
	say("getpgid(0|junk) same=%d\n", syscall(SYS_getpgid, HI(0)) == syscall(SYS_getpgid, 0));
	say("getpgid(self|junk) same=%d\n", syscall(SYS_getpgid, HI(pid)) == syscall(SYS_getpgid, 0));
	say("getsid(0|junk) same=%d\n", syscall(SYS_getsid, HI(0)) == syscall(SYS_getsid, 0));
	CHECK("sched_getscheduler(self|junk)", syscall(SYS_sched_getscheduler, HI(pid)));
	struct rlimit64 { uint64_t cur, max; } a, b;
	CHECK("prlimit64(self|junk, NOFILE|junk)",
	      syscall(SYS_prlimit64, HI(pid), HI(RLIMIT_NOFILE), NULL, &a));
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &b);
	say("  same limits=%d\n", a.cur == b.cur && a.max == b.max);

	/* Invalid pids and values for the calls that name a process. */
	CHECK("getpgid(INT_MAX)", getpgid(INT_MAX));
	CHECK("getpgid(-1)", getpgid(-1));
	CHECK("getsid(INT_MAX)", getsid(INT_MAX));
	CHECK("setpgid(INT_MAX, 0)", setpgid(INT_MAX, 0));
	CHECK("setpgid(0, -1)", setpgid(0, -1));
	CHECK("sched_getscheduler(-1)", sched_getscheduler(-1));
	CHECK("sched_getscheduler(INT_MAX)", sched_getscheduler(INT_MAX));
	CHECK("sched_getparam(0, NULL)", syscall(SYS_sched_getparam, 0, NULL));
	unsigned long mask[16];
	CHECK("sched_getaffinity(0, 0, buf)", syscall(SYS_sched_getaffinity, 0, 0, mask));
	CHECK("sched_getaffinity(INT_MAX, 128, buf)", syscall(SYS_sched_getaffinity, INT_MAX, 128, mask));
	CHECK("prlimit64(0, 9999, NULL, &old)", syscall(SYS_prlimit64, 0, 9999, NULL, &a));
	CHECK("prlimit64(0, NOFILE, NULL, 1)", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, (void *)1));
	CHECK("prlimit64(INT_MAX, NOFILE, NULL, &old)", syscall(SYS_prlimit64, INT_MAX, RLIMIT_NOFILE, NULL, &a));
	CHECK("getpriority(PRIO_PROCESS, INT_MAX)", syscall(SYS_getpriority, PRIO_PROCESS, INT_MAX));
	CHECK("wait4(-1, ...) with no children", syscall(SYS_wait4, -1, NULL, 0, NULL));
	CHECK("wait4 with bad options", syscall(SYS_wait4, -1, NULL, 0x12345678, NULL));
	return 0;
}
