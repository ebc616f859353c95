/* The cwd and /tmp are different file systems: rename and link across
 * give EXDEV, copying works. Uses a private name under /tmp, removed at
 * the end. */
#include "common.h"

int main(void)
{
	begin("across file systems");
	char dir[64], file[96], moved[96];
	snprintf(dir, sizeof(dir), "/tmp/sc-xdev.%d", (int)getpid());
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(moved, sizeof(moved), "%s/moved", dir);
	TL("mkdir(/tmp/<private>)", mkdir(dir, 0700));
	put("here", "in the cwd");
	put(file, "in /tmp");
	TL("rename(here, /tmp/<private>/moved)", rename("here", moved));
	TL("rename(/tmp/<private>/file, there)", rename(file, "there"));
	TL("link(here, /tmp/<private>/moved)", link("here", moved));
	TL("link(/tmp/<private>/file, there)", link(file, "there"));
	TL("renameat2 exchange", renameat2(AT_FDCWD, "here", AT_FDCWD, file, RENAME_EXCHANGE));
	/* A symlink across is fine. */
	TL("symlink(/tmp/<private>/file, lt)", symlink(file, "lt"));
	cat("lt");
	/* st_dev differs across, and matches within. */
	struct stat a, b, c;
	stat(".", &a);
	stat("here", &c);
	stat(dir, &b);
	say("  same device cwd/here: %s, cwd/tmp: %s\n", a.st_dev == c.st_dev ? "yes" : "no",
	    a.st_dev == b.st_dev ? "yes" : "no");
	/* /tmp is a sticky, world-writable directory. */
	struct stat t;
	stat("/tmp", &t);
	say("  /tmp: %s mode=%04o\n", ftype(t.st_mode), t.st_mode & 07777);
	unlink(file);
	unlink(moved);
	TL("rmdir(/tmp/<private>)", rmdir(dir));
	return 0;
}
