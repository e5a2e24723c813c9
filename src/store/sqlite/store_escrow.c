/* store_escrow: the escrow key, its trustees, its copies of case keys, and
 * requests to move a counsellor's cases (store.h, core/escrow.h). */
#include <string.h>

#include "../../util/arena.h"
#include "../../util/errors.h"
#include "sqlite_internal.h"

int sq_escrow_get(struct store *s, struct arena *a, struct escrow_rec *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_prep(s, "SELECT public_key, created_at, mac FROM escrow WHERE id = 1");
	if (!st)
		return VD_ERR_STORE;
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && sq_blob_exact(st, 0, out->public_key, STORE_KEY_LEN) &&
		  sq_blob_exact(st, 2, out->mac, STORE_KEY_LEN);
	if (ok)
		out->created_at = sqlite3_column_int64(st, 1);
	sq_done(s, st);
	if (rc == SQLITE_DONE)
		return VD_ERR_NOTFOUND;
	if (!ok)
		return rc == SQLITE_ROW ? VD_ERR_STORE : sq_map_rc(rc);
	st = sq_prep(s, "SELECT position, user_id, parts FROM escrow_trustees ORDER BY position");
	if (!st)
		return VD_ERR_STORE;
	int found = 0;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pos = sqlite3_column_int(st, 0);
		if (pos < 0 || pos >= STORE_ESCROW_TRUSTEES)
			continue;
		out->trustees[pos].user_id = sqlite3_column_int64(st, 1);
		out->trustees[pos].parts = sq_col_blob(a, st, 2, &out->trustees[pos].parts_len, &oom);
		found++;
	}
	rc = sq_list_end(s, st, rc, oom);
	return rc ? rc : found == STORE_ESCROW_TRUSTEES ? VD_OK : VD_ERR_STORE;
}

int sq_escrow_put(struct store *s, const struct escrow_rec *e)
{
	int rc = sq_atomic_begin(s);
	if (rc)
		return rc;
	static const char *const clear[] = {
		"DELETE FROM escrow_keys",
		"DELETE FROM escrow_approvals",
		"UPDATE escrow_requests SET state = 'cancelled' WHERE state IN ('open', 'running')",
		"DELETE FROM escrow_trustees",
		"DELETE FROM escrow",
	};
	for (size_t i = 0; rc == VD_OK && i < sizeof clear / sizeof clear[0]; i++) {
		sqlite3_stmt *st = sq_prep(s, clear[i]);
		rc = st ? sq_exec_done(s, st) : VD_ERR_STORE;
	}
	sqlite3_stmt *st = rc ? NULL : sq_prep(s, "INSERT INTO escrow(id, public_key, created_at, mac) VALUES(1, ?1, ?2, ?3)");
	if (rc == VD_OK && !st)
		rc = VD_ERR_STORE;
	if (rc == VD_OK) {
		sqlite3_bind_blob(st, 1, e->public_key, STORE_KEY_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, e->created_at);
		sqlite3_bind_blob(st, 3, e->mac, STORE_KEY_LEN, SQLITE_STATIC);
		rc = sq_exec_done(s, st);
	}
	for (int i = 0; rc == VD_OK && i < STORE_ESCROW_TRUSTEES; i++) {
		st = sq_prep(s, "INSERT INTO escrow_trustees(position, user_id, parts) VALUES(?1, ?2, ?3)");
		if (!st) {
			rc = VD_ERR_STORE;
			break;
		}
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_int64(st, 2, e->trustees[i].user_id);
		sq_bind_blob(st, 3, e->trustees[i].parts, e->trustees[i].parts_len);
		rc = sq_exec_done(s, st);
	}
	return sq_atomic_end(s, rc);
}

int sq_escrow_key_put(struct store *s, int64_t case_id, const unsigned char sealed[STORE_SEALED_KEY_LEN])
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO escrow_keys(case_id, sealed_key) VALUES(?1, ?2)"
				      " ON CONFLICT(case_id) DO UPDATE SET sealed_key = excluded.sealed_key");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_blob(st, 2, sealed, STORE_SEALED_KEY_LEN, SQLITE_STATIC);
	return sq_exec_done(s, st);
}

int sq_escrow_key_get(struct store *s, int64_t case_id, unsigned char sealed[STORE_SEALED_KEY_LEN])
{
	sqlite3_stmt *st = sq_prep(s, "SELECT sealed_key FROM escrow_keys WHERE case_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && sq_blob_exact(st, 0, sealed, STORE_SEALED_KEY_LEN);
	sq_done(s, st);
	return ok ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : rc == SQLITE_ROW ? VD_ERR_STORE : sq_map_rc(rc);
}

/* The ids of one query binding ?1 (a user) and ?2 (a limit). */
static int id_query(struct store *s, struct arena *a, sqlite3_stmt *st, int64_t user_id, size_t limit,
		    struct id_list *out)
{
	out->n = 0;
	out->ids = arena_alloc(a, (limit ? limit : 1) * sizeof *out->ids);
	if (!st)
		return VD_ERR_STORE;
	if (!out->ids) {
		sq_done(s, st);
		return VD_ERR_NOMEM;
	}
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	return sq_list_end(s, st, rc, false);
}

int sq_escrow_uncovered(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct id_list *out)
{
	return id_query(s, a,
			sq_prep(s, "SELECT k.case_id FROM case_keys k JOIN cases c ON c.id = k.case_id"
				   " WHERE k.user_id = ?1 AND c.purged_at = 0"
				   " AND NOT EXISTS (SELECT 1 FROM escrow_keys e WHERE e.case_id = k.case_id)"
				   " ORDER BY k.case_id LIMIT ?2"),
			user_id, limit, out);
}

int sq_user_case_ids(struct store *s, struct arena *a, int64_t user_id, struct id_list *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM case_keys WHERE user_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sqlite3_step(st);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sq_done(s, st);
	if (n < 0)
		return sq_map_rc(rc);
	return id_query(s, a,
			sq_prep(s, "SELECT k.case_id FROM case_keys k JOIN cases c ON c.id = k.case_id"
				   " WHERE k.user_id = ?1 AND c.purged_at = 0 ORDER BY k.case_id LIMIT ?2"),
			user_id, (size_t)n, out);
}

int sq_escrow_request_insert(struct store *s, const struct escrow_request_rec *r, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO escrow_requests(from_user, to_user, started_by, started_at, state)"
				      " VALUES(?1, ?2, ?3, ?4, 'open')");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->from_user);
	sqlite3_bind_int64(st, 2, r->to_user);
	sqlite3_bind_int64(st, 3, r->started_by);
	sqlite3_bind_int64(st, 4, r->started_at);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

#define REQUEST_COLS "id, from_user, to_user, started_by, started_at, state, moved, not_moved, done_at"

static bool request_row(struct arena *a, sqlite3_stmt *st, struct escrow_request_rec *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->from_user = sqlite3_column_int64(st, 1);
	r->to_user = sqlite3_column_int64(st, 2);
	r->started_by = sqlite3_column_int64(st, 3);
	r->started_at = sqlite3_column_int64(st, 4);
	r->state = sq_col_text(a, st, 5);
	r->moved = sqlite3_column_int64(st, 6);
	r->not_moved = sqlite3_column_int64(st, 7);
	r->done_at = sqlite3_column_int64(st, 8);
	return r->state != NULL;
}

int sq_escrow_request_get(struct store *s, struct arena *a, int64_t id, struct escrow_request_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " REQUEST_COLS " FROM escrow_requests WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && request_row(a, st, out);
	sq_done(s, st);
	return ok ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : rc == SQLITE_ROW ? VD_ERR_NOMEM : sq_map_rc(rc);
}

int sq_escrow_request_list(struct store *s, struct arena *a, size_t limit, struct escrow_request_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT " REQUEST_COLS " FROM escrow_requests ORDER BY id DESC LIMIT ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		oom = !request_row(a, st, &out->items[out->n++]);
	return sq_list_end(s, st, rc, oom);
}

int sq_escrow_request_end(struct store *s, int64_t id, const char *from, const char *to, int64_t moved,
			  int64_t not_moved, int64_t at)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE escrow_requests SET state = ?2, moved = ?3, not_moved = ?4, done_at = ?5"
				      " WHERE id = ?1 AND state = ?6");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, to);
	sqlite3_bind_int64(st, 3, moved);
	sqlite3_bind_int64(st, 4, not_moved);
	sqlite3_bind_int64(st, 5, at);
	sq_bind_text(st, 6, from);
	int rc = sq_exec_change(s, st);
	if (rc == VD_OK && (strcmp(to, "done") == 0 || strcmp(to, "cancelled") == 0)) {
		/* the parts left for the others are of no more use to anyone */
		st = sq_prep(s, "DELETE FROM escrow_approvals WHERE request_id = ?1");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, id);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

int sq_escrow_approval_put(struct store *s, const struct escrow_approval_rec *p)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO escrow_approvals(request_id, trustee_id, at, parts) VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, p->request_id);
	sqlite3_bind_int64(st, 2, p->trustee_id);
	sqlite3_bind_int64(st, 3, p->at);
	sq_bind_blob(st, 4, p->parts, p->parts_len);
	return sq_exec_done(s, st);
}

int sq_escrow_approval_list(struct store *s, struct arena *a, int64_t request_id, struct escrow_approval_recs *out)
{
	SQ_LIST_BEGIN(out, STORE_ESCROW_TRUSTEES)
	sqlite3_stmt *st = sq_prep(s, "SELECT request_id, trustee_id, at, parts FROM escrow_approvals"
				      " WHERE request_id = ?1 ORDER BY at, trustee_id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, request_id);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < STORE_ESCROW_TRUSTEES) {
		struct escrow_approval_rec *p = &out->items[out->n++];
		p->request_id = sqlite3_column_int64(st, 0);
		p->trustee_id = sqlite3_column_int64(st, 1);
		p->at = sqlite3_column_int64(st, 2);
		p->parts = sq_col_blob(a, st, 3, &p->parts_len, &oom);
	}
	return sq_list_end(s, st, rc, oom);
}
