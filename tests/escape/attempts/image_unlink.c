/* Removal of a file inside the image, and of its folder. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	CHECK("unlink", unlink(c));
	CHECK("unlinkat", unlinkat(AT_FDCWD, c, 0));
	CHECK("rmdir /usr/local/share", rmdir("/usr/local/share"));
	return 0;
}
