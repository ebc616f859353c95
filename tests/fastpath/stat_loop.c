/* stat_loop PATH N: stats PATH N times; prints the sum of the sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: stat_loop PATH N\n"), 2;
	long n = atol(argv[2]), sum = 0;
	struct stat st;
	for (long i = 0; i < n; i++)
		if (stat(argv[1], &st) == 0)
			sum += st.st_size;
	printf("%ld\n", sum);
	return 0;
}
