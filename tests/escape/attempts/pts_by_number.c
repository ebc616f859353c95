/* A host pty by its number: the person's terminal is /dev/pts/N on the
 * host, and the sandbox's /dev/pts must be a devpts of its own. List
 * /dev/pts, then open the /dev/pts/N of the terminal this process runs
 * under (its number from /proc/self/stat, which the sandbox may show as
 * the host's) and read what waits there: the line typed ahead at the
 * shell. run.sh runs this under a pty with stdin a file and stdout a
 * pipe, types a line, and checks that it is still there afterwards.
 * A pty of its own is opened first, so that inside the number may name
 * one of the sandbox's. */
#include <dirent.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <termios.h>

#include "esc.h"

/* The controlling terminal's number, as /proc/<pid>/stat gives it. */
static unsigned long tty_nr(void)
{
	unsigned long nr = 0;
	char buf[1024];
	FILE *stat = fopen("/proc/self/stat", "re");
	if (stat && fgets(buf, sizeof(buf), stat)) {
		char *after = strrchr(buf, ')');
		if (after)
			sscanf(after, ") %*c %*d %*d %*d %lu", &nr);
	}
	if (stat)
		fclose(stat);
	return nr;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int own = CHECK("open /dev/ptmx", open("/dev/ptmx", O_RDWR | O_NOCTTY));
	int unlock = 0;
	if (own >= 0)
		CHECK("unlockpt", ioctl(own, TIOCSPTLCK, &unlock));
	DIR *d = opendir("/dev/pts");
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			say("listed: /dev/pts/%s\n", de->d_name);
		closedir(d);
	} else {
		say("opendir /dev/pts: %s\n", res(-1, errno));
	}
	unsigned long nr = tty_nr();
	unsigned major = (nr >> 8) & 0xfff, minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
	say("controlling terminal: %u:%u\n", major, minor);
	if (major < 136 || major > 143) /* not a pty slave */
		return 0;
	char path[32];
	snprintf(path, sizeof(path), "/dev/pts/%u", (major - 136) * 256 + minor);
	int fd = CHECK(path, open(path, O_RDWR | O_NOCTTY | O_NONBLOCK));
	if (fd < 0)
		return 0;
	/* the job runs in the background of that terminal: take it first */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	CHECK("tcsetpgrp", tcsetpgrp(fd, getpgrp()));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 500) == 1 && (p.revents & POLLIN)) {
		char line[256];
		ssize_t got = CHECK("read", read(fd, line, sizeof(line) - 1));
		if (got > 0) {
			line[got] = 0;
			say("read from %s: %s", path, line);
		}
	}
	return 0;
}
