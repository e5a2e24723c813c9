/* pg_accounts: units, users, sessions, settings and counters on
 * PostgreSQL (see store_pg.c); the SQLite store's store_sqlite.c does the
 * same with the same meaning. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- units ------------------------------------------------------------------ */

int pg_unit_insert(struct store *s, const struct unit_rec *u, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_id_or_null(&p, u->parent_id);
	pg_text(&p, u->name);
	pg_text(&p, u->kind);
	pg_int(&p, u->created_at);
	return pg_insert_id(s, "INSERT INTO units(parent_id, name, kind, created_at) VALUES($1, $2, $3, $4)"
			       " RETURNING id", &p, id);
}

int pg_unit_update(struct store *s, const struct unit_rec *u)
{
	struct pg_params p = { 0 };
	pg_int(&p, u->id);
	pg_id_or_null(&p, u->parent_id);
	pg_text(&p, u->name);
	pg_text(&p, u->kind);
	return pg_exec_change(s, "UPDATE units SET parent_id = $2, name = $3, kind = $4 WHERE id = $1", &p);
}

static int unit_delete_rows(struct store *s, int64_t id)
{
	/* a counsellor's log names its unit by number, without a foreign key */
	struct pg_params p = { 0 };
	pg_int(&p, id);
	int64_t uses;
	int rc = pg_one_int(s, "SELECT (SELECT count(*) FROM units WHERE parent_id = $1)"
			       " + (SELECT count(*) FROM user_units WHERE unit_id = $1)"
			       " + (SELECT count(*) FROM counsellor_log WHERE unit_id = $1)", &p, &uses);
	if (rc)
		return rc;
	if (uses > 0)
		return VD_ERR_INUSE;
	return pg_exec_delete(s, "DELETE FROM units WHERE id = $1", &p);
}

int pg_unit_delete(struct store *s, int64_t id)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, unit_delete_rows(s, id));
}

static int read_unit(struct arena *a, const PGresult *r, int i, void *item)
{
	struct unit_rec *u = item;
	u->id = pg_get_int(r, i, 0);
	u->parent_id = pg_get_int(r, i, 1);
	u->name = pg_get_text(a, r, i, 2);
	u->kind = pg_get_text(a, r, i, 3);
	return u->name && u->kind ? VD_OK : VD_ERR_NOMEM;
}

int pg_unit_list(struct store *s, struct arena *a, struct unit_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, "SELECT id, coalesce(parent_id, 0), name, kind FROM units ORDER BY id", NULL,
			 sizeof *out->items, SIZE_MAX, read_unit, &items, &out->n);
	out->items = items;
	return rc;
}

/* ---- users ------------------------------------------------------------------ */

#define USER_COLS "id, email, name, role, password_hash, must_change_password, active, created_at"

/* The user of row i, from column 0 on. */
static int read_user(struct arena *a, const PGresult *r, int i, void *item)
{
	struct user_rec *u = item;
	u->id = pg_get_int(r, i, 0);
	u->email = pg_get_text(a, r, i, 1);
	u->name = pg_get_text(a, r, i, 2);
	u->role = pg_get_text(a, r, i, 3);
	u->password_hash = pg_get_text(a, r, i, 4);
	u->must_change_password = (int)pg_get_int(r, i, 5);
	u->active = (int)pg_get_int(r, i, 6);
	u->created_at = pg_get_int(r, i, 7);
	return (u->email && u->name && u->role && u->password_hash) ? VD_OK : VD_ERR_NOMEM;
}

int pg_user_insert(struct store *s, const struct user_rec *u, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_text(&p, u->email);
	pg_text(&p, u->name);
	pg_text(&p, u->role);
	pg_text(&p, u->password_hash);
	pg_int(&p, u->must_change_password);
	pg_int(&p, u->active);
	pg_int(&p, u->created_at);
	return pg_insert_id(s, "INSERT INTO users(email, name, role, password_hash, must_change_password, active,"
			       " created_at) VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id", &p, id);
}

int pg_user_update(struct store *s, const struct user_rec *u)
{
	struct pg_params p = { 0 };
	pg_int(&p, u->id);
	pg_text(&p, u->email);
	pg_text(&p, u->name);
	pg_text(&p, u->role);
	pg_int(&p, u->active);
	return pg_exec_change(s, "UPDATE users SET email = $2, name = $3, role = $4, active = $5 WHERE id = $1", &p);
}

int pg_user_set_password(struct store *s, int64_t id, const char *hash, int must_change)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_text(&p, hash);
	pg_int(&p, must_change);
	return pg_exec_change(s, "UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1", &p);
}

int pg_user_get(struct store *s, struct arena *a, int64_t id, struct user_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " USER_COLS " FROM users WHERE id = $1", &p, read_user, out);
}

int pg_user_find_email(struct store *s, struct arena *a, const char *email, struct user_rec *out)
{
	struct pg_params p = { 0 };
	pg_text(&p, email);
	return pg_one(s, a, "SELECT " USER_COLS " FROM users WHERE vd_fold(email) = vd_fold($1)", &p, read_user, out);
}

int pg_user_list(struct store *s, struct arena *a, struct user_recs *out)
{
	void *items;
	/* bytes after ASCII case folding, as SQLite's NOCASE */
	int rc = pg_rows(s, a, "SELECT " USER_COLS " FROM users ORDER BY vd_fold(name) COLLATE \"C\", id", NULL,
			 sizeof *out->items, SIZE_MAX, read_user, &items, &out->n);
	out->items = items;
	return rc;
}

static int user_units_set_rows(struct store *s, int64_t user_id, const struct id_list *units)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	int rc = pg_exec(s, "DELETE FROM user_units WHERE user_id = $1", &p);
	for (size_t i = 0; rc == VD_OK && i < units->n; i++) {
		struct pg_params q = { 0 };
		pg_int(&q, user_id);
		pg_int(&q, units->ids[i]);
		rc = pg_exec(s, "INSERT INTO user_units(user_id, unit_id) VALUES($1, $2) ON CONFLICT DO NOTHING", &q);
	}
	return rc;
}

int pg_user_units_set(struct store *s, int64_t user_id, const struct id_list *units)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, user_units_set_rows(s, user_id, units));
}

int pg_user_units_get(struct store *s, struct arena *a, int64_t user_id, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	return pg_ids(s, a, "SELECT unit_id FROM user_units WHERE user_id = $1 ORDER BY unit_id", &p, out);
}

/* ---- counsellor profiles ------------------------------------------------------ */

int pg_profile_put(struct store *s, const struct profile_rec *p)
{
	struct pg_params q = { 0 };
	pg_int(&q, p->user_id);
	pg_int(&q, p->external);
	pg_text(&q, p->region);
	pg_text(&q, p->phone);
	pg_text(&q, p->public_email);
	pg_text(&q, p->languages);
	pg_text(&q, p->intro);
	return pg_exec(s, "INSERT INTO counsellor_profiles(user_id, external, region, phone, public_email, languages,"
			  " intro) VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(user_id) DO UPDATE SET external = $2,"
			  " region = $3, phone = $4, public_email = $5, languages = $6, intro = $7", &q);
}

/* A profile's columns, the last six of the row: external, region, phone,
 * public_email, languages, intro. */
static int read_profile(struct arena *a, const PGresult *r, int i, void *item)
{
	struct profile_rec *p = item;
	int col = PQnfields(r) - 6;
	p->external = (int)pg_get_int(r, i, col);
	p->region = pg_get_text(a, r, i, col + 1);
	p->phone = pg_get_text(a, r, i, col + 2);
	p->public_email = pg_get_text(a, r, i, col + 3);
	p->languages = pg_get_text(a, r, i, col + 4);
	p->intro = pg_get_text(a, r, i, col + 5);
	return (p->region && p->phone && p->public_email && p->languages && p->intro) ? VD_OK : VD_ERR_NOMEM;
}

int pg_profile_get(struct store *s, struct arena *a, int64_t user_id, struct profile_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	out->user_id = user_id;
	return pg_one(s, a, "SELECT external, region, phone, public_email, languages, intro FROM counsellor_profiles"
			    " WHERE user_id = $1", &p, read_profile, out);
}

static int read_counsellor(struct arena *a, const PGresult *r, int i, void *item)
{
	struct counsellor_rec *c = item;
	c->user_id = pg_get_int(r, i, 0);
	c->name = pg_get_text(a, r, i, 1);
	c->profile.user_id = c->user_id;
	return c->name ? read_profile(a, r, i, &c->profile) : VD_ERR_NOMEM;
}

int pg_counsellor_list(struct store *s, struct arena *a, struct counsellor_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, "SELECT u.id, u.name, coalesce(p.external, 0), coalesce(p.region, ''),"
			       " coalesce(p.phone, ''), coalesce(p.public_email, ''), coalesce(p.languages, ''),"
			       " coalesce(p.intro, '') FROM users u LEFT JOIN counsellor_profiles p ON p.user_id = u.id"
			       " WHERE u.role = 'counsellor' AND u.active = 1"
			       " ORDER BY vd_fold(u.name) COLLATE \"C\", u.id",
			 NULL, sizeof *out->items, SIZE_MAX, read_counsellor, &items, &out->n);
	out->items = items;
	for (size_t i = 0; rc == VD_OK && i < out->n; i++)
		rc = pg_user_units_get(s, a, out->items[i].user_id, &out->items[i].units);
	return rc;
}

/* ---- staff keys --------------------------------------------------------------- */

int pg_user_key_put(struct store *s, const struct user_key_rec *k)
{
	struct pg_params p = { 0 };
	pg_int(&p, k->user_id);
	pg_blob(&p, k->public_key, STORE_KEY_LEN);
	pg_blob(&p, k->password_salt, STORE_SALT_LEN);
	pg_blob(&p, k->sk_by_password, STORE_WRAPPED_KEY_LEN);
	pg_blob(&p, k->recovery_salt, STORE_SALT_LEN);
	pg_blob(&p, k->sk_by_recovery, STORE_WRAPPED_KEY_LEN);
	pg_int(&p, k->created_at);
	return pg_exec(s, "INSERT INTO user_keys(user_id, public_key, password_salt, sk_by_password, recovery_salt,"
			  " sk_by_recovery, created_at) VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(user_id) DO UPDATE"
			  " SET public_key = $2, password_salt = $3, sk_by_password = $4, recovery_salt = $5,"
			  " sk_by_recovery = $6, created_at = $7", &p);
}

static int read_user_key(struct arena *a, const PGresult *r, int i, void *item)
{
	struct user_key_rec *k = item;
	(void)a;
	k->created_at = pg_get_int(r, i, 5);
	if (!pg_get_exact(r, i, 0, k->public_key, STORE_KEY_LEN) ||
	    !pg_get_exact(r, i, 1, k->password_salt, STORE_SALT_LEN) ||
	    !pg_get_exact(r, i, 2, k->sk_by_password, STORE_WRAPPED_KEY_LEN) ||
	    !pg_get_exact(r, i, 3, k->recovery_salt, STORE_SALT_LEN) ||
	    !pg_get_exact(r, i, 4, k->sk_by_recovery, STORE_WRAPPED_KEY_LEN))
		return VD_ERR_STORE; /* a damaged row */
	return VD_OK;
}

int pg_user_key_get(struct store *s, int64_t user_id, struct user_key_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	out->user_id = user_id;
	return pg_one(s, NULL, "SELECT public_key, password_salt, sk_by_password, recovery_salt, sk_by_recovery,"
			       " created_at FROM user_keys WHERE user_id = $1", &p, read_user_key, out);
}

/* ---- sessions --------------------------------------------------------------- */

#define SESSION_COLS "s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.sk_wrapped, s.second_factor_due"

/* A session's columns (SESSION_COLS), the last six of the row; all but its
 * token hash. */
static int read_session(struct arena *a, const PGresult *r, int i, void *item)
{
	struct session_rec *out = item;
	int col = PQnfields(r) - 6;
	(void)a;
	out->user_id = pg_get_int(r, i, col);
	out->created_at = pg_get_int(r, i, col + 1);
	out->last_seen_at = pg_get_int(r, i, col + 2);
	out->expires_at = pg_get_int(r, i, col + 3);
	out->has_sk = pg_get_exact(r, i, col + 4, out->sk_wrapped, STORE_WRAPPED_KEY_LEN);
	out->second_factor_due = (int)pg_get_int(r, i, col + 5);
	return VD_OK;
}

/* A user (USER_COLS, from column 0) and their session. */
struct session_user {
	struct session_rec *session;
	struct user_rec *user;
};

static int read_session_user(struct arena *a, const PGresult *r, int i, void *item)
{
	struct session_user *su = item;
	read_session(a, r, i, su->session);
	return read_user(a, r, i, su->user);
}

int pg_session_insert(struct store *s, const struct session_rec *r)
{
	struct pg_params p = { 0 };
	pg_blob(&p, r->token_hash, STORE_TOKEN_HASH_LEN);
	pg_int(&p, r->user_id);
	pg_int(&p, r->created_at);
	pg_int(&p, r->last_seen_at);
	pg_int(&p, r->expires_at);
	pg_blob(&p, r->has_sk ? r->sk_wrapped : NULL, STORE_WRAPPED_KEY_LEN);
	pg_int(&p, r->second_factor_due);
	return pg_exec(s, "INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at, expires_at, sk_wrapped,"
			  " second_factor_due) VALUES($1, $2, $3, $4, $5, $6, $7)", &p);
}

int pg_session_get(struct store *s, const unsigned char *token_hash, struct session_rec *out)
{
	struct pg_params p = { 0 };
	pg_blob(&p, token_hash, STORE_TOKEN_HASH_LEN);
	int rc = pg_one(s, NULL, "SELECT " SESSION_COLS " FROM sessions s WHERE s.token_hash = $1", &p, read_session,
			out);
	if (rc == VD_OK)
		memcpy(out->token_hash, token_hash, STORE_TOKEN_HASH_LEN);
	return rc;
}

int pg_session_user_get(struct store *s, struct arena *a, const unsigned char *token_hash, struct session_rec *out,
			struct user_rec *user)
{
	struct pg_params p = { 0 };
	pg_blob(&p, token_hash, STORE_TOKEN_HASH_LEN);
	struct session_user su = { out, user };
	int rc = pg_one(s, a, "SELECT u.id, u.email, u.name, u.role, u.password_hash, u.must_change_password, u.active,"
			      " u.created_at, " SESSION_COLS " FROM sessions s JOIN users u ON u.id = s.user_id"
			      " WHERE s.token_hash = $1", &p, read_session_user, &su);
	if (rc == VD_OK)
		memcpy(out->token_hash, token_hash, STORE_TOKEN_HASH_LEN);
	return rc;
}

int pg_session_touch(struct store *s, const unsigned char *token_hash, int64_t last_seen_at)
{
	struct pg_params p = { 0 };
	pg_blob(&p, token_hash, STORE_TOKEN_HASH_LEN);
	pg_int(&p, last_seen_at);
	return pg_exec_change(s, "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", &p);
}

int pg_session_delete(struct store *s, const unsigned char *token_hash)
{
	struct pg_params p = { 0 };
	pg_blob(&p, token_hash, STORE_TOKEN_HASH_LEN);
	return pg_exec(s, "DELETE FROM sessions WHERE token_hash = $1", &p);
}

int pg_session_delete_user(struct store *s, int64_t user_id)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	return pg_exec(s, "DELETE FROM sessions WHERE user_id = $1", &p);
}

int pg_session_purge(struct store *s, int64_t idle_before, int64_t now)
{
	struct pg_params p = { 0 };
	pg_int(&p, idle_before);
	pg_int(&p, now);
	return pg_exec(s, "DELETE FROM sessions WHERE last_seen_at < $1 OR expires_at <= $2", &p);
}

/* ---- settings and counters ----------------------------------------------------- */

int pg_setting_get(struct store *s, struct arena *a, const char *key, const char **value)
{
	struct pg_params p = { 0 };
	pg_text(&p, key);
	return pg_one(s, a, "SELECT value FROM settings WHERE key = $1", &p, pg_read_text, value);
}

int pg_setting_put(struct store *s, const char *key, const char *value)
{
	struct pg_params p = { 0 };
	pg_text(&p, key);
	pg_text(&p, value);
	return pg_exec(s, "INSERT INTO settings(key, value) VALUES($1, $2) ON CONFLICT(key) DO UPDATE SET value = $2",
		       &p);
}

int pg_counter_get(struct store *s, const char *name, int64_t *value)
{
	struct pg_params p = { 0 };
	pg_text(&p, name);
	return pg_one_int(s, "SELECT value FROM counters WHERE name = $1", &p, value);
}

int pg_counter_increment(struct store *s, const char *name, int64_t *value)
{
	/* one statement: the database adds, so no two callers get the same value */
	struct pg_params p = { 0 };
	pg_text(&p, name);
	return pg_insert_id(s, "INSERT INTO counters(name, value) VALUES($1, 1)"
			       " ON CONFLICT(name) DO UPDATE SET value = counters.value + 1 RETURNING value", &p, value);
}
