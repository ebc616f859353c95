/* AF_INET stream: connect to the TCP listener on 127.0.0.1. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct sockaddr_in a = addr4((int)arg_long("tcp4"));
	stream_to("tcp 127.0.0.1", socket(AF_INET, SOCK_STREAM, 0), &a, sizeof(a));
	stream_to("tcp 127.0.0.1 (SOCK_CLOEXEC|SOCK_NONBLOCK)", socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP), &a, sizeof(a));
	return 0;
}
