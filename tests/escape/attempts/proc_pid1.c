/* /proc/1: its root, cwd, environment and open fds, which on the host
 * are init's. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *secret = arg("secret");
	char p[4096];
	snprintf(p, sizeof(p), "/proc/1/root%s", secret);
	try_read("pid 1 root", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/1/cwd/../../../../../..%s", secret);
	try_read("pid 1 cwd", AT_FDCWD, p);
	int fd = open("/proc/1/root", O_RDONLY | O_DIRECTORY);
	say("open /proc/1/root: %s\n", res(fd, errno));
	if (fd >= 0)
		try_read("openat(/proc/1/root)", fd, secret + 1);
	return 0;
}
