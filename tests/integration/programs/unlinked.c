/* Files that lost their last name while fds still hold them, and the space
 * such files give back.
 *   unlinked semantics      open, unlink, then write, fstat, ftruncate,
 *                           read back, mmap, a reopen through
 *                           /proc/self/fd, fallocate, sendfile, a child
 *                           using the fd; the same after a rename over the
 *                           file and for an O_TMPFILE file given a name
 *   unlinked churn N SIZE   N times: creat, write SIZE bytes, close,
 *                           unlink; prints the first error or the count
 *   unlinked rename N SIZE  N times: write SIZE bytes into a new file and
 *                           rename it over "target"
 *   unlinked held N         opens N files at once, then closes and unlinks
 *                           them all
 * Run in an empty folder on a tmpfs (natively) or inside the sandbox; the
 * output must be the same. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "it.h"

static void show_stat(const char *label, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		say("%s: fstat %s\n", label, res(-1, errno));
		return;
	}
	say("%s: size %lld nlink %lu blocks %s\n", label, (long long)st.st_size, (unsigned long)st.st_nlink,
	    st.st_blocks ? "some" : "none");
}

static void show_contents(const char *label, int fd, size_t len)
{
	char buf[64] = "";
	errno = 0;
	ssize_t n = pread(fd, buf, len < sizeof(buf) ? len : sizeof(buf) - 1, 0);
	if (n < 0) {
		say("%s: pread %s\n", label, res(-1, errno));
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = '.';
	say("%s: %zd bytes \"%.*s\"\n", label, n, (int)n, buf);
}

/* A file with no name: everything still works on its fd. */
static void nameless(int fd, const char *how)
{
	say("-- %s\n", how);
	show_stat("after", fd);
	CHECK("write", write(fd, "hello world", 11));
	show_stat("written", fd);
	show_contents("contents", fd, 11);
	CHECK("ftruncate 5", ftruncate(fd, 5));
	show_stat("shrunk", fd);
	show_contents("contents", fd, 20);
	CHECK("ftruncate 8192", ftruncate(fd, 8192));
	show_stat("grown", fd);
	CHECK("lseek end", lseek(fd, 0, SEEK_END));

	char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		say("mmap: %s\n", res(-1, errno));
	} else {
		say("mapped: \"%.5s\"\n", map);
		memcpy(map + 4096, "page two", 8);
		munmap(map, 8192);
	}
	char buf[16] = "";
	CHECK("pread page two", pread(fd, buf, 8, 4096));
	say("page two: \"%.8s\"\n", buf);

	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	int again = open(link, O_RDWR);
	say("reopen: %s\n", again < 0 ? res(-1, errno) : "ok");
	if (again >= 0) {
		struct stat a, b;
		fstat(fd, &a);
		fstat(again, &b);
		say("reopen same inode: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "yes" : "no");
		show_contents("reopen contents", again, 5);
		CHECK("reopen pwrite", pwrite(again, "HE", 2, 0));
		close(again);
	}
	show_contents("after reopen", fd, 5);

	CHECK("fallocate 64 KiB", fallocate(fd, 0, 0, 65536));
	show_stat("allocated", fd);

	int pipefd[2];
	if (pipe(pipefd) == 0) {
		off_t off = 0;
		CHECK("sendfile", sendfile(pipefd[1], fd, &off, 5));
		char out[8] = "";
		CHECK("read pipe", read(pipefd[0], out, 5));
		say("sent: \"%.5s\"\n", out);
		close(pipefd[0]);
		close(pipefd[1]);
	}

	pid_t child = fork();
	if (child == 0) {
		CHECK("child pwrite", pwrite(fd, "child", 5, 0));
		CHECK("child ftruncate 100", ftruncate(fd, 100));
		show_stat("child", fd);
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	say("child exit: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	show_stat("parent", fd);
	show_contents("parent contents", fd, 5);
	CHECK("close", close(fd));
}

static void semantics(void)
{
	int fd = open("f", O_CREAT | O_RDWR | O_EXCL, 0600);
	CHECK("open f", fd >= 0 ? 0 : -1);
	CHECK("unlink f", unlink("f"));
	nameless(fd, "unlinked");

	int keep = open("old", O_CREAT | O_RDWR | O_EXCL, 0600);
	CHECK("write old", write(keep, "old!", 4));
	int repl = open("new", O_CREAT | O_WRONLY | O_EXCL, 0600);
	CHECK("write new", write(repl, "new", 3));
	CHECK("close new", close(repl));
	CHECK("rename new over old", rename("new", "old"));
	show_contents("old fd", keep, 4);
	int named = open("old", O_RDONLY);
	show_contents("the name", named, 4);
	close(named);
	nameless(keep, "renamed over");

	int a = open("linked", O_CREAT | O_RDWR | O_EXCL, 0600);
	CHECK("link", link("linked", "second"));
	CHECK("unlink linked", unlink("linked"));
	CHECK("write", write(a, "still named", 11));
	show_stat("one name left", a);
	CHECK("close", close(a));
	int b = open("second", O_RDONLY);
	show_contents("second", b, 11);
	close(b);
	CHECK("unlink second", unlink("second"));

	int t = open(".", O_TMPFILE | O_RDWR, 0600);
	CHECK("O_TMPFILE", t >= 0 ? 0 : -1);
	CHECK("write", write(t, "temporary", 9));
	show_stat("tmpfile", t);
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", t);
	CHECK("linkat", linkat(AT_FDCWD, link, AT_FDCWD, "kept", AT_SYMLINK_FOLLOW));
	CHECK("close", close(t));
	int k = open("kept", O_RDONLY);
	show_contents("kept", k, 9);
	show_stat("kept", k);
	close(k);
	CHECK("unlink kept", unlink("kept"));
	CHECK("unlink old", unlink("old"));
}

/* Stops at the first error, naming the cycle and the call. */
static int churn(long n, size_t size, bool rename_over)
{
	char *data = malloc(size ? size : 1);
	memset(data, 'x', size);
	for (long i = 0; i < n; i++) {
		const char *name = rename_over ? "next" : "churn";
		const char *what = "creat";
		int fd = creat(name, 0600);
		if (fd >= 0) {
			what = "write";
			for (size_t done = 0; done < size;) {
				ssize_t w = write(fd, data + done, size - done);
				if (w <= 0)
					goto failed;
				done += (size_t)w;
			}
			what = "close";
			if (close(fd) < 0)
				goto failed;
			what = rename_over ? "rename" : "unlink";
			if ((rename_over ? rename(name, "target") : unlink(name)) == 0)
				continue;
		}
failed:
		say("cycle %ld: %s: %s\n", i, what, res(-1, errno));
		return 1;
	}
	if (rename_over)
		unlink("target");
	say("cycles: %ld\n", n);
	return 0;
}

static int held(long n)
{
	int *fds = malloc(n * sizeof(*fds));
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "h%ld", i);
		fds[i] = open(name, O_CREAT | O_RDWR | O_EXCL, 0600);
		if (fds[i] < 0 || write(fds[i], "held", 4) != 4) {
			say("file %ld: %s\n", i, res(-1, errno));
			return 1;
		}
	}
	say("open at once: %ld\n", n);
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "h%ld", i);
		if (close(fds[i]) < 0 || unlink(name) < 0) {
			say("release %ld: %s\n", i, res(-1, errno));
			return 1;
		}
	}
	say("closed and unlinked: %ld\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "semantics") == 0) {
		semantics();
		return 0;
	}
	if (argc == 4 && (strcmp(argv[1], "churn") == 0 || strcmp(argv[1], "rename") == 0))
		return churn(atol(argv[2]), (size_t)atol(argv[3]), argv[1][0] == 'r');
	if (argc == 3 && strcmp(argv[1], "held") == 0)
		return held(atol(argv[2]));
	say("usage: unlinked semantics | churn N SIZE | rename N SIZE | held N\n");
	return 2;
}
