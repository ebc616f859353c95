/* Unix sockets bound by path and by abstract name: bind, listen, connect,
 * accept, the socket file (stat, unlink), datagrams sent to a path,
 * getsockname and getpeername, and a connect from another process. */
#include "common.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static int bind_to(int fd, const char *path)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, path);
	return bind(fd, (struct sockaddr *)&a, len);
}

static int connect_to(int fd, const char *path)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, path);
	return connect(fd, (struct sockaddr *)&a, len);
}

static void show_name(const char *label, int fd, int peer)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	memset(&a, 0, sizeof(a));
	int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
	if (r < 0) {
		say("  %s: -1 %s\n", label, errname(errno));
		return;
	}
	if (len > sizeof(sa_family_t) && a.sun_path[0] == 0)
		say("  %s: len=%u abstract\n", label, (unsigned)len);
	else
		say("  %s: len=%u \"%s\"\n", label, (unsigned)len, len > sizeof(sa_family_t) ? a.sun_path : "");
}

/* An abstract name no other run on this machine uses: only its length and
 * whether names match are printed. */
static socklen_t abstract_addr(struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	int n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "sc-unix-bind-%08d", (int)getpid() % 100000000);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

int main(void)
{
	begin("unix_bind");
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	char buf[64];

	int srv = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind_to(srv, "srv.sock"));
	SHOW("srv.sock");
	show_name("getsockname srv", srv, 0);
	int other = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind_to(other, "srv.sock"));
	T(bind_to(srv, "again.sock"));
	SHOW("again.sock");
	T(listen(srv, 8));

	int cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	show_name("getsockname unbound", cli, 0);
	T(connect_to(cli, "srv.sock"));
	show_name("getpeername cli", cli, 1);
	int conn = T(accept(srv, NULL, NULL));
	show_name("getsockname accepted", conn, 0);
	T(write(cli, "hello", 5));
	T(read(conn, buf, sizeof(buf)));
	T(connect_to(cli, "srv.sock"));
	close(cli);
	close(conn);

	/* Names that are not listening sockets. */
	put("plain", "x");
	T(mknod("fake.sock", S_IFSOCK | 0644, 0));
	SHOW("fake.sock");
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect_to(cli, "missing.sock"));
	T(connect_to(cli, "plain"));
	T(connect_to(cli, "fake.sock"));
	T(bind_to(other, "fake.sock"));
	T(bind_to(other, "nodir/x.sock"));
	int dg = MUST(socket(AF_UNIX, SOCK_DGRAM, 0));
	T(connect_to(dg, "srv.sock"));
	close(dg);

	/* Reached through a hard link and a symlink, relative to the cwd. */
	T(link("srv.sock", "linked.sock"));
	T(symlink("srv.sock", "sym.sock"));
	T(connect_to(cli, "linked.sock"));
	close(cli);
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect_to(cli, "sym.sock"));
	close(cli);
	MUST(mkdir("d", 0755));
	MUST(chdir("d"));
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect_to(cli, "../srv.sock"));
	close(cli);
	MUST(chdir(".."));
	for (int i = 0; i < 3; i++)
		close(MUST(accept(srv, NULL, NULL)));

	/* Another process connects by path. */
	pid_t pid = fork();
	if (pid == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect_to(c, "srv.sock") == 0)
			write(c, "from child", 10);
		_exit(0);
	}
	conn = T(accept(srv, NULL, NULL));
	ssize_t n = read(conn, buf, sizeof(buf));
	say("  child said: %.*s\n", (int)(n > 0 ? n : 0), buf);
	waitpid(pid, NULL, 0);
	close(conn);

	/* Once the name is gone, nobody reaches the socket by it. */
	T(unlink("srv.sock"));
	T(unlink("linked.sock"));
	SHOW("srv.sock");
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect_to(cli, "srv.sock"));
	T(connect_to(cli, "sym.sock"));
	show_name("getsockname after unlink", srv, 0);
	close(cli);
	close(srv);
	close(other);

	/* Datagrams sent to a path. */
	int rx = MUST(socket(AF_UNIX, SOCK_DGRAM, 0));
	T(bind_to(rx, "dg.sock"));
	int tx = MUST(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct sockaddr_un to;
	socklen_t to_len = path_addr(&to, "dg.sock");
	T(sendto(tx, "one", 3, 0, (struct sockaddr *)&to, to_len));
	struct iovec iov = { "two", 3 };
	struct msghdr m = { .msg_name = &to, .msg_namelen = to_len, .msg_iov = &iov, .msg_iovlen = 1 };
	T(sendmsg(tx, &m, 0));
	T(recv(rx, buf, sizeof(buf), 0));
	T(recv(rx, buf, sizeof(buf), 0));
	to_len = path_addr(&to, "nowhere.sock");
	T(sendto(tx, "x", 1, 0, (struct sockaddr *)&to, to_len));
	T(connect_to(tx, "dg.sock"));
	T(send(tx, "three", 5, 0));
	n = recv(rx, buf, sizeof(buf), 0);
	say("  received: %.*s\n", (int)(n > 0 ? n : 0), buf);
	show_name("getpeername tx", tx, 1);
	close(tx);
	close(rx);

	/* Abstract names: no file, and the name shown is the one given. */
	struct sockaddr_un ab;
	socklen_t ab_len = abstract_addr(&ab);
	int as = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind(as, (struct sockaddr *)&ab, ab_len));
	int as2 = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind(as2, (struct sockaddr *)&ab, ab_len));
	T(listen(as, 4));
	struct sockaddr_un got;
	socklen_t got_len = sizeof(got);
	T(getsockname(as, (struct sockaddr *)&got, &got_len));
	say("  same name: %s\n", got_len == ab_len && memcmp(&got, &ab, ab_len) == 0 ? "yes" : "no");
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(cli, (struct sockaddr *)&ab, ab_len));
	got_len = sizeof(got);
	T(getpeername(cli, (struct sockaddr *)&got, &got_len));
	say("  same peer name: %s\n", got_len == ab_len && memcmp(&got, &ab, ab_len) == 0 ? "yes" : "no");
	conn = T(accept(as, NULL, NULL));
	T(write(cli, "abs", 3));
	T(read(conn, buf, sizeof(buf)));
	close(conn);
	close(cli);
	close(as);
	close(as2);
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(cli, (struct sockaddr *)&ab, ab_len));
	close(cli);

	/* Autobind: an abstract name of five hex digits. */
	int auto_fd = MUST(socket(AF_UNIX, SOCK_DGRAM, 0));
	T(bind(auto_fd, (struct sockaddr *)&ab, sizeof(sa_family_t)));
	show_name("getsockname autobound", auto_fd, 0);
	close(auto_fd);

	/* Bad addresses. */
	cli = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
	struct sockaddr_un bad = { .sun_family = AF_INET };
	T(connect(cli, (struct sockaddr *)&bad, sizeof(bad)));
	T(bind(cli, (struct sockaddr *)&bad, sizeof(bad)));
	T(connect(cli, (struct sockaddr *)&ab, sizeof(sa_family_t)));
	T(connect(cli, (struct sockaddr *)&ab, sizeof(ab) + 1));
	close(cli);
	return 0;
}
