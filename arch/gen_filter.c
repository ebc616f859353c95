/* Compiles the seccomp filter's usual rule sets at build time, with the
 * sentry's own filter code and libseccomp, and writes them as C for
 * filter_build to copy instead of compiling them again at every start.
 *
 * The reserved floor (the lowest fd closed by the sentry) depends on
 * RLIMIT_NOFILE at run time: each set is compiled for several floors, and
 * the programs must differ only in the k of the same instructions, which
 * hold the floor; filter_build patches them. A set where they differ
 * otherwise is left out (and compiled at run time).
 *
 *   gen_filter OUTPUT.c */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

static const int floors[] = { 1022, 65534, 4094 };
#define NFLOORS (sizeof(floors) / sizeof(floors[0]))

/* The instructions whose k is the floor, or -1 when the programs differ
 * in anything else. */
static int floor_positions(const struct sock_fprog prog[NFLOORS], unsigned short *at, unsigned *n)
{
	*n = 0;
	for (size_t f = 1; f < NFLOORS; f++)
		if (prog[f].len != prog[0].len)
			return -1;
	for (unsigned i = 0; i < prog[0].len; i++) {
		const struct sock_filter *a = &prog[0].filter[i];
		bool differs = false;
		for (size_t f = 1; f < NFLOORS; f++) {
			const struct sock_filter *b = &prog[f].filter[i];
			if (a->code != b->code || a->jt != b->jt || a->jf != b->jf)
				return -1;
			differs |= a->k != b->k;
		}
		if (!differs)
			continue;
		for (size_t f = 0; f < NFLOORS; f++)
			if (prog[f].filter[i].k != (unsigned)floors[f])
				return -1;
		at[(*n)++] = (unsigned short)i;
	}
	return *n ? 0 : -1;
}

static int emit(FILE *out, const char *name, enum platform_kind platform, char *table, size_t table_size)
{
	uint64_t hash[NFLOORS];
	struct sock_fprog prog[NFLOORS];
	for (size_t f = 0; f < NFLOORS; f++) {
		int r = filter_rules_hash(platform, floors[f], &hash[f]);
		if (!r)
			r = filter_compile(platform, floors[f], &prog[f]);
		if (r) {
			fprintf(stderr, "gen_filter: %s: %s\n", name, strerror(-r));
			return r;
		}
		if (hash[f] != hash[0]) {
			fprintf(stderr, "gen_filter: %s: the rules' hash depends on the floor\n", name);
			return -EINVAL;
		}
	}
	unsigned short *at = calloc(prog[0].len, sizeof(*at));
	unsigned nat = 0;
	if (!at || floor_positions(prog, at, &nat) < 0) {
		fprintf(stderr, "gen_filter: %s: the floor is not only a constant: compiled at run time\n", name);
		free(at);
		for (size_t f = 0; f < NFLOORS; f++)
			free(prog[f].filter);
		return 0;
	}
	fprintf(out, "static const struct sock_filter %s[] = {\n", name);
	for (unsigned i = 0; i < prog[0].len; i++) {
		const struct sock_filter *s = &prog[0].filter[i];
		fprintf(out, "\t{ 0x%04x, %u, %u, 0x%08x },\n", s->code, s->jt, s->jf, s->k);
	}
	fprintf(out, "};\nstatic const unsigned short %s_floor_at[] = {", name);
	for (unsigned i = 0; i < nat; i++)
		fprintf(out, " %u,", at[i]);
	fprintf(out, " };\n\n");
	size_t used = strlen(table);
	snprintf(table + used, table_size - used, "\t{ 0x%016llxull, %s, %u, %s_floor_at, %u },\n",
		 (unsigned long long)hash[0], name, prog[0].len, name, nat);
	free(at);
	for (size_t f = 0; f < NFLOORS; f++)
		free(prog[f].filter);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_filter OUTPUT.c\n");
		return 2;
	}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	FILE *out = fopen(tmp, "w");
	if (!out) {
		perror(tmp);
		return 1;
	}
	fprintf(out, "/* Made by arch/gen_filter.c at build time. */\n#include \"filter.h\"\n\n"
		     "extern const struct filter_prebuilt filter_prebuilts[];\n\n");
	static const struct {
		const char *name;
		enum platform_kind platform;
		bool every_clone;
	} sets[] = {
		{ "unotify", PLATFORM_UNOTIFY, false },
		{ "unotify_counting_tasks", PLATFORM_UNOTIFY, true },
		{ "ptrace", PLATFORM_PTRACE, false },
		{ "ptrace_counting_tasks", PLATFORM_PTRACE, true },
	};
	char table[4096] = "";
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		filter_every_clone_to_sentry = sets[i].every_clone;
		if (emit(out, sets[i].name, sets[i].platform, table, sizeof(table)) < 0) {
			fclose(out);
			remove(tmp);
			return 1;
		}
	}
	fprintf(out, "const struct filter_prebuilt filter_prebuilts[] = {\n%s\t{ 0, NULL, 0, NULL, 0 },\n};\n", table);
	if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		remove(tmp);
		return 1;
	}
	return 0;
}
