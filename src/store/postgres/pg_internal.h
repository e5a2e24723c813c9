/*
 * pg_internal: what the PostgreSQL store's files share (issue 15).
 *
 * One connection per thread, as the SQLite store (a pthread key). Every
 * value goes to the server as a bound parameter (PQexecParams), integers
 * and bytes in binary, and every answer comes back in binary, so no value is
 * ever part of the SQL text and bytes need no escaping.
 */
#ifndef VD_PG_INTERNAL_H
#define VD_PG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "../../util/arena.h"
#include "../store.h"

#define PG_PARAMS_MAX 32

/* The parameters of one statement, $1 upwards in the order added. */
struct pg_params {
	int n;
	const char *values[PG_PARAMS_MAX];
	int lengths[PG_PARAMS_MAX];
	int formats[PG_PARAMS_MAX];
	unsigned char ints[PG_PARAMS_MAX][8]; /* int8 in network order */
};

void pg_int(struct pg_params *p, int64_t v);
void pg_id_or_null(struct pg_params *p, int64_t id);            /* 0: SQL NULL (no row) */
void pg_text(struct pg_params *p, const char *s);              /* NULL: '' */
void pg_blob(struct pg_params *p, const void *b, size_t n);     /* NULL: SQL NULL */

/* The calling thread's connection (opened on first use); NULL if it cannot. */
PGconn *pg_conn(struct store *s);

/* Runs sql with p (NULL: none). *res gets the result to read and PQclear,
 * on VD_OK only. VD_ERR_* from the server's SQLSTATE (store.h, "Errors"). */
int pg_run(struct store *s, const char *sql, const struct pg_params *p, PGresult **res);
/* The same for a statement whose rows are not read. */
int pg_exec(struct store *s, const char *sql, const struct pg_params *p);
/* The same, but VD_ERR_NOTFOUND when it changed no row. */
int pg_exec_change(struct store *s, const char *sql, const struct pg_params *p);
/* A DELETE: VD_ERR_NOTFOUND when no row went, VD_ERR_INUSE when a foreign
 * key still names the row. */
int pg_exec_delete(struct store *s, const char *sql, const struct pg_params *p);
/* An INSERT ... RETURNING id: the id into *id. */
int pg_insert_id(struct store *s, const char *sql, const struct pg_params *p, int64_t *id);

/* Reading a binary result: integers of any width, texts and bytes copied
 * into the arena (NULL only when the arena is full). */
int64_t pg_get_int(const PGresult *r, int row, int col);
const char *pg_get_text(struct arena *a, const PGresult *r, int row, int col);
/* Exactly n bytes into out: false if the value has another length. */
bool pg_get_exact(const PGresult *r, int row, int col, unsigned char *out, size_t n);

/* Atomic on their own (store.h): a savepoint inside the caller's
 * transaction, a transaction of its own outside it. */
int pg_atomic_begin(struct store *s);
int pg_atomic_end(struct store *s, int rc);
bool pg_in_transaction(struct store *s);

/* The schema, oldest first: pg_migrations[i] brings the schema to version
 * pg_migration_base + i + 1 (the first one builds schema 23 whole). */
extern const char *const pg_migrations[];
extern const int pg_migration_count;
extern const int pg_migration_base;

/* The operations, file by file. */
int pg_unit_insert(struct store *s, const struct unit_rec *u, int64_t *id);
int pg_unit_update(struct store *s, const struct unit_rec *u);
int pg_unit_delete(struct store *s, int64_t id);
int pg_unit_list(struct store *s, struct arena *a, struct unit_recs *out);
int pg_user_insert(struct store *s, const struct user_rec *u, int64_t *id);
int pg_user_update(struct store *s, const struct user_rec *u);
int pg_user_set_password(struct store *s, int64_t id, const char *hash, int must_change);
int pg_user_get(struct store *s, struct arena *a, int64_t id, struct user_rec *out);
int pg_user_find_email(struct store *s, struct arena *a, const char *email, struct user_rec *out);
int pg_user_list(struct store *s, struct arena *a, struct user_recs *out);
int pg_user_units_set(struct store *s, int64_t user_id, const struct id_list *units);
int pg_user_units_get(struct store *s, struct arena *a, int64_t user_id, struct id_list *out);
int pg_session_insert(struct store *s, const struct session_rec *r);
int pg_session_get(struct store *s, const unsigned char *token_hash, struct session_rec *out);
int pg_session_user_get(struct store *s, struct arena *a, const unsigned char *token_hash, struct session_rec *out,
			struct user_rec *user);
int pg_session_touch(struct store *s, const unsigned char *token_hash, int64_t last_seen_at);
int pg_session_delete(struct store *s, const unsigned char *token_hash);
int pg_session_delete_user(struct store *s, int64_t user_id);
int pg_session_purge(struct store *s, int64_t idle_before, int64_t now);
int pg_setting_put(struct store *s, const char *key, const char *value);
int pg_setting_get(struct store *s, struct arena *a, const char *key, const char **value);
int pg_counter_get(struct store *s, const char *name, int64_t *value);
int pg_counter_increment(struct store *s, const char *name, int64_t *value);

#endif
