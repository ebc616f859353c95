/* vfork children that exec sleep: prints how many vforks worked before
 * one failed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	volatile int n = 0;
	for (; n < 100; n++) {
		pid_t pid = vfork();
		if (pid == 0) {
			execl("/bin/sleep", "sleep", "2", (char *)NULL);
			_exit(127);
		}
		if (pid < 0) {
			printf("vfork %d %s\n", n, strerror(errno));
			break;
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
