#define _GNU_SOURCE
/* Calls the sandbox refuses, each printed as "label: result". mount is
 * made from deny_here, which the backtrace of its denial must show. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *label, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", label, strerrorname_np(errno));
	else
		printf("%s: %ld\n", label, r);
	fflush(stdout);
}

__attribute__((noinline)) static long deny_here(const char *target)
{
	long r = mount("none", target, "tmpfs", 0, NULL);
	__asm__ volatile("" ::: "memory"); /* no tail call: deny_here stays on the stack */
	return r;
}

int main(void)
{
	show("ptrace(PTRACE_TRACEME)", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	show("mount(tmpfs)", deny_here("/mnt"));
	show("socket(AF_NETLINK)", socket(AF_NETLINK, SOCK_RAW, 0));
	show("kill(1, 0)", kill(1, 0));
	puts("still running");
	return 0;
}
