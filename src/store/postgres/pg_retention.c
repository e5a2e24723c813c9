/* pg_retention: records whose term is over, and destroying them, on
 * PostgreSQL (store.h); the SQLite store's store_retention.c does the same. */
#include <stdlib.h>
#include <string.h>

#include "../../util/errors.h"
#include "pg_internal.h"

/* The tables whose rows a purge deletes or empties (with the rows their
 * foreign keys delete with them). */
#define PURGED_TABLES                                                                                    \
	"cases, case_keys, escrow_keys, attachments, messages, contacts, appointments, consents, conflicts," \
	" invitations, case_work, exceptions, complaints, complaint_keys, complaint_attachments,"            \
	" complaint_letters, complaint_hearings, complaint_heard, complaint_parties, complaint_moves,"       \
	" wb_reports, wb_report_keys, wb_attachments, wb_events, declarations, candidate_links, user_keys,"  \
	" sessions, backup_codes, users, counsellor_log"

/* An UPDATE or DELETE leaves the old row versions in the table until a
 * VACUUM removes them: here that is what SQLite's checkpoint is. VACUUM
 * keeps a version that a snapshot still sees, so a transaction of another
 * session that began before it means VD_ERR_BUSY: try again later. (The
 * freed space is not zeroed, as SQLite's secure_delete does, nor the
 * write-ahead log: PostgreSQL has no such setting.) */
int pg_compact(struct store *s)
{
	if (pg_in_transaction(s))
		return VD_ERR_MISUSE; /* VACUUM runs in no transaction block */
	int64_t now, held;
	int rc = pg_one_int(s, "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::int8", NULL, &now);
	if (rc)
		return rc;
	struct pg_params p = { 0 };
	pg_int(&p, now);
	rc = pg_exec(s, "VACUUM " PURGED_TABLES, NULL);
	if (rc)
		return rc;
	rc = pg_one_int(s, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
			   " AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL"
			   " AND (extract(epoch FROM xact_start) * 1000000)::int8 < $1)", &p, &held);
	if (rc)
		return rc;
	return held ? VD_ERR_BUSY : VD_OK;
}

int pg_retention_due(struct store *s, struct arena *a, enum store_kept kind, const struct retention_cutoffs_rec *c,
		     int64_t after_id, size_t limit, struct id_list *out)
{
	out->n = 0;
	out->ids = arena_alloc(a, (limit ? limit : 1) * sizeof *out->ids);
	if (!out->ids)
		return VD_ERR_NOMEM;
	/* $1 after_id, then the cutoffs, then the limit */
	struct pg_params p = { 0 };
	pg_int(&p, after_id);
	const char *sql;
	switch (kind) {
	case STORE_KEPT_CASE:
		sql = "SELECT c.id FROM cases c JOIN case_work w ON w.case_id = c.id"
		      " WHERE c.purged_at = 0 AND c.id > $1 AND w.closed_at > 0 AND w.closed_at < CASE WHEN EXISTS"
		      "  (SELECT 1 FROM exceptions e WHERE e.case_id = c.id) THEN $3::int8 ELSE $2::int8 END"
		      " ORDER BY c.id LIMIT $4";
		pg_int(&p, c->case_at);
		pg_int(&p, c->case_exception_at);
		break;
	case STORE_KEPT_COMPLAINT:
		sql = "SELECT id FROM complaints WHERE purged_at = 0 AND id > $1 AND open = 0 AND step_at < $2"
		      " ORDER BY id LIMIT $3";
		pg_int(&p, c->complaint_at);
		break;
	case STORE_KEPT_WB:
		sql = "SELECT id FROM wb_reports WHERE purged_at = 0 AND id > $1 AND open = 0"
		      " AND closed_day > 0 AND closed_day < $2 ORDER BY id LIMIT $3";
		pg_int(&p, c->wb_day);
		break;
	case STORE_KEPT_DECLARATION:
		sql = "SELECT id FROM declarations WHERE purged_at = 0 AND id > $1 AND purge_after > 0"
		      " AND purge_after <= $2 ORDER BY id LIMIT $3";
		pg_int(&p, c->declaration_at);
		break;
	default:
		return VD_ERR_MISUSE;
	}
	pg_int(&p, (int64_t)limit);
	PGresult *r;
	int rc = pg_run(s, sql, &p, &r);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && out->n < limit; i++)
		out->ids[out->n++] = pg_get_int(r, i, 0);
	PQclear(r);
	return VD_OK;
}

/* The file ids of record id (sql binds it as $1). */
static int file_ids(struct store *s, struct arena *a, const char *sql, int64_t id, struct text_list *out)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	void *items;
	int rc = pg_rows(s, a, sql, &p, sizeof *out->items, SIZE_MAX, pg_read_text, &items, &out->n);
	out->items = items;
	return rc;
}

/* Runs each statement, the record's id bound as $1, until one fails. */
static int run_all(struct store *s, const char *const *sqls, size_t n, int64_t id)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		rc = pg_exec(s, sqls[i], &p);
	return rc;
}

/* The first statement of a purge marks the record purged if it is still
 * due: $1 the record, $2 the moment, $3 (and $4) the cutoffs. No change:
 * none such, not due, or destroyed already (pg_exec_change: VD_ERR_NOTFOUND). */
static void mark_params(struct pg_params *p, int64_t id, int64_t at, int64_t cut)
{
	pg_int(p, id);
	pg_int(p, at);
	pg_int(p, cut);
}

static int purge_case(struct store *s, struct arena *a, int64_t id, const struct retention_cutoffs_rec *c, int64_t at,
		      struct text_list *files)
{
	struct pg_params p = { 0 };
	mark_params(&p, id, at, c->case_at);
	pg_int(&p, c->case_exception_at);
	int rc = pg_exec_change(s, "UPDATE cases SET purged_at = $2, content = '\\x'::bytea,"
				   " key_by_receipt = '\\x'::bytea, receipt_salt = '\\x'::bytea,"
				   " receipt_verifier = '\\x'::bytea, locator = 'purged-' || id"
				   " WHERE id = $1 AND purged_at = 0 AND EXISTS (SELECT 1 FROM case_work w"
				   "  WHERE w.case_id = cases.id AND w.closed_at > 0 AND w.closed_at < CASE WHEN EXISTS"
				   "  (SELECT 1 FROM exceptions e WHERE e.case_id = cases.id)"
				   "  THEN $4::int8 ELSE $3::int8 END)", &p);
	if (rc == VD_OK)
		rc = file_ids(s, a, "SELECT file_id FROM attachments WHERE case_id = $1 ORDER BY id", id, files);
	if (rc)
		return rc;
	static const char *const sqls[] = {
		"DELETE FROM case_keys WHERE case_id = $1",
		"DELETE FROM escrow_keys WHERE case_id = $1",
		"DELETE FROM attachments WHERE case_id = $1",
		"DELETE FROM messages WHERE case_id = $1",
		"DELETE FROM contacts WHERE case_id = $1", /* cases.contacts keeps the count */
		"DELETE FROM appointments WHERE case_id = $1",
		"DELETE FROM consents WHERE case_id = $1",
		"DELETE FROM conflicts WHERE case_id = $1",
		"DELETE FROM invitations WHERE case_id = $1",
		"UPDATE case_work SET inventory = NULL WHERE case_id = $1",
		"UPDATE exceptions SET content = '\\x'::bytea WHERE case_id = $1",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

static int purge_complaint(struct store *s, struct arena *a, int64_t id, const struct retention_cutoffs_rec *c,
			   int64_t at, struct text_list *files)
{
	struct pg_params p = { 0 };
	mark_params(&p, id, at, c->complaint_at);
	int rc = pg_exec_change(s, "UPDATE complaints SET purged_at = $2, content = '\\x'::bytea"
				   " WHERE id = $1 AND purged_at = 0 AND open = 0 AND step_at < $3", &p);
	if (rc == VD_OK)
		rc = file_ids(s, a, "SELECT file_id FROM complaint_attachments WHERE complaint_id = $1 ORDER BY id", id,
			      files);
	if (rc)
		return rc;
	/* The terms, pauses, extensions and moves stay: when each step came
	 * is what the annual report counts (terms met). */
	static const char *const sqls[] = {
		"DELETE FROM complaint_keys WHERE complaint_id = $1",
		"DELETE FROM complaint_attachments WHERE complaint_id = $1",
		"DELETE FROM complaint_letters WHERE complaint_id = $1",
		"DELETE FROM complaint_hearings WHERE complaint_id = $1", /* and who was heard */
		"DELETE FROM complaint_parties WHERE complaint_id = $1",
		"UPDATE complaint_moves SET reason = NULL WHERE complaint_id = $1",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

static int purge_wb(struct store *s, struct arena *a, int64_t id, const struct retention_cutoffs_rec *c, int64_t at,
		    struct text_list *files)
{
	struct pg_params p = { 0 };
	mark_params(&p, id, at, c->wb_day);
	int rc = pg_exec_change(s, "UPDATE wb_reports SET purged_at = $2, content = '\\x'::bytea, identity = NULL,"
				   " mailbox_by_receipt = '\\x'::bytea, mailbox_by_report = '\\x'::bytea,"
				   " receipt_salt = '\\x'::bytea, receipt_verifier = '\\x'::bytea,"
				   " locator = 'purged-' || id WHERE id = $1 AND purged_at = 0 AND open = 0"
				   " AND closed_day > 0 AND closed_day < $3", &p);
	if (rc == VD_OK)
		rc = file_ids(s, a, "SELECT file_id FROM wb_attachments WHERE report_id = $1 ORDER BY id", id, files);
	if (rc)
		return rc;
	static const char *const sqls[] = {
		"DELETE FROM wb_report_keys WHERE report_id = $1",
		"DELETE FROM wb_attachments WHERE report_id = $1",
		"DELETE FROM wb_events WHERE report_id = $1",
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
	struct pg_params p = { 0 };
	mark_params(&p, id, at, c->declaration_at);
	int rc = pg_exec_change(s, "UPDATE declarations SET purged_at = $2, content = NULL, round_key = NULL,"
				   " candidate_key = NULL, notes = NULL, notes_key = NULL, invited_name = ''"
				   " WHERE id = $1 AND purged_at = 0 AND purge_after > 0 AND purge_after <= $3", &p);
	if (rc)
		return rc;
	static const char *const sqls[] = {
		"DELETE FROM candidate_links WHERE declaration_id = $1",
		"DELETE FROM user_keys WHERE user_id = (SELECT candidate_id FROM declarations WHERE id = $1)"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = user_keys.user_id AND o.purged_at = 0)",
		"DELETE FROM sessions WHERE user_id = (SELECT candidate_id FROM declarations WHERE id = $1)"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = sessions.user_id AND o.purged_at = 0)",
		"DELETE FROM backup_codes WHERE user_id = (SELECT candidate_id FROM declarations WHERE id = $1)"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = backup_codes.user_id"
		" AND o.purged_at = 0)",
		"UPDATE users SET name = '', email = 'removed-' || id || '@invalid', password_hash = '', active = 0,"
		" totp_secret = NULL, totp_on = 0, totp_last_step = 0"
		" WHERE id = (SELECT candidate_id FROM declarations WHERE id = $1) AND role = 'candidate'"
		" AND NOT EXISTS (SELECT 1 FROM declarations o WHERE o.candidate_id = users.id AND o.purged_at = 0)",
	};
	return run_all(s, sqls, sizeof sqls / sizeof sqls[0], id);
}

int pg_record_purge(struct store *s, struct arena *a, enum store_kept kind, int64_t id,
		    const struct retention_cutoffs_rec *c, int64_t at, struct text_list *files)
{
	files->n = 0;
	files->items = NULL;
	int rc = pg_atomic_begin(s);
	if (rc)
		return rc;
	switch (kind) {
	case STORE_KEPT_CASE: rc = purge_case(s, a, id, c, at, files); break;
	case STORE_KEPT_COMPLAINT: rc = purge_complaint(s, a, id, c, at, files); break;
	case STORE_KEPT_WB: rc = purge_wb(s, a, id, c, at, files); break;
	case STORE_KEPT_DECLARATION: rc = purge_declaration(s, id, c, at); break;
	default: rc = VD_ERR_MISUSE; break;
	}
	rc = pg_atomic_end(s, rc);
	if (rc)
		files->n = 0;
	return rc;
}

int pg_log_subjects_purge(struct store *s, int64_t before, int64_t *n)
{
	struct pg_params p = { 0 };
	pg_int(&p, before);
	PGresult *r;
	*n = 0;
	int rc = pg_run(s, "UPDATE counsellor_log SET subject = NULL WHERE subject IS NOT NULL AND created_at < $1", &p,
			&r);
	if (rc)
		return rc;
	*n = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return VD_OK;
}
