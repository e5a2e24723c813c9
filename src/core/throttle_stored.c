/*
 * throttle_stored: the failure counters kept in the store (throttle.h), for
 * the kinds counted per account. The policy is throttle.c's; the counter is
 * a row read and written in one write transaction, so tries sent at once,
 * to one server or to several, are counted one after another.
 */
#include <stdint.h>
#include <string.h>

#include "../util/errors.h"
#include "internal/app.h"
#include "internal/throttle.h"

#define LONGEST_WINDOW 3600 /* TH_ACCOUNT's and TH_FACTOR's */
/* A try that cannot be counted (the store busy or down) waits this long
 * rather than go uncounted: guesses never pass while counting fails. */
#define STORE_DOWN_WAIT 5

_Static_assert(STORE_THROTTLE_KEY_LEN == CRYPTO_MAC_LEN, "a throttle key is a MAC");

/* The counter of k as it stands at now: a fresh one if there is none or it ran out. */
static int load(struct store *s, enum throttle_kind kind, const struct throttle_key *k, int64_t now,
		struct throttle_rec *r)
{
	int rc = s->ops->throttle_get(s, k->h, r);
	if (rc == VD_ERR_NOTFOUND || (rc == VD_OK && throttle_expired(kind, r->first_at, r->last_at, now))) {
		memcpy(r->key, k->h, sizeof r->key);
		r->count = 0;
		r->first_at = r->last_at = now;
		rc = VD_OK;
	}
	return rc;
}

int64_t throttle_stored_wait(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now)
{
	struct throttle_rec r;
	if (load(vd->store, kind, k, now, &r) != VD_OK)
		return STORE_DOWN_WAIT;
	return throttle_left(kind, r.count, r.first_at, r.last_at, now);
}

/* A failure counted, with try: only if the way is clear now (*left 0). */
static void count(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now, bool try,
		  int64_t *left)
{
	struct store *s = vd->store;
	struct throttle_rec r;
	*left = try ? STORE_DOWN_WAIT : 0; /* till the try is counted */
	int rc = s->ops->begin(s);
	if (rc)
		return;
	rc = load(s, kind, k, now, &r);
	if (rc == VD_OK)
		*left = 0;
	if (rc == VD_OK && try)
		*left = throttle_left(kind, r.count, r.first_at, r.last_at, now);
	if (rc == VD_OK && *left == 0) {
		if (r.count < 1000000)
			r.count++;
		r.last_at = now;
		rc = s->ops->throttle_put(s, &r);
	}
	if (app_end(vd, rc, 0) != VD_OK && try)
		*left = STORE_DOWN_WAIT; /* not counted: not let through either */
}

void throttle_stored_fail(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now)
{
	int64_t unused;
	count(vd, kind, k, now, false, &unused);
}

int64_t throttle_stored_try(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now)
{
	int64_t left;
	count(vd, kind, k, now, true, &left);
	return left;
}

void throttle_stored_undo(struct vd *vd, const struct throttle_key *k)
{
	struct store *s = vd->store;
	struct throttle_rec r;
	if (s->ops->begin(s) != VD_OK)
		return;
	int rc = s->ops->throttle_get(s, k->h, &r);
	if (rc == VD_OK && r.count > 0) {
		r.count--;
		rc = s->ops->throttle_put(s, &r);
	}
	app_end(vd, rc == VD_ERR_NOTFOUND ? VD_OK : rc, 0);
}

void throttle_stored_clear(struct vd *vd, const struct throttle_key *k)
{
	vd->store->ops->throttle_delete(vd->store, k->h);
}

void throttle_stored_purge(struct vd *vd, int64_t now)
{
	vd->store->ops->throttle_purge(vd->store, now - LONGEST_WINDOW);
}

void throttle_stored_forget_all(struct vd *vd)
{
	vd->store->ops->throttle_purge(vd->store, INT64_MAX);
}
