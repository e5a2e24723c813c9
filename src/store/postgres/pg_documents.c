/* pg_documents: the kept versions of the organisation's documents on
 * PostgreSQL (see store_pg.c); the SQLite store's store_documents.c does the
 * same with the same meaning. The schema refuses to change or delete one. */
#include <stdbool.h>

#include "../../util/errors.h"
#include "pg_internal.h"

#define VERSION_COLS "id, kind, unit_id, number, adopted_by, adopted_on, recorded_at, recorded_by"

/* Row i of VERSION_COLS into *d; bodies from columns 8 and 9 when the
 * query has them, else "". */
static int version_row(struct arena *a, const PGresult *r, int i, void *item)
{
	struct doc_version_rec *d = item;
	bool with_bodies = PQnfields(r) > 8;
	*d = (struct doc_version_rec){
		.id = pg_get_int(r, i, 0),
		.kind = pg_get_text(a, r, i, 1),
		.unit_id = pg_get_int(r, i, 2),
		.number = pg_get_int(r, i, 3),
		.adopted_by = pg_get_text(a, r, i, 4),
		.adopted_on = pg_get_int(r, i, 5),
		.recorded_at = pg_get_int(r, i, 6),
		.recorded_by = pg_get_int(r, i, 7),
		.body_nl = with_bodies ? pg_get_text(a, r, i, 8) : "",
		.body_en = with_bodies ? pg_get_text(a, r, i, 9) : "",
	};
	return d->kind && d->adopted_by && d->body_nl && d->body_en ? VD_OK : VD_ERR_NOMEM;
}

static int version_add_row(struct store *s, const struct doc_version_rec *d, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_text(&p, d->kind);
	pg_int(&p, d->unit_id);
	pg_text(&p, d->body_nl);
	pg_text(&p, d->body_en);
	pg_text(&p, d->adopted_by);
	pg_int(&p, d->adopted_on);
	pg_int(&p, d->recorded_at);
	pg_int(&p, d->recorded_by);
	/* the number is taken inside the insert (the unique index refuses a
	 * duplicate anyway) */
	return pg_insert_id(s, "INSERT INTO document_versions(kind, unit_id, number, body_nl, body_en, adopted_by,"
			       " adopted_on, recorded_at, recorded_by)"
			       " SELECT $1::text, $2::int8, coalesce(max(number), 0) + 1, $3::text, $4::text, $5::text,"
			       " $6::int8, $7::int8, $8::int8 FROM document_versions WHERE kind = $1::text"
			       " AND unit_id = $2::int8 RETURNING id", &p, id);
}

int pg_doc_version_add(struct store *s, const struct doc_version_rec *d, int64_t *id)
{
	/* under the write lock: one statement alone reads the newest number
	 * at its start, so two adoptions at once would take the same one */
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, version_add_row(s, d, id));
}

int pg_doc_version_get(struct store *s, struct arena *a, int64_t id, struct doc_version_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " VERSION_COLS ", body_nl, body_en FROM document_versions WHERE id = $1", &p,
		      version_row, out);
}

int pg_doc_version_current(struct store *s, struct arena *a, const char *kind, int64_t unit_id,
			   struct doc_version_rec *out)
{
	struct pg_params p = { 0 };
	pg_text(&p, kind);
	pg_int(&p, unit_id);
	return pg_one(s, a, "SELECT " VERSION_COLS ", body_nl, body_en FROM document_versions"
			    " WHERE kind = $1 AND unit_id = $2 ORDER BY number DESC LIMIT 1", &p, version_row, out);
}

int pg_doc_version_list(struct store *s, struct arena *a, const char *kind, size_t limit,
			struct doc_version_recs *out)
{
	struct pg_params p = { 0 };
	pg_text(&p, kind);
	pg_int(&p, (int64_t)limit);
	void *items;
	int rc = pg_rows(s, a, "SELECT " VERSION_COLS " FROM document_versions WHERE kind = $1"
			       " ORDER BY unit_id, number DESC LIMIT $2", &p, sizeof *out->items, SIZE_MAX, version_row,
			 &items, &out->n);
	out->items = items;
	return rc;
}
