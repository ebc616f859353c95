/* ioctl: the commands programs use on pipes, sockets, files and devices
 * answer as on Linux; terminal commands on what is not a terminal fail
 * with ENOTTY (isatty), and so does a command nobody knows. */
#include "common.h"
#include <linux/fs.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>

static void not_a_terminal(const char *label, int fd)
{
	struct termios t;
	struct winsize ws;
	pid_t pgrp;
	say("%s:\n", label);
	TL("  isatty", isatty(fd));
	TL("  TCGETS", ioctl(fd, TCGETS, &t));
	TL("  TIOCGWINSZ", ioctl(fd, TIOCGWINSZ, &ws));
	TL("  TIOCGPGRP", ioctl(fd, TIOCGPGRP, &pgrp));
	TL("  TCFLSH", ioctl(fd, TCFLSH, TCIFLUSH));
}

int main(void)
{
	begin("ioctl");
	int p[2], s[2], n = -1;
	MUST(pipe(p));
	MUST(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	T(write(p[1], "hello", 5));
	T(ioctl(p[0], FIONREAD, &n));
	say("  pipe FIONREAD %d\n", n);
	T(write(s[1], "abc", 3));
	T(ioctl(s[0], FIONREAD, &n));
	say("  socket FIONREAD %d\n", n);
	T(ioctl(s[1], TIOCOUTQ, &n));
	T(ioctl(s[0], SIOCATMARK, &n));
	say("  SIOCATMARK %d\n", n);

	/* The SIGIO owner: ourselves and our group, read back. */
	pid_t owner = getpid();
	T(ioctl(s[0], FIOSETOWN, &owner));
	T(ioctl(s[0], FIOGETOWN, &n));
	say("  owner is us: %d\n", n == getpid());
	owner = -getpgrp();
	T(ioctl(s[0], SIOCSPGRP, &owner));
	T(ioctl(s[0], SIOCGPGRP, &n));
	say("  owner is our group: %d\n", n == -getpgrp());
	T(fcntl(s[0], F_GETOWN) == -getpgrp());

	/* Flags through ioctl, seen through fcntl. */
	int on = 1;
	T(ioctl(p[0], FIONBIO, &on));
	T(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	T(ioctl(p[0], FIOASYNC, &on));
	T(fcntl(p[0], F_GETFL) & O_ASYNC);
	T(ioctl(p[0], FIOCLEX));
	T(fcntl(p[0], F_GETFD));
	T(ioctl(p[0], FIONCLEX));
	T(fcntl(p[0], F_GETFD));

	/* A file: bytes left to read, block size, size. */
	int f = MUST(open("file", O_RDWR | O_CREAT, 0644));
	T(write(f, "0123456789", 10));
	T(lseek(f, 3, SEEK_SET));
	T(ioctl(f, FIONREAD, &n));
	say("  file FIONREAD %d\n", n);
	T(ioctl(f, FIGETBSZ, &n) == 0 && n > 0);
	loff_t size = 0;
	T(ioctl(f, FIOQSIZE, &size));
	say("  FIOQSIZE %lld\n", (long long)size);

	not_a_terminal("pipe", p[0]);
	not_a_terminal("socket", s[0]);
	not_a_terminal("file", f);
	int null = MUST(open("/dev/null", O_RDWR));
	not_a_terminal("/dev/null", null);
	T(ioctl(null, FIONREAD, &n));
	int ev = MUST(eventfd(0, 0));
	not_a_terminal("eventfd", ev);

	say("unknown commands:\n");
	T(ioctl(p[0], _IOR('x', 0x7e, int), &n));
	T(ioctl(s[0], _IOW('x', 0x7e, int), &n));
	T(ioctl(f, _IO('x', 0x7e)));
	say("bad fd:\n");
	T(ioctl(99, FIONREAD, &n));
	T(ioctl(-1, TCGETS, &n));
	return 0;
}
