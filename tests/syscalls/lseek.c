/* lseek: whence values, holes, errors. */
#include "common.h"

int main(void)
{
	begin("lseek");
	put("f", "0123456789");
	int fd = T(open("f", O_RDWR));
	T(lseek(fd, 3, SEEK_SET));
	T(lseek(fd, 2, SEEK_CUR));
	T(lseek(fd, -1, SEEK_CUR));
	T(lseek(fd, -3, SEEK_END));
	T(lseek(fd, 0, SEEK_END));
	T(lseek(fd, 100, SEEK_END));
	T(lseek(fd, -1, SEEK_SET));
	T(lseek(fd, -200, SEEK_END));
	T(lseek(fd, 0, 99));
	T(lseek(fd, 0, SEEK_CUR));
	/* A write past the end leaves a hole of zeros. */
	T(lseek(fd, 20, SEEK_SET));
	T(write(fd, "end", 3));
	cat("f");
	SHOW("f");
	/* SEEK_DATA and SEEK_HOLE on a sparse file. */
	int sp = T(open("sparse", O_RDWR | O_CREAT, 0644));
	T(pwrite(sp, "data", 4, 1 << 20));
	T(lseek(sp, 0, SEEK_DATA));
	T(lseek(sp, 0, SEEK_HOLE));
	T(lseek(sp, (1 << 20) + 4, SEEK_HOLE));
	T(lseek(sp, (1 << 20) + 4, SEEK_DATA));
	T(lseek(sp, 2 << 20, SEEK_DATA));
	T(lseek(sp, 2 << 20, SEEK_HOLE));
	T(close(sp));
	/* Large offsets. */
	T(lseek(fd, 1LL << 40, SEEK_SET));
	T(lseek(fd, 0x7fffffffffffffffLL, SEEK_SET));
	T(lseek(fd, 1, SEEK_CUR));
	T(close(fd));
	/* Directories: only rewinding is portable. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(lseek(dfd, 0, SEEK_SET));
	T(lseek(dfd, 0, SEEK_CUR));
	T(close(dfd));
	/* Other kinds. */
	int p[2];
	MUST(pipe(p));
	T(lseek(p[0], 0, SEEK_SET));
	T(lseek(99, 0, SEEK_SET));
	fd = T(open("/dev/zero", O_RDONLY));
	T(lseek(fd, 1000, SEEK_SET));
	T(close(fd));
	return 0;
}
