/* AF_UNIX by path: connect to the stream listeners in the workspace and
 * in the temp area outside it. */
#include "net.h"

static void to_path(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	stream_to(path, socket(AF_UNIX, SOCK_STREAM, 0), &a, sizeof(a));
	stream_to(path, socket(AF_UNIX, SOCK_SEQPACKET, 0), &a, sizeof(a));
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	to_path(arg("usock_work"));
	to_path("ws.sock"); /* relative, from the workspace */
	to_path(arg("usock_area"));
	return 0;
}
