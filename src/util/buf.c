/* buf: see buf.h. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "errors.h"
#include "arena.h"

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->size = 0;
	b->max = max;
	b->secret = false;
}

void buf_release(struct buf *b)
{
	bool secret = b->secret;
	free(b->data);
	buf_init(b, b->max);
	b->secret = secret;
}

void buf_release_wipe(struct buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->size);
	buf_release(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Makes room for n more bytes plus the NUL. */
static int buf_reserve(struct buf *b, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return VD_ERR_TOOBIG;
	size_t need = b->len + n + 1;
	if (need <= b->size)
		return VD_OK;
	size_t size = b->size ? b->size : 256;
	while (size < need)
		size *= 2;
	if (size > b->max + 1)
		size = b->max + 1;
	char *p;
	if (b->secret) {
		/* realloc may leave the old bytes in freed memory: copy and wipe instead */
		p = malloc(size);
		if (!p)
			return VD_ERR_NOMEM;
		if (b->data) {
			memcpy(p, b->data, b->len + 1);
			sodium_memzero(b->data, b->size);
			free(b->data);
		}
	} else {
		p = realloc(b->data, size);
		if (!p)
			return VD_ERR_NOMEM;
	}
	b->data = p;
	b->size = size;
	return VD_OK;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return VD_OK;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return VD_ERR_INVALID;
	int rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return VD_OK;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *buf_take(struct buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	bool secret = b->secret;
	buf_init(b, b->max);
	b->secret = secret;
	return p;
}

int buf_put_lp(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > 0xffffffffu)
		return VD_ERR_TOOBIG;
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8),
				 (unsigned char)n };
	size_t before = b->len;
	int rc = buf_append(b, len, 4);
	if (rc == VD_OK && (rc = buf_append(b, s ? s : "", n)) != VD_OK)
		b->len = before; /* all or nothing */
	return rc;
}

int lp_read(struct arena *a, const unsigned char **p, const unsigned char *end, const char **out)
{
	if (end - *p < 4)
		return VD_ERR_STORE;
	size_t n = (size_t)(*p)[0] << 24 | (size_t)(*p)[1] << 16 | (size_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < n)
		return VD_ERR_STORE;
	*out = arena_strndup(a, (const char *)*p, n);
	*p += n;
	return *out ? VD_OK : VD_ERR_NOMEM;
}
