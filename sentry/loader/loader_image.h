/* The loader program, embedded in the sentry (see sentry/loader/loader.c). */
#ifndef SENTRY_LOADER_IMAGE_H
#define SENTRY_LOADER_IMAGE_H

extern const unsigned char sentry_loader_image[];
extern const unsigned long sentry_loader_image_size;

#endif
