/* symlink and symlinkat: creation, errors, relative targets. */
#include "common.h"

int main(void)
{
	begin("symlink");
	MUST(mkdir("d", 0755));
	MUST(mkdir("d/sub", 0755));
	put("f", "top");
	put("d/f", "in d");
	T(symlink("f", "l1"));
	SHOW("l1");
	T(symlink("f", "l1"));
	T(symlink("anything", "f"));
	T(symlink("anything", "d"));
	T(symlink("x", "missing/l"));
	T(symlink("x", "f/l"));
	T(symlink("", "empty"));
	T(symlink("x", ""));
	T(symlink("x", "newlink/"));
	/* A relative target is resolved from the link's directory. */
	T(symlink("f", "d/l2"));
	cat("d/l2");
	T(symlink("../f", "d/sub/l3"));
	cat("d/sub/l3");
	/* Through a dirfd. */
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(symlinkat("sub", dfd, "l4"));
	SHOW("d/l4");
	T(symlinkat("f", dfd, "l2"));
	T(symlinkat("f", AT_FDCWD, "l5"));
	T(close(dfd));
	/* The target is stored as given, any bytes, up to PATH_MAX - 1. */
	T(symlink("a//b/../c/./", "odd"));
	link_of("odd");
	SHOW("odd");
	char target[PATH_MAX + 1];
	memset(target, 'x', PATH_MAX - 1);
	target[PATH_MAX - 1] = 0;
	TL("symlink(<4095 bytes>, \"long\")", symlink(target, "long"));
	SHOW("long");
	target[PATH_MAX - 1] = 'x';
	target[PATH_MAX] = 0;
	TL("symlink(<4096 bytes>, \"toolong\")", symlink(target, "toolong"));
	/* Symlinks to directories with and without a trailing slash. */
	T(symlink("d", "ld"));
	SHOW("ld");
	SHOW("ld/");
	SHOW("ld/.");
	T(symlink("x", (char *)1));
#ifdef SYS_symlink
	T(syscall(SYS_symlink, (char *)1, "efault"));
#endif
	T(syscall(SYS_symlinkat, (char *)1, AT_FDCWD, "efault"));
	ls(".");
	ls("d");
	return 0;
}
