/*
 * The SQLite store's second factor for staff (issue 12): each user's TOTP
 * secret (sealed by the core), the last step used, the backup codes' keyed
 * hashes, and sessions whose second factor is still due. See store.h.
 */
#include <string.h>

#include "../../util/errors.h"
#include "sqlite_internal.h"

int sq_user_totp_get(struct store *s, struct arena *a, int64_t user_id, struct user_totp_rec *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_prep(s, "SELECT totp_secret, totp_on, totp_last_step FROM users WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sqlite3_step(st);
	bool oom = false;
	if (rc == SQLITE_ROW) {
		out->secret = sq_col_blob(a, st, 0, &out->secret_len, &oom);
		out->on = sqlite3_column_int(st, 1);
		out->last_step = sqlite3_column_int64(st, 2);
	}
	sq_done(s, st);
	if (rc == SQLITE_DONE)
		return VD_ERR_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_map_rc(rc);
	return oom ? VD_ERR_NOMEM : VD_OK;
}

static int totp_put_rows(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
			 const unsigned char (*hashes)[STORE_BACKUP_HASH_LEN], size_t n)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE users SET totp_secret = ?2, totp_on = ?3, totp_last_step = 0 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_blob(st, 2, secret, secret_len);
	sqlite3_bind_int(st, 3, on);
	int rc = sq_exec_change(s, st);
	if (rc == VD_OK && (st = sq_prep(s, "DELETE FROM backup_codes WHERE user_id = ?1")) == NULL)
		rc = VD_ERR_STORE;
	if (rc == VD_OK) {
		sqlite3_bind_int64(st, 1, user_id);
		rc = sq_exec_done(s, st);
	}
	for (size_t i = 0; rc == VD_OK && i < n; i++) {
		st = sq_prep(s, "INSERT INTO backup_codes(user_id, code_hash) VALUES(?1, ?2)");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, user_id);
		sq_bind_blob(st, 2, hashes[i], STORE_BACKUP_HASH_LEN);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

int sq_user_totp_put(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
		     const unsigned char (*hashes)[STORE_BACKUP_HASH_LEN], size_t n)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, totp_put_rows(s, user_id, secret, secret_len, on, hashes, n));
}

int sq_user_totp_use_step(struct store *s, int64_t user_id, int64_t step)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, step);
	return sq_exec_change(s, st);
}

int sq_backup_codes_left(struct store *s, int64_t user_id, int64_t *left)
{
	*left = 0;
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM backup_codes WHERE user_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*left = sqlite3_column_int64(st, 0);
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : sq_map_rc(rc);
}

int sq_backup_code_use(struct store *s, int64_t user_id, const unsigned char hash[STORE_BACKUP_HASH_LEN],
		       int64_t *left)
{
	*left = 0;
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM backup_codes WHERE user_id = ?1 AND code_hash = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_blob(st, 2, hash, STORE_BACKUP_HASH_LEN);
	int rc = sq_exec_change(s, st);
	return rc ? rc : sq_backup_codes_left(s, user_id, left);
}

int sq_session_second_factor_done(struct store *s, const unsigned char *token_hash)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE sessions SET second_factor_due = 0 WHERE token_hash = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	return sq_exec_change(s, st);
}
