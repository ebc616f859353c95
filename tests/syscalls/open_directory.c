/* O_DIRECTORY and opening directories with each access mode. */
#include "common.h"

int main(void)
{
	begin("open O_DIRECTORY");
	put("f", "x");
	MUST(mkdir("d", 0755));
	MUST(symlink("d", "ld"));
	MUST(symlink("f", "lf"));
	int fd = T(open("d", O_RDONLY | O_DIRECTORY));
	char buf[8];
	T(read(fd, buf, sizeof(buf)));
	T(write(fd, "x", 1));
	T(lseek(fd, 0, SEEK_SET));
	T(close(fd));
	T(open("f", O_RDONLY | O_DIRECTORY));
	T(open("lf", O_RDONLY | O_DIRECTORY));
	TO(open("ld", O_RDONLY | O_DIRECTORY));
	T(open("ld", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
	T(open("missing", O_RDONLY | O_DIRECTORY));
	T(open("d", O_WRONLY));
	T(open("d", O_RDWR));
	T(open("d", O_WRONLY | O_DIRECTORY));
	TO(open(".", O_RDONLY | O_DIRECTORY));
	TO(open("d/.", O_RDONLY));
	TO(open("d/..", O_RDONLY | O_DIRECTORY));
	TO(open("/", O_RDONLY | O_DIRECTORY));
	T(open("f/", O_RDONLY));
	TO(open("d/", O_RDONLY));
	ls(".");
	return 0;
}
