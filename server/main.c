/* sentry-serve: the HTTP server, an executable of its own so that a
 * sandbox's start never loads libmicrohttpd and gnutls. `sentry serve
 * ARGS` runs it from the sentry's folder. */
#include "serve.h"

int main(int argc, char **argv) { return serve_main(argc, argv); }
