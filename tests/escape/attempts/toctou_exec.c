/* An exec path that changes under the check: in each of up to 400
 * children (2 seconds in all), a thread flips the path between a program
 * inside the image and the host program outside it while the main thread
 * calls execveat on it. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "esc.h"

static char path[4096];
static const char *a, *b;

static void *flipper(void *unused)
{
	size_t al = strlen(a) + 1, bl = strlen(b) + 1;
	for (;;) {
		memcpy(path, b, bl);
		memcpy(path, a, al);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	a = arg("image_bin");
	b = arg("hostbin");
	say("flipping execveat between %s and %s\n", a, b);
	long deadline = now_ms() + 2000;
	int runs = 0, exec_failed = 0, other = 0;
	for (int i = 0; i < 400 && now_ms() < deadline; i++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			alarm(2);
			memcpy(path, a, strlen(a) + 1);
			pthread_t t;
			if (pthread_create(&t, NULL, flipper, NULL))
				_exit(3);
			char *av[] = { path, "--version", NULL };
			char *ev[] = { NULL };
			for (int j = 0; j < 50; j++)
				syscall(SYS_execveat, AT_FDCWD, path, av, ev, 0);
			_exit(42);
		}
		int st;
		waitpid(pid, &st, 0);
		runs++;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 42)
			exec_failed++;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			other++;
	}
	say("children: %d, every exec failed in %d, other endings %d\n", runs, exec_failed, other);
	return 0;
}
