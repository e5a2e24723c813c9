/*
 * What the files of the SQLite store share: statement helpers (defined in
 * store_sqlite.c) and the functions of the other files that go into the one
 * store_ops table. Not for use outside src/store/sqlite/.
 */
#ifndef VD_SQLITE_INTERNAL_H
#define VD_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "../../util/buf.h"
#include "../store.h"

/* A reset, cleared statement for sql (which must be a string literal: it is
 * the cache key); NULL on failure. Give it back with sq_done(). */
sqlite3_stmt *sq_prep(struct store *s, const char *sql);
void sq_done(struct store *s, sqlite3_stmt *st);
int sq_map_rc(int rc);
/* An operation of several statements, atomic on its own: begin, then end
 * with its result (rolled back unless VD_OK). */
int sq_atomic_begin(struct store *s);
int sq_atomic_end(struct store *s, int rc);
bool sq_in_transaction(struct store *s);
/* The calling thread's connection, for SQL made at run time (store_rows.c);
 * and where load_begin keeps the triggers it held off, till load_end. */
sqlite3 *sq_db(struct store *s);
char **sq_held_triggers(struct store *s);
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
const char *sq_col_text(struct arena *a, sqlite3_stmt *st, int i);
/* Runs a statement that returns no rows. */
int sq_exec_done(struct store *s, sqlite3_stmt *st);
/* Same, VD_ERR_NOTFOUND when no row changed. */
int sq_exec_change(struct store *s, sqlite3_stmt *st);
int sq_exec_delete(struct store *s, sqlite3_stmt *st);
/* Rows the calling thread's last statement changed. */
int64_t sq_changes(struct store *s);
int64_t sq_last_id(struct store *s);
/* A blob column copied into the arena (NULL with *n 0 when it is NULL;
 * *oom set when the arena is full). */
const unsigned char *sq_col_blob(struct arena *a, sqlite3_stmt *st, int i, size_t *n, bool *oom);
/* Binds p, or NULL when p is NULL. */
void sq_bind_blob(sqlite3_stmt *st, int i, const unsigned char *p, size_t n);
/* Ends a list query: gives st back and maps its last step's result. */
/* Copies a blob column of exactly n bytes; 0 if its size is wrong. */
int sq_blob_exact(sqlite3_stmt *st, int col, void *out, int n);
int sq_list_end(struct store *s, sqlite3_stmt *st, int rc, bool oom);
/* Starts a list query: room for limit items of *out in the arena a. */
#define SQ_LIST_BEGIN(out, limit)                                                      \
	(out)->n = 0;                                                                  \
	(out)->items = arena_alloc(a, ((limit) ? (limit) : 1) * sizeof *(out)->items); \
	if (!(out)->items)                                                             \
		return VD_ERR_NOMEM;

/* store_throttle.c */
int sq_throttle_get(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN], struct throttle_rec *out);
int sq_throttle_put(struct store *s, const struct throttle_rec *r);
int sq_throttle_delete(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN]);
int sq_throttle_purge(struct store *s, int64_t before);

/* store_rows.c */
int sq_rows_each(struct store *s, store_row_fn fn, void *ctx);
int sq_load_begin(struct store *s);
int sq_load_row(struct store *s, const struct store_row *row);
int sq_load_end(struct store *s, int rc);

/* store_declarations.c */
int sq_round_insert(struct store *s, const struct round_rec *r, const struct round_member_rec *members,
		    size_t nmembers, const char *const *questions, size_t nquestions, int64_t *id);
int sq_round_get(struct store *s, struct arena *a, int64_t id, struct round_rec *out);
int sq_round_list(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct round_recs *out);
int sq_round_member_get(struct store *s, int64_t round_id, int64_t user_id, struct round_member_rec *out);
int sq_round_member_add(struct store *s, int64_t round_id, const struct round_member_rec *m);
int sq_round_members(struct store *s, struct arena *a, int64_t round_id, struct id_list *out);
int sq_round_questions(struct store *s, struct arena *a, int64_t round_id, struct round_question_recs *out);
int sq_declaration_insert(struct store *s, const struct declaration_rec *d, int64_t *id);
int sq_declaration_get(struct store *s, struct arena *a, int64_t id, struct declaration_rec *out);
int sq_declaration_update(struct store *s, const struct declaration_rec *d);
int sq_declaration_list_round(struct store *s, struct arena *a, int64_t round_id, size_t limit,
			      struct declaration_recs *out);
int sq_declaration_list_candidate(struct store *s, struct arena *a, int64_t candidate_id, size_t limit,
				  struct declaration_recs *out);
int sq_candidate_link_put(struct store *s, int64_t declaration_id, const unsigned char hash[STORE_TOKEN_HASH_LEN],
			  int64_t expires_at);
int sq_candidate_link_take(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at);
int sq_candidate_link_find(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at);

/* store_documents.c */
int sq_doc_version_add(struct store *s, const struct doc_version_rec *d, int64_t *id);
int sq_doc_version_get(struct store *s, struct arena *a, int64_t id, struct doc_version_rec *out);
int sq_doc_version_current(struct store *s, struct arena *a, const char *kind, int64_t unit_id,
			   struct doc_version_rec *out);
int sq_doc_version_list(struct store *s, struct arena *a, const char *kind, size_t limit,
			struct doc_version_recs *out);

/* store_escrow.c */
int sq_escrow_get(struct store *s, struct arena *a, struct escrow_rec *out);
int sq_escrow_put(struct store *s, const struct escrow_rec *e);
int sq_escrow_key_put(struct store *s, int64_t case_id, const unsigned char sealed[STORE_SEALED_KEY_LEN]);
int sq_escrow_key_get(struct store *s, int64_t case_id, unsigned char sealed[STORE_SEALED_KEY_LEN]);
int sq_escrow_uncovered(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct id_list *out);
int sq_user_case_ids(struct store *s, struct arena *a, int64_t user_id, struct id_list *out);
int sq_escrow_request_insert(struct store *s, const struct escrow_request_rec *r, int64_t *id);
int sq_escrow_request_get(struct store *s, struct arena *a, int64_t id, struct escrow_request_rec *out);
int sq_escrow_request_list(struct store *s, struct arena *a, size_t limit, struct escrow_request_recs *out);
int sq_escrow_request_end(struct store *s, int64_t id, const char *from, const char *to, int64_t moved,
			  int64_t not_moved, int64_t at);
int sq_escrow_approval_put(struct store *s, const struct escrow_approval_rec *p);
int sq_escrow_approval_list(struct store *s, struct arena *a, int64_t request_id, struct escrow_approval_recs *out);

/* store_retention.c */
int sq_compact(struct store *s);
int sq_retention_due(struct store *s, struct arena *a, enum store_kept kind, const struct retention_cutoffs_rec *c,
		     int64_t after_id, size_t limit, struct id_list *out);
int sq_record_purge(struct store *s, struct arena *a, enum store_kept kind, int64_t id,
		    const struct retention_cutoffs_rec *c, int64_t at, struct text_list *files);
int sq_log_subjects_purge(struct store *s, int64_t before, int64_t *n);

/* store_casework.c */
int sq_case_work_get(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out);
int sq_case_work_claim(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out);
int sq_case_work_put(struct store *s, const struct case_work_rec *w);
int sq_case_set_phase(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at, int64_t by);
int sq_phase_move_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct phase_move_recs *out);
int sq_case_set_stats(struct store *s, int64_t case_id, const struct case_stats_rec *st);
int sq_contact_insert(struct store *s, const struct contact_rec *c, int64_t *id);
int sq_contact_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct contact_recs *out);
int sq_appointment_insert(struct store *s, const struct appointment_rec *ap, int64_t *id);
int sq_appointment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			struct appointment_recs *out);
int sq_consent_insert(struct store *s, const struct consent_rec *c, int64_t *id);
int sq_consent_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct consent_recs *out);
int sq_case_reader_replace(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to);
int sq_conflict_put(struct store *s, int64_t case_id, int64_t user_id, int64_t at);
int sq_conflict_list(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);
int sq_exception_insert(struct store *s, const struct exception_rec *e, int64_t *id);
int sq_exception_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct exception_recs *out);
int sq_dashboard(struct store *s, struct arena *a, int64_t user_id, const struct dashboard_query *q,
		 struct dashboard_rec *out);

/* store_complaint_parties.c */
int sq_complaint_party_insert(struct store *s, const struct complaint_party_rec *p, int64_t *id);
int sq_complaint_party_find_locator(struct store *s, struct arena *a, const char *locator,
				    struct complaint_party_rec *out);
int sq_complaint_party_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_party_recs *out);
int sq_complaint_party_supported(struct store *s, struct arena *a, int64_t user_id, size_t limit,
				 struct complaint_party_recs *out);
int sq_complaint_letter_insert(struct store *s, const struct complaint_letter_rec *l, int64_t *id);
int sq_complaint_letter_list(struct store *s, struct arena *a, int64_t complaint_id, int64_t party_id, size_t limit,
			     struct complaint_letter_recs *out);
int sq_complaint_letter_count(struct store *s, int64_t party_id, const char *kind, int64_t *n);
int sq_complaint_hearing_insert(struct store *s, const struct complaint_hearing_rec *h, int64_t *id);
int sq_complaint_hearing_update(struct store *s, const struct complaint_hearing_rec *h);
int sq_complaint_hearing_list(struct store *s, struct arena *a, int64_t complaint_id,
			      struct complaint_hearing_recs *out);
int sq_complaint_heard_insert(struct store *s, const struct complaint_heard_rec *h);
int sq_complaint_heard_update(struct store *s, const struct complaint_heard_rec *h);
int sq_complaint_heard_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_heard_recs *out);

/* store_complaints.c */
int sq_complaint_insert(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys, size_t nkeys,
			int64_t *id);
int sq_complaint_get(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out);
int sq_complaint_claim(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out);
int sq_complaint_update(struct store *s, const struct complaint_rec *c);
int sq_complaint_key_get(struct store *s, int64_t complaint_id, int64_t user_id, struct case_key_rec *out);
int sq_complaint_readers(struct store *s, struct arena *a, int64_t complaint_id, struct id_list *out);
int sq_complaint_list(struct store *s, struct arena *a, const struct complaint_query *q, struct complaint_recs *out);
int sq_complaint_without_terms(struct store *s, struct arena *a, size_t limit, struct id_list *out);
int sq_complaint_open_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct id_list *out);
int sq_complaint_term_insert(struct store *s, const struct complaint_term_rec *t, int64_t *id);
int sq_complaint_term_update(struct store *s, const struct complaint_term_rec *t);
int sq_complaint_running_terms(struct store *s, struct arena *a, const struct complaint_query *q,
			       struct complaint_term_recs *out);
int sq_complaint_terms_due(struct store *s, struct arena *a, int64_t until_day, int64_t all_bits, const char *kind,
			   size_t limit, struct complaint_term_recs *out);
int sq_complaint_term_remind(struct store *s, int64_t term_id, int64_t bit);
int sq_complaint_term_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_term_recs *out);
int sq_complaint_pause_insert(struct store *s, const struct complaint_pause_rec *p, int64_t *id);
int sq_complaint_pause_end(struct store *s, int64_t complaint_id, int64_t to_day);
int sq_complaint_pause_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_pause_recs *out);
int sq_complaint_extension_insert(struct store *s, const struct complaint_extension_rec *e, int64_t *id);
int sq_complaint_extension_list(struct store *s, struct arena *a, int64_t complaint_id,
				struct complaint_extension_recs *out);
int sq_complaint_move_insert(struct store *s, const struct complaint_move_rec *m, int64_t *id);
int sq_complaint_move_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
			   struct complaint_move_recs *out);

/* store_whistle.c */
/* The units as a JSON array of numbers, for json_each: one bound parameter
 * however many units there are (store_complaints.c). */
int sq_units_json(const int64_t *units, size_t n, struct buf *b);
int sq_wb_report_rekey(struct store *s, const struct wb_report_rec *r);
int sq_case_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct case_stat_counts_rec *out);
int sq_wb_stat_rows(struct store *s, struct arena *a, const struct stat_query *q, struct wb_stat_recs *out);
int sq_question_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct stat_column_rec *out);
/* store_totp.c */
int sq_user_totp_get(struct store *s, struct arena *a, int64_t user_id, struct user_totp_rec *out);
int sq_user_totp_put(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
		     const unsigned char (*backup_hashes)[STORE_BACKUP_HASH_LEN], size_t n);
int sq_user_totp_use_step(struct store *s, int64_t user_id, int64_t step);
int sq_backup_code_use(struct store *s, int64_t user_id, const unsigned char hash[STORE_BACKUP_HASH_LEN],
		       int64_t *left);
int sq_backup_codes_left(struct store *s, int64_t user_id, int64_t *left);
int sq_session_second_factor_done(struct store *s, const unsigned char *token_hash);
/* store_annual.c */
int sq_annual_report_get(struct store *s, struct arena *a, int64_t unit_id, int64_t year, struct annual_report_rec *out);
int sq_annual_report_put(struct store *s, const struct annual_report_rec *r);
int sq_annual_report_publish(struct store *s, const struct annual_report_rec *r);
int sq_annual_report_list(struct store *s, struct arena *a, int64_t year, bool published_only, size_t limit,
			  struct annual_report_recs *out);
int sq_complaint_stat_rows(struct store *s, struct arena *a, const struct stat_query *q,
			   struct complaint_stat_recs *out);
int sq_wb_report_insert(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys, size_t nkeys,
			int64_t *id);
int sq_wb_report_get(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out);
int sq_wb_report_claim(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out);
int sq_wb_report_find_locator(struct store *s, struct arena *a, const char *locator, struct wb_report_rec *out);
int sq_wb_report_update(struct store *s, const struct wb_report_rec *r);
int sq_wb_key_get(struct store *s, int64_t report_id, int64_t user_id, struct wb_key_rec *out);
int sq_wb_report_list(struct store *s, struct arena *a, const struct wb_query *q, struct wb_report_recs *out);
int sq_wb_reports_due(struct store *s, struct arena *a, int64_t until_day, size_t limit, struct wb_report_recs *out);
int sq_wb_report_remind(struct store *s, int64_t id, int64_t bit);
int sq_wb_event_insert(struct store *s, const struct wb_event_rec *e, int64_t *id);
int sq_wb_event_count(struct store *s, int64_t report_id, int64_t *n);
int sq_wb_event_list(struct store *s, struct arena *a, int64_t report_id, size_t limit, struct wb_event_recs *out);

#endif
