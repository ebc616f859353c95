/* /dev/null, /dev/zero, /dev/full, /dev/urandom: types, numbers, I/O. */
#include "common.h"
#include <sys/random.h>
#include <sys/sysmacros.h>

static void dev(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		say("  stat %s: -1 %s\n", path, errname(errno));
		return;
	}
	say("  stat %s: %s mode=%04o rdev=%u:%u\n", path, ftype(st.st_mode), st.st_mode & 07777,
	    major(st.st_rdev), minor(st.st_rdev));
}

int main(void)
{
	begin("device files");
	dev("/dev/null");
	dev("/dev/zero");
	dev("/dev/full");
	dev("/dev/random");
	dev("/dev/urandom");
	char buf[64];
	int fd = T(open("/dev/null", O_RDWR));
	T(read(fd, buf, sizeof(buf)));
	T(write(fd, "discarded", 9));
	T(lseek(fd, 100, SEEK_SET));
	show_fd("/dev/null", fd);
	T(close(fd));
	fd = T(open("/dev/zero", O_RDONLY));
	memset(buf, 'x', sizeof(buf));
	T(read(fd, buf, sizeof(buf)));
	int zeros = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros += buf[i] == 0;
	say("  zero bytes: %d\n", zeros);
	T(close(fd));
	fd = T(open("/dev/full", O_WRONLY));
	T(write(fd, "x", 1));
	T(close(fd));
	fd = T(open("/dev/full", O_RDONLY));
	T(read(fd, buf, 8));
	T(close(fd));
	fd = T(open("/dev/urandom", O_RDONLY));
	T(read(fd, buf, sizeof(buf)));
	T(close(fd));
	T(getrandom(buf, 16, 0));
	/* /dev/null cannot be made a directory or created over. */
	T(open("/dev/null", O_RDONLY | O_DIRECTORY));
	T(open("/dev/null/x", O_RDONLY));
	T(open("/dev/null", O_WRONLY | O_CREAT | O_EXCL, 0644));
	TO(open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	dev("/dev/null");
	/* Redirecting stdout to /dev/null and back. */
	int saved = T(dup(1));
	fd = open("/dev/null", O_WRONLY);
	dup2(fd, 1);
	say("this line goes nowhere\n");
	dup2(saved, 1);
	T(close(fd));
	/* /dev/fd and /dev/stdin are links into /proc/self/fd. */
	link_of("/dev/fd");
	link_of("/dev/stdin");
	link_of("/dev/stdout");
	return 0;
}
