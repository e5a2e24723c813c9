/* pg_declarations: candidate committees' rounds, their members and
 * questions, the candidates' declarations and their one-time links on
 * PostgreSQL (see store_pg.c); the SQLite store's store_declarations.c does
 * the same with the same meaning. */
#include <stdbool.h>
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* ---- rounds ------------------------------------------------------------------ */

static int round_insert_rows(struct store *s, const struct round_rec *r, const struct round_member_rec *members,
			     size_t nmembers, const char *const *questions, size_t nquestions, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, r->unit_id);
	pg_text(&p, r->kind);
	pg_text(&p, r->title);
	pg_int(&p, r->opens_on);
	pg_int(&p, r->closes_on);
	pg_blob(&p, r->public_key, STORE_KEY_LEN);
	pg_blob(&p, r->mac, STORE_KEY_LEN);
	pg_int(&p, r->created_by);
	pg_int(&p, r->created_at);
	int64_t rid = 0;
	int rc = pg_insert_id(s, "INSERT INTO rounds(unit_id, kind, title, opens_on, closes_on, public_key, mac,"
				 " created_by, created_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
			      &p, &rid);
	for (size_t i = 0; rc == VD_OK && i < nmembers; i++)
		rc = pg_round_member_add(s, rid, &members[i]);
	for (size_t i = 0; rc == VD_OK && i < nquestions; i++) {
		struct pg_params q = { 0 };
		pg_int(&q, rid);
		pg_int(&q, (int64_t)i + 1);
		pg_text(&q, questions[i]);
		rc = pg_exec(s, "INSERT INTO round_questions(round_id, position, text) VALUES($1, $2, $3)", &q);
	}
	if (rc == VD_OK)
		*id = rid;
	return rc;
}

int pg_round_insert(struct store *s, const struct round_rec *r, const struct round_member_rec *members,
		    size_t nmembers, const char *const *questions, size_t nquestions, int64_t *id)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, round_insert_rows(s, r, members, nmembers, questions, nquestions, id));
}

#define ROUND_COLS                                                                                        \
	"r.id, r.unit_id, r.kind, r.title, r.opens_on, r.closes_on, r.public_key, r.mac, r.created_by,"   \
	" r.created_at, (SELECT COUNT(*) FROM declarations d WHERE d.round_id = r.id AND d.purged_at = 0" \
	" AND d.state = 'invited'), (SELECT COUNT(*) FROM declarations d WHERE d.round_id = r.id"         \
	" AND d.purged_at = 0 AND d.state = 'draft'), (SELECT COUNT(*) FROM declarations d"               \
	" WHERE d.round_id = r.id AND d.purged_at = 0 AND d.state = 'submitted'), (SELECT COUNT(*)"       \
	" FROM declarations d WHERE d.round_id = r.id AND d.purged_at = 0 AND d.state = 'decided')"

/* Row i of ROUND_COLS. */
static int round_row(struct arena *a, const PGresult *res, int i, void *item)
{
	struct round_rec *r = item;
	*r = (struct round_rec){
		.id = pg_get_int(res, i, 0), .unit_id = pg_get_int(res, i, 1),
		.kind = pg_get_text(a, res, i, 2), .title = pg_get_text(a, res, i, 3),
		.opens_on = pg_get_int(res, i, 4), .closes_on = pg_get_int(res, i, 5),
		.created_by = pg_get_int(res, i, 8), .created_at = pg_get_int(res, i, 9),
		.n_invited = pg_get_int(res, i, 10), .n_draft = pg_get_int(res, i, 11),
		.n_submitted = pg_get_int(res, i, 12), .n_decided = pg_get_int(res, i, 13),
	};
	/* a key of the wrong size stays zero: the core's check then refuses it */
	pg_get_exact(res, i, 6, r->public_key, STORE_KEY_LEN);
	pg_get_exact(res, i, 7, r->mac, STORE_KEY_LEN);
	return r->kind && r->title ? VD_OK : VD_ERR_NOMEM;
}

int pg_round_get(struct store *s, struct arena *a, int64_t id, struct round_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " ROUND_COLS " FROM rounds r WHERE r.id = $1", &p, round_row, out);
}

int pg_round_list(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct round_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, "SELECT " ROUND_COLS " FROM rounds r JOIN round_members m ON m.round_id = r.id"
				  " WHERE m.user_id = $1 ORDER BY r.id DESC LIMIT $2", user_id, limit,
			    sizeof *out->items, round_row, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_round_member_get(struct store *s, int64_t round_id, int64_t user_id, struct round_member_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, round_id);
	pg_int(&p, user_id);
	out->user_id = user_id;
	return pg_sealed_key(s, "SELECT sealed_key FROM round_members WHERE round_id = $1 AND user_id = $2", &p,
			     out->sealed_key);
}

int pg_round_member_add(struct store *s, int64_t round_id, const struct round_member_rec *m)
{
	struct pg_params p = { 0 };
	pg_int(&p, round_id);
	pg_int(&p, m->user_id);
	pg_blob(&p, m->sealed_key, STORE_SEALED_KEY_LEN);
	return pg_exec(s, "INSERT INTO round_members(round_id, user_id, sealed_key) VALUES($1, $2, $3)", &p);
}

int pg_round_members(struct store *s, struct arena *a, int64_t round_id, struct id_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, round_id);
	return pg_ids(s, a, "SELECT user_id FROM round_members WHERE round_id = $1 ORDER BY user_id LIMIT 64", &p, out);
}

static int read_question(struct arena *a, const PGresult *r, int i, void *item)
{
	struct round_question_rec *q = item;
	q->id = pg_get_int(r, i, 0);
	q->position = pg_get_int(r, i, 1);
	return (q->text = pg_get_text(a, r, i, 2)) ? VD_OK : VD_ERR_NOMEM;
}

int pg_round_questions(struct store *s, struct arena *a, int64_t round_id, struct round_question_recs *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, round_id);
	void *items;
	int rc = pg_rows(s, a, "SELECT id, position, text FROM round_questions WHERE round_id = $1"
			       " ORDER BY position LIMIT 64", &p, sizeof *out->items, SIZE_MAX, read_question, &items,
			 &out->n);
	out->items = items;
	return rc;
}

/* ---- declarations -------------------------------------------------------------- */

int pg_declaration_insert(struct store *s, const struct declaration_rec *d, int64_t *id)
{
	struct pg_params p = { 0 };
	pg_int(&p, d->round_id);
	pg_int(&p, d->candidate_id);
	pg_int(&p, d->invited_at);
	pg_int(&p, d->invited_by);
	pg_text(&p, d->invited_name);
	pg_int(&p, d->purge_after);
	return pg_insert_id(s, "INSERT INTO declarations(round_id, candidate_id, state, invited_at, invited_by,"
			       " invited_name, purge_after) VALUES($1, $2, 'invited', $3, $4, $5, $6) RETURNING id",
			    &p, id);
}

#define DECL_COLS                                                                                          \
	"d.id, d.round_id, d.candidate_id, d.state, d.invited_at, d.invited_by, d.saved_at,"               \
	" d.code_version_id, d.signed_at, d.submitted_at, d.interview_on, d.outcome, d.keep_consent,"      \
	" d.decided_at, d.decided_by, d.purge_after, d.purged_at, u.name, u.email, d.invited_name, d.version"
#define DECL_BLOBS ", d.content, d.round_key, d.candidate_key, d.notes, d.notes_key"
#define DECL_BLOB0 21 /* the first of DECL_BLOBS */

/* Row i of DECL_COLS, and of DECL_BLOBS when the query has them. */
static int declaration_row(struct arena *a, const PGresult *r, int i, void *item)
{
	struct declaration_rec *d = item;
	*d = (struct declaration_rec){
		.id = pg_get_int(r, i, 0), .round_id = pg_get_int(r, i, 1),
		.candidate_id = pg_get_int(r, i, 2), .state = pg_get_text(a, r, i, 3),
		.invited_at = pg_get_int(r, i, 4), .invited_by = pg_get_int(r, i, 5),
		.saved_at = pg_get_int(r, i, 6), .code_version_id = pg_get_int(r, i, 7),
		.signed_at = pg_get_int(r, i, 8), .submitted_at = pg_get_int(r, i, 9),
		.interview_on = pg_get_int(r, i, 10), .outcome = pg_get_text(a, r, i, 11),
		.keep_consent = (int)pg_get_int(r, i, 12), .decided_at = pg_get_int(r, i, 13),
		.decided_by = pg_get_int(r, i, 14), .purge_after = pg_get_int(r, i, 15),
		.purged_at = pg_get_int(r, i, 16), .candidate_name = pg_get_text(a, r, i, 17),
		.candidate_email = pg_get_text(a, r, i, 18), .invited_name = pg_get_text(a, r, i, 19),
		.version = pg_get_int(r, i, 20),
	};
	bool oom = false;
	if (PQnfields(r) > DECL_BLOB0) {
		d->content = pg_get_blob(a, r, i, DECL_BLOB0, &d->content_len, &oom);
		d->round_key = pg_get_blob(a, r, i, DECL_BLOB0 + 1, &d->round_key_len, &oom);
		d->candidate_key = pg_get_blob(a, r, i, DECL_BLOB0 + 2, &d->candidate_key_len, &oom);
		d->notes = pg_get_blob(a, r, i, DECL_BLOB0 + 3, &d->notes_len, &oom);
		d->notes_key = pg_get_blob(a, r, i, DECL_BLOB0 + 4, &d->notes_key_len, &oom);
	}
	if (oom || !d->state || !d->outcome || !d->candidate_name || !d->candidate_email || !d->invited_name)
		return VD_ERR_NOMEM;
	return VD_OK;
}

int pg_declaration_get(struct store *s, struct arena *a, int64_t id, struct declaration_rec *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	return pg_one(s, a, "SELECT " DECL_COLS DECL_BLOBS " FROM declarations d JOIN users u"
			    " ON u.id = d.candidate_id WHERE d.id = $1 AND d.purged_at = 0", &p, declaration_row, out);
}

static int declaration_update_rows(struct store *s, const struct declaration_rec *d)
{
	struct pg_params p = { 0 };
	pg_int(&p, d->id);
	pg_text(&p, d->state);
	pg_blob(&p, d->content, d->content_len);
	pg_blob(&p, d->round_key, d->round_key_len);
	pg_blob(&p, d->candidate_key, d->candidate_key_len);
	pg_int(&p, d->saved_at);
	pg_int(&p, d->code_version_id);
	pg_int(&p, d->signed_at);
	pg_int(&p, d->submitted_at);
	pg_int(&p, d->interview_on);
	pg_blob(&p, d->notes, d->notes_len);
	pg_blob(&p, d->notes_key, d->notes_key_len);
	pg_text(&p, d->outcome);
	pg_int(&p, d->keep_consent);
	pg_int(&p, d->decided_at);
	pg_int(&p, d->decided_by);
	pg_int(&p, d->purge_after);
	pg_int(&p, d->version);
	/* one statement: of two changes that read the same version, the
	 * second finds the version moved on */
	int rc = pg_exec_change(s, "UPDATE declarations SET state = $2, content = $3, round_key = $4,"
				   " candidate_key = $5, saved_at = $6, code_version_id = $7, signed_at = $8,"
				   " submitted_at = $9, interview_on = $10, notes = $11, notes_key = $12, outcome = $13,"
				   " keep_consent = $14, decided_at = $15, decided_by = $16, purge_after = $17,"
				   " version = version + 1 WHERE id = $1 AND version = $18 AND purged_at = 0", &p);
	if (rc == VD_OK && strcmp(d->state, "decided") == 0) {
		/* decided, or withdrawn before the password was chosen: no more link */
		struct pg_params q = { 0 };
		pg_int(&q, d->id);
		rc = pg_exec(s, "DELETE FROM candidate_links WHERE declaration_id = $1", &q);
	}
	return rc;
}

int pg_declaration_update(struct store *s, const struct declaration_rec *d)
{
	int rc = pg_atomic_begin(s);
	return rc ? rc : pg_atomic_end(s, declaration_update_rows(s, d));
}

/* The declarations sql finds for key ($1) and limit ($2), without blobs. */
static int declaration_list(struct store *s, struct arena *a, const char *sql, int64_t key, size_t limit,
			    struct declaration_recs *out)
{
	void *items;
	int rc = pg_rows_of(s, a, sql, key, limit, sizeof *out->items, declaration_row, &items, &out->n);
	out->items = items;
	return rc;
}

int pg_declaration_list_round(struct store *s, struct arena *a, int64_t round_id, size_t limit,
			      struct declaration_recs *out)
{
	/* bytes after ASCII case folding, as SQLite's NOCASE */
	return declaration_list(s, a, "SELECT " DECL_COLS " FROM declarations d JOIN users u ON u.id = d.candidate_id"
				      " WHERE d.round_id = $1 AND d.purged_at = 0"
				      " ORDER BY vd_fold(d.invited_name) COLLATE \"C\", d.id LIMIT $2",
				round_id, limit, out);
}

int pg_declaration_list_candidate(struct store *s, struct arena *a, int64_t candidate_id, size_t limit,
				  struct declaration_recs *out)
{
	return declaration_list(s, a, "SELECT " DECL_COLS " FROM declarations d JOIN users u ON u.id = d.candidate_id"
				      " WHERE d.candidate_id = $1 AND d.purged_at = 0 ORDER BY d.id DESC LIMIT $2",
				candidate_id, limit, out);
}

/* ---- one-time links ----------------------------------------------------------- */

int pg_candidate_link_put(struct store *s, int64_t declaration_id, const unsigned char hash[STORE_TOKEN_HASH_LEN],
			  int64_t expires_at)
{
	struct pg_params p = { 0 };
	pg_blob(&p, hash, STORE_TOKEN_HASH_LEN);
	pg_int(&p, declaration_id);
	pg_int(&p, expires_at);
	return pg_exec(s, "INSERT INTO candidate_links(token_hash, declaration_id, expires_at) VALUES($1, $2, $3)"
			  " ON CONFLICT(declaration_id) DO UPDATE SET token_hash = $1, expires_at = $3", &p);
}

/* A link's declaration and expiry, into two int64_t. */
static int read_link(struct arena *a, const PGresult *r, int i, void *item)
{
	int64_t *v = item;
	(void)a;
	v[0] = pg_get_int(r, i, 0);
	v[1] = pg_get_int(r, i, 1);
	return VD_OK;
}

/* One link's row by a statement whose $1 is the hash (a SELECT, or a
 * DELETE ... RETURNING: one statement, so two takes of the same link
 * cannot both get it). */
static int link_row(struct store *s, const char *sql, const unsigned char hash[STORE_TOKEN_HASH_LEN],
		    int64_t *declaration_id, int64_t *expires_at)
{
	struct pg_params p = { 0 };
	pg_blob(&p, hash, STORE_TOKEN_HASH_LEN);
	int64_t v[2] = { 0 };
	int rc = pg_one(s, NULL, sql, &p, read_link, v);
	*declaration_id = v[0];
	if (rc == VD_OK)
		*expires_at = v[1];
	return rc;
}

int pg_candidate_link_take(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at)
{
	return link_row(s, "DELETE FROM candidate_links WHERE token_hash = $1 RETURNING declaration_id, expires_at",
			hash, declaration_id, expires_at);
}

int pg_candidate_link_find(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at)
{
	return link_row(s, "SELECT declaration_id, expires_at FROM candidate_links WHERE token_hash = $1", hash,
			declaration_id, expires_at);
}
