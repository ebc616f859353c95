/* AF_UNIX in the abstract namespace: connect to the host's abstract
 * listener by name. */
#include "net.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *name = arg("uabstract");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	memcpy(a.sun_path + 1, name, n);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	stream_to("abstract", socket(AF_UNIX, SOCK_STREAM, 0), &a, len);
	/* The same name with a longer length (trailing NULs are part of it). */
	stream_to("abstract, full length", socket(AF_UNIX, SOCK_STREAM, 0), &a, sizeof(a));
	return 0;
}
