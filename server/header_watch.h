/* A request's headers get a bounded time in all (header_watch.c). */
#ifndef SENTRY_SERVER_HEADER_WATCH_H
#define SENTRY_SERVER_HEADER_WATCH_H

#include <microhttpd.h>

/* MHD_OPTION_NOTIFY_CONNECTION's callback. */
void header_watch_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			 enum MHD_ConnectionNotificationCode what);
/* The request's headers are in (the access handler's first call). */
void header_watch_headers_done(struct MHD_Connection *c);
/* The request is answered: a kept-alive connection's next headers start. */
void header_watch_request_done(struct MHD_Connection *c);
/* seconds <= 0: no limit. */
int header_watch_start(double seconds);
void header_watch_stop(void);

#endif
