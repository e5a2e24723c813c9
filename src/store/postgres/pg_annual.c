/* pg_annual: the annual reports (issue 11) on PostgreSQL: each unit's report
 * of a year while it is written and reviewed, and as it was published, after
 * which the schema's trigger refuses any change. The SQLite store's
 * store_annual.c does the same; see store.h for what each promises. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

#define ANNUAL_COLUMNS "id, unit_id, year, state, written_by, written_at, reviewed_by, published_at, covers"

/* The report of row i (ANNUAL_COLUMNS); then trends and snapshot, when the
 * query has them. */
static int read_annual(struct arena *a, const PGresult *res, int i, void *item)
{
	struct annual_report_rec *r = item;
	bool texts = PQnfields(res) > 9;
	r->id = pg_get_int(res, i, 0);
	r->unit_id = pg_get_int(res, i, 1);
	r->year = pg_get_int(res, i, 2);
	r->state = pg_get_text(a, res, i, 3);
	r->written_by = pg_get_int(res, i, 4);
	r->written_at = pg_get_int(res, i, 5);
	r->reviewed_by = pg_get_int(res, i, 6);
	r->published_at = pg_get_int(res, i, 7);
	r->covers = pg_get_text(a, res, i, 8);
	r->trends = texts ? pg_get_text(a, res, i, 9) : NULL;
	r->snapshot = texts ? pg_get_text(a, res, i, 10) : NULL;
	return r->state && r->covers && (!texts || (r->trends && r->snapshot)) ? VD_OK : VD_ERR_NOMEM;
}

int pg_annual_report_get(struct store *s, struct arena *a, int64_t unit_id, int64_t year, struct annual_report_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, unit_id);
	pg_int(&p, year);
	return pg_one(s, a, "SELECT " ANNUAL_COLUMNS ", trends, snapshot FROM annual_reports"
			    " WHERE unit_id = $1 AND year = $2", &p, read_annual, out);
}

int pg_annual_report_put(struct store *s, const struct annual_report_rec *r)
{
	if (strcmp(r->state, "draft") != 0 && strcmp(r->state, "review") != 0)
		return VD_ERR_MISUSE; /* publishing is its own operation */
	struct pg_params p = { 0 };
	pg_int(&p, r->unit_id);
	pg_int(&p, r->year);
	pg_text(&p, r->state);
	pg_text(&p, r->trends);
	pg_int(&p, r->written_by);
	pg_int(&p, r->written_at);
	/* the trigger refuses the update of a published one (VD_ERR_MISUSE) */
	return pg_exec(s, "INSERT INTO annual_reports(unit_id, year, state, trends, written_by, written_at)"
			  " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id, year) DO UPDATE SET"
			  " state = excluded.state, trends = excluded.trends, written_by = excluded.written_by,"
			  " written_at = excluded.written_at", &p);
}

int pg_annual_report_publish(struct store *s, const struct annual_report_rec *r)
{
	struct pg_params p = { 0 };
	pg_int(&p, r->unit_id);
	pg_int(&p, r->year);
	pg_int(&p, r->reviewed_by);
	pg_int(&p, r->published_at);
	pg_text(&p, r->covers);
	pg_text(&p, r->snapshot);
	return pg_exec_change(s, "UPDATE annual_reports SET state = 'published', reviewed_by = $3,"
				 " published_at = $4, covers = $5, snapshot = $6"
				 " WHERE unit_id = $1 AND year = $2 AND state = 'review'", &p);
}

int pg_annual_report_list(struct store *s, struct arena *a, int64_t year, bool published_only, size_t limit,
			  struct annual_report_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, year);
	pg_int(&p, published_only);
	pg_int(&p, (int64_t)limit + 1); /* one more than asked: there are too many */
	void *items;
	int rc = pg_rows(s, a, "SELECT " ANNUAL_COLUMNS " FROM annual_reports"
			       " WHERE ($1::int8 = 0 OR year = $1::int8) AND ($2::int8 = 0 OR state = 'published')"
			       " ORDER BY year DESC, unit_id LIMIT $3", &p, sizeof *out->items, SIZE_MAX, read_annual,
			 &items, &out->n);
	out->items = items;
	return rc == VD_OK && out->n > limit ? VD_ERR_TOOBIG : rc;
}
