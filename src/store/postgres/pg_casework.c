/* pg_casework: case work on PostgreSQL (see store_pg.c): the work record,
 * phases, the *stat* classification, conversations, appointments, consent,
 * hand-overs, conflicts of interest, exceptions and the counsellor's
 * dashboard; the SQLite store's store_casework.c does the same with the
 * same meaning. */
#include <stdbool.h>
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- the work record -------------------------------------------------------- */

static int read_case_work(struct arena *a, const PGresult *r, int i, void *item)
{
	struct case_work_rec *out = item;
	bool oom = false;
	out->phase_at = pg_get_int(r, i, 0);
	out->closed_at = pg_get_int(r, i, 1);
	out->route = pg_get_text(a, r, i, 2); /* NULL (no row): "" */
	out->outcome = pg_get_text(a, r, i, 3);
	out->referrals = pg_get_int(r, i, 4);
	out->agreement_day = pg_get_int(r, i, 5);
	out->follow_up = (int)pg_get_int(r, i, 6);
	out->progress_evaluated = (int)pg_get_int(r, i, 7);
	out->legal_advice = (int)pg_get_int(r, i, 8);
	out->aftercare_offered = (int)pg_get_int(r, i, 9);
	out->aftercare_done = (int)pg_get_int(r, i, 10);
	out->aftercare_due_day = pg_get_int(r, i, 11);
	out->inventory = pg_get_blob(a, r, i, 12, &out->inventory_len, &oom);
	out->contacts = pg_get_int(r, i, 13);
	out->last_contact_day = pg_get_int(r, i, 14); /* NULL: 0 */
	return oom || !out->route || !out->outcome ? VD_ERR_NOMEM : VD_OK;
}

int pg_case_work_get(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out)
{
	memset(out, 0, sizeof *out);
	out->case_id = case_id;
	out->route = out->outcome = "";
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	/* one row even without a work row: that case reads as the defaults */
	int rc = pg_one(s, a, "SELECT w.phase_at, w.closed_at, w.route, w.outcome, w.referrals, w.agreement_day,"
			      " w.follow_up, w.progress_evaluated, w.legal_advice, w.aftercare_offered,"
			      " w.aftercare_done, w.aftercare_due_day, w.inventory,"
			      " (SELECT count(*) FROM contacts WHERE case_id = $1),"
			      " (SELECT max(on_day) FROM contacts WHERE case_id = $1)"
			      " FROM (SELECT $1::int8 AS id) c LEFT JOIN case_work w ON w.case_id = c.id", &p,
			read_case_work, out);
	return rc == VD_ERR_NOTFOUND ? VD_OK : rc;
}

int pg_case_work_claim(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out)
{
	/* A transaction holds the write lock from its begin (store_pg.c): nobody
	 * else can change the record until it ends. */
	if (!pg_in_transaction(s))
		return VD_ERR_MISUSE;
	return pg_case_work_get(s, a, case_id, out);
}

int pg_case_work_put(struct store *s, const struct case_work_rec *w)
{
	struct pg_params p = { 0 };
	pg_int(&p, w->case_id);
	pg_int(&p, w->phase_at);
	pg_int(&p, w->closed_at);
	pg_text(&p, w->route);
	pg_text(&p, w->outcome);
	pg_int(&p, w->referrals);
	pg_int(&p, w->agreement_day);
	pg_int(&p, w->follow_up);
	pg_int(&p, w->progress_evaluated);
	pg_int(&p, w->legal_advice);
	pg_int(&p, w->aftercare_offered);
	pg_int(&p, w->aftercare_done);
	pg_int(&p, w->aftercare_due_day);
	pg_blob(&p, w->inventory, w->inventory_len);
	return pg_exec(s, "INSERT INTO case_work(case_id, phase_at, closed_at, route, outcome, referrals,"
			  " agreement_day, follow_up, progress_evaluated, legal_advice, aftercare_offered,"
			  " aftercare_done, aftercare_due_day, inventory)"
			  " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
			  " ON CONFLICT(case_id) DO UPDATE SET phase_at = $2, closed_at = $3, route = $4,"
			  " outcome = $5, referrals = $6, agreement_day = $7, follow_up = $8,"
			  " progress_evaluated = $9, legal_advice = $10, aftercare_offered = $11,"
			  " aftercare_done = $12, aftercare_due_day = $13, inventory = $14", &p);
}

static int case_set_phase_rows(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at,
			       int64_t by)
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	pg_text(&p, from);
	pg_text(&p, to);
	int rc = pg_exec_change(s, "UPDATE cases SET phase = $3 WHERE id = $1 AND phase = $2", &p);
	if (rc)
		return rc;
	pg_int(&p, at); /* $4 and $5 after the same three */
	pg_int(&p, by);
	return pg_exec(s, "INSERT INTO phase_moves(case_id, from_phase, to_phase, at, by) VALUES($1, $2, $3, $4, $5)",
		       &p);
}

int pg_case_set_phase(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at, int64_t by)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, case_set_phase_rows(s, case_id, from, to, at, by));
}

static int read_phase_move(struct arena *a, const PGresult *r, int i, void *item)
{
	struct phase_move_rec *m = item;
	m->from = pg_get_text(a, r, i, 0);
	m->to = pg_get_text(a, r, i, 1);
	m->at = pg_get_int(r, i, 2);
	m->by = pg_get_int(r, i, 3);
	return m->from && m->to ? VD_OK : VD_ERR_NOMEM;
}

int pg_phase_move_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct phase_move_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT from_phase, to_phase, at, by FROM phase_moves WHERE case_id = $1"
				  " ORDER BY id DESC LIMIT $2", case_id, limit, sizeof *out->items, read_phase_move,
			    &items, &out->n);
	out->items = items;
	return rc;
}

int pg_case_set_stats(struct store *s, int64_t case_id, const struct case_stats_rec *cs)
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	pg_int(&p, cs->behaviours);
	pg_text(&p, cs->reporter_type);
	pg_text(&p, cs->relation);
	pg_text(&p, cs->location);
	return pg_exec_change(s, "UPDATE cases SET behaviours = $2, reporter_type = $3, relation = $4, location = $5"
				 " WHERE id = $1", &p);
}

/* ---- conversations and appointments ------------------------------------------ */

int pg_contact_insert(struct store *s, const struct contact_rec *c, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, c->case_id);
	pg_int(&p, c->on_day);
	pg_text(&p, c->way);
	pg_text(&p, c->with_whom);
	pg_int(&p, c->minutes);
	pg_int(&p, c->by);
	pg_int(&p, c->created_at);
	pg_blob(&p, c->notes, c->notes_len);
	return pg_insert_id(s, "INSERT INTO contacts(case_id, on_day, way, with_whom, minutes, by, created_at, notes)"
			       " VALUES($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", &p, id);
}

static int read_contact(struct arena *a, const PGresult *r, int i, void *item)
{
	struct contact_rec *c = item;
	bool oom = false;
	c->id = pg_get_int(r, i, 0);
	c->on_day = pg_get_int(r, i, 1);
	c->way = pg_get_text(a, r, i, 2);
	c->with_whom = pg_get_text(a, r, i, 3);
	c->minutes = pg_get_int(r, i, 4);
	c->by = pg_get_int(r, i, 5);
	c->created_at = pg_get_int(r, i, 6);
	c->notes = pg_get_blob(a, r, i, 7, &c->notes_len, &oom);
	return oom || !c->way || !c->with_whom ? VD_ERR_NOMEM : VD_OK;
}

int pg_contact_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct contact_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, on_day, way, with_whom, minutes, by, created_at, notes FROM contacts"
				  " WHERE case_id = $1 ORDER BY on_day DESC, id DESC LIMIT $2", case_id, limit,
			    sizeof *out->items, read_contact, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].case_id = case_id;
	return rc;
}

int pg_appointment_insert(struct store *s, const struct appointment_rec *ap, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, ap->case_id);
	pg_int(&p, ap->starts_at);
	pg_int(&p, ap->shared);
	pg_int(&p, ap->by);
	pg_int(&p, ap->created_at);
	pg_blob(&p, ap->place, ap->place_len);
	return pg_insert_id(s, "INSERT INTO appointments(case_id, starts_at, shared, by, created_at, place)"
			       " VALUES($1, $2, $3, $4, $5, $6) RETURNING id", &p, id);
}

static int read_appointment(struct arena *a, const PGresult *r, int i, void *item)
{
	struct appointment_rec *ap = item;
	bool oom = false;
	ap->id = pg_get_int(r, i, 0);
	ap->starts_at = pg_get_int(r, i, 1);
	ap->shared = (int)pg_get_int(r, i, 2);
	ap->by = pg_get_int(r, i, 3);
	ap->created_at = pg_get_int(r, i, 4);
	ap->place = pg_get_blob(a, r, i, 5, &ap->place_len, &oom);
	return oom ? VD_ERR_NOMEM : VD_OK;
}

int pg_appointment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			struct appointment_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, starts_at, shared, by, created_at, place FROM appointments"
				  " WHERE case_id = $1 ORDER BY starts_at DESC, id DESC LIMIT $2", case_id, limit,
			    sizeof *out->items, read_appointment, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].case_id = case_id;
	return rc;
}

/* ---- consent, hand-over, conflicts ------------------------------------------ */

int pg_consent_insert(struct store *s, const struct consent_rec *c, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, c->case_id);
	pg_text(&p, c->step);
	pg_int(&p, c->given);
	pg_int(&p, c->on_day);
	pg_text(&p, c->how);
	pg_int(&p, c->by);
	pg_int(&p, c->created_at);
	return pg_insert_id(s, "INSERT INTO consents(case_id, step, given, on_day, how, by, created_at)"
			       " VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id", &p, id);
}

static int read_consent(struct arena *a, const PGresult *r, int i, void *item)
{
	struct consent_rec *c = item;
	c->id = pg_get_int(r, i, 0);
	c->step = pg_get_text(a, r, i, 1);
	c->given = (int)pg_get_int(r, i, 2);
	c->on_day = pg_get_int(r, i, 3);
	c->how = pg_get_text(a, r, i, 4);
	c->by = pg_get_int(r, i, 5);
	c->created_at = pg_get_int(r, i, 6);
	return c->step && c->how ? VD_OK : VD_ERR_NOMEM;
}

int pg_consent_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct consent_recs *out)
{
	void *items;
	/* newest first: the first record of a step is the one in force */
	int rc = pg_rows_of(s, a, "SELECT id, step, given, on_day, how, by, created_at FROM consents"
				  " WHERE case_id = $1 ORDER BY id DESC LIMIT $2", case_id, limit,
			    sizeof *out->items, read_consent, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].case_id = case_id;
	return rc;
}

static int case_reader_replace_rows(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to)
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	pg_int(&p, from_user);
	int rc = pg_exec_change(s, "DELETE FROM case_keys WHERE case_id = $1 AND user_id = $2", &p);
	if (rc)
		return rc;
	/* The new reader sees it as new; if they were a reader already, their
	 * key is the same case key, sealed anew. */
	struct pg_params q = { 0 };
	pg_int(&q, case_id);
	pg_int(&q, to->user_id);
	pg_blob(&q, to->sealed_key, sizeof to->sealed_key);
	rc = pg_exec_change(s, "INSERT INTO case_keys(user_id, case_id, unopened, created_at, sealed_key)"
			       " SELECT $2::int8, id, 1, created_at, $3::bytea FROM cases WHERE id = $1"
			       " ON CONFLICT(user_id, case_id) DO UPDATE SET sealed_key = $3, unopened = 1", &q);
	if (rc)
		return rc;
	struct pg_params c = { 0 };
	pg_int(&c, case_id);
	pg_int(&c, from_user);
	pg_int(&c, to->user_id);
	return pg_exec(s, "UPDATE cases SET counsellor_id = $3 WHERE id = $1 AND counsellor_id = $2", &c);
}

int pg_case_reader_replace(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, case_reader_replace_rows(s, case_id, from_user, to));
}

int pg_conflict_put(struct store *s, int64_t case_id, int64_t user_id, int64_t at)
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	pg_int(&p, user_id);
	pg_int(&p, at);
	return pg_exec(s, "INSERT INTO conflicts(case_id, user_id, at) VALUES($1, $2, $3)"
			  " ON CONFLICT(case_id, user_id) DO NOTHING", &p);
}

int pg_conflict_list(struct store *s, struct arena *a, int64_t case_id, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	return pg_ids(s, a, "SELECT user_id FROM conflicts WHERE case_id = $1 ORDER BY at LIMIT 64", &p, out);
}

/* ---- the confidentiality exception ------------------------------------------ */

int pg_exception_insert(struct store *s, const struct exception_rec *e, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, e->case_id);
	pg_int(&p, e->at);
	pg_int(&p, e->by);
	pg_int(&p, e->conditions);
	pg_int(&p, e->told_day);
	pg_blob(&p, e->content, e->content_len);
	return pg_insert_id(s, "INSERT INTO exceptions(case_id, at, by, conditions, told_day, content)"
			       " VALUES($1, $2, $3, $4, $5, $6) RETURNING id", &p, id);
}

static int read_exception(struct arena *a, const PGresult *r, int i, void *item)
{
	struct exception_rec *e = item;
	bool oom = false;
	e->id = pg_get_int(r, i, 0);
	e->at = pg_get_int(r, i, 1);
	e->by = pg_get_int(r, i, 2);
	e->conditions = pg_get_int(r, i, 3);
	e->told_day = pg_get_int(r, i, 4);
	e->content = pg_get_blob(a, r, i, 5, &e->content_len, &oom);
	return oom ? VD_ERR_NOMEM : VD_OK;
}

int pg_exception_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct exception_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, at, by, conditions, told_day, content FROM exceptions"
				  " WHERE case_id = $1 ORDER BY id LIMIT $2", case_id, limit, sizeof *out->items,
			    read_exception, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].case_id = case_id;
	return rc;
}

/* ---- the dashboard ---------------------------------------------------------- */

/* A (case id, day, moment) row. */
static int read_dashboard_item(struct arena *a, const PGresult *r, int i, void *item)
{
	struct dashboard_item_rec *it = item;
	(void)a;
	it->case_id = pg_get_int(r, i, 0);
	it->day = pg_get_int(r, i, 1);
	it->at = pg_get_int(r, i, 2);
	return VD_OK;
}

/* Runs a query of (case id, day, moment) rows with its parameters p. */
static int dashboard_list(struct store *s, struct arena *a, const char *sql, const struct pg_params *p,
			  struct dashboard_item_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, sql, p, sizeof *out->items, SIZE_MAX, read_dashboard_item, &items, &out->n);
	out->items = items;
	return rc;
}

static int dashboard_phases(struct store *s, struct arena *a, int64_t user_id, struct dashboard_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	PGresult *r;
	int rc = pg_run(s, "SELECT c.phase, count(*) FROM case_keys k JOIN cases c ON c.id = k.case_id"
			   " WHERE k.user_id = $1 GROUP BY c.phase", &p, &r);
	if (rc)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; rc == VD_OK && i < n && out->nphases < sizeof out->by_phase / sizeof out->by_phase[0]; i++) {
		out->by_phase[out->nphases].phase = pg_get_text(a, r, i, 0);
		out->by_phase[out->nphases].n = pg_get_int(r, i, 1);
		if (!out->by_phase[out->nphases++].phase)
			rc = VD_ERR_NOMEM;
	}
	PQclear(r);
	return rc;
}

int pg_dashboard(struct store *s, struct arena *a, int64_t user_id, const struct dashboard_query *q,
		 struct dashboard_rec *out)
{
	memset(out, 0, sizeof *out);
	int rc = dashboard_phases(s, a, user_id, out);
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, q->week_from);
	pg_int(&p, q->week_to);
	pg_int(&p, (int64_t)q->limit);
	if (rc == VD_OK)
		rc = dashboard_list(s, a, "SELECT ap.case_id, 0, ap.starts_at FROM appointments ap"
					  " JOIN case_keys k ON k.case_id = ap.case_id AND k.user_id = $1"
					  " WHERE ap.starts_at >= $2 AND ap.starts_at < $3 ORDER BY ap.starts_at LIMIT $4",
				    &p, &out->appointments);
	/* No conversation since quiet_day (or none at all since the case came
	 * in); PostgreSQL's WHERE cannot name an output column, hence the
	 * inner query. */
	p = (struct pg_params){ 0 };
	pg_int(&p, user_id);
	pg_int(&p, q->quiet_day);
	pg_int(&p, (int64_t)q->limit);
	if (rc == VD_OK)
		rc = dashboard_list(s, a, "SELECT id, last, 0 FROM (SELECT c.id,"
					  " coalesce((SELECT max(on_day) FROM contacts WHERE case_id = c.id), c.created_day)"
					  " AS last FROM case_keys k JOIN cases c ON c.id = k.case_id"
					  " WHERE k.user_id = $1 AND c.phase <> 'closed') q"
					  " WHERE last < $2 ORDER BY last, id LIMIT $3",
				    &p, &out->quiet);
	/* In aftercare and not done (offered or not), due by today or without a date. */
	p = (struct pg_params){ 0 };
	pg_int(&p, user_id);
	pg_int(&p, q->today);
	pg_int(&p, (int64_t)q->limit);
	if (rc == VD_OK)
		rc = dashboard_list(s, a, "SELECT id, due, 0 FROM (SELECT c.id, coalesce(w.aftercare_due_day, 0) AS due"
					  " FROM case_keys k JOIN cases c ON c.id = k.case_id"
					  " LEFT JOIN case_work w ON w.case_id = c.id" /* no row: the defaults */
					  " WHERE k.user_id = $1 AND c.phase = 'aftercare'"
					  " AND coalesce(w.aftercare_done, 0) = 0) q"
					  " WHERE due = 0 OR due <= $2 ORDER BY due, id LIMIT $3",
				    &p, &out->aftercare);
	return rc;
}
