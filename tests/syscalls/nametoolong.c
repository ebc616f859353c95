/* ENAMETOOLONG: components over 255 bytes and paths over 4095. */
#include "common.h"

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = 0;
	return s;
}

int main(void)
{
	begin("ENAMETOOLONG");
	char *n255 = repeat('a', 255), *n256 = repeat('b', 256);
	struct stat st;
	TL("creat(<255>)", creat(n255, 0644));
	TL("stat(<255>)", stat(n255, &st));
	TL("creat(<256>)", creat(n256, 0644));
	TL("stat(<256>)", stat(n256, &st));
	TL("mkdir(<256>)", mkdir(n256, 0755));
	TL("symlink(x, <256>)", symlink("x", n256));
	TL("rename(<255>, <256>)", rename(n255, n256));
	TL("link(<255>, <256>)", link(n255, n256));
	TL("unlink(<256>)", unlink(n256));
	TL("access(<256>)", access(n256, F_OK));
	TL("chdir(<256>)", chdir(n256));
	/* A long component in the middle, even under a missing directory. */
	char path[600];
	snprintf(path, sizeof(path), "missing/%s/x", n256);
	TL("stat(missing/<256>/x)", stat(path, &st));
	snprintf(path, sizeof(path), "%s/x", n255);
	TL("stat(<255 file>/x)", stat(path, &st));
	TL("unlink(<255>)", unlink(n255));
	/* Paths: 4095 bytes plus the terminator is the maximum. A path made
	 * of "./" repeated resolves to the cwd. */
	char *p = malloc(PATH_MAX + 8);
	for (int len = PATH_MAX - 2; len <= PATH_MAX + 1; len++) {
		size_t i = 0;
		while (i + 2 <= (size_t)len - 1) {
			p[i++] = '.';
			p[i++] = '/';
		}
		while (i < (size_t)len)
			p[i++] = '.';
		p[len] = 0;
		errno = 0;
		int r = stat(p, &st);
		say("stat(<%d bytes of ./././>) = %s\n", len, res(r, errno));
		errno = 0;
		r = open(p, O_RDONLY | O_DIRECTORY);
		say("open(<%d bytes of ./././>) = %s\n", len, res(r, errno));
		if (r >= 0)
			close(r);
	}
	/* Deep directories: a long total path built in steps works through
	 * relative lookups. */
	int depth = 0;
	char *seg = repeat('d', 200);
	while (depth < 25 && mkdir(seg, 0755) == 0 && chdir(seg) == 0)
		depth++;
	say("  depth %d\n", depth);
	char buf[PATH_MAX];
	errno = 0;
	long r = syscall(SYS_getcwd, buf, sizeof(buf));
	say("  getcwd at depth: %s\n", res(r, errno));
	put("leaf", "deep");
	cat("leaf");
	TO(open(".", O_RDONLY | O_DIRECTORY));
	T(chdir(sc_start));
	/* Symlink target lengths. */
	char *t = repeat('t', PATH_MAX - 1);
	TL("symlink(<4095>, l)", symlink(t, "l"));
	TL("readlink(l) length", readlink("l", buf, sizeof(buf)));
	free(t);
	t = repeat('t', PATH_MAX);
	TL("symlink(<4096>, l2)", symlink(t, "l2"));
	free(t);
	free(n255);
	free(n256);
	free(p);
	free(seg);
	return 0;
}
