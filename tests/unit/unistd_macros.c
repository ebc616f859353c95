/* Preprocessed with -dM to list the syscall numbers the kernel headers
 * define for the target architecture. */
#include <asm/unistd.h>
