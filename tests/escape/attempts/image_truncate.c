/* truncate and ftruncate of a file inside the image, and fallocate. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	CHECK("truncate 0", truncate(c, 0));
	CHECK("truncate 1M", truncate(c, 1 << 20));
	int fd = open(c, O_RDWR);
	say("open O_RDWR: %s\n", res(fd, errno));
	if (fd >= 0) {
		CHECK("ftruncate 1", ftruncate(fd, 1));
		CHECK("fallocate punch", fallocate(fd, 3 /* KEEP_SIZE|PUNCH_HOLE */, 0, 4096));
	}
	fd = open(c, O_RDONLY);
	if (fd >= 0)
		CHECK("ftruncate of a read-only fd", ftruncate(fd, 0));
	return 0;
}
