/* Named fifos: each VFS fifo is a host fifo in the sentry's private file
 * system, which the workload gets real opens of, so data and EOF behave
 * as Linux's.
 *
 * Linux blocks a blocking open until the other side opens too. The sentry
 * cannot block, so it answers at once and keeps the other side itself
 * until a real one comes: a reader opened before any writer gets a read()
 * that waits (the sentry's writer keeps the fifo from looking finished);
 * a writer opened before any reader can write into the pipe's buffer. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "fdinstall.h"
#include "fdmap.h"
#include "fifo.h"
#include "placeholder.h"

struct fifo_ends {
	uint64_t id;
	int stand_in_writer; /* held until a workload writer opens */
	int stand_in_reader; /* held until a workload reader opens */
	struct fifo_ends *next;
};

static struct fifo_ends *fifos;

static struct fifo_ends *ends_of(uint64_t id)
{
	for (struct fifo_ends *e = fifos; e; e = e->next)
		if (e->id == id)
			return e;
	struct fifo_ends *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->id = id;
	e->stand_in_writer = e->stand_in_reader = -1;
	e->next = fifos;
	fifos = e;
	return e;
}

static void drop(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

long install_fifo(struct task *task, struct vfs_file *f, int open_flags)
{
	uint64_t id = vfs_file_inode_id(f);
	struct fifo_ends *ends = ends_of(id);
	if (!ends)
		return -ENOMEM;
	int access = open_flags & O_ACCMODE;
	bool nonblock = open_flags & O_NONBLOCK;
	int host;
	if (access == O_WRONLY) {
		host = placeholder_fifo_open(id, O_WRONLY | O_NONBLOCK);
		if (host == -ENXIO && nonblock)
			return -ENXIO; /* no reader: what Linux says at once */
		if (host == -ENXIO) {
			ends->stand_in_reader = placeholder_fifo_open(id, O_RDONLY | O_NONBLOCK);
			host = placeholder_fifo_open(id, O_WRONLY | O_NONBLOCK);
		}
	} else {
		host = placeholder_fifo_open(id, access | O_NONBLOCK);
	}
	if (host < 0)
		return host;
	if (!nonblock)
		fcntl(host, F_SETFL, fcntl(host, F_GETFL) & ~O_NONBLOCK);
	long r = fdmap_add(task, host, f);
	if (r == 0)
		r = task_install_fd(task, host, open_flags & O_CLOEXEC);
	if (r >= 0) {
		/* a writer came first if the sentry held a reader for it */
		bool writer_came = ends->stand_in_reader >= 0;
		if (access != O_WRONLY)
			drop(&ends->stand_in_reader);
		if (access != O_RDONLY)
			drop(&ends->stand_in_writer);
		else if (!nonblock && !writer_came && ends->stand_in_writer < 0)
			ends->stand_in_writer = placeholder_fifo_open(id, O_WRONLY | O_NONBLOCK);
	}
	close(host);
	return r;
}
