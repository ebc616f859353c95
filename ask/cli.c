/* sentry approvals list | revoke PROGRAM DEST | revoke --all */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask.h"
#include "store.h"

#define EXIT_USAGE 125

static const char usage[] =
	"usage: sentry approvals list\n"
	"       sentry approvals revoke PROGRAM DEST\n"
	"       sentry approvals revoke --all\n"
	"Shows or removes the connections --ask=auto remembers, one\n"
	"\"PROGRAM DEST\" a line, in $XDG_CONFIG_HOME/sentry/approvals\n"
	"(default ~/.config/sentry/approvals).\n";

static int list(void)
{
	struct approvals a;
	if (store_load(&a) < 0)
		return EXIT_USAGE;
	for (size_t i = 0; i < a.n; i++)
		printf("%s %s\n", a.items[i].program, a.items[i].dest);
	store_free(&a);
	return 0;
}

static int revoke(const char *program, const char *dest)
{
	int n = store_remove(program, dest);
	if (n < 0)
		return EXIT_USAGE;
	if (n == 0 && program) {
		fprintf(stderr, "sentry: no approval of %s connecting to %s\n", program, dest);
		return 1;
	}
	fprintf(stderr, "sentry: %d approval%s revoked\n", n, n == 1 ? "" : "s");
	return 0;
}

int approvals_main(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list();
	if (argc == 3 && strcmp(argv[1], "revoke") == 0 && strcmp(argv[2], "--all") == 0)
		return revoke(NULL, NULL);
	if (argc == 4 && strcmp(argv[1], "revoke") == 0)
		return revoke(argv[2], argv[3]);
	fputs(usage, stderr);
	return EXIT_USAGE;
}
