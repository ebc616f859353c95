/* Host block devices: read the first sectors of every disk name Linux
 * gives (ext4 superblock at 1024, GPT header at 512) and print them. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *devs[] = { "/dev/sda", "/dev/vda", "/dev/xvda", "/dev/nvme0n1", "/dev/sda1", "/dev/vda1", "/dev/loop0", "/dev/zram0" };
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		int fd = open(devs[i], O_RDONLY);
		say("open %s: %s\n", devs[i], res(fd, errno));
		if (fd < 0)
			continue;
		unsigned char buf[128];
		ssize_t n = pread(fd, buf, sizeof(buf), 1024);
		say("pread 1024: %s\n", res(n, errno));
		if (n > 0)
			say_hex(devs[i], buf, (size_t)n);
		n = pread(fd, buf, 64, 512);
		if (n > 0)
			say_hex(devs[i], buf, (size_t)n);
		close(fd);
	}
	return 0;
}
