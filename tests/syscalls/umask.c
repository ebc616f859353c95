/* umask: what it masks (creation) and what it does not (chmod). */
#include "common.h"

int main(void)
{
	begin("umask");
	say("umask(0) = %04o\n", (unsigned)umask(0));
	say("umask(027) = %04o\n", (unsigned)umask(027));
	say("umask(077) = %04o\n", (unsigned)umask(077));
	say("umask(0777) = %04o\n", (unsigned)umask(0777));
	say("umask(01777) = %04o\n", (unsigned)umask(01777));
	say("umask(022) = %04o\n", (unsigned)umask(022));
	static const mode_t masks[] = { 0, 022, 027, 077, 0777 };
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		char name[32];
		umask(masks[i]);
		say("umask %04o:\n", (unsigned)masks[i]);
		snprintf(name, sizeof(name), "f%zu", i);
		close(open(name, O_WRONLY | O_CREAT, 0666));
		SHOW(name);
		snprintf(name, sizeof(name), "s%zu", i);
		close(open(name, O_WRONLY | O_CREAT, 04777));
		SHOW(name);
		snprintf(name, sizeof(name), "d%zu", i);
		mkdir(name, 0777);
		SHOW(name);
		snprintf(name, sizeof(name), "t%zu", i);
		mkdir(name, 01777);
		SHOW(name);
		snprintf(name, sizeof(name), "p%zu", i);
		mkfifo(name, 0666);
		SHOW(name);
		snprintf(name, sizeof(name), "l%zu", i);
		symlink("x", name);
		SHOW(name);
	}
	umask(077);
	put("c", "x");
	T(chmod("c", 0777));
	SHOW("c");
	/* The umask is inherited by a child and private to it. */
	pid_t pid = fork();
	if (pid == 0) {
		say("child umask: %04o\n", (unsigned)umask(0));
		_exit(0);
	}
	reap("child", pid);
	say("umask(022) = %04o\n", (unsigned)umask(022));
	return 0;
}
