/* Client side of the --allow-net tests: TCP and UDP round trips, a
 * thread flipping the destination while another connects or sends, and
 * one swapping the socket behind an fd number while another sends. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *err_name(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "?";
}

static int destination(const char *host, const char *port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)atoi(port));
		*len = sizeof(*in);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)atoi(port));
		*len = sizeof(*in6);
		return AF_INET6;
	}
	fprintf(stderr, "netclient: not an address: %s\n", host);
	exit(2);
}

static void timeouts(int fd)
{
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* "tcp HOST PORT": blocking connect, "ping", the reply. */
static int tcp(const char *host, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(destination(host, port, &ss, &len), SOCK_STREAM, 0);
	if (fd < 0) {
		printf("socket: %s\n", err_name(errno));
		return 0;
	}
	timeouts(fd);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("connect: %s\n", err_name(errno));
		return 0;
	}
	char buf[64] = "";
	ssize_t n = write(fd, "ping", 4) == 4 ? read(fd, buf, sizeof(buf) - 1) : -1;
	printf("tcp reply: %s\n", n > 0 ? buf : err_name(errno));
	close(fd);
	return 0;
}

/* "udp HOST PORT": sendto, then the reply. */
static int udp(const char *host, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(destination(host, port, &ss, &len), SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("socket: %s\n", err_name(errno));
		return 0;
	}
	timeouts(fd);
	if (sendto(fd, "ping", 4, 0, (struct sockaddr *)&ss, len) < 0) {
		printf("sendto: %s\n", err_name(errno));
		return 0;
	}
	char buf[64] = "";
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	printf("udp reply: %s\n", n > 0 ? buf : err_name(errno));
	close(fd);
	return 0;
}

/* "serve": bind a fixed port and listen, as a server would. */
static int serve(const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(destination("127.0.0.1", port, &ss, &len), SOCK_STREAM, 0);
	printf("bind: %s\n", bind(fd, (struct sockaddr *)&ss, len) < 0 ? err_name(errno) : "ok");
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	printf("listen: %s\n", listen(fd, 1) < 0 ? err_name(errno) : "ok");
	close(fd);
	return 0;
}

static struct sockaddr_in shared;
static uint16_t ports[2];
static atomic_bool stop, started;

static void *flipper(void *arg)
{
	(void)arg;
	atomic_store(&started, true);
	for (unsigned i = 0; !atomic_load(&stop); i++)
		*(volatile uint16_t *)&shared.sin_port = ports[i & 1];
	return NULL;
}

/* "flip tcp|udp ALLOWED FORBIDDEN N": another thread rewrites the port
 * while this one connects (or sends) N times. */
static int flip(const char *kind, const char *allowed, const char *forbidden, int rounds)
{
	bool is_udp = strcmp(kind, "udp") == 0;
	shared.sin_family = AF_INET;
	shared.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ports[0] = htons((uint16_t)atoi(allowed));
	ports[1] = htons((uint16_t)atoi(forbidden));
	shared.sin_port = ports[0];
	pthread_t t;
	pthread_create(&t, NULL, flipper, NULL);
	while (!atomic_load(&started))
		;
	int ok = 0, refused = 0;
	for (int i = 0; i < rounds; i++) {
		int fd = socket(AF_INET, is_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
		int r = is_udp ? (int)sendto(fd, "flip", 4, 0, (struct sockaddr *)&shared, sizeof(shared))
			       : connect(fd, (struct sockaddr *)&shared, sizeof(shared));
		if (r >= 0)
			ok++;
		else
			refused++;
		close(fd);
	}
	atomic_store(&stop, true);
	pthread_join(t, NULL);
	printf("flip %s: %d through, %d refused\n", kind, ok, refused);
	return 0;
}

static int swap_fd = 100, unix_end;
static bool swap_tcp;
static int udp_socket;

/* Puts an inet socket under swap_fd, then back the connected unix stream
 * socket: a fresh TCP socket each time (a fast open connects it), or the
 * one UDP socket. */
static void spin(void)
{
	for (volatile int i = 0; i < 2000; i++)
		;
}

static void *swapper(void *arg)
{
	(void)arg;
	atomic_store(&started, true);
	while (!atomic_load(&stop)) {
		int inet = swap_tcp ? socket(AF_INET, SOCK_STREAM, 0) : udp_socket;
		dup2(inet, swap_fd);
		spin();
		dup2(unix_end, swap_fd);
		if (swap_tcp)
			close(inet);
		spin();
	}
	return NULL;
}

/* "swap udp|tcp FORBIDDEN N": sends on one fd number to the forbidden
 * port until N sends went out (or for two seconds), while another thread swaps a UDP socket (or an
 * unconnected TCP socket sent on with MSG_FASTOPEN) and a connected unix
 * stream socket, which ignores nothing but refuses an address, under it. */
static int swap(const char *kind, const char *forbidden, int wanted)
{
	swap_tcp = strcmp(kind, "tcp") == 0;
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0 || (udp_socket = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		printf("setup: %s\n", err_name(errno));
		return 1;
	}
	unix_end = pair[0];
	dup2(unix_end, swap_fd);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((uint16_t)atoi(forbidden)) };
	int flags = MSG_NOSIGNAL | MSG_DONTWAIT | (swap_tcp ? MSG_FASTOPEN : 0);
	pthread_t t;
	pthread_create(&t, NULL, swapper, NULL);
	while (!atomic_load(&started))
		;
	/* until `wanted` went out, or for two seconds */
	struct timeval start, now;
	gettimeofday(&start, NULL);
	int sent = 0, tries = 0;
	do {
		tries++;
		if (sendto(swap_fd, "swap", 4, flags, (struct sockaddr *)&to, sizeof(to)) >= 0 || errno == EINPROGRESS)
			sent++;
		spin();
		gettimeofday(&now, NULL);
	} while (sent < wanted && (now.tv_sec - start.tv_sec) * 1000000L + (now.tv_usec - start.tv_usec) < 2000000L);
	atomic_store(&stop, true);
	pthread_join(t, NULL);
	printf("swap %s: %d of %d sends went out\n", kind, sent, tries);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "tcp") == 0)
		return tcp(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "udp") == 0)
		return udp(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2]);
	if (argc == 6 && strcmp(argv[1], "flip") == 0)
		return flip(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (argc == 5 && strcmp(argv[1], "swap") == 0)
		return swap(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: netclient tcp|udp HOST PORT | serve PORT | flip tcp|udp ALLOWED FORBIDDEN N"
			" | swap udp|tcp FORBIDDEN N\n");
	return 2;
}
