/* store_declarations: candidate committees' rounds, their members and
 * questions, the candidates' declarations and their one-time links
 * (store.h, core/declarations.h). */
#include <string.h>

#include "../../util/arena.h"
#include "../../util/errors.h"
#include "sqlite_internal.h"

/* ---- rounds ------------------------------------------------------------------ */

int sq_round_insert(struct store *s, const struct round_rec *r, const struct round_member_rec *members,
		    size_t nmembers, const char *const *questions, size_t nquestions, int64_t *id)
{
	int rc = sq_atomic_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO rounds(unit_id, kind, title, opens_on, closes_on, public_key, mac,"
				      " created_by, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		return sq_atomic_end(s, VD_ERR_STORE);
	sqlite3_bind_int64(st, 1, r->unit_id);
	sq_bind_text(st, 2, r->kind);
	sq_bind_text(st, 3, r->title);
	sqlite3_bind_int64(st, 4, r->opens_on);
	sqlite3_bind_int64(st, 5, r->closes_on);
	sq_bind_blob(st, 6, r->public_key, STORE_KEY_LEN);
	sq_bind_blob(st, 7, r->mac, STORE_KEY_LEN);
	sqlite3_bind_int64(st, 8, r->created_by);
	sqlite3_bind_int64(st, 9, r->created_at);
	rc = sq_exec_done(s, st);
	int64_t rid = rc == VD_OK ? sq_last_id(s) : 0;
	for (size_t i = 0; rc == VD_OK && i < nmembers; i++)
		rc = sq_round_member_add(s, rid, &members[i]);
	for (size_t i = 0; rc == VD_OK && i < nquestions; i++) {
		st = sq_prep(s, "INSERT INTO round_questions(round_id, position, text) VALUES(?1, ?2, ?3)");
		if (!st) {
			rc = VD_ERR_STORE;
			break;
		}
		sqlite3_bind_int64(st, 1, rid);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		sq_bind_text(st, 3, questions[i]);
		rc = sq_exec_done(s, st);
	}
	if (rc == VD_OK)
		*id = rid;
	return sq_atomic_end(s, rc);
}

#define ROUND_COLS                                                                                        \
	"r.id, r.unit_id, r.kind, r.title, r.opens_on, r.closes_on, r.public_key, r.mac, r.created_by,"   \
	" r.created_at, (SELECT COUNT(*) FROM declarations d WHERE d.round_id = r.id AND d.purged_at = 0" \
	" AND d.state = 'invited'), (SELECT COUNT(*) FROM declarations d WHERE d.round_id = r.id"         \
	" AND d.purged_at = 0 AND d.state = 'draft'), (SELECT COUNT(*) FROM declarations d"               \
	" WHERE d.round_id = r.id AND d.purged_at = 0 AND d.state = 'submitted'), (SELECT COUNT(*)"       \
	" FROM declarations d WHERE d.round_id = r.id AND d.purged_at = 0 AND d.state = 'decided')"

static bool round_row(struct arena *a, sqlite3_stmt *st, struct round_rec *r)
{
	*r = (struct round_rec){
		.id = sqlite3_column_int64(st, 0), .unit_id = sqlite3_column_int64(st, 1),
		.kind = sq_col_text(a, st, 2), .title = sq_col_text(a, st, 3),
		.opens_on = sqlite3_column_int64(st, 4), .closes_on = sqlite3_column_int64(st, 5),
		.created_by = sqlite3_column_int64(st, 8), .created_at = sqlite3_column_int64(st, 9),
		.n_invited = sqlite3_column_int64(st, 10), .n_draft = sqlite3_column_int64(st, 11),
		.n_submitted = sqlite3_column_int64(st, 12), .n_decided = sqlite3_column_int64(st, 13),
	};
	/* a key of the wrong size stays zero: the core's check then refuses it */
	sq_blob_exact(st, 6, r->public_key, STORE_KEY_LEN);
	sq_blob_exact(st, 7, r->mac, STORE_KEY_LEN);
	return r->kind && r->title;
}

int sq_round_get(struct store *s, struct arena *a, int64_t id, struct round_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " ROUND_COLS " FROM rounds r WHERE r.id = ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && round_row(a, st, out);
	sq_done(s, st);
	return ok ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : rc == SQLITE_ROW ? VD_ERR_NOMEM : sq_map_rc(rc);
}

int sq_round_list(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct round_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT " ROUND_COLS " FROM rounds r JOIN round_members m ON m.round_id = r.id"
				      " WHERE m.user_id = ?1 ORDER BY r.id DESC LIMIT ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		oom = !round_row(a, st, &out->items[out->n++]);
	return sq_list_end(s, st, rc, oom);
}

int sq_round_member_get(struct store *s, int64_t round_id, int64_t user_id, struct round_member_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT sealed_key FROM round_members WHERE round_id = ?1 AND user_id = ?2");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, round_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && sq_blob_exact(st, 0, out->sealed_key, STORE_SEALED_KEY_LEN);
	out->user_id = user_id;
	sq_done(s, st);
	return ok ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : rc == SQLITE_ROW ? VD_ERR_STORE : sq_map_rc(rc);
}

int sq_round_member_add(struct store *s, int64_t round_id, const struct round_member_rec *m)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO round_members(round_id, user_id, sealed_key) VALUES(?1, ?2, ?3)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, round_id);
	sqlite3_bind_int64(st, 2, m->user_id);
	sq_bind_blob(st, 3, m->sealed_key, STORE_SEALED_KEY_LEN);
	return sq_exec_done(s, st);
}

int sq_round_members(struct store *s, struct arena *a, int64_t round_id, struct id_list *out)
{
	enum { MAX = 64 };
	out->n = 0;
	if (!(out->ids = arena_alloc(a, MAX * sizeof *out->ids)))
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = sq_prep(s, "SELECT user_id FROM round_members WHERE round_id = ?1 ORDER BY user_id LIMIT 64");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, round_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < MAX)
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	return sq_list_end(s, st, rc, false);
}

int sq_round_questions(struct store *s, struct arena *a, int64_t round_id, struct round_question_recs *out)
{
	enum { MAX = 64 };
	SQ_LIST_BEGIN(out, MAX)
	sqlite3_stmt *st = sq_prep(s, "SELECT id, position, text FROM round_questions WHERE round_id = ?1"
				      " ORDER BY position LIMIT 64");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, round_id);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < MAX) {
		struct round_question_rec *q = &out->items[out->n++];
		q->id = sqlite3_column_int64(st, 0);
		q->position = sqlite3_column_int64(st, 1);
		oom = !(q->text = sq_col_text(a, st, 2));
	}
	return sq_list_end(s, st, rc, oom);
}

/* ---- declarations -------------------------------------------------------------- */

int sq_declaration_insert(struct store *s, const struct declaration_rec *d, int64_t *id)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO declarations(round_id, candidate_id, state, invited_at, invited_by,"
				      " invited_name, purge_after) VALUES(?1, ?2, 'invited', ?3, ?4, ?5, ?6)");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, d->round_id);
	sqlite3_bind_int64(st, 2, d->candidate_id);
	sqlite3_bind_int64(st, 3, d->invited_at);
	sqlite3_bind_int64(st, 4, d->invited_by);
	sq_bind_text(st, 5, d->invited_name);
	sqlite3_bind_int64(st, 6, d->purge_after);
	int rc = sq_exec_done(s, st);
	if (rc == VD_OK)
		*id = sq_last_id(s);
	return rc;
}

#define DECL_COLS                                                                                          \
	"d.id, d.round_id, d.candidate_id, d.state, d.invited_at, d.invited_by, d.saved_at,"               \
	" d.code_version_id, d.signed_at, d.submitted_at, d.interview_on, d.outcome, d.keep_consent,"      \
	" d.decided_at, d.decided_by, d.purge_after, d.purged_at, u.name, u.email, d.invited_name, d.version"
#define DECL_BLOBS ", d.content, d.round_key, d.candidate_key, d.notes, d.notes_key"
#define DECL_BLOB0 21 /* the first of DECL_BLOBS */

static bool declaration_row(struct arena *a, sqlite3_stmt *st, struct declaration_rec *d, bool blobs)
{
	*d = (struct declaration_rec){
		.id = sqlite3_column_int64(st, 0), .round_id = sqlite3_column_int64(st, 1),
		.candidate_id = sqlite3_column_int64(st, 2), .state = sq_col_text(a, st, 3),
		.invited_at = sqlite3_column_int64(st, 4), .invited_by = sqlite3_column_int64(st, 5),
		.saved_at = sqlite3_column_int64(st, 6), .code_version_id = sqlite3_column_int64(st, 7),
		.signed_at = sqlite3_column_int64(st, 8), .submitted_at = sqlite3_column_int64(st, 9),
		.interview_on = sqlite3_column_int64(st, 10), .outcome = sq_col_text(a, st, 11),
		.keep_consent = sqlite3_column_int(st, 12), .decided_at = sqlite3_column_int64(st, 13),
		.decided_by = sqlite3_column_int64(st, 14), .purge_after = sqlite3_column_int64(st, 15),
		.purged_at = sqlite3_column_int64(st, 16), .candidate_name = sq_col_text(a, st, 17),
		.candidate_email = sq_col_text(a, st, 18), .invited_name = sq_col_text(a, st, 19),
		.version = sqlite3_column_int64(st, 20),
	};
	bool oom = false;
	if (blobs) {
		d->content = sq_col_blob(a, st, DECL_BLOB0, &d->content_len, &oom);
		d->round_key = sq_col_blob(a, st, DECL_BLOB0 + 1, &d->round_key_len, &oom);
		d->candidate_key = sq_col_blob(a, st, DECL_BLOB0 + 2, &d->candidate_key_len, &oom);
		d->notes = sq_col_blob(a, st, DECL_BLOB0 + 3, &d->notes_len, &oom);
		d->notes_key = sq_col_blob(a, st, DECL_BLOB0 + 4, &d->notes_key_len, &oom);
	}
	return !oom && d->state && d->outcome && d->candidate_name && d->candidate_email && d->invited_name;
}

int sq_declaration_get(struct store *s, struct arena *a, int64_t id, struct declaration_rec *out)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT " DECL_COLS DECL_BLOBS " FROM declarations d JOIN users u"
				      " ON u.id = d.candidate_id WHERE d.id = ?1 AND d.purged_at = 0");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && declaration_row(a, st, out, true);
	sq_done(s, st);
	return ok ? VD_OK : rc == SQLITE_DONE ? VD_ERR_NOTFOUND : rc == SQLITE_ROW ? VD_ERR_NOMEM : sq_map_rc(rc);
}

int sq_declaration_update(struct store *s, const struct declaration_rec *d)
{
	int rc = sq_atomic_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *st = sq_prep(s, "UPDATE declarations SET state = ?2, content = ?3, round_key = ?4,"
				      " candidate_key = ?5, saved_at = ?6, code_version_id = ?7, signed_at = ?8,"
				      " submitted_at = ?9, interview_on = ?10, notes = ?11, notes_key = ?12, outcome = ?13,"
				      " keep_consent = ?14, decided_at = ?15, decided_by = ?16, purge_after = ?17,"
				      " version = version + 1 WHERE id = ?1 AND version = ?18 AND purged_at = 0");
	if (!st)
		return sq_atomic_end(s, VD_ERR_STORE);
	sqlite3_bind_int64(st, 1, d->id);
	sq_bind_text(st, 2, d->state);
	sq_bind_blob(st, 3, d->content, d->content_len);
	sq_bind_blob(st, 4, d->round_key, d->round_key_len);
	sq_bind_blob(st, 5, d->candidate_key, d->candidate_key_len);
	sqlite3_bind_int64(st, 6, d->saved_at);
	sqlite3_bind_int64(st, 7, d->code_version_id);
	sqlite3_bind_int64(st, 8, d->signed_at);
	sqlite3_bind_int64(st, 9, d->submitted_at);
	sqlite3_bind_int64(st, 10, d->interview_on);
	sq_bind_blob(st, 11, d->notes, d->notes_len);
	sq_bind_blob(st, 12, d->notes_key, d->notes_key_len);
	sq_bind_text(st, 13, d->outcome);
	sqlite3_bind_int(st, 14, d->keep_consent);
	sqlite3_bind_int64(st, 15, d->decided_at);
	sqlite3_bind_int64(st, 16, d->decided_by);
	sqlite3_bind_int64(st, 17, d->purge_after);
	sqlite3_bind_int64(st, 18, d->version);
	rc = sq_exec_change(s, st);
	if (rc == VD_OK && strcmp(d->state, "decided") == 0) {
		/* decided, or withdrawn before the password was chosen: no more link */
		st = sq_prep(s, "DELETE FROM candidate_links WHERE declaration_id = ?1");
		if (!st)
			return sq_atomic_end(s, VD_ERR_STORE);
		sqlite3_bind_int64(st, 1, d->id);
		rc = sq_exec_done(s, st);
	}
	return sq_atomic_end(s, rc);
}

static int declaration_list(struct store *s, struct arena *a, sqlite3_stmt *st, int64_t key, size_t limit,
			    struct declaration_recs *out)
{
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		oom = !declaration_row(a, st, &out->items[out->n++], false);
	return sq_list_end(s, st, rc, oom);
}

int sq_declaration_list_round(struct store *s, struct arena *a, int64_t round_id, size_t limit,
			      struct declaration_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT " DECL_COLS " FROM declarations d JOIN users u ON u.id = d.candidate_id"
				      " WHERE d.round_id = ?1 AND d.purged_at = 0 ORDER BY d.invited_name COLLATE NOCASE, d.id"
				      " LIMIT ?2");
	return st ? declaration_list(s, a, st, round_id, limit, out) : VD_ERR_STORE;
}

int sq_declaration_list_candidate(struct store *s, struct arena *a, int64_t candidate_id, size_t limit,
				  struct declaration_recs *out)
{
	SQ_LIST_BEGIN(out, limit)
	sqlite3_stmt *st = sq_prep(s, "SELECT " DECL_COLS " FROM declarations d JOIN users u ON u.id = d.candidate_id"
				      " WHERE d.candidate_id = ?1 AND d.purged_at = 0 ORDER BY d.id DESC LIMIT ?2");
	return st ? declaration_list(s, a, st, candidate_id, limit, out) : VD_ERR_STORE;
}

/* ---- one-time links ----------------------------------------------------------- */

int sq_candidate_link_put(struct store *s, int64_t declaration_id, const unsigned char hash[STORE_TOKEN_HASH_LEN],
			  int64_t expires_at)
{
	sqlite3_stmt *st = sq_prep(s, "INSERT INTO candidate_links(token_hash, declaration_id, expires_at)"
				      " VALUES(?1, ?2, ?3) ON CONFLICT(declaration_id) DO UPDATE SET"
				      " token_hash = ?1, expires_at = ?3");
	if (!st)
		return VD_ERR_STORE;
	sq_bind_blob(st, 1, hash, STORE_TOKEN_HASH_LEN);
	sqlite3_bind_int64(st, 2, declaration_id);
	sqlite3_bind_int64(st, 3, expires_at);
	return sq_exec_done(s, st);
}

/* One link's row by a statement whose ?1 is the hash (a SELECT, or a
 * DELETE ... RETURNING: one statement, so two takes of the same link
 * cannot both get it). */
static int link_row(struct store *s, sqlite3_stmt *st, const unsigned char hash[STORE_TOKEN_HASH_LEN],
		    int64_t *declaration_id, int64_t *expires_at)
{
	if (!st)
		return VD_ERR_STORE;
	sq_bind_blob(st, 1, hash, STORE_TOKEN_HASH_LEN);
	*declaration_id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*declaration_id = sqlite3_column_int64(st, 0);
		*expires_at = sqlite3_column_int64(st, 1);
		rc = sqlite3_step(st);
	}
	bool found = *declaration_id != 0;
	sq_done(s, st);
	if (rc != SQLITE_DONE)
		return sq_map_rc(rc);
	return found ? VD_OK : VD_ERR_NOTFOUND;
}

int sq_candidate_link_take(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at)
{
	return link_row(s, sq_prep(s, "DELETE FROM candidate_links WHERE token_hash = ?1 RETURNING declaration_id, expires_at"),
			hash, declaration_id, expires_at);
}

int sq_candidate_link_find(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at)
{
	return link_row(s, sq_prep(s, "SELECT declaration_id, expires_at FROM candidate_links WHERE token_hash = ?1"),
			hash, declaration_id, expires_at);
}
