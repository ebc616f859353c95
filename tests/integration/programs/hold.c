/* What the workload can make the sentry hold.
 *   hold symlinks N   N symlinks with 1000-byte targets in the current
 *                     folder, stopping at the first error: prints how many
 *                     were made and the error
 *   hold opens N PATH N opens and closes of PATH: prints the first error */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long n = atol(argv[2]);
	if (strcmp(argv[1], "symlinks") == 0) {
		static char target[1001];
		memset(target, 't', 1000);
		char name[32];
		long i;
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "l%ld", i);
			if (symlink(target, name) < 0)
				break;
		}
		printf("made: %ld\n", i);
		printf("stopped by: %s\n", i < n ? strerrorname_np(errno) : "nothing");
		return 0;
	}
	if (strcmp(argv[1], "opens") == 0 && argc == 4) {
		for (long i = 0; i < n; i++) {
			int fd = open(argv[3], O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				printf("open %ld: %s\n", i, strerrorname_np(errno));
				return 1;
			}
			close(fd);
		}
		printf("opened and closed: %ld\n", n);
		return 0;
	}
	return 2;
}
