/*
 * The SQLite store's complaints (issue 8): the committee's files, their
 * step in the procedure, terms, pauses, extensions and the steps taken.
 * See store.h for what each function promises.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../util/buf.h"
#include "../../util/errors.h"
#include "sqlite_internal.h"

#define SMALL_LIST 64

static int complaint_insert_rows(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys,
				 size_t nkeys, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaints(case_id, unit_id, by, created_at, content, step,"
				      " step_before, step_at, open, received_day, last_incident_day, filed_late,"
				      " next_due_day, channel, advice, measures)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, c->case_id);
	sqlite3_bind_int64(st, 2, c->unit_id);
	sqlite3_bind_int64(st, 3, c->by);
	sqlite3_bind_int64(st, 4, c->created_at);
	sq_bind_blob(st, 5, c->content, c->content_len);
	sq_bind_text(st, 6, c->step);
	sq_bind_text(st, 7, c->step_before);
	sqlite3_bind_int64(st, 8, c->step_at);
	sqlite3_bind_int(st, 9, c->open);
	sqlite3_bind_int64(st, 10, c->received_day);
	sqlite3_bind_int64(st, 11, c->last_incident_day);
	sqlite3_bind_int(st, 12, c->filed_late);
	sqlite3_bind_int64(st, 13, c->next_due_day);
	sq_bind_text(st, 14, c->channel);
	sq_bind_text(st, 15, c->advice);
	sqlite3_bind_int64(st, 16, c->measures);
	int rc = sq_exec_done(s, st);
	if (rc)
		return rc;
	*id = sq_last_id(s);
	for (size_t i = 0; rc == VD_OK && i < nkeys; i++) {
		st = sq_prep(s, "INSERT INTO complaint_keys(complaint_id, user_id, sealed_key) VALUES(?1, ?2, ?3)");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, keys[i].user_id);
		sqlite3_bind_blob(st, 3, keys[i].sealed_key, sizeof keys[i].sealed_key, SQLITE_TRANSIENT);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

int sq_complaint_insert(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys, size_t nkeys,
			int64_t *id)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, complaint_insert_rows(s, c, keys, nkeys, id));
}

#define COMPLAINT_COLUMNS                                                                             \
	"id, case_id, unit_id, by, created_at, content, step, step_before, step_at, open, received_day," \
	" last_incident_day, filed_late, next_due_day, channel, advice, measures"

static bool complaint_row(struct arena *a, sqlite3_stmt *st, struct complaint_rec *c)
{
	bool oom = false;
	c->id = sqlite3_column_int64(st, 0);
	c->case_id = sqlite3_column_int64(st, 1);
	c->unit_id = sqlite3_column_int64(st, 2);
	c->by = sqlite3_column_int64(st, 3);
	c->created_at = sqlite3_column_int64(st, 4);
	c->content = sq_col_blob(a, st, 5, &c->content_len, &oom);
	c->step = sq_col_text(a, st, 6);
	c->step_before = sq_col_text(a, st, 7);
	c->step_at = sqlite3_column_int64(st, 8);
	c->open = sqlite3_column_int(st, 9);
	c->received_day = sqlite3_column_int64(st, 10);
	c->last_incident_day = sqlite3_column_int64(st, 11);
	c->filed_late = sqlite3_column_int(st, 12);
	c->next_due_day = sqlite3_column_int64(st, 13);
	c->channel = sq_col_text(a, st, 14);
	c->advice = sq_col_text(a, st, 15);
	c->measures = sqlite3_column_int64(st, 16);
	return !oom && c->step && c->step_before && c->channel && c->advice;
}

int sq_complaint_get(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " COMPLAINT_COLUMNS " FROM complaints WHERE id = ?1 AND purged_at = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	bool oom = rc == SQLITE_ROW && !complaint_row(a, st, out);
	int r = sq_list_end(s, st, rc, oom);
	return r == VD_OK && rc == SQLITE_DONE ? VD_ERR_NOTFOUND : r;
}

int sq_complaint_claim(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out)
{
	/* Inside a transaction the connection holds the write lock (BEGIN
	 * IMMEDIATE): nobody else changes the complaint until it ends. */
	if (!sq_in_transaction(s))
		return VD_ERR_MISUSE;
	return sq_complaint_get(s, a, id, out);
}

int sq_complaint_update(struct store *s, const struct complaint_rec *c)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE complaints SET step = ?2, step_before = ?3, step_at = ?4, open = ?5,"
				      " last_incident_day = ?6, filed_late = ?7, next_due_day = ?8, advice = ?9,"
				      " measures = ?10 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, c->id);
	sq_bind_text(st, 2, c->step);
	sq_bind_text(st, 3, c->step_before);
	sqlite3_bind_int64(st, 4, c->step_at);
	sqlite3_bind_int(st, 5, c->open);
	sqlite3_bind_int64(st, 6, c->last_incident_day);
	sqlite3_bind_int(st, 7, c->filed_late);
	sqlite3_bind_int64(st, 8, c->next_due_day);
	sq_bind_text(st, 9, c->advice);
	sqlite3_bind_int64(st, 10, c->measures);
	return sq_exec_change(s, st);
}

int sq_complaint_key_get(struct store *s, int64_t complaint_id, int64_t user_id, struct case_key_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT sealed_key FROM complaint_keys WHERE complaint_id = ?1 AND user_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sqlite3_step(st);
	int r = VD_ERR_NOTFOUND;
	if (rc == SQLITE_ROW) {
		r = VD_ERR_STORE;
		if (sqlite3_column_bytes(st, 0) == (int)sizeof out->sealed_key) {
			out->user_id = user_id;
			memcpy(out->sealed_key, sqlite3_column_blob(st, 0), sizeof out->sealed_key);
			r = VD_OK;
		}
	} else if (rc != SQLITE_DONE) {
		r = sq_map_rc(rc);
	}
	sq_done(s, st);
	return r;
}

/* Runs st, whose last parameter (number last) is the limit, collecting
 * its first column into out. */
static int id_query(struct store *s, struct arena *a, sqlite3_stmt *st, int last, size_t limit, struct id_list *out)
{
	out->n = 0;
	out->ids = arena_alloc(a, (limit ? limit : 1) * sizeof *out->ids);
	if (!out->ids) {
		sq_done(s, st);
		return VD_ERR_NOMEM;
	}
	sqlite3_bind_int64(st, last, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	return sq_list_end(s, st, rc, false);
}

int sq_complaint_readers(struct store *s, struct arena *a, int64_t complaint_id, struct id_list *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT user_id FROM complaint_keys WHERE complaint_id = ?1 ORDER BY user_id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	return id_query(s, a, st, 2, SMALL_LIST, out);
}

int sq_units_json(const int64_t *units, size_t n, struct buf *b)
{
	int rc = buf_putc(b, '[');
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		rc = buf_printf(b, "%s%lld", i ? "," : "", (long long)units[i]);
	return rc == VD_OK ? buf_putc(b, ']') : rc;
}

/* Binds a member's query to st: ?1 the user, ?2 the units (as JSON);
 * VD_ERR_TOOBIG for more units than a query takes. */
static int bind_member(sqlite3_stmt *st, const struct complaint_query *q)
{
	struct buf units;
	buf_init(&units, 64 * 1024);
	int rc = sq_units_json(q->units, q->nunits, &units);
	if (rc == VD_OK) {
		sqlite3_bind_int64(st, 1, q->user_id);
		sqlite3_bind_text(st, 2, units.data, -1, SQLITE_TRANSIENT);
	}
	buf_release(&units);
	return rc == VD_OK ? VD_OK : VD_ERR_TOOBIG;
}

int sq_complaint_list(struct store *s, struct arena *a, const struct complaint_query *q, struct complaint_recs *out)
{
	SQ_LIST_BEGIN(out, q->limit)
	/* The ORDER BY of the open list is the index complaints_due's own. */
	sqlite3_stmt *st =
		q->open ? sq_prep(s, "SELECT " COMPLAINT_COLUMNS " FROM complaints c WHERE open = 1"
				     " AND (?3 = 0 OR (next_due_day > 0 AND next_due_day < ?3))"
				     " AND unit_id IN (SELECT value FROM json_each(?2))"
				     " AND EXISTS (SELECT 1 FROM complaint_keys k WHERE k.complaint_id = c.id AND k.user_id = ?1)"
				     " ORDER BY open, next_due_day = 0, next_due_day, id LIMIT ?4 OFFSET ?5")
			: sq_prep(s, "SELECT " COMPLAINT_COLUMNS " FROM complaints c WHERE open = 0"
				     " AND unit_id IN (SELECT value FROM json_each(?2))"
				     " AND EXISTS (SELECT 1 FROM complaint_keys k WHERE k.complaint_id = c.id AND k.user_id = ?1)"
				     " AND ?3 = ?3 ORDER BY id DESC LIMIT ?4 OFFSET ?5");
	if (!st)
		return VD_ERR_STORE;
	int rc = bind_member(st, q);
	if (rc) {
		sq_done(s, st);
		return rc;
	}
	sqlite3_bind_int64(st, 3, q->due_before);
	sqlite3_bind_int64(st, 4, (int64_t)q->limit);
	sqlite3_bind_int64(st, 5, (int64_t)q->offset);
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < q->limit)
		oom = !complaint_row(a, st, &out->items[out->n++]);
	return sq_list_end(s, st, rc, oom);
}

int sq_complaint_without_terms(struct store *s, struct arena *a, size_t limit, struct id_list *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT id FROM complaints c WHERE open = 1 AND NOT EXISTS"
				      " (SELECT 1 FROM complaint_terms t WHERE t.complaint_id = c.id) ORDER BY id LIMIT ?1");
	if (!st)
		return VD_ERR_STORE;
	return id_query(s, a, st, 1, limit, out);
}

int sq_complaint_open_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct id_list *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT id FROM complaints WHERE open = 1 AND id > ?1 ORDER BY id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, after);
	return id_query(s, a, st, 2, limit, out);
}

/* ---- terms, pauses, extensions, moves --------------------------------------- */

int sq_complaint_term_insert(struct store *s, const struct complaint_term_rec *t, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_terms(complaint_id, kind, start_day, length, unit, atw,"
				      " max_notice_days, due_day, met_day, hearing_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, t->complaint_id);
	sq_bind_text(st, 2, t->kind);
	sqlite3_bind_int64(st, 3, t->start_day);
	sqlite3_bind_int64(st, 4, t->length);
	sq_bind_text(st, 5, t->unit);
	sqlite3_bind_int(st, 6, t->atw);
	sqlite3_bind_int64(st, 7, t->max_notice_days);
	sqlite3_bind_int64(st, 8, t->due_day);
	sqlite3_bind_int64(st, 9, t->met_day);
	sqlite3_bind_int64(st, 10, t->hearing_id);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_complaint_term_update(struct store *s, const struct complaint_term_rec *t)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE complaint_terms SET due_day = ?2, met_day = ?3 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, t->due_day);
	sqlite3_bind_int64(st, 3, t->met_day);
	return sq_exec_change(s, st);
}

#define TERM_COLUMNS "id, complaint_id, kind, start_day, length, unit, atw, max_notice_days, due_day, met_day, reminded," \
	" hearing_id"

static bool term_row(struct arena *a, sqlite3_stmt *st, struct complaint_term_rec *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->complaint_id = sqlite3_column_int64(st, 1);
	t->kind = sq_col_text(a, st, 2);
	t->start_day = sqlite3_column_int64(st, 3);
	t->length = sqlite3_column_int64(st, 4);
	t->unit = sq_col_text(a, st, 5);
	t->atw = sqlite3_column_int(st, 6);
	t->max_notice_days = sqlite3_column_int64(st, 7);
	t->due_day = sqlite3_column_int64(st, 8);
	t->met_day = sqlite3_column_int64(st, 9);
	t->reminded = sqlite3_column_int64(st, 10);
	t->hearing_id = sqlite3_column_int64(st, 11);
	return t->kind && t->unit;
}

int sq_complaint_term_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_term_recs *out)
{
	SQ_LIST_BEGIN(out, SMALL_LIST)
	sqlite3_stmt *st = sq_prep(s, "SELECT " TERM_COLUMNS " FROM complaint_terms WHERE complaint_id = ?1"
				      " ORDER BY id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int(st, 2, SMALL_LIST);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < SMALL_LIST)
		oom = !term_row(a, st, &out->items[out->n++]);
	return sq_list_end(s, st, rc, oom);
}

int sq_complaint_running_terms(struct store *s, struct arena *a, const struct complaint_query *q,
			       struct complaint_term_recs *out)
{
	SQ_LIST_BEGIN(out, q->limit)
	/* in the order of the index complaint_terms_due: a page stops after its rows */
	sqlite3_stmt *st = sq_prep(s, "SELECT " TERM_COLUMNS " FROM complaint_terms t WHERE met_day = 0 AND due_day > 0"
				      " AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = t.complaint_id AND c.open = 1"
				      "   AND c.unit_id IN (SELECT value FROM json_each(?2)))"
				      " AND EXISTS (SELECT 1 FROM complaint_keys k WHERE k.complaint_id = t.complaint_id"
				      "   AND k.user_id = ?1)"
				      " ORDER BY met_day, due_day, id LIMIT ?3 OFFSET ?4");
	if (!st)
		return VD_ERR_STORE;
	int rc = bind_member(st, q);
	if (rc) {
		sq_done(s, st);
		return rc;
	}
	sqlite3_bind_int64(st, 3, (int64_t)q->limit);
	sqlite3_bind_int64(st, 4, (int64_t)q->offset);
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < q->limit)
		oom = !term_row(a, st, &out->items[out->n++]);
	return sq_list_end(s, st, rc, oom);
}

int sq_complaint_terms_due(struct store *s, struct arena *a, int64_t until_day, int64_t all_bits, const char *kind,
			   size_t limit, struct complaint_term_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT " TERM_COLUMNS " FROM complaint_terms t WHERE met_day = 0 AND due_day > 0"
				      " AND due_day <= ?1 AND (reminded & ?2) != ?2 AND (?4 = '' OR kind = ?4)"
				      " AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = t.complaint_id AND c.open = 1)"
				      " ORDER BY due_day, id LIMIT ?3");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, until_day);
	sqlite3_bind_int64(st, 2, all_bits);
	sqlite3_bind_int64(st, 3, (int64_t)limit);
	sq_bind_text(st, 4, kind); /* NULL: "", any kind */
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		oom = !term_row(a, st, &out->items[out->n++]);
	return sq_list_end(s, st, rc, oom);
}

int sq_complaint_term_remind(struct store *s, int64_t term_id, int64_t bit)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE complaint_terms SET reminded = reminded | ?2"
				      " WHERE id = ?1 AND (reminded & ?2) = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, term_id);
	sqlite3_bind_int64(st, 2, bit);
	return sq_exec_change(s, st);
}

int sq_complaint_pause_insert(struct store *s, const struct complaint_pause_rec *p, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_pauses(complaint_id, from_day, to_day, step)"
				      " VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, p->complaint_id);
	sqlite3_bind_int64(st, 2, p->from_day);
	sqlite3_bind_int64(st, 3, p->to_day);
	sq_bind_text(st, 4, p->step);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_complaint_pause_end(struct store *s, int64_t complaint_id, int64_t to_day)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE complaint_pauses SET to_day = ?2 WHERE complaint_id = ?1 AND to_day = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int64(st, 2, to_day);
	return sq_exec_change(s, st);
}

int sq_complaint_pause_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_pause_recs *out)
{
	SQ_LIST_BEGIN(out, SMALL_LIST)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, from_day, to_day, step FROM complaint_pauses WHERE complaint_id = ?1"
				      " ORDER BY id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int(st, 2, SMALL_LIST);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < SMALL_LIST) {
		struct complaint_pause_rec *p = &out->items[out->n++];
		p->id = sqlite3_column_int64(st, 0);
		p->complaint_id = complaint_id;
		p->from_day = sqlite3_column_int64(st, 1);
		p->to_day = sqlite3_column_int64(st, 2);
		p->step = sq_col_text(a, st, 3);
		oom = !p->step;
	}
	return sq_list_end(s, st, rc, oom);
}

int sq_complaint_extension_insert(struct store *s, const struct complaint_extension_rec *e, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_extensions(term_id, days, basis, consent_day, at, by)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, e->term_id);
	sqlite3_bind_int64(st, 2, e->days);
	sq_bind_text(st, 3, e->basis);
	sqlite3_bind_int64(st, 4, e->consent_day);
	sqlite3_bind_int64(st, 5, e->at);
	sqlite3_bind_int64(st, 6, e->by);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_complaint_extension_list(struct store *s, struct arena *a, int64_t complaint_id,
				struct complaint_extension_recs *out)
{
	SQ_LIST_BEGIN(out, SMALL_LIST)
	sqlite3_stmt *st = sq_prep(s, "SELECT e.id, e.term_id, e.days, e.basis, e.consent_day, e.at, e.by"
				      " FROM complaint_extensions e JOIN complaint_terms t ON t.id = e.term_id"
				      " WHERE t.complaint_id = ?1 ORDER BY e.id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int(st, 2, SMALL_LIST);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < SMALL_LIST) {
		struct complaint_extension_rec *e = &out->items[out->n++];
		e->id = sqlite3_column_int64(st, 0);
		e->term_id = sqlite3_column_int64(st, 1);
		e->days = sqlite3_column_int64(st, 2);
		e->basis = sq_col_text(a, st, 3);
		e->consent_day = sqlite3_column_int64(st, 4);
		e->at = sqlite3_column_int64(st, 5);
		e->by = sqlite3_column_int64(st, 6);
		oom = !e->basis;
	}
	return sq_list_end(s, st, rc, oom);
}

int sq_complaint_move_insert(struct store *s, const struct complaint_move_rec *m, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO complaint_moves(complaint_id, at, by, from_step, to_step, reason)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, m->complaint_id);
	sqlite3_bind_int64(st, 2, m->at);
	sqlite3_bind_int64(st, 3, m->by);
	sq_bind_text(st, 4, m->from);
	sq_bind_text(st, 5, m->to);
	sq_bind_blob(st, 6, m->reason, m->reason_len);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_complaint_move_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
			   struct complaint_move_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, at, by, from_step, to_step, reason FROM complaint_moves"
				      " WHERE complaint_id = ?1 ORDER BY id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, complaint_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct complaint_move_rec *m = &out->items[out->n++];
		m->id = sqlite3_column_int64(st, 0);
		m->complaint_id = complaint_id;
		m->at = sqlite3_column_int64(st, 1);
		m->by = sqlite3_column_int64(st, 2);
		m->from = sq_col_text(a, st, 3);
		m->to = sq_col_text(a, st, 4);
		m->reason = sq_col_blob(a, st, 5, &m->reason_len, &oom);
		oom |= !m->from || !m->to;
	}
	return sq_list_end(s, st, rc, oom);
}
