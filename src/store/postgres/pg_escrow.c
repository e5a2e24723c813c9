/* pg_escrow: the escrow key, its trustees, its copies of case keys, and
 * requests to move a counsellor's cases, on PostgreSQL (store.h,
 * core/escrow.h); the SQLite store's store_escrow.c does the same. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- the escrow and its trustees ---------------------------------------------- */

/* The three trustees by position: each position once, or the row is damaged. */
static int read_trustees(struct store *s, struct arena *a, struct escrow_rec *out)
{
	PGresult *r;
	int rc = pg_run(s, "SELECT position, user_id, parts FROM escrow_trustees ORDER BY position", NULL, &r);
	if (rc)
		return rc;
	int found = 0;
	bool oom = false;
	for (int i = 0; !oom && i < PQntuples(r); i++) {
		int64_t pos = pg_get_int(r, i, 0);
		if (pos < 0 || pos >= STORE_ESCROW_TRUSTEES)
			continue;
		out->trustees[pos].user_id = pg_get_int(r, i, 1);
		out->trustees[pos].parts = pg_get_blob(a, r, i, 2, &out->trustees[pos].parts_len, &oom);
		found++;
	}
	PQclear(r);
	return oom ? VD_ERR_NOMEM : found == STORE_ESCROW_TRUSTEES ? VD_OK : VD_ERR_STORE;
}

static int read_escrow(struct arena *a, const PGresult *r, int i, void *item)
{
	struct escrow_rec *e = item;
	(void)a;
	if (!pg_get_exact(r, i, 0, e->public_key, STORE_KEY_LEN) || !pg_get_exact(r, i, 2, e->mac, STORE_KEY_LEN))
		return VD_ERR_STORE;
	e->created_at = pg_get_int(r, i, 1);
	return VD_OK;
}

int pg_escrow_get(struct store *s, struct arena *a, struct escrow_rec *out)
{
	memset(out, 0, sizeof *out);
	int rc = pg_one(s, a, "SELECT public_key, created_at, mac FROM escrow WHERE id = 1", NULL, read_escrow, out);
	return rc ? rc : read_trustees(s, a, out);
}

static int escrow_put_rows(struct store *s, const struct escrow_rec *e)
{
	/* the old escrow's copies and approvals open nothing under the new key */
	static const char *const clear[] = {
		"DELETE FROM escrow_keys",
		"DELETE FROM escrow_approvals",
		"UPDATE escrow_requests SET state = 'cancelled' WHERE state IN ('open', 'running')",
		"DELETE FROM escrow_trustees",
		"DELETE FROM escrow",
	};
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < sizeof clear / sizeof clear[0]; i++)
		rc = pg_exec(s, clear[i], NULL);
	struct pg_params p = { 0 };
	pg_blob(&p, e->public_key, STORE_KEY_LEN);
	pg_int(&p, e->created_at);
	pg_blob(&p, e->mac, STORE_KEY_LEN);
	if (rc == VD_OK)
		rc = pg_exec(s, "INSERT INTO escrow(id, public_key, created_at, mac) VALUES(1, $1, $2, $3)", &p);
	for (int i = 0; rc == VD_OK && i < STORE_ESCROW_TRUSTEES; i++) {
		struct pg_params q = { 0 };
		pg_int(&q, i);
		pg_int(&q, e->trustees[i].user_id);
		pg_blob(&q, e->trustees[i].parts, e->trustees[i].parts_len);
		rc = pg_exec(s, "INSERT INTO escrow_trustees(position, user_id, parts) VALUES($1, $2, $3)", &q);
	}
	return rc;
}

int pg_escrow_put(struct store *s, const struct escrow_rec *e)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, escrow_put_rows(s, e));
}

/* ---- copies of case keys ------------------------------------------------------- */

int pg_escrow_key_put(struct store *s, int64_t case_id, const unsigned char sealed[STORE_SEALED_KEY_LEN])
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	pg_blob(&p, sealed, STORE_SEALED_KEY_LEN);
	return pg_exec(s, "INSERT INTO escrow_keys(case_id, sealed_key) VALUES($1, $2)"
			  " ON CONFLICT(case_id) DO UPDATE SET sealed_key = excluded.sealed_key", &p);
}

int pg_escrow_key_get(struct store *s, int64_t case_id, unsigned char sealed[STORE_SEALED_KEY_LEN])
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	return pg_sealed_key(s, "SELECT sealed_key FROM escrow_keys WHERE case_id = $1", &p, sealed);
}

int pg_escrow_uncovered(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, (int64_t)limit);
	return pg_ids(s, a, "SELECT k.case_id FROM case_keys k JOIN cases c ON c.id = k.case_id"
			    " WHERE k.user_id = $1 AND c.purged_at = 0"
			    " AND NOT EXISTS (SELECT 1 FROM escrow_keys e WHERE e.case_id = k.case_id)"
			    " ORDER BY k.case_id LIMIT $2", &p, out);
}

int pg_user_case_ids(struct store *s, struct arena *a, int64_t user_id, struct id_list *out)
{
	/* every one: the result says how many (SQLite counts them first) */
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	return pg_ids(s, a, "SELECT k.case_id FROM case_keys k JOIN cases c ON c.id = k.case_id"
			    " WHERE k.user_id = $1 AND c.purged_at = 0 ORDER BY k.case_id", &p, out);
}

/* ---- requests and approvals ------------------------------------------------------ */

int pg_escrow_request_insert(struct store *s, const struct escrow_request_rec *r, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, r->from_user);
	pg_int(&p, r->to_user);
	pg_int(&p, r->started_by);
	pg_int(&p, r->started_at);
	return pg_insert_id(s, "INSERT INTO escrow_requests(from_user, to_user, started_by, started_at, state)"
			       " VALUES($1, $2, $3, $4, 'open') RETURNING id", &p, id);
}

#define REQUEST_COLS "id, from_user, to_user, started_by, started_at, state, moved, not_moved, done_at"

/* The request of row i (REQUEST_COLS). */
static int read_request(struct arena *a, const PGresult *res, int i, void *item)
{
	struct escrow_request_rec *r = item;
	r->id = pg_get_int(res, i, 0);
	r->from_user = pg_get_int(res, i, 1);
	r->to_user = pg_get_int(res, i, 2);
	r->started_by = pg_get_int(res, i, 3);
	r->started_at = pg_get_int(res, i, 4);
	r->state = pg_get_text(a, res, i, 5);
	r->moved = pg_get_int(res, i, 6);
	r->not_moved = pg_get_int(res, i, 7);
	r->done_at = pg_get_int(res, i, 8);
	return r->state ? VD_OK : VD_ERR_NOMEM;
}

int pg_escrow_request_get(struct store *s, struct arena *a, int64_t id, struct escrow_request_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " REQUEST_COLS " FROM escrow_requests WHERE id = $1", &p, read_request, out);
}

int pg_escrow_request_list(struct store *s, struct arena *a, size_t limit, struct escrow_request_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, (int64_t)limit);
	void *items;
	int rc = pg_rows(s, a, "SELECT " REQUEST_COLS " FROM escrow_requests ORDER BY id DESC LIMIT $1", &p,
			 sizeof *out->items, SIZE_MAX, read_request, &items, &out->n);
	out->items = items;
	return rc;
}

static int request_end_rows(struct store *s, int64_t id, const char *from, const char *to, int64_t moved,
			    int64_t not_moved, int64_t at)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_text(&p, to);
	pg_int(&p, moved);
	pg_int(&p, not_moved);
	pg_int(&p, at);
	pg_text(&p, from);
	int rc = pg_exec_change(s, "UPDATE escrow_requests SET state = $2, moved = $3, not_moved = $4, done_at = $5"
				   " WHERE id = $1 AND state = $6", &p);
	if (rc == VD_OK && (strcmp(to, "done") == 0 || strcmp(to, "cancelled") == 0)) {
		/* the parts left for the others are of no more use to anyone */
		struct pg_params q = { 0 };
		pg_int(&q, id);
		rc = pg_exec(s, "DELETE FROM escrow_approvals WHERE request_id = $1", &q);
	}
	return rc;
}

int pg_escrow_request_end(struct store *s, int64_t id, const char *from, const char *to, int64_t moved,
			  int64_t not_moved, int64_t at)
{
	/* the end and the approvals it deletes together (store.h: atomic) */
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, request_end_rows(s, id, from, to, moved, not_moved, at));
}

int pg_escrow_approval_put(struct store *s, const struct escrow_approval_rec *ap)
{
	struct pg_params p = { 0 };
	pg_int(&p, ap->request_id);
	pg_int(&p, ap->trustee_id);
	pg_int(&p, ap->at);
	pg_blob(&p, ap->parts, ap->parts_len);
	return pg_exec(s, "INSERT INTO escrow_approvals(request_id, trustee_id, at, parts) VALUES($1, $2, $3, $4)", &p);
}

static int read_approval(struct arena *a, const PGresult *r, int i, void *item)
{
	struct escrow_approval_rec *ap = item;
	bool oom = false;
	ap->request_id = pg_get_int(r, i, 0);
	ap->trustee_id = pg_get_int(r, i, 1);
	ap->at = pg_get_int(r, i, 2);
	ap->parts = pg_get_blob(a, r, i, 3, &ap->parts_len, &oom);
	return oom ? VD_ERR_NOMEM : VD_OK;
}

int pg_escrow_approval_list(struct store *s, struct arena *a, int64_t request_id, struct escrow_approval_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT request_id, trustee_id, at, parts FROM escrow_approvals"
				  " WHERE request_id = $1 ORDER BY at, trustee_id LIMIT $2", request_id,
			    STORE_ESCROW_TRUSTEES, sizeof *out->items, read_approval, &items, &out->n);
	out->items = items;
	return rc;
}
