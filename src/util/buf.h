/*
 * buf: a growable byte buffer with a hard maximum size (like curl's dynbuf).
 *
 * Every append either fits under the cap or fails with VD_ERR_TOOBIG and
 * leaves the buffer as it was, so a hostile input can never make us grow
 * without bound. The content is always NUL-terminated for convenience.
 */
#ifndef VD_BUF_H
#define VD_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;  /* owned; NUL-terminated when len > 0 or after any append */
	size_t len;  /* bytes used, not counting the NUL */
	size_t size; /* bytes allocated */
	size_t max;  /* hard cap on len */
	bool secret; /* growing never leaves an unwiped copy behind (set after buf_init) */
};

void buf_init(struct buf *b, size_t max);
/* Frees the memory. If wipe is non-zero the bytes are zeroed first (secrets). */
void buf_release(struct buf *b);
void buf_release_wipe(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps memory */

/* All return 0 or a VD_ERR_* code (vd.h); on error the buffer is unchanged. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Appends s (NULL: "") as a 4-byte big-endian length and its bytes: the
 * encoding of the texts inside an encrypted record. */
int buf_put_lp(struct buf *b, const char *s);

struct arena;
/* Reads one such text at *p (not past end) into the arena and moves *p on.
 * VD_ERR_STORE when it does not fit: a damaged record. */
int lp_read(struct arena *a, const unsigned char **p, const unsigned char *end, const char **out);

/* Hands the data to the caller (who frees it with free()) and resets b. */
char *buf_take(struct buf *b, size_t *len);

#endif
