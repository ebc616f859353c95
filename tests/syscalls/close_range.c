/* close_range: ranges, CLOSE_RANGE_CLOEXEC, errors; fd numbering after. */
#include "common.h"
#include <linux/close_range.h>

static void open_fds(void)
{
	say("  open:");
	for (int fd = 0; fd < 40; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			say(" %d%s", fd, fcntl(fd, F_GETFD) & FD_CLOEXEC ? "c" : "");
	say("\n");
}

int main(void)
{
	begin("close_range");
	put("f", "x");
	for (int i = 0; i < 10; i++)
		open("f", O_RDONLY);
	dup2(3, 30);
	open_fds();
	T(syscall(SYS_close_range, 5, 7, 0));
	open_fds();
	T(open("f", O_RDONLY));
	T(syscall(SYS_close_range, 10, 20, CLOSE_RANGE_CLOEXEC));
	open_fds();
	T(syscall(SYS_close_range, 9, 3, 0));
	T(syscall(SYS_close_range, 3, 4, 0x8000));
	T(syscall(SYS_close_range, 100, 200, 0));
	T(syscall(SYS_close_range, 8, 8, 0));
	T(syscall(SYS_close_range, 8, 8, 0));
	open_fds();
	/* CLOSE_RANGE_UNSHARE on its own is fine. */
	T(syscall(SYS_close_range, 9, 9, CLOSE_RANGE_UNSHARE));
	open_fds();
	T(syscall(SYS_close_range, 3, ~0U, 0));
	open_fds();
	T(open("f", O_RDONLY));
	/* close: double close, bad numbers. */
	T(close(3));
	T(close(3));
	T(close(-1));
	T(close(1 << 20));
	return 0;
}
