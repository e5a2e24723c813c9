/* store_retention: records whose term is over, and destroying them (store.h). */
#include <string.h>

#include "../../util/arena.h"
#include "../../util/errors.h"
#include "sqlite_internal.h"

int sq_compact(struct store *s)
{
	if (sq_in_transaction(s))
		return VD_ERR_MISUSE;
	sqlite3_stmt *st = sq_prep(s, "PRAGMA wal_checkpoint(TRUNCATE)");
	if (!st)
		return VD_ERR_STORE;
	int rc = sqlite3_step(st);
	/* The row's first column is 1 if a reader kept the checkpoint from
	 * finishing. */
	int busy = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	int ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
	sq_done(s, st);
	return !ok ? sq_map_rc(rc) : busy ? VD_ERR_BUSY : VD_OK;
}

int sq_retention_due(struct store *s, struct arena *a, enum store_kept kind, const struct retention_cutoffs_rec *c,
		     int64_t after_id, size_t limit, struct id_list *out)
{
	out->n = 0;
	out->ids = arena_alloc(a, (limit ? limit : 1) * sizeof *out->ids);
	if (!out->ids)
		return VD_ERR_NOMEM;
	sqlite3_stmt *st = NULL;
	switch (kind) {
	case STORE_KEPT_CASE:
		st = sq_prep(s, "SELECT c.id FROM cases c JOIN case_work w ON w.case_id = c.id"
				" WHERE c.purged_at = 0 AND c.id > ?1 AND w.closed_at > 0 AND w.closed_at <"
				"  CASE WHEN EXISTS (SELECT 1 FROM exceptions e WHERE e.case_id = c.id) THEN ?3 ELSE ?2 END"
				" ORDER BY c.id LIMIT ?4");
		if (st) {
			sqlite3_bind_int64(st, 2, c->case_at);
			sqlite3_bind_int64(st, 3, c->case_exception_at);
		}
		break;
	case STORE_KEPT_COMPLAINT:
		st = sq_prep(s, "SELECT id FROM complaints WHERE purged_at = 0 AND id > ?1 AND open = 0 AND step_at < ?2"
				" ORDER BY id LIMIT ?4");
		if (st)
			sqlite3_bind_int64(st, 2, c->complaint_at);
		break;
	case STORE_KEPT_WB:
		st = sq_prep(s, "SELECT id FROM wb_reports WHERE purged_at = 0 AND id > ?1 AND open = 0"
				" AND closed_day > 0 AND closed_day < ?2 ORDER BY id LIMIT ?4");
		if (st)
			sqlite3_bind_int64(st, 2, c->wb_day);
		break;
	case STORE_KEPT_DECLARATION:
		st = sq_prep(s, "SELECT id FROM declarations WHERE purged_at = 0 AND id > ?1 AND purge_after > 0"
				" AND purge_after <= ?2 ORDER BY id LIMIT ?4");
		if (st)
			sqlite3_bind_int64(st, 2, c->declaration_at);
		break;
	default:
		return VD_ERR_MISUSE;
	}
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 4, (int64_t)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < limit)
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	return sq_list_end(s, st, rc, false);
}

/* The file ids of one record (query binds its id as ?1). */
static int file_ids(struct store *s, struct arena *a, sqlite3_stmt *st, int64_t id, struct text_list *out)
{
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 8;
	out->n = 0;
	out->items = arena_alloc(a, cap * sizeof *out->items);
	bool oom = !out->items;
	int rc = SQLITE_DONE;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			const char **more = arena_alloc(a, 2 * cap * sizeof *more);
			if (!(oom = !more)) {
				memcpy(more, out->items, cap * sizeof *more);
				out->items = more;
				cap *= 2;
			}
		}
		if (!oom)
			oom = !(out->items[out->n++] = sq_col_text(a, st, 0));
	}
	return sq_list_end(s, st, oom ? SQLITE_DONE : rc, oom);
}

/* Runs each statement, the record's id bound as ?1, until one fails. */
static int run_all(struct store *s, const char *const *sqls, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = sq_prep(s, sqls[i]); /* the literals are the cache's keys */
		if (!st)
			return VD_ERR_STORE;
		sqlite3_bind_int64(st, 1, id);
		int rc = sq_exec_done(s, st);
		if (rc)
			return rc;
	}
	return VD_OK;
}

/* The first statement marks the record purged if it is still due (?3 and
 * ?4 the cutoffs); no change: none such, not due, or destroyed already. */
static int mark(struct store *s, sqlite3_stmt *st, int64_t id, int64_t at, int64_t cut, int64_t cut2)
{
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, cut);
	if (sqlite3_bind_parameter_count(st) >= 4)
		sqlite3_bind_int64(st, 4, cut2);
	return sq_exec_change(s, st);
}

static int purge_case(struct store *s, struct arena *a, int64_t id, const struct retention_cutoffs_rec *c, int64_t at,
		      struct text_list *files)
{
	int rc = mark(s, sq_prep(s, "UPDATE cases SET purged_at = ?2, content = X'', key_by_receipt = X'',"
				    " receipt_salt = X'', receipt_verifier = X'', locator = 'purged-' || id"
				    " WHERE id = ?1 AND purged_at = 0 AND EXISTS (SELECT 1 FROM case_work w"
				    "  WHERE w.case_id = cases.id AND w.closed_at > 0 AND w.closed_at < CASE WHEN EXISTS"
				    "  (SELECT 1 FROM exceptions e WHERE e.case_id = cases.id) THEN ?4 ELSE ?3 END)"),
		      id, at, c->case_at, c->case_exception_at);
	if (rc == VD_OK)
		rc = file_ids(s, a, sq_prep(s, "SELECT file_id FROM attachments WHERE case_id = ?1 ORDER BY id"), id, files);
	if (rc)
		return rc;
	static const char *const sqls[] = {
		"DELETE FROM case_keys WHERE case_id = ?1",
		"DELETE FROM escrow_keys WHERE case_id = ?1",
		"DELETE FROM attachments WHERE case_id = ?1",
		"DELETE FROM messages WHERE case_id = ?1",
		"DELETE FROM contacts WHERE case_id = ?1", /* cases.contacts keeps the count */
		"DELETE FROM appointments WHERE case_id = ?1",
		"DELETE FROM consents WHERE case_id = ?1",
		"DELETE FROM conflicts WHERE case_id = ?1",
		"DELETE FROM invitations WHERE case_id = ?1",
		"UPDATE case_work SET inventory = NULL WHERE case_id = ?1",
		"UPDATE exceptions SET content = X'' WHERE case_id = ?1",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

static int purge_complaint(struct store *s, struct arena *a, int64_t id, const struct retention_cutoffs_rec *c,
			   int64_t at, struct text_list *files)
{
	int rc = mark(s, sq_prep(s, "UPDATE complaints SET purged_at = ?2, content = X''"
				    " WHERE id = ?1 AND purged_at = 0 AND open = 0 AND step_at < ?3"),
		      id, at, c->complaint_at, 0);
	if (rc == VD_OK)
		rc = file_ids(s, a,
			      sq_prep(s, "SELECT file_id FROM complaint_attachments WHERE complaint_id = ?1 ORDER BY id"),
			      id, files);
	if (rc)
		return rc;
	/* The terms, pauses, extensions and moves stay: when each step came
	 * is what the annual report counts (terms met). */
	static const char *const sqls[] = {
		"DELETE FROM complaint_keys WHERE complaint_id = ?1",
		"DELETE FROM complaint_attachments WHERE complaint_id = ?1",
		"DELETE FROM complaint_letters WHERE complaint_id = ?1",
		"DELETE FROM complaint_hearings WHERE complaint_id = ?1", /* and who was heard */
		"DELETE FROM complaint_parties WHERE complaint_id = ?1",
		"UPDATE complaint_moves SET reason = NULL WHERE complaint_id = ?1",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

static int purge_wb(struct store *s, struct arena *a, int64_t id, const struct retention_cutoffs_rec *c, int64_t at,
		    struct text_list *files)
{
	int rc = mark(s, sq_prep(s, "UPDATE wb_reports SET purged_at = ?2, content = X'', identity = NULL,"
				    " mailbox_by_receipt = X'', mailbox_by_report = X'', receipt_salt = X'',"
				    " receipt_verifier = X'', locator = 'purged-' || id WHERE id = ?1 AND purged_at = 0"
				    " AND open = 0 AND closed_day > 0 AND closed_day < ?3"),
		      id, at, c->wb_day, 0);
	if (rc == VD_OK)
		rc = file_ids(s, a, sq_prep(s, "SELECT file_id FROM wb_attachments WHERE report_id = ?1 ORDER BY id"), id,
			      files);
	if (rc)
		return rc;
	static const char *const sqls[] = {
		"DELETE FROM wb_report_keys WHERE report_id = ?1",
		"DELETE FROM wb_attachments WHERE report_id = ?1",
		"DELETE FROM wb_events WHERE report_id = ?1",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

/* A declaration: its answers, the committee's notes, every key and its
 * link go. Its candidate's account goes with its last declaration: the
 * name and address are emptied, its key pair, second factor and sessions
 * removed. The round, its questions and the declaration's dates and
 * outcome stay (the name typed at the invitation goes too). */
static int purge_declaration(struct store *s, int64_t id, const struct retention_cutoffs_rec *c, int64_t at)
{
	int rc = mark(s, sq_prep(s, "UPDATE declarations SET purged_at = ?2, content = NULL, round_key = NULL,"
				    " candidate_key = NULL, notes = NULL, notes_key = NULL, invited_name = ''"
				    " WHERE id = ?1 AND purged_at = 0"
				    " AND purge_after > 0 AND purge_after <= ?3"),
		      id, at, c->declaration_at, 0);
	if (rc)
		return rc;
	static const char *const sqls[] = {
		"DELETE FROM candidate_links WHERE declaration_id = ?1",
		"DELETE FROM user_keys WHERE user_id = (SELECT candidate_id FROM declarations WHERE id = ?1)"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = user_keys.user_id AND o.purged_at = 0)",
		"DELETE FROM sessions WHERE user_id = (SELECT candidate_id FROM declarations WHERE id = ?1)"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = sessions.user_id AND o.purged_at = 0)",
		"DELETE FROM backup_codes WHERE user_id = (SELECT candidate_id FROM declarations WHERE id = ?1)"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = backup_codes.user_id"
		" AND o.purged_at = 0)",
		"UPDATE users SET name = '', email = 'removed-' || id || '@invalid', password_hash = '', active = 0,"
		" totp_secret = NULL, totp_on = 0, totp_last_step = 0"
		" WHERE id = (SELECT candidate_id FROM declarations WHERE id = ?1) AND role = 'candidate'"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = users.id AND o.purged_at = 0)",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

int sq_record_purge(struct store *s, struct arena *a, enum store_kept kind, int64_t id,
		    const struct retention_cutoffs_rec *c, int64_t at, struct text_list *files)
{
	files->n = 0;
	files->items = NULL;
	int rc = sq_atomic_begin(s);
	if (rc)
		return rc;
	switch (kind) {
	case STORE_KEPT_CASE: rc = purge_case(s, a, id, c, at, files); break;
	case STORE_KEPT_COMPLAINT: rc = purge_complaint(s, a, id, c, at, files); break;
	case STORE_KEPT_WB: rc = purge_wb(s, a, id, c, at, files); break;
	case STORE_KEPT_DECLARATION: rc = purge_declaration(s, id, c, at); break;
	default: rc = VD_ERR_MISUSE; break;
	}
	rc = sq_atomic_end(s, rc);
	if (rc)
		files->n = 0;
	return rc;
}

int sq_log_subjects_purge(struct store *s, int64_t before, int64_t *n)
{
	sqlite3_stmt *st =
	    sq_prep(s, "UPDATE counsellor_log SET subject = NULL WHERE subject IS NOT NULL AND created_at < ?1");
	if (!st)
		return VD_ERR_STORE;
	sqlite3_bind_int64(st, 1, before);
	int rc = sq_exec_done(s, st); /* st may be finalized now: ask the connection */
	*n = rc == VD_OK ? sq_changes(s) : 0;
	return rc;
}
