/* Terminal input injection: TIOCSTI a command line into the terminal on
 * fds 0-2 and /dev/tty, and TIOCLINUX. run.sh runs this under a pty and
 * looks for the injected line in the terminal's input afterwards. */
#include <sys/ioctl.h>

#include "esc.h"

static void inject(int fd, const char *label)
{
	const char *line = "echo sentry-escape-injected\n";
	int ok = 0;
	long r = 0;
	for (const char *p = line; *p; p++) {
		r = ioctl(fd, TIOCSTI, p);
		if (r < 0)
			break;
		ok++;
	}
	say("TIOCSTI on %s: %d of %zu characters (%s)\n", label, ok, strlen(line), r < 0 ? res(-1, errno) : "0");
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	say("isatty(0): %d\n", isatty(0));
	inject(0, "stdin");
	int tty = open("/dev/tty", O_RDWR);
	say("open /dev/tty: %s\n", res(tty, errno));
	if (tty >= 0)
		inject(tty, "/dev/tty");
	char sub = 0; /* TIOCL_SETSEL-like selector; 0 is harmless */
	CHECK("TIOCLINUX", ioctl(0, TIOCLINUX, &sub));
	return 0;
}
