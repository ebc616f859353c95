/* personality: READ_IMPLIES_EXEC and ADDR_NO_RANDOMIZE, the switches an
 * exploit wants, then read the value back. */
#include <sys/personality.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	CHECK("personality(READ_IMPLIES_EXEC|ADDR_NO_RANDOMIZE)", syscall(SYS_personality, READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE));
	CHECK("personality(PER_LINUX32)", syscall(SYS_personality, PER_LINUX32));
	CHECK("personality query", syscall(SYS_personality, 0xffffffff));
	return 0;
}
