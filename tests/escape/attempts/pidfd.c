/* pidfds of host processes: pidfd_getfd of everything they hold open
 * (the bystander holds the secret as fd 5), and pidfd_send_signal. */
#include <signal.h>

#include "target.h"

static void use_fd(const char *label, int fd, const char *secret)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return;
	say("%s: mode %o\n", label, st.st_mode);
	if (S_ISREG(st.st_mode)) {
		lseek(fd, 0, SEEK_SET);
		dump_fd(label, fd);
	} else if (S_ISDIR(st.st_mode)) {
		try_read(label, fd, secret + 1);
		try_read(label, fd, "secret.txt");
	}
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct target t[2];
	int n = targets(t);
	for (int i = 0; i < n; i++) {
		char label[64];
		snprintf(label, sizeof(label), "pidfd_open %s", t[i].name);
		int pfd = CHECK(label, syscall(SYS_pidfd_open, t[i].pid, 0));
		if (pfd < 0)
			continue;
		int got = 0;
		for (int fd = 0; fd < 64; fd++) {
			int f = syscall(SYS_pidfd_getfd, pfd, fd, 0);
			if (f < 0)
				continue;
			got++;
			snprintf(label, sizeof(label), "%s fd %d", t[i].name, fd);
			use_fd(label, f, arg("secret"));
			close(f);
		}
		say("pidfd_getfd gave %d fds of %s; last error %s\n", got, t[i].name, res(-1, errno));
		CHECK("pidfd_send_signal SIGUSR1", syscall(SYS_pidfd_send_signal, pfd, SIGUSR1, NULL, 0));
	}
	return 0;
}
