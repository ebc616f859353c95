/* mknod and mkfifo: fifos, regular files, sockets, and errors. */
#include "common.h"
#include <sys/sysmacros.h>

int main(void)
{
	begin("mknod");
	put("f", "x");
	T(mkfifo("fifo", 0644));
	SHOW("fifo");
	T(mkfifo("fifo", 0644));
	T(mknod("fifo2", S_IFIFO | 0600, 0));
	SHOW("fifo2");
	T(mknod("reg", S_IFREG | 0640, 0));
	SHOW("reg");
	T(mknod("reg0", 0640, 0));
	SHOW("reg0");
	T(mknod("sock", S_IFSOCK | 0755, 0));
	SHOW("sock");
	T(mknod("dir", S_IFDIR | 0755, 0));
	T(mknod("lnk", S_IFLNK | 0755, 0));
	T(mknod("bad", 0160000 | 0755, 0));
	T(mknod("f", S_IFIFO | 0644, 0));
	T(mknod("missing/x", S_IFIFO | 0644, 0));
	T(mknod("f/x", S_IFIFO | 0644, 0));
	T(mknod("", S_IFIFO | 0644, 0));
	T(mkfifo("slash/", 0644));
	MUST(mkdir("d", 0755));
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(mknodat(dfd, "p", S_IFIFO | 0666, 0));
	T(mkfifoat(dfd, "q", 0600));
	T(close(dfd));
	SHOW("d/p");
	SHOW("d/q");
	/* A fifo's mode and type through an O_PATH fd. */
	int fd = T(open("fifo", O_PATH));
	show_fd("fifo", fd);
	T(close(fd));
	/* A fifo opened non-blocking for reading needs no writer; opening
	 * it for writing without a reader gives ENXIO. */
	int r = T(open("fifo", O_RDONLY | O_NONBLOCK));
	char c;
	T(read(r, &c, 1));
	T(close(r));
	T(open("fifo", O_WRONLY | O_NONBLOCK));
	/* The socket node cannot be opened. */
	T(open("sock", O_RDONLY));
	ls(".");
	return 0;
}
