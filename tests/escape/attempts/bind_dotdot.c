/* ".." out of a --bind folder: by path, from a subfolder, from a dirfd of
 * the bind, from the bind as cwd, and forty levels up; read and append.
 * Natively the bind is a plain folder and ".." leads to the secret;
 * inside, ".." of the bind's root is the mount point's parent in the
 * sandbox's tree. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *bind = arg("bind");
	char path[8192];
	snprintf(path, sizeof(path), "%s/../secret/secret.txt", bind);
	try_read("bind/..", AT_FDCWD, path);
	int fd = open(path, O_WRONLY | O_APPEND);
	say("append bind/..: %s\n", res(fd, errno));
	if (fd >= 0) {
		CHECK("append", write(fd, "bind_dotdot\n", 12));
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/in/../../secret/secret.txt", bind);
	try_read("bind/in/../..", AT_FDCWD, path);
	int dfd = open(bind, O_RDONLY | O_DIRECTORY);
	say("open bind: %s\n", res(dfd, errno));
	try_read("dirfd ..", dfd, "../secret/secret.txt");
	try_read("dirfd in/../..", dfd, "in/../../secret/secret.txt");
	char up[8192];
	snprintf(up, sizeof(up), "%s/in", bind);
	for (int i = 0; i < 40; i++)
		strcat(up, "/..");
	snprintf(path, sizeof(path), "%s%s", up, arg("secret"));
	try_read("forty levels up", AT_FDCWD, path);
	snprintf(path, sizeof(path), "%s/in", bind);
	if (CHECK("chdir bind/in", chdir(path)) == 0)
		try_read("cwd ../..", AT_FDCWD, "../../secret/secret.txt");
	return 0;
}
