/*
 * store_rows: the SQLite store's whole rows, for store_copy (store.h):
 * every row out (rows_each) and rows in as they are (load_*).
 *
 * The SQL is made at run time, from the table names of store_tables and
 * the column names the rows bring, which load_row takes only when they are
 * plain identifiers; every value is bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/errors.h"
#include "../store_rows.h"
#include "sqlite_internal.h"

#define COLUMNS_MAX 64

/* The triggers that keep a derived value: a loaded row brings its value. */
static const char *const derived_triggers[] = { "contacts_counted" };

/* A table the copy would leave behind is an error, not a loss. */
static int tables_known(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
			       -1, &st, NULL) != SQLITE_OK)
		return VD_ERR_STORE;
	int rc = VD_OK, step;
	while (rc == VD_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
		if (store_table_index((const char *)sqlite3_column_text(st, 0)) < 0)
			rc = VD_ERR_STORE;
	if (rc == VD_OK && step != SQLITE_DONE)
		rc = sq_map_rc(step);
	sqlite3_finalize(st);
	return rc;
}

static int table_rows(sqlite3 *db, const char *table, store_row_fn fn, void *ctx)
{
	char sql[128];
	if (strcmp(table, "units") != 0)
		snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, strcmp(table, "units") == 0 ? store_units_in_order : sql, -1, &st, NULL) != SQLITE_OK)
		return VD_ERR_STORE;
	int n = sqlite3_column_count(st);
	const char *columns[COLUMNS_MAX];
	struct store_value values[COLUMNS_MAX];
	int rc = n > 0 && n <= COLUMNS_MAX ? VD_OK : VD_ERR_STORE, step = SQLITE_DONE;
	for (int i = 0; rc == VD_OK && i < n; i++)
		columns[i] = sqlite3_column_name(st, i);
	while (rc == VD_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; rc == VD_OK && i < n; i++) {
			struct store_value *v = &values[i];
			memset(v, 0, sizeof *v);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL: v->kind = STORE_NULL; break;
			case SQLITE_INTEGER:
				v->kind = STORE_INT;
				v->i = sqlite3_column_int64(st, i);
				break;
			case SQLITE_TEXT:
				v->kind = STORE_TEXT;
				v->p = sqlite3_column_text(st, i);
				v->n = (size_t)sqlite3_column_bytes(st, i);
				break;
			case SQLITE_BLOB:
				v->kind = STORE_BYTES;
				v->p = sqlite3_column_blob(st, i);
				v->n = (size_t)sqlite3_column_bytes(st, i);
				break;
			default: rc = VD_ERR_STORE; /* a real number: the schema has none */
			}
		}
		if (rc == VD_OK)
			rc = fn(ctx, &(struct store_row){ table, (size_t)n, columns, values });
	}
	if (rc == VD_OK && step != SQLITE_DONE)
		rc = sq_map_rc(step);
	sqlite3_finalize(st);
	return rc;
}

int sq_rows_each(struct store *s, store_row_fn fn, void *ctx)
{
	sqlite3 *db = sq_db(s);
	if (!db)
		return VD_ERR_STORE;
	/* a deferred read transaction: its first read fixes the moment */
	bool own = sqlite3_get_autocommit(db);
	if (own && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return VD_ERR_STORE;
	int rc = tables_known(db);
	for (size_t i = 0; rc == VD_OK && i < store_table_count; i++)
		rc = table_rows(db, store_tables[i], fn, ctx);
	if (own)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int sq_load_begin(struct store *s)
{
	sqlite3 *db = sq_db(s);
	char **held = sq_held_triggers(s);
	if (!db || !held)
		return VD_ERR_STORE;
	if (!sqlite3_get_autocommit(db))
		return VD_ERR_MISUSE;
	int rc = sq_map_rc(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
	if (rc)
		return rc;
	struct buf sql;
	buf_init(&sql, 64 * 1024);
	for (size_t i = 0; rc == VD_OK && i < sizeof derived_triggers / sizeof derived_triggers[0]; i++) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", -1, &st,
					NULL) == SQLITE_OK
			     ? VD_OK
			     : VD_ERR_STORE;
		if (rc == VD_OK) {
			sqlite3_bind_text(st, 1, derived_triggers[i], -1, SQLITE_STATIC);
			rc = sqlite3_step(st) == SQLITE_ROW ? buf_printf(&sql, "%s;\n", sqlite3_column_text(st, 0))
							    : VD_ERR_STORE;
		}
		sqlite3_finalize(st);
		char drop[96];
		snprintf(drop, sizeof drop, "DROP TRIGGER %s", derived_triggers[i]);
		if (rc == VD_OK && sqlite3_exec(db, drop, NULL, NULL, NULL) != SQLITE_OK)
			rc = VD_ERR_STORE;
	}
	if (rc == VD_OK) {
		free(*held);
		*held = buf_take(&sql, NULL);
		rc = *held ? VD_OK : VD_ERR_NOMEM;
	}
	buf_release(&sql);
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int sq_load_row(struct store *s, const struct store_row *row)
{
	sqlite3 *db = sq_db(s);
	if (!db)
		return VD_ERR_STORE;
	if (sqlite3_get_autocommit(db))
		return VD_ERR_MISUSE;
	struct buf sql;
	buf_init(&sql, 8192);
	int rc = store_insert_sql(&sql, row, COLUMNS_MAX, '?');
	sqlite3_stmt *st = NULL;
	if (rc == VD_OK && sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK)
		rc = VD_ERR_STORE;
	for (size_t i = 0; rc == VD_OK && i < row->n; i++) {
		const struct store_value *v = &row->values[i];
		int k = (int)i + 1;
		switch (v->kind) {
		case STORE_NULL: sqlite3_bind_null(st, k); break;
		case STORE_INT: sqlite3_bind_int64(st, k, v->i); break;
		case STORE_TEXT: sqlite3_bind_text64(st, k, v->p ? v->p : "", v->n, SQLITE_STATIC, SQLITE_UTF8); break;
		case STORE_BYTES: sqlite3_bind_blob64(st, k, v->p ? v->p : "", v->n, SQLITE_STATIC); break;
		}
	}
	if (rc == VD_OK) {
		int step = sqlite3_step(st);
		rc = step == SQLITE_DONE ? VD_OK : sq_map_rc(step);
	}
	sqlite3_finalize(st);
	buf_release(&sql);
	return rc;
}

int sq_load_end(struct store *s, int rc)
{
	sqlite3 *db = sq_db(s);
	char **held = sq_held_triggers(s);
	if (!db || !held)
		return VD_ERR_STORE;
	if (sqlite3_get_autocommit(db))
		return rc ? rc : VD_ERR_MISUSE;
	/* AUTOINCREMENT's counters (sqlite_sequence) followed the inserted ids */
	if (rc == VD_OK && (!*held || sqlite3_exec(db, *held, NULL, NULL, NULL) != SQLITE_OK))
		rc = VD_ERR_STORE;
	if (rc == VD_OK)
		rc = sq_map_rc(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL); /* the dropped triggers come back with it */
	free(*held);
	*held = NULL;
	return rc;
}
