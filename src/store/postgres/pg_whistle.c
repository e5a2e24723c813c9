/* pg_whistle: the whistleblower register (the reports, each officer's keys
 * to them, their events) and the annual report's counts on PostgreSQL (see
 * store_pg.c); the SQLite store's store_whistle.c does the same with the
 * same meaning. */
#include <stdbool.h>
#include <string.h>

#include "../../util/buf.h"
#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- reports ------------------------------------------------------------------ */

static int wb_insert_rows(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys,
			  size_t nkeys, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, r->unit_id);
	pg_int(&p, r->by);
	pg_int(&p, r->created_at);
	pg_text(&p, r->channel);
	pg_text(&p, r->category);
	pg_text(&p, r->relation);
	pg_int(&p, r->named);
	pg_int(&p, r->received_day);
	pg_int(&p, r->ack_day);
	pg_int(&p, r->feedback_day);
	pg_text(&p, r->outcome);
	pg_int(&p, r->open);
	pg_int(&p, r->closed_day);
	pg_int(&p, r->next_due_day);
	pg_int(&p, r->reminded);
	pg_text(&p, r->locator);
	pg_blob(&p, r->receipt_salt, sizeof r->receipt_salt);
	pg_blob(&p, r->receipt_verifier, sizeof r->receipt_verifier);
	pg_blob(&p, r->mailbox_by_receipt, sizeof r->mailbox_by_receipt);
	pg_blob(&p, r->mailbox_by_report, sizeof r->mailbox_by_report);
	pg_blob(&p, r->content, r->content_len);
	pg_blob(&p, r->identity, r->identity_len);
	pg_int(&p, r->code_own);
	pg_int(&p, r->receipt_ops);
	pg_int(&p, r->receipt_mem_kib);
	int rc = pg_insert_id(s, "INSERT INTO wb_reports(unit_id, by, created_at, channel, category, relation, named,"
				 " received_day, ack_day, feedback_day, outcome, open, closed_day, next_due_day, reminded,"
				 " locator, receipt_salt, receipt_verifier, mailbox_by_receipt, mailbox_by_report, content,"
				 " identity, code_own, receipt_ops, receipt_mem_kib) VALUES($1, $2, $3, $4, $5, $6, $7, $8,"
				 " $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
				 " RETURNING id", &p, id);
	for (size_t i = 0; rc == VD_OK && i < nkeys; i++) {
		struct pg_params k = { 0 };
		pg_int(&k, *id);
		pg_int(&k, keys[i].user_id);
		pg_blob(&k, keys[i].sealed_key, sizeof keys[i].sealed_key);
		pg_blob(&k, keys[i].identity_key, sizeof keys[i].identity_key);
		rc = pg_exec(s, "INSERT INTO wb_report_keys(report_id, user_id, sealed_key, identity_key)"
				" VALUES($1, $2, $3, $4)", &k);
	}
	return rc;
}

int pg_wb_report_insert(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys, size_t nkeys,
			int64_t *id)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, wb_insert_rows(s, r, keys, nkeys, id));
}

#define WB_COLUMNS                                                                                          \
	"id, unit_id, by, created_at, channel, category, relation, named, received_day, ack_day, feedback_day," \
	" outcome, open, closed_day, next_due_day, reminded, locator, receipt_salt, receipt_verifier,"        \
	" mailbox_by_receipt, mailbox_by_report, content, identity, code_own, receipt_ops, receipt_mem_kib"

/* Row i of WB_COLUMNS: VD_ERR_NOMEM when the arena is full, VD_ERR_STORE
 * for a key of the wrong size (a damaged row). */
static int wb_row(struct arena *a, const PGresult *res, int i, void *item)
{
	struct wb_report_rec *r = item;
	bool oom = false;
	r->id = pg_get_int(res, i, 0);
	r->unit_id = pg_get_int(res, i, 1);
	r->by = pg_get_int(res, i, 2);
	r->created_at = pg_get_int(res, i, 3);
	r->channel = pg_get_text(a, res, i, 4);
	r->category = pg_get_text(a, res, i, 5);
	r->relation = pg_get_text(a, res, i, 6);
	r->named = (int)pg_get_int(res, i, 7);
	r->received_day = pg_get_int(res, i, 8);
	r->ack_day = pg_get_int(res, i, 9);
	r->feedback_day = pg_get_int(res, i, 10);
	r->outcome = pg_get_text(a, res, i, 11);
	r->open = (int)pg_get_int(res, i, 12);
	r->closed_day = pg_get_int(res, i, 13);
	r->next_due_day = pg_get_int(res, i, 14);
	r->reminded = pg_get_int(res, i, 15);
	r->locator = pg_get_text(a, res, i, 16);
	if (!pg_get_exact(res, i, 17, r->receipt_salt, STORE_SALT_LEN) ||
	    !pg_get_exact(res, i, 18, r->receipt_verifier, STORE_KEY_LEN) ||
	    !pg_get_exact(res, i, 19, r->mailbox_by_receipt, STORE_WRAPPED_KEY_LEN) ||
	    !pg_get_exact(res, i, 20, r->mailbox_by_report, STORE_WRAPPED_KEY_LEN))
		return VD_ERR_STORE;
	r->content = pg_get_blob(a, res, i, 21, &r->content_len, &oom);
	r->identity = pg_get_blob(a, res, i, 22, &r->identity_len, &oom);
	r->code_own = (int)pg_get_int(res, i, 23);
	r->receipt_ops = (uint32_t)pg_get_int(res, i, 24);
	r->receipt_mem_kib = (uint32_t)pg_get_int(res, i, 25);
	return !oom && r->channel && r->category && r->relation && r->outcome && r->locator ? VD_OK : VD_ERR_NOMEM;
}

/* The reports sql finds, into out (the statement's LIMIT keeps to the
 * caller's). */
static int wb_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p,
		   struct wb_report_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, sql, p, sizeof *out->items, SIZE_MAX, wb_row, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_wb_report_get(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " WB_COLUMNS " FROM wb_reports WHERE id = $1 AND purged_at = 0", &p, wb_row, out);
}

int pg_wb_report_claim(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out)
{
	if (!pg_in_transaction(s))
		return VD_ERR_MISUSE;
	/* the transaction holds the write lock, but a lone write outside any
	 * transaction does not take it: the row lock holds that one off too */
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " WB_COLUMNS " FROM wb_reports WHERE id = $1 AND purged_at = 0 FOR UPDATE", &p,
		      wb_row, out);
}

int pg_wb_report_find_locator(struct store *s, struct arena *a, const char *locator, struct wb_report_rec *out)
{
	struct pg_params p = { 0 };
	pg_text(&p, locator);
	return pg_one(s, a, "SELECT " WB_COLUMNS " FROM wb_reports WHERE locator = $1 AND purged_at = 0", &p, wb_row,
		      out);
}

int pg_wb_report_update(struct store *s, const struct wb_report_rec *r)
{
	struct pg_params p = { 0 };
	pg_int(&p, r->id);
	pg_text(&p, r->category);
	pg_int(&p, r->ack_day);
	pg_int(&p, r->feedback_day);
	pg_text(&p, r->outcome);
	pg_int(&p, r->open);
	pg_int(&p, r->closed_day);
	pg_int(&p, r->next_due_day);
	return pg_exec_change(s, "UPDATE wb_reports SET category = $2, ack_day = $3, feedback_day = $4, outcome = $5,"
				 " open = $6, closed_day = $7, next_due_day = $8 WHERE id = $1", &p);
}

int pg_wb_report_rekey(struct store *s, const struct wb_report_rec *r)
{
	struct pg_params p = { 0 };
	pg_int(&p, r->id);
	pg_text(&p, r->locator);
	pg_blob(&p, r->receipt_salt, sizeof r->receipt_salt);
	pg_blob(&p, r->receipt_verifier, sizeof r->receipt_verifier);
	pg_blob(&p, r->mailbox_by_receipt, sizeof r->mailbox_by_receipt);
	pg_int(&p, r->receipt_ops);
	pg_int(&p, r->receipt_mem_kib);
	return pg_exec_change(s, "UPDATE wb_reports SET locator = $2, receipt_salt = $3, receipt_verifier = $4,"
				 " mailbox_by_receipt = $5, code_own = 1, receipt_ops = $6, receipt_mem_kib = $7"
				 " WHERE id = $1", &p);
}

static int read_wb_key(struct arena *a, const PGresult *r, int i, void *item)
{
	struct wb_key_rec *k = item;
	(void)a;
	if (!pg_get_exact(r, i, 0, k->sealed_key, STORE_SEALED_KEY_LEN) ||
	    !pg_get_exact(r, i, 1, k->identity_key, STORE_SEALED_KEY_LEN))
		return VD_ERR_STORE;
	return VD_OK;
}

int pg_wb_key_get(struct store *s, int64_t report_id, int64_t user_id, struct wb_key_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, report_id);
	pg_int(&p, user_id);
	int rc = pg_one(s, NULL, "SELECT sealed_key, identity_key FROM wb_report_keys"
				 " WHERE report_id = $1 AND user_id = $2", &p, read_wb_key, out);
	if (rc == VD_OK)
		out->user_id = user_id;
	return rc;
}

int pg_wb_report_list(struct store *s, struct arena *a, const struct wb_query *q, struct wb_report_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, q->user_id);
	pg_int(&p, (int64_t)q->limit);
	pg_int(&p, (int64_t)q->offset);
	struct buf units;
	buf_init(&units, PG_UNITS_BYTES);
	int rc = pg_units(&p, q->units, q->nunits, &units);
	/* each ORDER BY is the order of an index (wb_reports_open, read
	 * forwards; wb_reports_closed, backwards): a page stops after its rows */
	if (rc == VD_OK)
		rc = wb_rows(s, a,
			     q->open ? "SELECT " WB_COLUMNS " FROM wb_reports r WHERE open = 1"
				       " AND unit_id = ANY($4::int8[])"
				       " AND EXISTS (SELECT 1 FROM wb_report_keys k WHERE k.report_id = r.id AND k.user_id = $1)"
				       " ORDER BY open, next_due_day = 0, next_due_day, id LIMIT $2 OFFSET $3"
				     : "SELECT " WB_COLUMNS " FROM wb_reports r WHERE open = 0"
				       " AND unit_id = ANY($4::int8[])"
				       " AND EXISTS (SELECT 1 FROM wb_report_keys k WHERE k.report_id = r.id AND k.user_id = $1)"
				       " ORDER BY open, closed_day DESC, id DESC LIMIT $2 OFFSET $3",
			     &p, out);
	else
		out->n = 0;
	buf_release(&units);
	return rc;
}

int pg_wb_reports_due(struct store *s, struct arena *a, int64_t until_day, size_t limit, struct wb_report_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, until_day);
	pg_int(&p, (int64_t)limit);
	/* (next_due_day = 0) IS FALSE repeats next_due_day > 0 in the words of
	 * the index wb_reports_open, so that it finds the range and its order */
	return wb_rows(s, a, "SELECT " WB_COLUMNS " FROM wb_reports WHERE open = 1 AND (next_due_day = 0) IS FALSE"
			     " AND next_due_day > 0 AND next_due_day <= $1 ORDER BY next_due_day, id LIMIT $2", &p, out);
}

int pg_wb_report_remind(struct store *s, int64_t id, int64_t bit)
{
	/* one statement: of two at once, the second finds the bit set */
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_int(&p, bit);
	return pg_exec_change(s, "UPDATE wb_reports SET reminded = reminded | $2::int8"
				 " WHERE id = $1 AND (reminded & $2::int8) = 0", &p);
}

/* ---- events --------------------------------------------------------------------- */

int pg_wb_event_insert(struct store *s, const struct wb_event_rec *e, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, e->report_id);
	pg_text(&p, e->kind);
	pg_int(&p, e->ref_id);
	pg_int(&p, e->on_day);
	pg_int(&p, e->at);
	pg_int(&p, e->by);
	pg_blob(&p, e->body, e->body_len);
	return pg_insert_id(s, "INSERT INTO wb_events(report_id, kind, ref_id, on_day, at, by, body)"
			       " VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id", &p, id);
}

int pg_wb_event_count(struct store *s, int64_t report_id, int64_t *n)
{
	struct pg_params p = { 0 };
	pg_int(&p, report_id);
	return pg_one_int(s, "SELECT count(*) FROM wb_events WHERE report_id = $1", &p, n);
}

static int read_event(struct arena *a, const PGresult *r, int i, void *item)
{
	struct wb_event_rec *e = item;
	bool oom = false;
	e->id = pg_get_int(r, i, 0);
	e->kind = pg_get_text(a, r, i, 1);
	e->ref_id = pg_get_int(r, i, 2);
	e->on_day = pg_get_int(r, i, 3);
	e->at = pg_get_int(r, i, 4);
	e->by = pg_get_int(r, i, 5);
	e->body = pg_get_blob(a, r, i, 6, &e->body_len, &oom);
	return oom || !e->kind ? VD_ERR_NOMEM : VD_OK;
}

int pg_wb_event_list(struct store *s, struct arena *a, int64_t report_id, size_t limit, struct wb_event_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT id, kind, ref_id, on_day, at, by, body FROM wb_events WHERE report_id = $1"
				  " ORDER BY id LIMIT $2", report_id, limit, sizeof *out->items, read_event, &items,
			    &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].report_id = report_id;
	return rc;
}

/* ---- the annual report's counts ------------------------------------------------ */

/* Runs sql with a stat_query's $1 (the units), $2 and $3 (the days), and
 * when limited $4: one row more than its limit, to tell a full list from
 * one cut short. */
static int stat_run(struct store *s, const char *sql, const struct stat_query *q, bool limited, PGresult **r)
{
	struct pg_params p = { 0 };
	struct buf units;
	buf_init(&units, PG_UNITS_BYTES);
	int rc = pg_units(&p, q->units, q->nunits, &units);
	pg_int(&p, q->from_day);
	pg_int(&p, q->to_day);
	if (limited)
		pg_int(&p, (int64_t)q->limit + 1);
	if (rc == VD_OK)
		rc = pg_run(s, sql, &p, r);
	buf_release(&units);
	return rc;
}

/* Reads the rows of sql (its $1..$3 a stat_query's, $4 the limit) into
 * *items, size bytes each, with read. More rows than q->limit:
 * VD_ERR_TOOBIG. */
static int stat_rows(struct store *s, struct arena *a, const char *sql, const struct stat_query *q, size_t size,
		     pg_read_fn read, void **items, size_t *n)
{
	*n = 0;
	*items = NULL;
	PGresult *r;
	int rc = stat_run(s, sql, q, true, &r);
	if (rc)
		return rc;
	if ((size_t)PQntuples(r) > q->limit)
		rc = VD_ERR_TOOBIG;
	else
		rc = pg_read_rows(a, r, size, SIZE_MAX, read, items, n);
	PQclear(r);
	return rc;
}

/* Runs sql with a stat_query's $1..$3 and counts each of its rows into out
 * with count, until one fails. */
static int stat_count(struct store *s, struct arena *a, const char *sql, const struct stat_query *q, pg_read_fn count,
		      void *out)
{
	PGresult *r;
	int rc = stat_run(s, sql, q, false, &r);
	if (rc)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; rc == VD_OK && i < n; i++)
		rc = count(a, r, i, out);
	PQclear(r);
	return rc;
}

/* One more of value in column c (copied into the arena when new); false
 * when the column has too many values or the arena is full. */
static bool tally(struct arena *a, struct stat_column_rec *c, const char *value, int64_t k)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->values[i].value, value) == 0) {
			c->values[i].n += k;
			return true;
		}
	if (c->n == STAT_VALUES_MAX || !(c->values[c->n].value = arena_strdup(a, value)))
		return false;
	c->values[c->n++].n = k;
	return true;
}

/* A column of days into its histogram's cell: NULL (none) the last, a
 * negative count (a conversation dated before the case came in) 0. */
static size_t days_bucket(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return STAT_DAYS_MAX + 1;
	int64_t d = pg_get_int(r, row, col);
	return d < 0 ? 0 : d < STAT_DAYS_MAX ? (size_t)d : STAT_DAYS_MAX;
}

/* Row i of case_stat_counts' query into out; VD_ERR_TOOBIG when a column
 * has too many values. */
static int count_case(struct arena *a, const PGresult *r, int i, void *item)
{
	struct case_stat_counts_rec *out = item;
	struct stat_column_rec *cols[] = { &out->reporter_type, &out->relation, &out->location, &out->channel,
					   &out->phase, &out->route, &out->outcome };
	for (int c = 0; c < 7; c++)
		if (!tally(a, cols[c], PQgetvalue(r, i, c), 1))
			return VD_ERR_TOOBIG;
	out->named += pg_get_int(r, i, 7) != 0;
	uint64_t beh = (uint64_t)pg_get_int(r, i, 8), ref = (uint64_t)pg_get_int(r, i, 9);
	for (int b = 0; b < 63 && (beh >> b); b++)
		out->behaviours[b] += (beh >> b) & 1;
	for (int b = 0; b < 63 && (ref >> b); b++)
		out->referrals[b] += (ref >> b) & 1;
	int64_t n = pg_get_int(r, i, 10);
	out->contacts[n < STAT_CONTACTS_MAX ? n : STAT_CONTACTS_MAX]++;
	out->first_contact_days[days_bucket(r, i, 11)]++;
	out->closed_days[days_bucket(r, i, 12)]++;
	out->cases++;
	return VD_OK;
}

static int count_exceptions(struct arena *a, const PGresult *r, int i, void *item)
{
	struct case_stat_counts_rec *out = item;
	(void)a;
	out->exceptions = pg_get_int(r, i, 0);
	return VD_OK;
}

int pg_case_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct case_stat_counts_rec *out)
{
	memset(out, 0, sizeof *out);
	/* one pass over the year's cases, counted column by column here: the
	 * values are few, the cases many */
	int rc = stat_count(s, a, "SELECT c.reporter_type, c.relation, c.location, c.channel, c.phase,"
				  " coalesce(w.route, ''), coalesce(w.outcome, ''), c.named, c.behaviours,"
				  " coalesce(w.referrals, 0),"
				  " c.contacts, CASE WHEN c.first_contact_day > 0"
				  " THEN c.first_contact_day - c.created_day END,"
				  " CASE WHEN c.phase = 'closed' AND w.closed_at > 0"
				  "  THEN (w.closed_at - c.created_at) / 86400 END"
				  " FROM cases c LEFT JOIN case_work w ON w.case_id = c.id"
				  " WHERE c.unit_id = ANY($1::int8[]) AND c.created_day >= $2 AND c.created_day < $3",
			    q, count_case, out);
	if (rc)
		return rc;
	/* the cases with an exception: few, counted from their side */
	return stat_count(s, a, "SELECT count(DISTINCT e.case_id) FROM exceptions e JOIN cases c ON c.id = e.case_id"
				" WHERE c.unit_id = ANY($1::int8[]) AND c.created_day >= $2 AND c.created_day < $3",
			  q, count_exceptions, out);
}

static int count_question(struct arena *a, const PGresult *r, int i, void *column)
{
	return tally(a, column, PQgetvalue(r, i, 0), pg_get_int(r, i, 1)) ? VD_OK : VD_ERR_TOOBIG;
}

int pg_question_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct stat_column_rec *out)
{
	memset(out, 0, sizeof *out);
	/* byte order, as SQLite's BINARY, whatever the database's collation */
	return stat_count(s, a, "SELECT reporter_type, count(*) FROM counsellor_log WHERE kind = 'question'"
				" AND unit_id = ANY($1::int8[]) AND on_day >= $2 AND on_day < $3"
				" GROUP BY reporter_type ORDER BY reporter_type COLLATE \"C\"",
			  q, count_question, out);
}

static int wb_stat_row(struct arena *a, const PGresult *res, int i, void *row)
{
	struct wb_stat_rec *r = row;
	const char **texts[] = { &r->channel, &r->category, &r->relation, &r->outcome };
	bool ok = true;
	for (int c = 0; c < 4; c++)
		ok &= (*texts[c] = pg_get_text(a, res, i, c)) != NULL;
	r->named = (int)pg_get_int(res, i, 4);
	r->open = (int)pg_get_int(res, i, 5);
	r->received_day = pg_get_int(res, i, 6);
	r->ack_day = pg_get_int(res, i, 7);
	r->feedback_day = pg_get_int(res, i, 8);
	r->closed_day = pg_get_int(res, i, 9);
	return ok ? VD_OK : VD_ERR_NOMEM;
}

int pg_wb_stat_rows(struct store *s, struct arena *a, const struct stat_query *q, struct wb_stat_recs *out)
{
	void *items;
	int rc = stat_rows(s, a,
			   "SELECT channel, category, relation, outcome, named, open, received_day, ack_day,"
			   " feedback_day, closed_day FROM wb_reports WHERE unit_id = ANY($1::int8[])"
			   " AND received_day >= $2 AND received_day < $3 ORDER BY id LIMIT $4",
			   q, sizeof *out->items, wb_stat_row, &items, &out->n);
	out->items = items;
	return rc;
}

static int complaint_stat_row(struct arena *a, const PGresult *res, int i, void *row)
{
	struct complaint_stat_rec *r = row;
	const char **texts[] = { &r->channel, &r->step, &r->advice };
	bool ok = true;
	for (int c = 0; c < 3; c++)
		ok &= (*texts[c] = pg_get_text(a, res, i, c)) != NULL;
	r->measures = pg_get_int(res, i, 3);
	r->filed_late = (int)pg_get_int(res, i, 4);
	r->admitted = (int)pg_get_int(res, i, 5);
	r->refused = (int)pg_get_int(res, i, 6);
	r->terms_in_time = pg_get_int(res, i, 7);
	r->terms_late = pg_get_int(res, i, 8);
	return ok ? VD_OK : VD_ERR_NOMEM;
}

int pg_complaint_stat_rows(struct store *s, struct arena *a, const struct stat_query *q,
			   struct complaint_stat_recs *out)
{
	void *items;
	int rc = stat_rows(s, a,
			   "SELECT channel, step, advice, measures, filed_late,"
			   " EXISTS (SELECT 1 FROM complaint_moves m WHERE m.complaint_id = c.id"
			   "  AND m.to_step = 'admissible'),"
			   " EXISTS (SELECT 1 FROM complaint_moves m WHERE m.complaint_id = c.id"
			   "  AND m.to_step = 'not_admissible'),"
			   " (SELECT count(*) FROM complaint_terms t WHERE t.complaint_id = c.id AND t.met_day > 0"
			   "  AND t.met_day <= t.due_day),"
			   " (SELECT count(*) FROM complaint_terms t WHERE t.complaint_id = c.id AND t.met_day > 0"
			   "  AND t.due_day > 0 AND t.met_day > t.due_day)"
			   " FROM complaints c WHERE unit_id = ANY($1::int8[])"
			   " AND received_day >= $2 AND received_day < $3 ORDER BY id LIMIT $4",
			   q, sizeof *out->items, complaint_stat_row, &items, &out->n);
	out->items = items;
	return rc;
}
