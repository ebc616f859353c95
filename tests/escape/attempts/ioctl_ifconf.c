/* The host's network interfaces through a unix socket: SIOCGIFCONF lists
 * names and addresses, SIOCGIFNAME names indexes, SIOCGIFHWADDR gives
 * MACs. Every name is printed as if:NAME, which run.sh looks for. */
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "esc.h"

static void show_interface(int s, const char *name)
{
	struct ifreq r = { 0 };
	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFHWADDR, &r) == 0) {
		unsigned char *m = (unsigned char *)r.ifr_hwaddr.sa_data;
		say("if:%s hwaddr %02x:%02x:%02x:%02x:%02x:%02x\n", name, m[0], m[1], m[2], m[3], m[4], m[5]);
	} else {
		say("if:%s SIOCGIFHWADDR: %s\n", name, res(-1, errno));
	}
	if (ioctl(s, SIOCGIFADDR, &r) == 0) {
		struct sockaddr_in *a = (struct sockaddr_in *)&r.ifr_addr;
		say("if:%s address %s\n", name, inet_ntoa(a->sin_addr));
	}
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s < 0)
		return 0;
	struct ifreq reqs[32];
	struct ifconf conf = { .ifc_len = sizeof(reqs), .ifc_req = reqs };
	if (CHECK("SIOCGIFCONF", ioctl(s, SIOCGIFCONF, &conf)) == 0) {
		for (size_t i = 0; i < conf.ifc_len / sizeof(reqs[0]); i++) {
			struct sockaddr_in *a = (struct sockaddr_in *)&reqs[i].ifr_addr;
			say("if:%s %s\n", reqs[i].ifr_name, inet_ntoa(a->sin_addr));
			show_interface(s, reqs[i].ifr_name);
		}
	}
	for (int index = 1; index <= 16; index++) {
		struct ifreq r = { .ifr_ifindex = index };
		if (ioctl(s, SIOCGIFNAME, &r) == 0) {
			say("if:%s (index %d)\n", r.ifr_name, index);
			show_interface(s, r.ifr_name);
		} else if (index == 1) {
			say("SIOCGIFNAME 1: %s\n", res(-1, errno));
		}
	}
	return 0;
}
