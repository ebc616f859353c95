// name: cc hello.c
// what: gcc compiles and links this file (5 execs: cc, cc1, as, collect2, ld; ~3 500 syscalls; temp files in the work folder)
// quick: no
// run: /usr/bin/cc -O2 -o hello cc-hello.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
	char text[32];
	int count;
};

static int by_count(const void *a, const void *b)
{
	const struct word *x = a, *y = b;
	return y->count - x->count;
}

int main(int argc, char **argv)
{
	struct word words[64];
	int n = 0;

	for (int i = 1; i < argc; i++) {
		int j;
		for (j = 0; j < n; j++)
			if (strcmp(words[j].text, argv[i]) == 0)
				break;
		if (j == n) {
			if (n == 64)
				continue;
			snprintf(words[n].text, sizeof words[n].text, "%s", argv[i]);
			words[n++].count = 0;
		}
		words[j].count++;
	}
	qsort(words, n, sizeof words[0], by_count);
	for (int i = 0; i < n; i++)
		printf("%6d %s\n", words[i].count, words[i].text);
	return EXIT_SUCCESS;
}
