/* Checked fd, different object: one thread sends to the host's unix
 * datagram socket through fd N while another keeps putting a connected
 * unix stream socket (which refuses an address) and an unconnected unix
 * datagram socket (which goes where the address says) at N. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "esc.h"

#define N 40

static int stream[2], dgram;
static volatile int stop;

static void *swapper(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(stream[0], N);
		dup2(dgram, N);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, stream) < 0)
		return 1;
	dgram = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un to = { .sun_family = AF_UNIX };
	snprintf(to.sun_path, sizeof(to.sun_path), "%s", arg("udgram"));
	pthread_t t;
	pthread_create(&t, NULL, swapper, NULL);
	long sent = 0, tries = 0;
	char msg[] = "ESCAPED by swap";
	struct iovec iov = { msg, sizeof(msg) - 1 };
	struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1 };
	for (long end = now_ms() + 1500; now_ms() < end; tries++) {
		sent += sendto(N, msg, sizeof(msg) - 1, 0, (struct sockaddr *)&to, sizeof(to)) > 0;
		sent += sendmsg(N, &m, 0) > 0;
		char drain[4096];
		while (read(stream[1], drain, sizeof(drain)) > 0)
			;
	}
	stop = 1;
	pthread_join(t, NULL);
	say("%ld of %ld rounds sent\n", sent, tries);
	return 0;
}
