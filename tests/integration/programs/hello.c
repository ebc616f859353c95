/* Prints a greeting, its arguments and one environment variable. */
#include <stdlib.h>

#include "it.h"

int main(int argc, char **argv)
{
	say("hello, world\n");
	say("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		say("argv[%d]=\"%s\"\n", i, argv[i]);
	const char *v = getenv("IT_VAR");
	say("IT_VAR=%s\n", v ? v : "(unset)");
	return 0;
}
