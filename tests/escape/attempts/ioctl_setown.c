/* SIGIO to a host process through ioctl: FIOSETOWN and SIOCSPGRP on a
 * socket set the owner as fcntl(F_SETOWN) does; with F_SETSIG and O_ASYNC
 * the bystander gets SIGUSR2 when the socket becomes readable. */
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "target.h"

static void try_owner(const char *label, unsigned long cmd, pid_t owner)
{
	int s[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0)
		return;
	say("%s %d:\n", label, owner);
	CHECK("set owner", ioctl(s[0], cmd, &owner));
	int got = 0;
	CHECK("get owner", ioctl(s[0], FIOGETOWN, &got));
	say("owner now %d\n", got);
	CHECK("F_SETSIG", fcntl(s[0], F_SETSIG, SIGUSR2));
	CHECK("O_ASYNC", fcntl(s[0], F_SETFL, O_ASYNC | O_NONBLOCK));
	CHECK("write", write(s[1], "x", 1));
	usleep(20000);
	close(s[0]);
	close(s[1]);
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	pid_t bystander = (pid_t)arg_long("bystander");
	try_owner("FIOSETOWN", FIOSETOWN, bystander);
	try_owner("SIOCSPGRP", SIOCSPGRP, bystander);
	/* the bystander leads a group of its own (setsid) */
	try_owner("SIOCSPGRP group", SIOCSPGRP, -bystander);
	return 0;
}
