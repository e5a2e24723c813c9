/*
 * wipe: clearing secrets from memory (passwords, codes, tokens) in a way the
 * compiler may not leave out (libsodium's sodium_memzero), for every layer.
 */
#ifndef VD_WIPE_H
#define VD_WIPE_H

#include <stddef.h>

void wipe(void *p, size_t n);

#endif
