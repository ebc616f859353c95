/* Signals to host processes: kill, tkill, tgkill, rt_sigqueueinfo and
 * kill of their process group, each with SIGUSR1. */
#include <signal.h>

#include "target.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct target t[2];
	int n = targets(t);
	for (int i = 0; i < n; i++) {
		pid_t p = t[i].pid;
		say("%s:\n", t[i].name);
		CHECK("kill 0", kill(p, 0));
		CHECK("kill", kill(p, SIGUSR1));
		CHECK("tkill", syscall(SYS_tkill, p, SIGUSR1));
		CHECK("tgkill", syscall(SYS_tgkill, p, p, SIGUSR1));
		siginfo_t si = { .si_signo = SIGUSR1, .si_code = SI_QUEUE };
		CHECK("rt_sigqueueinfo", syscall(SYS_rt_sigqueueinfo, p, SIGUSR1, &si));
		pid_t pg = getpgid(p);
		say("getpgid: %s\n", res(pg, errno));
		if (pg > 1 && pg != getpgrp())
			CHECK("kill -pgid", kill(-pg, SIGUSR1));
	}
	return 0;
}
