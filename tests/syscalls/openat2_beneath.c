/* openat2 RESOLVE_BENEATH: no escape from the dirfd, by any route. */
#include "openat2.h"

int main(void)
{
	begin("openat2 RESOLVE_BENEATH");
	MUST(mkdir("root", 0755));
	MUST(mkdir("root/sub", 0755));
	put("root/file", "inside");
	put("outside", "outside");
	MUST(symlink("../outside", "root/up"));
	MUST(symlink("/dev/null", "root/abs"));
	MUST(symlink("sub/../file", "root/rel"));
	MUST(symlink("sub", "root/lsub"));
	int r = T(open("root", O_RDONLY | O_DIRECTORY));
	O2R(r, "file", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "sub/../file", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "./sub/./../file", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "rel", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "lsub/../file", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "..", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "../outside", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "sub/../../outside", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "up", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "abs", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "/dev/null", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, "missing", O_RDONLY, RESOLVE_BENEATH);
	O2R(r, ".", O_RDONLY, RESOLVE_BENEATH);
	/* Creation beneath the dirfd. */
	O2R(r, "sub/new", O_WRONLY | O_CREAT, RESOLVE_BENEATH);
	SHOW("root/sub/new");
	O2R(r, "../escape", O_WRONLY | O_CREAT, RESOLVE_BENEATH);
	SHOW("escape");
	/* With AT_FDCWD the cwd is the boundary. */
	O2R(AT_FDCWD, "outside", O_RDONLY, RESOLVE_BENEATH);
	O2R(AT_FDCWD, "root/up", O_RDONLY, RESOLVE_BENEATH);
	O2R(AT_FDCWD, "..", O_RDONLY, RESOLVE_BENEATH);
	/* Without the flag the same paths resolve. */
	O2R(r, "up", O_RDONLY, 0);
	O2R(r, "../outside", O_RDONLY, 0);
	T(close(r));
	return 0;
}
