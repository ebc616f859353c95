/* The caller's stdin is a host file: take a flock, an open file
 * description lock and a read lease on it, and hold them while the host
 * watcher tries to lock it and to open it for writing. */
#define _GNU_SOURCE
#include <sys/file.h>
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	CHECK("flock(0, LOCK_SH|LOCK_NB)", flock(0, LOCK_SH | LOCK_NB));
	int d = open("/proc/self/fd/0", O_RDONLY);
	say("reopen /proc/self/fd/0: %s\n", res(d, errno));
	if (d >= 0)
		CHECK("flock(reopen, LOCK_SH|LOCK_NB)", flock(d, LOCK_SH | LOCK_NB));
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	CHECK("F_OFD_SETLK F_RDLCK", fcntl(0, F_OFD_SETLK, &fl));
	CHECK("F_SETLK F_RDLCK", fcntl(0, F_SETLK, &fl));
	CHECK("F_SETLEASE F_RDLCK", fcntl(0, F_SETLEASE, F_RDLCK));
	sleep(2);
	return 0;
}
