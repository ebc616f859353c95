/* An image file opened read-only (inside: the host's file, opened in place
 * through the host view): take a flock, a POSIX and an open file
 * description read lock and a read lease on it, and hold them while the
 * host watcher tries to lock it and to open it for writing. */
#define _GNU_SOURCE
#include <sys/file.h>
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int fd = open(arg("canary"), O_RDONLY);
	say("open O_RDONLY: %s\n", res(fd, errno));
	if (fd < 0)
		return 0;
	CHECK("flock LOCK_SH|LOCK_NB", flock(fd, LOCK_SH | LOCK_NB));
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	CHECK("F_SETLK F_RDLCK", fcntl(fd, F_SETLK, &fl));
	int other = open(arg("canary"), O_RDONLY);
	if (other >= 0)
		CHECK("F_OFD_SETLK F_RDLCK", fcntl(other, F_OFD_SETLK, &fl));
	int third = open(arg("canary"), O_RDONLY);
	if (third >= 0)
		CHECK("F_SETLEASE F_RDLCK", fcntl(third, F_SETLEASE, F_RDLCK));
	sleep(2);
	return 0;
}
