/* Entering another process's namespaces: setns to the mount, pid and
 * user namespaces of pid 1, of the bystander and of the parent (through
 * /proc/<pid>/ns and through a pidfd), then read the secret by path. */
#include <sched.h>

#include "target.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct target t[2];
	targets(t);
	pid_t pids[3] = { 1, t[0].pid, t[1].pid };
	const char *ns[] = { "mnt", "user", "pid", "net" };
	char p[128];
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 4; j++) {
			snprintf(p, sizeof(p), "/proc/%d/ns/%s", pids[i], ns[j]);
			int fd = open(p, O_RDONLY);
			say("open %s: %s\n", p, res(fd, errno));
			if (fd >= 0) {
				CHECK("setns", setns(fd, 0));
				close(fd);
			}
		}
		int pfd = syscall(SYS_pidfd_open, pids[i], 0);
		say("pidfd_open %d: %s\n", pids[i], res(pfd, errno));
		if (pfd >= 0)
			CHECK("setns(pidfd, MNT|NET)", setns(pfd, CLONE_NEWNS | CLONE_NEWNET));
	}
	try_read("after setns", AT_FDCWD, arg("secret"));
	return 0;
}
