/*
 * The SQLite store's parties to a complaint (issue 8): who besides the
 * committee takes part (complainant, accused, supporting counsellor), the
 * letters between them and the committee, the hearings and who was heard.
 * See store.h for what each function promises.
 */
#include <stdbool.h>
#include <string.h>

#include "../../util/errors.h"
#include "sqlite_internal.h"

#define SMALL_LIST 64
#define HEARD_LIST 256

int sq_complaint_party_insert(struct store *s, const struct complaint_party_rec *p, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_parties(complaint_id, role, locator, user_id, receipt_salt,"
				      " receipt_verifier, key_by_receipt, sealed_key, contact, created_at, by, key_by_complaint,"
				      " receipt_ops, receipt_mem_kib)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, p->complaint_id);
	sq_bind_text(st, 2, p->role);
	sq_bind_text(st, 3, p->locator);
	sqlite3_bind_int64(st, 4, p->user_id);
	sq_bind_blob(st, 5, p->receipt_salt, sizeof p->receipt_salt);
	sq_bind_blob(st, 6, p->receipt_verifier, sizeof p->receipt_verifier);
	sq_bind_blob(st, 7, p->key_by_receipt, sizeof p->key_by_receipt);
	sq_bind_blob(st, 8, p->sealed_key, sizeof p->sealed_key);
	sq_bind_blob(st, 9, p->contact, p->contact_len);
	sqlite3_bind_int64(st, 10, p->created_at);
	sqlite3_bind_int64(st, 11, p->by);
	sq_bind_blob(st, 12, p->key_by_complaint, sizeof p->key_by_complaint);
	sqlite3_bind_int64(st, 13, p->receipt_ops);
	sqlite3_bind_int64(st, 14, p->receipt_mem_kib);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

#define PARTY_COLUMNS                                                                                     \
	"id, complaint_id, role, locator, user_id, receipt_salt, receipt_verifier, key_by_receipt, sealed_key," \
	" contact, created_at, by, key_by_complaint, receipt_ops, receipt_mem_kib"

static bool party_row(struct arena *a, sqlite3_stmt *st, struct complaint_party_rec *p, bool *damaged)
{
	bool oom = false;
	p->id = sqlite3_column_int64(st, 0);
	p->complaint_id = sqlite3_column_int64(st, 1);
	p->role = sq_col_text(a, st, 2);
	p->locator = sq_col_text(a, st, 3);
	p->user_id = sqlite3_column_int64(st, 4);
	if (!sq_blob_exact(st, 5, p->receipt_salt, STORE_SALT_LEN) ||
	    !sq_blob_exact(st, 6, p->receipt_verifier, STORE_KEY_LEN) ||
	    !sq_blob_exact(st, 7, p->key_by_receipt, STORE_WRAPPED_KEY_LEN) ||
	    !sq_blob_exact(st, 8, p->sealed_key, STORE_SEALED_KEY_LEN) ||
	    !sq_blob_exact(st, 12, p->key_by_complaint, STORE_WRAPPED_KEY_LEN))
		*damaged = true;
	p->contact = sq_col_blob(a, st, 9, &p->contact_len, &oom);
	p->created_at = sqlite3_column_int64(st, 10);
	p->by = sqlite3_column_int64(st, 11);
	p->receipt_ops = (uint32_t)sqlite3_column_int64(st, 13);
	p->receipt_mem_kib = (uint32_t)sqlite3_column_int64(st, 14);
	return !oom && p->role && p->locator;
}

/* Reads the rows of st (bound by the caller) into out, at most limit. */
static int party_rows(struct store *s, struct arena *a, sqlite3_stmt *st, size_t limit,
		      struct complaint_party_recs *out)
{
	int rc = SQLITE_DONE;
	bool oom = false, damaged = false;
	while (!oom && !damaged && out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		oom = !party_row(a, st, &out->items[out->n++], &damaged);
	if (damaged) {
		sq_done(s, st);
		return VD_ERR_STORE;
	}
	return sq_list_end(s, st, out->n == limit ? SQLITE_DONE : rc, oom);
}

int sq_complaint_party_find_locator(struct store *s, struct arena *a, const char *locator,
				    struct complaint_party_rec *out)
{
	if (!locator || !*locator)
		return VD_ERR_NOTFOUND;
	struct complaint_party_recs l;
	SQ_LIST_BEGIN(&l, 1)
	sqlite3_stmt *st = sq_prep(s, "SELECT " PARTY_COLUMNS " FROM complaint_parties WHERE locator = ?1");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, locator);
	int rc = party_rows(s, a, st, 1, &l);
	if (rc == VD_OK && l.n == 0)
		return VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		*out = l.items[0];
	return rc;
}

int sq_complaint_party_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_party_recs *out)
{
	SQ_LIST_BEGIN(out, SMALL_LIST)
	sqlite3_stmt *st = sq_prep(s, "SELECT " PARTY_COLUMNS " FROM complaint_parties WHERE complaint_id = ?1"
				      " ORDER BY id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	return party_rows(s, a, st, SMALL_LIST, out);
}

int sq_complaint_party_supported(struct store *s, struct arena *a, int64_t user_id, size_t limit,
				 struct complaint_party_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	if (user_id == 0)
		return VD_OK;
	sqlite3_stmt *st = sq_prep(s, "SELECT " PARTY_COLUMNS " FROM complaint_parties WHERE user_id = ?1"
				      " AND role = 'supporter' ORDER BY id DESC");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	return party_rows(s, a, st, limit, out);
}

/* ---- letters ------------------------------------------------------------------ */

int sq_complaint_letter_insert(struct store *s, const struct complaint_letter_rec *l, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_letters(complaint_id, party_id, outgoing, kind, step,"
				      " hearing_id, at, by, body) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, l->complaint_id);
	sqlite3_bind_int64(st, 2, l->party_id);
	sqlite3_bind_int(st, 3, l->outgoing);
	sq_bind_text(st, 4, l->kind);
	sq_bind_text(st, 5, l->step);
	sqlite3_bind_int64(st, 6, l->hearing_id);
	sqlite3_bind_int64(st, 7, l->at);
	sqlite3_bind_int64(st, 8, l->by);
	sq_bind_blob(st, 9, l->body, l->body_len);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_complaint_letter_list(struct store *s, struct arena *a, int64_t complaint_id, int64_t party_id, size_t limit,
			     struct complaint_letter_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	/* the newest limit, turned round to read oldest first */
	sqlite3_stmt *st = sq_prep(s, "SELECT * FROM (SELECT id, party_id, outgoing, kind, step, hearing_id, at, by,"
				      " body FROM complaint_letters WHERE complaint_id = ?1 AND (?2 = 0 OR party_id = ?2)"
				      " ORDER BY id DESC LIMIT ?3) ORDER BY id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int64(st, 2, party_id);
	sqlite3_bind_int64(st, 3, (int64_t)limit);
	int rc = SQLITE_DONE;
	bool oom = false;
	while (!oom && out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct complaint_letter_rec *l = &out->items[out->n++];
		l->id = sqlite3_column_int64(st, 0);
		l->complaint_id = complaint_id;
		l->party_id = sqlite3_column_int64(st, 1);
		l->outgoing = sqlite3_column_int(st, 2);
		l->kind = sq_col_text(a, st, 3);
		l->step = sq_col_text(a, st, 4);
		l->hearing_id = sqlite3_column_int64(st, 5);
		l->at = sqlite3_column_int64(st, 6);
		l->by = sqlite3_column_int64(st, 7);
		l->body = sq_col_blob(a, st, 8, &l->body_len, &oom);
		oom |= !l->kind || !l->step;
	}
	return sq_list_end(s, st, out->n == limit ? SQLITE_DONE : rc, oom);
}

int sq_complaint_letter_count(struct store *s, int64_t party_id, const char *kind, int64_t *n)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM complaint_letters WHERE party_id = ?1 AND kind = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, party_id);
	sq_bind_text(st, 2, kind);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : sq_map_rc(rc);
}

/* ---- hearings --------------------------------------------------------------- */

int sq_complaint_hearing_insert(struct store *s, const struct complaint_hearing_rec *h, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_hearings(complaint_id, on_day, at, by, details, minutes,"
				      " minutes_day) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, h->complaint_id);
	sqlite3_bind_int64(st, 2, h->on_day);
	sqlite3_bind_int64(st, 3, h->at);
	sqlite3_bind_int64(st, 4, h->by);
	sq_bind_blob(st, 5, h->details, h->details_len);
	sq_bind_blob(st, 6, h->minutes, h->minutes_len);
	sqlite3_bind_int64(st, 7, h->minutes_day);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_complaint_hearing_update(struct store *s, const struct complaint_hearing_rec *h)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE complaint_hearings SET minutes = ?2, minutes_day = ?3 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, h->id);
	sq_bind_blob(st, 2, h->minutes, h->minutes_len);
	sqlite3_bind_int64(st, 3, h->minutes_day);
	return sq_exec_change(s, st);
}

int sq_complaint_hearing_list(struct store *s, struct arena *a, int64_t complaint_id,
			      struct complaint_hearing_recs *out)
{
	SQ_LIST_BEGIN(out, SMALL_LIST)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, on_day, at, by, details, minutes, minutes_day FROM complaint_hearings"
				      " WHERE complaint_id = ?1 ORDER BY id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	int rc = SQLITE_DONE;
	bool oom = false;
	while (!oom && out->n < SMALL_LIST && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct complaint_hearing_rec *h = &out->items[out->n++];
		h->id = sqlite3_column_int64(st, 0);
		h->complaint_id = complaint_id;
		h->on_day = sqlite3_column_int64(st, 1);
		h->at = sqlite3_column_int64(st, 2);
		h->by = sqlite3_column_int64(st, 3);
		h->details = sq_col_blob(a, st, 4, &h->details_len, &oom);
		h->minutes = sq_col_blob(a, st, 5, &h->minutes_len, &oom);
		h->minutes_day = sqlite3_column_int64(st, 6);
	}
	return sq_list_end(s, st, out->n == SMALL_LIST ? SQLITE_DONE : rc, oom);
}

/* sql with ?1..?4 bound to h's hearing, party, approval and day; NULL if it does not prepare. */
static sqlite3_stmt *heard_stmt(struct store *s, const char *sql, const struct complaint_heard_rec *h)
{
	sqlite3_stmt *st = sq_prep(s, sql);
	if (st) {
		sqlite3_bind_int64(st, 1, h->hearing_id);
		sqlite3_bind_int64(st, 2, h->party_id);
		sq_bind_text(st, 3, h->approval);
		sqlite3_bind_int64(st, 4, h->reacted_day);
	}
	return st;
}

int sq_complaint_heard_insert(struct store *s, const struct complaint_heard_rec *h)
{
	sqlite3_stmt *st = heard_stmt(s, "INSERT INTO complaint_heard(hearing_id, party_id, approval, reacted_day)"
					 " VALUES(?1, ?2, ?3, ?4)", h);
	return st ? sq_exec_done(s, st) : VD_ERR_STORE;
}

int sq_complaint_heard_update(struct store *s, const struct complaint_heard_rec *h)
{
	sqlite3_stmt *st = heard_stmt(s, "UPDATE complaint_heard SET approval = ?3, reacted_day = ?4"
					 " WHERE hearing_id = ?1 AND party_id = ?2", h);
	return st ? sq_exec_change(s, st) : VD_ERR_STORE;
}

int sq_complaint_heard_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_heard_recs *out)
{
	SQ_LIST_BEGIN(out, HEARD_LIST)
	sqlite3_stmt *st = sq_prep(s, "SELECT d.hearing_id, d.party_id, d.approval, d.reacted_day FROM complaint_heard d"
				      " JOIN complaint_hearings h ON h.id = d.hearing_id WHERE h.complaint_id = ?1"
				      " ORDER BY d.hearing_id, d.party_id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	int rc = SQLITE_DONE;
	bool oom = false;
	while (!oom && out->n < HEARD_LIST && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct complaint_heard_rec *h = &out->items[out->n++];
		h->hearing_id = sqlite3_column_int64(st, 0);
		h->party_id = sqlite3_column_int64(st, 1);
		h->approval = sq_col_text(a, st, 2);
		h->reacted_day = sqlite3_column_int64(st, 3);
		oom |= !h->approval;
	}
	return sq_list_end(s, st, out->n == HEARD_LIST ? SQLITE_DONE : rc, oom);
}
