/* The name an exec gives the process (comm, /proc/<pid>/stat's second
 * field, status Name, PR_GET_NAME): the last part of the path handed to
 * execve, as ps shows it, not of the file it resolves to; a #! script's
 * own name; 15 bytes at most. */
#include "common.h"

#include <sys/prctl.h>

static char text[4096];

static const char *slurp(const char *path)
{
	text[0] = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return text;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = 0;
	close(fd);
	return text;
}

static void report(void)
{
	char name[17] = "";
	prctl(PR_GET_NAME, name);
	say("  PR_GET_NAME %s\n", name);
	say("  comm %s", slurp("/proc/self/comm"));
	const char *open_paren = strchr(slurp("/proc/self/stat"), '(');
	const char *close_paren = strrchr(text, ')');
	if (open_paren && close_paren)
		say("  stat (%.*s)\n", (int)(close_paren - open_paren - 1), open_paren + 1);
	const char *status = strstr(slurp("/proc/self/status"), "Name:");
	say("  status %.*s\n", status ? (int)strcspn(status, "\n") : 0, status ? status : "");
}

/* The children report rather than run the test again, whatever their
 * argv (a #! script's has the script's path in argv[1]). */
static char *const env[] = { "EXEC_NAME_REPORT=1", NULL };

static void run(const char *label, int dirfd, const char *path, int flags)
{
	say("%s\n", label);
	pid_t pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, dirfd, path, (char *[]){ "argv0-is-not-the-name", NULL }, env, flags);
		say("  execveat: %s\n", errname(errno));
		_exit(1);
	}
	reap("child", pid);
}

int main(void)
{
	if (getenv("EXEC_NAME_REPORT")) {
		report();
		return 0;
	}
	begin("the name an exec gives");
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	MUST(symlink(self, "a-link"));
	MUST(symlink(self, "a-name-longer-than-fifteen-bytes"));
	MUST(symlink("a-link", "a-link-to-a-link"));
	int fd = (int)MUST(open("script.sh", O_WRONLY | O_CREAT, 0755));
	dprintf(fd, "#!%s\n", self);
	close(fd);
	fd = (int)MUST(open("script-of-a-link", O_WRONLY | O_CREAT, 0755));
	dprintf(fd, "#!a-link\n");
	close(fd);

	run("the program by its own path", AT_FDCWD, self, 0);
	run("through a symlink", AT_FDCWD, "a-link", 0);
	run("through two symlinks", AT_FDCWD, "./a-link-to-a-link", 0);
	run("a name longer than 15 bytes", AT_FDCWD, "a-name-longer-than-fifteen-bytes", 0);
	run("a #! script", AT_FDCWD, "./script.sh", 0);
	run("a #! script whose interpreter is a symlink", AT_FDCWD, "script-of-a-link", 0);
	int dir = (int)MUST(open(".", O_RDONLY | O_DIRECTORY));
	run("execveat relative to a folder", dir, "a-link", 0);
	close(dir);
	fd = (int)MUST(open("a-link", O_RDONLY));
	run("execveat AT_EMPTY_PATH", fd, "", AT_EMPTY_PATH);
	close(fd);
	fd = (int)MUST(open("a-link", O_PATH));
	run("execveat AT_EMPTY_PATH of an O_PATH fd", fd, "", AT_EMPTY_PATH);
	close(fd);
	fd = (int)MUST(open("script.sh", O_RDONLY));
	run("execveat AT_EMPTY_PATH of a script", fd, "", AT_EMPTY_PATH);
	close(fd);
	return 0;
}
