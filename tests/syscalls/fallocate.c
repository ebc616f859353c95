/* fallocate: allocate, keep size, punch holes; errors. */
#include "common.h"

int main(void)
{
	begin("fallocate");
	int fd = T(open("f", O_RDWR | O_CREAT, 0644));
	T(write(fd, "0123456789", 10));
	T(fallocate(fd, 0, 0, 100));
	show_fd("f", fd);
	T(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4096));
	show_fd("f", fd);
	T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 3));
	cat("f");
	show_fd("f", fd);
	T(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1));
	T(fallocate(fd, 0, -1, 10));
	T(fallocate(fd, 0, 0, 0));
	T(fallocate(fd, 0x1000, 0, 10));
	T(posix_fallocate(fd, 0, 200));
	show_fd("f", fd);
	T(close(fd));
	fd = T(open("f", O_RDONLY));
	T(fallocate(fd, 0, 0, 10));
	T(close(fd));
	fd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(fallocate(fd, 0, 0, 10));
	T(close(fd));
	int p[2];
	MUST(pipe(p));
	T(fallocate(p[1], 0, 0, 10));
	return 0;
}
