/*
 * pg_internal: what the PostgreSQL store's files share (issue 15).
 *
 * One connection per thread, as the SQLite store (a pthread key). Every
 * value goes to the server as a bound parameter (PQexecParams), integers
 * and bytes in binary, and every answer comes back in binary, so no value is
 * ever part of the SQL text and bytes need no escaping.
 */
#ifndef VD_PG_INTERNAL_H
#define VD_PG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "../../util/arena.h"
#include "../store.h"

#define PG_PARAMS_MAX 48 /* the widest table has 27 columns (load_row) */

/* The parameters of one statement, $1 upwards in the order added. */
struct pg_params {
	int n;
	const char *values[PG_PARAMS_MAX];
	int lengths[PG_PARAMS_MAX];
	int formats[PG_PARAMS_MAX];
	unsigned char ints[PG_PARAMS_MAX][8]; /* int8 in network order */
};

void pg_int(struct pg_params *p, int64_t v);
void pg_id_or_null(struct pg_params *p, int64_t id);            /* 0: SQL NULL (no row) */
void pg_text(struct pg_params *p, const char *s);              /* NULL: '' */
void pg_blob(struct pg_params *p, const void *b, size_t n);     /* NULL: SQL NULL */
struct buf;
/* Units as one parameter: an int8[] in its text form ("{1,4,5}"), for
 * unit_id = ANY($k::int8[]): one parameter however many units there are,
 * as SQLite's JSON. VD_ERR_TOOBIG for more than b holds; b must outlive
 * the statement (the parameter points into it). */
#define PG_UNITS_BYTES (64 * 1024)
int pg_units(struct pg_params *p, const int64_t *units, size_t n, struct buf *b);

/* The calling thread's connection (opened on first use); NULL if it cannot. */
PGconn *pg_conn(struct store *s);

/* Runs sql with p (NULL: none). *res gets the result to read and PQclear,
 * on VD_OK only. VD_ERR_* from the server's SQLSTATE (store.h, "Errors"). */
int pg_run(struct store *s, const char *sql, const struct pg_params *p, PGresult **res);
/* The same for a statement whose rows are not read. */
int pg_exec(struct store *s, const char *sql, const struct pg_params *p);
/* The same, but VD_ERR_NOTFOUND when it changed no row. */
int pg_exec_change(struct store *s, const char *sql, const struct pg_params *p);
/* A DELETE: VD_ERR_NOTFOUND when no row went, VD_ERR_INUSE when a foreign
 * key still names the row. */
int pg_exec_delete(struct store *s, const char *sql, const struct pg_params *p);
/* An INSERT ... RETURNING id: the id into *id. */
int pg_insert_id(struct store *s, const char *sql, const struct pg_params *p, int64_t *id);

/* Reading a binary result: integers of any width, texts and bytes copied
 * into the arena (NULL only when the arena is full). */
int64_t pg_get_int(const PGresult *r, int row, int col);
const char *pg_get_text(struct arena *a, const PGresult *r, int row, int col);
/* Exactly n bytes into out: false if the value has another length. */
bool pg_get_exact(const PGresult *r, int row, int col, unsigned char *out, size_t n);
/* Bytes copied into the arena; NULL with *n 0 for SQL NULL, NULL with *oom
 * set when the arena is full. */
const unsigned char *pg_get_blob(struct arena *a, const PGresult *r, int row, int col, size_t *n, bool *oom);

/* Reads row of r into item (an element of a list, or the one record asked
 * for): VD_OK, or the error that ends the reading (VD_ERR_NOMEM when the
 * arena is full, VD_ERR_STORE for a damaged row). */
typedef int (*pg_read_fn)(struct arena *a, const PGresult *r, int row, void *item);
/* The rows of r, at most limit (SIZE_MAX: all), each read into an item of
 * size bytes of *items (in the arena, room for one when there are none);
 * *n counts them. */
int pg_read_rows(struct arena *a, const PGresult *r, size_t size, size_t limit, pg_read_fn read, void **items,
		 size_t *n);
/* The same for the rows of sql with p (pg_run's errors; *items NULL then). */
int pg_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, size_t size, size_t limit,
	    pg_read_fn read, void **items, size_t *n);
/* pg_rows, all rows, of sql with $1 id (the owner, say) and $2 limit (its LIMIT). */
int pg_rows_of(struct store *s, struct arena *a, const char *sql, int64_t id, size_t limit, size_t size,
	       pg_read_fn read, void **items, size_t *n);
/* The one row of sql with p into item; VD_ERR_NOTFOUND unless there is
 * exactly one. */
int pg_one(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, pg_read_fn read, void *item);
/* The integer in column 0 of the one row of sql with p (a count, say) into
 * *v; 0 unless there is exactly one row. */
int pg_one_int(struct store *s, const char *sql, const struct pg_params *p, int64_t *v);
/* Readers of column 0: an int64_t, a text (a const char * into the arena). */
int pg_read_id(struct arena *a, const PGresult *r, int row, void *id);
int pg_read_text(struct arena *a, const PGresult *r, int row, void *text);
/* The ids in column 0 of every row of sql with p, into the arena. */
int pg_ids(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, struct id_list *out);
/* A sealed key in column 0 of the one row of sql with p: VD_ERR_NOTFOUND
 * for no such row, VD_ERR_STORE for a key of another length (a damaged row). */
int pg_sealed_key(struct store *s, const char *sql, const struct pg_params *p, unsigned char key[STORE_SEALED_KEY_LEN]);

/* Atomic on their own (store.h): a savepoint inside the caller's
 * transaction, a transaction of its own outside it. */
int pg_atomic_begin(struct store *s);
int pg_atomic_end(struct store *s, int rc);
bool pg_in_transaction(struct store *s);
/* BEGIN and the write lock every write transaction takes (one at a time). */
int pg_write_begin(struct store *s);

/* The schema, oldest first: pg_migrations[i] brings the schema to version
 * pg_migration_base + i + 1 (the first one builds schema 23 whole). */
extern const char *const pg_migrations[];
extern const int pg_migration_count;
extern const int pg_migration_base;

/* The operations, file by file. */
int pg_unit_insert(struct store *s, const struct unit_rec *u, int64_t *id);
int pg_unit_update(struct store *s, const struct unit_rec *u);
int pg_unit_delete(struct store *s, int64_t id);
int pg_unit_list(struct store *s, struct arena *a, struct unit_recs *out);
int pg_user_insert(struct store *s, const struct user_rec *u, int64_t *id);
int pg_user_update(struct store *s, const struct user_rec *u);
int pg_user_set_password(struct store *s, int64_t id, const char *hash, int must_change);
int pg_user_get(struct store *s, struct arena *a, int64_t id, struct user_rec *out);
int pg_user_find_email(struct store *s, struct arena *a, const char *email, struct user_rec *out);
int pg_user_list(struct store *s, struct arena *a, struct user_recs *out);
int pg_user_units_set(struct store *s, int64_t user_id, const struct id_list *units);
int pg_user_units_get(struct store *s, struct arena *a, int64_t user_id, struct id_list *out);
int pg_profile_put(struct store *s, const struct profile_rec *p);
int pg_profile_get(struct store *s, struct arena *a, int64_t user_id, struct profile_rec *out);
int pg_counsellor_list(struct store *s, struct arena *a, struct counsellor_recs *out);
int pg_user_key_put(struct store *s, const struct user_key_rec *k);
int pg_user_key_get(struct store *s, int64_t user_id, struct user_key_rec *out);
int pg_session_insert(struct store *s, const struct session_rec *r);
int pg_session_get(struct store *s, const unsigned char *token_hash, struct session_rec *out);
int pg_session_user_get(struct store *s, struct arena *a, const unsigned char *token_hash, struct session_rec *out,
			struct user_rec *user);
int pg_session_touch(struct store *s, const unsigned char *token_hash, int64_t last_seen_at);
int pg_session_delete(struct store *s, const unsigned char *token_hash);
int pg_session_delete_user(struct store *s, int64_t user_id);
int pg_session_purge(struct store *s, int64_t idle_before, int64_t now);
int pg_setting_put(struct store *s, const char *key, const char *value);
int pg_setting_get(struct store *s, struct arena *a, const char *key, const char **value);
int pg_counter_get(struct store *s, const char *name, int64_t *value);
int pg_counter_increment(struct store *s, const char *name, int64_t *value);

/* pg_cases.c */
int pg_receipt_costs_fill(struct store *s, uint32_t ops, uint32_t mem_kib);
int pg_case_insert(struct store *s, const struct case_rec *c, const struct case_key_rec *keys, size_t nkeys,
		   int64_t *id);
int pg_case_get(struct store *s, struct arena *a, int64_t id, struct case_rec *out);
int pg_case_find_locator(struct store *s, struct arena *a, const char *locator, struct case_rec *out);
int pg_case_key_get(struct store *s, int64_t case_id, int64_t user_id, struct case_key_rec *out);
int pg_case_list(struct store *s, struct arena *a, int64_t user_id, const struct case_cursor_rec *after, size_t limit,
		 struct case_summary_recs *out);
int pg_case_mark_opened(struct store *s, int64_t id, int64_t user_id, int64_t when);
int pg_case_readers(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);
int pg_message_insert(struct store *s, const struct message_rec *m, int64_t *id);
int pg_message_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct message_recs *out);
int pg_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id);
int pg_attachment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct attachment_recs *out);
int pg_attachment_get(struct store *s, struct arena *a, int64_t case_id, const char *file_id,
		      struct attachment_rec *out);
int pg_complaint_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id);
int pg_complaint_attachment_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
				 struct attachment_recs *out);
int pg_complaint_attachment_get(struct store *s, struct arena *a, int64_t complaint_id, const char *file_id,
				struct attachment_rec *out);
int pg_wb_attachment_insert(struct store *s, const struct attachment_rec *f, int64_t *id);
int pg_wb_attachment_list(struct store *s, struct arena *a, int64_t report_id, size_t limit,
			  struct attachment_recs *out);
int pg_wb_attachment_get(struct store *s, struct arena *a, int64_t report_id, const char *file_id,
			 struct attachment_rec *out);
int pg_attachment_exists(struct store *s, const char *file_id);
int pg_invitation_insert(struct store *s, const struct invitation_rec *v);
int pg_invitation_take(struct store *s, struct arena *a, const unsigned char *token_hash, struct invitation_rec *out);
int pg_invitation_purge(struct store *s, int64_t now);

/* pg_log.c */
int pg_outbox_add(struct store *s, const struct outbox_rec *m);
int pg_outbox_claim(struct store *s, struct arena *a, int64_t now, int64_t until, size_t limit,
		    struct outbox_recs *out);
int pg_outbox_done(struct store *s, int64_t id);
int pg_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at);
int pg_audit_append_next(struct store *s, struct audit_rec *r, audit_seal_fn seal);
int pg_audit_last(struct store *s, struct arena *a, struct audit_rec *out);
int pg_audit_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct audit_recs *out);
int pg_audit_before(struct store *s, struct arena *a, int64_t before, size_t limit, struct audit_recs *out);
int pg_counsellor_log_insert(struct store *s, const struct counsellor_log_rec *e, int64_t *id);
int pg_counsellor_log_list(struct store *s, struct arena *a, int64_t user_id,
			   const struct counsellor_log_cursor_rec *after, size_t limit, struct counsellor_log_recs *out);
int pg_counsellor_log_delete(struct store *s, int64_t user_id, int64_t id);
int pg_counsellor_log_totals(struct store *s, int64_t from_day, int64_t to_day, int64_t unit_id, int64_t user_id,
			     struct counsellor_log_totals_rec *out);

/* pg_complaints.c and pg_complaint_parties.c */
int pg_complaint_insert(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys, size_t nkeys,
			int64_t *id);
int pg_complaint_get(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out);
int pg_complaint_claim(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out);
int pg_complaint_update(struct store *s, const struct complaint_rec *c);
int pg_complaint_key_get(struct store *s, int64_t complaint_id, int64_t user_id, struct case_key_rec *out);
int pg_complaint_readers(struct store *s, struct arena *a, int64_t complaint_id, struct id_list *out);
int pg_complaint_list(struct store *s, struct arena *a, const struct complaint_query *q, struct complaint_recs *out);
int pg_complaint_without_terms(struct store *s, struct arena *a, size_t limit, struct id_list *out);
int pg_complaint_open_after(struct store *s, struct arena *a, int64_t after, size_t limit, struct id_list *out);
int pg_complaint_term_insert(struct store *s, const struct complaint_term_rec *t, int64_t *id);
int pg_complaint_term_update(struct store *s, const struct complaint_term_rec *t);
int pg_complaint_running_terms(struct store *s, struct arena *a, const struct complaint_query *q,
			       struct complaint_term_recs *out);
int pg_complaint_terms_due(struct store *s, struct arena *a, int64_t until_day, int64_t all_bits, const char *kind,
			   size_t limit, struct complaint_term_recs *out);
int pg_complaint_term_remind(struct store *s, int64_t term_id, int64_t bit);
int pg_complaint_term_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_term_recs *out);
int pg_complaint_pause_insert(struct store *s, const struct complaint_pause_rec *p, int64_t *id);
int pg_complaint_pause_end(struct store *s, int64_t complaint_id, int64_t to_day);
int pg_complaint_pause_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_pause_recs *out);
int pg_complaint_extension_insert(struct store *s, const struct complaint_extension_rec *e, int64_t *id);
int pg_complaint_extension_list(struct store *s, struct arena *a, int64_t complaint_id,
				struct complaint_extension_recs *out);
int pg_complaint_move_insert(struct store *s, const struct complaint_move_rec *m, int64_t *id);
int pg_complaint_move_list(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
			   struct complaint_move_recs *out);
int pg_complaint_party_insert(struct store *s, const struct complaint_party_rec *p, int64_t *id);
int pg_complaint_party_find_locator(struct store *s, struct arena *a, const char *locator,
				    struct complaint_party_rec *out);
int pg_complaint_party_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_party_recs *out);
int pg_complaint_party_supported(struct store *s, struct arena *a, int64_t user_id, size_t limit,
				 struct complaint_party_recs *out);
int pg_complaint_letter_insert(struct store *s, const struct complaint_letter_rec *l, int64_t *id);
int pg_complaint_letter_list(struct store *s, struct arena *a, int64_t complaint_id, int64_t party_id, size_t limit,
			     struct complaint_letter_recs *out);
int pg_complaint_letter_count(struct store *s, int64_t party_id, const char *kind, int64_t *n);
int pg_complaint_hearing_insert(struct store *s, const struct complaint_hearing_rec *h, int64_t *id);
int pg_complaint_hearing_update(struct store *s, const struct complaint_hearing_rec *h);
int pg_complaint_hearing_list(struct store *s, struct arena *a, int64_t complaint_id,
			      struct complaint_hearing_recs *out);
int pg_complaint_heard_insert(struct store *s, const struct complaint_heard_rec *h);
int pg_complaint_heard_update(struct store *s, const struct complaint_heard_rec *h);
int pg_complaint_heard_list(struct store *s, struct arena *a, int64_t complaint_id, struct complaint_heard_recs *out);

/* pg_casework.c */
int pg_case_work_get(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out);
int pg_case_work_claim(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out);
int pg_case_work_put(struct store *s, const struct case_work_rec *w);
int pg_case_set_phase(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at, int64_t by);
int pg_phase_move_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct phase_move_recs *out);
int pg_case_set_stats(struct store *s, int64_t case_id, const struct case_stats_rec *st);
int pg_contact_insert(struct store *s, const struct contact_rec *c, int64_t *id);
int pg_contact_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct contact_recs *out);
int pg_appointment_insert(struct store *s, const struct appointment_rec *ap, int64_t *id);
int pg_appointment_list(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			struct appointment_recs *out);
int pg_consent_insert(struct store *s, const struct consent_rec *c, int64_t *id);
int pg_consent_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct consent_recs *out);
int pg_case_reader_replace(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to);
int pg_conflict_put(struct store *s, int64_t case_id, int64_t user_id, int64_t at);
int pg_conflict_list(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);
int pg_exception_insert(struct store *s, const struct exception_rec *e, int64_t *id);
int pg_exception_list(struct store *s, struct arena *a, int64_t case_id, size_t limit, struct exception_recs *out);
int pg_dashboard(struct store *s, struct arena *a, int64_t user_id, const struct dashboard_query *q,
		 struct dashboard_rec *out);

/* pg_totp.c */
int pg_user_totp_get(struct store *s, struct arena *a, int64_t user_id, struct user_totp_rec *out);
int pg_user_totp_put(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
		     const unsigned char (*hashes)[STORE_BACKUP_HASH_LEN], size_t n);
int pg_user_totp_use_step(struct store *s, int64_t user_id, int64_t step);
int pg_backup_code_use(struct store *s, int64_t user_id, const unsigned char hash[STORE_BACKUP_HASH_LEN],
		       int64_t *left);
int pg_backup_codes_left(struct store *s, int64_t user_id, int64_t *left);
int pg_session_second_factor_done(struct store *s, const unsigned char *token_hash);

/* pg_whistle.c */
int pg_wb_report_insert(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys, size_t nkeys,
			int64_t *id);
int pg_wb_report_get(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out);
int pg_wb_report_claim(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out);
int pg_wb_report_find_locator(struct store *s, struct arena *a, const char *locator, struct wb_report_rec *out);
int pg_wb_report_update(struct store *s, const struct wb_report_rec *r);
int pg_wb_report_rekey(struct store *s, const struct wb_report_rec *r);
int pg_wb_key_get(struct store *s, int64_t report_id, int64_t user_id, struct wb_key_rec *out);
int pg_wb_report_list(struct store *s, struct arena *a, const struct wb_query *q, struct wb_report_recs *out);
int pg_wb_reports_due(struct store *s, struct arena *a, int64_t until_day, size_t limit, struct wb_report_recs *out);
int pg_wb_report_remind(struct store *s, int64_t id, int64_t bit);
int pg_wb_event_insert(struct store *s, const struct wb_event_rec *e, int64_t *id);
int pg_wb_event_count(struct store *s, int64_t report_id, int64_t *n);
int pg_wb_event_list(struct store *s, struct arena *a, int64_t report_id, size_t limit, struct wb_event_recs *out);
int pg_case_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct case_stat_counts_rec *out);
int pg_question_stat_counts(struct store *s, struct arena *a, const struct stat_query *q, struct stat_column_rec *out);
int pg_wb_stat_rows(struct store *s, struct arena *a, const struct stat_query *q, struct wb_stat_recs *out);
int pg_complaint_stat_rows(struct store *s, struct arena *a, const struct stat_query *q,
			   struct complaint_stat_recs *out);

/* pg_declarations.c */
int pg_round_insert(struct store *s, const struct round_rec *r, const struct round_member_rec *members,
		    size_t nmembers, const char *const *questions, size_t nquestions, int64_t *id);
int pg_round_get(struct store *s, struct arena *a, int64_t id, struct round_rec *out);
int pg_round_list(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct round_recs *out);
int pg_round_member_get(struct store *s, int64_t round_id, int64_t user_id, struct round_member_rec *out);
int pg_round_member_add(struct store *s, int64_t round_id, const struct round_member_rec *m);
int pg_round_members(struct store *s, struct arena *a, int64_t round_id, struct id_list *out);
int pg_round_questions(struct store *s, struct arena *a, int64_t round_id, struct round_question_recs *out);
int pg_declaration_insert(struct store *s, const struct declaration_rec *d, int64_t *id);
int pg_declaration_get(struct store *s, struct arena *a, int64_t id, struct declaration_rec *out);
int pg_declaration_update(struct store *s, const struct declaration_rec *d);
int pg_declaration_list_round(struct store *s, struct arena *a, int64_t round_id, size_t limit,
			      struct declaration_recs *out);
int pg_declaration_list_candidate(struct store *s, struct arena *a, int64_t candidate_id, size_t limit,
				  struct declaration_recs *out);
int pg_candidate_link_put(struct store *s, int64_t declaration_id, const unsigned char hash[STORE_TOKEN_HASH_LEN],
			  int64_t expires_at);
int pg_candidate_link_take(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at);
int pg_candidate_link_find(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
			   int64_t *expires_at);

/* pg_documents.c */
int pg_doc_version_add(struct store *s, const struct doc_version_rec *d, int64_t *id);
int pg_doc_version_get(struct store *s, struct arena *a, int64_t id, struct doc_version_rec *out);
int pg_doc_version_current(struct store *s, struct arena *a, const char *kind, int64_t unit_id,
			   struct doc_version_rec *out);
int pg_doc_version_list(struct store *s, struct arena *a, const char *kind, size_t limit,
			struct doc_version_recs *out);

/* pg_escrow.c */
int pg_escrow_get(struct store *s, struct arena *a, struct escrow_rec *out);
int pg_escrow_put(struct store *s, const struct escrow_rec *e);
int pg_escrow_key_put(struct store *s, int64_t case_id, const unsigned char sealed[STORE_SEALED_KEY_LEN]);
int pg_escrow_key_get(struct store *s, int64_t case_id, unsigned char sealed[STORE_SEALED_KEY_LEN]);
int pg_escrow_uncovered(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct id_list *out);
int pg_user_case_ids(struct store *s, struct arena *a, int64_t user_id, struct id_list *out);
int pg_escrow_request_insert(struct store *s, const struct escrow_request_rec *r, int64_t *id);
int pg_escrow_request_get(struct store *s, struct arena *a, int64_t id, struct escrow_request_rec *out);
int pg_escrow_request_list(struct store *s, struct arena *a, size_t limit, struct escrow_request_recs *out);
int pg_escrow_request_end(struct store *s, int64_t id, const char *from, const char *to, int64_t moved,
			  int64_t not_moved, int64_t at);
int pg_escrow_approval_put(struct store *s, const struct escrow_approval_rec *p);
int pg_escrow_approval_list(struct store *s, struct arena *a, int64_t request_id, struct escrow_approval_recs *out);

/* pg_throttle.c */
int pg_throttle_get(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN], struct throttle_rec *out);
int pg_throttle_put(struct store *s, const struct throttle_rec *r);
int pg_throttle_delete(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN]);
int pg_throttle_purge(struct store *s, int64_t before);

/* pg_rows.c */
int pg_rows_each(struct store *s, store_row_fn fn, void *ctx);
int pg_load_begin(struct store *s);
int pg_load_row(struct store *s, const struct store_row *row);
int pg_load_end(struct store *s, int rc);

/* pg_retention.c */
int pg_compact(struct store *s);
int pg_retention_due(struct store *s, struct arena *a, enum store_kept kind, const struct retention_cutoffs_rec *c,
		     int64_t after_id, size_t limit, struct id_list *out);
int pg_record_purge(struct store *s, struct arena *a, enum store_kept kind, int64_t id,
		    const struct retention_cutoffs_rec *c, int64_t at, struct text_list *files);
int pg_log_subjects_purge(struct store *s, int64_t before, int64_t *n);

/* pg_annual.c */
int pg_annual_report_get(struct store *s, struct arena *a, int64_t unit_id, int64_t year, struct annual_report_rec *out);
int pg_annual_report_put(struct store *s, const struct annual_report_rec *r);
int pg_annual_report_publish(struct store *s, const struct annual_report_rec *r);
int pg_annual_report_list(struct store *s, struct arena *a, int64_t year, bool published_only, size_t limit,
			  struct annual_report_recs *out);

#endif
