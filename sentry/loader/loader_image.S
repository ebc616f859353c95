/* The built loader as bytes: SENTRY_LOADER_FILE is its path, quoted. */

	.section .rodata, "a"
	.globl	sentry_loader_image
	.type	sentry_loader_image, %object
	.balign	16
sentry_loader_image:
	.incbin	SENTRY_LOADER_FILE
sentry_loader_image_end:
	.size	sentry_loader_image, sentry_loader_image_end - sentry_loader_image

	.globl	sentry_loader_image_size
	.type	sentry_loader_image_size, %object
	.balign	8
sentry_loader_image_size:
	.quad	sentry_loader_image_end - sentry_loader_image
	.size	sentry_loader_image_size, 8

	.section .note.GNU-stack, "", %progbits
