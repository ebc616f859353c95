/* The x32 entry: open and read the secret with x32 syscall numbers. */
#include "esc.h"

#define X32 0x40000000L

static long x32_call(long nr, long a, long b, long c)
{
	long ret = X32 | nr;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("syscall" : "+a"(ret) : "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	static char buf[4096];
	const char *path = arg("secret");
	say("x32 openat(%s)\n", path);
	long fd = x32_call(257 /* openat */, AT_FDCWD, (long)path, O_RDONLY);
	say("openat: %ld\n", fd);
	if (fd < 0)
		fd = x32_call(2 /* open */, (long)path, O_RDONLY, 0);
	if (fd < 0)
		return 0;
	long n = x32_call(0 /* read */, fd, (long)buf, sizeof(buf) - 1);
	say("read: %ld\n", n);
	if (n > 0)
		out_raw(buf, (size_t)n);
	return 0;
}
