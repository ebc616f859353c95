/* Copying arguments in from a task's memory, and decoding them, as the
 * kernel would: the sentry reads its own process here. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../syscalls/exec.h"
#include "../../syscalls/pids.h"
#include "task.h"

static struct task self;

static void setup(void) { self.tid = self.tgid = getpid(); }

TestSuite(decode, .init = setup);

/* A page followed by an unmapped one, for strings that end at the edge. */
static char *page_before_hole(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(p, MAP_FAILED);
	cr_assert_eq(munmap(p + page, (size_t)page), 0);
	return p;
}

Test(decode, string_ending_at_the_last_byte_of_a_page)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = page_before_hole();
	char *s = p + page - 6;
	memcpy(s, "hello", 6);
	char buf[64];
	cr_assert_eq(task_read_string(&self, (uint64_t)(uintptr_t)s, buf, sizeof(buf)), 5);
	cr_assert_str_eq(buf, "hello");
}

Test(decode, string_running_into_an_unmapped_page_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = page_before_hole();
	memset(p + page - 4, 'x', 4);
	char buf[64];
	cr_assert_eq(task_read_string(&self, (uint64_t)(uintptr_t)(p + page - 4), buf, sizeof(buf)), -EFAULT);
}

Test(decode, string_without_nul_within_the_limit_is_too_long)
{
	char big[300];
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = 0;
	char buf[300];
	cr_assert_eq(task_read_string(&self, (uint64_t)(uintptr_t)big, buf, 256), -ENAMETOOLONG);
	cr_assert_eq(task_read_string(&self, (uint64_t)(uintptr_t)big, buf, sizeof(buf)), 299);
}

Test(decode, bad_pointers_are_efault)
{
	char buf[16];
	cr_assert_eq(task_read_string(&self, 0, buf, sizeof(buf)), -EFAULT);
	cr_assert_eq(task_read_string(&self, 1, buf, sizeof(buf)), -EFAULT);
	cr_assert_eq(task_read_mem(&self, 0xffff800000000000ull, buf, sizeof(buf)), -EFAULT);
	cr_assert_eq(task_write_mem(&self, 8, buf, sizeof(buf)), -EFAULT);
}

Test(decode, partial_reads_are_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = page_before_hole();
	char buf[16];
	cr_assert_eq(task_read_mem(&self, (uint64_t)(uintptr_t)(p + page - 8), buf, sizeof(buf)), -EFAULT);
	cr_assert_eq(task_read_mem(&self, (uint64_t)(uintptr_t)(p + page - 16), buf, sizeof(buf)), 16);
}

Test(decode, pid_arguments_are_their_low_32_bits)
{
	cr_assert_eq(pid_arg(0x5a5a5a5a00000007ull), 7);
	cr_assert_eq(pid_arg(0xffffffffull), -1);
	cr_assert_eq(pid_arg(0x80000000ull), (pid_t)0x80000000u);
}

static void shebang(const char *text, const char *want_interp, const char *want_arg)
{
	char line[256];
	snprintf(line, sizeof(line), "%s", text);
	char *interp, *arg;
	cr_assert_eq(parse_shebang(line, strlen(line), &interp, &arg), 0, "%s", text);
	cr_assert_str_eq(interp, want_interp, "%s", text);
	if (want_arg)
		cr_assert_str_eq(arg, want_arg, "%s", text);
	else
		cr_assert_null(arg, "%s", text);
}

Test(decode, shebang_lines_split_as_linux_splits_them)
{
	shebang("#!/bin/sh\necho", "/bin/sh", NULL);
	shebang("#! /usr/bin/env python3\n", "/usr/bin/env", "python3");
	shebang("#!/bin/sh -e -x\n", "/bin/sh", "-e -x");
	shebang("#!/bin/sh \t \n", "/bin/sh", NULL);
	shebang("#!\t/bin/awk\t-f  \n", "/bin/awk", "-f");
	shebang("#!/no/newline", "/no/newline", NULL);
}

Test(decode, shebang_without_interpreter_is_enoexec)
{
	char a[] = "#!\n", b[] = "#!   \n";
	char *interp, *arg;
	cr_assert_eq(parse_shebang(a, strlen(a), &interp, &arg), -ENOEXEC);
	cr_assert_eq(parse_shebang(b, strlen(b), &interp, &arg), -ENOEXEC);
}
