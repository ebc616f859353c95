/* mknod of block and memory devices in the workspace and in /tmp (the
 * numbers of the usual disks and of /dev/mem), then read them. */
#include <sys/sysmacros.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct { const char *name; unsigned maj, min; mode_t type; } d[] = {
		{ "sda", 8, 0, S_IFBLK }, { "vda", 254, 0, S_IFBLK }, { "vda-253", 253, 0, S_IFBLK },
		{ "nvme", 259, 0, S_IFBLK }, { "xvda", 202, 0, S_IFBLK }, { "mem", 1, 1, S_IFCHR },
	};
	const char *dirs[] = { ".", "/tmp" };
	char path[256];
	for (size_t j = 0; j < 2; j++) {
		for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
			snprintf(path, sizeof(path), "%s/node-%s", dirs[j], d[i].name);
			if (CHECK(path, mknod(path, d[i].type | 0600, makedev(d[i].maj, d[i].min))) < 0)
				continue;
			int fd = open(path, O_RDONLY);
			say("open: %s\n", res(fd, errno));
			if (fd < 0)
				continue;
			unsigned char buf[128];
			ssize_t n = pread(fd, buf, sizeof(buf), d[i].type == S_IFBLK ? 1024 : 0);
			if (n > 0)
				say_hex(path, buf, (size_t)n);
			close(fd);
		}
	}
	return 0;
}
