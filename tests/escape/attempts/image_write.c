/* Writes to a file inside the image: O_WRONLY, O_RDWR, O_APPEND, O_TRUNC,
 * and write through a read-only fd after F_SETFL. */
#include "esc.h"

static void write_with(const char *label, const char *path, int flags)
{
	int fd = open(path, flags);
	say("%s: open: %s\n", label, res(fd, errno));
	if (fd >= 0) {
		CHECK("write", write(fd, "sentry-escape\n", 14));
		CHECK("pwrite", pwrite(fd, "sentry-escape\n", 14, 0));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	write_with("O_WRONLY", c, O_WRONLY);
	write_with("O_RDWR", c, O_RDWR);
	write_with("O_APPEND", c, O_WRONLY | O_APPEND);
	write_with("O_TRUNC", c, O_WRONLY | O_TRUNC);
	int fd = open(c, O_RDONLY);
	if (fd >= 0) {
		CHECK("F_SETFL O_RDWR on a read-only fd", fcntl(fd, F_SETFL, O_RDWR));
		CHECK("write on the read-only fd", write(fd, "x", 1));
	}
	return 0;
}
