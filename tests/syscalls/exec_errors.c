/* execve errors: not executable, a directory, missing, garbage, bad
 * interpreters, too many interpreter levels. */
#include "common.h"

static void script(const char *name, const char *content, mode_t mode)
{
	put(name, content);
	if (chmod(name, mode) < 0)
		say("setup failed: chmod %s\n", name);
}

/* execve in a child, so that a success does not end the test. */
static void try_exec(const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };
		char *envp[] = { "PATH=/usr/bin:/bin", NULL };
		execve(path, argv, envp);
		say("execve(\"%s\") = %s\n", path, res(-1, errno));
		_exit(100);
	}
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 100)
		show_status(path, status);
}

int main(void)
{
	begin("execve errors");
	MUST(mkdir("dir", 0755));
	script("noexec", "#!/bin/sh\necho should not run\n", 0644);
	script("garbage", "this is not a program\n", 0755);
	script("empty", "", 0755);
	script("elfjunk", "\177ELF\2\1\1\0junk", 0755);
	script("nointerp", "#!/nonexistent/interpreter\n", 0755);
	script("interpdir", "#!/usr\n", 0755);
	script("interpnoexec", "#!./noexec\n", 0755);
	script("shebangonly", "#!\n", 0755);
	script("spaces", "#!   \n", 0755);
	script("ok", "#!/bin/sh\necho script ran with $# args\nexit 7\n", 0755);
	script("relative", "#!ok\n", 0755);
	MUST(symlink("garbage", "lgarbage"));
	MUST(symlink("missing", "dangling"));
	MUST(symlink("dir", "ldir"));
	/* Nested interpreters: l1 runs ok, l2 runs l1, ... */
	char prev[16] = "ok";
	for (int i = 1; i <= 6; i++) {
		char name[16], content[64];
		snprintf(name, sizeof(name), "n%d", i);
		snprintf(content, sizeof(content), "#!./%s\n", prev);
		script(name, content, 0755);
		snprintf(prev, sizeof(prev), "%s", name);
	}
	try_exec("./noexec");
	try_exec("./dir");
	try_exec("./ldir");
	try_exec("./missing");
	try_exec("./dangling");
	try_exec("./garbage");
	try_exec("./lgarbage");
	try_exec("./empty");
	try_exec("./elfjunk");
	try_exec("./nointerp");
	try_exec("./interpdir");
	try_exec("./interpnoexec");
	try_exec("./shebangonly");
	try_exec("./spaces");
	try_exec("./noexec/x");
	try_exec("");
	try_exec("./ok");
	try_exec("./relative");
	for (int i = 1; i <= 6; i++) {
		char name[16];
		snprintf(name, sizeof(name), "./n%d", i);
		try_exec(name);
	}
	/* Plain names are not searched in PATH by execve. */
	try_exec("true");
	/* A bad argv pointer. */
	errno = 0;
	long r = syscall(SYS_execve, "./ok", (char **)1, NULL);
	say("execve(\"./ok\", (char **)1, NULL) = %s\n", res(r, errno));
	/* execveat on a directory fd and with AT_EMPTY_PATH on a non-executable. */
	int fd = T(open("noexec", O_RDONLY));
	char *argv[] = { "x", NULL };
	T(syscall(SYS_execveat, fd, "", argv, NULL, AT_EMPTY_PATH));
	T(syscall(SYS_execveat, fd, "", argv, NULL, 0));
	T(syscall(SYS_execveat, AT_FDCWD, "./ok", argv, NULL, 0x1));
	return 0;
}
