/* The file status flags an open records, as F_GETFL reports them. */
#include "common.h"

static void flags(const char *label, int oflags)
{
	int fd = open("f", oflags, 0644);
	if (fd < 0) {
		say("%s: open -1 %s\n", label, errname(errno));
		return;
	}
	say("%s: F_GETFL = 0%o\n", label, (unsigned)fcntl(fd, F_GETFL));
	close(fd);
}

int main(void)
{
	begin("open flags through F_GETFL");
	put("f", "x");
	flags("O_RDONLY", O_RDONLY);
	flags("O_WRONLY", O_WRONLY);
	flags("O_RDWR", O_RDWR);
	flags("O_RDWR|O_APPEND", O_RDWR | O_APPEND);
	flags("O_RDONLY|O_NONBLOCK", O_RDONLY | O_NONBLOCK);
	flags("O_WRONLY|O_DSYNC", O_WRONLY | O_DSYNC);
	flags("O_WRONLY|O_SYNC", O_WRONLY | O_SYNC);
	flags("O_RDONLY|O_NOATIME", O_RDONLY | O_NOATIME);
	flags("O_RDWR|O_CREAT|O_EXCL", O_RDWR | O_CREAT | O_EXCL);
	flags("O_RDWR|O_CREAT|O_TRUNC", O_RDWR | O_CREAT | O_TRUNC);
	flags("O_RDONLY|O_NOCTTY", O_RDONLY | O_NOCTTY);
	flags("O_RDONLY|O_CLOEXEC", O_RDONLY | O_CLOEXEC);
	/* O_RDONLY|O_NOFOLLOW is left out: inside, a regular file's fd is a
	 * re-open of its memfd, which cannot keep O_NOFOLLOW in F_GETFL (a
	 * known difference, listed in README.md). */
	flags("O_PATH", O_PATH);
	/* The open that makes the file records the same flags. */
	T(unlink("f"));
	flags("new: O_WRONLY|O_CREAT|O_EXCL", O_WRONLY | O_CREAT | O_EXCL);
	T(unlink("f"));
	flags("new: O_RDWR|O_CREAT|O_APPEND", O_RDWR | O_CREAT | O_APPEND);
	T(unlink("f"));
	flags("new: O_WRONLY|O_CREAT|O_TRUNC|O_NONBLOCK", O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK);
	T(unlink("f"));
	flags("new: O_RDONLY|O_CREAT", O_RDONLY | O_CREAT);
	put("f", "x");
	flags("O_ACCMODE", O_ACCMODE);
	/* Unknown flag bits are ignored by open. */
	flags("O_RDONLY|0x40000000", O_RDONLY | 0x40000000);
	/* F_SETFL changes only O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME. */
	int fd = T(open("f", O_RDONLY));
	T(fcntl(fd, F_SETFL, O_RDWR | O_APPEND | O_NONBLOCK | O_TRUNC | O_CREAT));
	say("after F_SETFL: 0%o\n", (unsigned)fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, 0));
	say("after F_SETFL 0: 0%o\n", (unsigned)fcntl(fd, F_GETFL));
	T(close(fd));
	/* Access mode 3: neither read nor write. */
	fd = T(open("f", O_ACCMODE));
	char c;
	T(read(fd, &c, 1));
	T(write(fd, "x", 1));
	T(close(fd));
	return 0;
}
