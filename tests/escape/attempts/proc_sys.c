/* /proc/sys: read the host's boot id, and write the host name (with the
 * value it has, so a native run changes nothing). */
#include <sys/utsname.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	try_read("boot_id", AT_FDCWD, "/proc/sys/kernel/random/boot_id");
	struct utsname u;
	uname(&u);
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	say("open /proc/sys/kernel/hostname for writing: %s\n", res(fd, errno));
	if (fd >= 0)
		CHECK("write the same name", write(fd, u.nodename, strlen(u.nodename)));
	CHECK("sethostname (same name)", sethostname(u.nodename, strlen(u.nodename)));
	return 0;
}
