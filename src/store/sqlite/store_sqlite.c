/*
 * The SQLite implementation of the store interface (store.h).
 *
 * One connection per thread (a pthread key per store), so the server's worker
 * threads never share a connection. WAL mode with synchronous=FULL: a commit
 * that returned is on disk, which is what "acknowledged" means for a report.
 * Every statement uses bound parameters; prepared statements are cached per
 * connection, keyed by the address of their (static) SQL text.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "../../util/errors.h"
#include "../store.h"
#include "migrations.h"
#include "sqlite_internal.h"

#define STMT_CACHE 512 /* more than the store has statements: none is prepared twice */

struct conn {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	int ncache;
	int own_txn; /* sq_atomic_begin began the transaction (outside the caller's) */
	char *held;  /* load_begin: the SQL of the triggers it dropped (store_rows.c) */
};

struct sqlite_store {
	struct store base; /* must be first */
	char *path;
	int create;
	pthread_key_t key;
};

static const struct store_ops sqlite_ops;

static void conn_free(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	for (int i = 0; i < c->ncache; i++)
		sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close_v2(c->db);
	free(c->held);
	free(c);
}

static int conn_open(struct sqlite_store *ss, struct conn **out)
{
	struct conn *c = calloc(1, sizeof *c);
	if (!c)
		return VD_ERR_NOMEM;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (ss->create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(ss->path, &c->db, flags, NULL) != SQLITE_OK) {
		conn_free(c);
		return VD_ERR_STORE;
	}
	sqlite3_busy_timeout(c->db, 5000);
	sqlite3_extended_result_codes(c->db, 1);
	const char *pragmas = "PRAGMA journal_mode=WAL;"
			      "PRAGMA synchronous=FULL;"
			      "PRAGMA foreign_keys=ON;"
			      "PRAGMA secure_delete=ON;"
			      "PRAGMA trusted_schema=OFF;";
	if (sqlite3_exec(c->db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		conn_free(c);
		return VD_ERR_STORE;
	}
	*out = c;
	return VD_OK;
}

/* The calling thread's connection, opened on first use. */
static struct conn *sq_conn_get(struct store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	struct conn *c = pthread_getspecific(ss->key);
	if (c)
		return c;
	if (conn_open(ss, &c) != VD_OK)
		return NULL;
	if (pthread_setspecific(ss->key, c) != 0) {
		conn_free(c);
		return NULL;
	}
	return c;
}

/* A reset, cleared statement for sql (which must be a string literal). */
sqlite3_stmt *sq_prep(struct store *s, const char *sql)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return NULL;
	for (int i = 0; i < c->ncache; i++) {
		if (c->cache[i].sql == sql) {
			sqlite3_reset(c->cache[i].stmt);
			sqlite3_clear_bindings(c->cache[i].stmt);
			return c->cache[i].stmt;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	if (c->ncache < STMT_CACHE) {
		c->cache[c->ncache].sql = sql;
		c->cache[c->ncache].stmt = st;
		c->ncache++;
	}
	return st;
}

/* Statements beyond the cache are finalized here; cached ones just reset. */
void sq_done(struct store *s, sqlite3_stmt *st)
{
	struct conn *c = sq_conn_get(s);
	if (!st)
		return;
	for (int i = 0; c && i < c->ncache; i++) {
		if (c->cache[i].stmt == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	}
	sqlite3_finalize(st);
}

int sq_map_rc(int rc)
{
	/* The extended codes tell the constraints apart (store.h, "Errors"). */
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return VD_ERR_EXISTS;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return VD_ERR_NOTFOUND; /* a row it refers to is missing (deletes map it to VD_ERR_INUSE) */
	case SQLITE_CONSTRAINT_TRIGGER:
		return VD_ERR_MISUSE; /* RAISE(ABORT): a change to a record that may never change */
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return VD_ERR_INVALID;
	}
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return VD_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return VD_ERR_BUSY;
	case SQLITE_NOMEM:
		return VD_ERR_NOMEM;
	case SQLITE_TOOBIG:
		return VD_ERR_TOOBIG;
	default:
		return VD_ERR_STORE;
	}
}

/* Operations that write several rows, or write after reading, are atomic on
 * their own (store.h): inside the caller's transaction as a savepoint,
 * outside it as a transaction of their own that takes the write lock at
 * once (BEGIN IMMEDIATE), so that what they read stays true until they write. */
int sq_atomic_begin(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	if (sqlite3_get_autocommit(c->db)) {
		int rc = sq_map_rc(sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
		c->own_txn = rc == VD_OK;
		return rc;
	}
	return sq_map_rc(sqlite3_exec(c->db, "SAVEPOINT op", NULL, NULL, NULL));
}

int sq_atomic_end(struct store *s, int rc)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	if (c->own_txn) {
		c->own_txn = 0;
		if (rc == VD_OK && (rc = sq_map_rc(sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL))) == VD_OK)
			return VD_OK;
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if (rc != VD_OK) {
		sqlite3_exec(c->db, "ROLLBACK TO op", NULL, NULL, NULL);
		sqlite3_exec(c->db, "RELEASE op", NULL, NULL, NULL);
		return rc;
	}
	return sq_map_rc(sqlite3_exec(c->db, "RELEASE op", NULL, NULL, NULL));
}

sqlite3 *sq_db(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	return c ? c->db : NULL;
}

char **sq_held_triggers(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	return c ? &c->held : NULL;
}

bool sq_in_transaction(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	return c && !sqlite3_get_autocommit(c->db);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

const char *sq_col_text(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	int n = sqlite3_column_bytes(st, i);
	return arena_strndup(a, t ? (const char *)t : "", (size_t)n);
}

/* Runs a statement that returns no rows; for single-row writes. */
int sq_exec_done(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sq_done(s, st);
	return rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

/* Like exec_done, but VD_ERR_NOTFOUND when no row was changed. */
int sq_exec_change(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sq_done(s, st);
	if (rc != SQLITE_DONE)
		return sq_map_rc(rc);
	return sqlite3_changes(sq_conn_get(s)->db) > 0 ? VD_OK : VD_ERR_NOTFOUND;
}

int64_t sq_changes(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	return c ? sqlite3_changes64(c->db) : 0;
}

/* Runs a DELETE: VD_ERR_NOTFOUND when no row went, VD_ERR_INUSE when a
 * foreign key still names the row. */
int sq_exec_delete(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sq_done(s, st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return VD_ERR_INUSE;
	if (rc != SQLITE_DONE)
		return sq_map_rc(rc);
	return sqlite3_changes(sq_conn_get(s)->db) > 0 ? VD_OK : VD_ERR_NOTFOUND;
}

int64_t sq_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(sq_conn_get(s)->db);
}

/* A blob column copied into the arena (NULL with *n 0 when it is NULL). */
const unsigned char *sq_col_blob(struct arena *a, sqlite3_stmt *st, int i, size_t *n, bool *oom)
{
	int len = sqlite3_column_bytes(st, i);
	*n = 0;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	unsigned char *p = arena_alloc(a, (size_t)len + 1);
	if (!p) {
		*oom = true;
		return NULL;
	}
	if (len)
		memcpy(p, sqlite3_column_blob(st, i), (size_t)len);
	*n = (size_t)len;
	return p;
}

void sq_bind_blob(sqlite3_stmt *st, int i, const unsigned char *p, size_t n)
{
	if (p)
		sqlite3_bind_blob64(st, i, p, n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int sq_list_end(struct store *s, sqlite3_stmt *st, int rc, bool oom)
{
	sq_done(s, st);
	if (oom)
		return VD_ERR_NOMEM;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}


/* ---- lifecycle and schema ---------------------------------------------- */

static void sq_close(struct store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	conn_free(pthread_getspecific(ss->key));
	pthread_setspecific(ss->key, NULL);
	pthread_key_delete(ss->key);
	free(ss->path);
	free(ss);
}

static int sq_schema_version(struct store *s, int *version)
{
	sqlite3_stmt *st = sq_prep(s, "PRAGMA user_version");
	if (!st)
		return VD_ERR_STORE;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : sq_map_rc(rc);
}

static int sq_table_count(struct store *s, int64_t *n)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
	if (!st)
		return VD_ERR_STORE;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : sq_map_rc(rc);
}

static int sq_begin(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	if (!sqlite3_get_autocommit(c->db))
		return VD_ERR_MISUSE; /* transactions do not nest */
	/* IMMEDIATE takes the write lock now, so two writers never deadlock on
	 * upgrade, and write transactions run one at a time (store.h). */
	return sq_map_rc(sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
}

static int sq_commit(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	int rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return sq_map_rc(rc);
	}
	return VD_OK;
}

static void sq_rollback(struct store *s)
{
	struct conn *c = sq_conn_get(s);
	if (c && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_migrate(struct store *s, int *from, int *to)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	int rc = sq_begin(s);
	if (rc)
		return rc;
	int v = 0;
	rc = sq_schema_version(s, &v);
	if (rc)
		goto fail;
	if (from)
		*from = v;
	if (v > sqlite_migration_count) {
		rc = VD_ERR_TOONEW;
		goto fail;
	}
	for (; v < sqlite_migration_count; v++) {
		if (sqlite3_exec(c->db, sqlite_migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
			rc = VD_ERR_STORE;
			goto fail;
		}
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (sqlite3_exec(c->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			rc = VD_ERR_STORE;
			goto fail;
		}
	}
	if (to)
		*to = v;
	return sq_commit(s);
fail:
	sq_rollback(s);
	return rc;
}

static int sq_check(struct store *s)
{
	sqlite3_stmt *st = sq_prep(s, "PRAGMA integrity_check");
	if (!st)
		return VD_ERR_STORE;
	int ok = sqlite3_step(st) == SQLITE_ROW &&
		 strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sq_done(s, st);
	return ok ? VD_OK : VD_ERR_STORE;
}

/* The online backup API in one step: the copy reads inside one read
 * transaction, so it is the database as it was when it began, and in WAL
 * mode writers go on meanwhile (stepping in parts would start over at every
 * write by another process, and might never end under load). */
static int sq_copy_to(struct store *s, const char *path)
{
	struct conn *c = sq_conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	if (sq_in_transaction(s))
		return VD_ERR_MISUSE; /* it would copy what is not yet committed */
	struct stat st;
	if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size != 0))
		return VD_ERR_EXISTS;
	sqlite3 *dest = NULL;
	if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close_v2(dest);
		return VD_ERR_STORE;
	}
	int rc = VD_ERR_STORE;
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", c->db, "main");
	if (b) {
		int step, tries = 0;
		/* The source's lock is waited for by its busy handler; these are
		 * the few cases that return at once. */
		while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED) {
			if (++tries > 100)
				break;
			sqlite3_sleep(50);
		}
		int fin = sqlite3_backup_finish(b);
		rc = step == SQLITE_DONE && fin == SQLITE_OK ? VD_OK : sq_map_rc(step == SQLITE_DONE ? fin : step);
	}
	if (sqlite3_close_v2(dest) != SQLITE_OK && rc == VD_OK)
		rc = VD_ERR_STORE;
	return rc;
}

/* ---- units ---------------------------------------------------------------- */

static int sq_unit_insert(struct store *s, const struct unit_rec *u, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO units(parent_id, name, kind, created_at) VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return VD_ERR_STORE;
	if (u->parent_id)
		sqlite3_bind_int64(st, 1, u->parent_id);
	else
		sqlite3_bind_null(st, 1);
	sq_bind_text(st, 2, u->name);
	sq_bind_text(st, 3, u->kind);
	sqlite3_bind_int64(st, 4, u->created_at);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK && id)
		*id = sqlite3_last_insert_rowid(sq_conn_get(s)->db);
	return rc;
}

static int sq_unit_update(struct store *s, const struct unit_rec *u)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE units SET parent_id = ?2, name = ?3, kind = ?4 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, u->id);
	if (u->parent_id)
		sqlite3_bind_int64(st, 2, u->parent_id);
	else
		sqlite3_bind_null(st, 2);
	sq_bind_text(st, 3, u->name);
	sq_bind_text(st, 4, u->kind);
	return sq_exec_change(s, st);
}

static int unit_delete_rows(struct store *s, int64_t id)
{
	/* Advice in a counsellor's log names its unit too (a number without a
	 * foreign key: 0 means none), and the annual report counts it. */
	sqlite3_stmt *st = sq_prep(s, "SELECT (SELECT count(*) FROM units WHERE parent_id = ?1)"
				   " + (SELECT count(*) FROM user_units WHERE unit_id = ?1)"
				   " + (SELECT count(*) FROM counsellor_log WHERE unit_id = ?1)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int64_t uses = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sq_done(s, st);
	if (uses < 0)
		return sq_map_rc(rc);
	if (uses > 0)
		return VD_ERR_INUSE;
	st = sq_prep(s, "DELETE FROM units WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_delete(s, st);
}

/* Counting the uses and deleting are one step: no entry naming the unit can
 * come in between (a log entry's unit has no foreign key). */
static int sq_unit_delete(struct store *s, int64_t id)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, unit_delete_rows(s, id));
}

static int sq_unit_list(struct store *s, struct arena *a, struct unit_recs *out)
{
	static const char count_sql[] = "SELECT count(*) FROM units";
	static const char sql[] = "SELECT id, coalesce(parent_id, 0), name, kind FROM units ORDER BY id";
	sqlite3_stmt *st = sq_prep(s, count_sql);
	if (!st)
		return VD_ERR_STORE;
	size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	out->items = arena_alloc(a, (n ? n : 1) * sizeof *out->items);
	out->n = 0;
	if (!out->items)
		return VD_ERR_NOMEM;
	st = sq_prep(s, sql);
	if (!st)
		return VD_ERR_STORE;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < n) {
		struct unit_rec *u = &out->items[out->n++];
		u->id = sqlite3_column_int64(st, 0);
		u->parent_id = sqlite3_column_int64(st, 1);
		u->name = sq_col_text(a, st, 2);
		u->kind = sq_col_text(a, st, 3);
		if (!u->name || !u->kind) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

/* ---- users ---------------------------------------------------------------- */

#define USER_COLS "id, email, name, role, password_hash, must_change_password, active, created_at"

static int read_user(struct arena *a, sqlite3_stmt *st, struct user_rec *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->email = sq_col_text(a, st, 1);
	u->name = sq_col_text(a, st, 2);
	u->role = sq_col_text(a, st, 3);
	u->password_hash = sq_col_text(a, st, 4);
	u->must_change_password = sqlite3_column_int(st, 5);
	u->active = sqlite3_column_int(st, 6);
	u->created_at = sqlite3_column_int64(st, 7);
	return (u->email && u->name && u->role && u->password_hash) ? VD_OK : VD_ERR_NOMEM;
}

static int sq_user_insert(struct store *s, const struct user_rec *u, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO users(email, name, role, password_hash,"
				   " must_change_password, active, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, u->email);
	sq_bind_text(st, 2, u->name);
	sq_bind_text(st, 3, u->role);
	sq_bind_text(st, 4, u->password_hash);
	sqlite3_bind_int(st, 5, u->must_change_password);
	sqlite3_bind_int(st, 6, u->active);
	sqlite3_bind_int64(st, 7, u->created_at);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK && id)
		*id = sqlite3_last_insert_rowid(sq_conn_get(s)->db);
	return rc;
}

static int sq_user_update(struct store *s, const struct user_rec *u)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE users SET email = ?2, name = ?3, role = ?4, active = ?5 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, u->id);
	sq_bind_text(st, 2, u->email);
	sq_bind_text(st, 3, u->name);
	sq_bind_text(st, 4, u->role);
	sqlite3_bind_int(st, 5, u->active);
	return sq_exec_change(s, st);
}

static int sq_user_set_password(struct store *s, int64_t id, const char *hash, int must_change)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, hash);
	sqlite3_bind_int(st, 3, must_change);
	return sq_exec_change(s, st);
}

static int get_one_user(struct store *s, struct arena *a, sqlite3_stmt *st, struct user_rec *out)
{
	int rc = sqlite3_step(st);
	int ret;
	if (rc == SQLITE_ROW)
		ret = read_user(a, st, out);
	else
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	sq_done(s, st);
	return ret;
}

static int sq_user_get(struct store *s, struct arena *a, int64_t id, struct user_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " USER_COLS " FROM users WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	return get_one_user(s, a, st, out);
}

static int sq_user_find_email(struct store *s, struct arena *a, const char *email, struct user_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " USER_COLS " FROM users WHERE email = ?1");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, email);
	return get_one_user(s, a, st, out);
}

static int sq_user_list(struct store *s, struct arena *a, struct user_recs *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM users");
	if (!st)
		return VD_ERR_STORE;
	size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	out->n = 0;
	out->items = arena_alloc(a, (n ? n : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	st = sq_prep(s, "SELECT " USER_COLS " FROM users ORDER BY name COLLATE NOCASE, id");
	if (!st)
		return VD_ERR_STORE;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < n) {
		if (read_user(a, st, &out->items[out->n++]) != VD_OK) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int user_units_set_rows(struct store *s, int64_t user_id, const struct id_list *units)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM user_units WHERE user_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sq_exec_done(s, st);
	for (size_t i = 0; rc == VD_OK && i < units->n; i++) {
		st = sq_prep(s, "INSERT OR IGNORE INTO user_units(user_id, unit_id) VALUES(?1, ?2)");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, units->ids[i]);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

static int sq_user_units_set(struct store *s, int64_t user_id, const struct id_list *units)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, user_units_set_rows(s, user_id, units));
}

/* Reads all int64 values of column 0 into an arena array. */
static int read_ids(struct store *s, struct arena *a, sqlite3_stmt *st, struct id_list *out)
{
	size_t cap = 8;
	out->n = 0;
	out->ids = arena_alloc(a, cap * sizeof *out->ids);
	int rc;
	while (out->ids && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			int64_t *grown = arena_alloc(a, 2 * cap * sizeof *grown);
			if (!grown)
				break;
			memcpy(grown, out->ids, cap * sizeof *grown);
			out->ids = grown;
			cap *= 2;
		}
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	}
	sq_done(s, st);
	if (!out->ids || rc == SQLITE_ROW)
		return VD_ERR_NOMEM;
	return rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int sq_user_units_get(struct store *s, struct arena *a, int64_t user_id, struct id_list *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	return read_ids(s, a, st, out);
}

/* ---- counsellor profiles ------------------------------------------------- */

static int sq_profile_put(struct store *s, const struct profile_rec *p)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO counsellor_profiles(user_id, external, region, phone,"
				   " public_email, languages, intro) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
				   " ON CONFLICT(user_id) DO UPDATE SET external = ?2, region = ?3,"
				   " phone = ?4, public_email = ?5, languages = ?6, intro = ?7");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, p->user_id);
	sqlite3_bind_int(st, 2, p->external);
	sq_bind_text(st, 3, p->region);
	sq_bind_text(st, 4, p->phone);
	sq_bind_text(st, 5, p->public_email);
	sq_bind_text(st, 6, p->languages);
	sq_bind_text(st, 7, p->intro);
	return sq_exec_done(s, st);
}

static int read_profile(struct arena *a, sqlite3_stmt *st, int col, struct profile_rec *p)
{
	p->external = sqlite3_column_int(st, col);
	p->region = sq_col_text(a, st, col + 1);
	p->phone = sq_col_text(a, st, col + 2);
	p->public_email = sq_col_text(a, st, col + 3);
	p->languages = sq_col_text(a, st, col + 4);
	p->intro = sq_col_text(a, st, col + 5);
	return (p->region && p->phone && p->public_email && p->languages && p->intro) ? VD_OK : VD_ERR_NOMEM;
}

static int sq_profile_get(struct store *s, struct arena *a, int64_t user_id, struct profile_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT external, region, phone, public_email, languages, intro"
				   " FROM counsellor_profiles WHERE user_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sqlite3_step(st);
	int ret;
	if (rc == SQLITE_ROW) {
		out->user_id = user_id;
		ret = read_profile(a, st, 0, out);
	} else {
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

static int sq_counsellor_list(struct store *s, struct arena *a, struct counsellor_recs *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM users WHERE role = 'counsellor' AND active = 1");
	if (!st)
		return VD_ERR_STORE;
	size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	out->n = 0;
	out->items = arena_alloc(a, (n ? n : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	st = sq_prep(s, "SELECT u.id, u.name, coalesce(p.external, 0), coalesce(p.region, ''),"
		     " coalesce(p.phone, ''), coalesce(p.public_email, ''), coalesce(p.languages, ''),"
		     " coalesce(p.intro, '') FROM users u LEFT JOIN counsellor_profiles p ON p.user_id = u.id"
		     " WHERE u.role = 'counsellor' AND u.active = 1 ORDER BY u.name COLLATE NOCASE, u.id");
	if (!st)
		return VD_ERR_STORE;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < n) {
		struct counsellor_rec *c = &out->items[out->n++];
		c->user_id = sqlite3_column_int64(st, 0);
		c->name = sq_col_text(a, st, 1);
		c->profile.user_id = c->user_id;
		if (!c->name || read_profile(a, st, 2, &c->profile) != VD_OK) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_map_rc(rc);
	for (size_t i = 0; i < out->n; i++) {
		int r = sq_user_units_get(s, a, out->items[i].user_id, &out->items[i].units);
		if (r)
			return r;
	}
	return VD_OK;
}

/* ---- sessions ------------------------------------------------------------- */

static int sq_session_insert(struct store *s, const struct session_rec *r)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at,"
				   " expires_at, sk_wrapped, second_factor_due) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return VD_ERR_STORE;
	if (r->has_sk)
		sqlite3_bind_blob(st, 6, r->sk_wrapped, STORE_WRAPPED_KEY_LEN, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_blob(st, 1, r->token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, r->user_id);
	sqlite3_bind_int64(st, 3, r->created_at);
	sqlite3_bind_int64(st, 4, r->last_seen_at);
	sqlite3_bind_int64(st, 5, r->expires_at);
	sqlite3_bind_int(st, 7, r->second_factor_due);
	return sq_exec_done(s, st);
}

/* ---- receipt costs (schema 23) --------------------------------------------- */

static int fill_costs(struct store *s, uint32_t ops, uint32_t mem_kib)
{
	static const char *const sql[] = {
		"UPDATE cases SET receipt_ops = ?1, receipt_mem_kib = ?2 WHERE receipt_ops = 0",
		"UPDATE wb_reports SET receipt_ops = ?1, receipt_mem_kib = ?2 WHERE receipt_ops = 0",
		"UPDATE complaint_parties SET receipt_ops = ?1, receipt_mem_kib = ?2 WHERE receipt_ops = 0",
	};
	int rc = VD_OK;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == VD_OK; i++) {
		sqlite3_stmt *st = sq_prep(s, sql[i]);
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, ops);
		sqlite3_bind_int64(st, 2, mem_kib);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

static int sq_receipt_costs_fill(struct store *s, uint32_t ops, uint32_t mem_kib)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, fill_costs(s, ops, mem_kib));
}

/* A session's columns from index i on: user_id, created_at, last_seen_at,
 * expires_at, sk_wrapped, second_factor_due. */
static void read_session(sqlite3_stmt *st, int i, const unsigned char *token_hash, struct session_rec *out)
{
	memcpy(out->token_hash, token_hash, STORE_TOKEN_HASH_LEN);
	out->user_id = sqlite3_column_int64(st, i);
	out->created_at = sqlite3_column_int64(st, i + 1);
	out->last_seen_at = sqlite3_column_int64(st, i + 2);
	out->expires_at = sqlite3_column_int64(st, i + 3);
	out->has_sk = sqlite3_column_bytes(st, i + 4) == STORE_WRAPPED_KEY_LEN;
	if (out->has_sk)
		memcpy(out->sk_wrapped, sqlite3_column_blob(st, i + 4), STORE_WRAPPED_KEY_LEN);
	out->second_factor_due = sqlite3_column_int(st, i + 5);
}

static int sq_session_get(struct store *s, const unsigned char *token_hash, struct session_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT user_id, created_at, last_seen_at, expires_at, sk_wrapped,"
				   " second_factor_due FROM sessions WHERE token_hash = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int ret = VD_OK;
	if (rc == SQLITE_ROW) {
		read_session(st, 0, token_hash, out);
	} else {
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

static int sq_session_user_get(struct store *s, struct arena *a, const unsigned char *token_hash,
			       struct session_rec *out, struct user_rec *user)
{
	/* the user's columns first (read_user reads them from index 0), then
	 * the session's */
	sqlite3_stmt *st = sq_prep(s, "SELECT u.id, u.email, u.name, u.role, u.password_hash, u.must_change_password,"
				   " u.active, u.created_at, s.user_id, s.created_at, s.last_seen_at, s.expires_at,"
				   " s.sk_wrapped, s.second_factor_due FROM sessions s JOIN users u ON u.id = s.user_id"
				   " WHERE s.token_hash = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int ret = VD_OK;
	if (rc == SQLITE_ROW) {
		ret = read_user(a, st, user);
		read_session(st, 8, token_hash, out);
	} else {
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

static int sq_session_touch(struct store *s, const unsigned char *token_hash, int64_t last_seen_at)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, last_seen_at);
	return sq_exec_change(s, st);
}

static int sq_session_delete(struct store *s, const unsigned char *token_hash)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM sessions WHERE token_hash = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	return sq_exec_done(s, st);
}

static int sq_session_delete_user(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM sessions WHERE user_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	return sq_exec_done(s, st);
}

static int sq_session_purge(struct store *s, int64_t idle_before, int64_t now)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM sessions WHERE last_seen_at < ?1 OR expires_at <= ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, now);
	return sq_exec_done(s, st);
}

/* ---- staff keys ----------------------------------------------------------- */

static int sq_user_key_put(struct store *s, const struct user_key_rec *k)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT OR REPLACE INTO user_keys(user_id, public_key, password_salt,"
				   " sk_by_password, recovery_salt, sk_by_recovery, created_at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, k->user_id);
	sqlite3_bind_blob(st, 2, k->public_key, STORE_KEY_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 3, k->password_salt, STORE_SALT_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 4, k->sk_by_password, STORE_WRAPPED_KEY_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 5, k->recovery_salt, STORE_SALT_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 6, k->sk_by_recovery, STORE_WRAPPED_KEY_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, k->created_at);
	return sq_exec_done(s, st);
}

int sq_blob_exact(sqlite3_stmt *st, int col, void *out, int n)
{
	if (sqlite3_column_bytes(st, col) != n)
		return 0;
	memcpy(out, sqlite3_column_blob(st, col), (size_t)n);
	return 1;
}

static int sq_user_key_get(struct store *s, int64_t user_id, struct user_key_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT public_key, password_salt, sk_by_password, recovery_salt,"
				   " sk_by_recovery, created_at FROM user_keys WHERE user_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sqlite3_step(st), ret = VD_OK;
	if (rc == SQLITE_ROW) {
		out->user_id = user_id;
		if (!sq_blob_exact(st, 0, out->public_key, STORE_KEY_LEN) ||
		    !sq_blob_exact(st, 1, out->password_salt, STORE_SALT_LEN) ||
		    !sq_blob_exact(st, 2, out->sk_by_password, STORE_WRAPPED_KEY_LEN) ||
		    !sq_blob_exact(st, 3, out->recovery_salt, STORE_SALT_LEN) ||
		    !sq_blob_exact(st, 4, out->sk_by_recovery, STORE_WRAPPED_KEY_LEN))
			ret = VD_ERR_STORE; /* a damaged row */
		out->created_at = sqlite3_column_int64(st, 5);
	} else {
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

/* ---- cases ---------------------------------------------------------------- */

static int case_insert_rows(struct store *s, const struct case_rec *c, const struct case_key_rec *keys,
			  size_t nkeys, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO cases(locator, unit_id, counsellor_id, channel, reporter_type,"
				   " relation, location, behaviours, named, phase, created_at, receipt_salt,"
				   " receipt_verifier, key_by_receipt, content, created_day, receipt_ops, receipt_mem_kib)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, c->locator);
	sqlite3_bind_int64(st, 2, c->unit_id);
	if (c->counsellor_id)
		sqlite3_bind_int64(st, 3, c->counsellor_id);
	else
		sqlite3_bind_null(st, 3);
	sq_bind_text(st, 4, c->channel);
	sq_bind_text(st, 5, c->reporter_type);
	sq_bind_text(st, 6, c->relation);
	sq_bind_text(st, 7, c->location);
	sqlite3_bind_int64(st, 8, c->behaviours);
	sqlite3_bind_int(st, 9, c->named);
	sq_bind_text(st, 10, c->phase);
	sqlite3_bind_int64(st, 11, c->created_at);
	sqlite3_bind_blob(st, 12, c->receipt_salt, STORE_SALT_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 13, c->receipt_verifier, STORE_KEY_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 14, c->key_by_receipt, STORE_WRAPPED_KEY_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(st, 15, c->content, c->content_len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 16, c->created_day);
	sqlite3_bind_int64(st, 17, c->receipt_ops);
	sqlite3_bind_int64(st, 18, c->receipt_mem_kib);
	int rc = sq_exec_done(s, st);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(sq_conn_get(s)->db);
	for (size_t i = 0; i < nkeys && rc == VD_OK; i++) {
		st = sq_prep(s, "INSERT INTO case_keys(user_id, case_id, unopened, created_at, sealed_key)"
			     " VALUES(?1, ?2, 1, ?3, ?4)");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, keys[i].user_id);
		sqlite3_bind_int64(st, 2, *id);
		sqlite3_bind_int64(st, 3, c->created_at);
		sqlite3_bind_blob(st, 4, keys[i].sealed_key, STORE_SEALED_KEY_LEN, SQLITE_TRANSIENT);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

static int sq_case_insert(struct store *s, const struct case_rec *c, const struct case_key_rec *keys,
			  size_t nkeys, int64_t *id)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, case_insert_rows(s, c, keys, nkeys, id));
}

#define CASE_COLS "id, locator, unit_id, coalesce(counsellor_id, 0), channel, reporter_type, relation," \
		  " location, behaviours, named, phase, created_at, coalesce(opened_at, 0), receipt_salt," \
		  " receipt_verifier, key_by_receipt, content, created_day, receipt_ops, receipt_mem_kib"

static int read_case(struct arena *a, sqlite3_stmt *st, struct case_rec *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->locator = sq_col_text(a, st, 1);
	c->unit_id = sqlite3_column_int64(st, 2);
	c->counsellor_id = sqlite3_column_int64(st, 3);
	c->channel = sq_col_text(a, st, 4);
	c->reporter_type = sq_col_text(a, st, 5);
	c->relation = sq_col_text(a, st, 6);
	c->location = sq_col_text(a, st, 7);
	c->behaviours = sqlite3_column_int64(st, 8);
	c->named = sqlite3_column_int(st, 9);
	c->phase = sq_col_text(a, st, 10);
	c->created_at = sqlite3_column_int64(st, 11);
	c->opened_at = sqlite3_column_int64(st, 12);
	c->created_day = sqlite3_column_int64(st, 17);
	c->receipt_ops = (uint32_t)sqlite3_column_int64(st, 18);
	c->receipt_mem_kib = (uint32_t)sqlite3_column_int64(st, 19);
	if (!sq_blob_exact(st, 13, c->receipt_salt, STORE_SALT_LEN) ||
	    !sq_blob_exact(st, 14, c->receipt_verifier, STORE_KEY_LEN) ||
	    !sq_blob_exact(st, 15, c->key_by_receipt, STORE_WRAPPED_KEY_LEN))
		return VD_ERR_STORE;
	int n = sqlite3_column_bytes(st, 16);
	unsigned char *content = arena_alloc(a, (size_t)n + 1);
	if (!content || !c->locator || !c->channel || !c->reporter_type || !c->relation || !c->location ||
	    !c->phase)
		return VD_ERR_NOMEM;
	if (n)
		memcpy(content, sqlite3_column_blob(st, 16), (size_t)n);
	c->content = content;
	c->content_len = (size_t)n;
	return VD_OK;
}

static int get_one_case(struct store *s, struct arena *a, sqlite3_stmt *st, struct case_rec *out)
{
	int rc = sqlite3_step(st), ret;
	if (rc == SQLITE_ROW)
		ret = read_case(a, st, out);
	else
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	sq_done(s, st);
	return ret;
}

static int sq_case_get(struct store *s, struct arena *a, int64_t id, struct case_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " CASE_COLS " FROM cases WHERE id = ?1 AND purged_at = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	return get_one_case(s, a, st, out);
}

static int sq_case_find_locator(struct store *s, struct arena *a, const char *locator, struct case_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " CASE_COLS " FROM cases WHERE locator = ?1 AND purged_at = 0");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, locator);
	return get_one_case(s, a, st, out);
}

static int sq_case_key_get(struct store *s, int64_t case_id, int64_t user_id, struct case_key_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT sealed_key FROM case_keys WHERE user_id = ?1 AND case_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, case_id);
	int rc = sqlite3_step(st), ret = VD_OK;
	if (rc == SQLITE_ROW) {
		out->user_id = user_id;
		if (!sq_blob_exact(st, 0, out->sealed_key, STORE_SEALED_KEY_LEN))
			ret = VD_ERR_STORE;
	} else {
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

static int sq_case_list(struct store *s, struct arena *a, int64_t user_id, const struct case_cursor_rec *after,
			size_t limit, struct case_summary_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	/* Both queries walk the index case_keys_list: no sort, no scan. */
	sqlite3_stmt *st = after
		? sq_prep(s, "SELECT c.id, c.unit_id, c.behaviours, c.phase, c.channel, c.created_at, k.unopened"
			  " FROM case_keys k JOIN cases c ON c.id = k.case_id WHERE k.user_id = ?1"
			  " AND (k.unopened, k.created_at, k.case_id) < (?3, ?4, ?5)"
			  " ORDER BY k.unopened DESC, k.created_at DESC, k.case_id DESC LIMIT ?2")
		: sq_prep(s, "SELECT c.id, c.unit_id, c.behaviours, c.phase, c.channel, c.created_at, k.unopened"
			  " FROM case_keys k JOIN cases c ON c.id = k.case_id WHERE k.user_id = ?1"
			  " ORDER BY k.unopened DESC, k.created_at DESC, k.case_id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	if (after) {
		sqlite3_bind_int(st, 3, after->unopened);
		sqlite3_bind_int64(st, 4, after->created_at);
		sqlite3_bind_int64(st, 5, after->id);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct case_summary_rec *c = &out->items[out->n++];
		c->id = sqlite3_column_int64(st, 0);
		c->unit_id = sqlite3_column_int64(st, 1);
		c->behaviours = sqlite3_column_int64(st, 2);
		c->phase = sq_col_text(a, st, 3);
		c->channel = sq_col_text(a, st, 4);
		c->created_at = sqlite3_column_int64(st, 5);
		c->unopened = sqlite3_column_int(st, 6);
		if (!c->phase || !c->channel) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int case_mark_opened_rows(struct store *s, int64_t id, int64_t user_id, int64_t when)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE cases SET opened_at = ?2 WHERE id = ?1 AND opened_at IS NULL");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, when);
	int rc = sq_exec_done(s, st);
	if (rc)
		return rc;
	st = sq_prep(s, "UPDATE case_keys SET unopened = 0 WHERE case_id = ?1 AND user_id = ?2 AND unopened = 1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	return sq_exec_done(s, st);
}

static int sq_case_mark_opened(struct store *s, int64_t id, int64_t user_id, int64_t when)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, case_mark_opened_rows(s, id, user_id, when));
}

/* ---- messages -------------------------------------------------------------- */

static int message_insert_rows(struct store *s, const struct message_rec *m, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO messages(case_id, kind, author_id, created_at, body)"
				   " VALUES(?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, m->case_id);
	sq_bind_text(st, 2, m->kind);
	sqlite3_bind_int64(st, 3, m->author_id);
	sqlite3_bind_int64(st, 4, m->created_at);
	sqlite3_bind_blob64(st, 5, m->body, m->body_len, SQLITE_TRANSIENT);
	int rc = sq_exec_done(s, st);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(sq_conn_get(s)->db);
	if (strcmp(m->kind, "reporter") == 0) {
		st = sq_prep(s, "UPDATE case_keys SET unopened = 1 WHERE case_id = ?1");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, m->case_id);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

static int sq_message_insert(struct store *s, const struct message_rec *m, int64_t *id)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, message_insert_rows(s, m, id));
}

static int sq_message_list(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			   struct message_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	/* the newest limit messages, returned oldest first */
	sqlite3_stmt *st = sq_prep(s, "SELECT * FROM (SELECT id, kind, author_id, created_at, body FROM messages"
				   " WHERE case_id = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct message_rec *m = &out->items[out->n++];
		m->id = sqlite3_column_int64(st, 0);
		m->case_id = case_id;
		m->kind = sq_col_text(a, st, 1);
		m->author_id = sqlite3_column_int64(st, 2);
		m->created_at = sqlite3_column_int64(st, 3);
		int n = sqlite3_column_bytes(st, 4);
		unsigned char *body = arena_alloc(a, (size_t)n + 1);
		if (!m->kind || !body) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
		if (n)
			memcpy(body, sqlite3_column_blob(st, 4), (size_t)n);
		m->body = body;
		m->body_len = (size_t)n;
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

/* ---- attachments and invitations ------------------------------------------ */

/* The files of a case and those of a complaint are kept alike, each in a
 * table of its own (a complaint is not a case): the same code on either. */
struct attach_sql {
	const char *insert, *list, *get;
};
static const struct attach_sql case_files = {
	"INSERT INTO attachments(case_id, message_id, kind, file_id, created_at, meta) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	"SELECT id, case_id, message_id, kind, file_id, created_at, meta FROM attachments WHERE case_id = ?1"
	" ORDER BY id LIMIT ?2",
	"SELECT id, case_id, message_id, kind, file_id, created_at, meta FROM attachments WHERE case_id = ?1"
	" AND file_id = ?2",
};
static const struct attach_sql complaint_files = {
	"INSERT INTO complaint_attachments(complaint_id, letter_id, kind, file_id, created_at, meta)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	"SELECT id, complaint_id, letter_id, kind, file_id, created_at, meta FROM complaint_attachments"
	" WHERE complaint_id = ?1 ORDER BY id LIMIT ?2",
	"SELECT id, complaint_id, letter_id, kind, file_id, created_at, meta FROM complaint_attachments"
	" WHERE complaint_id = ?1 AND file_id = ?2",
};
static const struct attach_sql wb_files = {
	"INSERT INTO wb_attachments(report_id, event_id, kind, file_id, created_at, meta) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	"SELECT id, report_id, event_id, kind, file_id, created_at, meta FROM wb_attachments WHERE report_id = ?1"
	" ORDER BY id LIMIT ?2",
	"SELECT id, report_id, event_id, kind, file_id, created_at, meta FROM wb_attachments WHERE report_id = ?1"
	" AND file_id = ?2",
};

static int attach_insert(struct store *s, const struct attach_sql *q, const struct attachment_rec *f, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, q->insert);
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, f->case_id);
	sqlite3_bind_int64(st, 2, f->message_id);
	sq_bind_text(st, 3, f->kind);
	sq_bind_text(st, 4, f->file_id);
	sqlite3_bind_int64(st, 5, f->created_at);
	sqlite3_bind_blob64(st, 6, f->meta, f->meta_len, SQLITE_TRANSIENT);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sqlite3_last_insert_rowid(sq_conn_get(s)->db);
	return rc;
}

/* Reads the attachment row st is on (columns as in the SELECTs above). */
static int read_attachment(struct arena *a, sqlite3_stmt *st, struct attachment_rec *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->case_id = sqlite3_column_int64(st, 1);
	f->message_id = sqlite3_column_int64(st, 2);
	f->kind = sq_col_text(a, st, 3);
	f->file_id = sq_col_text(a, st, 4);
	f->created_at = sqlite3_column_int64(st, 5);
	int n = sqlite3_column_bytes(st, 6);
	unsigned char *meta = arena_alloc(a, (size_t)n + 1);
	if (!f->kind || !f->file_id || !meta)
		return VD_ERR_NOMEM;
	if (n)
		memcpy(meta, sqlite3_column_blob(st, 6), (size_t)n);
	f->meta = meta;
	f->meta_len = (size_t)n;
	return VD_OK;
}

static int attach_list(struct store *s, const struct attach_sql *q, struct arena *a, int64_t owner, size_t limit,
		       struct attachment_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = sq_prep(s, q->list);
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		if (read_attachment(a, st, &out->items[out->n++]) != VD_OK) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int attach_get(struct store *s, const struct attach_sql *q, struct arena *a, int64_t owner,
		      const char *file_id, struct attachment_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, q->get);
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, owner);
	sq_bind_text(st, 2, file_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = read_attachment(a, st, out);
	else
		rc = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	sq_done(s, st);
	return rc;
}

static int sq_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id)
{
	return attach_insert(s, &case_files, f, id);
}

static int sq_attachment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			      struct attachment_recs *out)
{
	return attach_list(s, &case_files, a, case_id, limit, out);
}

static int sq_attachment_get(struct store *s, struct arena *a, int64_t case_id, const char *file_id,
			     struct attachment_rec *out)
{
	return attach_get(s, &case_files, a, case_id, file_id, out);
}

static int sq_complaint_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id)
{
	return attach_insert(s, &complaint_files, f, id);
}

static int sq_complaint_attachment_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
					struct attachment_recs *out)
{
	return attach_list(s, &complaint_files, a, complaint_id, limit, out);
}

static int sq_complaint_attachment_get(struct store *s, struct arena *a, int64_t complaint_id, const char *file_id,
				       struct attachment_rec *out)
{
	return attach_get(s, &complaint_files, a, complaint_id, file_id, out);
}

static int sq_wb_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id)
{
	return attach_insert(s, &wb_files, f, id);
}

static int sq_wb_attachment_list(struct store *s, struct arena *a, int64_t report_id, size_t limit,
				 struct attachment_recs *out)
{
	return attach_list(s, &wb_files, a, report_id, limit, out);
}

static int sq_wb_attachment_get(struct store *s, struct arena *a, int64_t report_id, const char *file_id,
				struct attachment_rec *out)
{
	return attach_get(s, &wb_files, a, report_id, file_id, out);
}

static int sq_attachment_exists(struct store *s, const char *file_id)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT 1 FROM attachments WHERE file_id = ?1"
				   " UNION ALL SELECT 1 FROM complaint_attachments WHERE file_id = ?1"
				   " UNION ALL SELECT 1 FROM wb_attachments WHERE file_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, file_id);
	int rc = sqlite3_step(st);
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
}

static int sq_invitation_insert(struct store *s, const struct invitation_rec *v)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO invitations(token_hash, case_id, expires_at, code)"
				   " VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, v->token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, v->case_id);
	sqlite3_bind_int64(st, 3, v->expires_at);
	sqlite3_bind_blob64(st, 4, v->code, v->code_len, SQLITE_TRANSIENT);
	return sq_exec_done(s, st);
}

static int sq_invitation_take(struct store *s, struct arena *a, const unsigned char *token_hash,
			      struct invitation_rec *out)
{
	/* DELETE ... RETURNING: read and spent in one statement, so two clicks
	 * on the same link cannot both get the code. */
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM invitations WHERE token_hash = ?1"
				   " RETURNING case_id, expires_at, code");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memcpy(out->token_hash, token_hash, STORE_TOKEN_HASH_LEN);
		out->case_id = sqlite3_column_int64(st, 0);
		out->expires_at = sqlite3_column_int64(st, 1);
		int n = sqlite3_column_bytes(st, 2);
		unsigned char *code = arena_alloc(a, (size_t)n + 1);
		if (code && n)
			memcpy(code, sqlite3_column_blob(st, 2), (size_t)n);
		out->code = code;
		out->code_len = (size_t)n;
		rc = sqlite3_step(st); /* finishes the delete */
		rc = !code ? VD_ERR_NOMEM : rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
	} else {
		rc = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return rc;
}

static int sq_invitation_purge(struct store *s, int64_t now)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM invitations WHERE expires_at <= ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, now);
	return sq_exec_done(s, st);
}

/* ---- outbox --------------------------------------------------------------- */

static int sq_case_readers(struct store *s, struct arena *a, int64_t case_id, struct id_list *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT user_id FROM case_keys WHERE case_id = ?1 ORDER BY user_id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	return read_ids(s, a, st, out);
}

static int sq_outbox_add(struct store *s, const struct outbox_rec *m)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO outbox(recipient, kind, attempts, next_at) VALUES(?1, ?2, 0, ?3)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_blob64(st, 1, m->recipient, m->recipient_len, SQLITE_TRANSIENT);
	sq_bind_text(st, 2, m->kind);
	sqlite3_bind_int64(st, 3, m->next_at);
	return sq_exec_done(s, st);
}

static int sq_outbox_claim(struct store *s, struct arena *a, int64_t now, int64_t until, size_t limit,
			   struct outbox_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	/* Taken and leased in one statement: no other sender gets these rows
	 * before until (store.h, "claim"). RETURNING gives no order; the due
	 * rows are chosen soonest first, and their order hardly matters. */
	sqlite3_stmt *st = sq_prep(s, "UPDATE outbox SET next_at = ?3 WHERE id IN (SELECT id FROM outbox"
				   " WHERE next_at <= ?1 ORDER BY next_at, id LIMIT ?2)"
				   " RETURNING id, recipient, kind, attempts, next_at");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	sqlite3_bind_int64(st, 3, until);
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == limit || oom)
			continue; /* RETURNING must run to its end for the update to finish */
		struct outbox_rec *m = &out->items[out->n++];
		m->id = sqlite3_column_int64(st, 0);
		int n = sqlite3_column_bytes(st, 1);
		unsigned char *r = arena_alloc(a, (size_t)n + 1);
		m->kind = sq_col_text(a, st, 2);
		if (!r || !m->kind) {
			oom = true;
			continue;
		}
		if (n)
			memcpy(r, sqlite3_column_blob(st, 1), (size_t)n);
		m->recipient = r;
		m->recipient_len = (size_t)n;
		m->attempts = sqlite3_column_int(st, 3);
		m->next_at = sqlite3_column_int64(st, 4);
	}
	sq_done(s, st);
	if (rc != SQLITE_DONE)
		return sq_map_rc(rc);
	return oom ? VD_ERR_NOMEM : VD_OK;
}

static int sq_outbox_done(struct store *s, int64_t id)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM outbox WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_done(s, st);
}

static int sq_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE outbox SET attempts = ?2, next_at = ?3 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_int64(st, 3, next_at);
	return sq_exec_done(s, st);
}

/* ---- settings ------------------------------------------------------------- */

static int sq_setting_get(struct store *s, struct arena *a, const char *key, const char **value)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT value FROM settings WHERE key = ?1");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	int ret = VD_OK;
	if (rc == SQLITE_ROW) {
		*value = sq_col_text(a, st, 0);
		if (!*value)
			ret = VD_ERR_NOMEM;
	} else {
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

static int sq_setting_put(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO settings(key, value) VALUES(?1, ?2)"
				   " ON CONFLICT(key) DO UPDATE SET value = ?2");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, key);
	sq_bind_text(st, 2, value);
	return sq_exec_done(s, st);
}

/* ---- counters ---------------------------------------------------------------- */

static int sq_counter_get(struct store *s, const char *name, int64_t *value)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT value FROM counters WHERE name = ?1");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int sq_counter_increment(struct store *s, const char *name, int64_t *value)
{
	/* One statement: the database adds, so no two callers get the same value. */
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO counters(name, value) VALUES(?1, 1)"
				   " ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	sq_done(s, st);
	return rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

/* ---- audit log ------------------------------------------------------------- */

#define AUDIT_COLS "seq, at, actor_id, action, object_kind, object_id, prev_hash, hash"

/* A hash column as read; a wrong size marks the entry malformed instead of
 * failing the read, so that verification can say which entry it is. */
static void read_audit_hash(sqlite3_stmt *st, int col, unsigned char out[STORE_AUDIT_HASH_LEN], int *malformed)
{
	memset(out, 0, STORE_AUDIT_HASH_LEN);
	if (!sq_blob_exact(st, col, out, STORE_AUDIT_HASH_LEN))
		*malformed = 1;
}

static int read_audit(struct arena *a, sqlite3_stmt *st, struct audit_rec *r)
{
	r->seq = sqlite3_column_int64(st, 0);
	r->at = sqlite3_column_int64(st, 1);
	r->actor_id = sqlite3_column_int64(st, 2);
	r->action = sq_col_text(a, st, 3);
	r->object_kind = sq_col_text(a, st, 4);
	r->object_id = sqlite3_column_int64(st, 5);
	r->malformed = 0;
	read_audit_hash(st, 6, r->prev_hash, &r->malformed);
	read_audit_hash(st, 7, r->hash, &r->malformed);
	return r->action && r->object_kind ? VD_OK : VD_ERR_NOMEM;
}

static int audit_insert(struct store *s, const struct audit_rec *r)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO audit_log(seq, at, actor_id, action, object_kind, object_id,"
				   " prev_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_int64(st, 2, r->at);
	sqlite3_bind_int64(st, 3, r->actor_id);
	sq_bind_text(st, 4, r->action);
	sq_bind_text(st, 5, r->object_kind);
	sqlite3_bind_int64(st, 6, r->object_id);
	sqlite3_bind_blob(st, 7, r->prev_hash, STORE_AUDIT_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 8, r->hash, STORE_AUDIT_HASH_LEN, SQLITE_TRANSIENT);
	return sq_exec_done(s, st);
}

static int audit_head(struct store *s, int64_t *seq, unsigned char hash[STORE_AUDIT_HASH_LEN])
{
	sqlite3_stmt *st = sq_prep(s, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
	if (!st)
		return VD_ERR_STORE;
	int rc = sqlite3_step(st), ret = VD_OK;
	*seq = 0;
	memset(hash, 0, STORE_AUDIT_HASH_LEN);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (!sq_blob_exact(st, 1, hash, STORE_AUDIT_HASH_LEN))
			ret = VD_ERR_STORE; /* the chain cannot go on from a damaged head */
	} else if (rc != SQLITE_DONE) {
		ret = sq_map_rc(rc);
	}
	sq_done(s, st);
	return ret;
}

static int audit_append_rows(struct store *s, struct audit_rec *r, audit_seal_fn seal)
{
	int64_t last;
	int rc = audit_head(s, &last, r->prev_hash);
	if (rc)
		return rc;
	r->seq = last + 1;
	rc = seal(r);
	return rc ? rc : audit_insert(s, r);
}

/* Reading the head and writing after it are one step: the write lock is
 * held from before the read (sq_atomic_begin) until the entry is in. */
static int sq_audit_append_next(struct store *s, struct audit_rec *r, audit_seal_fn seal)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, audit_append_rows(s, r, seal));
}

static int sq_audit_last(struct store *s, struct arena *a, struct audit_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq DESC LIMIT 1");
	if (!st)
		return VD_ERR_STORE;
	int rc = sqlite3_step(st), ret;
	if (rc == SQLITE_ROW)
		ret = read_audit(a, st, out);
	else
		ret = rc == SQLITE_DONE ? VD_ERR_NOTFOUND : sq_map_rc(rc);
	sq_done(s, st);
	return ret;
}

/* Reads up to limit rows of a bound audit statement into out. */
static int read_audit_list(struct store *s, struct arena *a, sqlite3_stmt *st, size_t limit,
			   struct audit_recs *out)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		if (read_audit(a, st, &out->items[out->n++]) != VD_OK) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int sq_audit_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct audit_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = sq_prep(s, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	return read_audit_list(s, a, st, limit, out);
}

static int sq_audit_before(struct store *s, struct arena *a, int64_t before, size_t limit, struct audit_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = sq_prep(s, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	return read_audit_list(s, a, st, limit, out);
}

/* ---- the counsellor's own log ---------------------------------------------- */

static int sq_counsellor_log_insert(struct store *s, const struct counsellor_log_rec *e, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO counsellor_log(user_id, kind, on_day, unit_id, asked, audience,"
				   " minutes, created_at, subject, reporter_type)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, e->user_id);
	sq_bind_text(st, 2, e->kind);
	sqlite3_bind_int64(st, 3, e->on_day);
	sqlite3_bind_int64(st, 4, e->unit_id);
	sqlite3_bind_int(st, 5, e->asked);
	sq_bind_text(st, 6, e->audience);
	sqlite3_bind_int64(st, 7, e->minutes);
	sqlite3_bind_int64(st, 8, e->created_at);
	if (e->subject)
		sqlite3_bind_blob64(st, 9, e->subject, e->subject_len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 9);
	sq_bind_text(st, 10, e->reporter_type ? e->reporter_type : "");
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sqlite3_last_insert_rowid(sq_conn_get(s)->db);
	return rc;
}

static int read_counsellor_log(struct arena *a, sqlite3_stmt *st, struct counsellor_log_rec *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->user_id = sqlite3_column_int64(st, 1);
	e->kind = sq_col_text(a, st, 2);
	e->on_day = sqlite3_column_int64(st, 3);
	e->unit_id = sqlite3_column_int64(st, 4);
	e->asked = sqlite3_column_int(st, 5);
	e->audience = sq_col_text(a, st, 6);
	e->minutes = sqlite3_column_int64(st, 7);
	e->created_at = sqlite3_column_int64(st, 8);
	e->reporter_type = sq_col_text(a, st, 10);
	e->subject = NULL;
	e->subject_len = 0;
	if (!e->kind || !e->audience || !e->reporter_type)
		return VD_ERR_NOMEM;
	if (sqlite3_column_type(st, 9) == SQLITE_NULL)
		return VD_OK;
	int n = sqlite3_column_bytes(st, 9);
	unsigned char *subject = arena_alloc(a, (size_t)n + 1);
	if (!subject)
		return VD_ERR_NOMEM;
	if (n)
		memcpy(subject, sqlite3_column_blob(st, 9), (size_t)n);
	e->subject = subject;
	e->subject_len = (size_t)n;
	return VD_OK;
}

static int sq_counsellor_log_list(struct store *s, struct arena *a, int64_t user_id,
				  const struct counsellor_log_cursor_rec *after, size_t limit,
				  struct counsellor_log_recs *out)
{
	out->n = 0;
	out->items = arena_alloc(a, (limit ? limit : 1) * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	/* Both walk the index counsellor_log_user_day backwards (it ends in the
	 * rowid): a page costs the same however deep it is. */
	sqlite3_stmt *st = after
		? sq_prep(s, "SELECT id, user_id, kind, on_day, unit_id, asked, audience, minutes, created_at, subject,"
			  " reporter_type"
			  " FROM counsellor_log WHERE user_id = ?1 AND (on_day, id) < (?3, ?4)"
			  " ORDER BY on_day DESC, id DESC LIMIT ?2")
		: sq_prep(s, "SELECT id, user_id, kind, on_day, unit_id, asked, audience, minutes, created_at, subject,"
			  " reporter_type"
			  " FROM counsellor_log WHERE user_id = ?1 ORDER BY on_day DESC, id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	if (after) {
		sqlite3_bind_int64(st, 3, after->on_day);
		sqlite3_bind_int64(st, 4, after->id);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		if (read_counsellor_log(a, st, &out->items[out->n++]) != VD_OK) {
			sq_done(s, st);
			return VD_ERR_NOMEM;
		}
	}
	sq_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VD_OK : sq_map_rc(rc);
}

static int sq_counsellor_log_delete(struct store *s, int64_t user_id, int64_t id)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM counsellor_log WHERE id = ?1 AND user_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	return sq_exec_change(s, st);
}

static int sq_counsellor_log_totals(struct store *s, int64_t from_day, int64_t to_day, int64_t unit_id,
				    int64_t user_id, struct counsellor_log_totals_rec *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_prep(s, "SELECT"
				   " coalesce(sum(kind = 'advice' AND asked = 1), 0),"
				   " coalesce(sum(kind = 'advice' AND asked = 0), 0),"
				   " coalesce(sum(kind = 'advice' AND audience = 'manager'), 0),"
				   " coalesce(sum(kind = 'advice' AND audience = 'board'), 0),"
				   " coalesce(sum(kind = 'training'), 0),"
				   " coalesce(sum(CASE WHEN kind = 'training' THEN minutes END), 0),"
				   " coalesce(sum(kind = 'supervision'), 0),"
				   " coalesce(sum(CASE WHEN kind = 'supervision' THEN minutes END), 0),"
				   " coalesce(sum(kind = 'question'), 0)"
				   " FROM counsellor_log WHERE on_day >= ?1 AND on_day < ?2"
				   " AND (?4 = 0 OR user_id = ?4)"
				   " AND (?3 = 0 OR (kind IN ('advice', 'question') AND unit_id = ?3)"
				   "  OR (kind NOT IN ('advice', 'question') AND user_id IN (SELECT user_id FROM user_units WHERE unit_id = ?3)))");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, from_day);
	sqlite3_bind_int64(st, 2, to_day);
	sqlite3_bind_int64(st, 3, unit_id);
	sqlite3_bind_int64(st, 4, user_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->advice_asked = sqlite3_column_int64(st, 0);
		out->advice_unasked = sqlite3_column_int64(st, 1);
		out->advice_manager = sqlite3_column_int64(st, 2);
		out->advice_board = sqlite3_column_int64(st, 3);
		out->training_entries = sqlite3_column_int64(st, 4);
		out->training_minutes = sqlite3_column_int64(st, 5);
		out->supervision_sessions = sqlite3_column_int64(st, 6);
		out->supervision_minutes = sqlite3_column_int64(st, 7);
		out->questions = sqlite3_column_int64(st, 8);
	}
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : sq_map_rc(rc);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.migrate = sq_migrate,
	.schema_version = sq_schema_version,
	.table_count = sq_table_count,
	.check = sq_check,
	.copy_to = sq_copy_to,
	.rows_each = sq_rows_each,
	.throttle_get = sq_throttle_get,
	.throttle_put = sq_throttle_put,
	.throttle_delete = sq_throttle_delete,
	.throttle_purge = sq_throttle_purge,
	.load_begin = sq_load_begin,
	.load_row = sq_load_row,
	.load_end = sq_load_end,
	.compact = sq_compact,
	.retention_due = sq_retention_due,
	.record_purge = sq_record_purge,
	.log_subjects_purge = sq_log_subjects_purge,
	.escrow_get = sq_escrow_get,
	.escrow_put = sq_escrow_put,
	.escrow_key_put = sq_escrow_key_put,
	.escrow_key_get = sq_escrow_key_get,
	.escrow_uncovered = sq_escrow_uncovered,
	.escrow_request_insert = sq_escrow_request_insert,
	.escrow_request_get = sq_escrow_request_get,
	.escrow_request_list = sq_escrow_request_list,
	.escrow_request_end = sq_escrow_request_end,
	.escrow_approval_put = sq_escrow_approval_put,
	.escrow_approval_list = sq_escrow_approval_list,
	.user_case_ids = sq_user_case_ids,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.unit_insert = sq_unit_insert,
	.unit_update = sq_unit_update,
	.unit_delete = sq_unit_delete,
	.unit_list = sq_unit_list,
	.user_insert = sq_user_insert,
	.user_update = sq_user_update,
	.user_set_password = sq_user_set_password,
	.user_get = sq_user_get,
	.user_find_email = sq_user_find_email,
	.user_list = sq_user_list,
	.user_units_set = sq_user_units_set,
	.user_units_get = sq_user_units_get,
	.profile_put = sq_profile_put,
	.profile_get = sq_profile_get,
	.counsellor_list = sq_counsellor_list,
	.session_insert = sq_session_insert,
	.session_get = sq_session_get,
	.session_user_get = sq_session_user_get,
	.receipt_costs_fill = sq_receipt_costs_fill,
	.session_touch = sq_session_touch,
	.session_delete = sq_session_delete,
	.session_delete_user = sq_session_delete_user,
	.session_purge = sq_session_purge,
	.user_key_put = sq_user_key_put,
	.user_key_get = sq_user_key_get,
	.case_insert = sq_case_insert,
	.case_get = sq_case_get,
	.case_find_locator = sq_case_find_locator,
	.case_key_get = sq_case_key_get,
	.case_list = sq_case_list,
	.case_mark_opened = sq_case_mark_opened,
	.message_insert = sq_message_insert,
	.message_list = sq_message_list,
	.attachment_insert = sq_attachment_insert,
	.attachment_list = sq_attachment_list,
	.attachment_get = sq_attachment_get,
	.attachment_exists = sq_attachment_exists,
	.complaint_attachment_insert = sq_complaint_attachment_insert,
	.complaint_attachment_list = sq_complaint_attachment_list,
	.complaint_attachment_get = sq_complaint_attachment_get,
	.wb_attachment_insert = sq_wb_attachment_insert,
	.wb_attachment_list = sq_wb_attachment_list,
	.wb_attachment_get = sq_wb_attachment_get,
	.invitation_insert = sq_invitation_insert,
	.invitation_take = sq_invitation_take,
	.invitation_purge = sq_invitation_purge,
	.case_readers = sq_case_readers,
	.outbox_add = sq_outbox_add,
	.outbox_claim = sq_outbox_claim,
	.outbox_done = sq_outbox_done,
	.outbox_retry = sq_outbox_retry,
	.case_work_get = sq_case_work_get,
	.case_work_claim = sq_case_work_claim,
	.case_work_put = sq_case_work_put,
	.case_set_phase = sq_case_set_phase,
	.phase_move_list = sq_phase_move_list,
	.case_set_stats = sq_case_set_stats,
	.contact_insert = sq_contact_insert,
	.contact_list = sq_contact_list,
	.appointment_insert = sq_appointment_insert,
	.appointment_list = sq_appointment_list,
	.consent_insert = sq_consent_insert,
	.consent_list = sq_consent_list,
	.complaint_insert = sq_complaint_insert,
	.complaint_party_insert = sq_complaint_party_insert,
	.complaint_party_find_locator = sq_complaint_party_find_locator,
	.complaint_party_list = sq_complaint_party_list,
	.complaint_party_supported = sq_complaint_party_supported,
	.complaint_letter_insert = sq_complaint_letter_insert,
	.complaint_letter_list = sq_complaint_letter_list,
	.complaint_letter_count = sq_complaint_letter_count,
	.complaint_hearing_insert = sq_complaint_hearing_insert,
	.complaint_hearing_update = sq_complaint_hearing_update,
	.complaint_hearing_list = sq_complaint_hearing_list,
	.complaint_heard_insert = sq_complaint_heard_insert,
	.complaint_heard_update = sq_complaint_heard_update,
	.complaint_heard_list = sq_complaint_heard_list,
	.wb_report_insert = sq_wb_report_insert,
	.wb_report_get = sq_wb_report_get,
	.wb_report_claim = sq_wb_report_claim,
	.wb_report_find_locator = sq_wb_report_find_locator,
	.wb_report_update = sq_wb_report_update,
	.wb_report_rekey = sq_wb_report_rekey,
	.wb_key_get = sq_wb_key_get,
	.wb_report_list = sq_wb_report_list,
	.wb_reports_due = sq_wb_reports_due,
	.wb_report_remind = sq_wb_report_remind,
	.wb_event_insert = sq_wb_event_insert,
	.wb_event_count = sq_wb_event_count,
	.wb_event_list = sq_wb_event_list,
	.complaint_get = sq_complaint_get,
	.complaint_claim = sq_complaint_claim,
	.complaint_update = sq_complaint_update,
	.complaint_key_get = sq_complaint_key_get,
	.complaint_readers = sq_complaint_readers,
	.complaint_list = sq_complaint_list,
	.complaint_without_terms = sq_complaint_without_terms,
	.complaint_open_after = sq_complaint_open_after,
	.complaint_term_insert = sq_complaint_term_insert,
	.complaint_term_update = sq_complaint_term_update,
	.complaint_term_list = sq_complaint_term_list,
	.complaint_running_terms = sq_complaint_running_terms,
	.complaint_terms_due = sq_complaint_terms_due,
	.complaint_term_remind = sq_complaint_term_remind,
	.complaint_pause_insert = sq_complaint_pause_insert,
	.complaint_pause_end = sq_complaint_pause_end,
	.complaint_pause_list = sq_complaint_pause_list,
	.complaint_extension_insert = sq_complaint_extension_insert,
	.complaint_extension_list = sq_complaint_extension_list,
	.complaint_move_insert = sq_complaint_move_insert,
	.complaint_move_list = sq_complaint_move_list,
	.case_reader_replace = sq_case_reader_replace,
	.conflict_put = sq_conflict_put,
	.conflict_list = sq_conflict_list,
	.exception_insert = sq_exception_insert,
	.exception_list = sq_exception_list,
	.case_stat_counts = sq_case_stat_counts,
	.user_totp_get = sq_user_totp_get,
	.user_totp_put = sq_user_totp_put,
	.user_totp_use_step = sq_user_totp_use_step,
	.backup_code_use = sq_backup_code_use,
	.backup_codes_left = sq_backup_codes_left,
	.session_second_factor_done = sq_session_second_factor_done,
	.question_stat_counts = sq_question_stat_counts,
	.annual_report_get = sq_annual_report_get,
	.annual_report_put = sq_annual_report_put,
	.annual_report_publish = sq_annual_report_publish,
	.annual_report_list = sq_annual_report_list,
	.wb_stat_rows = sq_wb_stat_rows,
	.complaint_stat_rows = sq_complaint_stat_rows,
	.dashboard = sq_dashboard,
	.round_insert = sq_round_insert,
	.round_get = sq_round_get,
	.round_list = sq_round_list,
	.round_member_get = sq_round_member_get,
	.round_member_add = sq_round_member_add,
	.round_members = sq_round_members,
	.round_questions = sq_round_questions,
	.declaration_insert = sq_declaration_insert,
	.declaration_get = sq_declaration_get,
	.declaration_update = sq_declaration_update,
	.declaration_list_round = sq_declaration_list_round,
	.declaration_list_candidate = sq_declaration_list_candidate,
	.candidate_link_put = sq_candidate_link_put,
	.candidate_link_take = sq_candidate_link_take,
	.candidate_link_find = sq_candidate_link_find,
	.doc_version_add = sq_doc_version_add,
	.doc_version_get = sq_doc_version_get,
	.doc_version_current = sq_doc_version_current,
	.doc_version_list = sq_doc_version_list,
	.setting_get = sq_setting_get,
	.setting_put = sq_setting_put,
	.counter_get = sq_counter_get,
	.counter_increment = sq_counter_increment,
	.audit_append_next = sq_audit_append_next,
	.audit_last = sq_audit_last,
	.audit_after = sq_audit_after,
	.audit_before = sq_audit_before,
	.counsellor_log_insert = sq_counsellor_log_insert,
	.counsellor_log_list = sq_counsellor_log_list,
	.counsellor_log_delete = sq_counsellor_log_delete,
	.counsellor_log_totals = sq_counsellor_log_totals,
};

int store_sqlite_open(const char *path, int create, struct store **out)
{
	struct sqlite_store *ss = calloc(1, sizeof *ss);
	if (!ss)
		return VD_ERR_NOMEM;
	ss->base.ops = &sqlite_ops;
	ss->create = create;
	ss->path = strdup(path);
	if (!ss->path || pthread_key_create(&ss->key, conn_free) != 0) {
		free(ss->path);
		free(ss);
		return VD_ERR_NOMEM;
	}
	/* Open this thread's connection now, so a bad path fails here, clearly. */
	if (!sq_conn_get(&ss->base)) {
		pthread_key_delete(ss->key);
		free(ss->path);
		free(ss);
		return VD_ERR_STORE;
	}
	*out = &ss->base;
	return VD_OK;
}
