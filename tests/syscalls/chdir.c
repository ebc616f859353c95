/* chdir, fchdir and getcwd. */
#include "common.h"

int main(void)
{
	begin("chdir and getcwd");
	MUST(mkdir("a", 0755));
	MUST(mkdir("a/b", 0755));
	MUST(symlink("a/b", "lb"));
	put("f", "x");
	pwd();
	T(chdir("a"));
	pwd();
	T(chdir("b"));
	pwd();
	T(chdir("../.."));
	pwd();
	/* getcwd shows the resolved path, not the symlink. */
	T(chdir("lb"));
	pwd();
	T(chdir(".."));
	pwd();
	T(chdir(sc_start));
	T(chdir("f"));
	T(chdir("missing"));
	T(chdir("f/x"));
	T(chdir(""));
	T(syscall(SYS_chdir, (char *)1));
	pwd();
	/* fchdir on directory fds, a file fd, a closed fd. */
	int a = T(open("a", O_RDONLY | O_DIRECTORY));
	int f = T(open("f", O_RDONLY));
	T(fchdir(a));
	pwd();
	cat("b/../../f");
	T(fchdir(f));
	T(fchdir(99));
	T(close(f));
	/* The cwd is per process: a child's chdir does not move the parent. */
	pid_t pid = fork();
	if (pid == 0) {
		if (chdir("b") == 0)
			pwd();
		_exit(0);
	}
	reap("child", pid);
	pwd();
	/* getcwd buffer sizes. */
	char buf[PATH_MAX];
	long len = syscall(SYS_getcwd, buf, sizeof(buf));
	say("  getcwd length = start + %ld\n", len - (long)strlen(sc_start));
	T(syscall(SYS_getcwd, buf, (size_t)len) == len);
	T(syscall(SYS_getcwd, buf, (size_t)len - 1));
	T(syscall(SYS_getcwd, buf, 0));
	T(syscall(SYS_getcwd, (char *)1, sizeof(buf)));
	T(getcwd(buf, 1) == NULL);
	say("  errno %s\n", errname(errno));
	char *p = getcwd(NULL, 0);
	say("  getcwd(NULL, 0): %s\n", p ? rel(p) : "NULL");
	free(p);
	T(chdir("/"));
	pwd();
	T(chdir(".."));
	pwd();
	T(fchdir(a));
	pwd();
	T(close(a));
	/* /proc/self/cwd follows. */
	link_of("/proc/self/cwd");
	return 0;
}
