/* openat2 RESOLVE_IN_ROOT: the dirfd acts as the root for the lookup. */
#include "openat2.h"

int main(void)
{
	begin("openat2 RESOLVE_IN_ROOT");
	MUST(mkdir("root", 0755));
	MUST(mkdir("root/etc", 0755));
	put("root/etc/passwd", "jailed passwd");
	put("root/top", "jail top");
	put("outside", "outside");
	MUST(symlink("/etc/passwd", "root/abs"));
	MUST(symlink("../../../../etc/passwd", "root/etc/dotdot"));
	MUST(symlink("/", "root/slash"));
	MUST(symlink("/missing", "root/dangling"));
	int r = T(open("root", O_RDONLY | O_DIRECTORY));
	O2R(r, "abs", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "etc/dotdot", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "/etc/passwd", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "../../top", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "/../outside", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "slash/top", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "slash/../top", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "dangling", O_RDONLY, RESOLVE_IN_ROOT);
	O2R(r, "dangling", O_WRONLY | O_CREAT, RESOLVE_IN_ROOT);
	SHOW("root/missing");
	O2R(r, "/", O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT);
	/* Both scoping flags at once are invalid. */
	O2R(r, "top", O_RDONLY, RESOLVE_IN_ROOT | RESOLVE_BENEATH);
	/* Combined with RESOLVE_NO_SYMLINKS. */
	O2R(r, "abs", O_RDONLY, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	T(close(r));
	return 0;
}
