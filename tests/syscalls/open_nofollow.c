/* O_NOFOLLOW: a final symlink is refused; earlier components follow. */
#include "common.h"

int main(void)
{
	begin("open O_NOFOLLOW");
	put("f", "file data");
	MUST(mkdir("d", 0755));
	put("d/g", "in d");
	MUST(symlink("f", "lf"));
	MUST(symlink("d", "ld"));
	MUST(symlink("missing", "dangling"));
	TO(open("f", O_RDONLY | O_NOFOLLOW));
	T(open("lf", O_RDONLY | O_NOFOLLOW));
	T(open("lf", O_WRONLY | O_NOFOLLOW));
	T(open("ld", O_RDONLY | O_NOFOLLOW));
	T(open("dangling", O_RDONLY | O_NOFOLLOW));
	T(open("dangling", O_RDWR | O_CREAT | O_NOFOLLOW, 0644));
	SHOW("missing");
	/* A symlink in the middle of the path is followed. */
	int fd = T(open("ld/g", O_RDONLY | O_NOFOLLOW));
	readfd("ld/g", fd);
	T(close(fd));
	/* With a trailing slash the symlink is not the final component. */
	TO(open("ld/", O_RDONLY | O_NOFOLLOW));
	/* O_PATH|O_NOFOLLOW opens the symlink itself. */
	fd = T(open("lf", O_PATH | O_NOFOLLOW));
	show_fd("lf", fd);
	char buf[64];
	ssize_t n = T(readlinkat(fd, "", buf, sizeof(buf)));
	if (n > 0)
		say("  target: %.*s\n", (int)n, buf);
	T(close(fd));
	return 0;
}
