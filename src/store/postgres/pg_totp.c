/* pg_totp: the second factor for staff on PostgreSQL (see store_pg.c): each
 * user's TOTP secret (sealed by the core), the last step used, the backup
 * codes' keyed hashes, and sessions whose second factor is still due; the
 * SQLite store's store_totp.c does the same with the same meaning. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

static int read_totp(struct arena *a, const PGresult *r, int i, void *item)
{
	struct user_totp_rec *t = item;
	bool oom = false;
	t->secret = pg_get_blob(a, r, i, 0, &t->secret_len, &oom); /* NULL: no secret */
	if (oom)
		return VD_ERR_NOMEM;
	t->on = (int)pg_get_int(r, i, 1);
	t->last_step = pg_get_int(r, i, 2);
	return VD_OK;
}

int pg_user_totp_get(struct store *s, struct arena *a, int64_t user_id, struct user_totp_rec *out)
{
	memset(out, 0, sizeof *out);
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	return pg_one(s, a, "SELECT totp_secret, totp_on, totp_last_step FROM users WHERE id = $1", &p, read_totp, out);
}

static int totp_put_rows(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
			 const unsigned char (*hashes)[STORE_BACKUP_HASH_LEN], size_t n)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_blob(&p, secret, secret_len);
	pg_int(&p, on);
	int rc = pg_exec_change(s, "UPDATE users SET totp_secret = $2, totp_on = $3, totp_last_step = 0 WHERE id = $1",
				&p);
	struct pg_params u = { 0 };
	pg_int(&u, user_id);
	if (rc == VD_OK)
		rc = pg_exec(s, "DELETE FROM backup_codes WHERE user_id = $1", &u);
	for (size_t i = 0; rc == VD_OK && i < n; i++) {
		struct pg_params q = { 0 };
		pg_int(&q, user_id);
		pg_blob(&q, hashes[i], STORE_BACKUP_HASH_LEN);
		rc = pg_exec(s, "INSERT INTO backup_codes(user_id, code_hash) VALUES($1, $2)", &q);
	}
	return rc;
}

int pg_user_totp_put(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
		     const unsigned char (*hashes)[STORE_BACKUP_HASH_LEN], size_t n)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, totp_put_rows(s, user_id, secret, secret_len, on, hashes, n));
}

int pg_user_totp_use_step(struct store *s, int64_t user_id, int64_t step)
{
	/* only forward: a code of this step or an earlier one never works again */
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, step);
	return pg_exec_change(s, "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2", &p);
}

int pg_backup_codes_left(struct store *s, int64_t user_id, int64_t *left)
{
	*left = 0;
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	return pg_one_int(s, "SELECT count(*) FROM backup_codes WHERE user_id = $1", &p, left);
}

int pg_backup_code_use(struct store *s, int64_t user_id, const unsigned char hash[STORE_BACKUP_HASH_LEN],
		       int64_t *left)
{
	*left = 0;
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_blob(&p, hash, STORE_BACKUP_HASH_LEN);
	int rc = pg_exec_change(s, "DELETE FROM backup_codes WHERE user_id = $1 AND code_hash = $2", &p);
	return rc ? rc : pg_backup_codes_left(s, user_id, left);
}

int pg_session_second_factor_done(struct store *s, const unsigned char *token_hash)
{
	struct pg_params p = { 0 };
	pg_blob(&p, token_hash, STORE_TOKEN_HASH_LEN);
	return pg_exec_change(s, "UPDATE sessions SET second_factor_due = 0 WHERE token_hash = $1", &p);
}
