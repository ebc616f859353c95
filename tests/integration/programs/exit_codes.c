/* Exits with the status given as the first argument. */
#include <stdlib.h>

#include "it.h"

int main(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;
	say("exiting with %d\n", code);
	exit(code);
}
