/*
 * fuzz_common.h: helpers shared by the libFuzzer drivers in tests/fuzz/.
 *
 * CHECK() aborts with a message when an invariant does not hold, so libFuzzer
 * records the input as a crash (the same as a sanitizer report).
 */
#ifndef VD_FUZZ_COMMON_H
#define VD_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, \
				__LINE__);                                                  \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* A heap copy of data with a NUL after it (for functions that want a C string;
 * the string ends at the first NUL byte of the input, as it would in C). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A heap copy of exactly size bytes, no terminator: for functions that take a
 * length, so AddressSanitizer catches any read past the end. */
static inline char *fuzz_exact(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	return s;
}

#endif
