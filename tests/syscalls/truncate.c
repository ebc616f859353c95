/* truncate and ftruncate: grow, shrink, and the errnos. */
#include "common.h"

int main(void)
{
	begin("truncate");
	put("f", "0123456789");
	MUST(mkdir("d", 0755));
	T(truncate("f", 4));
	cat("f");
	T(truncate("f", 8));
	cat("f");
	SHOW("f");
	T(truncate("f", 0));
	SHOW("f");
	put("f", "abc");
	age("f");
	T(truncate("f", 3));
	mtime_changed("f");
	T(truncate("f", 5));
	mtime_changed("f");
	T(truncate("f", -1));
	T(truncate("d", 0));
	T(truncate("missing", 0));
	T(truncate("f/x", 0));
	T(truncate("", 0));
	MUST(symlink("f", "lf"));
	T(truncate("lf", 1));
	cat("f");
	int fd = T(open("f", O_RDWR));
	T(ftruncate(fd, 6));
	T(lseek(fd, 0, SEEK_CUR));
	T(lseek(fd, 0, SEEK_END));
	T(ftruncate(fd, 2));
	/* The offset may lie beyond the end: a write there leaves a hole. */
	T(lseek(fd, 4, SEEK_SET));
	T(write(fd, "Z", 1));
	cat("f");
	T(ftruncate(fd, -5));
	T(close(fd));
	fd = T(open("f", O_RDONLY));
	T(ftruncate(fd, 0));
	T(close(fd));
	fd = T(open("f", O_WRONLY | O_APPEND));
	T(ftruncate(fd, 1));
	T(close(fd));
	cat("f");
	fd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(ftruncate(fd, 0));
	T(close(fd));
	int p[2];
	MUST(pipe(p));
	T(ftruncate(p[1], 0));
	T(ftruncate(99, 0));
	/* Growing large makes a sparse file of that size. */
	fd = T(open("big", O_RDWR | O_CREAT, 0644));
	T(ftruncate(fd, 1 << 20));
	show_fd("big", fd);
	char buf[4];
	T(pread(fd, buf, 4, (1 << 20) - 2));
	T(close(fd));
	return 0;
}
