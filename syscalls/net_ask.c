/* --ask meets the network here: a connect to a destination --allow-net
 * does not name waits on a worker for the person's answer (the rest of the
 * workload runs on), and is made by the sentry on its copy of the socket,
 * to the address it copied, once approved. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ask.h"
#include "audit.h"
#include "deferred.h"
#include "fdinstall.h"
#include "fsctx.h"
#include "net_ask.h"
#include "sandbox.h"

struct ask_work {
	pid_t tid;
	int workload_fd;
	int swap_at; /* -1: fd is the workload's socket already */
	bool swap_cloexec;
	bool restarted; /* waits for the answer to the question its first try put */
	int fd;
	struct sockaddr_storage addr;
	socklen_t len;
	pid_t pid;
	bool quiet;
	struct deferred_caller caller;
	struct audit_pending *answer_record;
	char program[PATH_MAX];
	char image_file[PATH_MAX]; /* the approvals file's key; empty: none */
	char dest[64];
	char option[96];
};

/* A signal that reaches the caller while its question is up (the group
 * stop of a read of the terminal, the SIGCONT after it, a timer) ends the
 * call, which the kernel restarts, maybe more than once: a restart waits
 * for the answer to the question already up and takes it, instead of a
 * second question, for a few seconds after the answer. */
#define ANSWER_KEPT_SECONDS 5
#define ANSWERS 16
static pthread_mutex_t answers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answered_cond = PTHREAD_COND_INITIALIZER;
static struct answer_slot {
	pid_t tid;  /* 0: free */
	int fd;
	char dest[64];
	bool answered;
	enum ask_answer answer;
	time_t at;  /* when answered */
} answers[ANSWERS];
static unsigned next_slot;

static struct answer_slot *find_slot(pid_t tid, int fd, const char *dest)
{
	time_t now = time(NULL);
	for (int i = 0; i < ANSWERS; i++) {
		struct answer_slot *a = &answers[i];
		bool stale = a->answered && now - a->at > ANSWER_KEPT_SECONDS;
		if (a->tid == tid && tid && !stale && a->fd == fd && strcmp(a->dest, dest) == 0)
			return a;
	}
	return NULL;
}

static void slot_open(pid_t tid, int fd, const char *dest)
{
	pthread_mutex_lock(&answers_lock);
	struct answer_slot *a = &answers[next_slot++ % ANSWERS];
	*a = (struct answer_slot){ .tid = tid, .fd = fd };
	snprintf(a->dest, sizeof(a->dest), "%s", dest);
	pthread_mutex_unlock(&answers_lock);
}

/* The question is answered: the slot goes when its caller still waits,
 * else it keeps the answer for the restart. */
static void slot_answer(pid_t tid, int fd, const char *dest, enum ask_answer answer, bool caller_gone)
{
	pthread_mutex_lock(&answers_lock);
	struct answer_slot *a = find_slot(tid, fd, dest);
	if (a && caller_gone) {
		a->answered = true;
		a->answer = answer;
		a->at = time(NULL);
	} else if (a) {
		a->tid = 0;
	}
	pthread_cond_broadcast(&answered_cond);
	pthread_mutex_unlock(&answers_lock);
}

static bool slot_exists(pid_t tid, int fd, const char *dest)
{
	pthread_mutex_lock(&answers_lock);
	bool found = find_slot(tid, fd, dest) != NULL;
	pthread_mutex_unlock(&answers_lock);
	return found;
}

/* On a worker: the answer the restarted call waits for (no when the slot
 * was reused meanwhile). */
static enum ask_answer slot_await(pid_t tid, int fd, const char *dest)
{
	pthread_mutex_lock(&answers_lock);
	struct answer_slot *a;
	while ((a = find_slot(tid, fd, dest)) && !a->answered)
		pthread_cond_wait(&answered_cond, &answers_lock);
	enum ask_answer answer = a ? a->answer : ASK_NO;
	pthread_mutex_unlock(&answers_lock);
	return answer;
}

/* The path of the program the process runs, as the sandbox shows it; and
 * in image_file the host path of the image file it is, when the sandbox has
 * neither written nor replaced it (else empty: a program the workload made
 * never inherits an approval kept for a file of the person's system). */
static void program_of(struct task *task, char *buf, size_t size, char *image_file, size_t image_size)
{
	struct vfs_ctx ctx;
	task_vfs_ctx(task, &ctx);
	if (!task->exe.dentry || vfs_d_path(&ctx, &task->exe, buf, size) < 0)
		snprintf(buf, size, "%s", task->exec_name[0] ? task->exec_name : "?");
	if (!task->exe.dentry || vfs_image_file(&task->exe, image_file, image_size) < 0)
		image_file[0] = 0;
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
	enum ask_answer answer = w->restarted ? slot_await(w->tid, w->workload_fd, w->dest)
					      : ask_connection(w->program, w->image_file[0] ? w->image_file : NULL, w->pid, w->dest, &source);
	char why[160];
	if (w->restarted)
		snprintf(why, sizeof(why), "the answer given before a signal restarted this call: %s",
			 answer == ASK_NO ? "no" : "yes");
	else
		snprintf(why, sizeof(why), "%s %s", ask_source_text(source),
			 answer == ASK_NO ? "no" : answer == ASK_YES ? "yes" : "always");
	struct denial d = decision(answer == ASK_NO ? VERDICT_REFUSED : VERDICT_APPROVED, answer == ASK_NO ? EACCES : 0,
				   why, w->option, 0, NULL);
	audit_complete(w->answer_record, &d);
	long r;
	bool left = deferred_caller_gone(&w->caller);
	if (!w->restarted)
		slot_answer(w->tid, w->workload_fd, w->dest, answer, left);
	if (left) {
		r = -EINTR;
	} else if (answer == ASK_NO) {
		if (!w->quiet)
			sentry_log("refused connect to %s in process %d: %s; %s would allow it", w->dest, w->pid, why, w->option);
		r = -EACCES;
	} else if (w->swap_at >= 0 &&
		   (r = notif_replace_fd(w->caller.notify_fd, w->caller.notif_id, w->swap_at, w->fd, w->swap_cloexec)) < 0) {
		/* the caller left meanwhile: its socket stays as it was */
	} else {
		r = connect(w->fd, (struct sockaddr *)&w->addr, w->len) < 0 ? -errno : 0;
	}
	close(w->fd);
	free(w);
	return r;
}

long net_ask(struct task *task, struct syscall_call *call, int address_arg, const struct net_destination *dest,
	     int *fd, const struct sockaddr_storage *addr, socklen_t len, int swap_at, bool swap_cloexec)
{
	if (ask_mode() == ASK_OFF || net_policy_allows(task->sandbox->opts->net, dest))
		return NET_ASK_NOT_ASKED;
	struct ask_work *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	net_destination_format(dest, w->dest, sizeof(w->dest));
	snprintf(w->option, sizeof(w->option), "--allow-net %s", w->dest);
	program_of(task, w->program, sizeof(w->program), w->image_file, sizeof(w->image_file));
	enum ask_source source;
	w->restarted = fd && slot_exists(task->tid, (int)call->args[0], w->dest);
	if (!w->restarted && ask_connection_known(w->image_file[0] ? w->image_file : NULL, w->dest, &source)) {
		struct denial d = decision(VERDICT_AUTO_APPROVED, 0, ask_source_text(source), w->option, address_arg, w->dest);
		audit_record(task, call, &d, NULL);
		free(w);
		return NET_ASK_APPROVED;
	}
	if (!fd) {
		free(w);
		return NET_ASK_NOT_ASKED; /* only a connect is asked */
	}
	if (!w->restarted)
		slot_open(task->tid, (int)call->args[0], w->dest);
	struct denial asked = decision(VERDICT_ASKED, 0, "a destination --allow-net does not name: asking the person",
				       w->option, address_arg, w->dest);
	if (!w->restarted)
		audit_record(task, call, &asked, NULL);
	w->answer_record = audit_prepare(task, call, &asked);
	w->fd = *fd;
	w->addr = *addr;
	w->len = len;
	w->pid = task->tgid;
	w->tid = task->tid;
	w->workload_fd = (int)call->args[0];
	w->swap_at = swap_at;
	w->swap_cloexec = swap_cloexec;
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
