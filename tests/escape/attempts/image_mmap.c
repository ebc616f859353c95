/* A shared writable mapping of a file inside the image: through an
 * O_RDWR fd, through an O_RDONLY fd (then mprotect), and msync. */
#include <sys/mman.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	int fd = open(c, O_RDWR);
	say("open O_RDWR: %s\n", res(fd, errno));
	if (fd >= 0) {
		char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		say("mmap shared rw: %s\n", m == MAP_FAILED ? res(-1, errno) : "mapped");
		if (m != MAP_FAILED) {
			memcpy(m, "ESCAPED", 7);
			CHECK("msync", msync(m, 4096, MS_SYNC));
		}
		close(fd);
	}
	fd = open(c, O_RDONLY);
	say("open O_RDONLY: %s\n", res(fd, errno));
	if (fd >= 0) {
		char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		say("mmap shared rw of a read-only fd: %s\n", m == MAP_FAILED ? res(-1, errno) : "mapped");
		m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		say("mmap shared ro: %s\n", m == MAP_FAILED ? res(-1, errno) : "mapped");
		if (m != MAP_FAILED && CHECK("mprotect rw", mprotect(m, 4096, PROT_READ | PROT_WRITE)) == 0) {
			memcpy(m, "ESCAPED", 7);
			CHECK("msync", msync(m, 4096, MS_SYNC));
		}
	}
	return 0;
}
