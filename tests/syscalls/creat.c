/* creat: O_CREAT|O_WRONLY|O_TRUNC. */
#include "common.h"

int main(void)
{
	begin("creat");
	int fd = T(creat("c", 0640));
	SHOW("c");
	T(write(fd, "hello", 5));
	char buf[8];
	T(read(fd, buf, sizeof(buf)));
	T(fcntl(fd, F_GETFL) & O_ACCMODE);
	T(close(fd));
	cat("c");
	/* An existing file is truncated and keeps its mode. */
	fd = T(creat("c", 0600));
	SHOW("c");
	T(close(fd));
	MUST(mkdir("d", 0755));
	T(creat("d", 0644));
	T(creat("d/", 0644));
	T(creat("missing/x", 0644));
	T(creat("", 0644));
	MUST(symlink("target", "dangling"));
	fd = T(creat("dangling", 0644));
	T(close(fd));
	SHOW("target");
	ls(".");
	return 0;
}
