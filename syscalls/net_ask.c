/* --ask meets the network here: a connect to a destination --allow-net
 * does not name waits on a worker for the person's answer (the rest of the
 * workload runs on), and is made by the sentry on its copy of the socket,
 * to the address it copied, once approved. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ask.h"
#include "audit.h"
#include "deferred.h"
#include "fsctx.h"
#include "net_ask.h"
#include "sandbox.h"

struct ask_work {
	int fd;
	struct sockaddr_storage addr;
	socklen_t len;
	pid_t pid;
	bool quiet;
	struct deferred_caller caller;
	struct audit_pending *answer_record;
	char program[PATH_MAX];
	char dest[64];
	char option[96];
};

/* The path of the program the process runs, as the sandbox shows it. */
static void program_of(struct task *task, char *buf, size_t size)
{
	struct vfs_ctx ctx;
	task_vfs_ctx(task, &ctx);
	if (!task->exe.dentry || vfs_d_path(&ctx, &task->exe, buf, size) < 0)
		snprintf(buf, size, "%s", task->exec_name[0] ? task->exec_name : "?");
}

static struct denial decision(enum verdict verdict, int error, const char *why, const char *option,
			      int address_arg, const char *dest)
{
	struct denial d = { .verdict = verdict, .error = error, .why = why, .allowed_by = option };
	d.strings[address_arg] = dest;
	return d;
}

static long ask_then_connect(void *arg)
{
	struct ask_work *w = arg;
	enum ask_source source = ASK_BY_PERSON;
	/* a caller a signal took away is asked nothing */
	bool gone = deferred_caller_gone(&w->caller);
	enum ask_answer answer = gone ? ASK_NO : ask_connection(w->program, w->pid, w->dest, &source);
	char why[160];
	snprintf(why, sizeof(why), "%s %s", ask_source_text(source), answer == ASK_NO ? "no" : answer == ASK_YES ? "yes" : "always");
	struct denial d = decision(answer == ASK_NO ? VERDICT_REFUSED : VERDICT_APPROVED, answer == ASK_NO ? EACCES : 0,
				   why, w->option, 0, NULL);
	audit_complete(w->answer_record, &d);
	long r;
	if (answer == ASK_NO) {
		if (!w->quiet && !gone)
			sentry_log("refused connect to %s in process %d: %s; %s would allow it", w->dest, w->pid, why, w->option);
		r = gone ? -EINTR : -EACCES;
	} else if (deferred_caller_gone(&w->caller)) {
		r = -EINTR;
	} else {
		r = connect(w->fd, (struct sockaddr *)&w->addr, w->len) < 0 ? -errno : 0;
	}
	close(w->fd);
	free(w);
	return r;
}

long net_ask(struct task *task, struct syscall_call *call, int address_arg, const struct net_destination *dest,
	     int *fd, const struct sockaddr_storage *addr, socklen_t len)
{
	if (ask_mode() == ASK_OFF || net_policy_allows(task->sandbox->opts->net, dest))
		return NET_ASK_NOT_ASKED;
	struct ask_work *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	net_destination_format(dest, w->dest, sizeof(w->dest));
	snprintf(w->option, sizeof(w->option), "--allow-net %s", w->dest);
	program_of(task, w->program, sizeof(w->program));
	enum ask_source source;
	if (ask_connection_known(w->program, w->dest, &source)) {
		struct denial d = decision(VERDICT_AUTO_APPROVED, 0, ask_source_text(source), w->option, address_arg, w->dest);
		audit_record(task, call, &d, NULL);
		free(w);
		return NET_ASK_APPROVED;
	}
	if (!fd) {
		free(w);
		return NET_ASK_NOT_ASKED; /* only a connect is asked */
	}
	struct denial asked = decision(VERDICT_ASKED, 0, "a destination --allow-net does not name: asking the person",
				       w->option, address_arg, w->dest);
	audit_record(task, call, &asked, NULL);
	w->answer_record = audit_prepare(task, call, &asked);
	w->fd = *fd;
	w->addr = *addr;
	w->len = len;
	w->pid = task->tgid;
	w->quiet = task->sandbox->opts->quiet;
	w->caller = deferred_caller_of(task);
	long r = deferred_start(task, call, ask_then_connect, w);
	if (r < 0) {
		audit_complete(w->answer_record, NULL);
		free(w);
		return r;
	}
	*fd = -1; /* the worker closes it */
	return 0;
}
