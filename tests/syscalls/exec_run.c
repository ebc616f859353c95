/* Programs that exist run inside as natively: /bin/true, /bin/false,
 * /bin/sh scripts, argv and envp passing, fexecve. */
#include "common.h"

static void run(const char *label, char *const argv[], char *const envp[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, envp);
		say("  %s: execve %s\n", label, errname(errno));
		_exit(127);
	}
	reap(label, pid);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "echo") == 0) {
		say("  self: argc %d:", argc);
		for (int i = 1; i < argc; i++)
			say(" [%s]", argv[i]);
		say(" env:");
		for (char **e = environ; *e; e++)
			say(" [%s]", *e);
		say("\n");
		return 3;
	}
	begin("exec of programs");
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	run("/bin/true", (char *[]){ "/bin/true", NULL }, env);
	run("/bin/false", (char *[]){ "/bin/false", NULL }, env);
	run("/usr/bin/true", (char *[]){ "/usr/bin/true", NULL }, env);
	run("sh -c", (char *[]){ "/bin/sh", "-c", "echo \"  sh: $0 $1 $2\"; exit 42", "zero", "one", "two", NULL }, env);
	run("sh kill", (char *[]){ "/bin/sh", "-c", "kill -TERM $$", NULL }, env);
	/* A script run through its #! line, with arguments. */
	put("script", "#!/bin/sh\necho \"  script: $# args: $*\"\nexit 5\n");
	MUST(chmod("script", 0755));
	run("script", (char *[]){ "./script", "a", "b c", NULL }, env);
	put("script2", "#!/bin/sh -e\necho \"  script2 with an option\"\nfalse\necho not reached\n");
	MUST(chmod("script2", 0755));
	run("script2", (char *[]){ "./script2", NULL }, env);
	/* Through a symlink. */
	MUST(symlink("script", "lscript"));
	run("lscript", (char *[]){ "./lscript", NULL }, env);
	/* The program itself, through /proc/self/exe, with argv and envp. */
	run("self", (char *[]){ "/proc/self/exe", "echo", "", "two words", NULL },
	    (char *[]){ "A=1", "B=with space", NULL });
	run("self no env", (char *[]){ "/proc/self/exe", "echo", NULL }, (char *[]){ NULL });
	/* fexecve and execveat with AT_EMPTY_PATH. */
	int fd = T(open("/bin/true", O_RDONLY | O_CLOEXEC));
	pid_t pid = fork();
	if (pid == 0) {
		fexecve(fd, (char *[]){ "true", NULL }, env);
		say("  fexecve: %s\n", errname(errno));
		_exit(127);
	}
	reap("fexecve /bin/true", pid);
	int sfd = T(open("script", O_PATH));
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, sfd, "", (char *[]){ "script", "x", NULL }, env, AT_EMPTY_PATH);
		say("  execveat script: %s\n", errname(errno));
		_exit(127);
	}
	reap("execveat script", pid);
	int dfd = T(open("/bin", O_RDONLY | O_DIRECTORY));
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, dfd, "false", (char *[]){ "false", NULL }, env, 0);
		say("  execveat false: %s\n", errname(errno));
		_exit(127);
	}
	reap("execveat /bin false", pid);
	/* execvp searches PATH. */
	pid = fork();
	if (pid == 0) {
		setenv("PATH", "/nonexistent:/usr/bin", 1);
		execvp("true", (char *[]){ "true", NULL });
		_exit(127);
	}
	reap("execvp true", pid);
	/* A shell pipeline inside. */
	run("sh pipeline", (char *[]){ "/bin/sh", "-c", "printf 'b\\na\\nc\\n' | sort | head -2 | tr '\\n' ' '; echo", NULL }, env);
	run("sh files", (char *[]){ "/bin/sh", "-c", "echo hi > made && cat made && ls", NULL }, env);
	ls(".");
	return 0;
}
