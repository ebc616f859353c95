/* /proc/self/root and /proc/thread-self/root followed by the secret's
 * host path, and /proc/self/cwd walked up. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *secret = arg("secret");
	char p[4096];
	snprintf(p, sizeof(p), "/proc/self/root%s", secret);
	try_read("self root", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/thread-self/root%s", secret);
	try_read("thread-self root", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/%d/root%s", getpid(), secret);
	try_read("pid root", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/self/cwd/../../../../../../..%s", secret);
	try_read("self cwd", AT_FDCWD, p);
	return 0;
}
