#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "spawn.h"

static const char usage[] =
	"usage: sentry [options] -- command [args...]\n"
	"Runs command in a user-space kernel sandbox: every system call is caught,\n"
	"files come from an in-memory file system, the network is off.\n"
	"\n"
	"  --platform=unotify|ptrace  how calls are caught (default unotify: seccomp\n"
	"                             user-notify; ptrace works where it cannot)\n"
	"  --trace                    one line per caught syscall on stderr\n"
	"  --stats                    counts and time per syscall on stderr at exit\n"
	"  -v, --verbose              more log lines\n"
	"  -h, --help                 this text\n"
	"  --version                  the version\n"
	"\n"
	"Exit status: the command's; 128+N if it died of signal N; 125 for sentry's\n"
	"own errors; 126 not executable; 127 not found.\n";

enum { OPT_PLATFORM = 256, OPT_TRACE, OPT_STATS, OPT_VERSION };

static const struct option long_options[] = {
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "trace", no_argument, NULL, OPT_TRACE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "sentry: %s%s%s; see sentry --help\n", what, arg ? " " : "", arg ? arg : "");
	return EXIT_SENTRY_ERROR;
}

int main(int argc, char **argv)
{
	struct options opts = { .platform = PLATFORM_UNOTIFY };
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+vh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_PLATFORM:
			if (strcmp(optarg, "unotify") == 0)
				opts.platform = PLATFORM_UNOTIFY;
			else if (strcmp(optarg, "ptrace") == 0)
				opts.platform = PLATFORM_PTRACE;
			else
				return bad_usage("unknown platform (use unotify or ptrace):", optarg);
			break;
		case OPT_TRACE:
			opts.trace = true;
			break;
		case OPT_STATS:
			opts.stats = true;
			break;
		case 'v':
			opts.verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case OPT_VERSION:
			puts("sentry " SENTRY_VERSION);
			return 0;
		default:
			return bad_usage(optopt ? "unknown option" : "unknown option or missing value:", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return bad_usage("no command given", NULL);
	opts.argv = &argv[optind];
	return sandbox_run(&opts);
}
