/* Three children and two threads that sleep forever, each writing its
 * id first; then "ready". The harness kills the sentry and watches them. */
#include <pthread.h>
#include <sys/syscall.h>

#include "it.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int started;

static void *sleeper(void *arg)
{
	pthread_mutex_lock(&lock);
	say("thread %d\n", (int)syscall(SYS_gettid));
	started++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	say("main %d\n", (int)getpid());
	for (int i = 0; i < 3; i++) {
		pid_t c = fork();
		if (c == 0) {
			say("child %d\n", (int)getpid());
			for (;;)
				pause();
		}
	}
	pthread_t t;
	for (int i = 0; i < 2; i++)
		pthread_create(&t, NULL, sleeper, NULL);
	pthread_mutex_lock(&lock);
	while (started < 2)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	say("ready\n");
	for (;;)
		pause();
}
