/* Tenants and admission: API keys from a --keys file, a global number of
 * sandboxes at once, a bounded queue, and fairness: a freed sandbox goes
 * to the waiting request whose tenant runs the fewest now, and among
 * equals to the tenant served least recently (then the earliest request),
 * so one busy tenant cannot starve another. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

#define RATE_WINDOW 60.0

struct tenant {
	char *name;
	int max_running;           /* 0: only the global limit */
	int per_minute;            /* 0: no rate limit */
	int running, waiting;
	double last_start;         /* when it last got a sandbox (0: never) */
	double *starts;            /* ring of the last per_minute start times */
	int next_start;
	unsigned long long runs, refused_rate, refused_queue;
};

struct key {
	char *key;
	struct tenant *tenant;
};

static struct key *keys;
static size_t nkeys;
static struct tenant **tenants;
static size_t ntenants;
static struct tenant anonymous = { .name = "anonymous" };

struct waiter {
	struct tenant *tenant;
	unsigned long long seq;
	struct waiter *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static struct waiter *waiters;
static int nwaiting, nrunning;
static unsigned long long seq;
static bool draining;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct tenant *tenant_named(const char *name)
{
	for (size_t i = 0; i < ntenants; i++)
		if (strcmp(tenants[i]->name, name) == 0)
			return tenants[i];
	struct tenant **grown = realloc(tenants, (ntenants + 1) * sizeof(*tenants));
	struct tenant *t = calloc(1, sizeof(*t));
	if (!grown || !t)
		return NULL;
	tenants = grown;
	t->name = strdup(name);
	tenants[ntenants++] = t;
	return t;
}

static bool int_field(json_object *o, const char *key, int *out)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return true;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 0)
		return false;
	*out = json_object_get_int(v);
	return true;
}

int keys_load(const char *path)
{
	json_object *root = json_object_from_file(path);
	if (!root || !json_object_is_type(root, json_type_array)) {
		fprintf(stderr, "sentry: serve: --keys %s: %s\n", path, root ? "not a JSON array" : json_util_get_last_err());
		json_object_put(root);
		return -1;
	}
	size_t n = json_object_array_length(root);
	keys = calloc(n ? n : 1, sizeof(*keys));
	for (size_t i = 0; keys && i < n; i++) {
		json_object *o = json_object_array_get_idx(root, i), *key, *tenant;
		int max_running = 0, per_minute = 0;
		bool ok = json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "key", &key) &&
			  json_object_is_type(key, json_type_string) && json_object_get_string_len(key) > 0 &&
			  json_object_object_get_ex(o, "tenant", &tenant) && json_object_is_type(tenant, json_type_string) &&
			  int_field(o, "max_concurrent", &max_running) && int_field(o, "runs_per_minute", &per_minute);
		struct tenant *t = ok ? tenant_named(json_object_get_string(tenant)) : NULL;
		if (!t) {
			fprintf(stderr, "sentry: serve: --keys %s: entry %zu needs key and tenant (strings), and "
					"max_concurrent and runs_per_minute (numbers, 0 for none) when given\n", path, i);
			json_object_put(root);
			return -1;
		}
		/* A tenant named by several keys takes the last limits given. */
		t->max_running = max_running;
		if (per_minute != t->per_minute) {
			free(t->starts);
			t->starts = per_minute ? calloc((size_t)per_minute, sizeof(double)) : NULL;
			for (int s = 0; t->starts && s < per_minute; s++)
				t->starts[s] = -RATE_WINDOW;
			t->per_minute = per_minute;
		}
		keys[nkeys].key = strdup(json_object_get_string(key));
		keys[nkeys++].tenant = t;
	}
	json_object_put(root);
	return 0;
}

bool keys_configured(void)
{
	return keys != NULL;
}

/* Compares all of both strings whatever their contents. */
static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return diff == 0;
}

struct tenant *tenant_for(const char *authorization)
{
	if (!keys)
		return &anonymous;
	if (!authorization)
		return NULL;
	if (strncasecmp(authorization, "Bearer ", 7) == 0)
		authorization += 7;
	for (size_t i = 0; i < nkeys; i++)
		if (same_secret(authorization, keys[i].key))
			return keys[i].tenant;
	return NULL;
}

const char *tenant_name(const struct tenant *t)
{
	return t->name;
}

/* Whether waiter a goes before b: its tenant runs fewer now, or as many
 * and got its last sandbox longer ago, or it came first. */
static bool before(const struct waiter *a, const struct waiter *b)
{
	if (a->tenant->running != b->tenant->running)
		return a->tenant->running < b->tenant->running;
	if (a->tenant != b->tenant && a->tenant->last_start != b->tenant->last_start)
		return a->tenant->last_start < b->tenant->last_start;
	return a->seq < b->seq;
}

/* The waiter a free sandbox goes to, or NULL. */
static struct waiter *next_waiter(void)
{
	struct waiter *best = NULL;
	for (struct waiter *w = waiters; w; w = w->next) {
		struct tenant *t = w->tenant;
		if (t->max_running && t->running >= t->max_running)
			continue;
		if (!best || before(w, best))
			best = w;
	}
	return best;
}

enum admit admit_enter(struct tenant *t, int *retry_after)
{
	pthread_mutex_lock(&lock);
	*retry_after = 1;
	if (draining) {
		pthread_mutex_unlock(&lock);
		return ADMIT_DRAINING;
	}
	double now = now_s();
	if (t->per_minute) {
		double oldest = t->starts[t->next_start];
		if (now - oldest < RATE_WINDOW) {
			*retry_after = (int)(RATE_WINDOW - (now - oldest)) + 1;
			t->refused_rate++;
			pthread_mutex_unlock(&lock);
			return ADMIT_RATE;
		}
	}
	if (nwaiting >= serve_cfg.queue) {
		t->refused_queue++;
		pthread_mutex_unlock(&lock);
		return ADMIT_QUEUE_FULL;
	}
	if (t->per_minute) { /* counted when admitted to the queue */
		t->starts[t->next_start] = now;
		t->next_start = (t->next_start + 1) % t->per_minute;
	}
	struct waiter me = { .tenant = t, .seq = seq++ };
	struct waiter **tail = &waiters;
	while (*tail)
		tail = &(*tail)->next;
	*tail = &me;
	nwaiting++;
	t->waiting++;
	while (nrunning >= serve_cfg.concurrent || next_waiter() != &me)
		pthread_cond_wait(&changed, &lock);
	for (struct waiter **p = &waiters; *p; p = &(*p)->next) {
		if (*p == &me) {
			*p = me.next;
			break;
		}
	}
	nwaiting--;
	t->waiting--;
	nrunning++;
	t->running++;
	t->runs++;
	t->last_start = now_s();
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	pool_load_changed();
	return ADMIT_OK;
}

void admit_leave(struct tenant *t)
{
	pthread_mutex_lock(&lock);
	nrunning--;
	t->running--;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	pool_load_changed();
}

void admit_drain(void)
{
	pthread_mutex_lock(&lock);
	draining = true;
	pthread_mutex_unlock(&lock);
}

int admit_queued(void)
{
	pthread_mutex_lock(&lock);
	int n = nwaiting;
	pthread_mutex_unlock(&lock);
	return n;
}

int admit_running(void)
{
	pthread_mutex_lock(&lock);
	int n = nrunning;
	pthread_mutex_unlock(&lock);
	return n;
}

static void tenant_metrics(FILE *out, const struct tenant *t)
{
	fprintf(out, "sentry_serve_tenant_runs_total{tenant=\"%s\"} %llu\n", t->name, t->runs);
	fprintf(out, "sentry_serve_tenant_running{tenant=\"%s\"} %d\n", t->name, t->running);
	fprintf(out, "sentry_serve_tenant_queued{tenant=\"%s\"} %d\n", t->name, t->waiting);
	fprintf(out, "sentry_serve_tenant_refused_total{tenant=\"%s\",reason=\"rate\"} %llu\n", t->name, t->refused_rate);
	fprintf(out, "sentry_serve_tenant_refused_total{tenant=\"%s\",reason=\"queue\"} %llu\n", t->name,
		t->refused_queue);
}

void admit_metrics(FILE *out)
{
	pthread_mutex_lock(&lock);
	fprintf(out, "# TYPE sentry_serve_queue_depth gauge\nsentry_serve_queue_depth %d\n", nwaiting);
	fprintf(out, "# TYPE sentry_serve_running gauge\nsentry_serve_running %d\n", nrunning);
	fprintf(out, "# TYPE sentry_serve_tenant_runs_total counter\n# TYPE sentry_serve_tenant_running gauge\n"
		     "# TYPE sentry_serve_tenant_queued gauge\n# TYPE sentry_serve_tenant_refused_total counter\n");
	if (!keys)
		tenant_metrics(out, &anonymous);
	for (size_t i = 0; i < ntenants; i++)
		tenant_metrics(out, tenants[i]);
	pthread_mutex_unlock(&lock);
}
