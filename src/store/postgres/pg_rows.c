/*
 * pg_rows: the PostgreSQL store's whole rows, for store_copy (store.h):
 * every row out (rows_each, through a cursor, so a big table is never in
 * memory whole) and rows in as they are (load_*).
 */
#include <stdio.h>
#include <string.h>

#include "../../util/buf.h"
#include "../../util/errors.h"
#include "../store_rows.h"
#include "pg_internal.h"

#define FETCH_ROWS "256"

/* The type oids of the columns the schema has (pg_type.h). */
enum { OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_VARCHAR = 1043 };

/* A table the copy would leave behind is an error, not a loss. */
static int tables_known(struct store *s)
{
	PGresult *r = NULL;
	int rc = pg_run(s, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", NULL, &r);
	for (int i = 0; rc == VD_OK && i < PQntuples(r); i++) {
		const char *t = PQgetvalue(r, i, 0);
		if (strcmp(t, "vd_schema") != 0 && store_table_index(t) < 0)
			rc = VD_ERR_STORE;
	}
	PQclear(r);
	return rc;
}

static int row_values(const PGresult *r, int row, struct store_value *values)
{
	for (int i = 0; i < PQnfields(r); i++) {
		struct store_value *v = &values[i];
		memset(v, 0, sizeof *v);
		if (PQgetisnull(r, row, i)) {
			v->kind = STORE_NULL;
			continue;
		}
		switch (PQftype(r, i)) {
		case OID_INT2:
		case OID_INT4:
		case OID_INT8:
			v->kind = STORE_INT;
			v->i = pg_get_int(r, row, i);
			break;
		case OID_TEXT:
		case OID_VARCHAR:
		case OID_BYTEA:
			v->kind = PQftype(r, i) == OID_BYTEA ? STORE_BYTES : STORE_TEXT;
			v->p = PQgetvalue(r, row, i);
			v->n = (size_t)PQgetlength(r, row, i);
			break;
		default: return VD_ERR_STORE; /* a type the schema does not use */
		}
	}
	return VD_OK;
}

static int table_rows(struct store *s, const char *table, store_row_fn fn, void *ctx)
{
	char sql[512];
	if (strcmp(table, "units") == 0)
		snprintf(sql, sizeof sql, "DECLARE vd_rows NO SCROLL CURSOR FOR %s", store_units_in_order);
	else
		snprintf(sql, sizeof sql, "DECLARE vd_rows NO SCROLL CURSOR FOR SELECT * FROM %s", table);
	int rc = pg_exec(s, sql, NULL);
	if (rc)
		return rc;
	const char *columns[PG_PARAMS_MAX];
	struct store_value values[PG_PARAMS_MAX];
	for (int got = 1; rc == VD_OK && got > 0;) {
		PGresult *r = NULL;
		rc = pg_run(s, "FETCH " FETCH_ROWS " FROM vd_rows", NULL, &r);
		got = rc == VD_OK ? PQntuples(r) : 0;
		int n = rc == VD_OK ? PQnfields(r) : 0;
		if (rc == VD_OK && (n <= 0 || n > PG_PARAMS_MAX))
			rc = VD_ERR_STORE;
		for (int i = 0; rc == VD_OK && i < n; i++)
			columns[i] = PQfname(r, i);
		for (int row = 0; rc == VD_OK && row < got; row++) {
			rc = row_values(r, row, values);
			if (rc == VD_OK)
				rc = fn(ctx, &(struct store_row){ table, (size_t)n, columns, values });
		}
		PQclear(r);
	}
	int closed = pg_exec(s, "CLOSE vd_rows", NULL);
	return rc ? rc : closed;
}

int pg_rows_each(struct store *s, store_row_fn fn, void *ctx)
{
	if (!pg_conn(s))
		return VD_ERR_STORE;
	bool own = !pg_in_transaction(s);
	/* one snapshot for every table: what was committed when it began */
	int rc = own ? pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL) : VD_OK;
	if (rc)
		return rc;
	rc = tables_known(s);
	for (size_t i = 0; rc == VD_OK && i < store_table_count; i++)
		rc = table_rows(s, store_tables[i], fn, ctx);
	if (own)
		pg_exec(s, "ROLLBACK", NULL);
	return rc;
}

/* The triggers that keep a derived value: a loaded row brings its value.
 * ALTER TABLE is part of the transaction: a rollback puts them back too. */
static const char hold_triggers[] = "ALTER TABLE contacts DISABLE TRIGGER contacts_counted";
static const char release_triggers[] = "ALTER TABLE contacts ENABLE TRIGGER contacts_counted";

/* Every identity column's counter past the highest id loaded. */
static const char counters_past_ids[] =
	"DO $$ DECLARE r record; m bigint; BEGIN\n"
	"  FOR r IN SELECT table_name, column_name FROM information_schema.columns\n"
	"           WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP\n"
	"    EXECUTE format('SELECT max(%I) FROM %I', r.column_name, r.table_name) INTO m;\n"
	"    IF m IS NOT NULL THEN\n"
	"      PERFORM setval(pg_get_serial_sequence(format('%I', r.table_name), r.column_name), m);\n"
	"    END IF;\n"
	"  END LOOP;\n"
	"END $$";

int pg_load_begin(struct store *s)
{
	if (!pg_conn(s))
		return VD_ERR_STORE;
	if (pg_in_transaction(s))
		return VD_ERR_MISUSE;
	int rc = pg_write_begin(s);
	if (rc == VD_OK && (rc = pg_exec(s, hold_triggers, NULL)) != VD_OK)
		pg_exec(s, "ROLLBACK", NULL);
	return rc;
}

int pg_load_row(struct store *s, const struct store_row *row)
{
	if (!pg_in_transaction(s))
		return VD_ERR_MISUSE;
	struct buf sql;
	buf_init(&sql, 8192);
	int rc = store_insert_sql(&sql, row, PG_PARAMS_MAX, '$');
	struct pg_params p = { 0 };
	for (size_t i = 0; rc == VD_OK && i < row->n; i++) {
		const struct store_value *v = &row->values[i];
		if (v->kind == STORE_INT)
			pg_int(&p, v->i);
		else if (v->kind == STORE_NULL)
			pg_blob(&p, NULL, 0);
		else /* texts and bytes alike in binary: their bytes, whichever the column */
			pg_blob(&p, v->p ? v->p : "", v->n);
	}
	if (rc == VD_OK)
		rc = pg_exec(s, sql.data, &p);
	buf_release(&sql);
	return rc;
}

int pg_load_end(struct store *s, int rc)
{
	if (!pg_in_transaction(s))
		return rc ? rc : VD_ERR_MISUSE;
	if (rc == VD_OK)
		rc = pg_exec(s, counters_past_ids, NULL);
	if (rc == VD_OK)
		rc = pg_exec(s, release_triggers, NULL);
	if (rc == VD_OK)
		rc = pg_exec(s, "COMMIT", NULL);
	if (rc && pg_in_transaction(s))
		pg_exec(s, "ROLLBACK", NULL);
	return rc;
}
