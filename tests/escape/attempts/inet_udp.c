/* AF_INET datagram: sendto and connect+send to the UDP listener. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct sockaddr_in a = addr4((int)arg_long("udp4"));
	dgram_to("udp 127.0.0.1", socket(AF_INET, SOCK_DGRAM, 0), &a, sizeof(a));
	return 0;
}
