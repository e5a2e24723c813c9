/* pg_complaint_parties: the parties to a complaint on PostgreSQL (see
 * store_pg.c), the letters between them and the committee, the hearings and
 * who was heard; the SQLite store's store_complaint_parties.c does the same
 * with the same meaning. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

#define SMALL_LIST 64
#define HEARD_LIST 256

int pg_complaint_party_insert(struct store *s, const struct complaint_party_rec *pa, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, pa->complaint_id);
	pg_text(&p, pa->role);
	pg_text(&p, pa->locator);
	pg_int(&p, pa->user_id);
	pg_blob(&p, pa->receipt_salt, sizeof pa->receipt_salt);
	pg_blob(&p, pa->receipt_verifier, sizeof pa->receipt_verifier);
	pg_blob(&p, pa->key_by_receipt, sizeof pa->key_by_receipt);
	pg_blob(&p, pa->sealed_key, sizeof pa->sealed_key);
	pg_blob(&p, pa->contact, pa->contact_len);
	pg_int(&p, pa->created_at);
	pg_int(&p, pa->by);
	pg_blob(&p, pa->key_by_complaint, sizeof pa->key_by_complaint);
	pg_int(&p, pa->receipt_ops);
	pg_int(&p, pa->receipt_mem_kib);
	return pg_insert_id(s, "INSERT INTO complaint_parties(complaint_id, role, locator, user_id, receipt_salt,"
			       " receipt_verifier, key_by_receipt, sealed_key, contact, created_at, by, key_by_complaint,"
			       " receipt_ops, receipt_mem_kib)"
			       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id", &p, id);
}

#define PARTY_COLS                                                                                        \
	"id, complaint_id, role, locator, user_id, receipt_salt, receipt_verifier, key_by_receipt, sealed_key," \
	" contact, created_at, by, key_by_complaint, receipt_ops, receipt_mem_kib"

/* The party of row i (PARTY_COLS); VD_ERR_STORE when a key has the wrong
 * length (a damaged row). */
static int read_party(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_party_rec *pa = item;
	bool oom = false;
	pa->id = pg_get_int(r, i, 0);
	pa->complaint_id = pg_get_int(r, i, 1);
	pa->role = pg_get_text(a, r, i, 2);
	pa->locator = pg_get_text(a, r, i, 3);
	pa->user_id = pg_get_int(r, i, 4);
	if (!pg_get_exact(r, i, 5, pa->receipt_salt, STORE_SALT_LEN) ||
	    !pg_get_exact(r, i, 6, pa->receipt_verifier, STORE_KEY_LEN) ||
	    !pg_get_exact(r, i, 7, pa->key_by_receipt, STORE_WRAPPED_KEY_LEN) ||
	    !pg_get_exact(r, i, 8, pa->sealed_key, STORE_SEALED_KEY_LEN) ||
	    !pg_get_exact(r, i, 12, pa->key_by_complaint, STORE_WRAPPED_KEY_LEN))
		return VD_ERR_STORE;
	pa->contact = pg_get_blob(a, r, i, 9, &pa->contact_len, &oom);
	pa->created_at = pg_get_int(r, i, 10);
	pa->by = pg_get_int(r, i, 11);
	pa->receipt_ops = (uint32_t)pg_get_int(r, i, 13);
	pa->receipt_mem_kib = (uint32_t)pg_get_int(r, i, 14);
	return !oom && pa->role && pa->locator ? VD_OK : VD_ERR_NOMEM;
}

static int party_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p,
		      struct complaint_party_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, sql, p, sizeof *out->items, SIZE_MAX, read_party, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_complaint_party_find_locator(struct store *s, struct arena *a, const char *locator,
				    struct complaint_party_rec *out)
{
	if (!locator || !*locator)
		return VD_ERR_NOTFOUND; /* a supporter's "" is no locator */
	struct pg_params p = { 0 };
	pg_text(&p, locator);
	return pg_one(s, a, "SELECT " PARTY_COLS " FROM complaint_parties WHERE locator = $1", &p, read_party, out);
}

int pg_complaint_party_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_party_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, complaint_id);
	pg_int(&p, SMALL_LIST);
	return party_rows(s, a, "SELECT " PARTY_COLS " FROM complaint_parties WHERE complaint_id = $1"
				" ORDER BY id LIMIT $2", &p, out);
}

int pg_complaint_party_supported(struct store *s, struct arena *a, int64_t user_id, size_t limit,
				 struct complaint_party_recs *out)
{
	out->n = 0;
	if (user_id == 0) { /* 0 is every non-supporter's user_id */
		out->items = arena_array(a, 0, sizeof *out->items);
		return out->items ? VD_OK : VD_ERR_NOMEM;
	}
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, (int64_t)limit);
	return party_rows(s, a, "SELECT " PARTY_COLS " FROM complaint_parties WHERE user_id = $1"
				" AND role = 'supporter' ORDER BY id DESC LIMIT $2", &p, out);
}

/* ---- letters ------------------------------------------------------------------ */

int pg_complaint_letter_insert(struct store *s, const struct complaint_letter_rec *l, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, l->complaint_id);
	pg_int(&p, l->party_id);
	pg_int(&p, l->outgoing);
	pg_text(&p, l->kind);
	pg_text(&p, l->step);
	pg_int(&p, l->hearing_id);
	pg_int(&p, l->at);
	pg_int(&p, l->by);
	pg_blob(&p, l->body, l->body_len);
	return pg_insert_id(s, "INSERT INTO complaint_letters(complaint_id, party_id, outgoing, kind, step, hearing_id,"
			       " at, by, body) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id", &p, id);
}

static int read_letter(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_letter_rec *l = item;
	bool oom = false;
	l->id = pg_get_int(r, i, 0);
	l->party_id = pg_get_int(r, i, 1);
	l->outgoing = (int)pg_get_int(r, i, 2);
	l->kind = pg_get_text(a, r, i, 3);
	l->step = pg_get_text(a, r, i, 4);
	l->hearing_id = pg_get_int(r, i, 5);
	l->at = pg_get_int(r, i, 6);
	l->by = pg_get_int(r, i, 7);
	l->body = pg_get_blob(a, r, i, 8, &l->body_len, &oom);
	return oom || !l->kind || !l->step ? VD_ERR_NOMEM : VD_OK;
}

int pg_complaint_letter_list(struct store *s, struct arena *a, int64_t complaint_id, int64_t party_id, size_t limit,
			     struct complaint_letter_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, complaint_id);
	pg_int(&p, party_id);
	pg_int(&p, (int64_t)limit);
	void *items;
	/* the newest limit, turned round to read oldest first */
	int rc = pg_rows(s, a, "SELECT * FROM (SELECT id, party_id, outgoing, kind, step, hearing_id, at, by, body"
			       " FROM complaint_letters WHERE complaint_id = $1 AND ($2::int8 = 0"
			       " OR party_id = $2::int8) ORDER BY id DESC LIMIT $3) newest ORDER BY id",
			 &p, sizeof *out->items, SIZE_MAX, read_letter, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].complaint_id = complaint_id;
	return rc;
}

int pg_complaint_letter_count(struct store *s, int64_t party_id, const char *kind, int64_t *n)
{
	struct pg_params p = { 0 };
	pg_int(&p, party_id);
	pg_text(&p, kind);
	return pg_one_int(s, "SELECT count(*) FROM complaint_letters WHERE party_id = $1 AND kind = $2", &p, n);
}

/* ---- hearings --------------------------------------------------------------- */

int pg_complaint_hearing_insert(struct store *s, const struct complaint_hearing_rec *h, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, h->complaint_id);
	pg_int(&p, h->on_day);
	pg_int(&p, h->at);
	pg_int(&p, h->by);
	pg_blob(&p, h->details, h->details_len);
	pg_blob(&p, h->minutes, h->minutes_len); /* NULL until written */
	pg_int(&p, h->minutes_day);
	return pg_insert_id(s, "INSERT INTO complaint_hearings(complaint_id, on_day, at, by, details, minutes,"
			       " minutes_day) VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id", &p, id);
}

int pg_complaint_hearing_update(struct store *s, const struct complaint_hearing_rec *h)
{
	struct pg_params p = { 0 };
	pg_int(&p, h->id);
	pg_blob(&p, h->minutes, h->minutes_len);
	pg_int(&p, h->minutes_day);
	return pg_exec_change(s, "UPDATE complaint_hearings SET minutes = $2, minutes_day = $3 WHERE id = $1", &p);
}

static int read_hearing(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_hearing_rec *h = item;
	bool oom = false;
	h->id = pg_get_int(r, i, 0);
	h->on_day = pg_get_int(r, i, 1);
	h->at = pg_get_int(r, i, 2);
	h->by = pg_get_int(r, i, 3);
	h->details = pg_get_blob(a, r, i, 4, &h->details_len, &oom);
	h->minutes = pg_get_blob(a, r, i, 5, &h->minutes_len, &oom);
	h->minutes_day = pg_get_int(r, i, 6);
	return oom ? VD_ERR_NOMEM : VD_OK;
}

int pg_complaint_hearing_list(struct store *s, struct arena *a, int64_t complaint_id,
			      struct complaint_hearing_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, on_day, at, by, details, minutes, minutes_day FROM complaint_hearings"
				  " WHERE complaint_id = $1 ORDER BY id LIMIT $2", complaint_id, SMALL_LIST,
			    sizeof *out->items, read_hearing, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].complaint_id = complaint_id;
	return rc;
}

/* h's hearing, party, approval and day as $1..$4. */
static void heard_params(struct pg_params *p, const struct complaint_heard_rec *h)
{
	pg_int(p, h->hearing_id);
	pg_int(p, h->party_id);
	pg_text(p, h->approval);
	pg_int(p, h->reacted_day);
}

int pg_complaint_heard_insert(struct store *s, const struct complaint_heard_rec *h)
{
	struct pg_params p = { 0 };
	heard_params(&p, h);
	return pg_exec(s, "INSERT INTO complaint_heard(hearing_id, party_id, approval, reacted_day)"
			  " VALUES($1, $2, $3, $4)", &p);
}

int pg_complaint_heard_update(struct store *s, const struct complaint_heard_rec *h)
{
	struct pg_params p = { 0 };
	heard_params(&p, h);
	return pg_exec_change(s, "UPDATE complaint_heard SET approval = $3, reacted_day = $4"
				 " WHERE hearing_id = $1 AND party_id = $2", &p);
}

static int read_heard(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_heard_rec *h = item;
	h->hearing_id = pg_get_int(r, i, 0);
	h->party_id = pg_get_int(r, i, 1);
	h->approval = pg_get_text(a, r, i, 2);
	h->reacted_day = pg_get_int(r, i, 3);
	return h->approval ? VD_OK : VD_ERR_NOMEM;
}

int pg_complaint_heard_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_heard_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT d.hearing_id, d.party_id, d.approval, d.reacted_day FROM complaint_heard d"
				  " JOIN complaint_hearings h ON h.id = d.hearing_id WHERE h.complaint_id = $1"
				  " ORDER BY d.hearing_id, d.party_id LIMIT $2", complaint_id, HEARD_LIST,
			    sizeof *out->items, read_heard, &items, &out->n);
	out->items = items;
	return rc;
}
