/* bpf: create a map, load a socket filter, walk the host's program ids. */
#include <linux/bpf.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	CHECK("BPF_MAP_CREATE", syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)));
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (unsigned long)prog;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	CHECK("BPF_PROG_LOAD", syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a)));
	memset(&a, 0, sizeof(a));
	int ids = 0;
	while (ids < 100 && syscall(SYS_bpf, BPF_PROG_GET_NEXT_ID, &a, sizeof(a)) == 0) {
		ids++;
		a.start_id = a.next_id;
	}
	say("host bpf programs seen: %d (%s)\n", ids, res(-1, errno));
	return 0;
}
