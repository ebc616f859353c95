/* pread/pwrite, readv/writev, preadv2/pwritev2: offsets and vectors. */
#include "common.h"
#include <sys/uio.h>

int main(void)
{
	begin("positional and vectored I/O");
	put("f", "abcdefghij");
	int fd = T(open("f", O_RDWR));
	char buf[32] = { 0 };
	T(pread(fd, buf, 4, 3));
	say("  %.4s\n", buf);
	T(lseek(fd, 0, SEEK_CUR));
	T(pwrite(fd, "XY", 2, 8));
	T(lseek(fd, 0, SEEK_CUR));
	T(pwrite(fd, "Z", 1, 15));
	cat("f");
	T(pread(fd, buf, 4, 100));
	T(pread(fd, buf, 4, -1));
	T(pwrite(fd, "x", 1, -1));
	/* writev and readv. */
	T(lseek(fd, 0, SEEK_SET));
	struct iovec w[3] = { { "one ", 4 }, { "", 0 }, { "two", 3 } };
	T(writev(fd, w, 3));
	T(lseek(fd, 0, SEEK_CUR));
	cat("f");
	T(lseek(fd, 0, SEEK_SET));
	char a[3], b[5];
	struct iovec r[2] = { { a, 3 }, { b, 5 } };
	T(readv(fd, r, 2));
	say("  a=%.3s b=%.5s\n", a, b);
	T(writev(fd, w, 0));
	T(syscall(SYS_writev, fd, w, -1));
	T(syscall(SYS_writev, fd, w, 2000));
	/* preadv/pwritev with offsets, and -1 meaning the file offset. */
	T(lseek(fd, 2, SEEK_SET));
	T(preadv(fd, r, 2, 0));
	say("  a=%.3s b=%.5s\n", a, b);
	T(lseek(fd, 0, SEEK_CUR));
	T(preadv2(fd, r, 1, -1, 0));
	T(lseek(fd, 0, SEEK_CUR));
	T(pwritev2(fd, w, 1, 0, 0));
	T(pwritev2(fd, w, 1, -1, 0));
	T(lseek(fd, 0, SEEK_CUR));
	T(pwritev2(fd, w, 1, 0, 0x1000));
	cat("f");
	/* Zero-length and short reads. */
	T(read(fd, buf, 0));
	T(lseek(fd, -2, SEEK_END));
	T(read(fd, buf, sizeof(buf)));
	T(read(fd, buf, sizeof(buf)));
	/* Large writes and reads come back whole. */
	static char big[200000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	int g = T(open("big", O_RDWR | O_CREAT | O_TRUNC, 0644));
	T(write(g, big, sizeof(big)));
	static char back[200000];
	T(pread(g, back, sizeof(back), 0));
	say("  same bytes: %s\n", memcmp(big, back, sizeof(big)) == 0 ? "yes" : "no");
	T(close(g));
	T(close(fd));
	return 0;
}
