/* SIGIO to host processes: a pipe and a socket pair with O_ASYNC owned by
 * a host pid (F_SETOWN, F_SETOWN_EX) become readable. */
#include <signal.h>
#include <sys/socket.h>

#include "target.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct target t[2];
	int n = targets(t);
	for (int i = 0; i < n; i++) {
		int p[2], s[2];
		if (pipe(p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0)
			return 0;
		say("%s:\n", t[i].name);
		CHECK("F_SETOWN pipe", fcntl(p[0], F_SETOWN, t[i].pid));
		CHECK("O_ASYNC pipe", fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK));
		CHECK("write pipe", write(p[1], "x", 1));
		struct f_owner_ex own = { F_OWNER_PID, t[i].pid };
		CHECK("F_SETOWN_EX socket", fcntl(s[0], F_SETOWN_EX, &own));
		CHECK("F_SETSIG socket", fcntl(s[0], F_SETSIG, SIGUSR2));
		CHECK("O_ASYNC socket", fcntl(s[0], F_SETFL, O_ASYNC | O_NONBLOCK));
		CHECK("write socket", write(s[1], "x", 1));
		usleep(20000);
		close(p[0]);
		close(p[1]);
		close(s[0]);
		close(s[1]);
	}
	return 0;
}
