/* /proc/self: exe, fd listing, fd links, cwd, reopening through fd links. */
#include "common.h"

static void list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d) {
		say("  opendir /proc/self/fd: %s\n", errname(errno));
		return;
	}
	int fds[64], n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		if (e->d_name[0] != '.')
			fds[n++] = atoi(e->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	say("  /proc/self/fd:");
	for (int i = 0; i < n; i++)
		say(" %d", fds[i]);
	say("\n");
}

int main(void)
{
	begin("/proc/self");
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		char *base = strrchr(buf, '/');
		say("  exe basename: %s\n", base ? base + 1 : buf);
		struct stat a, b;
		say("  exe is this program: %s\n",
		    stat("/proc/self/exe", &a) == 0 && stat(buf, &b) == 0 && a.st_ino == b.st_ino ? "yes" : "no");
	} else {
		say("  readlink /proc/self/exe: %s\n", errname(errno));
	}
	list_fds();
	put("f", "0123456789");
	int fd = T(open("f", O_RDONLY));
	int p[2];
	MUST(pipe(p));
	list_fds();
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	link_of(path);
	/* The link's mode follows the open mode; its size is not shown (it
	 * differs between kernel versions). */
	struct stat st;
	lstat(path, &st);
	say("  lstat fd link: %s mode=%04o\n", ftype(st.st_mode), st.st_mode & 07777);
	SHOWF(path);
	/* A pipe's link names its kind (the number is an inode: not shown). */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		char *bracket = strchr(buf, '[');
		if (bracket)
			*bracket = 0;
		say("  pipe link kind: %s\n", buf);
	}
	/* Reopening through the link gives a new open file with its own offset. */
	T(lseek(fd, 5, SEEK_SET));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int re = TL("open(/proc/self/fd/<f>)", open(path, O_RDONLY));
	T(lseek(re, 0, SEEK_CUR));
	readfd("reopened", re);
	T(close(re));
	/* Reopening for writing a file opened read-only works when the
	 * file's permissions allow it. */
	re = TL("open(/proc/self/fd/<f>, O_WRONLY|O_APPEND)", open(path, O_WRONLY | O_APPEND));
	T(write(re, "X", 1));
	T(close(re));
	cat("f");
	/* A closed fd. */
	T(close(fd));
	T(readlink(path, buf, sizeof(buf)));
	T(open(path, O_RDONLY));
	/* fdinfo: position and flags. */
	fd = T(open("f", O_RDWR | O_APPEND));
	T(lseek(fd, 3, SEEK_SET));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int info = open(path, O_RDONLY);
	n = read(info, buf, sizeof(buf) - 1);
	close(info);
	if (n > 0) {
		buf[n] = 0;
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			if (strncmp(line, "pos:", 4) == 0 || strncmp(line, "flags:", 6) == 0)
				say("  fdinfo %s\n", line);
	}
	T(close(fd));
	/* /proc/self/cwd and /proc/self is this process. */
	link_of("/proc/self/cwd");
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	say("  /proc/self is getpid: %s\n", atoi(buf) == getpid() ? "yes" : "no");
	/* A child's /proc/self is its own. */
	pid_t pid = fork();
	if (pid == 0) {
		n = readlink("/proc/self", buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		_exit(atoi(buf) == getpid() ? 0 : 1);
	}
	reap("child /proc/self", pid);
	return 0;
}
