/* fcntl F_CREATED_QUERY (Linux 6.12): whether the open that made the fd
 * created its file. On older kernels every query is EINVAL, natively and
 * inside alike. */
#include "common.h"

#ifndef F_CREATED_QUERY
#define F_CREATED_QUERY 1028
#endif

#define Q(fd) TL("created " #fd, fcntl((fd), F_CREATED_QUERY))

int main(void)
{
	begin("fcntl_created");
	int made = T(open("a", O_RDWR | O_CREAT, 0644));
	Q(made);
	int again = T(open("a", O_RDWR | O_CREAT, 0644));
	Q(again);
	int plain = T(open("a", O_RDONLY));
	Q(plain);
	int copy = T(dup(made));
	Q(copy);
	int excl = T(open("b", O_WRONLY | O_CREAT | O_EXCL, 0600));
	Q(excl);
	int trunc = T(open("b", O_WRONLY | O_CREAT | O_TRUNC, 0600));
	Q(trunc);
	int by_creat = T(creat("c", 0644));
	Q(by_creat);
	int rdonly = T(open("d", O_RDONLY | O_CREAT, 0644));
	Q(rdonly);
	int path = T(open("a", O_PATH));
	Q(path);
	int dir = T(open(".", O_RDONLY | O_DIRECTORY));
	Q(dir);
	int tmp = T(open(".", O_TMPFILE | O_RDWR, 0600));
	Q(tmp);
	int p[2];
	MUST(pipe(p));
	Q(p[0]);
	Q(99);

	/* A child inherits the open file description, and with it the answer. */
	pid_t child = fork();
	if (child == 0) {
		Q(made);
		Q(plain);
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);

	/* A file removed and made again under the same name is created anew. */
	T(close(made));
	T(close(copy));
	T(close(again));
	T(close(plain));
	T(unlink("a"));
	made = T(open("a", O_RDWR | O_CREAT, 0644));
	Q(made);

	/* More files created and kept open than the sentry keeps copies of
	 * (256): each still answers 1 right after its open, and a second open
	 * of each 0. */
	int yes = 0, no = 0, fds[300];
	for (int i = 0; i < 300; i++) {
		char name[32];
		snprintf(name, sizeof(name), "many%d", i);
		fds[i] = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fcntl(fds[i], F_CREATED_QUERY) == 1)
			yes++;
		int second = open(name, O_RDWR | O_CLOEXEC);
		if (fcntl(second, F_CREATED_QUERY) == 0)
			no++;
		close(second);
	}
	say("300 created: %d answer 1; their second opens: %d answer 0\n", yes, no);
	for (int i = 0; i < 300; i++)
		close(fds[i]);
	return 0;
}
