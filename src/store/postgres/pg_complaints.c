/* pg_complaints: the committee's complaints on PostgreSQL (see store_pg.c):
 * their step in the procedure, terms, pauses, extensions and the steps
 * taken; the SQLite store's store_complaints.c does the same with the same
 * meaning. */
#include <string.h>

#include "../../util/buf.h"
#include "../../util/errors.h"
#include "pg_internal.h"

#define SMALL_LIST 64

static int complaint_insert_rows(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys,
				 size_t nkeys, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, c->case_id);
	pg_int(&p, c->unit_id);
	pg_int(&p, c->by);
	pg_int(&p, c->created_at);
	pg_blob(&p, c->content, c->content_len);
	pg_text(&p, c->step);
	pg_text(&p, c->step_before);
	pg_int(&p, c->step_at);
	pg_int(&p, c->open);
	pg_int(&p, c->received_day);
	pg_int(&p, c->last_incident_day);
	pg_int(&p, c->filed_late);
	pg_int(&p, c->next_due_day);
	pg_text(&p, c->channel);
	pg_text(&p, c->advice);
	pg_int(&p, c->measures);
	int rc = pg_insert_id(s, "INSERT INTO complaints(case_id, unit_id, by, created_at, content, step, step_before,"
				 " step_at, open, received_day, last_incident_day, filed_late, next_due_day, channel,"
				 " advice, measures) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
				 " $15, $16) RETURNING id", &p, id);
	for (size_t i = 0; rc == VD_OK && i < nkeys; i++) {
		struct pg_params k = { 0 };
		pg_int(&k, *id);
		pg_int(&k, keys[i].user_id);
		pg_blob(&k, keys[i].sealed_key, sizeof keys[i].sealed_key);
		rc = pg_exec(s, "INSERT INTO complaint_keys(complaint_id, user_id, sealed_key) VALUES($1, $2, $3)", &k);
	}
	return rc;
}

int pg_complaint_insert(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys, size_t nkeys,
			int64_t *id)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, complaint_insert_rows(s, c, keys, nkeys, id));
}

#define COMPLAINT_COLS                                                                                \
	"id, case_id, unit_id, by, created_at, content, step, step_before, step_at, open, received_day," \
	" last_incident_day, filed_late, next_due_day, channel, advice, measures"

/* The complaint of row i (COMPLAINT_COLS). */
static int read_complaint(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_rec *c = item;
	bool oom = false;
	c->id = pg_get_int(r, i, 0);
	c->case_id = pg_get_int(r, i, 1);
	c->unit_id = pg_get_int(r, i, 2);
	c->by = pg_get_int(r, i, 3);
	c->created_at = pg_get_int(r, i, 4);
	c->content = pg_get_blob(a, r, i, 5, &c->content_len, &oom);
	c->step = pg_get_text(a, r, i, 6);
	c->step_before = pg_get_text(a, r, i, 7);
	c->step_at = pg_get_int(r, i, 8);
	c->open = (int)pg_get_int(r, i, 9);
	c->received_day = pg_get_int(r, i, 10);
	c->last_incident_day = pg_get_int(r, i, 11);
	c->filed_late = (int)pg_get_int(r, i, 12);
	c->next_due_day = pg_get_int(r, i, 13);
	c->channel = pg_get_text(a, r, i, 14);
	c->advice = pg_get_text(a, r, i, 15);
	c->measures = pg_get_int(r, i, 16);
	return !oom && c->step && c->step_before && c->channel && c->advice ? VD_OK : VD_ERR_NOMEM;
}

static int one_complaint(struct store *s, struct arena *a, const char *sql, int64_t id, struct complaint_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, sql, &p, read_complaint, out);
}

int pg_complaint_get(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out)
{
	return one_complaint(s, a, "SELECT " COMPLAINT_COLS " FROM complaints WHERE id = $1 AND purged_at = 0", id, out);
}

int pg_complaint_claim(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out)
{
	/* every write transaction holds the write lock (store_pg.c); the row
	 * lock says the same of this complaint should that ever change */
	if (!pg_in_transaction(s))
		return VD_ERR_MISUSE;
	return one_complaint(s, a, "SELECT " COMPLAINT_COLS " FROM complaints WHERE id = $1 AND purged_at = 0"
				   " FOR UPDATE", id, out);
}

int pg_complaint_update(struct store *s, const struct complaint_rec *c)
{
	struct pg_params p = { 0 };
	pg_int(&p, c->id);
	pg_text(&p, c->step);
	pg_text(&p, c->step_before);
	pg_int(&p, c->step_at);
	pg_int(&p, c->open);
	pg_int(&p, c->last_incident_day);
	pg_int(&p, c->filed_late);
	pg_int(&p, c->next_due_day);
	pg_text(&p, c->advice);
	pg_int(&p, c->measures);
	return pg_exec_change(s, "UPDATE complaints SET step = $2, step_before = $3, step_at = $4, open = $5,"
				 " last_incident_day = $6, filed_late = $7, next_due_day = $8, advice = $9,"
				 " measures = $10 WHERE id = $1", &p);
}

int pg_complaint_key_get(struct store *s, int64_t complaint_id, int64_t user_id, struct case_key_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, complaint_id);
	pg_int(&p, user_id);
	int rc = pg_sealed_key(s, "SELECT sealed_key FROM complaint_keys WHERE complaint_id = $1 AND user_id = $2", &p,
			       out->sealed_key);
	if (rc == VD_OK)
		out->user_id = user_id;
	return rc;
}

int pg_complaint_readers(struct store *s, struct arena *a, int64_t complaint_id, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, complaint_id);
	pg_int(&p, SMALL_LIST);
	return pg_ids(s, a, "SELECT user_id FROM complaint_keys WHERE complaint_id = $1 ORDER BY user_id LIMIT $2", &p,
		      out);
}

/* $1 the member, $2 their units (an int8[]) in p, with its bytes in b;
 * VD_ERR_TOOBIG for more units than a query takes. */
static int member_params(const struct complaint_query *q, struct buf *b, struct pg_params *p)
{
	buf_init(b, PG_UNITS_BYTES);
	pg_int(p, q->user_id);
	return pg_units(p, q->units, q->nunits, b);
}

static int complaint_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p,
			  struct complaint_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, sql, p, sizeof *out->items, SIZE_MAX, read_complaint, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_complaint_list(struct store *s, struct arena *a, const struct complaint_query *q, struct complaint_recs *out)
{
	struct buf units;
	struct pg_params p = { 0 };
	out->n = 0;
	int rc = member_params(q, &units, &p);
	if (rc == VD_OK && q->open) {
		/* the ORDER BY of the open list is the index complaints_due's own */
		pg_int(&p, q->due_before);
		pg_int(&p, (int64_t)q->limit);
		pg_int(&p, (int64_t)q->offset);
		rc = complaint_rows(s, a, "SELECT " COMPLAINT_COLS " FROM complaints c WHERE open = 1"
					  " AND ($3::int8 = 0 OR (next_due_day > 0 AND next_due_day < $3::int8))"
					  " AND unit_id = ANY($2::int8[])"
					  " AND EXISTS (SELECT 1 FROM complaint_keys k WHERE k.complaint_id = c.id"
					  " AND k.user_id = $1)"
					  " ORDER BY open, next_due_day = 0, next_due_day, id LIMIT $4 OFFSET $5", &p, out);
	} else if (rc == VD_OK) {
		pg_int(&p, (int64_t)q->limit);
		pg_int(&p, (int64_t)q->offset);
		rc = complaint_rows(s, a, "SELECT " COMPLAINT_COLS " FROM complaints c WHERE open = 0"
					  " AND unit_id = ANY($2::int8[])"
					  " AND EXISTS (SELECT 1 FROM complaint_keys k WHERE k.complaint_id = c.id"
					  " AND k.user_id = $1)"
					  " ORDER BY id DESC LIMIT $3 OFFSET $4", &p, out);
	}
	buf_release(&units);
	return rc;
}

int pg_complaint_without_terms(struct store *s, struct arena *a, size_t limit, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, (int64_t)limit);
	return pg_ids(s, a, "SELECT id FROM complaints c WHERE open = 1 AND NOT EXISTS"
			    " (SELECT 1 FROM complaint_terms t WHERE t.complaint_id = c.id) ORDER BY id LIMIT $1", &p,
		      out);
}

int pg_complaint_open_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, after);
	pg_int(&p, (int64_t)limit);
	return pg_ids(s, a, "SELECT id FROM complaints WHERE open = 1 AND id > $1 ORDER BY id LIMIT $2", &p, out);
}

/* ---- terms, pauses, extensions, moves --------------------------------------- */

int pg_complaint_term_insert(struct store *s, const struct complaint_term_rec *t, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, t->complaint_id);
	pg_text(&p, t->kind);
	pg_int(&p, t->start_day);
	pg_int(&p, t->length);
	pg_text(&p, t->unit);
	pg_int(&p, t->atw);
	pg_int(&p, t->max_notice_days);
	pg_int(&p, t->due_day);
	pg_int(&p, t->met_day);
	pg_int(&p, t->hearing_id);
	return pg_insert_id(s, "INSERT INTO complaint_terms(complaint_id, kind, start_day, length, unit, atw,"
			       " max_notice_days, due_day, met_day, hearing_id)"
			       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", &p, id);
}

int pg_complaint_term_update(struct store *s, const struct complaint_term_rec *t)
{
	struct pg_params p = { 0 };
	pg_int(&p, t->id);
	pg_int(&p, t->due_day);
	pg_int(&p, t->met_day);
	return pg_exec_change(s, "UPDATE complaint_terms SET due_day = $2, met_day = $3 WHERE id = $1", &p);
}

#define TERM_COLS                                                                                           \
	"id, complaint_id, kind, start_day, length, unit, atw, max_notice_days, due_day, met_day, reminded," \
	" hearing_id"

static int read_term(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_term_rec *t = item;
	t->id = pg_get_int(r, i, 0);
	t->complaint_id = pg_get_int(r, i, 1);
	t->kind = pg_get_text(a, r, i, 2);
	t->start_day = pg_get_int(r, i, 3);
	t->length = pg_get_int(r, i, 4);
	t->unit = pg_get_text(a, r, i, 5);
	t->atw = (int)pg_get_int(r, i, 6);
	t->max_notice_days = pg_get_int(r, i, 7);
	t->due_day = pg_get_int(r, i, 8);
	t->met_day = pg_get_int(r, i, 9);
	t->reminded = pg_get_int(r, i, 10);
	t->hearing_id = pg_get_int(r, i, 11);
	return t->kind && t->unit ? VD_OK : VD_ERR_NOMEM;
}

static int term_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p,
		     struct complaint_term_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, sql, p, sizeof *out->items, SIZE_MAX, read_term, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_complaint_term_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_term_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, complaint_id);
	pg_int(&p, SMALL_LIST);
	return term_rows(s, a, "SELECT " TERM_COLS " FROM complaint_terms WHERE complaint_id = $1 ORDER BY id LIMIT $2",
			 &p, out);
}

int pg_complaint_running_terms(struct store *s, struct arena *a, const struct complaint_query *q,
			       struct complaint_term_recs *out)
{
	struct buf units;
	struct pg_params p = { 0 };
	out->n = 0;
	int rc = member_params(q, &units, &p);
	if (rc == VD_OK) {
		pg_int(&p, (int64_t)q->limit);
		pg_int(&p, (int64_t)q->offset);
		/* in the order of the index complaint_terms_due: a page stops after its rows */
		rc = term_rows(s, a, "SELECT " TERM_COLS " FROM complaint_terms t WHERE met_day = 0 AND due_day > 0"
				     " AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = t.complaint_id AND c.open = 1"
				     " AND c.unit_id = ANY($2::int8[]))"
				     " AND EXISTS (SELECT 1 FROM complaint_keys k WHERE k.complaint_id = t.complaint_id"
				     " AND k.user_id = $1)"
				     " ORDER BY met_day, due_day, id LIMIT $3 OFFSET $4", &p, out);
	}
	buf_release(&units);
	return rc;
}

int pg_complaint_terms_due(struct store *s, struct arena *a, int64_t until_day, int64_t all_bits, const char *kind,
			   size_t limit, struct complaint_term_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, until_day);
	pg_int(&p, all_bits);
	pg_int(&p, (int64_t)limit);
	pg_text(&p, kind); /* NULL: "", any kind */
	return term_rows(s, a, "SELECT " TERM_COLS " FROM complaint_terms t WHERE met_day = 0 AND due_day > 0"
			       " AND due_day <= $1 AND (reminded & $2::int8) <> $2::int8 AND ($4::text = '' OR kind = $4)"
			       " AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = t.complaint_id AND c.open = 1)"
			       " ORDER BY due_day, id LIMIT $3", &p, out);
}

int pg_complaint_term_remind(struct store *s, int64_t term_id, int64_t bit)
{
	/* one statement: of two servers reminding at once, one changes the row */
	struct pg_params p = { 0 };
	pg_int(&p, term_id);
	pg_int(&p, bit);
	return pg_exec_change(s, "UPDATE complaint_terms SET reminded = reminded | $2::int8"
				 " WHERE id = $1 AND (reminded & $2::int8) = 0", &p);
}

int pg_complaint_pause_insert(struct store *s, const struct complaint_pause_rec *pa, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, pa->complaint_id);
	pg_int(&p, pa->from_day);
	pg_int(&p, pa->to_day);
	pg_text(&p, pa->step);
	return pg_insert_id(s, "INSERT INTO complaint_pauses(complaint_id, from_day, to_day, step)"
			       " VALUES($1, $2, $3, $4) RETURNING id", &p, id);
}

int pg_complaint_pause_end(struct store *s, int64_t complaint_id, int64_t to_day)
{
	struct pg_params p = { 0 };
	pg_int(&p, complaint_id);
	pg_int(&p, to_day);
	return pg_exec_change(s, "UPDATE complaint_pauses SET to_day = $2 WHERE complaint_id = $1 AND to_day = 0", &p);
}

static int read_pause(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_pause_rec *pa = item;
	pa->id = pg_get_int(r, i, 0);
	pa->from_day = pg_get_int(r, i, 1);
	pa->to_day = pg_get_int(r, i, 2);
	pa->step = pg_get_text(a, r, i, 3);
	return pa->step ? VD_OK : VD_ERR_NOMEM;
}

int pg_complaint_pause_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_pause_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, from_day, to_day, step FROM complaint_pauses WHERE complaint_id = $1"
				  " ORDER BY id LIMIT $2", complaint_id, SMALL_LIST, sizeof *out->items, read_pause,
			    &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].complaint_id = complaint_id;
	return rc;
}

int pg_complaint_extension_insert(struct store *s, const struct complaint_extension_rec *e, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, e->term_id);
	pg_int(&p, e->days);
	pg_text(&p, e->basis);
	pg_int(&p, e->consent_day);
	pg_int(&p, e->at);
	pg_int(&p, e->by);
	return pg_insert_id(s, "INSERT INTO complaint_extensions(term_id, days, basis, consent_day, at, by)"
			       " VALUES($1, $2, $3, $4, $5, $6) RETURNING id", &p, id);
}

static int read_extension(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_extension_rec *e = item;
	e->id = pg_get_int(r, i, 0);
	e->term_id = pg_get_int(r, i, 1);
	e->days = pg_get_int(r, i, 2);
	e->basis = pg_get_text(a, r, i, 3);
	e->consent_day = pg_get_int(r, i, 4);
	e->at = pg_get_int(r, i, 5);
	e->by = pg_get_int(r, i, 6);
	return e->basis ? VD_OK : VD_ERR_NOMEM;
}

int pg_complaint_extension_list(struct store *s, struct arena *a, int64_t complaint_id,
				struct complaint_extension_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT e.id, e.term_id, e.days, e.basis, e.consent_day, e.at, e.by"
				  " FROM complaint_extensions e JOIN complaint_terms t ON t.id = e.term_id"
				  " WHERE t.complaint_id = $1 ORDER BY e.id LIMIT $2", complaint_id, SMALL_LIST,
			    sizeof *out->items, read_extension, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_complaint_move_insert(struct store *s, const struct complaint_move_rec *m, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, m->complaint_id);
	pg_int(&p, m->at);
	pg_int(&p, m->by);
	pg_text(&p, m->from);
	pg_text(&p, m->to);
	pg_blob(&p, m->reason, m->reason_len); /* NULL: none */
	return pg_insert_id(s, "INSERT INTO complaint_moves(complaint_id, at, by, from_step, to_step, reason)"
			       " VALUES($1, $2, $3, $4, $5, $6) RETURNING id", &p, id);
}

static int read_move(struct arena *a, const PGresult *r, int i, void *item)
{
	struct complaint_move_rec *m = item;
	bool oom = false;
	m->id = pg_get_int(r, i, 0);
	m->at = pg_get_int(r, i, 1);
	m->by = pg_get_int(r, i, 2);
	m->from = pg_get_text(a, r, i, 3);
	m->to = pg_get_text(a, r, i, 4);
	m->reason = pg_get_blob(a, r, i, 5, &m->reason_len, &oom);
	return oom || !m->from || !m->to ? VD_ERR_NOMEM : VD_OK;
}

int pg_complaint_move_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
			   struct complaint_move_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, at, by, from_step, to_step, reason FROM complaint_moves"
				  " WHERE complaint_id = $1 ORDER BY id LIMIT $2", complaint_id, limit,
			    sizeof *out->items, read_move, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].complaint_id = complaint_id;
	return rc;
}
