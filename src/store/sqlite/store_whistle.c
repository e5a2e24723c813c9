/*
 * The SQLite store's whistleblower register (issue 10): the reports, each
 * officer's keys to them, and what happened to them (appended, never
 * changed). See store.h for what each function promises.
 */
#include <stdbool.h>
#include <string.h>

#include "../../util/buf.h"
#include "../../util/errors.h"
#include "sqlite_internal.h"

static int wb_insert_rows(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys,
			  size_t nkeys, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO wb_reports(unit_id, by, created_at, channel, category, relation,"
				      " named, received_day, ack_day, feedback_day, outcome, open, closed_day, next_due_day,"
				      " reminded, locator, receipt_salt, receipt_verifier, mailbox_by_receipt,"
				      " mailbox_by_report, content, identity, code_own, receipt_ops, receipt_mem_kib) VALUES(?1, ?2,"
				      " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
				      " ?21, ?22, ?23, ?24, ?25)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->unit_id);
	sqlite3_bind_int64(st, 2, r->by);
	sqlite3_bind_int64(st, 3, r->created_at);
	sq_bind_text(st, 4, r->channel);
	sq_bind_text(st, 5, r->category);
	sq_bind_text(st, 6, r->relation);
	sqlite3_bind_int(st, 7, r->named);
	sqlite3_bind_int64(st, 8, r->received_day);
	sqlite3_bind_int64(st, 9, r->ack_day);
	sqlite3_bind_int64(st, 10, r->feedback_day);
	sq_bind_text(st, 11, r->outcome);
	sqlite3_bind_int(st, 12, r->open);
	sqlite3_bind_int64(st, 13, r->closed_day);
	sqlite3_bind_int64(st, 14, r->next_due_day);
	sqlite3_bind_int64(st, 15, r->reminded);
	sq_bind_text(st, 16, r->locator);
	sq_bind_blob(st, 17, r->receipt_salt, sizeof r->receipt_salt);
	sq_bind_blob(st, 18, r->receipt_verifier, sizeof r->receipt_verifier);
	sq_bind_blob(st, 19, r->mailbox_by_receipt, sizeof r->mailbox_by_receipt);
	sq_bind_blob(st, 20, r->mailbox_by_report, sizeof r->mailbox_by_report);
	sq_bind_blob(st, 21, r->content, r->content_len);
	sq_bind_blob(st, 22, r->identity, r->identity_len);
	sqlite3_bind_int(st, 23, r->code_own);
	sqlite3_bind_int64(st, 24, r->receipt_ops);
	sqlite3_bind_int64(st, 25, r->receipt_mem_kib);
	int rc = sq_exec_done(s, st);
	if (rc)
		return rc;
	*id = sq_last_id(s);
	for (size_t i = 0; rc == VD_OK && i < nkeys; i++) {
		st = sq_prep(s, "INSERT INTO wb_report_keys(report_id, user_id, sealed_key, identity_key)"
				" VALUES(?1, ?2, ?3, ?4)");
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, keys[i].user_id);
		sq_bind_blob(st, 3, keys[i].sealed_key, sizeof keys[i].sealed_key);
		sq_bind_blob(st, 4, keys[i].identity_key, sizeof keys[i].identity_key);
		rc = sq_exec_done(s, st);
	}
	return rc;
}

int sq_wb_report_insert(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys, size_t nkeys,
			int64_t *id)
{
	int rc = sq_atomic_begin(s);
	return rc ? rc : sq_atomic_end(s, wb_insert_rows(s, r, keys, nkeys, id));
}

#define WB_COLUMNS                                                                                              \
	"id, unit_id, by, created_at, channel, category, relation, named, received_day, ack_day, feedback_day,"     \
	" outcome, open, closed_day, next_due_day, reminded, locator, receipt_salt, receipt_verifier,"            \
	" mailbox_by_receipt, mailbox_by_report, content, identity, code_own, receipt_ops, receipt_mem_kib"

/* One row of WB_COLUMNS; false when the arena is full. A key of the wrong
 * size sets *damaged. */
static bool wb_row(struct arena *a, sqlite3_stmt *st, struct wb_report_rec *r, bool *damaged)
{
	bool oom = false;
	r->id = sqlite3_column_int64(st, 0);
	r->unit_id = sqlite3_column_int64(st, 1);
	r->by = sqlite3_column_int64(st, 2);
	r->created_at = sqlite3_column_int64(st, 3);
	r->channel = sq_col_text(a, st, 4);
	r->category = sq_col_text(a, st, 5);
	r->relation = sq_col_text(a, st, 6);
	r->named = sqlite3_column_int(st, 7);
	r->received_day = sqlite3_column_int64(st, 8);
	r->ack_day = sqlite3_column_int64(st, 9);
	r->feedback_day = sqlite3_column_int64(st, 10);
	r->outcome = sq_col_text(a, st, 11);
	r->open = sqlite3_column_int(st, 12);
	r->closed_day = sqlite3_column_int64(st, 13);
	r->next_due_day = sqlite3_column_int64(st, 14);
	r->reminded = sqlite3_column_int64(st, 15);
	r->locator = sq_col_text(a, st, 16);
	if (!sq_blob_exact(st, 17, r->receipt_salt, STORE_SALT_LEN) ||
	    !sq_blob_exact(st, 18, r->receipt_verifier, STORE_KEY_LEN) ||
	    !sq_blob_exact(st, 19, r->mailbox_by_receipt, STORE_WRAPPED_KEY_LEN) ||
	    !sq_blob_exact(st, 20, r->mailbox_by_report, STORE_WRAPPED_KEY_LEN))
		*damaged = true;
	r->content = sq_col_blob(a, st, 21, &r->content_len, &oom);
	r->identity = sq_col_blob(a, st, 22, &r->identity_len, &oom);
	r->code_own = sqlite3_column_int(st, 23);
	r->receipt_ops = (uint32_t)sqlite3_column_int64(st, 24);
	r->receipt_mem_kib = (uint32_t)sqlite3_column_int64(st, 25);
	return !oom && r->channel && r->category && r->relation && r->outcome && r->locator;
}

/* Reads the rows of st (bound by the caller) into out, at most limit. */
static int wb_rows(struct store *s, struct arena *a, sqlite3_stmt *st, size_t limit, struct wb_report_recs *out)
{
	int rc = SQLITE_DONE;
	bool oom = false, damaged = false;
	while (!oom && !damaged && out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		oom = !wb_row(a, st, &out->items[out->n++], &damaged);
	if (damaged) {
		sq_done(s, st);
		return VD_ERR_STORE;
	}
	return sq_list_end(s, st, out->n == limit ? SQLITE_DONE : rc, oom);
}

/* The one report st finds, into out; VD_ERR_NOTFOUND when it finds none. */
static int wb_one(struct store *s, struct arena *a, sqlite3_stmt *st, struct wb_report_rec *out)
{
	struct wb_report_recs l;
	SQ_LIST_BEGIN(&l, 1)
	int rc = wb_rows(s, a, st, 1, &l);
	if (rc == VD_OK && l.n == 0)
		return VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		*out = l.items[0];
	return rc;
}

int sq_wb_report_get(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " WB_COLUMNS " FROM wb_reports WHERE id = ?1 AND purged_at = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	return wb_one(s, a, st, out);
}

int sq_wb_report_claim(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out)
{
	/* Inside a transaction the connection holds the write lock (BEGIN
	 * IMMEDIATE): nobody else changes the report until it ends. */
	if (!sq_in_transaction(s))
		return VD_ERR_MISUSE;
	return sq_wb_report_get(s, a, id, out);
}

int sq_wb_report_find_locator(struct store *s, struct arena *a, const char *locator, struct wb_report_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " WB_COLUMNS " FROM wb_reports WHERE locator = ?1 AND purged_at = 0");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_text(st, 1, locator);
	return wb_one(s, a, st, out);
}

int sq_wb_report_update(struct store *s, const struct wb_report_rec *r)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE wb_reports SET category = ?2, ack_day = ?3, feedback_day = ?4, outcome = ?5,"
				      " open = ?6, closed_day = ?7, next_due_day = ?8 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->id);
	sq_bind_text(st, 2, r->category);
	sqlite3_bind_int64(st, 3, r->ack_day);
	sqlite3_bind_int64(st, 4, r->feedback_day);
	sq_bind_text(st, 5, r->outcome);
	sqlite3_bind_int(st, 6, r->open);
	sqlite3_bind_int64(st, 7, r->closed_day);
	sqlite3_bind_int64(st, 8, r->next_due_day);
	return sq_exec_change(s, st);
}

int sq_wb_report_rekey(struct store *s, const struct wb_report_rec *r)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE wb_reports SET locator = ?2, receipt_salt = ?3, receipt_verifier = ?4,"
				      " mailbox_by_receipt = ?5, code_own = 1, receipt_ops = ?6, receipt_mem_kib = ?7 WHERE id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, r->id);
	sq_bind_text(st, 2, r->locator);
	sq_bind_blob(st, 3, r->receipt_salt, sizeof r->receipt_salt);
	sq_bind_blob(st, 4, r->receipt_verifier, sizeof r->receipt_verifier);
	sq_bind_blob(st, 5, r->mailbox_by_receipt, sizeof r->mailbox_by_receipt);
	sqlite3_bind_int64(st, 6, r->receipt_ops);
	sqlite3_bind_int64(st, 7, r->receipt_mem_kib);
	return sq_exec_change(s, st);
}

int sq_wb_key_get(struct store *s, int64_t report_id, int64_t user_id, struct wb_key_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT sealed_key, identity_key FROM wb_report_keys"
				      " WHERE report_id = ?1 AND user_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sqlite3_step(st);
	int r = VD_ERR_NOTFOUND;
	if (rc == SQLITE_ROW) {
		r = VD_ERR_STORE;
		if (sq_blob_exact(st, 0, out->sealed_key, STORE_SEALED_KEY_LEN) &&
		    sq_blob_exact(st, 1, out->identity_key, STORE_SEALED_KEY_LEN)) {
			out->user_id = user_id;
			r = VD_OK;
		}
	} else if (rc != SQLITE_DONE) {
		r = sq_map_rc(rc);
	}
	sq_done(s, st);
	return r;
}

int sq_wb_report_list(struct store *s, struct arena *a, const struct wb_query *q, struct wb_report_recs *out)
{
	SQ_LIST_BEGIN(out, q->limit)
	/* Each ORDER BY is the order of an index (wb_reports_open, read
	 * forwards; wb_reports_closed, backwards): a page stops after its rows. */
	sqlite3_stmt *st =
		q->open ? sq_prep(s, "SELECT " WB_COLUMNS " FROM wb_reports r WHERE open = 1"
				     " AND unit_id IN (SELECT value FROM json_each(?4))"
				     " AND EXISTS (SELECT 1 FROM wb_report_keys k WHERE k.report_id = r.id AND k.user_id = ?1)"
				     " ORDER BY open, next_due_day = 0, next_due_day, id LIMIT ?2 OFFSET ?3")
			: sq_prep(s, "SELECT " WB_COLUMNS " FROM wb_reports r WHERE open = 0"
				     " AND unit_id IN (SELECT value FROM json_each(?4))"
				     " AND EXISTS (SELECT 1 FROM wb_report_keys k WHERE k.report_id = r.id AND k.user_id = ?1)"
				     " ORDER BY open, closed_day DESC, id DESC LIMIT ?2 OFFSET ?3");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, q->user_id);
	sqlite3_bind_int64(st, 2, (int64_t)q->limit);
	sqlite3_bind_int64(st, 3, (int64_t)q->offset);
	struct buf units;
	buf_init(&units, 64 * 1024);
	int rc = sq_units_json(q->units, q->nunits, &units);
	if (rc == VD_OK)
		sqlite3_bind_text(st, 4, units.data, -1, SQLITE_TRANSIENT);
	buf_release(&units);
	if (rc) {
		sq_done(s, st);
		return VD_ERR_TOOBIG;
	}
	return wb_rows(s, a, st, q->limit, out);
}

int sq_wb_reports_due(struct store *s, struct arena *a, int64_t until_day, size_t limit, struct wb_report_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	/* (next_due_day = 0) = 0 repeats next_due_day > 0 in the words of the
	 * index wb_reports_open, so that it finds the range and its order. */
	sqlite3_stmt *st = sq_prep(s, "SELECT " WB_COLUMNS " FROM wb_reports WHERE open = 1 AND (next_due_day = 0) = 0"
				      " AND next_due_day > 0 AND next_due_day <= ?1 ORDER BY next_due_day, id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, until_day);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	return wb_rows(s, a, st, limit, out);
}

int sq_wb_report_remind(struct store *s, int64_t id, int64_t bit)
{
	sqlite3_stmt *st = sq_prep(s, "UPDATE wb_reports SET reminded = reminded | ?2 WHERE id = ?1 AND (reminded & ?2) = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, bit);
	return sq_exec_change(s, st);
}

/* ---- events ------------------------------------------------------------------ */

int sq_wb_event_insert(struct store *s, const struct wb_event_rec *e, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO wb_events(report_id, kind, ref_id, on_day, at, by, body)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, e->report_id);
	sq_bind_text(st, 2, e->kind);
	sqlite3_bind_int64(st, 3, e->ref_id);
	sqlite3_bind_int64(st, 4, e->on_day);
	sqlite3_bind_int64(st, 5, e->at);
	sqlite3_bind_int64(st, 6, e->by);
	sq_bind_blob(st, 7, e->body, e->body_len);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

int sq_wb_event_count(struct store *s, int64_t report_id, int64_t *n)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT count(*) FROM wb_events WHERE report_id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, report_id);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(s, st);
	return rc == SQLITE_ROW ? VD_OK : sq_map_rc(rc);
}

int sq_wb_event_list(struct store *s, struct arena *a, int64_t report_id, size_t limit, struct wb_event_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, kind, ref_id, on_day, at, by, body FROM wb_events WHERE report_id = ?1"
				      " ORDER BY id LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc = SQLITE_DONE;
	bool oom = false;
	while (!oom && out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wb_event_rec *e = &out->items[out->n++];
		e->id = sqlite3_column_int64(st, 0);
		e->report_id = report_id;
		e->kind = sq_col_text(a, st, 1);
		e->ref_id = sqlite3_column_int64(st, 2);
		e->on_day = sqlite3_column_int64(st, 3);
		e->at = sqlite3_column_int64(st, 4);
		e->by = sqlite3_column_int64(st, 5);
		e->body = sq_col_blob(a, st, 6, &e->body_len, &oom);
		oom |= !e->kind;
	}
	return sq_list_end(s, st, out->n == limit ? SQLITE_DONE : rc, oom);
}

/* ---- the annual report's counts ------------------------------------------------ */

/* Binds ?1 (the units, as JSON), ?2 and ?3 (the days). */
static int bind_stat_query(struct store *s, sqlite3_stmt *st, const struct stat_query *q)
{
	struct buf units;
	buf_init(&units, 64 * 1024);
	int rc = sq_units_json(q->units, q->nunits, &units);
	if (rc == VD_OK)
		sqlite3_bind_text(st, 1, units.data, -1, SQLITE_TRANSIENT);
	buf_release(&units);
	sqlite3_bind_int64(st, 2, q->from_day);
	sqlite3_bind_int64(st, 3, q->to_day);
	if (rc)
		sq_done(s, st);
	return rc ? VD_ERR_TOOBIG : VD_OK;
}

/* Reads the rows of sql (its ?1..?3 a stat_query's, ?4 the limit) into
 * *items, size bytes each, grown in the arena as they come (not the
 * limit's worth up front); read(row) fills one, false when the arena is
 * full. More rows than q->limit: VD_ERR_TOOBIG. */
static int stat_rows(struct store *s, struct arena *a, const char *sql, const struct stat_query *q, size_t size,
		     bool (*read)(struct arena *a, sqlite3_stmt *st, void *row), void **items, size_t *n)
{
	size_t room = 64;
	*n = 0;
	*items = arena_alloc(a, room * size);
	if (!*items)
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = sq_prep(s, sql);
	if (!st)
		return VD_ERR_STORE;
	int rc = bind_stat_query(s, st, q);
	if (rc)
		return rc;
	/* one row more than the limit, to tell a full list from one cut short */
	sqlite3_bind_int64(st, 4, (int64_t)q->limit + 1);
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == room) {
			void *more = arena_alloc(a, 2 * room * size);
			if (!more) {
				oom = true;
				break;
			}
			memcpy(more, *items, room * size);
			*items = more;
			room *= 2;
		}
		oom = !read(a, st, (char *)*items + (*n)++ * size);
	}
	rc = sq_list_end(s, st, rc, oom);
	return rc == VD_OK && *n > q->limit ? VD_ERR_TOOBIG : rc;
}

/* One more of value in column c (copied into the arena when new); false
 * when the column has too many values or the arena is full. */
static bool tally(struct arena *a, struct stat_column_rec *c, const unsigned char *value, int64_t k)
{
	const char *v = value ? (const char *)value : "";
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->values[i].value, v) == 0) {
			c->values[i].n += k;
			return true;
		}
	if (c->n == STAT_VALUES_MAX || !(c->values[c->n].value = arena_strdup(a, v)))
		return false;
	c->values[c->n++].n = k;
	return true;
}

/* A column of days into its histogram's cell: NULL (none) the last, a
 * negative count (a conversation dated before the case came in) 0. */
static size_t days_bucket(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return STAT_DAYS_MAX + 1;
	int64_t d = sqlite3_column_int64(st, col);
	return d < 0 ? 0 : d < STAT_DAYS_MAX ? (size_t)d : STAT_DAYS_MAX;
}

int sq_case_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct case_stat_counts_rec *out)
{
	memset(out, 0, sizeof *out);
	/* one pass over the year's cases, counted column by column here: the
	 * values are few, the cases many */
	sqlite3_stmt *st = sq_prep(s, "SELECT c.reporter_type, c.relation, c.location, c.channel, c.phase,"
				      " coalesce(w.route, ''), coalesce(w.outcome, ''), c.named, c.behaviours,"
				      " coalesce(w.referrals, 0),"
				      " c.contacts, CASE WHEN c.first_contact_day > 0 THEN c.first_contact_day - c.created_day END,"
				      " CASE WHEN c.phase = 'closed' AND w.closed_at > 0"
				      "  THEN (w.closed_at - c.created_at) / 86400 END"
				      " FROM cases c LEFT JOIN case_work w ON w.case_id = c.id"
				      " WHERE c.unit_id IN (SELECT value FROM json_each(?1)) AND c.created_day >= ?2"
				      " AND c.created_day < ?3");
	if (!st)
		return VD_ERR_STORE;
	int rc = bind_stat_query(s, st, q);
	if (rc)
		return rc;
	struct stat_column_rec *cols[] = { &out->reporter_type, &out->relation, &out->location, &out->channel,
					   &out->phase, &out->route, &out->outcome };
	bool full = false;
	while (!full && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 7 && !full; i++)
			full = !tally(a, cols[i], sqlite3_column_text(st, i), 1);
		out->named += sqlite3_column_int(st, 7) != 0;
		uint64_t beh = (uint64_t)sqlite3_column_int64(st, 8), ref = (uint64_t)sqlite3_column_int64(st, 9);
		for (int b = 0; b < 63 && (beh >> b); b++)
			out->behaviours[b] += (beh >> b) & 1;
		for (int b = 0; b < 63 && (ref >> b); b++)
			out->referrals[b] += (ref >> b) & 1;
		int64_t n = sqlite3_column_int64(st, 10);
		out->contacts[n < STAT_CONTACTS_MAX ? n : STAT_CONTACTS_MAX]++;
		out->first_contact_days[days_bucket(st, 11)]++;
		out->closed_days[days_bucket(st, 12)]++;
		out->cases++;
	}
	rc = sq_list_end(s, st, rc, false);
	if (rc == VD_OK && full)
		rc = VD_ERR_TOOBIG;
	/* the cases with an exception: few, counted from their side */
	st = rc == VD_OK ? sq_prep(s, "SELECT count(DISTINCT e.case_id) FROM exceptions e JOIN cases c ON c.id = e.case_id"
				      " WHERE c.unit_id IN (SELECT value FROM json_each(?1)) AND c.created_day >= ?2"
				      " AND c.created_day < ?3")
			 : NULL;
	if (rc == VD_OK && !st)
		rc = VD_ERR_STORE;
	if (rc == VD_OK)
		rc = bind_stat_query(s, st, q);
	if (rc == VD_OK) {
		int step = sqlite3_step(st);
		out->exceptions = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		rc = sq_list_end(s, st, step, false);
	}
	return rc;
}

int sq_question_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct stat_column_rec *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_prep(s, "SELECT reporter_type, count(*) FROM counsellor_log WHERE kind = 'question'"
				      " AND unit_id IN (SELECT value FROM json_each(?1)) AND on_day >= ?2 AND on_day < ?3"
				      " GROUP BY reporter_type ORDER BY reporter_type");
	if (!st)
		return VD_ERR_STORE;
	int rc = bind_stat_query(s, st, q);
	if (rc)
		return rc;
	bool full = false;
	while (!full && (rc = sqlite3_step(st)) == SQLITE_ROW)
		full = !tally(a, out, sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	rc = sq_list_end(s, st, rc, false);
	return rc == VD_OK && full ? VD_ERR_TOOBIG : rc;
}

static bool wb_stat_row(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct wb_stat_rec *r = row;
	const char **texts[] = { &r->channel, &r->category, &r->relation, &r->outcome };
	bool ok = true;
	for (int i = 0; i < 4; i++)
		ok &= (*texts[i] = sq_col_text(a, st, i)) != NULL;
	r->named = sqlite3_column_int(st, 4);
	r->open = sqlite3_column_int(st, 5);
	r->received_day = sqlite3_column_int64(st, 6);
	r->ack_day = sqlite3_column_int64(st, 7);
	r->feedback_day = sqlite3_column_int64(st, 8);
	r->closed_day = sqlite3_column_int64(st, 9);
	return ok;
}

int sq_wb_stat_rows(struct store *s, struct arena *a, const struct stat_query *q, struct wb_stat_recs *out)
{
	void *items;
	int rc = stat_rows(s, a,
			   "SELECT channel, category, relation, outcome, named, open, received_day, ack_day,"
			   " feedback_day, closed_day FROM wb_reports WHERE unit_id IN (SELECT value FROM json_each(?1))"
			   " AND received_day >= ?2 AND received_day < ?3 ORDER BY id LIMIT ?4",
			   q, sizeof *out->items, wb_stat_row, &items, &out->n);
	out->items = items;
	return rc;
}

static bool complaint_stat_row(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct complaint_stat_rec *r = row;
	const char **texts[] = { &r->channel, &r->step, &r->advice };
	bool ok = true;
	for (int i = 0; i < 3; i++)
		ok &= (*texts[i] = sq_col_text(a, st, i)) != NULL;
	r->measures = sqlite3_column_int64(st, 3);
	r->filed_late = sqlite3_column_int(st, 4);
	r->admitted = sqlite3_column_int(st, 5);
	r->refused = sqlite3_column_int(st, 6);
	r->terms_in_time = sqlite3_column_int64(st, 7);
	r->terms_late = sqlite3_column_int64(st, 8);
	return ok;
}

int sq_complaint_stat_rows(struct store *s, struct arena *a, const struct stat_query *q,
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
			   " FROM complaints c WHERE unit_id IN (SELECT value FROM json_each(?1))"
			   " AND received_day >= ?2 AND received_day < ?3 ORDER BY id LIMIT ?4",
			   q, sizeof *out->items, complaint_stat_row, &items, &out->n);
	out->items = items;
	return rc;
}
