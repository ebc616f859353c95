/* inotify for the changes made inside: which events a watch on a folder
 * or a file reports, with names, IN_ISDIR, the cookie of a rename, and
 * the end of a watch (IN_IGNORED); IN_ONESHOT, IN_MASK_ADD,
 * IN_MASK_CREATE, IN_ONLYDIR; FIONREAD, poll and IN_Q_OVERFLOW. Only
 * events the sentry sees are asked for: no IN_OPEN, IN_CLOSE_* or
 * IN_ACCESS, and IN_MODIFY from truncate, not write. */
#include "common.h"

/* The call's result, or -1 and its errno, read after the call. */
#define R(call) ({ errno = 0; long r_ = (call); res(r_, errno); })

#include <poll.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

#define CHANGES (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY | \
		 IN_DELETE_SELF | IN_MOVE_SELF)

static const struct { uint32_t bit; const char *name; } bits[] = {
	{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_MOVED_FROM, "MOVED_FROM" },
	{ IN_MOVED_TO, "MOVED_TO" }, { IN_ATTRIB, "ATTRIB" }, { IN_MODIFY, "MODIFY" },
	{ IN_DELETE_SELF, "DELETE_SELF" }, { IN_MOVE_SELF, "MOVE_SELF" }, { IN_IGNORED, "IGNORED" },
	{ IN_Q_OVERFLOW, "Q_OVERFLOW" }, { IN_ISDIR, "ISDIR" }, { IN_OPEN, "OPEN" },
	{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" }, { IN_ACCESS, "ACCESS" },
};

static uint32_t last_cookie;

/* Reads and prints every queued event: wd, bits, name; a rename's
 * IN_MOVED_TO says whether its cookie is its IN_MOVED_FROM's. */
static void drain(int fd, const char *label)
{
	char buf[4096] __attribute__((aligned(8)));
	say("%s:\n", label);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno != EAGAIN)
				say("  read: %s\n", errname(errno));
			return;
		}
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			char names[256] = "";
			for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
				if (ev->mask & bits[i].bit) {
					strcat(names, names[0] ? "|" : "");
					strcat(names, bits[i].name);
				}
			const char *cookie = "";
			if (ev->mask & IN_MOVED_FROM)
				last_cookie = ev->cookie, cookie = ev->cookie ? " cookie" : " no-cookie";
			else if (ev->mask & IN_MOVED_TO)
				cookie = ev->cookie && ev->cookie == last_cookie ? " same-cookie" : " other-cookie";
			else if (ev->cookie)
				cookie = " stray-cookie";
			say("  wd %d %s%s %s (len %u)\n", ev->wd, names, cookie, ev->len ? ev->name : "-", ev->len);
			p += sizeof(*ev) + ev->len;
		}
	}
}

static int make(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	return fd < 0 ? -1 : close(fd);
}

static void errors(int fd)
{
	int p[2];
	if (pipe(p) < 0)
		return;
	say("mask 0: %s\n", R(inotify_add_watch(fd, ".", 0)));
	say("only flags: %s\n", R(inotify_add_watch(fd, ".", IN_ONESHOT)));
	say("add and create: %s\n", R(inotify_add_watch(fd, ".", IN_CREATE | IN_MASK_ADD | IN_MASK_CREATE)));
	say("on a pipe: %s\n", R(inotify_add_watch(p[0], ".", IN_CREATE)));
	say("bad fd: %s\n", R(inotify_add_watch(999, ".", IN_CREATE)));
	say("missing: %s\n", R(inotify_add_watch(fd, "nothere", IN_CREATE)));
	say("onlydir on a file: %s\n", R(inotify_add_watch(fd, "plain", IN_CREATE | IN_ONLYDIR)));
	say("rm unknown wd: %s\n", R(inotify_rm_watch(fd, 12345)));
	say("rm on a pipe: %s\n", R(inotify_rm_watch(p[0], 1)));
	say("init1 bad flags: %s\n", R(inotify_init1(0x1)));
	close(p[0]);
	close(p[1]);
}

static void overflow(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	mkdir("many", 0755);
	inotify_add_watch(fd, "many", IN_CREATE);
	char name[32];
	for (int i = 0; i < 16400; i++) {
		snprintf(name, sizeof(name), "many/%05d", i);
		mknod(name, S_IFREG | 0644, 0);
	}
	int creates = 0, overflows = 0, other = 0, last_wd = 0;
	char buf[65536] __attribute__((aligned(8)));
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->mask == IN_CREATE)
				creates++;
			else if (ev->mask == IN_Q_OVERFLOW)
				overflows++, last_wd = ev->wd;
			else
				other++;
			p += sizeof(*ev) + ev->len;
		}
	say("overflow: %d creates, %d overflow (wd %d), %d other\n", creates, overflows, last_wd, other);
	/* room again: events queue after the overflow */
	mknod("many/later", S_IFREG | 0644, 0);
	drain(fd, "after the overflow was read");
	close(fd);
}

int main(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	say("init1: %s\n", fd >= 0 ? "fd" : errname(errno));
	say("cloexec: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	char fd_link[64], target[64] = "";
	snprintf(fd_link, sizeof(fd_link), "/proc/self/fd/%d", fd);
	readlink(fd_link, target, sizeof(target) - 1);
	say("/proc/self/fd: %s\n", target);
	drain(fd, "nothing yet");
	make("plain");
	errors(fd);

	mkdir("d", 0755);
	int wd = inotify_add_watch(fd, "d", CHANGES);
	say("watch d: %d\n", wd);
	say("watch d again, create only: %s\n", R(inotify_add_watch(fd, "d", IN_CREATE | IN_MASK_CREATE)));
	say("watch d again: %d\n", inotify_add_watch(fd, "d", CHANGES));
	make("d/f");
	int bytes = -1;
	ioctl(fd, FIONREAD, &bytes);
	say("FIONREAD after one event: %d\n", bytes);
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	int ready = poll(&pf, 1, 0);
	say("poll: %d revents %#x\n", ready, pf.revents);
	mkdir("d/sub", 0755);
	symlink("f", "d/link");
	link("d/f", "d/hard");
	drain(fd, "create, mkdir, symlink, link");

	chmod("d/f", 0600);
	truncate("d/f", 10);
	int tfd = open("d/f", O_WRONLY | O_TRUNC);
	close(tfd);
	utimensat(AT_FDCWD, "d/sub", NULL, 0);
	drain(fd, "chmod, truncate, open O_TRUNC, utimens on a folder");

	rename("d/f", "d/g");
	rename("d/sub", "d/sub2");
	mkdir("elsewhere", 0755);
	rename("d/g", "elsewhere/g");
	rename("elsewhere/g", "d/back");
	make("d/victim");
	rename("d/back", "d/victim");
	make("d/x");
	mkdir("d/y", 0755);
	say("exchange: %s\n", R(syscall(SYS_renameat2, AT_FDCWD, "d/x", AT_FDCWD, "d/y", RENAME_EXCHANGE)));
	rename("d/y", "d/x2");
	rename("d/x", "d/y");
	unlink("d/x2");
	rmdir("d/y");
	drain(fd, "renames");

	int wd_file = inotify_add_watch(fd, "d/victim", IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
	say("watch d/victim: %s\n", wd_file > wd ? "new wd" : errname(errno));
	int wd_sub = inotify_add_watch(fd, "d/sub2", IN_DELETE_SELF | IN_CREATE);
	rename("d/victim", "d/victim2");
	unlink("d/hard");
	unlink("d/victim2");
	unlink("d/link");
	rmdir("d/sub2");
	drain(fd, "unlink and rmdir of watched ones");
	say("rm the ended watch: %s\n", R(inotify_rm_watch(fd, wd_sub)));

	/* IN_ONESHOT, IN_MASK_ADD, rm_watch */
	mkdir("e", 0755);
	int wd_e = inotify_add_watch(fd, "e", IN_CREATE | IN_ONESHOT);
	make("e/1");
	make("e/2");
	drain(fd, "oneshot");
	wd_e = inotify_add_watch(fd, "e", IN_CREATE);
	say("mask add: same wd %d\n", inotify_add_watch(fd, "e", IN_DELETE | IN_MASK_ADD) == wd_e);
	make("e/3");
	unlink("e/3");
	say("rm_watch: %s\n", R(inotify_rm_watch(fd, wd_e)));
	make("e/4");
	drain(fd, "mask add, then removed");

	/* a watch on the folder itself, then the folder removed */
	say("watch /usr: %s\n", inotify_add_watch(fd, "/usr", IN_ALL_EVENTS) > 0 ? "wd" : errname(errno));
	chmod("d", 0700);
	rename("d", "d2");
	unlink("d2/back");
	rmdir("d2");
	drain(fd, "the watched folder moved and removed");
	close(fd);

	/* blocking read of queued events; a folder watched by symlink */
	fd = inotify_init();
	symlink("e", "to_e");
	say("dont_follow on a symlink: %s\n",
	    inotify_add_watch(fd, "to_e", IN_ATTRIB | IN_DONT_FOLLOW) > 0 ? "wd" : errname(errno));
	inotify_add_watch(fd, "to_e", IN_CREATE);
	make("e/5");
	char buf[256] __attribute__((aligned(8)));
	ssize_t n = read(fd, buf, sizeof(buf));
	struct inotify_event *ev = (struct inotify_event *)buf;
	say("blocking read: %zd, mask %#x, name %s\n", n, n > 0 ? ev->mask : 0, n > 0 ? ev->name : "-");
	close(fd);

	/* a reader blocked in read and in epoll wakes when another process
	 * makes the change */
	fd = inotify_init1(IN_CLOEXEC);
	mkdir("later", 0755);
	inotify_add_watch(fd, "later", IN_CREATE);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ee = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
	for (int round = 0; round < 2; round++) {
		pid_t child = fork();
		if (child == 0) {
			usleep(50 * 1000);
			_exit(mkdir(round ? "later/by_child2" : "later/by_child", 0755) ? 1 : 0);
		}
		if (round)
			say("epoll_wait: %d\n", epoll_wait(ep, &ee, 1, 5000));
		n = read(fd, buf, sizeof(buf));
		say("woken by a child: %zd, mask %#x, name %s\n", n, n > 0 ? ev->mask : 0, n > 0 ? ev->name : "-");
		waitpid(child, NULL, 0);
	}
	close(ep);
	close(fd);

	overflow();
	return 0;
}
