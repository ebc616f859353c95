/* File handles: name_to_handle_at on the secret, then open_by_handle_at
 * with it; and open_by_handle_at with the handle run.sh computed on the
 * host, which no path lookup inside could give. */
#include "esc.h"

static void open_handle(const char *label, struct file_handle *h)
{
	int mount_fd = open("/", O_RDONLY | O_DIRECTORY);
	say("%s: open /: %s\n", label, res(mount_fd, errno));
	int fd = CHECK("open_by_handle_at", syscall(SYS_open_by_handle_at, mount_fd, h, O_RDONLY));
	if (fd >= 0)
		dump_fd(label, fd);
	/* The current folder is on the same file system as the secret. */
	fd = CHECK("open_by_handle_at(.)", syscall(SYS_open_by_handle_at, AT_FDCWD, h, O_RDONLY));
	if (fd >= 0)
		dump_fd(label, fd);
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	union { struct file_handle h; char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ]; } u;
	u.h.handle_bytes = MAX_HANDLE_SZ;
	int mount_id;
	long r = CHECK("name_to_handle_at(secret)", syscall(SYS_name_to_handle_at, AT_FDCWD, arg("secret"), &u.h, &mount_id, 0));
	if (r == 0)
		open_handle("own handle", &u.h);
	/* "type:hex" from the host. */
	const char *given = arg("handle");
	unsigned type;
	char hex[2 * MAX_HANDLE_SZ + 1];
	if (sscanf(given, "%x:%256s", &type, hex) == 2) {
		size_t n = strlen(hex) / 2;
		u.h.handle_type = (int)type;
		u.h.handle_bytes = (unsigned)n;
		for (size_t i = 0; i < n; i++)
			sscanf(hex + 2 * i, "%2hhx", &u.h.f_handle[i]);
		open_handle("host's handle", &u.h);
	}
	return 0;
}
