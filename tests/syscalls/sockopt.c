/* setsockopt and getsockopt on unix sockets: the queries, buffer sizes,
 * both forms of the timeouts, linger, credentials, lengths shorter and
 * longer than the option, bad pointers and fds, unknown options. */
#include "common.h"
#include <linux/time_types.h>
#include <sys/socket.h>

static void get_int(const char *label, int fd, int level, int option)
{
	int v = -1;
	socklen_t len = sizeof(v);
	long r = getsockopt(fd, level, option, &v, &len);
	say("getsockopt %s = %s", label, res(r, errno));
	if (r == 0)
		say(" value %d len %u", v, (unsigned)len);
	say("\n");
}

static void set_int(const char *label, int fd, int level, int option, int v)
{
	long r = setsockopt(fd, level, option, &v, sizeof(v));
	say("setsockopt %s %d = %s\n", label, v, res(r, errno));
}

int main(void)
{
	begin("sockopt");
	int s[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	get_int("SO_TYPE", s[0], SOL_SOCKET, SO_TYPE);
	get_int("SO_DOMAIN", s[0], SOL_SOCKET, SO_DOMAIN);
	get_int("SO_PROTOCOL", s[0], SOL_SOCKET, SO_PROTOCOL);
	get_int("SO_ERROR", s[0], SOL_SOCKET, SO_ERROR);
	get_int("SO_ACCEPTCONN", s[0], SOL_SOCKET, SO_ACCEPTCONN);
	struct ucred cred;
	socklen_t len = sizeof(cred);
	T(getsockopt(s[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
	say("  peer uid %u gid %u len %u\n", cred.uid, cred.gid, (unsigned)len);

	set_int("SO_SNDBUF", s[0], SOL_SOCKET, SO_SNDBUF, 65536);
	get_int("SO_SNDBUF", s[0], SOL_SOCKET, SO_SNDBUF);
	set_int("SO_RCVBUF", s[0], SOL_SOCKET, SO_RCVBUF, 32768);
	get_int("SO_RCVBUF", s[0], SOL_SOCKET, SO_RCVBUF);
	set_int("SO_PASSCRED", s[0], SOL_SOCKET, SO_PASSCRED, 1);
	get_int("SO_PASSCRED", s[0], SOL_SOCKET, SO_PASSCRED);
	set_int("SO_KEEPALIVE", s[0], SOL_SOCKET, SO_KEEPALIVE, 1);
	get_int("SO_KEEPALIVE", s[0], SOL_SOCKET, SO_KEEPALIVE);
	set_int("SO_REUSEADDR", s[0], SOL_SOCKET, SO_REUSEADDR, 1);
	get_int("SO_REUSEADDR", s[0], SOL_SOCKET, SO_REUSEADDR);
	set_int("SO_RCVLOWAT", s[0], SOL_SOCKET, SO_RCVLOWAT, 4);
	get_int("SO_RCVLOWAT", s[0], SOL_SOCKET, SO_RCVLOWAT);
	set_int("SO_SNDLOWAT", s[0], SOL_SOCKET, SO_SNDLOWAT, 4);

	struct timeval tv = { 1, 500000 };
	T(setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO_OLD, &tv, sizeof(tv)));
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	T(getsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO_OLD, &tv, &len));
	say("  rcvtimeo %ld.%06ld len %u\n", (long)tv.tv_sec, (long)tv.tv_usec, (unsigned)len);
	struct __kernel_sock_timeval ktv = { 2, 250000 };
	T(setsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO_NEW, &ktv, sizeof(ktv)));
	memset(&ktv, 0, sizeof(ktv));
	len = sizeof(ktv);
	T(getsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO_NEW, &ktv, &len));
	say("  sndtimeo %lld.%06lld len %u\n", (long long)ktv.tv_sec, (long long)ktv.tv_usec, (unsigned)len);
	len = sizeof(tv);
	T(getsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO_OLD, &tv, &len));
	say("  sndtimeo (old form) %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
	tv.tv_usec = 2000000;
	T(setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO_OLD, &tv, sizeof(tv)));

	struct linger lg = { 1, 5 };
	T(setsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	memset(&lg, 0, sizeof(lg));
	len = sizeof(lg);
	T(getsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg, &len));
	say("  linger %d %d len %u\n", lg.l_onoff, lg.l_linger, (unsigned)len);

	/* lengths: short, long, negative; bad pointers */
	int v = 1;
	T(setsockopt(s[0], SOL_SOCKET, SO_REUSEADDR, &v, 2));
	T(setsockopt(s[0], SOL_SOCKET, SO_REUSEADDR, &v, (socklen_t)-1));
	T(setsockopt(s[0], SOL_SOCKET, SO_REUSEADDR, NULL, sizeof(int)));
	char big[64] = { 1 };
	T(setsockopt(s[0], SOL_SOCKET, SO_REUSEADDR, big, sizeof(big)));
	short half = -1;
	len = sizeof(half);
	T(getsockopt(s[0], SOL_SOCKET, SO_TYPE, &half, &len));
	say("  short read %d len %u\n", half, (unsigned)len);
	int wide[4] = { -1, -1, -1, -1 };
	len = sizeof(wide);
	T(getsockopt(s[0], SOL_SOCKET, SO_TYPE, wide, &len));
	say("  long read %d %d len %u\n", wide[0], wide[1], (unsigned)len);
	int neg = -1;
	T(getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, (socklen_t *)&neg));
	T(getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, NULL));
	len = sizeof(int);
	T(getsockopt(s[0], SOL_SOCKET, SO_TYPE, (void *)8, &len));

	/* fds that are not sockets */
	len = sizeof(v);
	T(getsockopt(-1, SOL_SOCKET, SO_TYPE, &v, &len));
	T(getsockopt(999, SOL_SOCKET, SO_TYPE, &v, &len));
	int f = T(open("file", O_CREAT | O_RDWR, 0644));
	T(getsockopt(f, SOL_SOCKET, SO_TYPE, &v, &len));
	T(setsockopt(f, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)));
	T(close(f));

	/* an option Linux does not know */
	T(setsockopt(s[0], SOL_SOCKET, 9999, &v, sizeof(v)));
	T(getsockopt(s[0], SOL_SOCKET, 9999, &v, &len));

	T(close(s[0]));
	T(close(s[1]));
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	get_int("SO_TYPE", s[1], SOL_SOCKET, SO_TYPE);
	T(close(s[0]));
	T(close(s[1]));
	return 0;
}
