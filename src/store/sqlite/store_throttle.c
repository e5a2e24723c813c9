/*
 * The SQLite store's failure counters (store.h, throttle_*): one row per
 * keyed hash, so the servers of one database count the same failures.
 */
#include <string.h>

#include "../../util/errors.h"
#include "sqlite_internal.h"

int sq_throttle_get(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN], struct throttle_rec *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_prep(s, "SELECT count, first_at, last_at FROM throttles WHERE key = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, key, STORE_THROTTLE_KEY_LEN, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memcpy(out->key, key, STORE_THROTTLE_KEY_LEN);
		out->count = sqlite3_column_int64(st, 0);
		out->first_at = sqlite3_column_int64(st, 1);
		out->last_at = sqlite3_column_int64(st, 2);
	}
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
}

int sq_throttle_put(struct store *s, const struct throttle_rec *r)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT OR REPLACE INTO throttles(key, count, first_at, last_at) VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, r->key, STORE_THROTTLE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->count);
	sqlite3_bind_int64(st, 3, r->first_at);
	sqlite3_bind_int64(st, 4, r->last_at);
	return sq_exec_done(s, st);
}

int sq_throttle_delete(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN])
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM throttles WHERE key = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, key, STORE_THROTTLE_KEY_LEN, SQLITE_STATIC);
	return sq_exec_done(s, st);
}

int sq_throttle_purge(struct store *s, int64_t before)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM throttles WHERE last_at < ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, before);
	return sq_exec_done(s, st);
}
