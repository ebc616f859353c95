/* modify_ldt: install a 32-bit code segment in the LDT (a way into
 * 32-bit mode and the i386 entry), then read the LDT back. */
#include <asm/ldt.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct user_desc d = {
		.entry_number = 0, .base_addr = 0, .limit = 0xfffff, .seg_32bit = 1,
		.contents = MODIFY_LDT_CONTENTS_CODE, .read_exec_only = 0, .limit_in_pages = 1,
		.seg_not_present = 0, .useable = 1,
	};
	CHECK("modify_ldt write", syscall(SYS_modify_ldt, 1, &d, sizeof(d)));
	char buf[64];
	CHECK("modify_ldt read", syscall(SYS_modify_ldt, 0, buf, sizeof(buf)));
	return 0;
}
