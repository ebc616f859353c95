/* dup, dup2, dup3: numbering, shared offsets, flags. */
#include "common.h"

int main(void)
{
	begin("dup");
	put("f", "0123456789");
	int fd = T(open("f", O_RDONLY));
	int d1 = T(dup(fd));
	int d2 = T(dup(fd));
	T(close(d1));
	T(dup(fd));
	/* The offset is shared. */
	char c;
	T(read(fd, &c, 1));
	T(lseek(d2, 0, SEEK_CUR));
	T(read(d2, &c, 1));
	say("  read '%c'\n", c);
	/* dup2 to a free number, to itself, over an open fd. */
	T(dup2(fd, 10));
	T(fcntl(10, F_GETFD));
	T(dup2(fd, fd));
	T(dup2(99, 99));
	T(dup2(99, 11));
	int other = T(open("f", O_RDONLY));
	T(dup2(fd, other));
	T(lseek(other, 0, SEEK_CUR));
	T(dup2(fd, -1));
	T(dup2(fd, 1 << 30));
	/* dup3. */
	T(dup3(fd, 12, 0));
	T(fcntl(12, F_GETFD));
	T(dup3(fd, 13, O_CLOEXEC));
	T(fcntl(13, F_GETFD));
	T(dup3(fd, 13, 0));
	T(fcntl(13, F_GETFD));
	T(dup3(fd, fd, 0));
	T(dup3(fd, 14, O_NONBLOCK));
	T(dup3(99, 14, 0));
	/* dup clears close-on-exec. */
	int ce = T(open("f", O_RDONLY | O_CLOEXEC));
	int dce = T(dup(ce));
	T(fcntl(dce, F_GETFD));
	T(dup(99));
	T(dup(-1));
	/* The lowest free number is reused. */
	T(close(4));
	T(close(6));
	T(dup(fd));
	T(dup(fd));
	T(dup(fd));
	/* Closing one copy leaves the other working. */
	T(close(fd));
	T(read(10, &c, 1));
	say("  read '%c'\n", c);
	T(close(fd));
	return 0;
}
