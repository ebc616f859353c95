/* mqtool OP NAME...: one POSIX message queue call per name, its result on
 * stdout ("open /q: ok", "open /q: ENOENT"). OP: create (O_CREAT|O_EXCL),
 * open, unlink, send ("hello", priority 1), hold (create, say so, then
 * wait for stdin to close), or spread (create, each name with a real uid
 * of its own, 1000 + its place, so that each is charged to another user).
 * Static, so that it runs the same natively and inside the sentry. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int result(const char *op, const char *name, int r)
{
	printf("%s %s: %s\n", op, name, r < 0 ? strerrorname_np(errno) : "ok");
	fflush(stdout);
	return r < 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *op = argv[1];
	int failed = 0;
	for (int i = 2; i < argc; i++) {
		const char *name = argv[i];
		if (strcmp(op, "spread") == 0 && setresuid(1000 + i, -1, -1) < 0)
			failed |= result("setresuid", name, -1);
		else if (strcmp(op, "create") == 0 || strcmp(op, "hold") == 0 || strcmp(op, "spread") == 0)
			failed |= result(op, name, mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
		else if (strcmp(op, "open") == 0)
			failed |= result(op, name, mq_open(name, O_RDWR));
		else if (strcmp(op, "unlink") == 0)
			failed |= result(op, name, mq_unlink(name));
		else if (strcmp(op, "send") == 0) {
			mqd_t q = mq_open(name, O_WRONLY);
			failed |= result(op, name, q < 0 ? -1 : mq_send(q, "hello", 5, 1));
		}
		else
			return 2;
	}
	if (strcmp(op, "hold") == 0) {
		char c;
		while (read(0, &c, 1) > 0)
			;
	}
	return failed;
}
