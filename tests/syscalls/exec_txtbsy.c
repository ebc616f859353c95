/* ETXTBSY: a program some process runs cannot be opened for writing or
 * truncated, and a file some process holds open for writing (or mapped
 * shared and writable) cannot be run, as Linux 6.18 answers. */
#include <sys/mman.h>

#include "common.h"

/* Runs ./NAME wait: it says it runs on `ready`, then waits for `go` to
 * close. Returns its pid, or -1 when the exec failed. */
static pid_t start(const char *name, int *go)
{
	int ready[2], hold[2];
	MUST(pipe2(ready, O_CLOEXEC));
	MUST(pipe2(hold, O_CLOEXEC));
	pid_t pid = fork();
	if (pid == 0) {
		/* copies first: a pipe end may already be 3 or 4 */
		int h = dup(hold[0]), r = dup(ready[1]);
		dup2(h, 3);
		dup2(r, 4);
		char path[64];
		snprintf(path, sizeof(path), "./%s", name);
		execl(path, path, "wait", (char *)NULL);
		say("  exec %s: %s\n", name, errname(errno));
		_exit(127);
	}
	close(hold[0]);
	close(ready[1]);
	char c;
	ssize_t n = read(ready[0], &c, 1);
	close(ready[0]);
	*go = hold[1];
	if (n != 1) {
		close(hold[1]);
		int status;
		waitpid(pid, &status, 0);
		return -1;
	}
	return pid;
}

static void finish(pid_t pid, int go)
{
	if (pid < 0)
		return;
	close(go);
	int status;
	waitpid(pid, &status, 0);
}

/* Runs ./NAME once and says how the exec went. */
static void run_once(const char *label, const char *name)
{
	int go;
	pid_t pid = start(name, &go);
	say("  %s: %s\n", label, pid < 0 ? "refused" : "ran");
	finish(pid, go);
}

static void copy_self(const char *to)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	char buf[65536];
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		sc_write_all(out, buf, (size_t)n);
	if (in < 0 || out < 0)
		say("setup failed: copy_self %s\n", errname(errno));
	close(in);
	close(out);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "wait") == 0) {
		char c;
		write(4, "r", 1);
		close(4);
		while (read(3, &c, 1) > 0)
			;
		return 0;
	}
	begin("ETXTBSY");
	copy_self("prog");
	MUST(symlink("prog", "sprog"));

	say("while ./prog runs:\n");
	int go;
	pid_t pid = start("prog", &go);
	TO(open("prog", O_WRONLY));
	TO(open("prog", O_RDWR));
	TO(open("prog", O_RDONLY | O_TRUNC));
	TO(open("prog", O_WRONLY | O_TRUNC));
	TO(open("prog", O_RDONLY));
	TO(open("sprog", O_WRONLY));
	T(truncate("prog", 10));
	T(link("prog", "hard"));
	TO(open("hard", O_WRONLY));
	T(rename("prog", "moved"));
	TO(open("moved", O_RDWR));
	T(rename("moved", "prog"));
	T(unlink("hard"));
	struct stat st;
	T(stat("prog", &st) == 0 && st.st_size > 10);
	/* a copy under another name is another file */
	copy_self("other");
	TO(open("other", O_WRONLY));
	finish(pid, go);
	say("after it exited:\n");
	TO(open("prog", O_WRONLY));
	T(truncate("other", 0));

	say("run while open for writing:\n");
	int w = T(open("prog", O_WRONLY | O_CLOEXEC));
	run_once("open O_WRONLY", "prog");
	close(w);
	run_once("closed", "prog");
	w = T(open("prog", O_RDONLY | O_CLOEXEC));
	run_once("open O_RDONLY", "prog");
	close(w);

	say("open for writing in another process:\n");
	int ready[2], hold[2];
	MUST(pipe2(ready, O_CLOEXEC));
	MUST(pipe2(hold, O_CLOEXEC));
	pid_t holder = fork();
	if (holder == 0) {
		close(hold[1]);
		int fd = open("prog", O_RDWR | O_CLOEXEC);
		char c = fd >= 0 ? 'y' : 'n';
		write(ready[1], &c, 1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	char c = 0;
	read(ready[0], &c, 1);
	close(ready[0]);
	say("  holder opened: %c\n", c);
	run_once("held by another process", "prog");
	close(hold[1]);
	int status;
	waitpid(holder, &status, 0);
	run_once("after the holder exited", "prog");

	say("mapped shared and writable:\n");
	w = T(open("prog", O_RDWR | O_CLOEXEC));
	void *map = TP(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0), MAP_FAILED);
	close(w);
	run_once("mapped, fd closed", "prog");
	if (map != MAP_FAILED)
		munmap(map, 4096);
	run_once("unmapped", "prog");

	say("scripts:\n");
	put("script", "#!/bin/sh\nprintf r >&4\nexec 4>&-\nread x <&3\n");
	MUST(chmod("script", 0755));
	w = T(open("script", O_WRONLY | O_CLOEXEC));
	run_once("script open for writing", "script");
	close(w);
	pid = start("script", &go);
	say("  script runs: %s\n", pid < 0 ? "no" : "yes");
	TO(open("script", O_WRONLY));
	finish(pid, go);
	return 0;
}
