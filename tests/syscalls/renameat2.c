/* renameat2: RENAME_NOREPLACE and RENAME_EXCHANGE. */
#include "common.h"

int main(void)
{
	begin("renameat2");
	put("a", "content a");
	put("b", "content b");
	MUST(mkdir("d", 0755));
	put("d/in", "in d");
	MUST(mkdir("e", 0755));
	T(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
	cat("a");
	cat("b");
	T(renameat2(AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	SHOW("a");
	cat("c");
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "d", RENAME_NOREPLACE));
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "c", RENAME_NOREPLACE));
	/* Exchange two files. */
	T(renameat2(AT_FDCWD, "b", AT_FDCWD, "c", RENAME_EXCHANGE));
	cat("b");
	cat("c");
	/* Exchange a file and a directory. */
	T(renameat2(AT_FDCWD, "b", AT_FDCWD, "d", RENAME_EXCHANGE));
	SHOW("b");
	SHOW("d");
	cat("b/in");
	/* Exchange across directories. */
	T(renameat2(AT_FDCWD, "d", AT_FDCWD, "e/x", RENAME_EXCHANGE));
	MUST(mkdir("e/x", 0755));
	int e = T(open("e", O_RDONLY | O_DIRECTORY));
	T(renameat2(AT_FDCWD, "b", e, "x", RENAME_EXCHANGE));
	ls(".");
	ls("e");
	ls("e/x");
	/* Exchange with itself; into its own subtree. */
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "c", RENAME_EXCHANGE));
	T(renameat2(e, "x", e, "x/in", RENAME_EXCHANGE));
	T(close(e));
	/* Errors. */
	T(renameat2(AT_FDCWD, "missing", AT_FDCWD, "c", RENAME_EXCHANGE));
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "missing", RENAME_EXCHANGE));
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "z", RENAME_EXCHANGE | RENAME_NOREPLACE));
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "z", 0x80));
	T(renameat2(AT_FDCWD, "c", AT_FDCWD, "z", 0));
	ls(".");
	return 0;
}
