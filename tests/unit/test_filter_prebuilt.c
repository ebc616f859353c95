/* The filter programs compiled at build time (arch/gen_filter.c) are the
 * ones libseccomp compiles at run time from the same rules, for every
 * platform, with and without counted tasks, at any reserved floor. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

static const enum platform_kind platforms[] = { PLATFORM_UNOTIFY, PLATFORM_PTRACE };
static const int floors[] = { 64, 1022, 4094, 65534, 1048574 };

static void same_program(enum platform_kind platform, int floor)
{
	struct sock_fprog built, compiled;
	cr_assert_eq(filter_build(platform, floor, &built), 0);
	cr_assert_eq(filter_compile(platform, floor, &compiled), 0);
	cr_assert_eq(built.len, compiled.len, "platform %d floor %d", platform, floor);
	cr_assert(!memcmp(built.filter, compiled.filter, built.len * sizeof(*built.filter)),
		  "platform %d floor %d: the programs differ", platform, floor);
	free(built.filter);
	free(compiled.filter);
}

Test(filter_prebuilt, same_as_compiled_at_run_time)
{
	for (int every_clone = 0; every_clone < 2; every_clone++) {
		filter_every_clone_to_sentry = every_clone;
		for (size_t p = 0; p < 2; p++)
			for (size_t f = 0; f < sizeof(floors) / sizeof(floors[0]); f++) {
				cr_expect(filter_is_prebuilt(platforms[p], floors[f]), "platform %d floor %d every clone %d",
					  platforms[p], floors[f], every_clone);
				same_program(platforms[p], floors[f]);
			}
	}
	filter_every_clone_to_sentry = false;
}

/* Other rules (no floor here) are compiled at run time. */
Test(filter_prebuilt, other_rules_compiled)
{
	cr_expect(!filter_is_prebuilt(PLATFORM_UNOTIFY, 0));
	same_program(PLATFORM_UNOTIFY, 0);
}
