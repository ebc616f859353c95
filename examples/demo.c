/* A static program that shows the sandbox at work: it runs, forks and
 * starts threads as usual, while reaching outside is refused. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && write(1, line, (size_t)n) < 0)
		_exit(1);
}

static void *worker(void *arg)
{
	long *sum = arg;
	for (long i = 1; i <= 1000; i++)
		__atomic_add_fetch(sum, i, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	say("hello from inside the sandbox, pid %d\n", getpid());

	pid_t child = fork();
	if (child == 0)
		_exit(42);
	int status;
	waitpid(child, &status, 0);
	say("a child exited with %d\n", WEXITSTATUS(status));

	long sum = 0;
	pthread_t threads[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&threads[i], NULL, worker, &sum);
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	say("4 threads summed %ld\n", sum);

	int r = kill(1, 0);
	say("signal to the host's pid 1: %s\n", r == 0 ? "delivered" : strerror(errno));
	r = mount("none", "/mnt", "tmpfs", 0, NULL);
	say("mount: %s\n", r == 0 ? "done" : strerror(errno));
	return 0;
}
