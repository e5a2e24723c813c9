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

/* Whether s can be a column name in the SQL load_row makes: a plain
 * lower-case identifier, so a row's column names never bring SQL with them. */
bool store_column_name_plain(const char *s);

#endif
