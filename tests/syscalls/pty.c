/* ptys: posix_openpt, grantpt, unlockpt, ptsname, openpty; bytes both
 * ways, terminal modes and window size on the slave; a child that calls
 * setsid and takes the slave as its controlling terminal (TIOCSCTTY, job
 * control, /dev/tty); ttyname. Numbers differ between runs: only their
 * shape is printed. */
#include "common.h"
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>

static void shape(const char *label, const char *name)
{
	unsigned n;
	char tail;
	if (!name)
		say("  %s: NULL %s\n", label, errname(errno));
	else
		say("  %s: %s\n", label,
		    sscanf(name, "/dev/pts/%u%c", &n, &tail) == 1 ? "/dev/pts/N" : name);
}

static void show_dev(const char *label, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		say("  fstat %s: -1 %s\n", label, errname(errno));
		return;
	}
	/* a slave's mode is the devpts mount's "mode" option: left out */
	say("  fstat %s: %s major=%u\n", label, ftype(st.st_mode), major(st.st_rdev));
}

static void fd_link(const char *label, int fd)
{
	char path[64], target[256];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = 0;
	shape(label, n > 0 ? target : NULL);
}

/* Reads exactly len bytes (or until EOF or an error). */
static void read_n(const char *label, int fd, size_t len)
{
	char buf[256];
	size_t got = 0;
	ssize_t n = 0;
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += (size_t)n;
	say("  read %s: ", label);
	say_bytes(buf, got);
	say("%s\n", n < 0 ? " (error)" : "");
}

/* In a new session: take the slave as controlling terminal, run a job
 * control exchange, write through /dev/tty. */
static int session_child(int master, const char *slave_name, int go)
{
	close(master);
	say("  setsid: %d\n", setsid() == getpid());
	int slave = T(open(slave_name, O_RDWR | O_NOCTTY));
	T(ioctl(slave, TIOCSCTTY, 0));
	say("  foreground is self: %d\n", tcgetpgrp(slave) == getpid());
	say("  session is self: %d\n", tcgetsid(slave) == getpid());
	shape("ttyname(slave)", ttyname(slave));
	pid_t job = fork();
	if (job == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(job, job);
	T(tcsetpgrp(slave, job));
	say("  foreground is the job: %d\n", tcgetpgrp(slave) == job);
	T(tcsetpgrp(slave, 999999));
	signal(SIGTTOU, SIG_IGN);
	T(tcsetpgrp(slave, getpid()));
	kill(job, SIGKILL);
	reap("job", job);
	int tty = T(open("/dev/tty", O_RDWR));
	say("  /dev/tty is a terminal: %d\n", isatty(tty));
	errno = 0;
	long wrote = write(tty, "via tty\n", 8);
	int e = errno;
	char c;
	read(go, &c, 1); /* until the parent printed what it read */
	say("write(tty) = %s\n", res(wrote, e));
	signal(SIGHUP, SIG_IGN); /* the leader leaving hangs up its foreground group */
	T(ioctl(slave, TIOCNOTTY));
	T(open("/dev/tty", O_RDWR));
	return 0;
}

int main(void)
{
	begin("ptys");
	int master = T(posix_openpt(O_RDWR | O_NOCTTY));
	T(grantpt(master));
	T(unlockpt(master));
	char *name = ptsname(master);
	shape("ptsname", name);
	char slave_name[64];
	snprintf(slave_name, sizeof(slave_name), "%s", name ? name : "?");
	unsigned ptn = 0;
	T(ioctl(master, TIOCGPTN, &ptn));
	char by_number[64];
	snprintf(by_number, sizeof(by_number), "/dev/pts/%u", ptn);
	say("  TIOCGPTN names it: %d\n", !strcmp(by_number, slave_name));
	show_dev("master", master);
	fd_link("master link", master);
	int slave = T(open(slave_name, O_RDWR | O_NOCTTY));
	show_dev("slave", slave);
	fd_link("slave link", slave);
	shape("ttyname(slave)", ttyname(slave));
	say("  isatty: master %d slave %d\n", isatty(master), isatty(slave));
	int n = -1;
	T(ioctl(slave, TIOCGPTN, &n));

	/* terminal modes on the slave; canonical input with echo */
	struct termios tio;
	T(tcgetattr(slave, &tio));
	say("  icanon %d echo %d\n", !!(tio.c_lflag & ICANON), !!(tio.c_lflag & ECHO));
	tio.c_lflag &= ~ECHO;
	T(tcsetattr(slave, TCSANOW, &tio));
	T(tcgetattr(slave, &tio));
	say("  echo now %d\n", !!(tio.c_lflag & ECHO));
	T(write(master, "hello\n", 6));
	/* the line reaches the slave through the kernel's flush work: wait
	 * until it is there rather than for a while */
	struct pollfd line_ready = { .fd = slave, .events = POLLIN };
	T(poll(&line_ready, 1, 10000));
	int queued = -1;
	T(ioctl(slave, FIONREAD, &queued));
	say("  queued %d\n", queued);
	read_n("slave", slave, 6);
	T(write(slave, "back\n", 5));
	read_n("master", master, 6); /* ONLCR: \r\n */
	cfmakeraw(&tio);
	T(tcsetattr(slave, TCSAFLUSH, &tio));
	T(write(master, "x", 1));
	read_n("slave raw", slave, 1);
	struct winsize ws = { .ws_row = 33, .ws_col = 101 }, got = { 0 };
	T(ioctl(master, TIOCSWINSZ, &ws));
	T(ioctl(slave, TIOCGWINSZ, &got));
	say("  window %ux%u\n", got.ws_col, got.ws_row);
	T(tcdrain(slave));
	T(tcflush(slave, TCIOFLUSH));
	T(ioctl(slave, TIOCSCTTY, 0)); /* not a session leader */
	pid_t pgrp = 0;
	T(ioctl(slave, TIOCGPGRP, &pgrp)); /* not our controlling terminal */
	int lock = 1;
	T(ioctl(master, TIOCSPTLCK, &lock));
	T(open(slave_name, O_RDWR | O_NOCTTY));
	lock = 0;
	T(ioctl(master, TIOCSPTLCK, &lock));
	T(close(slave));

	/* a session of its own, with the slave as controlling terminal */
	tio.c_oflag &= ~OPOST;
	int go[2];
	MUST(pipe(go));
	pid_t child = fork();
	if (child == 0)
		_exit(session_child(master, slave_name, go[0]));
	read_n("master from the session", master, 8);
	MUST(write(go[1], "g", 1));
	reap("session", child);
	char c;
	T(read(master, &c, 1)); /* every slave closed: EIO */
	T(close(master));

	/* openpty: the slave of a master without a name (TIOCGPTPEER) */
	int m2 = -1, s2 = -1;
	char name2[64];
	T(openpty(&m2, &s2, name2, NULL, NULL));
	shape("openpty name", name2);
	shape("ttyname(openpty slave)", ttyname(s2));
	show_dev("openpty slave", s2);
	int peer = T(ioctl(m2, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
	shape("ttyname(peer)", ttyname(peer));
	T(ioctl(s2, TIOCGPTPEER, O_RDWR));
	T(write(peer, "p", 1));
	read_n("openpty master", m2, 1);
	T(close(peer));
	T(close(s2));
	T(read(m2, &c, 1));
	T(close(m2));
	return 0;
}
