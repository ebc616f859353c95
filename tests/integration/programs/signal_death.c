/* Dies of the signal named by the first argument. */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "it.h"

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "segv";
	say("dying: %s\n", how);
	if (!strcmp(how, "segv")) {
		*(volatile int *)0 = 1;
	} else if (!strcmp(how, "abort")) {
		abort();
	} else if (!strcmp(how, "kill")) {
		kill(getpid(), SIGKILL);
	} else if (!strcmp(how, "term")) {
		syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGTERM);
	} else if (!strcmp(how, "fpe")) {
		volatile int num = 1, zero = 0;
		say("%d\n", num / zero);
	}
	say("still alive\n");
	return 1;
}
