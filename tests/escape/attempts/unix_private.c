/* AF_UNIX names the sandbox gives its own sockets: a datagram from a
 * bound socket shows the sender's name (inside, the sentry's private
 * address for it). From that name's folder, climb to the host's stream
 * and datagram listeners; and bind the host's abstract name first, then
 * connect to it, hoping to share its namespace. */
#include "net.h"

#include <libgen.h>

/* The name a datagram from a socket bound at "esc-tx.sock" arrives from. */
static void sender_folder(char *out, size_t size)
{
	snprintf(out, size, ".");
	struct sockaddr_un rx_a = { .sun_family = AF_UNIX }, tx_a = { .sun_family = AF_UNIX };
	snprintf(rx_a.sun_path, sizeof(rx_a.sun_path), "esc-rx.sock");
	snprintf(tx_a.sun_path, sizeof(tx_a.sun_path), "esc-tx.sock");
	int rx = socket(AF_UNIX, SOCK_DGRAM, 0), tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK("bind rx", bind(rx, (struct sockaddr *)&rx_a, sizeof(rx_a)));
	CHECK("bind tx", bind(tx, (struct sockaddr *)&tx_a, sizeof(tx_a)));
	CHECK("sendto rx", sendto(tx, "x", 1, 0, (struct sockaddr *)&rx_a, sizeof(rx_a)));
	struct sockaddr_un from;
	socklen_t len = sizeof(from);
	memset(&from, 0, sizeof(from));
	char c;
	if (CHECK("recvfrom", recvfrom(rx, &c, 1, MSG_DONTWAIT, (struct sockaddr *)&from, &len)) == 1 &&
	    len > sizeof(sa_family_t) && from.sun_path[0]) {
		say("sender: %s\n", from.sun_path);
		snprintf(out, size, "%s", dirname(from.sun_path));
	}
	close(rx);
	close(tx);
	unlink("esc-rx.sock");
	unlink("esc-tx.sock");
}

static void climb(struct sockaddr_un *a, const char *folder, const char *target)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/../../../../../../..%s", folder, target);
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, path, strnlen(path, sizeof(a->sun_path) - 1));
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	char folder[sizeof(((struct sockaddr_un *)0)->sun_path)];
	sender_folder(folder, sizeof(folder));
	struct sockaddr_un a;
	climb(&a, folder, arg("usock_area"));
	stream_to("area listener from the sender's folder", socket(AF_UNIX, SOCK_STREAM, 0), &a, sizeof(a));
	climb(&a, folder, arg("udgram"));
	dgram_to("host datagram socket from the sender's folder", socket(AF_UNIX, SOCK_DGRAM, 0), &a, sizeof(a));

	const char *name = arg("uabstract");
	struct sockaddr_un ab = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	memcpy(ab.sun_path + 1, name, n);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	int own = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK("bind the host's abstract name", bind(own, (struct sockaddr *)&ab, len));
	CHECK("listen", listen(own, 1));
	stream_to("abstract after binding it", socket(AF_UNIX, SOCK_STREAM, 0), &ab, len);
	close(own);
	return 0;
}
