/* New names for a file inside the image: a hard link beside it, linkat
 * with AT_EMPTY_PATH from an fd, and a symlink beside it. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	char name[4096];
	snprintf(name, sizeof(name), "%s.link", c);
	CHECK("link", link(c, name));
	int fd = open(c, O_RDONLY);
	snprintf(name, sizeof(name), "%s.fdlink", c);
	if (fd >= 0)
		CHECK("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH));
	snprintf(name, sizeof(name), "%s.symlink", c);
	CHECK("symlink", symlink(c, name));
	snprintf(name, sizeof(name), "%s.new", c);
	CHECK("creat beside it", open(name, O_WRONLY | O_CREAT, 0644));
	return 0;
}
