/* Renames of a file inside the image: away, over it, and exchanged. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	char moved[4096];
	snprintf(moved, sizeof(moved), "%s.moved", c);
	CHECK("rename away", rename(c, moved));
	CHECK("rename into the workspace", rename(c, "stolen"));
	int fd = open("decoy", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		CHECK("write decoy", write(fd, "decoy\n", 6));
		close(fd);
	}
	CHECK("rename over it", rename("decoy", c));
	CHECK("renameat2 exchange", syscall(SYS_renameat2, AT_FDCWD, "decoy", AT_FDCWD, c, 2 /* RENAME_EXCHANGE */));
	return 0;
}
