/* sentry serve: an HTTP server that runs each request in a fresh sandbox. */
#ifndef SENTRY_SERVE_H
#define SENTRY_SERVE_H

/* argv[0] is "serve".  Returns the process's exit status. */
int serve_main(int argc, char **argv);

#endif
