/* pg_log: the outbox, the audit log and the counsellor's own log on
 * PostgreSQL (see store_pg.c); store_sqlite.c does the same on SQLite. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- outbox ---------------------------------------------------------------------- */

int pg_outbox_add(struct store *s, const struct outbox_rec *m)
{
	struct pg_params p = { 0 };
	pg_blob(&p, m->recipient ? m->recipient : (const unsigned char *)"", m->recipient_len);
	pg_text(&p, m->kind);
	pg_int(&p, m->next_at);
	return pg_exec(s, "INSERT INTO outbox(recipient, kind, attempts, next_at) VALUES($1, $2, 0, $3)", &p);
}

static int read_outbox(struct arena *a, const PGresult *r, int i, void *item)
{
	struct outbox_rec *m = item;
	bool oom = false;
	m->id = pg_get_int(r, i, 0);
	m->recipient = pg_get_blob(a, r, i, 1, &m->recipient_len, &oom);
	m->kind = pg_get_text(a, r, i, 2);
	m->attempts = (int)pg_get_int(r, i, 3);
	m->next_at = pg_get_int(r, i, 4);
	return oom || !m->recipient || !m->kind ? VD_ERR_NOMEM : VD_OK;
}

int pg_outbox_claim(struct store *s, struct arena *a, int64_t now, int64_t until, size_t limit,
		    struct outbox_recs *out)
{
	/* Taken and leased in one statement (store.h, "claim"): rows another
	 * sender holds are skipped, and the due condition is checked again on
	 * the row itself, so two senders never take one message. */
	struct pg_params p = { 0 };
	pg_int(&p, now);
	pg_int(&p, (int64_t)limit);
	pg_int(&p, until);
	void *items;
	int rc = pg_rows(s, a, "UPDATE outbox SET next_at = $3 WHERE next_at <= $1 AND id IN (SELECT id FROM outbox"
			       " WHERE next_at <= $1 ORDER BY next_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)"
			       " RETURNING id, recipient, kind, attempts, next_at", &p, sizeof *out->items, limit,
			 read_outbox, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_outbox_done(struct store *s, int64_t id)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_exec(s, "DELETE FROM outbox WHERE id = $1", &p);
}

int pg_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_int(&p, attempts);
	pg_int(&p, next_at);
	return pg_exec(s, "UPDATE outbox SET attempts = $2, next_at = $3 WHERE id = $1", &p);
}

/* ---- audit log ------------------------------------------------------------------ */

#define AUDIT_COLS "seq, at, actor_id, action, object_kind, object_id, prev_hash, hash"

/* A hash of the wrong size marks the entry malformed instead of failing the
 * read, so that verification can say which entry it is. */
static void read_audit_hash(const PGresult *r, int i, int col, unsigned char out[STORE_AUDIT_HASH_LEN],
			    int *malformed)
{
	memset(out, 0, STORE_AUDIT_HASH_LEN);
	if (!pg_get_exact(r, i, col, out, STORE_AUDIT_HASH_LEN))
		*malformed = 1;
}

static int read_audit(struct arena *a, const PGresult *r, int i, void *item)
{
	struct audit_rec *e = item;
	e->seq = pg_get_int(r, i, 0);
	e->at = pg_get_int(r, i, 1);
	e->actor_id = pg_get_int(r, i, 2);
	e->action = pg_get_text(a, r, i, 3);
	e->object_kind = pg_get_text(a, r, i, 4);
	e->object_id = pg_get_int(r, i, 5);
	e->malformed = 0;
	read_audit_hash(r, i, 6, e->prev_hash, &e->malformed);
	read_audit_hash(r, i, 7, e->hash, &e->malformed);
	return e->action && e->object_kind ? VD_OK : VD_ERR_NOMEM;
}

/* The head's seq and hash: the entry after it goes on from there. */
static int read_head(struct arena *a, const PGresult *r, int i, void *item)
{
	struct audit_rec *e = item;
	(void)a;
	e->seq = pg_get_int(r, i, 0) + 1;
	if (!pg_get_exact(r, i, 1, e->prev_hash, STORE_AUDIT_HASH_LEN))
		return VD_ERR_STORE; /* the chain cannot go on from a damaged head */
	return VD_OK;
}

static int audit_append_rows(struct store *s, struct audit_rec *e, audit_seal_fn seal)
{
	e->seq = 1;
	memset(e->prev_hash, 0, STORE_AUDIT_HASH_LEN);
	int rc = pg_one(s, NULL, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL, read_head, e);
	if (rc == VD_ERR_NOTFOUND)
		rc = VD_OK; /* none yet: the first */
	if (rc == VD_OK)
		rc = seal(e);
	if (rc)
		return rc;
	struct pg_params p = { 0 };
	pg_int(&p, e->seq);
	pg_int(&p, e->at);
	pg_int(&p, e->actor_id);
	pg_text(&p, e->action);
	pg_text(&p, e->object_kind);
	pg_int(&p, e->object_id);
	pg_blob(&p, e->prev_hash, STORE_AUDIT_HASH_LEN);
	pg_blob(&p, e->hash, STORE_AUDIT_HASH_LEN);
	return pg_exec(s, "INSERT INTO audit_log(seq, at, actor_id, action, object_kind, object_id, prev_hash, hash)"
			  " VALUES($1, $2, $3, $4, $5, $6, $7, $8)", &p);
}

/* Reading the head and writing after it are one step: the write lock is
 * held from before the read (pg_atomic_begin) until the entry is in. */
int pg_audit_append_next(struct store *s, struct audit_rec *r, audit_seal_fn seal)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, audit_append_rows(s, r, seal));
}

static int audit_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, size_t limit,
		      struct audit_recs *out)
{
	void *items;
	int rc = pg_rows(s, a, sql, p, sizeof *out->items, limit, read_audit, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_audit_last(struct store *s, struct arena *a, struct audit_rec *out)
{
	return pg_one(s, a, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq DESC LIMIT 1", NULL, read_audit, out);
}

int pg_audit_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct audit_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, after);
	pg_int(&p, (int64_t)limit);
	return audit_rows(s, a, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", &p, limit,
			  out);
}

int pg_audit_before(struct store *s, struct arena *a, int64_t before, size_t limit, struct audit_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, before > 0 ? before : INT64_MAX);
	pg_int(&p, (int64_t)limit);
	return audit_rows(s, a, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2", &p,
			  limit, out);
}

/* ---- the counsellor's own log ----------------------------------------------------- */

int pg_counsellor_log_insert(struct store *s, const struct counsellor_log_rec *e, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, e->user_id);
	pg_text(&p, e->kind);
	pg_int(&p, e->on_day);
	pg_int(&p, e->unit_id);
	pg_int(&p, e->asked);
	pg_text(&p, e->audience);
	pg_int(&p, e->minutes);
	pg_int(&p, e->created_at);
	pg_blob(&p, e->subject, e->subject_len);
	pg_text(&p, e->reporter_type);
	return pg_insert_id(s, "INSERT INTO counsellor_log(user_id, kind, on_day, unit_id, asked, audience, minutes,"
			       " created_at, subject, reporter_type) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
			       " RETURNING id", &p, id);
}

static int read_counsellor_log(struct arena *a, const PGresult *r, int i, void *item)
{
	struct counsellor_log_rec *e = item;
	bool oom = false;
	e->id = pg_get_int(r, i, 0);
	e->user_id = pg_get_int(r, i, 1);
	e->kind = pg_get_text(a, r, i, 2);
	e->on_day = pg_get_int(r, i, 3);
	e->unit_id = pg_get_int(r, i, 4);
	e->asked = (int)pg_get_int(r, i, 5);
	e->audience = pg_get_text(a, r, i, 6);
	e->minutes = pg_get_int(r, i, 7);
	e->created_at = pg_get_int(r, i, 8);
	e->subject = pg_get_blob(a, r, i, 9, &e->subject_len, &oom);
	e->reporter_type = pg_get_text(a, r, i, 10);
	return !oom && e->kind && e->audience && e->reporter_type ? VD_OK : VD_ERR_NOMEM;
}

int pg_counsellor_log_list(struct store *s, struct arena *a, int64_t user_id,
			   const struct counsellor_log_cursor_rec *after, size_t limit, struct counsellor_log_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, (int64_t)limit);
	if (after) {
		pg_int(&p, after->on_day);
		pg_int(&p, after->id);
	}
	/* both walk the index counsellor_log_user_day backwards */
	void *items;
	int rc = pg_rows(s, a,
			 after ? "SELECT id, user_id, kind, on_day, unit_id, asked, audience, minutes, created_at,"
				 " subject, reporter_type FROM counsellor_log WHERE user_id = $1"
				 " AND (on_day, id) < ($3, $4)"
				 " ORDER BY on_day DESC, id DESC LIMIT $2"
			       : "SELECT id, user_id, kind, on_day, unit_id, asked, audience, minutes, created_at,"
				 " subject, reporter_type FROM counsellor_log WHERE user_id = $1"
				 " ORDER BY on_day DESC, id DESC LIMIT $2",
			 &p, sizeof *out->items, limit, read_counsellor_log, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_counsellor_log_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_int(&p, user_id);
	return pg_exec_change(s, "DELETE FROM counsellor_log WHERE id = $1 AND user_id = $2", &p);
}

static int read_totals(struct arena *a, const PGresult *r, int i, void *item)
{
	struct counsellor_log_totals_rec *out = item;
	(void)a;
	out->advice_asked = pg_get_int(r, i, 0);
	out->advice_unasked = pg_get_int(r, i, 1);
	out->advice_manager = pg_get_int(r, i, 2);
	out->advice_board = pg_get_int(r, i, 3);
	out->training_entries = pg_get_int(r, i, 4);
	out->training_minutes = pg_get_int(r, i, 5);
	out->supervision_sessions = pg_get_int(r, i, 6);
	out->supervision_minutes = pg_get_int(r, i, 7);
	out->questions = pg_get_int(r, i, 8);
	return VD_OK;
}

int pg_counsellor_log_totals(struct store *s, int64_t from_day, int64_t to_day, int64_t unit_id, int64_t user_id,
			     struct counsellor_log_totals_rec *out)
{
	memset(out, 0, sizeof *out);
	struct pg_params p = { 0 };
	pg_int(&p, from_day);
	pg_int(&p, to_day);
	pg_int(&p, unit_id);
	pg_int(&p, user_id);
	/* sum over bigint is numeric in PostgreSQL: counted as int8; no GROUP BY: one row */
	return pg_one(s, NULL, "SELECT"
			       " count(*) FILTER (WHERE kind = 'advice' AND asked = 1),"
			       " count(*) FILTER (WHERE kind = 'advice' AND asked = 0),"
			       " count(*) FILTER (WHERE kind = 'advice' AND audience = 'manager'),"
			       " count(*) FILTER (WHERE kind = 'advice' AND audience = 'board'),"
			       " count(*) FILTER (WHERE kind = 'training'),"
			       " coalesce(sum(minutes) FILTER (WHERE kind = 'training'), 0)::int8,"
			       " count(*) FILTER (WHERE kind = 'supervision'),"
			       " coalesce(sum(minutes) FILTER (WHERE kind = 'supervision'), 0)::int8,"
			       " count(*) FILTER (WHERE kind = 'question')"
			       " FROM counsellor_log WHERE on_day >= $1 AND on_day < $2"
			       " AND ($4::int8 = 0 OR user_id = $4)"
			       " AND ($3::int8 = 0 OR (kind IN ('advice', 'question') AND unit_id = $3)"
			       "  OR (kind NOT IN ('advice', 'question') AND user_id IN (SELECT user_id FROM user_units"
			       " WHERE unit_id = $3)))", &p, read_totals, out);
}
