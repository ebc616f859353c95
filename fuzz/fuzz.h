/* What the libFuzzer harnesses share: reading structured values out of the
 * fuzzer's bytes, and the checks every result must pass. */
#ifndef SENTRY_FUZZ_H
#define SENTRY_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest errno Linux gives a program (EHWPOISON). The kernel's
 * internal codes (ERESTARTSYS 512 and up) must never reach a caller. */
#define FUZZ_MAX_ERRNO 133

/* A violated invariant: say which, then abort so libFuzzer keeps the
 * input as a crash. */
#define FUZZ_CHECK(cond, ...)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, \
				__LINE__, #cond);                               \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

/* A syscall-style result: a value >= 0, or -errno with errno in Linux's
 * range. */
#define FUZZ_CHECK_RESULT(r, what)                                              \
	FUZZ_CHECK((r) >= 0 || (-(r) >= 1 && -(r) <= FUZZ_MAX_ERRNO),           \
		   "%s returned %ld", (what), (long)(r))

/* A cursor over the input. Past the end every value reads as zero and
 * every string as empty, so any input is a valid program. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline bool fuzz_more(const struct fuzz_in *in) { return in->n > 0; }

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t v = fuzz_u8(in);
	return (uint16_t)(v | fuzz_u8(in) << 8);
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t v = fuzz_u16(in);
	return v | (uint32_t)fuzz_u16(in) << 16;
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint64_t v = fuzz_u32(in);
	return v | (uint64_t)fuzz_u32(in) << 32;
}

/* Bytes up to a NUL (consumed) or the end, at most size-1 of them, stored
 * NUL-terminated; a longer run is cut and its rest stays in the input.
 * Returns the length. */
static inline size_t fuzz_str(struct fuzz_in *in, char *out, size_t size)
{
	size_t len = 0;
	while (in->n && len + 1 < size) {
		uint8_t c = *in->p++;
		in->n--;
		if (!c)
			break;
		out[len++] = (char)c;
	}
	out[len] = 0;
	return len;
}

/* Up to len raw bytes; returns how many there were. */
static inline size_t fuzz_bytes(struct fuzz_in *in, void *out, size_t len)
{
	if (len > in->n)
		len = in->n;
	memcpy(out, in->p, len);
	in->p += len;
	in->n -= len;
	return len;
}

#endif
