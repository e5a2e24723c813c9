/*
 * The SQLite store's case work (issue 4): phases, the *stat* outcome fields,
 * conversations, appointments, consent, complaints forwarded to the
 * committee, hand-overs, conflicts of interest, exceptions and the
 * counsellor's dashboard. See store.h for what each function promises.
 */
#include <stdbool.h>
#include <string.h>

#include "../../util/errors.h"
#include "sqlite_internal.h"

/* ---- the work record -------------------------------------------------------- */

int sq_case_work_get(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out)
{
	memset(out, 0, sizeof *out);
	out->case_id = case_id;
	out->route = out->outcome = "";
	sqlite3_stmt *st = sq_prep(s, "SELECT w.phase_at, w.closed_at, w.route, w.outcome, w.referrals, w.agreement_day,"
				      " w.follow_up, w.progress_evaluated, w.legal_advice, w.aftercare_offered,"
				      " w.aftercare_done, w.aftercare_due_day, w.inventory,"
				      " (SELECT count(*) FROM contacts WHERE case_id = ?1),"
				      " (SELECT max(on_day) FROM contacts WHERE case_id = ?1)"
				      " FROM (SELECT ?1 AS id) c LEFT JOIN case_work w ON w.case_id = c.id");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	int rc = sqlite3_step(st);
	bool oom = false;
	if (rc == SQLITE_ROW) {
		out->phase_at = sqlite3_column_int64(st, 0);
		out->closed_at = sqlite3_column_int64(st, 1);
		out->route = sq_col_text(a, st, 2);
		out->outcome = sq_col_text(a, st, 3);
		out->referrals = sqlite3_column_int64(st, 4);
		out->agreement_day = sqlite3_column_int64(st, 5);
		out->follow_up = sqlite3_column_int(st, 6);
		out->progress_evaluated = sqlite3_column_int(st, 7);
		out->legal_advice = sqlite3_column_int(st, 8);
		out->aftercare_offered = sqlite3_column_int(st, 9);
		out->aftercare_done = sqlite3_column_int(st, 10);
		out->aftercare_due_day = sqlite3_column_int64(st, 11);
		out->inventory = sq_col_blob(a, st, 12, &out->inventory_len, &oom);
		out->contacts = sqlite3_column_int64(st, 13);
		out->last_contact_day = sqlite3_column_int64(st, 14); /* NULL: 0 */
		oom |= !out->route || !out->outcome;
	}
	return sq_list_end(s, st, rc, oom);
}

int sq_case_work_claim(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out)
{
	/* Inside a transaction the connection already holds the write lock
	 * (BEGIN IMMEDIATE): nobody else can change the record until it ends. */
	if (!sq_in_transaction(s))
		return VD_ERR_MISUSE;
	return sq_case_work_get(s, a, case_id, out);
}

int sq_case_work_put(struct store *s, const struct case_work_rec *w)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO case_work(case_id, phase_at, closed_at, route, outcome, referrals,"
				      " agreement_day, follow_up, progress_evaluated, legal_advice, aftercare_offered,"
				      " aftercare_done, aftercare_due_day, inventory)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
				      " ON CONFLICT(case_id) DO UPDATE SET phase_at = ?2, closed_at = ?3, route = ?4,"
				      " outcome = ?5, referrals = ?6, agreement_day = ?7, follow_up = ?8,"
				      " progress_evaluated = ?9, legal_advice = ?10, aftercare_offered = ?11,"
				      " aftercare_done = ?12, aftercare_due_day = ?13, inventory = ?14");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, w->case_id);
	sqlite3_bind_int64(st, 2, w->phase_at);
	sqlite3_bind_int64(st, 3, w->closed_at);
	sq_bind_text(st, 4, w->route);
	sq_bind_text(st, 5, w->outcome);
	sqlite3_bind_int64(st, 6, w->referrals);
	sqlite3_bind_int64(st, 7, w->agreement_day);
	sqlite3_bind_int(st, 8, w->follow_up);
	sqlite3_bind_int(st, 9, w->progress_evaluated);
	sqlite3_bind_int(st, 10, w->legal_advice);
	sqlite3_bind_int(st, 11, w->aftercare_offered);
	sqlite3_bind_int(st, 12, w->aftercare_done);
	sqlite3_bind_int64(st, 13, w->aftercare_due_day);
	sq_bind_blob(st, 14, w->inventory, w->inventory_len);
	return sq_exec_done(s, st);
}

static int case_set_phase_rows(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at, int64_t by)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE cases SET phase = ?3 WHERE id = ?1 AND phase = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sq_bind_text(st, 2, from);
	sq_bind_text(st, 3, to);
	int rc = sq_exec_change(s, st);
	if (rc)
		return rc;
	st = sq_prep(s, "INSERT INTO phase_moves(case_id, from_phase, to_phase, at, by) VALUES(?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sq_bind_text(st, 2, from);
	sq_bind_text(st, 3, to);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_int64(st, 5, by);
	return sq_exec_done(s, st);
}

int sq_case_set_phase(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at, int64_t by)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, case_set_phase_rows(s, case_id, from, to, at, by));
}

int sq_phase_move_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct phase_move_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT from_phase, to_phase, at, by FROM phase_moves WHERE case_id = ?1"
				      " ORDER BY id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct phase_move_rec *m = &out->items[out->n++];
		m->from = sq_col_text(a, st, 0);
		m->to = sq_col_text(a, st, 1);
		m->at = sqlite3_column_int64(st, 2);
		m->by = sqlite3_column_int64(st, 3);
		oom |= !m->from || !m->to;
	}
	return sq_list_end(s, st, rc, oom);
}

int sq_case_set_stats(struct store *s, int64_t case_id, const struct case_stats_rec *cs)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE cases SET behaviours = ?2, reporter_type = ?3, relation = ?4, location = ?5"
				      " WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, cs->behaviours);
	sq_bind_text(st, 3, cs->reporter_type);
	sq_bind_text(st, 4, cs->relation);
	sq_bind_text(st, 5, cs->location);
	return sq_exec_change(s, st);
}

/* ---- conversations and appointments ------------------------------------------ */

int sq_contact_insert(struct store *s, const struct contact_rec *c, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO contacts(case_id, on_day, way, with_whom, minutes, by, created_at,"
				      " notes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, c->case_id);
	sqlite3_bind_int64(st, 2, c->on_day);
	sq_bind_text(st, 3, c->way);
	sq_bind_text(st, 4, c->with_whom);
	sqlite3_bind_int64(st, 5, c->minutes);
	sqlite3_bind_int64(st, 6, c->by);
	sqlite3_bind_int64(st, 7, c->created_at);
	sq_bind_blob(st, 8, c->notes, c->notes_len);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_contact_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct contact_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, on_day, way, with_whom, minutes, by, created_at, notes FROM contacts"
				      " WHERE case_id = ?1 ORDER BY on_day DESC, id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct contact_rec *c = &out->items[out->n++];
		c->id = sqlite3_column_int64(st, 0);
		c->case_id = case_id;
		c->on_day = sqlite3_column_int64(st, 1);
		c->way = sq_col_text(a, st, 2);
		c->with_whom = sq_col_text(a, st, 3);
		c->minutes = sqlite3_column_int64(st, 4);
		c->by = sqlite3_column_int64(st, 5);
		c->created_at = sqlite3_column_int64(st, 6);
		c->notes = sq_col_blob(a, st, 7, &c->notes_len, &oom);
		oom |= !c->way || !c->with_whom;
	}
	return sq_list_end(s, st, rc, oom);
}

int sq_appointment_insert(struct store *s, const struct appointment_rec *ap, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO appointments(case_id, starts_at, shared, by, created_at, place)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, ap->case_id);
	sqlite3_bind_int64(st, 2, ap->starts_at);
	sqlite3_bind_int(st, 3, ap->shared);
	sqlite3_bind_int64(st, 4, ap->by);
	sqlite3_bind_int64(st, 5, ap->created_at);
	sq_bind_blob(st, 6, ap->place, ap->place_len);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_appointment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			struct appointment_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, starts_at, shared, by, created_at, place FROM appointments"
				      " WHERE case_id = ?1 ORDER BY starts_at DESC, id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct appointment_rec *ap = &out->items[out->n++];
		ap->id = sqlite3_column_int64(st, 0);
		ap->case_id = case_id;
		ap->starts_at = sqlite3_column_int64(st, 1);
		ap->shared = sqlite3_column_int(st, 2);
		ap->by = sqlite3_column_int64(st, 3);
		ap->created_at = sqlite3_column_int64(st, 4);
		ap->place = sq_col_blob(a, st, 5, &ap->place_len, &oom);
	}
	return sq_list_end(s, st, rc, oom);
}

/* ---- consent, complaints, hand-over, conflicts ------------------------------ */

int sq_consent_insert(struct store *s, const struct consent_rec *c, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO consents(case_id, step, given, on_day, how, by, created_at)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, c->case_id);
	sq_bind_text(st, 2, c->step);
	sqlite3_bind_int(st, 3, c->given);
	sqlite3_bind_int64(st, 4, c->on_day);
	sq_bind_text(st, 5, c->how);
	sqlite3_bind_int64(st, 6, c->by);
	sqlite3_bind_int64(st, 7, c->created_at);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_consent_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct consent_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	/* newest first: the first record of a step is the one in force */
	sqlite3_stmt *st = sq_prep(s, "SELECT id, step, given, on_day, how, by, created_at FROM consents"
				      " WHERE case_id = ?1 ORDER BY id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct consent_rec *c = &out->items[out->n++];
		c->id = sqlite3_column_int64(st, 0);
		c->case_id = case_id;
		c->step = sq_col_text(a, st, 1);
		c->given = sqlite3_column_int(st, 2);
		c->on_day = sqlite3_column_int64(st, 3);
		c->how = sq_col_text(a, st, 4);
		c->by = sqlite3_column_int64(st, 5);
		c->created_at = sqlite3_column_int64(st, 6);
		oom |= !c->step || !c->how;
	}
	return sq_list_end(s, st, rc, oom);
}

static int case_reader_replace_rows(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to)
{
	sqlite3_stmt *st = sq_prep(s, "DELETE FROM case_keys WHERE case_id = ?1 AND user_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, from_user);
	int rc = sq_exec_change(s, st);
	if (rc)
		return rc;
	/* The new reader sees it as new; if they were a reader already, their
	 * key is the same case key, sealed anew. */
	st = sq_prep(s, "INSERT INTO case_keys(user_id, case_id, unopened, created_at, sealed_key)"
			" SELECT ?2, id, 1, created_at, ?3 FROM cases WHERE id = ?1"
			" ON CONFLICT(user_id, case_id) DO UPDATE SET sealed_key = ?3, unopened = 1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, to->user_id);
	sqlite3_bind_blob(st, 3, to->sealed_key, sizeof to->sealed_key, SQLITE_TRANSIENT);
	rc = sq_exec_change(s, st);
	if (rc)
		return rc;
	st = sq_prep(s, "UPDATE cases SET counsellor_id = ?3 WHERE id = ?1 AND counsellor_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, from_user);
	sqlite3_bind_int64(st, 3, to->user_id);
	return sq_exec_done(s, st);
}

int sq_case_reader_replace(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, case_reader_replace_rows(s, case_id, from_user, to));
}

int sq_conflict_put(struct store *s, int64_t case_id, int64_t user_id, int64_t at)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO conflicts(case_id, user_id, at) VALUES(?1, ?2, ?3)"
				      " ON CONFLICT(case_id, user_id) DO NOTHING");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, at);
	return sq_exec_done(s, st);
}

int sq_conflict_list(struct store *s, struct arena *a, int64_t case_id, struct id_list *out)
{
	enum { LIMIT = 64 };
	out->n = 0;
	out->ids = arena_alloc(a, LIMIT * sizeof *out->ids);
	if (!out->ids)
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = sq_prep(s, "SELECT user_id FROM conflicts WHERE case_id = ?1 ORDER BY at LIMIT 64");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < LIMIT)
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	return sq_list_end(s, st, rc, false);
}

/* ---- the confidentiality exception ------------------------------------------ */

int sq_exception_insert(struct store *s, const struct exception_rec *e, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO exceptions(case_id, at, by, conditions, told_day, content)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, e->case_id);
	sqlite3_bind_int64(st, 2, e->at);
	sqlite3_bind_int64(st, 3, e->by);
	sqlite3_bind_int64(st, 4, e->conditions);
	sqlite3_bind_int64(st, 5, e->told_day);
	sq_bind_blob(st, 6, e->content, e->content_len);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_exception_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct exception_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, at, by, conditions, told_day, content FROM exceptions"
				      " WHERE case_id = ?1 ORDER BY id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct exception_rec *e = &out->items[out->n++];
		e->id = sqlite3_column_int64(st, 0);
		e->case_id = case_id;
		e->at = sqlite3_column_int64(st, 1);
		e->by = sqlite3_column_int64(st, 2);
		e->conditions = sqlite3_column_int64(st, 3);
		e->told_day = sqlite3_column_int64(st, 4);
		e->content = sq_col_blob(a, st, 5, &e->content_len, &oom);
	}
	return sq_list_end(s, st, rc, oom);
}

/* ---- the dashboard ---------------------------------------------------------- */

/* Runs a (case id, day, moment) query with ?1 the user id, ?2 and ?3 its
 * bounds and ?4 the limit. */
static int dashboard_list(struct store *s, struct arena *a, sqlite3_stmt *st, int64_t user_id, int64_t p2,
			  int64_t p3, size_t limit, struct dashboard_item_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, p2);
	sqlite3_bind_int64(st, 3, p3);
	sqlite3_bind_int64(st, 4, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit) {
		struct dashboard_item_rec *it = &out->items[out->n++];
		it->case_id = sqlite3_column_int64(st, 0);
		it->day = sqlite3_column_int64(st, 1);
		it->at = sqlite3_column_int64(st, 2);
	}
	return sq_list_end(s, st, rc, false);
}

int sq_dashboard(struct store *s, struct arena *a, int64_t user_id, const struct dashboard_query *q,
		 struct dashboard_rec *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_prep(s, "SELECT c.phase, count(*) FROM case_keys k JOIN cases c ON c.id = k.case_id"
				      " WHERE k.user_id = ?1 GROUP BY c.phase");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nphases < sizeof out->by_phase / sizeof out->by_phase[0]) {
		out->by_phase[out->nphases].phase = sq_col_text(a, st, 0);
		out->by_phase[out->nphases].n = sqlite3_column_int64(st, 1);
		oom |= !out->by_phase[out->nphases++].phase;
	}
	rc = sq_list_end(s, st, rc, oom);
	if (rc == VD_OK)
		rc = dashboard_list(s, a,
				    sq_prep(s, "SELECT ap.case_id, 0, ap.starts_at FROM appointments ap"
					       " JOIN case_keys k ON k.case_id = ap.case_id AND k.user_id = ?1"
					       " WHERE ap.starts_at >= ?2 AND ap.starts_at < ?3 ORDER BY ap.starts_at LIMIT ?4"),
				    user_id, q->week_from, q->week_to, q->limit, &out->appointments);
	/* No conversation since quiet_day (or none at all since the case came in). */
	if (rc == VD_OK)
		rc = dashboard_list(s, a,
				    sq_prep(s, "SELECT c.id, coalesce((SELECT max(on_day) FROM contacts WHERE case_id = c.id),"
					       " c.created_day) AS last, ?3"
					       " FROM case_keys k JOIN cases c ON c.id = k.case_id"
					       " WHERE k.user_id = ?1 AND c.phase <> 'closed' AND last < ?2"
					       " ORDER BY last, c.id LIMIT ?4"),
				    user_id, q->quiet_day, 0, q->limit, &out->quiet);
	/* In aftercare and not done (offered or not), due by today or without a date. */
	if (rc == VD_OK)
		rc = dashboard_list(s, a,
				    sq_prep(s, "SELECT c.id, coalesce(w.aftercare_due_day, 0) AS due, ?3"
					       " FROM case_keys k JOIN cases c ON c.id = k.case_id"
					       " LEFT JOIN case_work w ON w.case_id = c.id" /* no row: the defaults */
					       " WHERE k.user_id = ?1 AND c.phase = 'aftercare' AND coalesce(w.aftercare_done, 0) = 0"
					       " AND (due = 0 OR due <= ?2)"
					       " ORDER BY due, c.id LIMIT ?4"),
				    user_id, q->today, 0, q->limit, &out->aftercare);
	return rc;
}
