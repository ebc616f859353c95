/* GET /metrics: Prometheus text exposition of what the server did. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static const double bucket_le[] = { 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 };
#define NBUCKETS (sizeof(bucket_le) / sizeof(bucket_le[0]))

struct run_count {
	char language[64], status[8];
	unsigned long long count;
};

struct latency {
	char language[64];
	unsigned long long buckets[NBUCKETS], count;
	double sum;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct run_count *runs;
static size_t nruns;
static struct latency *latencies;
static size_t nlatencies;
static unsigned long long http_codes[600];

void metrics_run(const char *language, const char *status, double seconds)
{
	pthread_mutex_lock(&lock);
	size_t i = 0;
	while (i < nruns && (strcmp(runs[i].language, language) || strcmp(runs[i].status, status)))
		i++;
	if (i == nruns) {
		struct run_count *grown = realloc(runs, (nruns + 1) * sizeof(*runs));
		if (!grown)
			goto out;
		runs = grown;
		memset(&runs[nruns], 0, sizeof(runs[0]));
		snprintf(runs[nruns].language, sizeof(runs[0].language), "%s", language);
		snprintf(runs[nruns].status, sizeof(runs[0].status), "%s", status);
		nruns++;
	}
	runs[i].count++;
	i = 0;
	while (i < nlatencies && strcmp(latencies[i].language, language))
		i++;
	if (i == nlatencies) {
		struct latency *grown = realloc(latencies, (nlatencies + 1) * sizeof(*latencies));
		if (!grown)
			goto out;
		latencies = grown;
		memset(&latencies[nlatencies], 0, sizeof(latencies[0]));
		snprintf(latencies[nlatencies].language, sizeof(latencies[0].language), "%s", language);
		nlatencies++;
	}
	for (size_t b = 0; b < NBUCKETS; b++)
		if (seconds <= bucket_le[b])
			latencies[i].buckets[b]++;
	latencies[i].count++;
	latencies[i].sum += seconds;
out:
	pthread_mutex_unlock(&lock);
}

void metrics_http(int code)
{
	pthread_mutex_lock(&lock);
	if (code >= 0 && code < 600)
		http_codes[code]++;
	pthread_mutex_unlock(&lock);
}

char *metrics_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		return NULL;
	pthread_mutex_lock(&lock);
	fprintf(out, "# HELP sentry_serve_runs_total Requests run, by language and outcome (OK or Piston's status).\n"
		     "# TYPE sentry_serve_runs_total counter\n");
	for (size_t i = 0; i < nruns; i++)
		fprintf(out, "sentry_serve_runs_total{language=\"%s\",status=\"%s\"} %llu\n", runs[i].language,
			runs[i].status, runs[i].count);
	fprintf(out, "# HELP sentry_serve_run_seconds Time from the first sandbox's start to the last one's end.\n"
		     "# TYPE sentry_serve_run_seconds histogram\n");
	for (size_t i = 0; i < nlatencies; i++) {
		for (size_t b = 0; b < NBUCKETS; b++)
			fprintf(out, "sentry_serve_run_seconds_bucket{language=\"%s\",le=\"%g\"} %llu\n",
				latencies[i].language, bucket_le[b], latencies[i].buckets[b]);
		fprintf(out, "sentry_serve_run_seconds_bucket{language=\"%s\",le=\"+Inf\"} %llu\n", latencies[i].language,
			latencies[i].count);
		fprintf(out, "sentry_serve_run_seconds_sum{language=\"%s\"} %.6f\n", latencies[i].language,
			latencies[i].sum);
		fprintf(out, "sentry_serve_run_seconds_count{language=\"%s\"} %llu\n", latencies[i].language,
			latencies[i].count);
	}
	fprintf(out, "# TYPE sentry_serve_http_responses_total counter\n");
	for (int c = 0; c < 600; c++)
		if (http_codes[c])
			fprintf(out, "sentry_serve_http_responses_total{code=\"%d\"} %llu\n", c, http_codes[c]);
	pthread_mutex_unlock(&lock);
	fprintf(out, "# TYPE sentry_serve_live_sandboxes gauge\nsentry_serve_live_sandboxes %d\n", stage_live());
	fprintf(out, "# TYPE sentry_serve_warm_sandboxes gauge\nsentry_serve_warm_sandboxes %d\n", pool_ready());
	fprintf(out, "# TYPE sentry_serve_sessions gauge\nsentry_serve_sessions %d\n", sessions_live());
	admit_metrics(out);
	fclose(out);
	return text;
}
