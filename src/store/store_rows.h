/*
 * store_rows: what the backends' whole-row code shares (sqlite/store_rows.c,
 * postgres/pg_rows.c; store.h, rows_each and load_*). Not for the core.
 */
#ifndef VD_STORE_ROWS_H
#define VD_STORE_ROWS_H

#include <stdbool.h>

/* The units, each after its parent: by depth from the roots (a unit no root
 * reaches, which cannot be, comes last and fails its foreign key on
 * loading). The same SQL on both backends. */
extern const char store_units_in_order[];

struct buf;
struct store_row;
/* load_row's statement for row into sql: "INSERT INTO table (a, b) VALUES
 * (?1, ?2)", each parameter the mark ('?' for SQLite, '$' for PostgreSQL)
 * and its number. VD_ERR_MISUSE for a table not in store_tables, no
 * columns or more than max, or a column name that is not a plain lower-case
 * identifier (a row's column names never bring SQL with them). */
int store_insert_sql(struct buf *sql, const struct store_row *row, size_t max, char mark);

#endif
