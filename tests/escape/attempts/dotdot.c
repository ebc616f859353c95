/* ".." walks from the workspace: a long relative path up to the root and
 * down to the secret, and chdir("..") forty times then a relative open. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *secret = arg("secret");
	char path[8192] = "";
	for (int i = 0; i < 40; i++)
		strcat(path, "../");
	strcat(path, secret + 1);
	try_read("relative walk", AT_FDCWD, path);
	for (int i = 0; i < 40; i++)
		if (chdir("..") < 0)
			say("chdir ..: %s\n", res(-1, errno));
	char cwd[4096];
	say("cwd after 40 chdir(..): %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : res(-1, errno));
	try_read("after chdir", AT_FDCWD, secret + 1);
	int root = open("/", O_RDONLY | O_DIRECTORY);
	say("open /: %s\n", res(root, errno));
	if (root >= 0) {
		char p2[8192];
		snprintf(p2, sizeof(p2), "../../..%s", secret);
		try_read("openat(/, ../../..)", root, p2);
	}
	return 0;
}
