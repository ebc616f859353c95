/* open with O_CREAT: creation, modes, existing files, and its errnos. */
#include "common.h"

int main(void)
{
	begin("open O_CREAT");
	MUST(mkdir("d", 0755));
	int fd = T(open("new", O_WRONLY | O_CREAT, 0640));
	SHOW("new");
	T(write(fd, "abc", 3));
	T(close(fd));
	/* An existing file is opened, not truncated, and its mode kept. */
	fd = T(open("new", O_RDWR | O_CREAT, 0600));
	SHOW("new");
	readfd("new", fd);
	T(close(fd));
	T(open("d", O_RDONLY | O_CREAT, 0644));
	T(open("d", O_WRONLY | O_CREAT, 0644));
	T(open("d/", O_RDONLY | O_CREAT, 0644));
	T(open("nodir/", O_RDONLY | O_CREAT, 0644));
	T(open("missing/f", O_RDONLY | O_CREAT, 0644));
	T(open("new/f", O_RDONLY | O_CREAT, 0644));
	T(open("", O_RDONLY | O_CREAT, 0644));
	/* Permission bits beyond 07777 are ignored; setuid/setgid/sticky kept. */
	TO(open("modes", O_RDONLY | O_CREAT, 0177777));
	SHOW("modes");
	TO(open("suid", O_RDONLY | O_CREAT, 04755));
	SHOW("suid");
	/* A file created without write permission is still writable through
	 * the fd that created it. */
	fd = T(open("ro", O_RDWR | O_CREAT, 0444));
	T(write(fd, "x", 1));
	T(close(fd));
	SHOW("ro");
	fd = T(open("d/inner", O_RDWR | O_CREAT, 0600));
	T(close(fd));
	ls(".");
	ls("d");
	return 0;
}
