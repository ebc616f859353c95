/* /sys: the host's network interfaces and their hardware addresses, and a
 * few /sys/kernel files. */
#include <dirent.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	DIR *d = opendir("/sys/class/net");
	say("opendir /sys/class/net: %s\n", d ? "ok" : res(-1, errno));
	if (d) {
		struct dirent *e;
		int n = 0;
		while ((e = readdir(d)) && n++ < 64) {
			if (e->d_name[0] == '.')
				continue;
			char p[512];
			snprintf(p, sizeof(p), "/sys/class/net/%s/address", e->d_name);
			try_read(e->d_name, AT_FDCWD, p);
		}
		closedir(d);
	}
	try_read("eth0", AT_FDCWD, "/sys/class/net/eth0/address");
	try_read("boot_id via sys", AT_FDCWD, "/sys/kernel/random/boot_id");
	try_read("kernel uevent_seqnum", AT_FDCWD, "/sys/kernel/uevent_seqnum");
	try_read("dmi product uuid", AT_FDCWD, "/sys/class/dmi/id/product_uuid");
	int fd = open("/sys/kernel/uevent_helper", O_WRONLY);
	say("open /sys/kernel/uevent_helper for writing: %s\n", res(fd, errno));
	return 0;
}
