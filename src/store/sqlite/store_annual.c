/*
 * The SQLite store's annual reports (issue 11): each unit's report of a
 * year while it is written and reviewed, and as it was published, after
 * which the schema refuses any change. See store.h for what each promises.
 */
#include <string.h>

#include "../../util/errors.h"
#include "sqlite_internal.h"

#define ANNUAL_COLUMNS "id, unit_id, year, state, written_by, written_at, reviewed_by, published_at, covers"

/* The columns every read takes; then the texts, when asked for. */
static bool annual_row(struct arena *a, sqlite3_stmt *st, struct annual_report_rec *r, bool texts)
{
	r->id = sqlite3_column_int64(st, 0);
	r->unit_id = sqlite3_column_int64(st, 1);
	r->year = sqlite3_column_int64(st, 2);
	r->state = sq_col_text(a, st, 3);
	r->written_by = sqlite3_column_int64(st, 4);
	r->written_at = sqlite3_column_int64(st, 5);
	r->reviewed_by = sqlite3_column_int64(st, 6);
	r->published_at = sqlite3_column_int64(st, 7);
	r->covers = sq_col_text(a, st, 8);
	r->trends = texts ? sq_col_text(a, st, 9) : NULL;
	r->snapshot = texts ? sq_col_text(a, st, 10) : NULL;
	return r->state && r->covers && (!texts || (r->trends && r->snapshot));
}

int sq_annual_report_get(struct store *s, struct arena *a, int64_t unit_id, int64_t year, struct annual_report_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " ANNUAL_COLUMNS ", trends, snapshot FROM annual_reports"
				      " WHERE unit_id = ?1 AND year = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, year);
	int rc = sqlite3_step(st);
	bool ok = rc != SQLITE_ROW || annual_row(a, st, out, true);
	sq_done(s, st);
	if (rc == SQLITE_DONE)
		return VD_ERR_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_map_rc(rc);
	return ok ? VD_OK : VD_ERR_NOMEM;
}

int sq_annual_report_put(struct store *s, const struct annual_report_rec *r)
{
	if (strcmp(r->state, "draft") != 0 && strcmp(r->state, "review") != 0)
		return VD_ERR_MISUSE; /* publishing is its own operation */
	/* the trigger refuses the update of a published one */
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO annual_reports(unit_id, year, state, trends, written_by, written_at)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (unit_id, year) DO UPDATE SET"
				      " state = excluded.state, trends = excluded.trends, written_by = excluded.written_by,"
				      " written_at = excluded.written_at");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->unit_id);
	sqlite3_bind_int64(st, 2, r->year);
	sq_bind_text(st, 3, r->state);
	sq_bind_text(st, 4, r->trends ? r->trends : "");
	sqlite3_bind_int64(st, 5, r->written_by);
	sqlite3_bind_int64(st, 6, r->written_at);
	return sq_exec_done(s, st);
}

int sq_annual_report_publish(struct store *s, const struct annual_report_rec *r)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE annual_reports SET state = 'published', reviewed_by = ?3,"
				      " published_at = ?4, covers = ?5, snapshot = ?6"
				      " WHERE unit_id = ?1 AND year = ?2 AND state = 'review'");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->unit_id);
	sqlite3_bind_int64(st, 2, r->year);
	sqlite3_bind_int64(st, 3, r->reviewed_by);
	sqlite3_bind_int64(st, 4, r->published_at);
	sq_bind_text(st, 5, r->covers);
	sq_bind_text(st, 6, r->snapshot);
	return sq_exec_change(s, st);
}

int sq_annual_report_list(struct store *s, struct arena *a, int64_t year, bool published_only, size_t limit,
			  struct annual_report_recs *out)
{
	SQ_LIST_BEGIN(out, limit + 1)
	sqlite3_stmt *st = sq_prep(s, "SELECT " ANNUAL_COLUMNS " FROM annual_reports"
				      " WHERE (?1 = 0 OR year = ?1) AND (?2 = 0 OR state = 'published')"
				      " ORDER BY year DESC, unit_id LIMIT ?3");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, year);
	sqlite3_bind_int(st, 2, published_only);
	sqlite3_bind_int64(st, 3, (int64_t)limit + 1);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW)
		oom = !annual_row(a, st, &out->items[out->n++], false);
	rc = sq_list_end(s, st, rc, oom);
	return rc == VD_OK && out->n > limit ? VD_ERR_TOOBIG : rc;
}
