/* store_documents: the kept versions of the organisation's documents
 * (store.h, core/documents.h). The schema refuses to change or delete one. */
#include <string.h>

#include "../../util/arena.h"
#include "../../util/errors.h"
#include "sqlite_internal.h"

#define VERSION_COLS "id, kind, unit_id, number, adopted_by, adopted_on, recorded_at, recorded_by"

/* The columns of VERSION_COLS into *d; bodies from columns 8 and 9 when
 * with_bodies, else "". false when the arena is full. */
static bool version_row(struct arena *a, sqlite3_stmt *st, struct doc_version_rec *d, bool with_bodies)
{
	*d = (struct doc_version_rec){
		.id = sqlite3_column_int64(st, 0),
		.kind = sq_col_text(a, st, 1),
		.unit_id = sqlite3_column_int64(st, 2),
		.number = sqlite3_column_int64(st, 3),
		.adopted_by = sq_col_text(a, st, 4),
		.adopted_on = sqlite3_column_int64(st, 5),
		.recorded_at = sqlite3_column_int64(st, 6),
		.recorded_by = sqlite3_column_int64(st, 7),
		.body_nl = with_bodies ? sq_col_text(a, st, 8) : "",
		.body_en = with_bodies ? sq_col_text(a, st, 9) : "",
	};
	return d->kind && d->adopted_by && d->body_nl && d->body_en;
}

int sq_doc_version_add(struct store *s, const struct doc_version_rec *d, int64_t *id)
{
	/* The number is taken inside the insert, so two adoptions at once get
	 * two numbers (and the unique index refuses a duplicate anyway). */
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO document_versions(kind, unit_id, number, body_nl, body_en,"
				      " adopted_by, adopted_on, recorded_at, recorded_by)"
				      " SELECT ?1, ?2, COALESCE(MAX(number), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8"
				      " FROM document_versions WHERE kind = ?1 AND unit_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, d->kind);
	sqlite3_bind_int64(st, 2, d->unit_id);
	sq_bind_text(st, 3, d->body_nl);
	sq_bind_text(st, 4, d->body_en);
	sq_bind_text(st, 5, d->adopted_by);
	sqlite3_bind_int64(st, 6, d->adopted_on);
	sqlite3_bind_int64(st, 7, d->recorded_at);
	sqlite3_bind_int64(st, 8, d->recorded_by);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK && id)
		*id = sq_last_id(s);
	return rc;
}

static int one_version(struct store *s, struct arena *a, sqlite3_stmt *st, struct doc_version_rec *out)
{
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && version_row(a, st, out, true);
	sq_done(s, st);
	return ok ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : rc == SQLITE_ROW ? VD_ERR_NOMEM : sq_map_rc(rc);
}

int sq_doc_version_get(struct store *s, struct arena *a, int64_t id, struct doc_version_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " VERSION_COLS ", body_nl, body_en FROM document_versions WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	return one_version(s, a, st, out);
}

int sq_doc_version_current(struct store *s, struct arena *a, const char *kind, int64_t unit_id,
			   struct doc_version_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " VERSION_COLS ", body_nl, body_en FROM document_versions"
				      " WHERE kind = ?1 AND unit_id = ?2 ORDER BY number DESC LIMIT 1");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, unit_id);
	return one_version(s, a, st, out);
}

int sq_doc_version_list(struct store *s, struct arena *a, const char *kind, size_t limit,
			struct doc_version_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT " VERSION_COLS " FROM document_versions WHERE kind = ?1"
				      " ORDER BY unit_id, number DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		oom = !version_row(a, st, &out->items[out->n++], false);
	return sq_list_end(s, st, rc, oom);
}
