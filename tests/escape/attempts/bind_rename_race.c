/* Renames racing opens in a --bind folder: one thread moves bind/in/x to
 * bind/x and back without pause while another opens
 * bind/in/x/../../../secret/secret.txt; then bind/in itself is renamed out
 * of the bind (into the temp area) and written through an fd opened
 * before.  Natively ".." follows the folders wherever they are and the
 * rename out succeeds; inside, the sentry's host lookups stay beneath the
 * bind (openat2 RESOLVE_BENEATH) and a rename out of a mount is EXDEV. */
#include "esc.h"
#include <pthread.h>
#include <stdatomic.h>

static char inner[4096], outer[4096];
static atomic_int stop;

static void *mover(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		rename(inner, outer);
		rename(outer, inner);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *bind = arg("bind");
	snprintf(inner, sizeof(inner), "%s/in/x", bind);
	snprintf(outer, sizeof(outer), "%s/x", bind);
	CHECK("mkdir bind/in/x", mkdir(inner, 0755));
	char target[8192];
	snprintf(target, sizeof(target), "%s/../../../secret/secret.txt", inner);
	pthread_t t;
	pthread_create(&t, NULL, mover, NULL);
	int opened = 0, tries = 0;
	long end = now_ms() + 1000;
	while (now_ms() < end && !opened) {
		tries++;
		int fd = open(target, O_RDONLY);
		if (fd >= 0) {
			opened = 1;
			say("race: opened after %d tries\n", tries);
			dump_fd("race", fd);
			close(fd);
		}
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	if (!opened)
		say("race: no open in %d tries\n", tries);
	char in[4096], out[4096];
	snprintf(in, sizeof(in), "%s/in", bind);
	snprintf(out, sizeof(out), "%s/moved-out", arg("area"));
	int dfd = open(in, O_RDONLY | O_DIRECTORY);
	say("open bind/in: %s\n", res(dfd, errno));
	if (CHECK("rename bind/in out of the bind", rename(in, out)) == 0 && dfd >= 0) {
		int fd = openat(dfd, "written-outside", O_WRONLY | O_CREAT, 0644);
		say("create through the fd opened before: %s\n", res(fd, errno));
	}
	return 0;
}
