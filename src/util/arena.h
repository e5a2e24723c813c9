/*
 * arena: a per-request (or per-command) bump allocator.
 *
 * Why: every request allocates many small strings (form fields, rendered
 * fragments, rows read from the store). Freeing them one by one on every
 * error path is where leaks come from, so they all live in one arena that is
 * released at once when the request ends. Memory handed out is zeroed.
 * Allocation failure returns NULL; callers treat it as VD_ERR_NOMEM.
 */
#ifndef VD_ARENA_H
#define VD_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block, where allocations go */
	size_t used;              /* bytes handed out, all blocks */
	size_t cap;               /* hard cap on used; 0 means the default */
};

/* Default cap: a request that needs more than this is refused. */
#define ARENA_DEFAULT_CAP (64u * 1024u * 1024u)

void arena_init(struct arena *a, size_t cap);
/* Frees every block; the arena can be used again afterwards. */
void arena_release(struct arena *a);

/* Same, but zeroes every block first: for arenas that held secrets (a POST
 * body with a password is decoded into the request's arena). */
void arena_release_wipe(struct arena *a);

/* Zeroed memory aligned for any type, owned by the arena. NULL on failure. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed room for n items of size bytes, at least one, so that an empty
 * list still has a pointer to hand out; NULL on failure or overflow. */
void *arena_array(struct arena *a, size_t n, size_t size);
/* Copies n bytes and adds a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena; NULL on failure or if the result exceeds the cap. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
