/* The i386 entry: open, read and write the secret through int $0x80 from
 * 64-bit code. A static, non-PIE binary keeps the path and the buffer
 * below 4 GiB, where 32-bit pointers reach them. */
#include "esc.h"

static char path[4096];
static char buf[4096];

static long int80(long nr, long a, long b, long c)
{
	long ret = nr;
	__asm__ volatile("int $0x80" : "+a"(ret) : "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	snprintf(path, sizeof(path), "%s", arg("secret"));
	say("i386 open(%s) via int $0x80\n", path);
	long fd = int80(5 /* open */, (long)(unsigned long)path, O_RDONLY, 0);
	say("open: %ld\n", fd);
	if (fd < 0)
		return 0;
	long n = int80(3 /* read */, fd, (long)(unsigned long)buf, sizeof(buf) - 1);
	say("read: %ld\n", n);
	if (n > 0)
		int80(4 /* write */, 1, (long)(unsigned long)buf, n);
	say("\n");
	return 0;
}
