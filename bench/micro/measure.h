/* Timing for the micro benchmarks: rounds of back-to-back calls, each
 * round lasting about round_ms, ns per call reported as the median. Output
 * goes through write(2) only, so the programs run unchanged in the sandbox. */
#ifndef MEASURE_H
#define MEASURE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 64
#define BATCH 16

static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

__attribute__((format(printf, 1, 2)))
static inline void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(1, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1) < 0)
		_exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static inline double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One round: calls fn in batches until round_ms have passed; ns per call. */
static inline double round_ns(void (*fn)(void), unsigned round_ms, uint64_t *calls)
{
	uint64_t n = 0, start = now_ns(), end, budget = (uint64_t)round_ms * 1000000u;
	do {
		for (int i = 0; i < BATCH; i++)
			fn();
		n += BATCH;
		end = now_ns();
	} while (end - start < budget);
	*calls += n;
	return (double)(end - start) / (double)n;
}

/* A warm-up round, then `rounds` measured ones; fills v, returns the median. */
static inline double measure(void (*fn)(void), int rounds, unsigned round_ms, double *v, uint64_t *calls)
{
	uint64_t ignored = 0;
	round_ns(fn, round_ms / 4 + 1, &ignored);
	for (int r = 0; r < rounds; r++)
		v[r] = round_ns(fn, round_ms, calls);
	return median(v, rounds);
}

/* Rounds and round length from the environment: BENCH_ROUNDS, BENCH_ROUND_MS. */
static inline void bench_params(int *rounds, unsigned *round_ms)
{
	const char *r = getenv("BENCH_ROUNDS"), *ms = getenv("BENCH_ROUND_MS");
	*rounds = r ? atoi(r) : 7;
	*round_ms = ms ? (unsigned)atoi(ms) : 100;
	if (*rounds < 1)
		*rounds = 1;
	if (*rounds > MAX_ROUNDS)
		*rounds = MAX_ROUNDS;
	if (*round_ms < 1)
		*round_ms = 1;
}

#endif
