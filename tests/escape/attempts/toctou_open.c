/* A path that changes under the check: one thread flips a shared buffer
 * between a harmless name and the secret's host path while the main
 * thread opens it, for 20000 opens or 2 seconds. */
#include <pthread.h>

#include "esc.h"

static char path[4096];
static char harmless[4096];
static const char *secret;
static volatile int stop;

static void *flipper(void *unused)
{
	size_t hl = strlen(harmless) + 1, sl = strlen(secret) + 1;
	while (!stop) {
		memcpy(path, secret, sl);
		memcpy(path, harmless, hl);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	secret = arg("secret");
	/* As long as the secret's path, so the flip rewrites every byte. */
	snprintf(harmless, sizeof(harmless), "/etc/hostname");
	memcpy(path, harmless, strlen(harmless) + 1);
	pthread_t t;
	if (pthread_create(&t, NULL, flipper, NULL)) {
		say("pthread_create failed\n");
		return 0;
	}
	long deadline = now_ms() + 2000;
	int opened = 0, failed = 0, leaked = 0;
	char buf[4096];
	for (int i = 0; i < 20000 && now_ms() < deadline && leaked < 3; i++) {
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			failed++;
			continue;
		}
		opened++;
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			/* /etc/hostname is one short line; anything else is shown. */
			if (strchr(buf, '\n') != buf + n - 1 || n > 64 || strstr(buf, "TOKEN")) {
				say("read something else: [%s]\n", buf);
				leaked++;
			}
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	say("opens: %d succeeded, %d failed, %d read something other than /etc/hostname\n", opened, failed, leaked);
	return 0;
}
