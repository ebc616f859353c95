/* Memory and port devices: /dev/mem, /dev/kmem, /dev/port; read a little
 * of each and print it. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *devs[] = { "/dev/mem", "/dev/kmem", "/dev/port" };
	for (size_t i = 0; i < 3; i++) {
		int fd = open(devs[i], O_RDONLY);
		say("open %s: %s\n", devs[i], res(fd, errno));
		if (fd < 0)
			continue;
		unsigned char buf[64];
		/* On /dev/port offset 0x80 is the POST port: reading it is harmless. */
		ssize_t n = pread(fd, buf, i == 2 ? 1 : sizeof(buf), i == 2 ? 0x80 : 0);
		say("pread: %s\n", res(n, errno));
		if (n > 0)
			say_hex(devs[i], buf, (size_t)n);
		close(fd);
	}
	CHECK("open /dev/mem O_RDWR", open("/dev/mem", O_RDWR));
	return 0;
}
