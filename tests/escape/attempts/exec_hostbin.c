/* Running a host program that lies outside the image: execve by path,
 * through /proc/self/root, and execveat relative to the caller's fd 3. */
#include <sys/wait.h>

#include "esc.h"

static void run(const char *label, int dirfd, const char *path, int flags)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = { (char *)path, NULL };
		char *ev[] = { NULL };
		syscall(SYS_execveat, dirfd, path, av, ev, flags);
		say("%s: execveat %s: %s\n", label, path, res(-1, errno));
		_exit(42);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	say("%s: status %d\n", label, st);
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *h = arg("hostbin");
	char p[4096];
	run("by path", AT_FDCWD, h, 0);
	snprintf(p, sizeof(p), "/proc/self/root%s", h);
	run("through /proc/self/root", AT_FDCWD, p, 0);
	run("relative to fd 3", 3, "../hostbin", 0);
	int fd = open(h, O_PATH);
	say("open O_PATH: %s\n", res(fd, errno));
	if (fd >= 0)
		run("AT_EMPTY_PATH", fd, "", AT_EMPTY_PATH);
	return 0;
}
