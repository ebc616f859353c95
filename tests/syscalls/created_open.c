/* The fd of the open that made a file is an open like any other: its
 * offset, status flags and access mode are its own, whatever is done to
 * the file by path or through other opens meanwhile. */
#include "common.h"
#include <sys/file.h>

int main(void)
{
	begin("the creating open");

	say("-- write-only, then O_APPEND set, truncated by path\n");
	int fd = T(open("f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	T(write(fd, "abcdef", 6));
	char c;
	T(read(fd, &c, 1));
	cat("f");
	T(truncate("f", 2));
	T(lseek(fd, 0, SEEK_CUR));
	T(write(fd, "X", 1));
	cat("f");
	T(fcntl(fd, F_SETFL, O_APPEND));
	T(truncate("f", 1));
	T(write(fd, "YZ", 2));
	T(lseek(fd, 0, SEEK_CUR));
	cat("f");
	SHOW("f");
	T(close(fd));
	cat("f");

	say("-- read-write: another open and the creating one\n");
	fd = T(open("g", O_RDWR | O_CREAT | O_EXCL, 0600));
	T(write(fd, "hello", 5));
	int other = T(open("g", O_RDWR));
	T(write(other, "J", 1));
	T(lseek(fd, 0, SEEK_CUR));
	T(lseek(fd, 0, SEEK_SET));
	readfd("creating open", fd);
	T(ftruncate(other, 3));
	T(write(fd, "!", 1));
	cat("g");
	SHOW("g");
	T(close(other));
	T(close(fd));

	say("-- the file gone while its creating open writes on\n");
	fd = T(open("h", O_RDWR | O_CREAT | O_APPEND, 0600));
	T(write(fd, "one", 3));
	T(unlink("h"));
	T(write(fd, "two", 3));
	struct stat st;
	T(fstat(fd, &st));
	say("  size %lld links %d\n", (long long)st.st_size, (int)st.st_nlink);
	T(lseek(fd, 0, SEEK_SET));
	readfd("after unlink", fd);
	T(close(fd));

	say("-- a lock taken through the creating open goes with its close\n");
	fd = T(open("k", O_WRONLY | O_CREAT | O_EXCL, 0644));
	T(flock(fd, LOCK_EX | LOCK_NB));
	T(write(fd, "locked", 6));
	T(close(fd));
	fd = T(open("k", O_RDONLY));
	T(flock(fd, LOCK_EX | LOCK_NB));
	readfd("k", fd);
	T(close(fd));
	return 0;
}
