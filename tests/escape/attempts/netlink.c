/* AF_NETLINK: dump the host's links (RTM_GETLINK) and print their names
 * and hardware addresses. */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>

#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int fd = CHECK("socket(AF_NETLINK, NETLINK_ROUTE)", socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	CHECK("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT));
	if (fd < 0)
		return 0;
	struct { struct nlmsghdr h; struct ifinfomsg i; } req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.i = { .ifi_family = AF_UNSPEC },
	};
	if (CHECK("send RTM_GETLINK", send(fd, &req, sizeof(req), 0)) < 0)
		return 0;
	static char buf[65536];
	struct timeval tv = { 2, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int rounds = 0; rounds < 50; rounds++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				return 0;
			struct ifinfomsg *ifi = NLMSG_DATA(h);
			int len = (int)IFLA_PAYLOAD(h);
			for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
				if (a->rta_type == IFLA_IFNAME)
					say("link %d: %s\n", ifi->ifi_index, (char *)RTA_DATA(a));
				if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6) {
					unsigned char *m = RTA_DATA(a);
					say("  address %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4], m[5]);
				}
			}
		}
	}
	return 0;
}
