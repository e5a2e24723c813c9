/* throttle: see throttle.h. Fixed-size tables with short linear probing; the
 * oldest entry in a full neighbourhood is forgotten. */

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "vd.h"
#include "internal/throttle.h"

#define SLOTS 4096
#define PROBE 8

struct slot {
	unsigned char key[CRYPTO_MAC_LEN];
	int used;
	int count;          /* failures in the window / in a row */
	int64_t first_at;   /* start of the window (TH_SOURCE) */
	int64_t last_at;    /* last failure */
};

struct policy {
	const char *domain;
	bool fixed_window;  /* a fixed window from the first failure, else a backoff */
	int free_failures;  /* failures before any wait */
	int64_t max_wait;   /* cap on the wait, seconds */
	int64_t window;     /* TH_SOURCE: fixed window; others: forget after this long */
};

static struct policy policies[TH_KINDS] = {
	[TH_SOURCE] = { "throttle-source", true, 20, 600, 600 },
	[TH_PAIR] = { "throttle-pair", false, 5, 300, 3600 },
	[TH_ACCOUNT] = { "throttle-account", false, 30, 900, 3600 },
	[TH_CODE] = { "throttle-code", true, 10, 600, 600 },
	[TH_REPORT] = { "throttle-report", true, 20, 3600, 3600 },
	[TH_FACTOR] = { "throttle-factor", false, 5, 900, 3600 },
};

static struct slot tables[TH_KINDS][SLOTS];

void throttle_set_allowance(enum throttle_kind kind, int n)
{
	if (kind < TH_KINDS && n > 0)
		policies[kind].free_failures = n;
}
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void throttle_key(const unsigned char *secret, enum throttle_kind kind, const void *a, size_t an,
		  const void *b, size_t bn, struct throttle_key *out)
{
	unsigned char buf[600];
	size_t n = 0;
	if (an > 290)
		an = 290;
	if (bn > 290)
		bn = 290;
	memcpy(buf, a, an);
	n += an;
	buf[n++] = 0;
	if (bn)
		memcpy(buf + n, b, bn);
	n += bn;
	crypto_mac(secret, policies[kind].domain, buf, n, out->h);
	crypto_wipe(buf, sizeof buf);
}

static bool expired(enum throttle_kind kind, const struct slot *s, int64_t now)
{
	return throttle_expired(kind, s->first_at, s->last_at, now);
}

bool throttle_expired(enum throttle_kind kind, int64_t first_at, int64_t last_at, int64_t now)
{
	const struct policy *p = &policies[kind];
	return p->fixed_window ? now - first_at >= p->window : now - last_at >= p->window;
}

int64_t throttle_left(enum throttle_kind kind, int64_t count, int64_t first_at, int64_t last_at, int64_t now)
{
	const struct policy *p = &policies[kind];
	if (count < p->free_failures)
		return 0;
	int64_t left;
	if (p->fixed_window) {
		left = first_at + p->window - now;
	} else {
		int64_t shift = count - p->free_failures;
		int64_t wait = shift >= 20 ? p->max_wait : (int64_t)1 << shift;
		left = last_at + (wait > p->max_wait ? p->max_wait : wait) - now;
	}
	return left > 0 ? left : 0;
}

/* A slot that may be reused: never used, or its counter has run out. */
static bool reusable(enum throttle_kind kind, const struct slot *s, int64_t now)
{
	return !s->used || expired(kind, s, now);
}

/* The slot holding k, or NULL; with create, a reusable slot in the
 * neighbourhood, else the one whose last failure is oldest. */
static struct slot *find(enum throttle_kind kind, const struct throttle_key *k, int64_t now, bool create)
{
	size_t start = ((size_t)k->h[0] | (size_t)k->h[1] << 8 | (size_t)k->h[2] << 16) % SLOTS;
	struct slot *victim = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		struct slot *s = &tables[kind][(start + i) % SLOTS];
		if (s->used && crypto_equal(s->key, k->h, CRYPTO_MAC_LEN)) {
			if (expired(kind, s, now)) {
				s->count = 0;
				s->first_at = now;
			}
			return s;
		}
		if (!victim)
			victim = s;
		else if (!reusable(kind, victim, now) &&
			 (reusable(kind, s, now) || s->last_at < victim->last_at))
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof *victim);
	memcpy(victim->key, k->h, CRYPTO_MAC_LEN);
	victim->used = 1;
	victim->first_at = now;
	victim->last_at = now;
	return victim;
}

int64_t throttle_wait(enum throttle_kind kind, const struct throttle_key *k, int64_t now)
{
	int64_t left = 0;
	pthread_mutex_lock(&lock);
	struct slot *s = find(kind, k, now, false);
	if (s)
		left = throttle_left(kind, s->count, s->first_at, s->last_at, now);
	pthread_mutex_unlock(&lock);
	return left;
}

void throttle_fail(enum throttle_kind kind, const struct throttle_key *k, int64_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(kind, k, now, true);
	if (s->count < 1000000)
		s->count++;
	s->last_at = now;
	pthread_mutex_unlock(&lock);
}

void throttle_clear(enum throttle_kind kind, const struct throttle_key *k)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(kind, k, 0, false);
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&lock);
}

void throttle_reset_all(void)
{
	pthread_mutex_lock(&lock);
	memset(tables, 0, sizeof tables);
	pthread_mutex_unlock(&lock);
}
