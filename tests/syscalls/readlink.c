/* readlink and readlinkat: contents, truncation, errors. */
#include "common.h"

static void rl(const char *path, size_t size)
{
	char buf[64];
	memset(buf, '#', sizeof(buf));
	errno = 0;
	ssize_t n = readlink(path, buf, size);
	say("readlink(\"%s\", %zu) = %s", path, size, res(n, errno));
	if (n >= 0) {
		say(" ");
		say_bytes(buf, (size_t)n + 1);
	}
	say("\n");
}

int main(void)
{
	begin("readlink");
	put("f", "x");
	MUST(mkdir("d", 0755));
	MUST(symlink("f", "lf"));
	MUST(symlink("some/long/target", "lt"));
	MUST(symlink("d", "ld"));
	MUST(symlink("lf", "ll"));
	rl("lt", 64);
	rl("lt", 16);
	rl("lt", 15);
	rl("lt", 4);
	rl("lt", 1);
	rl("lt", 0);
	rl("f", 64);
	rl("d", 64);
	rl("missing", 64);
	rl("ll", 64);
	rl("lf/", 64);
	rl("ld/", 64);
	rl("f/x", 64);
	rl("", 64);
	char buf[64];
#ifdef SYS_readlink
	T(syscall(SYS_readlink, "lt", (char *)1, 64));
	T(syscall(SYS_readlink, (char *)1, buf, 64));
#endif
	T(syscall(SYS_readlinkat, AT_FDCWD, "lt", (char *)1, 64));
	T(syscall(SYS_readlinkat, AT_FDCWD, (char *)1, buf, 64));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	ssize_t n = T(readlinkat(dfd, "lf", buf, sizeof(buf)));
	if (n > 0)
		say("  %.*s\n", (int)n, buf);
	T(readlinkat(dfd, "", buf, sizeof(buf)));
	T(readlinkat(-7, "lf", buf, sizeof(buf)));
	T(close(dfd));
	/* An O_PATH|O_NOFOLLOW fd of the link with an empty path. */
	int lfd = T(open("lt", O_PATH | O_NOFOLLOW));
	n = T(readlinkat(lfd, "", buf, sizeof(buf)));
	if (n > 0)
		say("  %.*s\n", (int)n, buf);
	T(close(lfd));
	lfd = T(open("f", O_PATH));
	T(readlinkat(lfd, "", buf, sizeof(buf)));
	T(close(lfd));
	/* /proc/self/cwd is a link to the start folder. */
	link_of("/proc/self/cwd");
	return 0;
}
