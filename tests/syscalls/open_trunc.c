/* O_TRUNC on files, directories, and with every access mode. */
#include "common.h"

int main(void)
{
	begin("open O_TRUNC");
	put("f", "hello world");
	MUST(mkdir("d", 0755));
	int fd = T(open("f", O_WRONLY | O_TRUNC));
	SHOW("f");
	T(write(fd, "hi", 2));
	T(close(fd));
	cat("f");
	/* Linux truncates even with O_RDONLY when the file is writable. */
	put("g", "content");
	fd = T(open("g", O_RDONLY | O_TRUNC));
	SHOW("g");
	T(close(fd));
	put("h", "content");
	age("h");
	fd = T(open("h", O_RDWR | O_TRUNC));
	mtime_changed("h");
	T(close(fd));
	/* Linux updates the mtime even when the file is already empty. */
	age("h");
	fd = T(open("h", O_RDWR | O_TRUNC));
	mtime_changed("h");
	T(close(fd));
	T(open("d", O_RDONLY | O_TRUNC));
	T(open("d", O_WRONLY | O_TRUNC));
	fd = T(open("new", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	SHOW("new");
	T(close(fd));
	/* Through a symlink the target is truncated. */
	put("t", "target");
	MUST(symlink("t", "l"));
	TO(open("l", O_WRONLY | O_TRUNC));
	SHOW("t");
	return 0;
}
