#include <string.h>

#include "bpf_interp.h"

static int fail(const char **error, const char *why)
{
	*error = why;
	return -1;
}

static int alu(uint16_t op, uint32_t *a, uint32_t operand, const char **error)
{
	switch (op) {
	case BPF_ADD: *a += operand; return 0;
	case BPF_SUB: *a -= operand; return 0;
	case BPF_MUL: *a *= operand; return 0;
	case BPF_DIV:
		if (!operand)
			return fail(error, "division by zero");
		*a /= operand;
		return 0;
	case BPF_MOD:
		if (!operand)
			return fail(error, "modulo by zero");
		*a %= operand;
		return 0;
	case BPF_AND: *a &= operand; return 0;
	case BPF_OR: *a |= operand; return 0;
	case BPF_XOR: *a ^= operand; return 0;
	case BPF_LSH:
	case BPF_RSH:
		if (operand >= 32)
			return fail(error, "shift of 32 bits or more");
		*a = op == BPF_LSH ? *a << operand : *a >> operand;
		return 0;
	case BPF_NEG: *a = -*a; return 0;
	}
	return fail(error, "unknown ALU operation");
}

static int jump_taken(uint16_t op, uint32_t a, uint32_t operand, int *taken)
{
	switch (op) {
	case BPF_JEQ: *taken = a == operand; return 0;
	case BPF_JGT: *taken = a > operand; return 0;
	case BPF_JGE: *taken = a >= operand; return 0;
	case BPF_JSET: *taken = (a & operand) != 0; return 0;
	}
	return -1;
}

int bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
	    uint32_t *ret, const char **error)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS];
	unsigned written = 0; /* bit i: mem[i] was stored on this path */

	if (len == 0 || len > BPF_MAXINSNS)
		return fail(error, "bad program length");
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		uint16_t cls = BPF_CLASS(in->code);
		switch (cls) {
		case BPF_LD:
		case BPF_LDX: {
			uint32_t v;
			if (BPF_MODE(in->code) == BPF_ABS && cls == BPF_LD && BPF_SIZE(in->code) == BPF_W) {
				if (in->k % 4 || in->k > sizeof(*data) - 4)
					return fail(error, "load outside seccomp_data");
				memcpy(&v, (const char *)data + in->k, 4);
			} else if (BPF_MODE(in->code) == BPF_MEM) {
				if (in->k >= BPF_MEMWORDS || !(written & (1u << in->k)))
					return fail(error, "load of an unset memory slot");
				v = mem[in->k];
			} else if (BPF_MODE(in->code) == BPF_IMM) {
				v = in->k;
			} else if (BPF_MODE(in->code) == BPF_LEN && BPF_SIZE(in->code) == BPF_W) {
				v = sizeof(*data);
			} else {
				return fail(error, "unsupported load");
			}
			if (cls == BPF_LD)
				a = v;
			else
				x = v;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				return fail(error, "store outside memory");
			mem[in->k] = cls == BPF_ST ? a : x;
			written |= 1u << in->k;
			break;
		case BPF_ALU:
			if (BPF_OP(in->code) == BPF_NEG && BPF_SRC(in->code) != BPF_K)
				return fail(error, "unsupported ALU operation");
			if (alu(BPF_OP(in->code), &a, BPF_SRC(in->code) == BPF_X ? x : in->k, error))
				return -1;
			break;
		case BPF_JMP: {
			size_t target;
			if (BPF_OP(in->code) == BPF_JA) {
				if (BPF_SRC(in->code) != BPF_K)
					return fail(error, "unsupported jump");
				target = pc + 1 + in->k;
			} else {
				int taken;
				uint32_t operand = BPF_SRC(in->code) == BPF_X ? x : in->k;
				if (jump_taken(BPF_OP(in->code), a, operand, &taken))
					return fail(error, "unknown jump");
				target = pc + 1 + (taken ? in->jt : in->jf);
			}
			if (target >= len)
				return fail(error, "jump past the end");
			pc = target - 1;
			break;
		}
		case BPF_RET:
			if (BPF_RVAL(in->code) == BPF_K)
				*ret = in->k;
			else if (BPF_RVAL(in->code) == BPF_A)
				*ret = a;
			else
				return fail(error, "unsupported return");
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else if (BPF_MISCOP(in->code) == BPF_TXA)
				a = x;
			else
				return fail(error, "unknown misc operation");
			break;
		default:
			return fail(error, "unknown instruction class");
		}
	}
	return fail(error, "ran off the end of the program");
}
