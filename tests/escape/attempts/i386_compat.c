/* The i386 entry from 32-bit code: a far call to the compat code segment
 * (0x23) runs int $0x80 open/read/write of the secret in 32-bit mode,
 * then returns to 64-bit mode with a far return through 0x33. */
#include "esc.h"

/* Global, so the 32-bit code can name them. */
char compat_path[4096] __attribute__((used));
char compat_buf[4096] __attribute__((used));
unsigned int compat_results[3] __attribute__((used));
unsigned long compat_saved_rsp __attribute__((used));

/* 32-bit code: open(path), read(fd, buf), write(1, buf, n), stores the
 * three results, then lret back to the 64-bit caller. */
extern void compat_body(void);
__asm__(
	".code32\n"
	"compat_body:\n"
	"  movl $0x2b, %eax\n" /* __USER_DS: DS is null in 64-bit mode */
	"  movl %eax, %ds\n"
	"  movl %eax, %es\n"
	"  movl $5, %eax\n"
	"  movl $compat_path, %ebx\n"
	"  xorl %ecx, %ecx\n"
	"  xorl %edx, %edx\n"
	"  int $0x80\n"
	"  movl %eax, compat_results\n"
	"  movl %eax, %ebx\n"
	"  movl $3, %eax\n"
	"  movl $compat_buf, %ecx\n"
	"  movl $4095, %edx\n"
	"  int $0x80\n"
	"  movl %eax, compat_results+4\n"
	"  movl %eax, %edx\n"
	"  movl $4, %eax\n"
	"  movl $1, %ebx\n"
	"  movl $compat_buf, %ecx\n"
	"  int $0x80\n"
	"  movl %eax, compat_results+8\n"
	"  lret\n"
	".code64\n");

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	snprintf(compat_path, sizeof(compat_path), "%s", arg("secret"));
	say("far call into the compat code segment, then int $0x80 open(%s)\n", compat_path);
	/* The stack must sit below 4 GiB for 32-bit code: use a static one. */
	static char stack[65536] __attribute__((aligned(16)));
	static struct { unsigned int off; unsigned short sel; } __attribute__((packed)) target;
	target.off = (unsigned int)(unsigned long)compat_body;
	target.sel = 0x23;
	__asm__ volatile(
		"movq %%rsp, compat_saved_rsp(%%rip)\n"
		"movq %1, %%rsp\n"
		"lcall *%0\n"
		"movq compat_saved_rsp(%%rip), %%rsp\n"
		: : "m"(target), "r"(stack + sizeof(stack) - 64)
		: "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory");
	say("\nopen %d, read %d, write %d\n", (int)compat_results[0], (int)compat_results[1], (int)compat_results[2]);
	return 0;
}
