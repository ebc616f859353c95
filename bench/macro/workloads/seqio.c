// name: seq write+read 256 MiB
// what: a static C program writes a 256 MiB file in 1 MiB writes, reads it back and unlinks it (the work folder: tmpfs natively, memory in the sandboxes)
// quick: yes
// build: static
// run: ./seqio
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static char buf[CHUNK];

static void die(const char *what)
{
	fprintf(stderr, "seqio: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 256;
	uint64_t sum_out = 0, sum_in = 0;

	int fd = open("seqio.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("create seqio.dat");
	for (long c = 0; c < mib; c++) {
		memset(buf, (int)(c * 7 + 1), CHUNK);
		sum_out += (uint64_t)(unsigned char)buf[0] * CHUNK;
		for (size_t off = 0; off < CHUNK;) {
			ssize_t n = write(fd, buf + off, CHUNK - off);
			if (n <= 0)
				die("write");
			off += (size_t)n;
		}
	}
	if (close(fd) != 0)
		die("close");

	fd = open("seqio.dat", O_RDONLY);
	if (fd < 0)
		die("open seqio.dat");
	long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		/* one byte of every 4 KiB page, by its offset in the file */
		for (long off = (total + 4095) / 4096 * 4096; off < total + n; off += 4096)
			sum_in += (uint64_t)(unsigned char)buf[off - total] * 4096;
		total += n;
	}
	close(fd);
	if (total != mib * CHUNK || sum_in != sum_out) {
		fprintf(stderr, "seqio: read back %ld bytes, checksum %s\n", total,
			sum_in == sum_out ? "ok" : "wrong");
		return 1;
	}
	if (unlink("seqio.dat") != 0)
		die("unlink seqio.dat");
	return 0;
}
