/* The PostgreSQL store's failure counters: as the SQLite store's (store_throttle.c). */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

static int read_throttle(struct arena *a, const PGresult *r, int row, void *item)
{
	(void)a;
	struct throttle_rec *t = item;
	if (!pg_get_exact(r, row, 0, t->key, STORE_THROTTLE_KEY_LEN))
		return VD_ERR_STORE;
	t->count = pg_get_int(r, row, 1);
	t->first_at = pg_get_int(r, row, 2);
	t->last_at = pg_get_int(r, row, 3);
	return VD_OK;
}

int pg_throttle_get(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN], struct throttle_rec *out)
{
	memset(out, 0, sizeof *out);
	struct pg_params p = { 0 };
	pg_blob(&p, key, STORE_THROTTLE_KEY_LEN);
	return pg_one(s, NULL, "SELECT key, count, first_at, last_at FROM throttles WHERE key = $1", &p, read_throttle,
		      out);
}

int pg_throttle_put(struct store *s, const struct throttle_rec *r)
{
	struct pg_params p = { 0 };
	pg_blob(&p, r->key, STORE_THROTTLE_KEY_LEN);
	pg_int(&p, r->count);
	pg_int(&p, r->first_at);
	pg_int(&p, r->last_at);
	return pg_exec(s,
		       "INSERT INTO throttles(key, count, first_at, last_at) VALUES($1, $2, $3, $4)"
		       " ON CONFLICT (key) DO UPDATE SET count = EXCLUDED.count, first_at = EXCLUDED.first_at,"
		       " last_at = EXCLUDED.last_at",
		       &p);
}

int pg_throttle_delete(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN])
{
	struct pg_params p = { 0 };
	pg_blob(&p, key, STORE_THROTTLE_KEY_LEN);
	return pg_exec(s, "DELETE FROM throttles WHERE key = $1", &p);
}

int pg_throttle_purge(struct store *s, int64_t before)
{
	struct pg_params p = { 0 };
	pg_int(&p, before);
	return pg_exec(s, "DELETE FROM throttles WHERE last_at < $1", &p);
}
