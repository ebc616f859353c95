/* The caller's stdin is a read-only host file: write to fd 0, reopen it
 * for writing through /proc/self/fd/0 and /dev/stdin, and change its
 * flags. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	CHECK("write(0)", write(0, "ESCAPED\n", 8));
	CHECK("F_SETFL O_RDWR", fcntl(0, F_SETFL, O_RDWR | O_APPEND));
	CHECK("write(0) again", write(0, "ESCAPED\n", 8));
	CHECK("ftruncate(0)", ftruncate(0, 0));
	const char *names[] = { "/proc/self/fd/0", "/dev/stdin", "/dev/fd/0", "/proc/thread-self/fd/0" };
	for (size_t i = 0; i < 4; i++) {
		int fd = open(names[i], O_RDWR);
		say("open %s O_RDWR: %s\n", names[i], res(fd, errno));
		if (fd < 0)
			fd = open(names[i], O_WRONLY | O_APPEND);
		if (fd >= 0) {
			CHECK("write", write(fd, "ESCAPED\n", 8));
			close(fd);
		}
		fd = open(names[i], O_WRONLY | O_TRUNC);
		say("open %s O_TRUNC: %s\n", names[i], res(fd, errno));
	}
	CHECK("chmod /proc/self/fd/0", chmod("/proc/self/fd/0", 0666));
	return 0;
}
