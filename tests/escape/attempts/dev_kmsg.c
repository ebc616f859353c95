/* The kernel log: read /dev/kmsg (run.sh wrote a line with the token in
 * it) and syslog(2), and write a line. */
#include <sys/klog.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	say("open /dev/kmsg: %s\n", res(fd, errno));
	if (fd >= 0) {
		char buf[8192];
		int shown = 0;
		for (int i = 0; i < 100000; i++) {
			ssize_t n = read(fd, buf, sizeof(buf) - 1);
			if (n < 0 && errno == EPIPE)
				continue;
			if (n <= 0)
				break;
			buf[n] = 0;
			if (strstr(buf, "sentry-escape") || shown < 3) {
				say("kmsg: %s", buf);
				shown++;
			}
		}
		close(fd);
	}
	static char log[1 << 20];
	int n = CHECK("syslog(READ_ALL)", klogctl(3, log, sizeof(log) - 1));
	if (n > 0) {
		log[n] = 0;
		for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
			if (strstr(l, "sentry-escape"))
				say("syslog: %s\n", l);
	}
	fd = open("/dev/kmsg", O_WRONLY);
	say("open /dev/kmsg for writing: %s\n", res(fd, errno));
	return 0;
}
