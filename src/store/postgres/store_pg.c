/*
 * store_pg: the storage interface (store.h) on PostgreSQL, with libpq
 * (issue 15; DESIGN.md §5), chosen by store = postgres in vertrouwd.conf.
 * Every operation but copy_to passes the contract tests (tests/unit/
 * test_store_contract.c with VD_STORE_BACKEND=postgres); copy_to is NULL
 * and a backup copies the rows into a SQLite database (core/backup.c).
 *
 * The same meaning as the SQLite store: write transactions run one at a
 * time (each takes one transaction-scoped advisory lock first, as SQLite's
 * BEGIN IMMEDIATE takes the write lock), so what a transaction read stays
 * true until it commits, on one server or many on one database; commits are
 * durable (synchronous_commit stays on); what SQLite does with triggers
 * (an append-only audit log, write-once records) is done with PL/pgSQL
 * triggers (pg_schema.c).
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/buf.h"
#include "../../util/errors.h"
#include "pg_internal.h"

/* The lock every write transaction takes: one at a time, like SQLite. */
#define WRITE_LOCK "SELECT 1 FROM pg_advisory_xact_lock(7164)" /* void has no binary form */

struct conn {
	PGconn *pg;
	int own_txn;   /* pg_atomic_begin began the transaction */
	bool in_txn;   /* after the last statement: inside a transaction */
	bool lost_txn; /* the connection broke inside one: refused till it ends */
};

struct pg_store {
	struct store base; /* must be first */
	char *conninfo;
	pthread_key_t key;
};

static const struct store_ops pg_ops;

static void conn_free(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	PQfinish(c->pg);
	free(c);
}

/* notices (a NOTICE from CREATE ... IF NOT EXISTS) are not for the log;
 * the store keeps times as numbers, never in the server's time zone */
static bool conn_ready(PGconn *pg)
{
	if (PQstatus(pg) != CONNECTION_OK)
		return false;
	PGresult *r = PQexec(pg, "SET client_min_messages = warning");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

static struct conn *conn_get(struct store *s)
{
	struct pg_store *ps = (struct pg_store *)s;
	struct conn *c = pthread_getspecific(ps->key);
	if (c && PQstatus(c->pg) == CONNECTION_BAD) {
		/* The server restarted, or failed over to a standby (a connection
		 * string with several hosts and target_session_attrs=read-write
		 * finds the new primary): the call that met the broken connection
		 * failed, with its transaction; this one connects again. A
		 * transaction that was open is gone: what its caller still sends
		 * is refused until it ends it, so no part of it runs on its own
		 * and a commit says it failed (run). */
		c->lost_txn = c->lost_txn || c->in_txn;
		c->in_txn = false;
		PQreset(c->pg);
		if (!conn_ready(c->pg))
			return NULL;
	}
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->pg = PQconnectdb(ps->conninfo);
	if (!conn_ready(c->pg) || pthread_setspecific(ps->key, c) != 0) {
		conn_free(c);
		return NULL;
	}
	return c;
}

PGconn *pg_conn(struct store *s)
{
	struct conn *c = conn_get(s);
	return c ? c->pg : NULL;
}

/* ---- parameters and results --------------------------------------------------- */

void pg_int(struct pg_params *p, int64_t v)
{
	unsigned char *b = p->ints[p->n];
	uint64_t u = (uint64_t)v;
	for (int i = 7; i >= 0; i--, u >>= 8)
		b[i] = (unsigned char)(u & 0xff);
	p->values[p->n] = (const char *)b;
	p->lengths[p->n] = 8;
	p->formats[p->n] = 1;
	p->n++;
}

void pg_id_or_null(struct pg_params *p, int64_t id)
{
	if (id) {
		pg_int(p, id);
		return;
	}
	p->values[p->n] = NULL;
	p->lengths[p->n] = 0;
	p->formats[p->n] = 1;
	p->n++;
}

void pg_text(struct pg_params *p, const char *s)
{
	p->values[p->n] = s ? s : "";
	p->lengths[p->n] = 0;
	p->formats[p->n] = 0;
	p->n++;
}

void pg_blob(struct pg_params *p, const void *b, size_t n)
{
	p->values[p->n] = b ? (const char *)b : NULL;
	p->lengths[p->n] = (int)n;
	p->formats[p->n] = 1;
	p->n++;
}

int pg_units(struct pg_params *p, const int64_t *units, size_t n, struct buf *b)
{
	int rc = buf_putc(b, '{');
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		rc = buf_printf(b, "%s%lld", i ? "," : "", (long long)units[i]);
	if (rc == VD_OK)
		rc = buf_putc(b, '}');
	if (rc)
		return VD_ERR_TOOBIG;
	pg_text(p, b->data);
	return VD_OK;
}

/* store.h's errors from the server's SQLSTATE. */
static int map_state(const char *state)
{
	if (!state)
		return VD_ERR_STORE;
	if (strcmp(state, "23505") == 0)
		return VD_ERR_EXISTS;
	if (strcmp(state, "23503") == 0)
		return VD_ERR_NOTFOUND; /* a row it refers to is missing (deletes: VD_ERR_INUSE) */
	if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 || strcmp(state, "22P02") == 0)
		return VD_ERR_INVALID;
	if (strcmp(state, "P0001") == 0)
		return VD_ERR_MISUSE; /* our triggers: a change to a record that may never change */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
		return VD_ERR_BUSY;
	if (strcmp(state, "53200") == 0)
		return VD_ERR_NOMEM;
	if (strcmp(state, "54000") == 0)
		return VD_ERR_TOOBIG;
	return VD_ERR_STORE;
}

static int run(struct store *s, const char *sql, const struct pg_params *p, PGresult **res, const char **state)
{
	struct conn *c = conn_get(s);
	PGconn *pg = c ? c->pg : NULL;
	*res = NULL;
	*state = NULL;
	if (!pg)
		return VD_ERR_STORE;
	if (c->lost_txn) { /* the transaction ends here: rolled back by the break */
		bool ends = strcmp(sql, "ROLLBACK") == 0 || strcmp(sql, "COMMIT") == 0;
		c->lost_txn = !ends;
		c->own_txn = ends ? 0 : c->own_txn;
		return strcmp(sql, "ROLLBACK") == 0 ? VD_OK : VD_ERR_STORE;
	}
	PGresult *r = PQexecParams(pg, sql, p ? p->n : 0, NULL, p ? p->values : NULL, p ? p->lengths : NULL,
				   p ? p->formats : NULL, 1);
	PGTransactionStatusType ts = PQtransactionStatus(pg);
	if (ts != PQTRANS_UNKNOWN) /* unknown: the connection broke (conn_get sees to it) */
		c->in_txn = ts != PQTRANS_IDLE;
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		*res = r;
		return VD_OK;
	}
	static __thread char kept[6];
	const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	snprintf(kept, sizeof kept, "%s", code ? code : "");
	*state = kept;
	PQclear(r);
	return map_state(kept);
}

int pg_run(struct store *s, const char *sql, const struct pg_params *p, PGresult **res)
{
	const char *state;
	return run(s, sql, p, res, &state);
}

int pg_exec(struct store *s, const char *sql, const struct pg_params *p)
{
	PGresult *r;
	int rc = pg_run(s, sql, p, &r);
	PQclear(r);
	return rc;
}

int pg_exec_change(struct store *s, const char *sql, const struct pg_params *p)
{
	PGresult *r;
	int rc = pg_run(s, sql, p, &r);
	if (rc == VD_OK && strcmp(PQcmdTuples(r), "0") == 0)
		rc = VD_ERR_NOTFOUND;
	PQclear(r);
	return rc;
}

int pg_exec_delete(struct store *s, const char *sql, const struct pg_params *p)
{
	PGresult *r;
	const char *state;
	int rc = run(s, sql, p, &r, &state);
	if (rc == VD_ERR_NOTFOUND && state && strcmp(state, "23503") == 0)
		return VD_ERR_INUSE;
	if (rc == VD_OK && strcmp(PQcmdTuples(r), "0") == 0)
		rc = VD_ERR_NOTFOUND;
	PQclear(r);
	return rc;
}

int pg_insert_id(struct store *s, const char *sql, const struct pg_params *p, int64_t *id)
{
	PGresult *r;
	int rc = pg_run(s, sql, p, &r);
	if (rc == VD_OK && PQntuples(r) != 1)
		rc = VD_ERR_STORE;
	if (rc == VD_OK && id)
		*id = pg_get_int(r, 0, 0);
	PQclear(r);
	return rc;
}

int64_t pg_get_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const unsigned char *b = (const unsigned char *)PQgetvalue(r, row, col);
	int n = PQgetlength(r, row, col);
	if (n == 1)
		return b[0]; /* bool */
	uint64_t u = 0;
	for (int i = 0; i < n && i < 8; i++)
		u = u << 8 | b[i];
	if (n == 4)
		return (int32_t)(uint32_t)u;
	if (n == 2)
		return (int16_t)(uint16_t)u;
	return (int64_t)u;
}

const char *pg_get_text(struct arena *a, const PGresult *r, int row, int col)
{
	return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

const unsigned char *pg_get_blob(struct arena *a, const PGresult *r, int row, int col, size_t *n, bool *oom)
{
	*n = 0;
	if (PQgetisnull(r, row, col))
		return NULL;
	size_t len = (size_t)PQgetlength(r, row, col);
	unsigned char *p = arena_alloc(a, len + 1);
	if (!p) {
		*oom = true;
		return NULL;
	}
	memcpy(p, PQgetvalue(r, row, col), len);
	*n = len;
	return p;
}

bool pg_get_exact(const PGresult *r, int row, int col, unsigned char *out, size_t n)
{
	if (PQgetisnull(r, row, col) || (size_t)PQgetlength(r, row, col) != n)
		return false;
	memcpy(out, PQgetvalue(r, row, col), n);
	return true;
}

/* ---- reading rows ---------------------------------------------------------------- */

int pg_read_rows(struct arena *a, const PGresult *r, size_t size, size_t limit, pg_read_fn read, void **items,
		 size_t *n)
{
	size_t rows = (size_t)PQntuples(r);
	*n = 0;
	*items = arena_array(a, rows, size);
	int rc = *items ? VD_OK : VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < rows && *n < limit; i++)
		rc = read(a, r, (int)i, (char *)*items + (*n)++ * size);
	return rc;
}

int pg_rows(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, size_t size, size_t limit,
	    pg_read_fn read, void **items, size_t *n)
{
	PGresult *r;
	*n = 0;
	*items = NULL;
	int rc = pg_run(s, sql, p, &r);
	if (rc)
		return rc;
	rc = pg_read_rows(a, r, size, limit, read, items, n);
	PQclear(r);
	return rc;
}

int pg_rows_of(struct store *s, struct arena *a, const char *sql, int64_t id, size_t limit, size_t size,
	       pg_read_fn read, void **items, size_t *n)
{
	struct pg_params p = { 0 };
	pg_int(&p, id);
	pg_int(&p, (int64_t)limit);
	return pg_rows(s, a, sql, &p, size, SIZE_MAX, read, items, n);
}

int pg_one(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, pg_read_fn read, void *item)
{
	PGresult *r;
	int rc = pg_run(s, sql, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? read(a, r, 0, item) : VD_ERR_NOTFOUND;
	PQclear(r);
	return rc;
}

int pg_one_int(struct store *s, const char *sql, const struct pg_params *p, int64_t *v)
{
	PGresult *r;
	*v = 0;
	int rc = pg_run(s, sql, p, &r);
	if (rc)
		return rc;
	if (PQntuples(r) == 1)
		*v = pg_get_int(r, 0, 0);
	PQclear(r);
	return VD_OK;
}

int pg_read_id(struct arena *a, const PGresult *r, int row, void *id)
{
	(void)a;
	*(int64_t *)id = pg_get_int(r, row, 0);
	return VD_OK;
}

int pg_read_text(struct arena *a, const PGresult *r, int row, void *text)
{
	const char **t = text;
	return (*t = pg_get_text(a, r, row, 0)) ? VD_OK : VD_ERR_NOMEM;
}

int pg_ids(struct store *s, struct arena *a, const char *sql, const struct pg_params *p, struct id_list *out)
{
	void *ids;
	int rc = pg_rows(s, a, sql, p, sizeof *out->ids, SIZE_MAX, pg_read_id, &ids, &out->n);
	out->ids = ids;
	return rc;
}

static int read_sealed_key(struct arena *a, const PGresult *r, int row, void *key)
{
	(void)a;
	return pg_get_exact(r, row, 0, key, STORE_SEALED_KEY_LEN) ? VD_OK : VD_ERR_STORE;
}

int pg_sealed_key(struct store *s, const char *sql, const struct pg_params *p, unsigned char key[STORE_SEALED_KEY_LEN])
{
	return pg_one(s, NULL, sql, p, read_sealed_key, key);
}

/* ---- transactions -------------------------------------------------------------- */

bool pg_in_transaction(struct store *s)
{
	struct conn *c = conn_get(s);
	return c && (c->lost_txn || PQtransactionStatus(c->pg) != PQTRANS_IDLE);
}

/* BEGIN and the write lock, or nothing. */
int pg_write_begin(struct store *s)
{
	int rc = pg_exec(s, "BEGIN", NULL);
	if (rc == VD_OK && (rc = pg_exec(s, WRITE_LOCK, NULL)) != VD_OK)
		pg_exec(s, "ROLLBACK", NULL);
	return rc;
}

static int pg_begin(struct store *s)
{
	if (!pg_conn(s))
		return VD_ERR_STORE;
	if (pg_in_transaction(s))
		return VD_ERR_MISUSE; /* transactions do not nest */
	return pg_write_begin(s);
}

static int pg_commit(struct store *s)
{
	if (!pg_in_transaction(s))
		return VD_ERR_MISUSE; /* PostgreSQL would only warn, and the caller think it kept something */
	int rc = pg_exec(s, "COMMIT", NULL);
	if (rc != VD_OK && pg_in_transaction(s))
		pg_exec(s, "ROLLBACK", NULL);
	return rc;
}

static void pg_rollback(struct store *s)
{
	if (pg_in_transaction(s))
		pg_exec(s, "ROLLBACK", NULL);
}

int pg_atomic_begin(struct store *s)
{
	struct conn *c = conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	if (!pg_in_transaction(s)) {
		int rc = pg_write_begin(s);
		c->own_txn = rc == VD_OK;
		return rc;
	}
	return pg_exec(s, "SAVEPOINT op", NULL);
}

int pg_atomic_end(struct store *s, int rc)
{
	struct conn *c = conn_get(s);
	if (!c)
		return VD_ERR_STORE;
	if (c->own_txn) {
		c->own_txn = 0;
		if (rc == VD_OK && (rc = pg_exec(s, "COMMIT", NULL)) == VD_OK)
			return VD_OK;
		pg_rollback(s);
		return rc;
	}
	if (rc != VD_OK) {
		pg_exec(s, "ROLLBACK TO op", NULL);
		pg_exec(s, "RELEASE op", NULL);
		return rc;
	}
	return pg_exec(s, "RELEASE op", NULL);
}

/* ---- lifecycle and schema ------------------------------------------------------ */

static void pg_close(struct store *s)
{
	struct pg_store *ps = (struct pg_store *)s;
	conn_free(pthread_getspecific(ps->key));
	pthread_setspecific(ps->key, NULL);
	pthread_key_delete(ps->key);
	free(ps->conninfo);
	free(ps);
}

static int pg_schema_version(struct store *s, int *version)
{
	int64_t made, v;
	*version = 0;
	/* an empty database has no table to ask (a query naming it would fail) */
	int rc = pg_one_int(s, "SELECT to_regclass('vd_schema') IS NOT NULL", NULL, &made);
	if (rc || !made)
		return rc;
	rc = pg_one_int(s, "SELECT version FROM vd_schema", NULL, &v);
	*version = (int)v;
	return rc;
}

static int pg_table_count(struct store *s, int64_t *n)
{
	return pg_one_int(s, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", NULL, n);
}

/* The schema in one transaction, under the write lock: two servers started
 * at once on one database migrate one after the other. */
static int pg_migrate(struct store *s, int *from, int *to)
{
	int rc = pg_begin(s);
	if (rc)
		return rc;
	int v = 0;
	rc = pg_schema_version(s, &v);
	if (rc == VD_OK && from)
		*from = v;
	int newest = pg_migration_base + pg_migration_count;
	if (rc == VD_OK && v > newest)
		rc = VD_ERR_TOONEW;
	if (rc == VD_OK && v > 0 && v < pg_migration_base)
		rc = VD_ERR_STORE; /* cannot be: this store began at its base */
	for (int i = v ? v - pg_migration_base : 0; rc == VD_OK && i < pg_migration_count; i++) {
		/* a migration is several statements: the simple protocol runs them */
		PGresult *r = PQexec(pg_conn(s), pg_migrations[i]);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? VD_OK : VD_ERR_STORE;
		PQclear(r);
		struct pg_params p = { 0 };
		pg_int(&p, pg_migration_base + i + 1);
		if (rc == VD_OK)
			rc = pg_exec(s, "UPDATE vd_schema SET version = $1::int8", &p);
	}
	if (rc == VD_OK && to)
		*to = newest;
	if (rc) {
		pg_rollback(s);
		return rc;
	}
	return pg_commit(s);
}

/* PostgreSQL checks its pages itself (and data checksums, where the cluster
 * has them on); this checks that the database answers and has our schema. */
static int pg_check(struct store *s)
{
	int v = 0;
	int rc = pg_schema_version(s, &v);
	return rc == VD_OK && v > 0 ? VD_OK : VD_ERR_STORE;
}

static const struct store_ops pg_ops = {
	.name = "postgres",
	.close = pg_close,
	.migrate = pg_migrate,
	.schema_version = pg_schema_version,
	.table_count = pg_table_count,
	.check = pg_check,
	.rows_each = pg_rows_each,
	.throttle_get = pg_throttle_get,
	.throttle_put = pg_throttle_put,
	.throttle_delete = pg_throttle_delete,
	.throttle_purge = pg_throttle_purge,
	.load_begin = pg_load_begin,
	.load_row = pg_load_row,
	.load_end = pg_load_end,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.unit_insert = pg_unit_insert,
	.unit_update = pg_unit_update,
	.unit_delete = pg_unit_delete,
	.unit_list = pg_unit_list,
	.user_insert = pg_user_insert,
	.user_update = pg_user_update,
	.user_set_password = pg_user_set_password,
	.user_get = pg_user_get,
	.user_find_email = pg_user_find_email,
	.user_list = pg_user_list,
	.user_units_set = pg_user_units_set,
	.user_units_get = pg_user_units_get,
	.profile_put = pg_profile_put,
	.profile_get = pg_profile_get,
	.counsellor_list = pg_counsellor_list,
	.user_key_put = pg_user_key_put,
	.user_key_get = pg_user_key_get,
	.session_insert = pg_session_insert,
	.session_get = pg_session_get,
	.session_user_get = pg_session_user_get,
	.session_touch = pg_session_touch,
	.session_delete = pg_session_delete,
	.session_delete_user = pg_session_delete_user,
	.session_purge = pg_session_purge,
	.setting_get = pg_setting_get,
	.setting_put = pg_setting_put,
	.counter_get = pg_counter_get,
	.counter_increment = pg_counter_increment,
	.receipt_costs_fill = pg_receipt_costs_fill,
	.case_insert = pg_case_insert,
	.case_get = pg_case_get,
	.case_find_locator = pg_case_find_locator,
	.case_key_get = pg_case_key_get,
	.case_list = pg_case_list,
	.case_mark_opened = pg_case_mark_opened,
	.case_readers = pg_case_readers,
	.message_insert = pg_message_insert,
	.message_list = pg_message_list,
	.attachment_insert = pg_attachment_insert,
	.attachment_list = pg_attachment_list,
	.attachment_get = pg_attachment_get,
	.complaint_attachment_insert = pg_complaint_attachment_insert,
	.complaint_attachment_list = pg_complaint_attachment_list,
	.complaint_attachment_get = pg_complaint_attachment_get,
	.wb_attachment_insert = pg_wb_attachment_insert,
	.wb_attachment_list = pg_wb_attachment_list,
	.wb_attachment_get = pg_wb_attachment_get,
	.attachment_exists = pg_attachment_exists,
	.invitation_insert = pg_invitation_insert,
	.invitation_take = pg_invitation_take,
	.invitation_purge = pg_invitation_purge,
	.outbox_add = pg_outbox_add,
	.outbox_claim = pg_outbox_claim,
	.outbox_done = pg_outbox_done,
	.outbox_retry = pg_outbox_retry,
	.audit_append_next = pg_audit_append_next,
	.audit_last = pg_audit_last,
	.audit_after = pg_audit_after,
	.audit_before = pg_audit_before,
	.counsellor_log_insert = pg_counsellor_log_insert,
	.counsellor_log_list = pg_counsellor_log_list,
	.counsellor_log_delete = pg_counsellor_log_delete,
	.counsellor_log_totals = pg_counsellor_log_totals,
	.complaint_insert = pg_complaint_insert,
	.complaint_get = pg_complaint_get,
	.complaint_claim = pg_complaint_claim,
	.complaint_update = pg_complaint_update,
	.complaint_key_get = pg_complaint_key_get,
	.complaint_readers = pg_complaint_readers,
	.complaint_list = pg_complaint_list,
	.complaint_without_terms = pg_complaint_without_terms,
	.complaint_open_after = pg_complaint_open_after,
	.complaint_term_insert = pg_complaint_term_insert,
	.complaint_term_update = pg_complaint_term_update,
	.complaint_running_terms = pg_complaint_running_terms,
	.complaint_terms_due = pg_complaint_terms_due,
	.complaint_term_remind = pg_complaint_term_remind,
	.complaint_term_list = pg_complaint_term_list,
	.complaint_pause_insert = pg_complaint_pause_insert,
	.complaint_pause_end = pg_complaint_pause_end,
	.complaint_pause_list = pg_complaint_pause_list,
	.complaint_extension_insert = pg_complaint_extension_insert,
	.complaint_extension_list = pg_complaint_extension_list,
	.complaint_move_insert = pg_complaint_move_insert,
	.complaint_move_list = pg_complaint_move_list,
	.complaint_party_insert = pg_complaint_party_insert,
	.complaint_party_find_locator = pg_complaint_party_find_locator,
	.complaint_party_list = pg_complaint_party_list,
	.complaint_party_supported = pg_complaint_party_supported,
	.complaint_letter_insert = pg_complaint_letter_insert,
	.complaint_letter_list = pg_complaint_letter_list,
	.complaint_letter_count = pg_complaint_letter_count,
	.complaint_hearing_insert = pg_complaint_hearing_insert,
	.complaint_hearing_update = pg_complaint_hearing_update,
	.complaint_hearing_list = pg_complaint_hearing_list,
	.complaint_heard_insert = pg_complaint_heard_insert,
	.complaint_heard_update = pg_complaint_heard_update,
	.complaint_heard_list = pg_complaint_heard_list,
	.case_work_get = pg_case_work_get,
	.case_work_claim = pg_case_work_claim,
	.case_work_put = pg_case_work_put,
	.case_set_phase = pg_case_set_phase,
	.phase_move_list = pg_phase_move_list,
	.case_set_stats = pg_case_set_stats,
	.contact_insert = pg_contact_insert,
	.contact_list = pg_contact_list,
	.appointment_insert = pg_appointment_insert,
	.appointment_list = pg_appointment_list,
	.consent_insert = pg_consent_insert,
	.consent_list = pg_consent_list,
	.case_reader_replace = pg_case_reader_replace,
	.conflict_put = pg_conflict_put,
	.conflict_list = pg_conflict_list,
	.exception_insert = pg_exception_insert,
	.exception_list = pg_exception_list,
	.dashboard = pg_dashboard,
	.user_totp_get = pg_user_totp_get,
	.user_totp_put = pg_user_totp_put,
	.user_totp_use_step = pg_user_totp_use_step,
	.backup_code_use = pg_backup_code_use,
	.backup_codes_left = pg_backup_codes_left,
	.session_second_factor_done = pg_session_second_factor_done,
	.wb_report_insert = pg_wb_report_insert,
	.wb_report_get = pg_wb_report_get,
	.wb_report_claim = pg_wb_report_claim,
	.wb_report_find_locator = pg_wb_report_find_locator,
	.wb_report_update = pg_wb_report_update,
	.wb_report_rekey = pg_wb_report_rekey,
	.wb_key_get = pg_wb_key_get,
	.wb_report_list = pg_wb_report_list,
	.wb_reports_due = pg_wb_reports_due,
	.wb_report_remind = pg_wb_report_remind,
	.wb_event_insert = pg_wb_event_insert,
	.wb_event_count = pg_wb_event_count,
	.wb_event_list = pg_wb_event_list,
	.case_stat_counts = pg_case_stat_counts,
	.question_stat_counts = pg_question_stat_counts,
	.wb_stat_rows = pg_wb_stat_rows,
	.complaint_stat_rows = pg_complaint_stat_rows,
	.round_insert = pg_round_insert,
	.round_get = pg_round_get,
	.round_list = pg_round_list,
	.round_member_get = pg_round_member_get,
	.round_member_add = pg_round_member_add,
	.round_members = pg_round_members,
	.round_questions = pg_round_questions,
	.declaration_insert = pg_declaration_insert,
	.declaration_get = pg_declaration_get,
	.declaration_update = pg_declaration_update,
	.declaration_list_round = pg_declaration_list_round,
	.declaration_list_candidate = pg_declaration_list_candidate,
	.candidate_link_put = pg_candidate_link_put,
	.candidate_link_take = pg_candidate_link_take,
	.candidate_link_find = pg_candidate_link_find,
	.doc_version_add = pg_doc_version_add,
	.doc_version_get = pg_doc_version_get,
	.doc_version_current = pg_doc_version_current,
	.doc_version_list = pg_doc_version_list,
	.compact = pg_compact,
	.retention_due = pg_retention_due,
	.record_purge = pg_record_purge,
	.log_subjects_purge = pg_log_subjects_purge,
	.escrow_get = pg_escrow_get,
	.escrow_put = pg_escrow_put,
	.escrow_key_put = pg_escrow_key_put,
	.escrow_key_get = pg_escrow_key_get,
	.escrow_uncovered = pg_escrow_uncovered,
	.escrow_request_insert = pg_escrow_request_insert,
	.escrow_request_get = pg_escrow_request_get,
	.escrow_request_list = pg_escrow_request_list,
	.escrow_request_end = pg_escrow_request_end,
	.escrow_approval_put = pg_escrow_approval_put,
	.escrow_approval_list = pg_escrow_approval_list,
	.user_case_ids = pg_user_case_ids,
	.annual_report_get = pg_annual_report_get,
	.annual_report_put = pg_annual_report_put,
	.annual_report_publish = pg_annual_report_publish,
	.annual_report_list = pg_annual_report_list,
};

int store_postgres_open(const char *conninfo, struct store **out)
{
	struct pg_store *ps = calloc(1, sizeof *ps);
	if (!ps)
		return VD_ERR_NOMEM;
	ps->base.ops = &pg_ops;
	ps->conninfo = strdup(conninfo);
	if (!ps->conninfo || pthread_key_create(&ps->key, conn_free) != 0) {
		free(ps->conninfo);
		free(ps);
		return VD_ERR_NOMEM;
	}
	/* this thread's connection now, so a bad connection string fails here */
	if (!conn_get(&ps->base)) {
		pthread_key_delete(ps->key);
		free(ps->conninfo);
		free(ps);
		return VD_ERR_STORE;
	}
	*out = &ps->base;
	return VD_OK;
}
