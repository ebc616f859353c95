/* Symlinks made in a --bind folder that point out of it: absolute, relative,
 * from a subfolder, and a symlinked folder; read through them and append
 * through them.  Natively they reach the secret; inside, the sentry reads
 * them as links and the VFS resolves them in the sandbox's own tree. */
#include "esc.h"

static void try_append(const char *label, const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	say("%s: open %s for appending: %s\n", label, path, res(fd, errno));
	if (fd >= 0) {
		CHECK("append", write(fd, "bind_symlink was here\n", 22));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *bind = arg("bind"), *secret = arg("secret"), *secretdir = arg("secretdir");
	char path[4096];
	snprintf(path, sizeof(path), "%s/abs", bind);
	CHECK("symlink abs -> secret", symlink(secret, path));
	try_read("absolute link", AT_FDCWD, path);
	try_append("absolute link", path);
	snprintf(path, sizeof(path), "%s/rel", bind);
	CHECK("symlink rel -> ../secret/secret.txt", symlink("../secret/secret.txt", path));
	try_read("relative link", AT_FDCWD, path);
	snprintf(path, sizeof(path), "%s/in/deep", bind);
	CHECK("symlink in/deep -> ../../secret/secret.txt", symlink("../../secret/secret.txt", path));
	try_read("link in a subfolder", AT_FDCWD, path);
	snprintf(path, sizeof(path), "%s/dir", bind);
	CHECK("symlink dir -> secretdir", symlink(secretdir, path));
	snprintf(path, sizeof(path), "%s/dir/secret.txt", bind);
	try_read("symlinked folder", AT_FDCWD, path);
	int dfd = open(bind, O_RDONLY | O_DIRECTORY);
	say("open bind: %s\n", res(dfd, errno));
	try_read("openat through the link", dfd, "rel");
	try_read("openat through the folder link", dfd, "dir/secret.txt");
	return 0;
}
