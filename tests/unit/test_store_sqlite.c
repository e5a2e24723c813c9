/*
 * Unit tests: what is the SQLite store's own, beside the contract that every
 * backend passes (test_store_contract.c): its schema versions and
 * migrations (the text dates of version 9 becoming the epoch days of 10),
 * the triggers that guard the audit log, the exception record and a
 * whistleblower report's events against any program that opens the file
 * (and the cascade that still takes a report's events with it), how
 * SQLite's constraint codes are read, and that writers on two connections
 * at once neither lose a count nor fork the audit chain.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../../src/store/sqlite/migrations.h"
#include "../../src/store/store.h"
#include "../../src/util/date.h"
#include "../../src/util/errors.h"
#include "check.h"

static char dir[] = "/tmp/vd-store-XXXXXX";
static char dbpath[160];

/* A new database file name in dir. */
static const char *next_path(void)
{
	static int n;
	snprintf(dbpath, sizeof dbpath, "%s/t%d.db", dir, n++);
	return dbpath;
}

static struct store *fresh(void)
{
	struct store *s = NULL;
	if (store_sqlite_open(next_path(), 1, &s) != VD_OK)
		return NULL;
	if (s->ops->migrate(s, NULL, NULL) != VD_OK) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* Runs sql on the file behind the store's back; the SQLite result code. */
static int raw(const char *path, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 5000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* ---- schema versions ----------------------------------------------------------- */

static void migrate_sets_version(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int v = -1;
	CHECK_EQ_INT(s->ops->schema_version(s, &v), VD_OK);
	CHECK_EQ_INT(v, STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(sqlite_migration_count, STORE_SCHEMA_VERSION);
	int from = -1, to = -1;
	CHECK_EQ_INT(s->ops->migrate(s, &from, &to), VD_OK); /* idempotent */
	CHECK(from == STORE_SCHEMA_VERSION && to == STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(s->ops->check(s), VD_OK);
	store_close(s);
}

static void newer_schema_refused(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	store_close(s);
	CHECK_EQ_INT(raw(dbpath, "PRAGMA user_version=99"), SQLITE_OK);
	CHECK_EQ_INT(store_sqlite_open(dbpath, 0, &s), VD_OK);
	CHECK_EQ_INT(s->ops->migrate(s, NULL, NULL), VD_ERR_TOONEW);
	int v = 0;
	CHECK_EQ_INT(s->ops->schema_version(s, &v), VD_OK);
	CHECK_EQ_INT(v, 99); /* nothing was done to it */
	store_close(s);
}

static void missing_db_not_created_without_create(void)
{
	struct store *s = NULL;
	char p[200];
	snprintf(p, sizeof p, "%s/nope.db", dir);
	CHECK(store_sqlite_open(p, 0, &s) != VD_OK);
	struct stat st;
	CHECK(stat(p, &st) != 0);
}

/* A database as version 9 left it, with dates as text in every table that
 * had them. */
static int make_version_9(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	int rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON; BEGIN", NULL, NULL, NULL);
	for (int v = 0; rc == SQLITE_OK && v < 9; v++)
		rc = sqlite3_exec(db, sqlite_migrations[v], NULL, NULL, NULL);
	static const char rows[] =
		"INSERT INTO units(id, name, kind, created_at) VALUES(1, 'Landelijk', 'national', 1);"
		"INSERT INTO users(id, email, name, role, password_hash, created_at)"
		"  VALUES(1, 'c@example.org', 'C', 'counsellor', '!', 1);"
		"INSERT INTO cases(id, locator, unit_id, counsellor_id, channel, reporter_type, relation, location,"
		"  behaviours, named, created_at, receipt_salt, receipt_verifier, key_by_receipt, content)"
		"  VALUES(1, 'LOC001', 1, 1, 'web', 'member', 'colleague', 'online', 1, 0, 1704110400, zeroblob(16),"
		"          zeroblob(32), zeroblob(72), x'00'),"            /* 2024-01-01 12:00 UTC */
		"        (2, 'LOC002', 1, 1, 'web', 'member', 'colleague', 'online', 1, 0, 1, x'00', x'00', x'00', x'00');"
		"INSERT INTO case_work(case_id, agreement_on, aftercare_due) VALUES(1, '2024-01-01', ''),"
		"  (2, '', '2024-02-29');"
		"INSERT INTO contacts(case_id, on_date, way, with_whom, minutes, by, created_at)"
		"  VALUES(1, '2023-12-31', 'phone', 'reporter', 30, 1, 1);"
		"INSERT INTO appointments(case_id, starts, shared, by, created_at, place)"
		"  VALUES(1, '2024-07-01 19:30', 1, 1, 1, x'00');"
		"INSERT INTO consents(case_id, step, given, on_date, how, by, created_at)"
		"  VALUES(1, 'mediation', 1, '2000-01-01', 'phone', 1, 1);"
		"INSERT INTO exceptions(case_id, at, by, conditions, told_on, content)"
		"  VALUES(1, 5, 1, 3, '2024-03-15', x'00'), (2, 6, 1, 1, '', x'00');"
		"INSERT INTO counsellor_log(user_id, kind, on_date, unit_id, asked, audience, minutes, created_at)"
		"  VALUES(1, 'training', '2024-12-31', 0, 0, '', 90, 1);"
		"INSERT INTO settings(key, value) VALUES('content_generation', '7');"
		"INSERT INTO complaints(id, case_id, unit_id, by, created_at, content)"
		"  VALUES(1, 1, 1, 1, 1704110400, x'00');"
		"PRAGMA user_version=9;"
		"COMMIT";
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, rows, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* The moment of a local date and time, as the C library sees it. */
static int64_t local_moment(int y, int m, int d, int hh, int mm)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* Version 20 kept one text per document and language; 21 keeps every
 * version. The texts there were become version 1 of the organisation's
 * document, both languages in it, with who saved them. */
static void documents_migrate_to_versions(void)
{
	const char *path = next_path();
	sqlite3 *db;
	CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON; BEGIN", NULL, NULL, NULL);
	for (int v = 0; rc == SQLITE_OK && v < 20; v++)
		rc = sqlite3_exec(db, sqlite_migrations[v], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
				  "INSERT INTO documents(kind, lang, body, updated_at, updated_by) VALUES"
				  "  ('code_of_conduct', 'nl', 'Onze code', 86400 * 20000, 3),"
				  "  ('code_of_conduct', 'en', 'Our code', 86400 * 20000, 3),"
				  "  ('complaints_regulation', 'nl', 'Regeling', 86400 * 19000, 0);"
				  "PRAGMA user_version=20; COMMIT",
				  NULL, NULL, NULL);
	sqlite3_close(db);
	CHECK_EQ_INT(rc, SQLITE_OK);
	struct store *s = NULL;
	CHECK_EQ_INT(store_sqlite_open(path, 0, &s), VD_OK);
	int from = 0, to = 0;
	CHECK_EQ_INT(s->ops->migrate(s, &from, &to), VD_OK);
	CHECK(from == 20 && to == STORE_SCHEMA_VERSION);
	struct arena a;
	arena_init(&a, 0);
	struct doc_version_rec d;
	CHECK_EQ_INT(s->ops->doc_version_current(s, &a, "code_of_conduct", 0, &d), VD_OK);
	CHECK(d.number == 1 && d.recorded_by == 3 && d.adopted_on == 20000 && d.adopted_by[0] == '\0');
	CHECK_STR(d.body_nl, "Onze code");
	CHECK_STR(d.body_en, "Our code");
	CHECK_EQ_INT(s->ops->doc_version_current(s, &a, "complaints_regulation", 0, &d), VD_OK);
	CHECK_STR(d.body_en, ""); /* not translated */
	CHECK_EQ_INT(s->ops->doc_version_current(s, &a, "integrity_policy", 0, &d), VD_ERR_NOTFOUND);
	/* and a version never changes */
	CHECK(raw(path, "UPDATE document_versions SET body_nl = 'x'") != SQLITE_OK);
	CHECK(raw(path, "DELETE FROM document_versions") != SQLITE_OK);
	arena_release(&a);
	store_close(s);
}

/* Version 9 kept dates as "YYYY-MM-DD" text; 10 keeps epoch days (and an
 * appointment's local start as seconds). Every row keeps its date. And 11
 * gives complaints their procedure. */
static void dates_migrate_to_epoch_days(void)
{
	const char *path = next_path();
	CHECK_EQ_INT(make_version_9(path), SQLITE_OK);
	struct store *s = NULL;
	CHECK_EQ_INT(store_sqlite_open(path, 0, &s), VD_OK);
	int from = 0, to = 0;
	CHECK_EQ_INT(s->ops->migrate(s, &from, &to), VD_OK);
	CHECK(from == 9 && to == STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(s->ops->check(s), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct case_work_rec w;
	CHECK_EQ_INT(s->ops->case_work_get(s, &a, 1, &w), VD_OK);
	CHECK_EQ_INT(w.agreement_day, 19723);   /* 2024-01-01 */
	CHECK_EQ_INT(w.aftercare_due_day, 0);   /* '' */
	CHECK_EQ_INT(w.last_contact_day, 19722); /* 2023-12-31 */
	CHECK_EQ_INT(s->ops->case_work_get(s, &a, 2, &w), VD_OK);
	CHECK(w.agreement_day == 0 && w.aftercare_due_day == 19782); /* 2024-02-29 */
	/* the day a case came in: the local date of its moment */
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &a, 1, &c), VD_OK);
	CHECK_EQ_INT(c.created_day, date_of(1704110400));
	CHECK(c.created_day >= 19722 && c.created_day <= 19724);
	struct appointment_recs ap;
	CHECK_EQ_INT(s->ops->appointment_list(s, &a, 1, 10, &ap), VD_OK);
	CHECK_EQ_INT(ap.n, 1);
	CHECK_EQ_INT(ap.items[0].starts_at, local_moment(2024, 7, 1, 19, 30));
	struct consent_recs cs;
	CHECK_EQ_INT(s->ops->consent_list(s, &a, 1, 10, &cs), VD_OK);
	CHECK(cs.n == 1 && cs.items[0].on_day == 10957); /* 2000-01-01 */
	struct exception_recs ex;
	CHECK_EQ_INT(s->ops->exception_list(s, &a, 1, 10, &ex), VD_OK);
	CHECK(ex.n == 1 && ex.items[0].told_day == 19797 && ex.items[0].conditions == 3); /* 2024-03-15 */
	CHECK_EQ_INT(s->ops->exception_list(s, &a, 2, 10, &ex), VD_OK);
	CHECK(ex.n == 1 && ex.items[0].told_day == 0);
	struct counsellor_log_recs log;
	CHECK_EQ_INT(s->ops->counsellor_log_list(s, &a, 1, NULL, 10, &log), VD_OK);
	CHECK(log.n == 1 && log.items[0].on_day == 20088 && log.items[0].minutes == 90); /* 2024-12-31 */
	int64_t gen = 0;
	CHECK_EQ_INT(s->ops->counter_get(s, "content_generation", &gen), VD_OK);
	CHECK_EQ_INT(gen, 7);
	const char *v = NULL;
	CHECK_EQ_INT(s->ops->setting_get(s, &a, "content_generation", &v), VD_ERR_NOTFOUND);
	/* 10 -> 11: a complaint forwarded before its procedure is at its first
	 * step since the day it came in, without terms until the core starts them */
	struct complaint_rec cp;
	CHECK_EQ_INT(s->ops->complaint_get(s, &a, 1, &cp), VD_OK);
	CHECK_STR(cp.step, "received");
	CHECK_STR(cp.step_before, "");
	CHECK_STR(cp.channel, "forwarded");
	CHECK(cp.open == 1 && cp.received_day == date_of(1704110400) && cp.step_at == 1704110400);
	CHECK(cp.next_due_day == 0 && cp.last_incident_day == 0 && cp.filed_late == 0);
	struct id_list without;
	CHECK_EQ_INT(s->ops->complaint_without_terms(s, &a, 10, &without), VD_OK);
	CHECK(without.n == 1 && without.ids[0] == 1);
	/* the exception record is guarded again after its conversion */
	arena_release(&a);
	store_close(s);
	CHECK_EQ_INT(raw(path, "UPDATE exceptions SET told_day = 1"), SQLITE_CONSTRAINT);
}

/* ---- the guards in the schema ------------------------------------------------------- */

/* seal: a hash that names the entry and the one before it, so the chain can
 * be checked without the core's BLAKE2b. */
static int test_seal(struct audit_rec *r)
{
	memcpy(r->hash, r->prev_hash, STORE_AUDIT_HASH_LEN);
	memcpy(r->hash, &r->seq, sizeof r->seq);
	return VD_OK;
}

static void triggers_refuse_changes_behind_our_back(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct unit_rec u = { .name = "Landelijk", .kind = "national", .created_at = 1 };
	int64_t unit, user, id;
	CHECK_EQ_INT(s->ops->unit_insert(s, &u, &unit), VD_OK);
	struct user_rec usr = { .email = "c@example.org", .name = "C", .role = "counsellor", .password_hash = "!",
				.active = 1, .created_at = 1 };
	CHECK_EQ_INT(s->ops->user_insert(s, &usr, &user), VD_OK);
	static const unsigned char blob[4] = { 1, 2, 3, 4 };
	struct case_rec c = { .locator = "GUARD1", .unit_id = unit, .channel = "web", .reporter_type = "member",
			      .relation = "colleague", .location = "online", .behaviours = 1, .phase = "new",
			      .created_at = 1, .content = blob, .content_len = sizeof blob };
	CHECK_EQ_INT(s->ops->case_insert(s, &c, NULL, 0, &id), VD_OK);
	struct exception_rec e = { .case_id = id, .at = 2, .by = user, .conditions = 1, .content = blob,
				   .content_len = sizeof blob };
	int64_t eid;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &eid), VD_OK);
	struct audit_rec r = { .at = 3, .actor_id = 0, .action = "login", .object_kind = "user", .object_id = 1 };
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(s->ops->audit_append_next(s, &r, test_seal), VD_OK);
	store_close(s);
	static const char *const refused[] = {
		"UPDATE audit_log SET actor_id = 42 WHERE seq = 2",
		"DELETE FROM audit_log WHERE seq = 3",
		"INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 1",
		"INSERT INTO audit_log VALUES(0, 1, 1, 'login', 'user', 1, x'00', x'00')", /* seq starts at 1 */
		"UPDATE exceptions SET conditions = 63",
		"UPDATE exceptions SET told_day = 19000",
		"DELETE FROM exceptions",
		"INSERT OR REPLACE INTO exceptions SELECT * FROM exceptions",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		CHECK_EQ_INT(raw(dbpath, refused[i]), SQLITE_CONSTRAINT);
	/* the guards are what refuses: without them the same statements run */
	CHECK_EQ_INT(raw(dbpath, "DROP TRIGGER exceptions_no_update"), SQLITE_OK);
	CHECK_EQ_INT(raw(dbpath, "UPDATE exceptions SET told_day = 19000"), SQLITE_OK);
}

/* A whistleblower report sealed to one officer, with one event; its id and
 * the officer's, false if a write failed. */
static bool wb_guard_report(struct store *s, int64_t *id, int64_t *user)
{
	struct unit_rec u = { .name = "Landelijk", .kind = "national", .created_at = 1 };
	int64_t unit, eid;
	struct user_rec usr = { .email = "i@example.org", .name = "I", .role = "integrity", .password_hash = "!",
				.active = 1, .created_at = 1 };
	if (s->ops->unit_insert(s, &u, &unit) != VD_OK || s->ops->user_insert(s, &usr, user) != VD_OK)
		return false;
	static const unsigned char blob[4] = { 1, 2, 3, 4 };
	struct wb_report_rec r = { .unit_id = unit, .channel = "written", .category = "", .relation = "employee",
				   .received_day = 19723, .outcome = "", .open = 1, .locator = "WBGUARD1",
				   .content = blob, .content_len = sizeof blob };
	struct wb_key_rec k = { .user_id = *user };
	struct wb_event_rec e = { .kind = "note", .at = 2, .by = *user, .body = blob, .body_len = sizeof blob };
	if (s->ops->wb_report_insert(s, &r, &k, 1, id) != VD_OK)
		return false;
	e.report_id = *id;
	return s->ops->wb_event_insert(s, &e, &eid) == VD_OK;
}

/* A report's events are never changed, whoever opens the file; but when
 * the report itself goes (crypto-shredding), its events and keys go with it. */
static void wb_events_refuse_update_but_go_with_their_report(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t id, user;
	CHECK(wb_guard_report(s, &id, &user));
	store_close(s);
	static const char *const refused[] = {
		"UPDATE wb_events SET body = NULL",
		"UPDATE wb_events SET kind = 'message_in', by = 0",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		CHECK_EQ_INT(raw(dbpath, refused[i]), SQLITE_CONSTRAINT);
	/* what the store promises (store.h): the refusal is VD_ERR_MISUSE */
	sqlite3 *db;
	CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK);
	sqlite3_extended_result_codes(db, 1);
	int rc = sqlite3_exec(db, "UPDATE wb_events SET at = 3", NULL, NULL, NULL);
	sqlite3_close(db);
	CHECK_EQ_INT(rc, SQLITE_CONSTRAINT_TRIGGER);
	CHECK_EQ_INT(raw(dbpath, "PRAGMA foreign_keys=ON; DELETE FROM wb_reports"), SQLITE_OK);
	CHECK_EQ_INT(store_sqlite_open(dbpath, 0, &s), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct wb_event_recs l;
	rc = s->ops->wb_event_list(s, &a, id, 10, &l);
	arena_release(&a);
	CHECK_EQ_INT(rc, VD_OK);
	CHECK_EQ_INT(l.n, 0);
	struct wb_key_rec k;
	CHECK_EQ_INT(s->ops->wb_key_get(s, id, user, &k), VD_ERR_NOTFOUND);
	store_close(s);
}

/* A key of the wrong length is a damaged row, not a key. */
static void wb_damaged_keys_are_store_errors(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t id, user;
	CHECK(wb_guard_report(s, &id, &user));
	store_close(s);
	CHECK_EQ_INT(raw(dbpath, "UPDATE wb_reports SET mailbox_by_report = x'00'"), SQLITE_OK);
	CHECK_EQ_INT(raw(dbpath, "UPDATE wb_report_keys SET identity_key = x'00'"), SQLITE_OK);
	CHECK_EQ_INT(store_sqlite_open(dbpath, 0, &s), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct wb_report_rec r;
	struct wb_report_recs l;
	int64_t unit = 1; /* the fresh database's first unit, wb_guard_report's */
	struct wb_query q = { .user_id = user, .units = &unit, .nunits = 1, .open = 1, .limit = 10 };
	struct wb_key_rec k;
	int got = s->ops->wb_report_get(s, &a, id, &r);
	int found = s->ops->wb_report_find_locator(s, &a, "WBGUARD1", &r);
	int listed = s->ops->wb_report_list(s, &a, &q, &l);
	int key = s->ops->wb_key_get(s, id, user, &k);
	arena_release(&a);
	store_close(s);
	CHECK(got == VD_ERR_STORE && found == VD_ERR_STORE && listed == VD_ERR_STORE);
	CHECK_EQ_INT(key, VD_ERR_STORE);
}

/* ---- constraint codes -------------------------------------------------------------- */

static void constraint_codes_are_told_apart(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct unit_rec u = { .name = "Landelijk", .kind = "national", .created_at = 1 };
	int64_t unit, user, user2, id, id2;
	CHECK_EQ_INT(s->ops->unit_insert(s, &u, &unit), VD_OK);
	struct user_rec usr = { .email = "c@example.org", .name = "C", .role = "counsellor", .password_hash = "!",
				.active = 1, .created_at = 1 };
	CHECK_EQ_INT(s->ops->user_insert(s, &usr, &user), VD_OK);
	/* unique: SQLITE_CONSTRAINT_UNIQUE */
	CHECK_EQ_INT(s->ops->user_insert(s, &usr, &user2), VD_ERR_EXISTS);
	static const unsigned char blob[4] = { 1, 2, 3, 4 };
	struct case_rec c = { .locator = "CODES1", .unit_id = unit, .channel = "web", .reporter_type = "member",
			      .relation = "colleague", .location = "online", .behaviours = 1, .phase = "new",
			      .created_at = 1, .content = blob, .content_len = sizeof blob };
	CHECK_EQ_INT(s->ops->case_insert(s, &c, NULL, 0, &id), VD_OK);
	CHECK_EQ_INT(s->ops->case_insert(s, &c, NULL, 0, &id2), VD_ERR_EXISTS); /* the locator */
	/* a foreign key to a missing row: SQLITE_CONSTRAINT_FOREIGNKEY on insert */
	c.locator = "CODES2";
	c.unit_id = unit + 100;
	CHECK_EQ_INT(s->ops->case_insert(s, &c, NULL, 0, &id2), VD_ERR_NOTFOUND);
	/* the same on delete: the row is still named */
	CHECK_EQ_INT(s->ops->unit_delete(s, unit), VD_ERR_INUSE);
	/* a trigger's RAISE(ABORT): SQLITE_CONSTRAINT_TRIGGER (no store operation
	 * changes a guarded row, so an explicit id provokes the replace guard) */
	struct exception_rec e = { .id = 0, .case_id = id, .at = 2, .by = user, .conditions = 1, .content = blob,
				   .content_len = sizeof blob };
	int64_t eid;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &eid), VD_OK);
	char sql[120];
	snprintf(sql, sizeof sql, "INSERT INTO exceptions VALUES(%lld, %lld, 0, 0, 0, x'00', 0)", (long long)eid,
		 (long long)id);
	sqlite3 *db;
	CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK);
	sqlite3_extended_result_codes(db, 1);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	CHECK_EQ_INT(rc, SQLITE_CONSTRAINT_TRIGGER);
	store_close(s);
}

/* ---- writers at once ----------------------------------------------------------------- */

#define WRITES 200

struct writer {
	const char *path;
	int failures; /* an answer other than VD_OK or VD_ERR_BUSY */
};

/* Each writer has a store handle of its own (as another process would), and
 * retries what the lock answered with VD_ERR_BUSY. */
static void *write_many(void *arg)
{
	struct writer *w = arg;
	struct store *s = NULL;
	if (store_sqlite_open(w->path, 0, &s) != VD_OK) {
		w->failures = WRITES;
		return NULL;
	}
	for (int i = 0; i < WRITES; i++) {
		int64_t v;
		int rc;
		while ((rc = s->ops->counter_increment(s, "hits", &v)) == VD_ERR_BUSY)
			;
		w->failures += rc != VD_OK;
		struct audit_rec r = { .at = i, .actor_id = 1, .action = "login", .object_kind = "user", .object_id = i };
		while ((rc = s->ops->audit_append_next(s, &r, test_seal)) == VD_ERR_BUSY)
			;
		w->failures += rc != VD_OK;
	}
	store_close(s);
	return NULL;
}

static void concurrent_writers_lose_nothing(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct writer w[2] = { { dbpath, 0 }, { dbpath, 0 } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, write_many, &w[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ_INT(w[0].failures + w[1].failures, 0);
	int64_t hits = 0;
	CHECK_EQ_INT(s->ops->counter_get(s, "hits", &hits), VD_OK);
	CHECK_EQ_INT(hits, 2 * WRITES);
	/* the chain: 1..2N, each entry after the one before */
	struct arena a;
	arena_init(&a, 0);
	struct audit_recs l;
	CHECK_EQ_INT(s->ops->audit_after(s, &a, 0, 10 * WRITES, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2 * WRITES);
	unsigned char prev[STORE_AUDIT_HASH_LEN] = { 0 };
	for (size_t i = 0; i < l.n; i++) {
		CHECK_EQ_INT(l.items[i].seq, (int64_t)i + 1);
		CHECK(memcmp(l.items[i].prev_hash, prev, sizeof prev) == 0);
		memcpy(prev, l.items[i].hash, sizeof prev);
	}
	arena_release(&a);
	store_close(s);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	static const struct test tests[] = {
		TEST(migrate_sets_version), TEST(newer_schema_refused), TEST(missing_db_not_created_without_create),
		TEST(dates_migrate_to_epoch_days), TEST(documents_migrate_to_versions), TEST(triggers_refuse_changes_behind_our_back),
		TEST(wb_events_refuse_update_but_go_with_their_report), TEST(wb_damaged_keys_are_store_errors),
		TEST(constraint_codes_are_told_apart),
		TEST(concurrent_writers_lose_nothing),
	};
	int rc = check_run("store_sqlite", tests, sizeof tests / sizeof tests[0]);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
