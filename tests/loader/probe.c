/*
 * Prints what a program sees of its own start: argv, environment, aux vector
 * and the mappings behind AT_ENTRY, AT_PHDR and AT_BASE. No addresses are
 * printed, so a native run and a run under the loader give the same text.
 */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

extern char _start[];

/* The pathname and file offset of the mapping holding addr, from /proc/self/maps. */
static const char *mapping_of(unsigned long addr, unsigned long *offset)
{
	static char name[4096];
	char line[4096 + 128];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f) {
		perror("probe: /proc/self/maps");
		exit(2);
	}
	strcpy(name, "unmapped");
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi, off;
		int at = 0;

		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %n", &lo, &hi, &off, &at) < 3 || !at)
			continue;
		if (addr < lo || addr >= hi)
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(name, sizeof name, "%s", line[at] ? line + at : "[anonymous]");
		if (offset)
			*offset = off + (addr - lo);
		break;
	}
	fclose(f);
	return name;
}

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	*(const void **)data = info->dlpi_phdr;
	return 1;
}

/* The phdrs at AT_PHDR follow an ELF header whose entry is AT_ENTRY. */
static int phdr_consistent(const Elf64_Phdr *ph, unsigned long phnum, unsigned long entry)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)((const char *)ph - sizeof(Elf64_Ehdr));
	unsigned long bias = 0, i;
	int has_phdr = 0;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_phnum != phnum)
		return 0;
	for (i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_PHDR) {
			bias = (unsigned long)ph - ph[i].p_vaddr;
			has_phdr = 1;
		}
	}
	if (!has_phdr && eh->e_type == ET_DYN)
		for (i = 0; i < phnum; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
				bias = (unsigned long)eh - ph[i].p_vaddr;
				break;
			}
	return bias + eh->e_entry == entry;
}

int main(int argc, char **argv)
{
	unsigned long entry = getauxval(AT_ENTRY);
	unsigned long phdr = getauxval(AT_PHDR);
	unsigned long base = getauxval(AT_BASE);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const void *dl_phdr = 0;
	unsigned long offset = 0;
	struct timespec ts;
	int i;

	printf("argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("argv[argc]=%s\n", argv[argc] ? "set" : "null");
	printf("env=%s\n", getenv("SENTRY_PROBE") ? getenv("SENTRY_PROBE") : "(unset)");
	printf("execfn=%s\n", execfn ? execfn : "(null)");
	printf("entry_map=%s\n", mapping_of(entry, 0));
	printf("entry_is_start=%s\n", entry == (unsigned long)_start ? "yes" : "no");
	printf("phdr_map=%s\n", mapping_of(phdr, 0));
	printf("phent=%lu phnum=%lu\n", getauxval(AT_PHENT), getauxval(AT_PHNUM));
	printf("phdr_consistent=%s\n",
	       phdr_consistent((const Elf64_Phdr *)phdr, getauxval(AT_PHNUM), entry) ? "yes" : "no");
	dl_iterate_phdr(first_object, &dl_phdr);
	printf("phdr_is_dl_phdr=%s\n", dl_phdr == (const void *)phdr ? "yes" : "no");
	if (base) {
		printf("base_map=%s\n", mapping_of(base, &offset));
		printf("base_offset=%lu\n", offset);
	} else {
		printf("base_map=none\n");
	}
	printf("pagesz=%lu hwcap=%#lx\n", getauxval(AT_PAGESZ), getauxval(AT_HWCAP));
	printf("random=%s\n", getauxval(AT_RANDOM) ? "set" : "missing");
	printf("vdso_map=%s\n", getauxval(AT_SYSINFO_EHDR) ?
	       mapping_of(getauxval(AT_SYSINFO_EHDR), 0) : "none");
	printf("clock=%s\n", clock_gettime(CLOCK_MONOTONIC, &ts) == 0 ? "ok" : "failed");
	printf("malloc=%s\n", malloc(1 << 20) ? "ok" : "failed");
	return 0;
}
