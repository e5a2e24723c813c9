/* pg_cases: cases, their readers' keys, messages, files and invitations on
 * PostgreSQL (see store_pg.c); store_sqlite.c does the same on SQLite. */
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- cases -------------------------------------------------------------------- */

int pg_receipt_costs_fill(struct store *s, uint32_t ops, uint32_t mem_kib)
{
	static const char *const sql[] = {
		"UPDATE cases SET receipt_ops = $1, receipt_mem_kib = $2 WHERE receipt_ops = 0",
		"UPDATE wb_reports SET receipt_ops = $1, receipt_mem_kib = $2 WHERE receipt_ops = 0",
		"UPDATE complaint_parties SET receipt_ops = $1, receipt_mem_kib = $2 WHERE receipt_ops = 0",
	};
	int rc = pg_atomic_begin(s);
	if (rc)
		return rc;
	for (size_t i = 0; rc == VD_OK && i < sizeof sql / sizeof sql[0]; i++) {
		struct pg_params p = { 0 };
		pg_int(&p, ops);
		pg_int(&p, mem_kib);
		rc = pg_exec(s, sql[i], &p);
	}
	return pg_atomic_end(s, rc);
}

static int case_insert_rows(struct store *s, const struct case_rec *c, const struct case_key_rec *keys,
			    size_t nkeys, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_text(&p, c->locator);
	pg_int(&p, c->unit_id);
	pg_id_or_null(&p, c->counsellor_id);
	pg_text(&p, c->channel);
	pg_text(&p, c->reporter_type);
	pg_text(&p, c->relation);
	pg_text(&p, c->location);
	pg_int(&p, c->behaviours);
	pg_int(&p, c->named);
	pg_text(&p, c->phase);
	pg_int(&p, c->created_at);
	pg_blob(&p, c->receipt_salt, STORE_SALT_LEN);
	pg_blob(&p, c->receipt_verifier, STORE_KEY_LEN);
	pg_blob(&p, c->key_by_receipt, STORE_WRAPPED_KEY_LEN);
	pg_blob(&p, c->content ? c->content : (const unsigned char *)"", c->content_len);
	pg_int(&p, c->created_day);
	pg_int(&p, c->receipt_ops);
	pg_int(&p, c->receipt_mem_kib);
	int rc = pg_insert_id(s, "INSERT INTO cases(locator, unit_id, counsellor_id, channel, reporter_type, relation,"
				 " location, behaviours, named, phase, created_at, receipt_salt, receipt_verifier,"
				 " key_by_receipt, content, created_day, receipt_ops, receipt_mem_kib) VALUES($1, $2, $3,"
				 " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
			      &p, id);
	for (size_t i = 0; i < nkeys && rc == VD_OK; i++) {
		struct pg_params k = { 0 };
		pg_int(&k, keys[i].user_id);
		pg_int(&k, *id);
		pg_int(&k, c->created_at);
		pg_blob(&k, keys[i].sealed_key, STORE_SEALED_KEY_LEN);
		rc = pg_exec(s, "INSERT INTO case_keys(user_id, case_id, unopened, created_at, sealed_key)"
				" VALUES($1, $2, 1, $3, $4)", &k);
	}
	return rc;
}

int pg_case_insert(struct store *s, const struct case_rec *c, const struct case_key_rec *keys, size_t nkeys,
		   int64_t *id)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, case_insert_rows(s, c, keys, nkeys, id));
}

#define CASE_COLS "id, locator, unit_id, coalesce(counsellor_id, 0), channel, reporter_type, relation," \
		  " location, behaviours, named, phase, created_at, coalesce(opened_at, 0), receipt_salt," \
		  " receipt_verifier, key_by_receipt, content, created_day, receipt_ops, receipt_mem_kib"

static int read_case(struct arena *a, const PGresult *r, int i, void *item)
{
	struct case_rec *c = item;
	bool oom = false;
	c->id = pg_get_int(r, i, 0);
	c->locator = pg_get_text(a, r, i, 1);
	c->unit_id = pg_get_int(r, i, 2);
	c->counsellor_id = pg_get_int(r, i, 3);
	c->channel = pg_get_text(a, r, i, 4);
	c->reporter_type = pg_get_text(a, r, i, 5);
	c->relation = pg_get_text(a, r, i, 6);
	c->location = pg_get_text(a, r, i, 7);
	c->behaviours = pg_get_int(r, i, 8);
	c->named = (int)pg_get_int(r, i, 9);
	c->phase = pg_get_text(a, r, i, 10);
	c->created_at = pg_get_int(r, i, 11);
	c->opened_at = pg_get_int(r, i, 12);
	c->created_day = pg_get_int(r, i, 17);
	c->receipt_ops = (uint32_t)pg_get_int(r, i, 18);
	c->receipt_mem_kib = (uint32_t)pg_get_int(r, i, 19);
	if (!pg_get_exact(r, i, 13, c->receipt_salt, STORE_SALT_LEN) ||
	    !pg_get_exact(r, i, 14, c->receipt_verifier, STORE_KEY_LEN) ||
	    !pg_get_exact(r, i, 15, c->key_by_receipt, STORE_WRAPPED_KEY_LEN))
		return VD_ERR_STORE;
	c->content = pg_get_blob(a, r, i, 16, &c->content_len, &oom);
	if (oom || !c->content || !c->locator || !c->channel || !c->reporter_type || !c->relation || !c->location ||
	    !c->phase)
		return VD_ERR_NOMEM;
	return VD_OK;
}

int pg_case_get(struct store *s, struct arena *a, int64_t id, struct case_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " CASE_COLS " FROM cases WHERE id = $1 AND purged_at = 0", &p, read_case, out);
}

int pg_case_find_locator(struct store *s, struct arena *a, const char *locator, struct case_rec *out)
{
	struct pg_params p = { 0 };
	pg_text(&p, locator);
	return pg_one(s, a, "SELECT " CASE_COLS " FROM cases WHERE locator = $1 AND purged_at = 0", &p, read_case,
		      out);
}

int pg_case_key_get(struct store *s, int64_t case_id, int64_t user_id, struct case_key_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, case_id);
	out->user_id = user_id;
	return pg_sealed_key(s, "SELECT sealed_key FROM case_keys WHERE user_id = $1 AND case_id = $2", &p,
			     out->sealed_key);
}

static int read_case_summary(struct arena *a, const PGresult *r, int i, void *item)
{
	struct case_summary_rec *c = item;
	c->id = pg_get_int(r, i, 0);
	c->unit_id = pg_get_int(r, i, 1);
	c->behaviours = pg_get_int(r, i, 2);
	c->phase = pg_get_text(a, r, i, 3);
	c->channel = pg_get_text(a, r, i, 4);
	c->created_at = pg_get_int(r, i, 5);
	c->unopened = (int)pg_get_int(r, i, 6);
	return c->phase && c->channel ? VD_OK : VD_ERR_NOMEM;
}

int pg_case_list(struct store *s, struct arena *a, int64_t user_id, const struct case_cursor_rec *after, size_t limit,
		 struct case_summary_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, user_id);
	pg_int(&p, (int64_t)limit);
	if (after) {
		pg_int(&p, after->unopened);
		pg_int(&p, after->created_at);
		pg_int(&p, after->id);
	}
	/* both walk the index case_keys_list: no sort, no scan */
	void *items;
	int rc = pg_rows(s, a,
			 after ? "SELECT c.id, c.unit_id, c.behaviours, c.phase, c.channel, c.created_at, k.unopened"
				 " FROM case_keys k JOIN cases c ON c.id = k.case_id WHERE k.user_id = $1"
				 " AND (k.unopened, k.created_at, k.case_id) < ($3, $4, $5)"
				 " ORDER BY k.unopened DESC, k.created_at DESC, k.case_id DESC LIMIT $2"
			       : "SELECT c.id, c.unit_id, c.behaviours, c.phase, c.channel, c.created_at, k.unopened"
				 " FROM case_keys k JOIN cases c ON c.id = k.case_id WHERE k.user_id = $1"
				 " ORDER BY k.unopened DESC, k.created_at DESC, k.case_id DESC LIMIT $2",
			 &p, sizeof *out->items, SIZE_MAX, read_case_summary, &items, &out->n);
	out->items = items;
	return rc;
}

static int case_mark_opened_rows(struct store *s, int64_t id, int64_t user_id, int64_t when)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_int(&p, when);
	int rc = pg_exec(s, "UPDATE cases SET opened_at = $2 WHERE id = $1 AND opened_at IS NULL", &p);
	struct pg_params q = { 0 };
	pg_int(&q, id);
	pg_int(&q, user_id);
	return rc ? rc
		  : pg_exec(s, "UPDATE case_keys SET unopened = 0 WHERE case_id = $1 AND user_id = $2 AND unopened = 1",
			    &q);
}

int pg_case_mark_opened(struct store *s, int64_t id, int64_t user_id, int64_t when)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, case_mark_opened_rows(s, id, user_id, when));
}

int pg_case_readers(struct store *s, struct arena *a, int64_t case_id, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, case_id);
	return pg_ids(s, a, "SELECT user_id FROM case_keys WHERE case_id = $1 ORDER BY user_id", &p, out);
}

/* ---- messages ------------------------------------------------------------------ */

static int message_insert_rows(struct store *s, const struct message_rec *m, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, m->case_id);
	pg_text(&p, m->kind);
	pg_int(&p, m->author_id);
	pg_int(&p, m->created_at);
	pg_blob(&p, m->body ? m->body : (const unsigned char *)"", m->body_len);
	int rc = pg_insert_id(s, "INSERT INTO messages(case_id, kind, author_id, created_at, body)"
				 " VALUES($1, $2, $3, $4, $5) RETURNING id", &p, id);
	if (rc == VD_OK && strcmp(m->kind, "reporter") == 0) {
		struct pg_params q = { 0 };
		pg_int(&q, m->case_id);
		rc = pg_exec(s, "UPDATE case_keys SET unopened = 1 WHERE case_id = $1", &q);
	}
	return rc;
}

int pg_message_insert(struct store *s, const struct message_rec *m, int64_t *id)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, message_insert_rows(s, m, id));
}

static int read_message(struct arena *a, const PGresult *r, int i, void *item)
{
	struct message_rec *m = item;
	bool oom = false;
	m->id = pg_get_int(r, i, 0);
	m->kind = pg_get_text(a, r, i, 1);
	m->author_id = pg_get_int(r, i, 2);
	m->created_at = pg_get_int(r, i, 3);
	m->body = pg_get_blob(a, r, i, 4, &m->body_len, &oom);
	return oom || !m->kind || !m->body ? VD_ERR_NOMEM : VD_OK;
}

int pg_message_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct message_recs *out)
{
	void *items;
	/* the newest limit messages, oldest first */
	int rc = pg_rows_of(s, a, "SELECT * FROM (SELECT id, kind, author_id, created_at, body FROM messages"
				  " WHERE case_id = $1 ORDER BY id DESC LIMIT $2) m ORDER BY id", case_id, limit,
			    sizeof *out->items, read_message, &items, &out->n);
	out->items = items;
	for (size_t i = 0; i < out->n; i++)
		out->items[i].case_id = case_id;
	return rc;
}

/* ---- files ----------------------------------------------------------------------- */

/* The files of a case, a complaint and a whistleblower report are kept
 * alike, each in a table of its own: the same code on any. */
struct attach_sql {
	const char *insert, *list, *get;
};
static const struct attach_sql case_files = {
	"INSERT INTO attachments(case_id, message_id, kind, file_id, created_at, meta) VALUES($1, $2, $3, $4, $5, $6)"
	" RETURNING id",
	"SELECT id, case_id, message_id, kind, file_id, created_at, meta FROM attachments WHERE case_id = $1"
	" ORDER BY id LIMIT $2",
	"SELECT id, case_id, message_id, kind, file_id, created_at, meta FROM attachments WHERE case_id = $1"
	" AND file_id = $2",
};
static const struct attach_sql complaint_files = {
	"INSERT INTO complaint_attachments(complaint_id, letter_id, kind, file_id, created_at, meta)"
	" VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
	"SELECT id, complaint_id, letter_id, kind, file_id, created_at, meta FROM complaint_attachments"
	" WHERE complaint_id = $1 ORDER BY id LIMIT $2",
	"SELECT id, complaint_id, letter_id, kind, file_id, created_at, meta FROM complaint_attachments"
	" WHERE complaint_id = $1 AND file_id = $2",
};
static const struct attach_sql wb_files = {
	"INSERT INTO wb_attachments(report_id, event_id, kind, file_id, created_at, meta) VALUES($1, $2, $3, $4, $5, $6)"
	" RETURNING id",
	"SELECT id, report_id, event_id, kind, file_id, created_at, meta FROM wb_attachments WHERE report_id = $1"
	" ORDER BY id LIMIT $2",
	"SELECT id, report_id, event_id, kind, file_id, created_at, meta FROM wb_attachments WHERE report_id = $1"
	" AND file_id = $2",
};

static int attach_insert(struct store *s, const struct attach_sql *q, const struct attachment_rec *f, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, f->case_id);
	pg_int(&p, f->message_id);
	pg_text(&p, f->kind);
	pg_text(&p, f->file_id);
	pg_int(&p, f->created_at);
	pg_blob(&p, f->meta ? f->meta : (const unsigned char *)"", f->meta_len);
	return pg_insert_id(s, q->insert, &p, id);
}

static int read_attachment(struct arena *a, const PGresult *r, int i, void *item)
{
	struct attachment_rec *f = item;
	bool oom = false;
	f->id = pg_get_int(r, i, 0);
	f->case_id = pg_get_int(r, i, 1);
	f->message_id = pg_get_int(r, i, 2);
	f->kind = pg_get_text(a, r, i, 3);
	f->file_id = pg_get_text(a, r, i, 4);
	f->created_at = pg_get_int(r, i, 5);
	f->meta = pg_get_blob(a, r, i, 6, &f->meta_len, &oom);
	return !oom && f->kind && f->file_id && f->meta ? VD_OK : VD_ERR_NOMEM;
}

static int attach_list(struct store *s, const struct attach_sql *q, struct arena *a, int64_t owner, size_t limit,
		       struct attachment_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, q->list, owner, limit, sizeof *out->items, read_attachment, &items, &out->n);
	out->items = items;
	return rc;
}

static int attach_get(struct store *s, const struct attach_sql *q, struct arena *a, int64_t owner, const char *file_id,
		      struct attachment_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, owner);
	pg_text(&p, file_id);
	return pg_one(s, a, q->get, &p, read_attachment, out);
}

int pg_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id)
{
	return attach_insert(s, &case_files, f, id);
}

int pg_attachment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct attachment_recs *out)
{
	return attach_list(s, &case_files, a, case_id, limit, out);
}

int pg_attachment_get(struct store *s, struct arena *a, int64_t case_id, const char *file_id,
		      struct attachment_rec *out)
{
	return attach_get(s, &case_files, a, case_id, file_id, out);
}

int pg_complaint_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id)
{
	return attach_insert(s, &complaint_files, f, id);
}

int pg_complaint_attachment_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
				 struct attachment_recs *out)
{
	return attach_list(s, &complaint_files, a, complaint_id, limit, out);
}

int pg_complaint_attachment_get(struct store *s, struct arena *a, int64_t complaint_id, const char *file_id,
				struct attachment_rec *out)
{
	return attach_get(s, &complaint_files, a, complaint_id, file_id, out);
}

int pg_wb_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id)
{
	return attach_insert(s, &wb_files, f, id);
}

int pg_wb_attachment_list(struct store *s, struct arena *a, int64_t report_id, size_t limit,
			  struct attachment_recs *out)
{
	return attach_list(s, &wb_files, a, report_id, limit, out);
}

int pg_wb_attachment_get(struct store *s, struct arena *a, int64_t report_id, const char *file_id,
			 struct attachment_rec *out)
{
	return attach_get(s, &wb_files, a, report_id, file_id, out);
}

int pg_attachment_exists(struct store *s, const char *file_id)
{
	struct pg_params p = { 0 };
	pg_text(&p, file_id);
	PGresult *r;
	int rc = pg_run(s, "SELECT 1 FROM attachments WHERE file_id = $1"
			   " UNION ALL SELECT 1 FROM complaint_attachments WHERE file_id = $1"
			   " UNION ALL SELECT 1 FROM wb_attachments WHERE file_id = $1", &p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) > 0 ? VD_OK : VD_ERR_NOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- invitations ------------------------------------------------------------------ */

int pg_invitation_insert(struct store *s, const struct invitation_rec *v)
{
	struct pg_params p = { 0 };
	pg_blob(&p, v->token_hash, STORE_TOKEN_HASH_LEN);
	pg_int(&p, v->case_id);
	pg_int(&p, v->expires_at);
	pg_blob(&p, v->code ? v->code : (const unsigned char *)"", v->code_len);
	return pg_exec(s, "INSERT INTO invitations(token_hash, case_id, expires_at, code) VALUES($1, $2, $3, $4)", &p);
}

static int read_invitation(struct arena *a, const PGresult *r, int i, void *item)
{
	struct invitation_rec *v = item;
	bool oom = false;
	v->case_id = pg_get_int(r, i, 0);
	v->expires_at = pg_get_int(r, i, 1);
	v->code = pg_get_blob(a, r, i, 2, &v->code_len, &oom);
	return oom || !v->code ? VD_ERR_NOMEM : VD_OK;
}

int pg_invitation_take(struct store *s, struct arena *a, const unsigned char *token_hash, struct invitation_rec *out)
{
	/* read and spent in one statement: two clicks on one link cannot both
	 * get the code */
	struct pg_params p = { 0 };
	pg_blob(&p, token_hash, STORE_TOKEN_HASH_LEN);
	int rc = pg_one(s, a, "DELETE FROM invitations WHERE token_hash = $1 RETURNING case_id, expires_at, code", &p,
			read_invitation, out);
	if (rc == VD_OK)
		memcpy(out->token_hash, token_hash, STORE_TOKEN_HASH_LEN);
	return rc;
}

int pg_invitation_purge(struct store *s, int64_t now)
{
	struct pg_params p = { 0 };
	pg_int(&p, now);
	return pg_exec(s, "DELETE FROM invitations WHERE expires_at <= $1", &p);
}
