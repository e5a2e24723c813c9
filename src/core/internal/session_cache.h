/*
 * internal/session_cache: the staff sessions checked in the last second, so
 * that a staff page needs no database read to know who asks (issue 14; the
 * profile is in bench/README.md).
 *
 * An entry answers for at most SESSION_CACHE_MS, and only while this
 * process has written nothing since it was filled: app_end and every
 * session write call session_cache_forget once the write is in (a reader
 * that saw the row before it read the epoch before it too, and what it
 * puts is not used), so a logout, a password or role change, a disabled
 * account acts on the next request. A change made by another process
 * (the command line, or a second server on one database) acts within
 * SESSION_CACHE_MS. An entry holds what the sessions and users rows hold
 * (the wrapped key, never the token or a key in the clear), keyed by the
 * token's keyed hash; a freed entry is wiped.
 */
#ifndef VD_INTERNAL_SESSION_CACHE_H
#define VD_INTERNAL_SESSION_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../store/store.h"
#include "../../util/arena.h"
#include "../accounts.h"

#define SESSION_CACHE_MS 1000
#define SESSION_CACHE_SLOTS 64

struct session_cache;

struct session_cache *session_cache_new(void);
void session_cache_free(struct session_cache *c);

/* What may be put later: read it before the store read that fills an entry,
 * so that a write between the two leaves the entry unused. */
uint64_t session_cache_epoch(struct session_cache *c);

/* The session and its account for hash, if an entry answers for it; the
 * account's texts are copied into a. */
bool session_cache_get(struct session_cache *c, const unsigned char hash[STORE_TOKEN_HASH_LEN], struct arena *a,
		       struct session_rec *r, struct account *acc);

/* Remembers what the store said at epoch (ignored if the epoch moved on,
 * or a text does not fit). */
void session_cache_put(struct session_cache *c, uint64_t epoch, const struct session_rec *r,
		       const struct account *acc);

/* Something was written: no entry answers any more. */
void session_cache_forget(struct session_cache *c);

#endif
