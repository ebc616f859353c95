/* The terminal of a job whose stdio is redirected: open /dev/tty, take
 * the foreground (tcsetpgrp) and read the next line typed at the shell.
 * run.sh runs this under a pty with stdin a file and stdout a pipe, types
 * a line, and checks that it is still there afterwards. */
#include <signal.h>
#include <termios.h>

#include "esc.h"

static void steal(int fd, const char *label)
{
	say("%s:\n", label);
	CHECK("tcsetpgrp", tcsetpgrp(fd, getpgrp()));
	say("foreground now %d (we are %d)\n", (int)tcgetpgrp(fd), (int)getpgrp());
	char line[256];
	alarm(3);
	ssize_t n = CHECK("read", read(fd, line, sizeof(line) - 1));
	alarm(0);
	if (n > 0) {
		line[n] = 0;
		say("read: %s", line);
	}
}

static void on_alarm(int sig) { (void)sig; }

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: the read ends */
	sigaction(SIGALRM, &sa, NULL);
	for (int fd = 0; fd < 3; fd++)
		say("isatty(%d): %d\n", fd, isatty(fd));
	int tty = CHECK("open /dev/tty", open("/dev/tty", O_RDWR));
	if (tty >= 0)
		steal(tty, "/dev/tty");
	steal(0, "stdin");
	return 0;
}
