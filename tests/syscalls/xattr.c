/* Extended attributes in the user namespace on files in the cwd. */
#include "common.h"
#include <sys/xattr.h>

static void list(const char *path)
{
	char buf[1024];
	errno = 0;
	ssize_t n = listxattr(path, buf, sizeof(buf));
	if (n < 0) {
		say("  listxattr %s: %s\n", path, res(n, errno));
		return;
	}
	char *names[64];
	int k = 0;
	for (ssize_t i = 0; i < n && k < 64; i += (ssize_t)strlen(buf + i) + 1)
		names[k++] = buf + i;
	qsort(names, (size_t)k, sizeof(names[0]), cmp_str);
	say("  listxattr %s (%zd bytes):", path, n);
	for (int i = 0; i < k; i++)
		say(" %s", names[i]);
	say("\n");
}

static void get(const char *path, const char *name)
{
	char buf[256];
	errno = 0;
	ssize_t n = getxattr(path, name, buf, sizeof(buf));
	say("  getxattr %s %s = %s", path, name, res(n, errno));
	if (n >= 0) {
		say(" ");
		say_bytes(buf, (size_t)n);
	}
	say("\n");
}

int main(void)
{
	begin("xattr");
	put("f", "x");
	MUST(mkdir("d", 0755));
	MUST(symlink("f", "lf"));
	list("f");
	T(setxattr("f", "user.one", "1", 1, 0));
	T(setxattr("f", "user.two", "second value", 12, 0));
	T(setxattr("f", "user.empty", "", 0, 0));
	T(setxattr("f", "user.bin", "a\0b", 3, 0));
	list("f");
	get("f", "user.one");
	get("f", "user.two");
	get("f", "user.empty");
	get("f", "user.bin");
	get("f", "user.missing");
	/* Size queries and small buffers. */
	T(getxattr("f", "user.two", NULL, 0));
	char small[4];
	T(getxattr("f", "user.two", small, sizeof(small)));
	T(listxattr("f", NULL, 0));
	T(listxattr("f", small, sizeof(small)));
	/* Create and replace flags. */
	T(setxattr("f", "user.one", "new", 3, XATTR_CREATE));
	T(setxattr("f", "user.one", "new", 3, XATTR_REPLACE));
	get("f", "user.one");
	T(setxattr("f", "user.three", "3", 1, XATTR_REPLACE));
	T(setxattr("f", "user.three", "3", 1, XATTR_CREATE));
	T(setxattr("f", "user.x", "3", 1, XATTR_CREATE | XATTR_REPLACE));
	T(setxattr("f", "user.x", "3", 1, 0x10));
	/* Remove. */
	T(removexattr("f", "user.three"));
	T(removexattr("f", "user.three"));
	list("f");
	/* Bad names. */
	T(setxattr("f", "nonamespace", "v", 1, 0));
	T(setxattr("f", "bogus.name", "v", 1, 0));
	T(setxattr("f", "user.", "v", 1, 0));
	T(setxattr("f", "", "v", 1, 0));
	get("f", "nonamespace");
	char longname[300];
	memset(longname, 'n', sizeof(longname));
	memcpy(longname, "user.", 5);
	longname[255] = 0;
	TL("setxattr(<255-byte name>)", setxattr("f", longname, "v", 1, 0));
	longname[255] = 'n';
	longname[256] = 0;
	TL("setxattr(<256-byte name>)", setxattr("f", longname, "v", 1, 0));
	longname[255] = 0;
	TL("removexattr(<255-byte name>)", removexattr("f", longname));
	T(syscall(SYS_setxattr, "f", "user.big", "v", 65537, 0));
	/* Directories and symlinks: user.* is allowed on a directory, not on
	 * a symlink itself; the plain calls follow the link. */
	T(setxattr("d", "user.dir", "dv", 2, 0));
	list("d");
	T(lsetxattr("lf", "user.link", "lv", 2, 0));
	T(setxattr("lf", "user.via", "through link", 12, 0));
	get("f", "user.via");
	T(lgetxattr("lf", "user.via", small, sizeof(small)));
	list("lf");
	T(llistxattr("lf", NULL, 0));
	/* fd variants. */
	int fd = T(open("f", O_RDONLY));
	T(fsetxattr(fd, "user.fd", "by fd", 5, 0));
	char buf[32];
	ssize_t n = T(fgetxattr(fd, "user.fd", buf, sizeof(buf)));
	if (n > 0)
		say("  %.*s\n", (int)n, buf);
	T(fremovexattr(fd, "user.fd"));
	T(flistxattr(fd, NULL, 0));
	T(close(fd));
	T(fgetxattr(fd, "user.fd", buf, sizeof(buf)));
	/* Missing files. */
	T(getxattr("missing", "user.one", buf, sizeof(buf)));
	T(setxattr("missing", "user.one", "1", 1, 0));
	/* Attributes follow the inode through a hard link and a rename. */
	MUST(link("f", "g"));
	MUST(rename("f", "h"));
	get("g", "user.one");
	/* A fifo cannot carry user attributes. */
	MUST(mkfifo("p", 0644));
	T(setxattr("p", "user.one", "1", 1, 0));
	return 0;
}
