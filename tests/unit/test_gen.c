/* arch/gen_table.awk: refuses malformed tables, and turns a good one into
 * the syscall_table the sentry uses (fixtures/good.tbl, generated at build
 * time and linked into this test). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscall.h"

long sys_stub_two(struct task *task, struct syscall_call *call);
long sys_stub_three(struct task *task, struct syscall_call *call);
long sys_stub_two(struct task *task, struct syscall_call *call) { return 2; }
long sys_stub_three(struct task *task, struct syscall_call *call) { return 3; }

struct gen_result {
	int status; /* exit status of awk */
	char out[8192];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Runs the generator on a table given as text. */
static void generate(const char *table, struct gen_result *r)
{
	char dir[] = "/tmp/sentry-gen-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char in[64], out[64], err[64], cmd[512];
	snprintf(in, sizeof(in), "%s/t.tbl", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	FILE *f = fopen(in, "w");
	cr_assert_not_null(f);
	fputs(table, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' -v arch=test -f '%s' '%s' >'%s' 2>'%s'", SENTRY_AWK,
		 SENTRY_GEN_TABLE, in, out, err);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "awk did not run: %d", st);
	r->status = WEXITSTATUS(st);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	unlink(in);
	unlink(out);
	unlink(err);
	rmdir(dir);
}

static void expect_refused(const char *table, const char *message)
{
	struct gen_result r;
	generate(table, &r);
	cr_expect_neq(r.status, 0, "accepted:\n%s", table);
	cr_expect(strstr(r.err, message) != NULL, "expected \"%s\" in: %s", message, r.err);
}

TestSuite(gen_refuses);

Test(gen_refuses, duplicate_number)
{
	expect_refused("1 a pass\n2 b pass\n1 c pass\n", "t.tbl:3: number 1 listed twice");
}

Test(gen_refuses, unknown_disposition)
{
	expect_refused("1 a pass\n2 b allow\n", "t.tbl:2: unknown disposition 'allow'");
	expect_refused("1 a errno(eperm)\n", "unknown disposition 'errno(eperm)'");
	expect_refused("1 a errno()\n", "unknown disposition 'errno()'");
	expect_refused("1 a Pass\n", "unknown disposition 'Pass'");
}

Test(gen_refuses, handler_on_pass_row)
{
	expect_refused("\n# comment\n1 read pass sys_read\n", "t.tbl:3: pass rows take no handler");
}

Test(gen_refuses, handler_on_kill_row)
{
	expect_refused("1 a kill sys_a\n", "t.tbl:1: kill rows take no handler");
}

Test(gen_refuses, errno_row_with_a_handler)
{
	expect_refused("1 a errno(EPERM) sys_a\n", "t.tbl:1: errno rows take no handler but 'audit'");
}

Test(gen_refuses, malformed_rows)
{
	expect_refused("1 a\n", "t.tbl:1: malformed row");
	expect_refused("x a pass\n", "t.tbl:1: malformed row");
	expect_refused("-1 a pass\n", "t.tbl:1: malformed row");
	expect_refused("1 a emulate sys_a extra\n", "t.tbl:1: malformed row");
}

/* Every bad row is reported, not only the first. */
Test(gen_refuses, reports_every_error)
{
	struct gen_result r;
	generate("1 a allow\n2 b pass x\n2 c pass\n3 d errno(EPERM) x\n", &r);
	cr_expect_neq(r.status, 0);
	cr_expect(strstr(r.err, "t.tbl:1:") && strstr(r.err, "t.tbl:2:") && strstr(r.err, "t.tbl:4:"),
		  "%s", r.err);
}

Test(gen, output_text)
{
	struct gen_result r;
	generate("# header\n\n3 c errno(EPERM) audit\n1 a pass # trailing\n2 b emulate sys_b\n", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_empty(r.err);
	cr_expect(strstr(r.out, "const char syscall_table_arch[] = \"test\";") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "long sys_b(struct task *, struct syscall_call *);") != NULL, "%s", r.out);
	const char *rows = "\t{ 1, \"a\", DISP_PASS, 0, 0, NULL },\n"
			   "\t{ 2, \"b\", DISP_EMULATE, 0, 0, sys_b },\n"
			   "\t{ 3, \"c\", DISP_ERRNO, EPERM, 1, NULL },\n"
			   "};\n";
	cr_expect(strstr(r.out, rows) != NULL, "rows not sorted or wrong:\n%s", r.out);
	cr_expect(strstr(r.out, "const size_t syscall_table_len = 3;") != NULL, "%s", r.out);
}

/* fixtures/good.tbl, compiled. */
Test(gen, compiled_fixture)
{
	static const struct {
		int nr;
		const char *name;
		enum disposition d;
		int error, audited;
		syscall_handler_fn handler;
	} want[] = {
		{ 0, "zero", DISP_PASS, 0, 0, NULL },
		{ 1, "one", DISP_EMULATE, 0, 0, NULL },
		{ 2, "two", DISP_EMULATE, 0, 0, sys_stub_two },
		{ 3, "three", DISP_TRACE, 0, 0, sys_stub_three },
		{ 4, "four", DISP_KILL, 0, 0, NULL },
		{ 5, "five", DISP_EMULATE, 0, 0, NULL },
		{ 7, "seven", DISP_ERRNO, EPERM, 1, NULL },
		{ 8, "eight", DISP_ERRNO, EACCES, 0, NULL },
		{ 9, "nine", DISP_ERRNO, ENOSYS, 0, NULL },
	};
	size_t n = sizeof(want) / sizeof(want[0]);
	cr_assert_eq(syscall_table_len, n);
	cr_expect_str_eq(syscall_table_arch, "fixture");
	for (size_t i = 0; i < n; i++) {
		const struct syscall_entry *e = &syscall_table[i];
		cr_expect_eq(e->nr, want[i].nr, "row %zu", i);
		cr_expect_str_eq(e->name, want[i].name, "row %zu", i);
		cr_expect_eq(e->disposition, want[i].d, "%s", e->name);
		cr_expect_eq(e->error, want[i].error, "%s", e->name);
		cr_expect_eq(e->audited, want[i].audited, "%s", e->name);
		cr_expect(e->handler == want[i].handler, "%s", e->name);
		cr_expect(syscall_lookup(e->nr) == e, "%s", e->name);
	}
	cr_expect_null(syscall_lookup(6));
	cr_expect_null(syscall_lookup(10));
	cr_expect_null(syscall_lookup(-1));
	cr_expect_str_eq(syscall_name(6), "unknown");
	cr_expect_str_eq(syscall_name(2), "two");
	cr_expect_eq(syscall_lookup(2)->handler(NULL, NULL), 2);
}
