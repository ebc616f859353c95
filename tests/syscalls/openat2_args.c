/* openat2 RESOLVE_NO_XDEV and RESOLVE_NO_MAGICLINKS, and how it checks
 * its arguments. */
#include "openat2.h"

int main(void)
{
	begin("openat2 NO_XDEV, NO_MAGICLINKS, arguments");
	put("f", "data");
	MUST(mkdir("d", 0755));
	O2R(AT_FDCWD, "f", O_RDONLY, RESOLVE_NO_XDEV);
	O2R(AT_FDCWD, "d/../f", O_RDONLY, RESOLVE_NO_XDEV);
	/* /proc is another mount than /. */
	int root = T(open("/", O_RDONLY | O_DIRECTORY));
	O2R(root, "proc/self", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV);
	O2R(root, "proc", O_PATH, RESOLVE_NO_XDEV);
	O2R(AT_FDCWD, "/proc/self/status", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV);
	int proc = T(open("/proc", O_RDONLY | O_DIRECTORY));
	O2R(proc, "self/stat", O_PATH, RESOLVE_NO_XDEV);
	O2R(proc, "..", O_PATH, RESOLVE_NO_XDEV);
	T(close(proc));
	T(close(root));
	/* Magic links: /proc/self/fd/N and /proc/self/cwd. */
	int fd = T(open("f", O_RDONLY));
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	long r = TL("openat2(AT_FDCWD, /proc/self/fd/<f>, O_RDONLY, RESOLVE_NO_MAGICLINKS)",
		    openat2_(AT_FDCWD, path, O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
	if (r >= 0)
		close((int)r);
	r = TL("openat2(AT_FDCWD, /proc/self/fd/<f>, O_RDONLY, 0)",
	       openat2_(AT_FDCWD, path, O_RDONLY, 0, 0));
	if (r >= 0) {
		readfd("via magic link", (int)r);
		close((int)r);
	}
	r = TL("openat2(AT_FDCWD, /proc/self/fd/<f>, O_PATH|O_NOFOLLOW, RESOLVE_NO_MAGICLINKS)",
	       openat2_(AT_FDCWD, path, O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_MAGICLINKS));
	if (r >= 0)
		close((int)r);
	T(close(fd));
	O2R(AT_FDCWD, "/proc/self/cwd/f", O_RDONLY, RESOLVE_NO_MAGICLINKS);
	O2R(AT_FDCWD, "/proc/self/cwd/f", O_RDONLY, 0);
	/* Ordinary symlinks are fine under RESOLVE_NO_MAGICLINKS. */
	MUST(symlink("f", "lf"));
	O2R(AT_FDCWD, "lf", O_RDONLY, RESOLVE_NO_MAGICLINKS);
	/* Argument checks. */
	struct open_how how = { .flags = O_RDONLY };
	T(syscall(SYS_openat2, AT_FDCWD, "f", &how, 8));
	T(syscall(SYS_openat2, AT_FDCWD, "f", &how, 0));
	char big[sizeof(how) + 8] = { 0 };
	T(syscall(SYS_openat2, AT_FDCWD, "f", big, sizeof(big)) >= 0);
	big[sizeof(how)] = 1;
	T(syscall(SYS_openat2, AT_FDCWD, "f", big, sizeof(big)));
	T(syscall(SYS_openat2, AT_FDCWD, "f", (void *)1, sizeof(how)));
	T(syscall(SYS_openat2, AT_FDCWD, (char *)1, &how, sizeof(how)));
	T(openat2_(AT_FDCWD, "f", O_RDONLY, 0, 0x100000));
	T(openat2_(AT_FDCWD, "f", O_RDONLY, 0644, 0));
	T(openat2_(AT_FDCWD, "f", O_RDONLY | (1ULL << 40), 0, 0));
	T(openat2_(AT_FDCWD, "f", O_RDONLY | 0x40000000, 0, 0));
	T(openat2_(AT_FDCWD, "new", O_RDWR | O_CREAT, 010000, 0));
	T(openat2_(AT_FDCWD, "new", O_RDWR | O_CREAT, 0640, 0) >= 0);
	SHOW("new");
	T(openat2_(AT_FDCWD, "f", O_RDONLY, 0, RESOLVE_CACHED));
	return 0;
}
