/* Readiness on files, pipes, eventfds and sockets: poll, select, epoll. */
#include "common.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>

static void pl(const char *label, int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	errno = 0;
	int r = poll(&p, 1, 0);
	say("  poll %s = %s revents=0x%x\n", label, res(r, errno), (unsigned)p.revents);
}

int main(void)
{
	begin("poll, select, epoll");
	put("f", "data");
	int f = T(open("f", O_RDWR));
	int p[2];
	MUST(pipe(p));
	int e = T(eventfd(0, EFD_NONBLOCK));
	int s[2];
	MUST(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	pl("file", f, POLLIN | POLLOUT);
	pl("empty pipe read end", p[0], POLLIN);
	pl("pipe write end", p[1], POLLOUT);
	T(write(p[1], "x", 1));
	pl("pipe read end with data", p[0], POLLIN);
	pl("eventfd 0", e, POLLIN | POLLOUT);
	uint64_t one = 1;
	T(write(e, &one, 8));
	pl("eventfd 1", e, POLLIN);
	pl("socket", s[0], POLLIN | POLLOUT);
	T(close(s[1]));
	pl("socket peer closed", s[0], POLLIN | POLLOUT);
	T(close(p[1]));
	pl("pipe writer closed", p[0], POLLIN);
	pl("closed fd", 99, POLLIN);
	struct pollfd neg = { .fd = -1, .events = POLLIN };
	T(poll(&neg, 1, 0));
	T(poll(NULL, 0, 0));
#ifdef SYS_poll
	T(syscall(SYS_poll, (struct pollfd *)1, 1, 0));
#endif
	T(syscall(SYS_ppoll, (struct pollfd *)1, 1, &(struct timespec){ 0, 0 }, NULL, 8));
	/* select. */
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(f, &r);
	FD_SET(e, &r);
	FD_SET(p[0], &r);
	FD_SET(f, &w);
	struct timeval tv = { 0, 0 };
	T(select(FD_SETSIZE, &r, &w, NULL, &tv));
	say("  readable: file %d eventfd %d pipe %d; writable: file %d\n", FD_ISSET(f, &r) != 0,
	    FD_ISSET(e, &r) != 0, FD_ISSET(p[0], &r) != 0, FD_ISSET(f, &w) != 0);
	FD_ZERO(&r);
	FD_SET(60, &r);
	T(select(61, &r, NULL, NULL, &tv));
	/* epoll. */
	int ep = T(epoll_create1(EPOLL_CLOEXEC));
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = e };
	T(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev));
	ev.data.fd = p[0];
	T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
	struct epoll_event out[4];
	int n = T(epoll_wait(ep, out, 4, 0));
	int got_e = 0, got_p = 0;
	for (int i = 0; i < n; i++) {
		got_e |= out[i].data.fd == e;
		got_p |= out[i].data.fd == p[0];
	}
	say("  ready: eventfd %d pipe %d\n", got_e, got_p);
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	T(epoll_wait(ep, out, 4, 0));
	T(epoll_wait(ep, out, 0, 0));
	T(close(ep));
	return 0;
}
