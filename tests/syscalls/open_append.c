/* O_APPEND: every write lands at the end, whatever the offset. */
#include "common.h"

int main(void)
{
	begin("open O_APPEND");
	put("f", "start.");
	int a = T(open("f", O_WRONLY | O_APPEND));
	int b = T(open("f", O_WRONLY));
	T(lseek(a, 0, SEEK_CUR));
	T(write(a, "one.", 4));
	T(lseek(a, 0, SEEK_CUR));
	T(lseek(a, 0, SEEK_SET));
	T(write(a, "two.", 4));
	T(lseek(a, 0, SEEK_CUR));
	/* A plain fd writes at its own offset, overwriting. */
	T(write(b, "XY", 2));
	cat("f");
	/* pwrite on an O_APPEND fd appends on Linux, ignoring the offset. */
	T(pwrite(a, "three.", 6, 0));
	cat("f");
	/* F_SETFL can clear and set O_APPEND. */
	T(fcntl(a, F_GETFL) & O_APPEND);
	T(fcntl(a, F_SETFL, 0));
	T(fcntl(a, F_GETFL) & O_APPEND);
	T(lseek(a, 0, SEEK_SET));
	T(write(a, "Z", 1));
	cat("f");
	T(fcntl(b, F_SETFL, O_APPEND));
	T(write(b, "four.", 5));
	T(lseek(b, 0, SEEK_CUR));
	cat("f");
	SHOW("f");
	/* O_APPEND with O_RDWR: reads use the offset, writes go to the end. */
	int c = T(open("f", O_RDWR | O_APPEND));
	char buf[6] = { 0 };
	T(read(c, buf, 5));
	say("  read: %s\n", buf);
	T(write(c, "five.", 5));
	T(lseek(c, 0, SEEK_CUR));
	cat("f");
	T(close(a));
	T(close(b));
	T(close(c));
	return 0;
}
