/* openat2 RESOLVE_NO_SYMLINKS: any symlink in the path fails with ELOOP. */
#include "openat2.h"

int main(void)
{
	begin("openat2 RESOLVE_NO_SYMLINKS");
	MUST(mkdir("d", 0755));
	put("d/f", "data");
	MUST(symlink("d", "ld"));
	MUST(symlink("d/f", "lf"));
	MUST(symlink("nowhere", "dangling"));
	O2R(AT_FDCWD, "d/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2R(AT_FDCWD, "lf", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2R(AT_FDCWD, "ld/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2R(AT_FDCWD, "ld", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2R(AT_FDCWD, "ld/", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2R(AT_FDCWD, "dangling", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2R(AT_FDCWD, "dangling", O_WRONLY | O_CREAT, RESOLVE_NO_SYMLINKS);
	SHOW("nowhere");
	/* The final symlink itself, with O_PATH|O_NOFOLLOW, is allowed. */
	long fd = O2(AT_FDCWD, "lf", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	if (fd >= 0) {
		show_fd("lf", (int)fd);
		close((int)fd);
	}
	O2R(AT_FDCWD, "lf", O_RDONLY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	/* Without the flag, symlinks are followed as usual. */
	O2R(AT_FDCWD, "ld/f", O_RDONLY, 0);
	O2R(AT_FDCWD, "lf", O_RDONLY, 0);
	return 0;
}
