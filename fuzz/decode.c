/* decode: the argument decoder of --trace, the denial line and the audit
 * record (sentry/trace/decode.c), which reads the workload's memory and must
 * never trust it.
 *
 * Each input is: a syscall (an index into this arch's table, or a name no
 * table has), whether the call returned and its result, the size of the
 * output buffer, the bytes of three guarded buffers (each ends right where
 * an inaccessible page begins: strings without a NUL, structures cut
 * short), an array of pointers into them (an argv), then for each of the
 * six arguments either a raw value, a pointer into a buffer or the array,
 * or an address nothing maps; then which arguments a denial gives as
 * strings the sentry read, and those strings.
 *
 * Checks: the text is NUL-terminated inside the buffer and nothing is
 * written past it; the returned length is the text's; every byte is
 * printable ASCII, so a line stays one line; a buffer of DECODE_ARGS_MAX
 * holds every text whole; a smaller buffer holds the start of the same
 * text, ending with "..." when it was cut; the result text likewise. */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "decode.h"
#include "fake_task.h"
#include "fuzz.h"

#define DATA_SLOTS 3 /* slots 1..3; slot 0 holds the pointer array */
#define DATA_MAX 600
#define ARRAY_WORDS 24
#define CANARY 64

static void check_text(const char *what, const char *buf, size_t size, size_t len)
{
	for (size_t i = 0; i < CANARY; i++)
		FUZZ_CHECK((unsigned char)buf[size + i] == 0xa5, "%s: byte %zu past a buffer of %zu written", what,
			   i, size);
	if (size == 0) {
		FUZZ_CHECK(len == 0, "%s: length %zu in an empty buffer", what, len);
		return;
	}
	FUZZ_CHECK(len < size, "%s: length %zu in a buffer of %zu", what, len, size);
	FUZZ_CHECK(strlen(buf) == len, "%s: length %zu, text of %zu", what, len, strlen(buf));
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(buf[i] >= 0x20 && buf[i] <= 0x7e, "%s: byte %#x at %zu: %s", what, (unsigned char)buf[i], i,
			   buf);
}

/* The same text in a buffer of size: its start, "..." when cut. */
static void check_cut(const char *what, const char *full, size_t full_len, const char *buf, size_t size, size_t len)
{
	if (size == 0)
		return;
	if (full_len < size) {
		FUZZ_CHECK(strcmp(buf, full) == 0, "%s: in %zu bytes '%s', whole '%s'", what, size, buf, full);
	} else if (size >= 4) {
		FUZZ_CHECK(len >= 3 && strcmp(buf + len - 3, "...") == 0, "%s: cut without dots: '%s'", what, buf);
		FUZZ_CHECK(strncmp(buf, full, len - 3) == 0, "%s: '%s' is not the start of '%s'", what, buf, full);
	}
}

/* The task whose memory is decoded: a child idle in pause(), sharing the
 * guarded slots. Words of the input can be any address; in this process
 * the stack and the output buffers change between two decodes, in the
 * idle child nothing does, so two decodes of one input read the same. */
static pid_t idle_child(void)
{
	static pid_t child;
	if (child)
		return child;
	static const char none;
	for (int s = 0; s < FAKE_SLOTS; s++)
		fake_guarded(s, &none, 0);
	pid_t parent = getpid();
	child = fork();
	if (child < 0)
		abort();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		for (;;)
			pause();
	}
	return child;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct task self;
	static char full[DECODE_ARGS_MAX + CANARY], small[DECODE_ARGS_MAX + CANARY];
	self.tid = self.tgid = idle_child();
	struct fuzz_in in = { data, size };

	uint16_t which = fuzz_u16(&in);
	const char *name = which % (syscall_table_len + 1) < syscall_table_len
				   ? syscall_table[which % (syscall_table_len + 1)].name
				   : "no_such_call";
	uint8_t how = fuzz_u8(&in);
	bool done = how & 1;
	long ret = (how & 6) == 0   ? -(long)(fuzz_u8(&in) % 140)   /* an errno, or past them */
		   : (how & 6) == 2 ? (long)fuzz_u16(&in)	    /* a length, an fd */
		   : (how & 6) == 4 ? (long)fuzz_u64(&in)	    /* anything */
				    : 0;
	size_t out_size = fuzz_u16(&in) % (DECODE_ARGS_MAX + 1);

	/* the guarded buffers, then the pointer array into them */
	char *slot[DATA_SLOTS + 1];
	size_t slot_len[DATA_SLOTS + 1];
	uint8_t bytes[DATA_MAX];
	for (int s = 1; s <= DATA_SLOTS; s++) {
		size_t want = fuzz_u16(&in) % DATA_MAX;
		slot_len[s] = fuzz_bytes(&in, bytes, want);
		slot[s] = fake_guarded(s, bytes, slot_len[s]);
	}
	uint64_t words[ARRAY_WORDS];
	size_t nwords = fuzz_u8(&in) % (ARRAY_WORDS + 1);
	for (size_t i = 0; i < nwords; i++) {
		uint8_t pick = fuzz_u8(&in);
		int s = 1 + pick % DATA_SLOTS;
		words[i] = pick >= 0xf0 ? 0 : fake_addr(slot[s] + (fuzz_u16(&in) % (slot_len[s] + 1)));
	}
	slot[0] = fake_guarded(0, words, nwords * sizeof(words[0]));
	slot_len[0] = nwords * sizeof(words[0]);

	uint64_t args[6];
	for (int i = 0; i < 6; i++) {
		uint8_t kind = fuzz_u8(&in);
		int s = kind % (DATA_SLOTS + 1);
		switch (kind >> 6) {
		case 0: args[i] = fuzz_u64(&in); break;
		case 1: args[i] = fuzz_u16(&in); break; /* a small number: a length, flags */
		case 2: args[i] = fake_addr(slot[s] + (fuzz_u16(&in) % (slot_len[s] + 1))); break;
		default: args[i] = fake_unmapped() + fuzz_u8(&in); break;
		}
	}

	memset(full, 0xa5, sizeof(full));
	size_t full_len = decode_args(&self, name, args, done, ret, full, DECODE_ARGS_MAX);
	check_text(name, full, DECODE_ARGS_MAX, full_len);
	FUZZ_CHECK(full_len < DECODE_ARGS_MAX - 1, "%s: %zu bytes do not fit DECODE_ARGS_MAX", name, full_len);

	memset(small, 0xa5, sizeof(small));
	size_t len = decode_args(&self, name, args, done, ret, small, out_size);
	check_text(name, small, out_size, len);
	check_cut(name, full, full_len, small, out_size, len);

	/* a denial: some arguments are strings the sentry read, any bytes */
	static char known_text[6][300];
	const char *known[6] = { NULL };
	uint8_t known_mask = fuzz_u8(&in);
	for (int i = 0; i < 6; i++)
		if (known_mask >> i & 1) {
			fuzz_str(&in, known_text[i], sizeof(known_text[i]));
			known[i] = known_text[i];
		}
	memset(small, 0xa5, sizeof(small));
	len = decode_args_known(&self, name, args, known, small, DECODE_ARGS_MAX);
	check_text(name, small, DECODE_ARGS_MAX, len);
	FUZZ_CHECK(len < DECODE_ARGS_MAX - 1, "%s: %zu bytes do not fit DECODE_ARGS_MAX", name, len);

	/* without a task nothing is read, and the text is still well formed */
	memset(small, 0xa5, sizeof(small));
	len = decode_args(NULL, name, args, done, ret, small, DECODE_ARGS_MAX);
	check_text(name, small, DECODE_ARGS_MAX, len);

	char result[48 + CANARY], result_full[48 + CANARY];
	memset(result_full, 0xa5, sizeof(result_full));
	size_t rlen_full = decode_result(name, ret, result_full, 48);
	check_text("result", result_full, 48, rlen_full);
	size_t rsize = out_size % 49;
	memset(result, 0xa5, sizeof(result));
	size_t rlen = decode_result(name, ret, result, rsize);
	check_text("result", result, rsize, rlen);
	check_cut("result", result_full, rlen_full, result, rsize, rlen);
	return 0;
}
