/* Process entry and final jump of the loader (aarch64). */

	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, sp			/* loader_main(initial stack: argc) */
	bl	loader_main
	brk	#0
	.size	_start, . - _start

/* loader_jump(entry, sp): enter a program as the kernel would. */
	.globl	loader_jump
	.hidden	loader_jump
	.type	loader_jump, %function
loader_jump:
	mov	sp, x1
	mov	x16, x0
	mov	x0, #0			/* no rtld_fini */
	mov	x1, #0
	mov	x29, #0
	mov	x30, #0
	br	x16
	.size	loader_jump, . - loader_jump

	.section .note.GNU-stack, "", %progbits
