/* A hard link of a file outside a --bind folder made inside it: link() of
 * the secret's path, of the image canary (a file the sandbox shows too),
 * and linkat() from the secret's folder the caller handed over as fd 3;
 * then read and append through the new name.  Natively the link shares
 * the file's inode; inside, a bind takes no link from another mount
 * (EXDEV) and never names a host path outside. */
#include "esc.h"

static void use(const char *label, const char *path)
{
	try_read(label, AT_FDCWD, path);
	int fd = open(path, O_WRONLY | O_APPEND);
	say("%s: append: %s\n", label, res(fd, errno));
	if (fd >= 0) {
		CHECK("append", write(fd, "bind_hardlink\n", 14));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *bind = arg("bind");
	char path[4096];
	snprintf(path, sizeof(path), "%s/hl", bind);
	if (CHECK("link secret -> bind/hl", link(arg("secret"), path)) == 0)
		use("link()", path);
	snprintf(path, sizeof(path), "%s/canary", bind);
	if (CHECK("link image canary -> bind/canary", link(arg("canary"), path)) == 0)
		use("link() of the canary", path);
	snprintf(path, sizeof(path), "%s/in/hl3", bind);
	if (CHECK("linkat fd 3 secret.txt -> bind/in/hl3", linkat(3, "secret.txt", AT_FDCWD, path, 0)) == 0)
		use("linkat(3)", path);
	return 0;
}
