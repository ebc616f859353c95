/* sentry built without libmicrohttpd: serve fails loudly. */
#include <stdio.h>

#include "serve.h"

int serve_main(int argc, char **argv)
{
	fputs("sentry: serve: this sentry was built without libmicrohttpd\n", stderr);
	return 125;
}
