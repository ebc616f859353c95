/* --policy FILE: the options of a file spliced into the command line. */
#define _GNU_SOURCE
#include "policy.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfile.h"

static char **origins; /* per argument of the expanded argv: "FILE:LINE" or NULL */
static int norigins;
static char **files;   /* the policy files read, absolute */
static int nfiles;

const char *policy_file(int index)
{
	return index >= 0 && index < nfiles ? files[index] : NULL;
}

const char *policy_origin(int index)
{
	return index >= 0 && index < norigins ? origins[index] : NULL;
}

void policy_forget(void)
{
	norigins = 0;
}

struct growing {
	char **argv;
	char **origin;
	int n, cap;
};

static int push(struct growing *g, char *arg, char *origin)
{
	if (g->n + 2 > g->cap) {
		int cap = g->cap ? g->cap * 2 : 64;
		char **a = realloc(g->argv, (size_t)cap * sizeof(char *));
		if (a)
			g->argv = a;
		char **o = realloc(g->origin, (size_t)cap * sizeof(char *));
		if (o)
			g->origin = o;
		if (!a || !o)
			return -1;
		g->cap = cap;
	}
	g->origin[g->n] = origin;
	g->argv[g->n++] = arg;
	g->argv[g->n] = NULL;
	return 0;
}

/* One line of FILE as one argument: "--name=value", "--name" or, for a
 * line such as "-v", the line itself.  NULL for a blank or comment line. */
static char *line_argument(char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	size_t len = strlen(line);
	while (len && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	if (!len || line[0] == '#')
		return NULL;
	if (line[0] == '-' && line[1] != '-')
		return strdup(line);
	if (line[0] == '-')
		line += 2;
	size_t name = strcspn(line, "= \t");
	char *arg = NULL;
	if (line[name] == ' ' || line[name] == '\t') {
		char *value = line + name;
		while (isspace((unsigned char)*value))
			value++;
		if (asprintf(&arg, "--%.*s=%s", (int)name, line, value) < 0)
			arg = NULL;
	} else if (asprintf(&arg, "--%s", line) < 0) {
		arg = NULL;
	}
	return arg;
}

/* Whether arg alone is one whole option of the table: known, not
 * ambiguous, with its value when it takes one (never the next line's). */
static bool one_option(char *arg, const struct option *table, const char *shortopts)
{
	char *mini[] = { "sentry", arg, NULL };
	int c, saved_opterr = opterr;
	bool ok = true;
	opterr = 0;
	optind = 0;
	while (ok && (c = getopt_long(2, mini, shortopts, table, NULL)) != -1)
		ok = c != '?' && c != ':';
	opterr = saved_opterr;
	return ok && optind == 2;
}

/* Only a file the caller (or root) alone could have written configures a
 * run, reached through no symlink: a workspace's files are the workload's
 * (main refuses one inside the workspace). */
static FILE *open_policy(const char *file)
{
	int fd = hostfile_open(file, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
	struct stat st;
	const char *why = fd < 0 ? hostfile_error(fd) : NULL;
	if (!why && fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (!why && !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (!why && st.st_uid != geteuid() && st.st_uid != 0)
		why = "owned by another user";
	else if (!why && (st.st_mode & (S_IWGRP | S_IWOTH)))
		why = "writable by others than its owner (chmod go-w)";
	char *absolute = why ? NULL : hostfile_absolute(file);
	char **more = absolute ? realloc(files, (size_t)(nfiles + 1) * sizeof(*files)) : NULL;
	if (more)
		files = more;
	FILE *f = more ? fdopen(fd, "r") : NULL;
	if (!why && !f)
		why = strerror(errno ? errno : ENOMEM);
	if (why) {
		fprintf(stderr, "sentry: cannot read the policy %s: %s\n", file, why);
		free(absolute);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	files[nfiles++] = absolute;
	return f;
}

static int read_policy(struct growing *g, const char *file, const struct option *table, const char *shortopts)
{
	FILE *f = open_policy(file);
	if (!f)
		return -1;
	char *line = NULL;
	size_t size = 0;
	int number = 0, r = 0;
	ssize_t got;
	while (r == 0 && (got = getline(&line, &size, f)) >= 0) {
		number++;
		if ((size_t)got != strlen(line)) {
			fprintf(stderr, "sentry: %s:%d: a NUL byte in the line\n", file, number);
			r = -1;
			break;
		}
		char *arg = line_argument(line), *origin = NULL;
		if (!arg)
			continue;
		if (!one_option(arg, table, shortopts)) {
			fprintf(stderr, "sentry: %s:%d: not an option of sentry, or without its value: %s\n", file,
				number, arg);
			free(arg);
			r = -1;
			break;
		}
		if (asprintf(&origin, "%s:%d", file, number) < 0 || push(g, arg, origin) < 0)
			r = -1;
	}
	if (r == 0 && ferror(f)) {
		fprintf(stderr, "sentry: cannot read the policy %s: %s\n", file, strerror(errno));
		r = -1;
	}
	free(line);
	fclose(f);
	return r;
}

int policy_expand(int *argc, char ***argv, const struct option *table, const char *shortopts, int policy_code)
{
	int n = *argc;
	char **in = *argv;
	/* Where the --policy options are, found by the same table so that
	 * "--env --policy" is an --env and not a --policy. */
	char *starts = calloc((size_t)n + 1, 1);
	if (!starts)
		return -1;
	int saved_opterr = opterr, c, found = 0;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(n, in, shortopts, table, NULL)) != -1) {
		if (c != policy_code)
			continue;
		starts[optarg == in[optind - 1] ? optind - 2 : optind - 1] = 1;
		found = 1;
	}
	optind = 0; /* the caller starts over */
	opterr = saved_opterr;
	if (!found) {
		free(starts);
		return 0;
	}
	struct growing g = { 0 };
	int r = 0;
	for (int i = 0; r == 0 && i < n; i++) {
		if (!starts[i]) {
			r = push(&g, in[i], NULL);
			continue;
		}
		const char *eq = strchr(in[i], '=');
		const char *file = eq ? eq + 1 : in[++i];
		char *arg = NULL;
		if (asprintf(&arg, "--policy=%s", file) < 0 || push(&g, arg, NULL) < 0)
			r = -1;
		else
			r = read_policy(&g, file, table, shortopts);
	}
	free(starts);
	optind = 0;
	if (r < 0)
		return -1;
	*argc = g.n;
	*argv = g.argv;
	origins = g.origin;
	norigins = g.n;
	return 0;
}
