/* RLIMIT_NOFILE is what can be opened: with the soft limit raised to the
 * hard one (at most 30000), opening new files until the call fails gives
 * every fd below the soft limit, then EMFILE; getdtablesize and
 * sysconf(_SC_OPEN_MAX) say the same limit. Each file is a new one, so
 * that nothing is shared between the opens. */
#include "common.h"

#include <sys/resource.h>

#define MOST 30000

int main(void)
{
	begin("RLIMIT_NOFILE: every fd below the soft limit can be opened");
	struct rlimit rl;
	MUST(getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = rl.rlim_max < MOST ? rl.rlim_max : MOST;
	T(setrlimit(RLIMIT_NOFILE, &rl));
	int limit = (int)rl.rlim_cur;
	say("  getdtablesize is the soft limit %d\n", getdtablesize() == limit);
	say("  sysconf(_SC_OPEN_MAX) is the soft limit %d\n", sysconf(_SC_OPEN_MAX) == limit);
	int opened = 0, fd = -1, highest = -1, err = 0;
	for (;;) {
		char name[32];
		snprintf(name, sizeof(name), "f%d", opened);
		fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			err = errno;
			break;
		}
		highest = fd;
		opened++;
	}
	/* stdin, stdout and stderr are the three others */
	say("  opened until %s: the soft limit less 3 %d, the highest fd is the limit less 1 %d\n", errname(err),
	    opened == limit - 3, highest == limit - 1);
	T(close(highest));
	T(close(open("f0", O_RDONLY)) == 0);
	return 0;
}
