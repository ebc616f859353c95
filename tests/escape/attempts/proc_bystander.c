/* /proc/<host pid>: a host process's environment, cwd, open fds, root,
 * command line and memory. The bystander holds the secret open as fd 5,
 * sits in the secret's folder and carries the token in its environment. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	long pid = arg_long("bystander");
	char p[4096];
	const char *names[] = { "environ", "cmdline", "cwd/secret.txt", "fd/5", "root", "maps", "status" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(names[i], "root"))
			snprintf(p, sizeof(p), "/proc/%ld/root%s", pid, arg("secret"));
		else
			snprintf(p, sizeof(p), "/proc/%ld/%s", pid, names[i]);
		try_read(names[i], AT_FDCWD, p);
	}
	/* /proc/<pid>/mem at the environment's address. */
	unsigned long start = 0, end = 0;
	sscanf(arg("bys_env"), "%lx:%lx", &start, &end);
	snprintf(p, sizeof(p), "/proc/%ld/mem", pid);
	int fd = open(p, O_RDONLY);
	say("open %s: %s\n", p, res(fd, errno));
	if (fd >= 0 && end > start) {
		char buf[4096];
		size_t len = end - start < sizeof(buf) - 1 ? end - start : sizeof(buf) - 1;
		ssize_t n = pread(fd, buf, len, (off_t)start);
		say("pread mem: %s\n", res(n, errno));
		for (ssize_t i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = '\n';
		if (n > 0)
			out_raw(buf, (size_t)n);
	}
	return 0;
}
