/* A symlink in the workspace and one in /tmp naming the secret's absolute
 * host path, then opens through them. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *secret = arg("secret");
	CHECK("symlink in the workspace", symlink(secret, "link-to-secret"));
	try_read("workspace link", AT_FDCWD, "link-to-secret");
	CHECK("symlink in /tmp", symlink(secret, "/tmp/link-to-secret"));
	try_read("/tmp link", AT_FDCWD, "/tmp/link-to-secret");
	CHECK("mkdir d", mkdir("d", 0755));
	CHECK("symlink to the secret's folder", symlink(arg("secretdir"), "d/dir"));
	try_read("folder link", AT_FDCWD, "d/dir/secret.txt");
	return 0;
}
