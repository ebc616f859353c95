/* openat relative to real dirfds, AT_FDCWD, and absolute paths. */
#include "common.h"

int main(void)
{
	begin("openat with dirfds");
	MUST(mkdir("a", 0755));
	MUST(mkdir("a/b", 0755));
	put("a/f", "in a");
	put("a/b/g", "in b");
	put("top", "top level");
	int a = T(open("a", O_RDONLY | O_DIRECTORY));
	int fd = T(openat(a, "f", O_RDONLY));
	readfd("f", fd);
	T(close(fd));
	fd = T(openat(a, "b/g", O_RDONLY));
	readfd("b/g", fd);
	T(close(fd));
	fd = T(openat(a, "../top", O_RDONLY));
	readfd("../top", fd);
	T(close(fd));
	fd = T(openat(AT_FDCWD, "top", O_RDONLY));
	readfd("top", fd);
	T(close(fd));
	/* An absolute path ignores the dirfd, even an invalid one. */
	TO(openat(a, "/dev/null", O_RDONLY));
	TO(openat(-1, "/dev/null", O_RDONLY));
	T(openat(-1, "top", O_RDONLY));
	/* Create through the dirfd. */
	fd = T(openat(a, "new", O_WRONLY | O_CREAT | O_EXCL, 0600));
	T(write(fd, "created", 7));
	T(close(fd));
	cat("a/new");
	/* The dirfd follows its directory after a rename. */
	T(rename("a", "renamed"));
	fd = T(openat(a, "new", O_RDONLY));
	readfd("new via moved dirfd", fd);
	T(close(fd));
	/* Via "." the dirfd itself reopens. */
	fd = T(openat(a, ".", O_RDONLY | O_DIRECTORY));
	T(close(fd));
	/* A dirfd of a removed directory: lookups fail, creation fails. */
	MUST(mkdir("gone", 0755));
	int g = T(open("gone", O_RDONLY | O_DIRECTORY));
	T(rmdir("gone"));
	T(openat(g, "x", O_RDONLY));
	T(openat(g, "x", O_RDWR | O_CREAT, 0644));
	TO(openat(g, ".", O_RDONLY));
	T(close(g));
	T(close(a));
	ls(".");
	ls("renamed");
	return 0;
}
