/* Mode and owner changes of a file inside the image. */
#include <sys/xattr.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	CHECK("chmod 4777", chmod(c, 04777));
	CHECK("fchmodat 0", fchmodat(AT_FDCWD, c, 0, 0));
	CHECK("chown 1:1", chown(c, 1, 1));
	CHECK("lchown 2:2", lchown(c, 2, 2));
	int fd = open(c, O_RDONLY);
	if (fd >= 0) {
		CHECK("fchmod 0777", fchmod(fd, 0777));
		CHECK("fchown 3:3", fchown(fd, 3, 3));
		CHECK("setxattr", fsetxattr(fd, "user.sentry", "x", 1, 0));
	}
	return 0;
}
