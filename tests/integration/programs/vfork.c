/* vfork then _exit: the parent resumes after the child is gone. */
#include <sys/wait.h>

#include "it.h"

static void __attribute__((noinline)) vfork_exit(int code)
{
	pid_t c = vfork();
	if (c == 0)
		_exit(code);
	int status;
	pid_t w = waitpid(c, &status, 0);
	say("vfork: match=%d exited=%d code=%d\n", w == c, WIFEXITED(status), WEXITSTATUS(status));
}

int main(void)
{
	for (int i = 0; i < 3; i++)
		vfork_exit(40 + i);
	return 0;
}
