@ A 32-bit arm (AArch32, EABI) program without libc: writes one line with
@ the EABI write call (r7 = 4, svc 0), then exits 42 (r7 = 1). Assembled and
@ linked statically by .ci/aarch64-qemu with binutils for arm-linux-gnueabihf;
@ tests.list runs it natively (the guest's CPU and kernel run AArch32) and
@ inside the sentry, where it must not run.
	.syntax unified
	.arm
	.text
	.globl _start
_start:
	mov	r0, #1			@ fd: stdout
	ldr	r1, =message
	ldr	r2, =message_len
	mov	r7, #4			@ write
	svc	#0
	mov	r0, #42			@ status
	mov	r7, #1			@ exit
	svc	#0
	b	_start			@ not reached

	.section .rodata
message:
	.ascii	"hello from 32-bit arm\n"
	.set	message_len, . - message
