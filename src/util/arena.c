/* arena: see arena.h. Blocks grow geometrically; big requests get their own block. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

struct arena_block {
	struct arena_block *next; /* older block */
	size_t size;              /* usable bytes in data */
	size_t off;               /* next free offset in data */
	max_align_t data[];       /* storage; max_align_t keeps it aligned */
};

#define ARENA_MIN_BLOCK 8192u
#define ARENA_ALIGN (_Alignof(max_align_t))

void arena_init(struct arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap ? cap : ARENA_DEFAULT_CAP;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void arena_release_wipe(struct arena *a)
{
	for (struct arena_block *b = a->head; b; b = b->next)
		sodium_memzero(b->data, b->off);
	arena_release(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > a->cap || a->used > a->cap - n)
		return NULL;
	size_t rounded = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
	struct arena_block *b = a->head;
	if (!b || b->size - b->off < rounded) {
		size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
		if (size > 1024u * 1024u)
			size = 1024u * 1024u;
		if (size < rounded)
			size = rounded;
		struct arena_block *nb = malloc(sizeof(*nb) + size);
		if (!nb)
			return NULL;
		nb->size = size;
		nb->off = 0;
		/* A big one-off block goes behind the head so the head keeps its free space. */
		if (b && size == rounded && b->size - b->off > ARENA_MIN_BLOCK / 4) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = (unsigned char *)b->data + b->off;
	b->off += rounded;
	a->used += n;
	memset(p, 0, n);
	return p;
}

void *arena_array(struct arena *a, size_t n, size_t size)
{
	if (!n)
		n = 1;
	if (size && n > SIZE_MAX / size)
		return NULL;
	return arena_alloc(a, n * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
