/* O_CREAT|O_EXCL: exclusive creation, also against symlinks. */
#include "common.h"

int main(void)
{
	begin("open O_EXCL");
	put("file", "data");
	MUST(mkdir("d", 0755));
	MUST(symlink("file", "link"));
	MUST(symlink("nowhere", "dangling"));
	T(open("file", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(open("d", O_RDONLY | O_CREAT | O_EXCL, 0644));
	T(open("link", O_RDWR | O_CREAT | O_EXCL, 0644));
	/* O_EXCL does not follow a final symlink, even a dangling one. */
	T(open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644));
	SHOW("nowhere");
	int fd = T(open("fresh", O_RDWR | O_CREAT | O_EXCL, 0600));
	SHOW("fresh");
	T(close(fd));
	T(open("fresh", O_RDWR | O_CREAT | O_EXCL, 0600));
	/* O_EXCL without O_CREAT is ignored for regular files. */
	fd = T(open("file", O_RDONLY | O_EXCL));
	T(close(fd));
	T(open("absent", O_RDONLY | O_EXCL));
	ls(".");
	return 0;
}
