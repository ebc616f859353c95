/* Directory reading while entries are removed and added; telldir and
 * seekdir resumption. */
#include "common.h"

#define N 60

static void mk(const char *dir, int i)
{
	char name[64];
	snprintf(name, sizeof(name), "%s/e%02d", dir, i);
	put(name, "");
}

int main(void)
{
	begin("getdents with unlinks");
	/* The rm -rf pattern: read an entry, unlink it, go on. Every entry
	 * is seen exactly once. */
	MUST(mkdir("a", 0755));
	for (int i = 0; i < N; i++)
		mk("a", i);
	DIR *d = opendir("a");
	int seen[N] = { 0 }, other = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int i = atoi(e->d_name + 1);
		if (i >= 0 && i < N)
			seen[i]++;
		else
			other++;
		char path[300];
		snprintf(path, sizeof(path), "a/%s", e->d_name);
		if (unlink(path) < 0)
			say("unlink %s: %s\n", path, errname(errno));
	}
	closedir(d);
	int once = 0;
	for (int i = 0; i < N; i++)
		once += seen[i] == 1;
	say("  entries seen once: %d of %d, other: %d\n", once, N, other);
	ls("a");
	T(rmdir("a"));

	/* telldir/seekdir: resuming at a saved position gives the same
	 * entries as the first pass did from there. */
	MUST(mkdir("b", 0755));
	for (int i = 0; i < N; i++)
		mk("b", i);
	d = opendir("b");
	char first[N + 2][64];
	int n = 0;
	long pos = -1;
	while ((e = readdir(d)) && n < N + 2) {
		snprintf(first[n++], 64, "%.60s", e->d_name);
		if (n == 20)
			pos = telldir(d);
	}
	say("  first pass: %d entries\n", n);
	seekdir(d, pos);
	int match = 0, k = 20;
	while ((e = readdir(d))) {
		if (k < n && strcmp(first[k], e->d_name) == 0)
			match++;
		k++;
	}
	say("  after seekdir: %d entries, %d in the same order as before\n", k - 20, match);
	/* Unlink entries already returned, then resume: the rest is the
	 * same as before. */
	for (int i = 0; i < 20; i++) {
		if (first[i][0] == '.')
			continue;
		char path[80];
		snprintf(path, sizeof(path), "b/%.60s", first[i]);
		unlink(path);
	}
	seekdir(d, pos);
	match = 0;
	k = 20;
	while ((e = readdir(d))) {
		if (k < n && strcmp(first[k], e->d_name) == 0)
			match++;
		k++;
	}
	say("  after unlinking the first 20 and seekdir: %d entries, %d in the same order\n",
	    k - 20, match);
	/* rewinddir sees entries added since. */
	mk("b", 99);
	rewinddir(d);
	n = 0;
	int has99 = 0;
	while ((e = readdir(d))) {
		n++;
		has99 |= strcmp(e->d_name, "e99") == 0;
	}
	say("  after rewinddir: %d entries, new one seen: %s\n", n, has99 ? "yes" : "no");
	closedir(d);
	/* Which entries came first is up to the file system: count only. */
	d = opendir("b");
	n = 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	say("  entries left: %d\n", n);
	return 0;
}
