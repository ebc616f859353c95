/* Copying between fds: sendfile, copy_file_range, splice, tee. */
#include "common.h"
#include <sys/sendfile.h>

int main(void)
{
	begin("sendfile, copy_file_range, splice");
	put("src", "the quick brown fox");
	int in = T(open("src", O_RDONLY));
	int out = T(open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	T(sendfile(out, in, NULL, 9));
	T(lseek(in, 0, SEEK_CUR));
	off_t off = 10;
	T(sendfile(out, in, &off, 100));
	say("  off now %lld\n", (long long)off);
	cat("dst");
	T(close(out));
	/* copy_file_range with and without offsets. */
	out = T(open("dst2", O_RDWR | O_CREAT | O_TRUNC, 0644));
	T(lseek(in, 4, SEEK_SET));
	T(copy_file_range(in, NULL, out, NULL, 5, 0));
	off_t o_in = 16, o_out = 20;
	T(copy_file_range(in, &o_in, out, &o_out, 100, 0));
	say("  offsets %lld %lld\n", (long long)o_in, (long long)o_out);
	cat("dst2");
	T(copy_file_range(in, NULL, out, NULL, 5, 1));
	T(copy_file_range(out, NULL, in, NULL, 5, 0));
	T(close(out));
	/* splice through a pipe, and tee. */
	int p[2], q[2];
	MUST(pipe(p));
	MUST(pipe(q));
	off_t so = 0;
	T(splice(in, &so, p[1], NULL, 9, 0));
	T(tee(p[0], q[1], 9, 0));
	out = T(open("dst3", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	T(splice(p[0], NULL, out, NULL, 9, 0));
	readfd("tee copy", q[0]);
	cat("dst3");
	T(splice(in, NULL, out, NULL, 9, 0));
	T(close(out));
	/* sendfile to a pipe and from a pipe. */
	T(sendfile(p[1], in, &so, 5));
	readfd("pipe", p[0]);
	T(sendfile(out, p[0], NULL, 5));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(sendfile(p[1], dfd, NULL, 5));
	return 0;
}
