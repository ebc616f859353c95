/* Relative symlink chains going up: up0 -> .., upN -> up(N-1)/.., forty
 * levels, then the secret's path below the last link. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *secret = arg("secret");
	char name[64], target[64], path[4096];
	CHECK("symlink up0 -> ..", symlink("..", "up0"));
	for (int i = 1; i < 30; i++) {
		snprintf(name, sizeof(name), "up%d", i);
		snprintf(target, sizeof(target), "up%d/..", i - 1);
		if (symlink(target, name) < 0)
			say("symlink %s: %s\n", name, res(-1, errno));
	}
	snprintf(path, sizeof(path), "up29%s", secret);
	try_read("chain", AT_FDCWD, path);
	/* A link whose target climbs by itself. */
	char climb[8192] = "";
	for (int i = 0; i < 40; i++)
		strcat(climb, "../");
	strcat(climb, secret + 1);
	CHECK("symlink climb", symlink(climb, "climb"));
	try_read("climb", AT_FDCWD, "climb");
	return 0;
}
