/* A cwd that has been removed: getcwd fails, lookups of ".." work. */
#include "common.h"

int main(void)
{
	begin("removed cwd");
	MUST(mkdir("gone", 0755));
	MUST(mkdir("gone2", 0755));
	put("marker", "in start");
	T(chdir("gone"));
	pwd();
	T(rmdir("../gone"));
	pwd();
	char buf[PATH_MAX];
	T(getcwd(buf, sizeof(buf)) == NULL);
	say("  errno %s\n", errname(errno));
	SHOW(".");
	T(open("new", O_RDWR | O_CREAT, 0644));
	T(mkdir("newdir", 0755));
	T(open(".", O_RDONLY | O_DIRECTORY) >= 0);
	DIR *d = opendir(".");
	int n = 0;
	if (d) {
		while (readdir(d))
			n++;
		closedir(d);
	}
	say("  entries in removed cwd: %d\n", n);
	cat("../marker");
	link_of("/proc/self/cwd");
	T(chdir(".."));
	pwd();
	/* A directory renamed while it is the cwd: getcwd shows the new name. */
	T(chdir("gone2"));
	T(rename("../gone2", "../moved"));
	pwd();
	T(chdir(".."));
	ls(".");
	return 0;
}
