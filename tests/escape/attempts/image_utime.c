/* Time changes of a file inside the image: utimensat, utimes, futimens. */
#include <sys/time.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	CHECK("utimensat", utimensat(AT_FDCWD, c, ts, 0));
	CHECK("utimensat now", utimensat(AT_FDCWD, c, NULL, 0));
	struct timeval tv[2] = { { 12345, 0 }, { 12345, 0 } };
	CHECK("utimes", utimes(c, tv));
	int fd = open(c, O_RDONLY);
	if (fd >= 0)
		CHECK("futimens", futimens(fd, ts));
	return 0;
}
