/* session_cache: see internal/session_cache.h. */
#include "internal/session_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../crypto/crypto.h"

#define TEXT_MAX 256

struct entry {
	bool used;
	uint64_t epoch;
	int64_t until_ms; /* monotonic: the tests' frozen clock_now() must not keep it */
	struct session_rec r;
	struct account acc; /* email and name point into the arrays below */
	char email[TEXT_MAX];
	char name[TEXT_MAX];
};

struct session_cache {
	pthread_mutex_t lock;
	uint64_t epoch;
	struct entry slots[SESSION_CACHE_SLOTS];
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The token hash is a keyed hash: its first byte spreads the entries. */
static struct entry *slot_of(struct session_cache *c, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
	return &c->slots[hash[0] % SESSION_CACHE_SLOTS];
}

struct session_cache *session_cache_new(void)
{
	struct session_cache *c = calloc(1, sizeof *c);
	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void session_cache_free(struct session_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	crypto_wipe(c, sizeof *c);
	free(c);
}

uint64_t session_cache_epoch(struct session_cache *c)
{
	pthread_mutex_lock(&c->lock);
	uint64_t e = c->epoch;
	pthread_mutex_unlock(&c->lock);
	return e;
}

bool session_cache_get(struct session_cache *c, const unsigned char hash[STORE_TOKEN_HASH_LEN], struct arena *a,
		       struct session_rec *r, struct account *acc)
{
	bool hit = false;
	pthread_mutex_lock(&c->lock);
	struct entry *e = slot_of(c, hash);
	if (e->used && e->epoch == c->epoch && now_ms() < e->until_ms &&
	    crypto_equal(e->r.token_hash, hash, STORE_TOKEN_HASH_LEN)) {
		*r = e->r;
		*acc = e->acc;
		acc->email = arena_strdup(a, e->email);
		acc->name = arena_strdup(a, e->name);
		hit = acc->email && acc->name;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void session_cache_put(struct session_cache *c, uint64_t epoch, const struct session_rec *r,
		       const struct account *acc)
{
	if (strlen(acc->email) >= TEXT_MAX || strlen(acc->name) >= TEXT_MAX)
		return;
	pthread_mutex_lock(&c->lock);
	if (epoch == c->epoch) {
		struct entry *e = slot_of(c, r->token_hash);
		e->used = true;
		e->epoch = epoch;
		e->until_ms = now_ms() + SESSION_CACHE_MS;
		e->r = *r;
		e->acc = *acc;
		strcpy(e->email, acc->email);
		strcpy(e->name, acc->name);
		e->acc.email = e->email;
		e->acc.name = e->name;
	}
	pthread_mutex_unlock(&c->lock);
}

void session_cache_forget(struct session_cache *c)
{
	pthread_mutex_lock(&c->lock);
	c->epoch++;
	/* the entries of older epochs answer no more; wipe them as well */
	for (size_t i = 0; i < SESSION_CACHE_SLOTS; i++)
		if (c->slots[i].used)
			crypto_wipe(&c->slots[i], sizeof c->slots[i]);
	pthread_mutex_unlock(&c->lock);
}
