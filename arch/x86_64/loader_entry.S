/* Process entry and final jump of the loader (x86_64). */

	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp
	mov	%rsp, %rdi		/* loader_main(initial stack: argc) */
	and	$-16, %rsp
	call	loader_main
	hlt
	.size	_start, . - _start

/* loader_jump(entry, sp): enter a program as the kernel would. */
	.globl	loader_jump
	.hidden	loader_jump
	.type	loader_jump, @function
loader_jump:
	mov	%rsi, %rsp
	xor	%edx, %edx		/* no rtld_fini */
	xor	%ebp, %ebp
	xor	%esi, %esi
	jmp	*%rdi
	.size	loader_jump, . - loader_jump

	.section .note.GNU-stack, "", @progbits
