/*
 * A request's headers get --header-timeout seconds in all.
 *
 * libmicrohttpd closes a connection only when it has been idle for its
 * connection timeout, so a client that sends a header byte every few
 * seconds holds a connection and its thread for ever. Each connection is
 * watched from its start (or the end of its previous request) until its
 * headers are complete; past the limit its socket is shut down, which
 * libmicrohttpd sees as the client's end and cleans up itself.
 *
 * The watch keeps a duplicate of the socket's fd until libmicrohttpd says
 * the connection is closed, so that the shutdown can never reach another
 * connection that was given the same fd number meanwhile.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "header_watch.h"
#include "server.h"

struct watched {
	int fd;                 /* our duplicate of the connection's socket */
	struct timespec since;  /* when its current request's headers began */
	bool headers_done, cut;
	struct watched *prev, *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stopping_cond = PTHREAD_COND_INITIALIZER;
static struct watched *all;
static double limit;
static bool stopping, running;
static pthread_t thread;

static double age(const struct timespec *t0, const struct timespec *now)
{
	return (double)(now->tv_sec - t0->tv_sec) + (double)(now->tv_nsec - t0->tv_nsec) / 1e9;
}

static struct watched *of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

void header_watch_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			 enum MHD_ConnectionNotificationCode what)
{
	(void)cls;
	if (what == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct watched *w = info ? calloc(1, sizeof(*w)) : NULL;
		if (!w)
			return;
		w->fd = fcntl(info->connect_fd, F_DUPFD_CLOEXEC, 3);
		if (w->fd < 0) {
			free(w);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &w->since);
		pthread_mutex_lock(&lock);
		w->next = all;
		if (all)
			all->prev = w;
		all = w;
		pthread_mutex_unlock(&lock);
		*socket_context = w;
		return;
	}
	struct watched *w = *socket_context;
	if (!w)
		return;
	pthread_mutex_lock(&lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		all = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&lock);
	close(w->fd);
	free(w);
	*socket_context = NULL;
}

/* done: the request's headers are in; not done: a kept-alive
 * connection's next request, whose headers' time starts now */
static void mark(struct MHD_Connection *c, bool done)
{
	struct watched *w = of(c);
	if (!w)
		return;
	pthread_mutex_lock(&lock);
	w->headers_done = done;
	if (!done)
		clock_gettime(CLOCK_MONOTONIC, &w->since);
	pthread_mutex_unlock(&lock);
}

void header_watch_headers_done(struct MHD_Connection *c)
{
	mark(c, true);
}

void header_watch_request_done(struct MHD_Connection *c)
{
	mark(c, false);
}

static void *sweep(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct timespec now, wake;
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (struct watched *w = all; w; w = w->next) {
			if (w->headers_done || w->cut || age(&w->since, &now) <= limit)
				continue;
			shutdown(w->fd, SHUT_RDWR);
			w->cut = true;
			json_object *f = json_object_new_object();
			json_object_object_add(f, "seconds", json_object_new_double(age(&w->since, &now)));
			serve_log("header_timeout", f);
		}
		clock_gettime(CLOCK_REALTIME, &wake);
		wake.tv_nsec += 250 * 1000 * 1000;
		if (wake.tv_nsec >= 1000 * 1000 * 1000) {
			wake.tv_sec++;
			wake.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&stopping_cond, &lock, &wake);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int header_watch_start(double seconds)
{
	limit = seconds;
	if (seconds <= 0)
		return 0;
	if (pthread_create(&thread, NULL, sweep, NULL) != 0)
		return -1;
	running = true;
	return 0;
}

void header_watch_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&stopping_cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = false;
}
