/* A system call through a foreign x86 ABI: "int80" (i386 getpid through
 * int $0x80) or "x32" (getpid with the x32 bit set in the number). */
#include <stdlib.h>

#include "it.h"

#define X32_SYSCALL_BIT 0x40000000L

static long int80_getpid(void)
{
	long ret = 20; /* __NR_getpid on i386 */
	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	return ret;
}

static long x32_getpid(void)
{
	long ret = X32_SYSCALL_BIT | 39; /* __NR_getpid, shared by x32 */
	__asm__ volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "int80";
	long pid = getpid();
	say("before the %s call\n", mode);
	long r = !strcmp(mode, "x32") ? x32_getpid() : int80_getpid();
	/* The raw kernel answer: the pid, or a negative errno. */
	say("after the %s call: %s\n", mode, r == pid ? "our pid" : r < 0 ? strerrorname_np((int)-r) : "other");
	return 0;
}
