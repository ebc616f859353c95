/* An fd of a host folder the caller left open as fd 3 (the secret's
 * folder): read the secret relative to it, fchdir into it, reach it
 * through /proc/self/fd/3, create a file in it. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct stat st;
	CHECK("fstat(3)", fstat(3, &st));
	try_read("openat(3)", 3, "secret.txt");
	int fd = CHECK("openat(3, new, O_CREAT)", openat(3, "new-from-inside", O_WRONLY | O_CREAT, 0644));
	if (fd >= 0)
		CHECK("write", write(fd, "x\n", 2));
	CHECK("mkdirat(3)", mkdirat(3, "dir-from-inside", 0755));
	if (CHECK("fchdir(3)", fchdir(3)) == 0)
		try_read("after fchdir", AT_FDCWD, "secret.txt");
	try_read("/proc/self/fd/3", AT_FDCWD, "/proc/self/fd/3/secret.txt");
	try_read("/dev/fd/3", AT_FDCWD, "/dev/fd/3/secret.txt");
	/* Every fd up to 64, in case the caller's fd moved. */
	for (int i = 4; i < 64; i++)
		if (fstat(i, &st) == 0 && S_ISDIR(st.st_mode))
			try_read("openat(fd)", i, "secret.txt");
	return 0;
}
