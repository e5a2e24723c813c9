/*
 * Unit tests: the storage contract (src/store/store.h), operation by
 * operation, through struct store_ops alone.
 *
 * Why: the core trusts store.h, not SQLite. Every backend (SQLite today,
 * PostgreSQL later) must pass this same file, so it reads nothing but the
 * interface: no SQL, no file layout, no crypto. Hashes, keys and sealed keys
 * are opaque bytes here, filled with memset patterns. Each test checks the
 * values it reads back, so that a wrong operation fails, not only one that
 * returns an error. The backend is chosen in open_empty(), the one place a
 * new backend adds a branch (VD_STORE_BACKEND, default "sqlite").
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "../../src/crypto/crypto.h" /* a digest for store_copy, nothing more */
#include "../../src/store/store.h"
#include "../../src/util/arena.h"
#include "../../src/util/errors.h"
#include "../../src/util/ids.h"
#include "check.h"

#define DAY0 19723 /* 2024-01-01 as an epoch day; the store only compares numbers */

/* ---- the store under test ---------------------------------------------------------- */

static char dir[] = "/tmp/vd-contract-XXXXXX";
static int dir_made;

/* PostgreSQL: the database VD_TEST_PG names (tests/pg/cluster makes one)
 * emptied, its schema made anew: the one place this file speaks SQL. */
static struct store *open_empty_postgres_in(const char *schema)
{
	const char *conninfo = getenv("VD_TEST_PG");
	if (!conninfo || !*conninfo) {
		printf("FAIL: unit/store_contract_pg/backend: VD_TEST_PG is not set (tests/run starts a cluster)\n");
		fflush(stdout);
		exit(1);
	}
	char sql[256], in_schema[1024];
	snprintf(sql, sizeof sql, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
		 schema, schema);
	/* the store makes its tables in the first schema of the search path */
	snprintf(in_schema, sizeof in_schema, "%s options=-csearch_path=%s", conninfo, schema);
	PGconn *pg = PQconnectdb(conninfo);
	PGresult *r = PQstatus(pg) == CONNECTION_OK ? PQexec(pg, sql) : NULL;
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	PQfinish(pg);
	struct store *s = NULL;
	return ok && store_postgres_open(in_schema, &s) == VD_OK ? s : NULL;
}

static struct store *open_empty_postgres(void)
{
	return open_empty_postgres_in("public");
}

static bool on_postgres(void)
{
	const char *backend = getenv("VD_STORE_BACKEND");
	return backend && strcmp(backend, "postgres") == 0;
}

/* A new, empty, unmigrated store of the backend named by VD_STORE_BACKEND. */
static struct store *open_empty(void)
{
	const char *backend = getenv("VD_STORE_BACKEND");
	if (!backend || !*backend)
		backend = "sqlite";
	if (strcmp(backend, "postgres") == 0)
		return open_empty_postgres();
	if (strcmp(backend, "sqlite") == 0) {
		static int n;
		if (!dir_made && !mkdtemp(dir))
			return NULL;
		dir_made = 1;
		char path[sizeof dir + 32];
		snprintf(path, sizeof path, "%s/s%d.db", dir, n++);
		struct store *s = NULL;
		return store_sqlite_open(path, 1, &s) == VD_OK ? s : NULL;
	}
	printf("FAIL: unit/store_contract/backend: unknown backend %s\n", backend);
	fflush(stdout);
	exit(1);
}

/* A path for a copy_to, and the copy opened there by the same backend. */
static void copy_path(char *out, size_t n)
{
	static int k;
	if (!dir_made && mkdtemp(dir))
		dir_made = 1;
	snprintf(out, n, "%s/copy%d.db", dir, k++);
}

static struct store *open_copy(const char *path)
{
	struct store *s = NULL;
	return store_sqlite_open(path, 0, &s) == VD_OK ? s : NULL;
}

/* Each test gets a new store and an arena for what it reads; both are freed
 * by the next fresh() (or at the end), so a failed CHECK leaks nothing; so
 * are the copies a test makes (copies[]). */
static struct store *cur, *copies[2];
static struct arena mem;

static void teardown(void)
{
	store_close(cur);
	cur = NULL;
	for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++) {
		store_close(copies[i]);
		copies[i] = NULL;
	}
	arena_release(&mem);
}

/* copies[k]: a second empty store of the backend under test, not migrated
 * (PostgreSQL: another schema of the test database). */
static struct store *second_unmigrated(int k)
{
	store_close(copies[k]);
	copies[k] = on_postgres() ? open_empty_postgres_in(k ? "vd_copy1" : "vd_copy0") : open_empty();
	return copies[k];
}

/* A new empty store, not yet migrated. */
static struct store *fresh_unmigrated(void)
{
	teardown();
	arena_init(&mem, 0);
	return cur = open_empty();
}

/* A new empty store brought up to date: where every test starts. */
static struct store *fresh(void)
{
	struct store *s = fresh_unmigrated();
	if (s && s->ops->migrate(s, NULL, NULL) != VD_OK) {
		teardown();
		return NULL;
	}
	return s;
}

/* ---- shared helpers: the few records most tests need ------------------------------- */

/* A unit; its id, 0 if the insert failed. */
static int64_t add_unit(struct store *s, int64_t parent, const char *name)
{
	struct unit_rec u = { .parent_id = parent, .name = name, .kind = "group", .created_at = 100 };
	int64_t id = 0;
	return s->ops->unit_insert(s, &u, &id) == VD_OK ? id : 0;
}

/* An active user; its id, 0 if the insert failed. */
static int64_t add_user(struct store *s, const char *role, const char *name, const char *email)
{
	struct user_rec u = { .email = email, .name = name, .role = role, .password_hash = "!",
			      .must_change_password = 1, .active = 1, .created_at = 100 };
	int64_t id = 0;
	return s->ops->user_insert(s, &u, &id) == VD_OK ? id : 0;
}

/* A reader's sealed key in these tests: a pattern from their id, and salt
 * to tell two sealings for the same reader apart. */
static void seal_for(struct case_key_rec *k, int64_t user_id, int salt)
{
	k->user_id = user_id;
	memset(k->sealed_key, (int)((user_id * 7 + salt) & 0xff), sizeof k->sealed_key);
}

static const unsigned char case_content[] = "sealed report";

/* A case of unit that came in at created_at on day created_day, with a
 * chosen counsellor (0: any of the unit), readable by the n users in
 * readers; its id, 0 on failure. */
static int64_t add_case_on(struct store *s, int64_t unit, const char *locator, int64_t created_at,
			   int64_t created_day, int64_t counsellor, const int64_t *readers, size_t n)
{
	struct case_rec c = { .locator = locator, .unit_id = unit, .counsellor_id = counsellor, .channel = "web",
			      .reporter_type = "employee", .relation = "colleague", .location = "office",
			      .behaviours = 5, .named = 0, .phase = "new", .created_at = created_at,
			      .created_day = created_day, .content = case_content, .content_len = sizeof case_content };
	memset(c.receipt_salt, 0x11, sizeof c.receipt_salt);
	memset(c.receipt_verifier, 0x22, sizeof c.receipt_verifier);
	memset(c.key_by_receipt, 0x33, sizeof c.key_by_receipt);
	struct case_key_rec keys[8];
	if (n > 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		seal_for(&keys[i], readers[i], 0);
	int64_t id = 0;
	return s->ops->case_insert(s, &c, keys, n, &id) == VD_OK ? id : 0;
}

static int64_t add_case_for(struct store *s, int64_t unit, const char *locator, int64_t created_at,
			    int64_t counsellor, const int64_t *readers, size_t n)
{
	return add_case_on(s, unit, locator, created_at, DAY0, counsellor, readers, n);
}

static int64_t add_case(struct store *s, int64_t unit, const char *locator, int64_t created_at,
			const int64_t *readers, size_t n)
{
	return add_case_for(s, unit, locator, created_at, 0, readers, n);
}

/* A unit, a counsellor and one case they read: the usual start. */
static int64_t one_case(struct store *s, int64_t *unit, int64_t *reader)
{
	*unit = add_unit(s, 0, "Unit");
	*reader = add_user(s, "counsellor", "Carla", "carla@example.org");
	if (!*unit || !*reader)
		return 0;
	return add_case(s, *unit, "LOC-1", 1000, reader, 1);
}

static int unit_count(struct store *s)
{
	struct unit_recs l;
	return s->ops->unit_list(s, &mem, &l) == VD_OK ? (int)l.n : -1;
}

/* ---- schema ------------------------------------------------------------------------ */

static void migrate_from_empty_then_idempotent(void)
{
	struct store *s = fresh_unmigrated();
	CHECK(s != NULL);
	int from = -1, to = -1, v = -1;
	CHECK_EQ_INT(s->ops->migrate(s, &from, &to), VD_OK);
	CHECK_EQ_INT(from, 0);
	CHECK_EQ_INT(to, STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(s->ops->schema_version(s, &v), VD_OK);
	CHECK_EQ_INT(v, STORE_SCHEMA_VERSION);
	from = to = -1;
	CHECK_EQ_INT(s->ops->migrate(s, &from, &to), VD_OK);
	CHECK_EQ_INT(from, STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(to, STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(s->ops->check(s), VD_OK);
	CHECK(s->ops->name != NULL && s->ops->name[0] != '\0');
}

/* ---- transactions ------------------------------------------------------------------ */

static void commit_keeps_and_reads_own_writes(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK(add_unit(s, 0, "Kept") > 0);
	CHECK_EQ_INT(unit_count(s), 1); /* a transaction sees its own writes */
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
	CHECK_EQ_INT(unit_count(s), 1);
}

static void rollback_drops_every_kind_of_write(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, reader;
	int64_t case_id = one_case(s, &unit, &reader);
	CHECK(case_id > 0);
	int64_t n = 0;
	/* an insert, an update, an upsert, an increment, a compare-and-set and
	 * a write of several rows: the rollback drops them all */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK(add_unit(s, unit, "Gone") > 0);
	CHECK_EQ_INT(s->ops->user_set_password(s, reader, "$new", 0), VD_OK);
	CHECK_EQ_INT(s->ops->setting_put(s, "k", "v"), VD_OK);
	CHECK_EQ_INT(s->ops->counter_increment(s, "c", &n), VD_OK);
	CHECK_EQ_INT(s->ops->case_set_phase(s, case_id, "new", "intake", 5, reader), VD_OK);
	CHECK(add_case(s, unit, "LOC-2", 2000, &reader, 1) > 0);
	s->ops->rollback(s);
	CHECK_EQ_INT(unit_count(s), 1);
	struct user_rec u;
	CHECK_EQ_INT(s->ops->user_get(s, &mem, reader, &u), VD_OK);
	CHECK_STR(u.password_hash, "!");
	CHECK_EQ_INT(u.must_change_password, 1);
	const char *v;
	CHECK_EQ_INT(s->ops->setting_get(s, &mem, "k", &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->counter_get(s, "c", &n), VD_OK);
	CHECK_EQ_INT(n, 0);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, case_id, &c), VD_OK);
	CHECK_STR(c.phase, "new");
	struct phase_move_recs moves;
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, case_id, 10, &moves), VD_OK);
	CHECK_EQ_INT(moves.n, 0);
	CHECK_EQ_INT(s->ops->case_find_locator(s, &mem, "LOC-2", &c), VD_ERR_NOTFOUND);
	struct case_summary_recs l;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, reader, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
}

static void rollback_outside_transaction_is_noop(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	CHECK(add_unit(s, 0, "Stays") > 0);
	s->ops->rollback(s);
	CHECK_EQ_INT(unit_count(s), 1);
	/* and the store still works: a transaction can begin afterwards */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
}

static void begin_inside_transaction_invalid(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK(add_unit(s, 0, "Inner") > 0);
	CHECK_EQ_INT(s->ops->begin(s), VD_ERR_MISUSE);
	/* the refused begin left the outer transaction as it was */
	s->ops->rollback(s);
	CHECK_EQ_INT(unit_count(s), 0);
}

static void multi_row_op_atomic_on_its_own(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t reader = add_user(s, "counsellor", "Carla", "carla@example.org");
	CHECK(unit > 0 && reader > 0);
	/* the second reader does not exist: the case row must not stay behind */
	struct case_rec c = { .locator = "LOC-X", .unit_id = unit, .channel = "web", .reporter_type = "employee",
			      .relation = "colleague", .location = "office", .phase = "new", .created_at = 1,
			      .content = case_content, .content_len = sizeof case_content };
	struct case_key_rec keys[2];
	seal_for(&keys[0], reader, 0);
	seal_for(&keys[1], reader + 1000, 0);
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->case_insert(s, &c, keys, 2, &id), VD_ERR_NOTFOUND);
	struct case_rec got;
	CHECK_EQ_INT(s->ops->case_find_locator(s, &mem, "LOC-X", &got), VD_ERR_NOTFOUND);
	struct case_summary_recs l;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, reader, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* and the locator is still free */
	CHECK(add_case(s, unit, "LOC-X", 1, &reader, 1) > 0);
}

/* ---- units ------------------------------------------------------------------------- */

static void units_insert_list_update_delete(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t root = add_unit(s, 0, "Landelijk");
	int64_t child = add_unit(s, root, "Provincie 'X'; DROP TABLE units;--");
	int64_t other = add_unit(s, 0, "Los");
	CHECK(root > 0 && child > 0 && other > 0);
	CHECK(root < child && child < other);
	struct unit_recs l;
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_INT(l.items[0].id, root); /* by id */
	CHECK_EQ_INT(l.items[0].parent_id, 0);
	CHECK_STR(l.items[0].name, "Landelijk");
	CHECK_STR(l.items[0].kind, "group");
	CHECK_EQ_INT(l.items[1].id, child);
	CHECK_EQ_INT(l.items[1].parent_id, root);
	CHECK_STR(l.items[1].name, "Provincie 'X'; DROP TABLE units;--");
	CHECK_EQ_INT(l.items[2].id, other);

	struct unit_rec u = { .id = other, .parent_id = root, .name = "Jeugd \"Noord\" /* x */", .kind = "youth" };
	CHECK_EQ_INT(s->ops->unit_update(s, &u), VD_OK);
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_INT(l.items[2].parent_id, root);
	CHECK_STR(l.items[2].name, "Jeugd \"Noord\" /* x */");
	CHECK_STR(l.items[2].kind, "youth");
	u.parent_id = 0; /* back to a root */
	CHECK_EQ_INT(s->ops->unit_update(s, &u), VD_OK);
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.items[2].parent_id, 0);

	CHECK_EQ_INT(s->ops->unit_delete(s, child), VD_OK);
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.items[0].id, root);
	CHECK_EQ_INT(l.items[1].id, other);
}

static void units_missing_notfound(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t id = add_unit(s, 0, "Een");
	CHECK(id > 0);
	struct unit_rec u = { .id = id + 100, .name = "Nergens", .kind = "other" };
	CHECK_EQ_INT(s->ops->unit_update(s, &u), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->unit_delete(s, id + 100), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->unit_delete(s, id), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(unit_count(s), 0);
}

static void unit_delete_inuse(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t parent = add_unit(s, 0, "Ouder");
	int64_t child = add_unit(s, parent, "Kind");
	int64_t member = add_unit(s, 0, "Leden");
	int64_t logged = add_unit(s, 0, "Advies");
	int64_t cased = add_unit(s, 0, "Melding");
	int64_t user = add_user(s, "counsellor", "Carla", "carla@example.org");
	CHECK(parent && child && member && logged && cased && user);

	CHECK_EQ_INT(s->ops->unit_delete(s, parent), VD_ERR_INUSE); /* a sub-unit */

	int64_t ids[] = { member };
	struct id_list units = { ids, 1 };
	CHECK_EQ_INT(s->ops->user_units_set(s, user, &units), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, member), VD_ERR_INUSE); /* a member */

	struct counsellor_log_rec e = { .user_id = user, .kind = "advice", .on_day = DAY0, .unit_id = logged,
					.audience = "manager", .created_at = 1 };
	int64_t eid;
	CHECK_EQ_INT(s->ops->counsellor_log_insert(s, &e, &eid), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, logged), VD_ERR_INUSE); /* a log entry */

	CHECK(add_case(s, cased, "LOC-1", 1, &user, 1) > 0);
	CHECK_EQ_INT(s->ops->unit_delete(s, cased), VD_ERR_INUSE); /* a case */

	CHECK_EQ_INT(unit_count(s), 5); /* nothing went */
	/* once nothing names it, it goes */
	struct id_list none = { NULL, 0 };
	CHECK_EQ_INT(s->ops->user_units_set(s, user, &none), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, member), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, child), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, parent), VD_OK);
	CHECK_EQ_INT(s->ops->counsellor_log_delete(s, user, eid), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, logged), VD_OK);
	CHECK_EQ_INT(unit_count(s), 1);
}

/* ---- users ------------------------------------------------------------------------- */

static void users_insert_get_find(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct user_rec u = { .email = "Anouk@Example.org", .name = "Anouk", .role = "admin",
			      .password_hash = "$argon2id$a", .must_change_password = 1, .active = 1,
			      .created_at = 1234 };
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->user_insert(s, &u, &id), VD_OK);
	CHECK(id > 0);
	struct user_rec got;
	CHECK_EQ_INT(s->ops->user_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.id, id);
	CHECK_STR(got.email, "Anouk@Example.org"); /* kept as written */
	CHECK_STR(got.name, "Anouk");
	CHECK_STR(got.role, "admin");
	CHECK_STR(got.password_hash, "$argon2id$a");
	CHECK_EQ_INT(got.must_change_password, 1);
	CHECK_EQ_INT(got.active, 1);
	CHECK_EQ_INT(got.created_at, 1234);
	CHECK_EQ_INT(s->ops->user_get(s, &mem, id + 1, &got), VD_ERR_NOTFOUND);

	memset(&got, 0, sizeof got);
	CHECK_EQ_INT(s->ops->user_find_email(s, &mem, "anouk@example.org", &got), VD_OK);
	CHECK_EQ_INT(got.id, id);
	CHECK_EQ_INT(s->ops->user_find_email(s, &mem, "ANOUK@EXAMPLE.ORG", &got), VD_OK);
	CHECK_EQ_INT(got.id, id);
	CHECK_EQ_INT(s->ops->user_find_email(s, &mem, "anouk@example.net", &got), VD_ERR_NOTFOUND);
}

static void users_email_unique_any_case(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t a = add_user(s, "admin", "Anouk", "Anouk@Example.org");
	int64_t b = add_user(s, "reader", "Bram", "bram@example.org");
	CHECK(a > 0 && b > 0);
	struct user_rec u = { .email = "anouk@EXAMPLE.org", .name = "Ander", .role = "reader", .password_hash = "!",
			      .active = 1 };
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->user_insert(s, &u, &id), VD_ERR_EXISTS);
	struct user_recs l;
	CHECK_EQ_INT(s->ops->user_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);

	/* an update may not take another's address either, in any case */
	u.id = b;
	u.email = "ANOUK@example.org";
	CHECK_EQ_INT(s->ops->user_update(s, &u), VD_ERR_EXISTS);
	struct user_rec got;
	CHECK_EQ_INT(s->ops->user_get(s, &mem, b, &got), VD_OK);
	CHECK_STR(got.email, "bram@example.org");
	CHECK_STR(got.name, "Bram");
	/* but a user may change the case of their own */
	u.id = a;
	u.name = "Anouk";
	u.role = "admin";
	CHECK_EQ_INT(s->ops->user_update(s, &u), VD_OK);
	CHECK_EQ_INT(s->ops->user_get(s, &mem, a, &got), VD_OK);
	CHECK_STR(got.email, "ANOUK@example.org");
}

static void user_update_and_set_password(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t id = add_user(s, "reader", "Bram", "bram@example.org");
	CHECK(id > 0);
	struct user_rec u = { .id = id, .email = "b@example.org", .name = "Bram B", .role = "committee",
			      .password_hash = "ignored", .must_change_password = 0, .active = 0, .created_at = 9 };
	CHECK_EQ_INT(s->ops->user_update(s, &u), VD_OK);
	struct user_rec got;
	CHECK_EQ_INT(s->ops->user_get(s, &mem, id, &got), VD_OK);
	CHECK_STR(got.email, "b@example.org");
	CHECK_STR(got.name, "Bram B");
	CHECK_STR(got.role, "committee");
	CHECK_EQ_INT(got.active, 0);
	CHECK_STR(got.password_hash, "!");   /* not one of the updated fields */
	CHECK_EQ_INT(got.must_change_password, 1);
	CHECK_EQ_INT(got.created_at, 100);
	CHECK_EQ_INT(s->ops->user_find_email(s, &mem, "bram@example.org", &got), VD_ERR_NOTFOUND);

	CHECK_EQ_INT(s->ops->user_set_password(s, id, "$argon2id$x", 0), VD_OK);
	CHECK_EQ_INT(s->ops->user_get(s, &mem, id, &got), VD_OK);
	CHECK_STR(got.password_hash, "$argon2id$x");
	CHECK_EQ_INT(got.must_change_password, 0);
	CHECK_STR(got.name, "Bram B");
	CHECK_EQ_INT(s->ops->user_set_password(s, id, "$argon2id$y", 1), VD_OK);
	CHECK_EQ_INT(s->ops->user_get(s, &mem, id, &got), VD_OK);
	CHECK_STR(got.password_hash, "$argon2id$y");
	CHECK_EQ_INT(got.must_change_password, 1);
}

static void user_list_by_name_then_id(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t c = add_user(s, "reader", "Cor", "cor@example.org");
	int64_t a1 = add_user(s, "reader", "Anna", "anna1@example.org");
	int64_t b = add_user(s, "admin", "Bob", "bob@example.org");
	int64_t a2 = add_user(s, "reader", "Anna", "anna2@example.org");
	CHECK(c && a1 && b && a2);
	struct user_recs l;
	CHECK_EQ_INT(s->ops->user_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4);
	CHECK_EQ_INT(l.items[0].id, a1);
	CHECK_EQ_INT(l.items[1].id, a2);
	CHECK_EQ_INT(l.items[2].id, b);
	CHECK_EQ_INT(l.items[3].id, c);
	CHECK_STR(l.items[2].email, "bob@example.org");
	CHECK_STR(l.items[2].role, "admin");
}

static void user_units_set_replaces(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "Een"), u2 = add_unit(s, 0, "Twee"), u3 = add_unit(s, 0, "Drie");
	int64_t user = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t other = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(u1 && u2 && u3 && user && other);
	struct id_list got;
	CHECK_EQ_INT(s->ops->user_units_get(s, &mem, user, &got), VD_OK);
	CHECK_EQ_INT(got.n, 0);

	int64_t first[] = { u3, u1, u3 }; /* out of order, with a duplicate */
	struct id_list l = { first, 3 };
	CHECK_EQ_INT(s->ops->user_units_set(s, user, &l), VD_OK);
	int64_t theirs[] = { u2 };
	struct id_list lo = { theirs, 1 };
	CHECK_EQ_INT(s->ops->user_units_set(s, other, &lo), VD_OK);
	CHECK_EQ_INT(s->ops->user_units_get(s, &mem, user, &got), VD_OK);
	CHECK_EQ_INT(got.n, 2);
	CHECK_EQ_INT(got.ids[0], u1); /* ascending */
	CHECK_EQ_INT(got.ids[1], u3);

	int64_t second[] = { u2 };
	l = (struct id_list){ second, 1 };
	CHECK_EQ_INT(s->ops->user_units_set(s, user, &l), VD_OK);
	CHECK_EQ_INT(s->ops->user_units_get(s, &mem, user, &got), VD_OK);
	CHECK_EQ_INT(got.n, 1);
	CHECK_EQ_INT(got.ids[0], u2);
	/* another user's units are their own */
	CHECK_EQ_INT(s->ops->user_units_get(s, &mem, other, &got), VD_OK);
	CHECK_EQ_INT(got.n, 1);
	CHECK_EQ_INT(got.ids[0], u2);

	/* a unit that does not exist: refused as a whole, the old set stays */
	int64_t bad[] = { u1, u3 + 100 };
	l = (struct id_list){ bad, 2 };
	CHECK_EQ_INT(s->ops->user_units_set(s, user, &l), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->user_units_get(s, &mem, user, &got), VD_OK);
	CHECK_EQ_INT(got.n, 1);
	CHECK_EQ_INT(got.ids[0], u2);

	l = (struct id_list){ NULL, 0 };
	CHECK_EQ_INT(s->ops->user_units_set(s, user, &l), VD_OK);
	CHECK_EQ_INT(s->ops->user_units_get(s, &mem, user, &got), VD_OK);
	CHECK_EQ_INT(got.n, 0);
}

/* ---- profiles and the counsellor directory ----------------------------------------- */

static void profile_put_inserts_and_replaces(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t id = add_user(s, "counsellor", "Carla", "carla@example.org");
	CHECK(id > 0);
	struct profile_rec got;
	CHECK_EQ_INT(s->ops->profile_get(s, &mem, id, &got), VD_ERR_NOTFOUND);
	struct profile_rec p = { .user_id = id, .external = 1, .region = "Noord", .phone = "050-1234567",
				 .public_email = "vp@example.org", .languages = "nl, en", .intro = "Hallo 'allemaal'" };
	CHECK_EQ_INT(s->ops->profile_put(s, &p), VD_OK);
	CHECK_EQ_INT(s->ops->profile_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.user_id, id);
	CHECK_EQ_INT(got.external, 1);
	CHECK_STR(got.region, "Noord");
	CHECK_STR(got.phone, "050-1234567");
	CHECK_STR(got.public_email, "vp@example.org");
	CHECK_STR(got.languages, "nl, en");
	CHECK_STR(got.intro, "Hallo 'allemaal'");
	p = (struct profile_rec){ .user_id = id, .external = 0, .region = "Zuid", .phone = "", .public_email = "",
				  .languages = "nl", .intro = "Nieuw" };
	CHECK_EQ_INT(s->ops->profile_put(s, &p), VD_OK);
	CHECK_EQ_INT(s->ops->profile_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.external, 0);
	CHECK_STR(got.region, "Zuid");
	CHECK_STR(got.phone, "");
	CHECK_STR(got.public_email, "");
	CHECK_STR(got.languages, "nl");
	CHECK_STR(got.intro, "Nieuw");
	CHECK_EQ_INT(s->ops->profile_get(s, &mem, id + 1, &got), VD_ERR_NOTFOUND);
}

static void counsellor_list_active_counsellors_by_name(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "Een"), u2 = add_unit(s, 0, "Twee");
	int64_t zoe = add_user(s, "counsellor", "Zoe", "zoe@example.org");
	int64_t anna1 = add_user(s, "counsellor", "Anna", "anna1@example.org");
	int64_t gone = add_user(s, "counsellor", "Bert", "bert@example.org");
	int64_t admin = add_user(s, "admin", "Bea", "bea@example.org");
	int64_t cand = add_user(s, "candidate", "Cees", "cees@example.org");
	int64_t anna2 = add_user(s, "counsellor", "Anna", "anna2@example.org");
	CHECK(u1 && u2 && zoe && anna1 && gone && admin && cand && anna2);
	struct user_rec off = { .id = gone, .email = "bert@example.org", .name = "Bert", .role = "counsellor",
				.active = 0 };
	CHECK_EQ_INT(s->ops->user_update(s, &off), VD_OK);
	struct profile_rec p = { .user_id = zoe, .external = 1, .region = "Oost", .phone = "06", .public_email = "z@x",
				 .languages = "en", .intro = "Hoi" };
	CHECK_EQ_INT(s->ops->profile_put(s, &p), VD_OK);
	p.user_id = admin; /* a profile does not make an admin a counsellor */
	CHECK_EQ_INT(s->ops->profile_put(s, &p), VD_OK);
	int64_t ids[] = { u2, u1 };
	struct id_list units = { ids, 2 };
	CHECK_EQ_INT(s->ops->user_units_set(s, zoe, &units), VD_OK);

	struct counsellor_recs l;
	CHECK_EQ_INT(s->ops->counsellor_list(s, &mem, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_INT(l.items[0].user_id, anna1); /* by name, then id */
	CHECK_EQ_INT(l.items[1].user_id, anna2);
	CHECK_EQ_INT(l.items[2].user_id, zoe);
	CHECK_STR(l.items[0].name, "Anna");
	/* no profile saved: empty fields */
	CHECK_EQ_INT(l.items[0].profile.external, 0);
	CHECK_STR(l.items[0].profile.region, "");
	CHECK_STR(l.items[0].profile.phone, "");
	CHECK_STR(l.items[0].profile.public_email, "");
	CHECK_STR(l.items[0].profile.languages, "");
	CHECK_STR(l.items[0].profile.intro, "");
	CHECK_EQ_INT(l.items[0].units.n, 0);
	CHECK_STR(l.items[2].name, "Zoe");
	CHECK_EQ_INT(l.items[2].profile.external, 1);
	CHECK_STR(l.items[2].profile.region, "Oost");
	CHECK_STR(l.items[2].profile.phone, "06");
	CHECK_STR(l.items[2].profile.public_email, "z@x");
	CHECK_STR(l.items[2].profile.languages, "en");
	CHECK_STR(l.items[2].profile.intro, "Hoi");
	CHECK_EQ_INT(l.items[2].units.n, 2);
	CHECK_EQ_INT(l.items[2].units.ids[0], u1);
	CHECK_EQ_INT(l.items[2].units.ids[1], u2);
}

/* ---- sessions ---------------------------------------------------------------------- */

static struct session_rec session_of(int64_t user_id, int pattern, int64_t last_seen_at, int64_t expires_at)
{
	struct session_rec r = { .user_id = user_id, .created_at = 50, .last_seen_at = last_seen_at,
				 .expires_at = expires_at };
	memset(r.token_hash, pattern, sizeof r.token_hash);
	return r;
}

/* The second factor: the sealed secret and whether it is on, each step
 * once, backup codes used up, and sessions whose second factor is due. */
static void totp_steps_backup_codes_and_due_sessions(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t uid = add_user(s, "counsellor", "C", "c@example.org"), other = add_user(s, "admin", "A", "a@example.org");
	CHECK(uid > 0 && other > 0);
	struct user_totp_rec t;
	CHECK_EQ_INT(s->ops->user_totp_get(s, &mem, uid, &t), VD_OK);
	CHECK(t.secret == NULL && t.on == 0 && t.last_step == 0);
	CHECK_EQ_INT(s->ops->user_totp_get(s, &mem, 99999, &t), VD_ERR_NOTFOUND);
	static const unsigned char sealed[] = "sealed secret";
	unsigned char hashes[3][STORE_BACKUP_HASH_LEN];
	for (int i = 0; i < 3; i++)
		memset(hashes[i], 'a' + i, sizeof hashes[i]);
	CHECK_EQ_INT(s->ops->user_totp_put(s, uid, sealed, sizeof sealed, 1, (const unsigned char(*)[STORE_BACKUP_HASH_LEN])hashes, 3), VD_OK);
	CHECK_EQ_INT(s->ops->user_totp_put(s, 99999, sealed, sizeof sealed, 1, NULL, 0), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->user_totp_get(s, &mem, uid, &t), VD_OK);
	CHECK(t.secret && t.secret_len == sizeof sealed && memcmp(t.secret, sealed, sizeof sealed) == 0 && t.on == 1);
	/* steps only forward */
	CHECK_EQ_INT(s->ops->user_totp_use_step(s, uid, 100), VD_OK);
	CHECK_EQ_INT(s->ops->user_totp_use_step(s, uid, 100), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->user_totp_use_step(s, uid, 99), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->user_totp_use_step(s, uid, 101), VD_OK);
	CHECK_EQ_INT(s->ops->user_totp_get(s, &mem, uid, &t), VD_OK);
	CHECK_EQ_INT(t.last_step, 101);
	/* backup codes: each once, only the owner's */
	int64_t left = -1;
	CHECK_EQ_INT(s->ops->backup_codes_left(s, uid, &left), VD_OK);
	CHECK_EQ_INT(left, 3);
	CHECK_EQ_INT(s->ops->backup_code_use(s, other, hashes[1], &left), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->backup_code_use(s, uid, hashes[1], &left), VD_OK);
	CHECK_EQ_INT(left, 2);
	CHECK_EQ_INT(s->ops->backup_code_use(s, uid, hashes[1], &left), VD_ERR_NOTFOUND);
	/* off: no secret, no codes, the step back to 0 */
	CHECK_EQ_INT(s->ops->user_totp_put(s, uid, NULL, 0, 0, NULL, 0), VD_OK);
	CHECK_EQ_INT(s->ops->user_totp_get(s, &mem, uid, &t), VD_OK);
	CHECK(t.secret == NULL && t.on == 0 && t.last_step == 0);
	CHECK_EQ_INT(s->ops->backup_codes_left(s, uid, &left), VD_OK);
	CHECK_EQ_INT(left, 0);
	/* a session whose second factor is due, then done */
	struct session_rec due = session_of(uid, 7, 100, 1000), got;
	due.second_factor_due = 1;
	CHECK_EQ_INT(s->ops->session_insert(s, &due), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, due.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.second_factor_due, 1);
	CHECK_EQ_INT(s->ops->session_second_factor_done(s, due.token_hash), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, due.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.second_factor_due, 0);
	unsigned char none[STORE_TOKEN_HASH_LEN];
	memset(none, 0x77, sizeof none);
	CHECK_EQ_INT(s->ops->session_second_factor_done(s, none), VD_ERR_NOTFOUND);
}

static void sessions_insert_get_touch(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t uid = add_user(s, "admin", "A", "a@example.org");
	CHECK(uid > 0);
	struct session_rec with = session_of(uid, 1, 100, 1000), without = session_of(uid, 2, 110, 2000);
	with.has_sk = 1;
	memset(with.sk_wrapped, 0x5a, sizeof with.sk_wrapped);
	with.sk_wrapped[0] = 0x01; /* not just one byte repeated */
	struct session_rec got;
	CHECK_EQ_INT(s->ops->session_get(s, with.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_insert(s, &with), VD_OK);
	CHECK_EQ_INT(s->ops->session_insert(s, &without), VD_OK);

	memset(&got, 0, sizeof got);
	CHECK_EQ_INT(s->ops->session_get(s, with.token_hash, &got), VD_OK);
	CHECK(memcmp(got.token_hash, with.token_hash, sizeof got.token_hash) == 0);
	CHECK_EQ_INT(got.user_id, uid);
	CHECK_EQ_INT(got.created_at, 50);
	CHECK_EQ_INT(got.last_seen_at, 100);
	CHECK_EQ_INT(got.expires_at, 1000);
	CHECK_EQ_INT(got.has_sk, 1);
	CHECK(memcmp(got.sk_wrapped, with.sk_wrapped, sizeof got.sk_wrapped) == 0);
	got.has_sk = 1;
	CHECK_EQ_INT(s->ops->session_get(s, without.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.has_sk, 0);
	CHECK_EQ_INT(got.last_seen_at, 110);
	CHECK_EQ_INT(got.expires_at, 2000);

	/* the session and its user in one read: the same fields as the two reads */
	struct session_rec both;
	struct user_rec u;
	memset(&both, 0, sizeof both);
	CHECK_EQ_INT(s->ops->session_user_get(s, &mem, with.token_hash, &both, &u), VD_OK);
	CHECK(both.user_id == uid && both.created_at == 50 && both.last_seen_at == 100 && both.expires_at == 1000 &&
	      both.has_sk == 1 && both.second_factor_due == 0);
	CHECK(memcmp(both.sk_wrapped, with.sk_wrapped, sizeof both.sk_wrapped) == 0);
	CHECK(memcmp(both.token_hash, with.token_hash, sizeof both.token_hash) == 0);
	CHECK(u.id == uid && strcmp(u.email, "a@example.org") == 0 && strcmp(u.name, "A") == 0 &&
	      strcmp(u.role, "admin") == 0 && u.active == 1);
	CHECK_EQ_INT(s->ops->session_user_get(s, &mem, without.token_hash, &both, &u), VD_OK);
	CHECK(both.has_sk == 0 && both.expires_at == 2000);
	unsigned char unknown[STORE_TOKEN_HASH_LEN];
	memset(unknown, 0x42, sizeof unknown);
	CHECK_EQ_INT(s->ops->session_user_get(s, &mem, unknown, &both, &u), VD_ERR_NOTFOUND);

	CHECK_EQ_INT(s->ops->session_touch(s, with.token_hash, 777), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, with.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.last_seen_at, 777);
	CHECK_EQ_INT(got.expires_at, 1000); /* the absolute end does not move */
	CHECK_EQ_INT(got.has_sk, 1);
	CHECK_EQ_INT(s->ops->session_get(s, without.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.last_seen_at, 110);

	/* a session of a user that does not exist refers to a missing record */
	struct session_rec orphan = session_of(uid + 100, 3, 1, 2);
	CHECK_EQ_INT(s->ops->session_insert(s, &orphan), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_get(s, orphan.token_hash, &got), VD_ERR_NOTFOUND);
}

static void sessions_delete_and_delete_user(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t a = add_user(s, "admin", "A", "a@example.org");
	int64_t b = add_user(s, "admin", "B", "b@example.org");
	CHECK(a > 0 && b > 0);
	struct session_rec a1 = session_of(a, 1, 100, 1000), a2 = session_of(a, 2, 100, 1000),
			   b1 = session_of(b, 3, 100, 1000), none = session_of(a, 9, 0, 0);
	CHECK_EQ_INT(s->ops->session_insert(s, &a1), VD_OK);
	CHECK_EQ_INT(s->ops->session_insert(s, &a2), VD_OK);
	CHECK_EQ_INT(s->ops->session_insert(s, &b1), VD_OK);
	struct session_rec got;
	CHECK_EQ_INT(s->ops->session_delete(s, a1.token_hash), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, a1.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_get(s, a2.token_hash, &got), VD_OK);
	CHECK_EQ_INT(s->ops->session_delete(s, none.token_hash), VD_OK); /* none: still VD_OK */
	CHECK_EQ_INT(s->ops->session_delete(s, a1.token_hash), VD_OK);

	CHECK_EQ_INT(s->ops->session_insert(s, &a1), VD_OK);
	CHECK_EQ_INT(s->ops->session_delete_user(s, a), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, a1.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_get(s, a2.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_get(s, b1.token_hash, &got), VD_OK); /* another user's stays */
	CHECK_EQ_INT(got.user_id, b);
}

static void sessions_purge_idle_and_expired(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t uid = add_user(s, "admin", "A", "a@example.org");
	CHECK(uid > 0);
	struct session_rec idle = session_of(uid, 1, 100, 1000);  /* last seen before 200 */
	struct session_rec ended = session_of(uid, 2, 300, 400);  /* expired by 500 */
	struct session_rec live = session_of(uid, 3, 300, 1000);  /* neither */
	struct session_rec edge = session_of(uid, 4, 200, 1000);  /* last seen at idle_before: not before it */
	CHECK_EQ_INT(s->ops->session_insert(s, &idle), VD_OK);
	CHECK_EQ_INT(s->ops->session_insert(s, &ended), VD_OK);
	CHECK_EQ_INT(s->ops->session_insert(s, &live), VD_OK);
	CHECK_EQ_INT(s->ops->session_insert(s, &edge), VD_OK);
	CHECK_EQ_INT(s->ops->session_purge(s, 200, 500), VD_OK);
	struct session_rec got;
	CHECK_EQ_INT(s->ops->session_get(s, idle.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_get(s, ended.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->session_get(s, live.token_hash, &got), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, edge.token_hash, &got), VD_OK);
}

/* ---- user keys --------------------------------------------------------------------- */

static struct user_key_rec key_of(int64_t user_id, int pattern)
{
	struct user_key_rec k = { .user_id = user_id, .created_at = 10 * pattern };
	memset(k.public_key, pattern, sizeof k.public_key);
	memset(k.password_salt, pattern + 1, sizeof k.password_salt);
	memset(k.sk_by_password, pattern + 2, sizeof k.sk_by_password);
	memset(k.recovery_salt, pattern + 3, sizeof k.recovery_salt);
	memset(k.sk_by_recovery, pattern + 4, sizeof k.sk_by_recovery);
	return k;
}

static int same_key(const struct user_key_rec *x, const struct user_key_rec *y)
{
	return x->user_id == y->user_id && x->created_at == y->created_at &&
	       memcmp(x->public_key, y->public_key, sizeof x->public_key) == 0 &&
	       memcmp(x->password_salt, y->password_salt, sizeof x->password_salt) == 0 &&
	       memcmp(x->sk_by_password, y->sk_by_password, sizeof x->sk_by_password) == 0 &&
	       memcmp(x->recovery_salt, y->recovery_salt, sizeof x->recovery_salt) == 0 &&
	       memcmp(x->sk_by_recovery, y->sk_by_recovery, sizeof x->sk_by_recovery) == 0;
}

static void user_keys_put_replaces(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t a = add_user(s, "counsellor", "A", "a@example.org");
	int64_t b = add_user(s, "counsellor", "B", "b@example.org");
	CHECK(a > 0 && b > 0);
	struct user_key_rec got;
	CHECK_EQ_INT(s->ops->user_key_get(s, a, &got), VD_ERR_NOTFOUND);
	struct user_key_rec ka = key_of(a, 0x10), kb = key_of(b, 0x40);
	CHECK_EQ_INT(s->ops->user_key_put(s, &ka), VD_OK);
	CHECK_EQ_INT(s->ops->user_key_put(s, &kb), VD_OK);
	memset(&got, 0, sizeof got);
	CHECK_EQ_INT(s->ops->user_key_get(s, a, &got), VD_OK);
	CHECK(same_key(&got, &ka));
	ka = key_of(a, 0x20); /* a new password: the record is replaced */
	CHECK_EQ_INT(s->ops->user_key_put(s, &ka), VD_OK);
	CHECK_EQ_INT(s->ops->user_key_get(s, a, &got), VD_OK);
	CHECK(same_key(&got, &ka));
	CHECK_EQ_INT(s->ops->user_key_get(s, b, &got), VD_OK);
	CHECK(same_key(&got, &kb));
	CHECK_EQ_INT(s->ops->user_key_get(s, b + 1, &got), VD_ERR_NOTFOUND);
}

/* ---- cases ------------------------------------------------------------------------- */

static void case_insert_get_find_keys(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t r2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	int64_t other = add_user(s, "counsellor", "Eva", "eva@example.org");
	CHECK(unit && r1 && r2 && other);
	static const unsigned char content[] = { 0, 1, 2, 0xff, 0, 'x' }; /* bytes, not a string */
	struct case_rec c = { .locator = "AB12-CD34", .unit_id = unit, .counsellor_id = r2, .channel = "phone",
			      .reporter_type = "volunteer", .relation = "manager", .location = "online",
			      .behaviours = 0x2a, .named = 1, .phase = "new", .created_at = 4242, .opened_at = 99,
			      .content = content, .content_len = sizeof content, .receipt_ops = 2,
			      .receipt_mem_kib = 8192 };
	memset(c.receipt_salt, 0x11, sizeof c.receipt_salt);
	memset(c.receipt_verifier, 0x22, sizeof c.receipt_verifier);
	memset(c.key_by_receipt, 0x33, sizeof c.key_by_receipt);
	struct case_key_rec keys[2];
	seal_for(&keys[0], r2, 1); /* the higher id first: case_readers sorts */
	seal_for(&keys[1], r1, 2);
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->case_insert(s, &c, keys, 2, &id), VD_OK);
	CHECK(id > 0);

	struct case_rec got;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.id, id);
	CHECK_STR(got.locator, "AB12-CD34");
	CHECK_EQ_INT(got.unit_id, unit);
	CHECK_EQ_INT(got.counsellor_id, r2);
	CHECK_STR(got.channel, "phone");
	CHECK_STR(got.reporter_type, "volunteer");
	CHECK_STR(got.relation, "manager");
	CHECK_STR(got.location, "online");
	CHECK_EQ_INT(got.behaviours, 0x2a);
	CHECK_EQ_INT(got.named, 1);
	CHECK_STR(got.phase, "new");
	CHECK_EQ_INT(got.created_at, 4242);
	CHECK_EQ_INT(got.opened_at, 0); /* not opened yet, whatever the record said */
	CHECK(memcmp(got.receipt_salt, c.receipt_salt, sizeof c.receipt_salt) == 0);
	CHECK(memcmp(got.receipt_verifier, c.receipt_verifier, sizeof c.receipt_verifier) == 0);
	CHECK(got.receipt_ops == 2 && got.receipt_mem_kib == 8192); /* the code's cost */
	CHECK(memcmp(got.key_by_receipt, c.key_by_receipt, sizeof c.key_by_receipt) == 0);
	CHECK_EQ_INT(got.content_len, sizeof content);
	CHECK(memcmp(got.content, content, sizeof content) == 0);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id + 1, &got), VD_ERR_NOTFOUND);

	memset(&got, 0, sizeof got);
	CHECK_EQ_INT(s->ops->case_find_locator(s, &mem, "AB12-CD34", &got), VD_OK);
	CHECK_EQ_INT(got.id, id);
	CHECK_STR(got.channel, "phone");
	CHECK_EQ_INT(s->ops->case_find_locator(s, &mem, "ab12-cd34", &got), VD_ERR_NOTFOUND); /* byte for byte */

	struct case_key_rec k;
	CHECK_EQ_INT(s->ops->case_key_get(s, id, r1, &k), VD_OK);
	CHECK_EQ_INT(k.user_id, r1);
	CHECK(memcmp(k.sealed_key, keys[1].sealed_key, sizeof k.sealed_key) == 0);
	CHECK_EQ_INT(s->ops->case_key_get(s, id, r2, &k), VD_OK);
	CHECK(memcmp(k.sealed_key, keys[0].sealed_key, sizeof k.sealed_key) == 0);
	CHECK_EQ_INT(s->ops->case_key_get(s, id, other, &k), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->case_key_get(s, id + 1, r1, &k), VD_ERR_NOTFOUND);

	struct id_list readers;
	CHECK_EQ_INT(s->ops->case_readers(s, &mem, id, &readers), VD_OK);
	CHECK_EQ_INT(readers.n, 2);
	CHECK_EQ_INT(readers.ids[0], r1 < r2 ? r1 : r2); /* ascending */
	CHECK_EQ_INT(readers.ids[1], r1 < r2 ? r2 : r1);
	CHECK_EQ_INT(s->ops->case_readers(s, &mem, id + 1, &readers), VD_OK);
	CHECK_EQ_INT(readers.n, 0);
}

static void case_insert_locator_taken(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r1;
	int64_t first = one_case(s, &unit, &r1);
	int64_t r2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(first > 0 && r2 > 0);
	CHECK_EQ_INT(add_case(s, unit, "LOC-1", 5000, &r2, 1), 0);
	struct case_rec c = { .locator = "LOC-1", .unit_id = unit, .channel = "web", .reporter_type = "x",
			      .relation = "x", .location = "x", .phase = "new", .created_at = 1,
			      .content = case_content, .content_len = sizeof case_content };
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->case_insert(s, &c, NULL, 0, &id), VD_ERR_EXISTS);
	/* nothing written: no key row for r2, the first case as it was */
	struct case_summary_recs l;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r2, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	struct case_rec got;
	CHECK_EQ_INT(s->ops->case_find_locator(s, &mem, "LOC-1", &got), VD_OK);
	CHECK_EQ_INT(got.id, first);
	CHECK_EQ_INT(got.created_at, 1000);
	struct id_list readers;
	CHECK_EQ_INT(s->ops->case_readers(s, &mem, first, &readers), VD_OK);
	CHECK_EQ_INT(readers.n, 1);
	CHECK_EQ_INT(readers.ids[0], r1);
}

static void case_list_unopened_then_newest(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t other = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(unit && r && other);
	int64_t c1 = add_case(s, unit, "L1", 1000, &r, 1);
	int64_t c2 = add_case(s, unit, "L2", 3000, &r, 1);
	int64_t c3 = add_case(s, unit, "L3", 2000, &r, 1);
	int64_t c4 = add_case(s, unit, "L4", 3000, &r, 1); /* same moment as c2: the higher id first */
	int64_t c5 = add_case(s, unit, "L5", 9000, &other, 1);
	CHECK(c1 && c2 && c3 && c4 && c5);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, c4, r, 4000), VD_OK); /* the newest, but opened */
	struct case_summary_recs l;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4); /* c5 is another reader's */
	CHECK_EQ_INT(l.items[0].id, c2);
	CHECK_EQ_INT(l.items[0].unopened, 1);
	CHECK_EQ_INT(l.items[1].id, c3);
	CHECK_EQ_INT(l.items[2].id, c1);
	CHECK_EQ_INT(l.items[2].unopened, 1);
	CHECK_EQ_INT(l.items[3].id, c4);
	CHECK_EQ_INT(l.items[3].unopened, 0);
	CHECK_EQ_INT(l.items[0].unit_id, unit);
	CHECK_EQ_INT(l.items[0].behaviours, 5);
	CHECK_STR(l.items[0].phase, "new");
	CHECK_STR(l.items[0].channel, "web");
	CHECK_EQ_INT(l.items[0].created_at, 3000);

	CHECK_EQ_INT(s->ops->case_mark_opened(s, c2, r, 4000), VD_OK); /* now c4 before c2: same moment */
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4);
	CHECK_EQ_INT(l.items[0].id, c3);
	CHECK_EQ_INT(l.items[1].id, c1);
	CHECK_EQ_INT(l.items[2].id, c4);
	CHECK_EQ_INT(l.items[3].id, c2);

	CHECK_EQ_INT(s->ops->case_list(s, &mem, r, NULL, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.items[1].id, c1);
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r, NULL, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

static void case_list_keyset_pages(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r = add_user(s, "counsellor", "Carla", "carla@example.org");
	CHECK(unit && r);
	enum { N = 11 };
	static const int64_t at[N] = { 500, 700, 700, 100, 900, 700, 300, 300, 800, 200, 700 };
	int64_t ids[N];
	for (int i = 0; i < N; i++) {
		char loc[16];
		snprintf(loc, sizeof loc, "P%d", i);
		ids[i] = add_case(s, unit, loc, at[i], &r, 1);
		CHECK(ids[i] > 0);
		if (i % 3 == 1) /* some opened, so that both halves have ties */
			CHECK_EQ_INT(s->ops->case_mark_opened(s, ids[i], r, 1), VD_OK);
	}
	struct case_summary_recs all;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r, NULL, 100, &all), VD_OK);
	CHECK_EQ_INT(all.n, N);
	/* the whole list in the documented order */
	for (size_t i = 1; i < all.n; i++) {
		const struct case_summary_rec *p = &all.items[i - 1], *q = &all.items[i];
		CHECK(p->unopened > q->unopened ||
		      (p->unopened == q->unopened &&
		       (p->created_at > q->created_at || (p->created_at == q->created_at && p->id > q->id))));
	}
	/* pages of 3 give the same lines, each once */
	size_t seen = 0;
	struct case_cursor_rec cur_pos;
	const struct case_cursor_rec *after = NULL;
	for (int page = 0; page < N; page++) {
		struct case_summary_recs l;
		CHECK_EQ_INT(s->ops->case_list(s, &mem, r, after, 3, &l), VD_OK);
		CHECK(l.n <= 3);
		for (size_t i = 0; i < l.n; i++, seen++) {
			CHECK(seen < all.n);
			CHECK_EQ_INT(l.items[i].id, all.items[seen].id);
		}
		if (l.n < 3)
			break;
		cur_pos = (struct case_cursor_rec){ .unopened = l.items[l.n - 1].unopened,
						    .created_at = l.items[l.n - 1].created_at,
						    .id = l.items[l.n - 1].id };
		after = &cur_pos;
	}
	CHECK_EQ_INT(seen, N);
}

static void case_mark_opened_first_time_only(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t r2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(unit && r1 && r2);
	int64_t id = add_case(s, unit, "L1", 1000, (int64_t[]){ r1, r2 }, 2);
	CHECK(id > 0);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, id, r1, 5000), VD_OK);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_EQ_INT(c.opened_at, 5000);
	struct case_summary_recs l;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r1, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.items[0].unopened, 0);
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r2, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.items[0].unopened, 1); /* still new to the other reader */

	CHECK_EQ_INT(s->ops->case_mark_opened(s, id, r2, 9000), VD_OK);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, id, r1, 9500), VD_OK);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_EQ_INT(c.opened_at, 5000); /* the first opening stays */
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r2, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.items[0].unopened, 0);
}

/* ---- messages ---------------------------------------------------------------------- */

static int unopened_for(struct store *s, int64_t user_id, int64_t case_id)
{
	struct case_summary_recs l;
	if (s->ops->case_list(s, &mem, user_id, NULL, 100, &l) != VD_OK)
		return -1;
	for (size_t i = 0; i < l.n; i++)
		if (l.items[i].id == case_id)
			return l.items[i].unopened;
	return -1;
}

static void message_reporter_makes_case_new_again(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t r2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(unit && r1 && r2);
	int64_t id = add_case(s, unit, "L1", 1000, (int64_t[]){ r1, r2 }, 2);
	int64_t calm = add_case(s, unit, "L2", 1000, (int64_t[]){ r1 }, 1);
	CHECK(id > 0 && calm > 0);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, id, r1, 2000), VD_OK);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, id, r2, 2000), VD_OK);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, calm, r1, 2000), VD_OK);

	static const unsigned char body[] = "antwoord";
	struct message_rec m = { .case_id = id, .kind = "counsellor", .author_id = r1, .created_at = 3000,
				 .body = body, .body_len = sizeof body };
	int64_t mid = 0;
	CHECK_EQ_INT(s->ops->message_insert(s, &m, &mid), VD_OK);
	CHECK(mid > 0);
	CHECK_EQ_INT(unopened_for(s, r1, id), 0); /* a counsellor's message is no news */
	CHECK_EQ_INT(unopened_for(s, r2, id), 0);
	m = (struct message_rec){ .case_id = id, .kind = "reporter", .created_at = 4000, .body = body,
				  .body_len = sizeof body };
	CHECK_EQ_INT(s->ops->message_insert(s, &m, &mid), VD_OK);
	CHECK_EQ_INT(unopened_for(s, r1, id), 1); /* new again, for every reader */
	CHECK_EQ_INT(unopened_for(s, r2, id), 1);
	CHECK_EQ_INT(unopened_for(s, r1, calm), 0); /* another case is untouched */
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_EQ_INT(c.opened_at, 2000);
	/* a message on a case that does not exist refers to a missing record */
	m.case_id = calm + 100;
	CHECK_EQ_INT(s->ops->message_insert(s, &m, &mid), VD_ERR_NOTFOUND);
}

static void message_list_newest_limit_oldest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	int64_t mids[5];
	for (int i = 0; i < 5; i++) {
		unsigned char body[4] = { 'm', (unsigned char)('0' + i), 0, 0xfe };
		struct message_rec m = { .case_id = id, .kind = i % 2 ? "reporter" : "note", .author_id = i % 2 ? 0 : r,
					 .created_at = 100 + i, .body = body, .body_len = sizeof body };
		CHECK_EQ_INT(s->ops->message_insert(s, &m, &mids[i]), VD_OK);
		struct message_rec noise = m;
		noise.case_id = other;
		int64_t nid;
		CHECK_EQ_INT(s->ops->message_insert(s, &noise, &nid), VD_OK);
	}
	struct message_recs l;
	CHECK_EQ_INT(s->ops->message_list(s, &mem, id, 3, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	for (int i = 0; i < 3; i++) {
		const struct message_rec *m = &l.items[i];
		CHECK_EQ_INT(m->id, mids[i + 2]);
		CHECK_EQ_INT(m->case_id, id);
		CHECK_EQ_INT(m->created_at, 102 + i);
		CHECK_STR(m->kind, (i + 2) % 2 ? "reporter" : "note");
		CHECK_EQ_INT(m->author_id, (i + 2) % 2 ? 0 : r);
		CHECK_EQ_INT(m->body_len, 4);
		CHECK(m->body[1] == '0' + i + 2 && m->body[2] == 0 && m->body[3] == 0xfe);
	}
	CHECK_EQ_INT(s->ops->message_list(s, &mem, id, 100, &l), VD_OK);
	CHECK_EQ_INT(l.n, 5);
	CHECK_EQ_INT(l.items[0].id, mids[0]);
	CHECK_EQ_INT(s->ops->message_list(s, &mem, id, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

/* ---- attachments ------------------------------------------------------------------- */

static void attachments_insert_list_get_exists(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	static const char *const files[] = { "0123456789abcdef0123456789abcde0", "0123456789abcdef0123456789abcde1",
					     "0123456789abcdef0123456789abcde2" };
	static const char other_file[] = "ffffffffffffffffffffffffffffffff";
	int64_t fids[3];
	for (int i = 0; i < 3; i++) {
		unsigned char meta[3] = { 0xa0, (unsigned char)i, 0 };
		struct attachment_rec f = { .case_id = id, .message_id = i ? 40 + i : 0,
					    .kind = i ? "reporter" : "report", .file_id = files[i],
					    .created_at = 10 + i, .meta = meta, .meta_len = sizeof meta };
		CHECK_EQ_INT(s->ops->attachment_insert(s, &f, &fids[i]), VD_OK);
	}
	unsigned char meta[1] = { 1 };
	struct attachment_rec f = { .case_id = other, .kind = "note", .file_id = other_file, .created_at = 5,
				    .meta = meta, .meta_len = 1 };
	int64_t oid;
	CHECK_EQ_INT(s->ops->attachment_insert(s, &f, &oid), VD_OK);
	f.file_id = files[1]; /* taken, even by another case's file */
	CHECK_EQ_INT(s->ops->attachment_insert(s, &f, &oid), VD_ERR_EXISTS);

	struct attachment_recs l;
	CHECK_EQ_INT(s->ops->attachment_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_INT(l.items[i].id, fids[i]); /* oldest first */
		CHECK_EQ_INT(l.items[i].case_id, id);
		CHECK_EQ_INT(l.items[i].message_id, i ? 40 + i : 0);
		CHECK_STR(l.items[i].kind, i ? "reporter" : "report");
		CHECK_STR(l.items[i].file_id, files[i]);
		CHECK_EQ_INT(l.items[i].created_at, 10 + i);
		CHECK_EQ_INT(l.items[i].meta_len, 3);
		CHECK(l.items[i].meta[0] == 0xa0 && l.items[i].meta[1] == i && l.items[i].meta[2] == 0);
	}
	CHECK_EQ_INT(s->ops->attachment_list(s, &mem, id, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.items[1].id, fids[1]);
	CHECK_EQ_INT(s->ops->attachment_list(s, &mem, other, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1); /* the refused duplicate was not written */

	struct attachment_rec got;
	CHECK_EQ_INT(s->ops->attachment_get(s, &mem, id, files[2], &got), VD_OK);
	CHECK_EQ_INT(got.id, fids[2]);
	CHECK_EQ_INT(got.message_id, 42);
	CHECK_STR(got.file_id, files[2]);
	CHECK_EQ_INT(got.meta_len, 3);
	CHECK(got.meta[1] == 2);
	CHECK_EQ_INT(s->ops->attachment_get(s, &mem, id, other_file, &got), VD_ERR_NOTFOUND); /* another case's */
	CHECK_EQ_INT(s->ops->attachment_get(s, &mem, id, "00000000000000000000000000000000", &got), VD_ERR_NOTFOUND);

	CHECK_EQ_INT(s->ops->attachment_exists(s, files[0]), VD_OK);
	CHECK_EQ_INT(s->ops->attachment_exists(s, other_file), VD_OK);
	CHECK_EQ_INT(s->ops->attachment_exists(s, "00000000000000000000000000000000"), VD_ERR_NOTFOUND);
}

/* ---- invitations ------------------------------------------------------------------- */

static struct invitation_rec invitation_of(int64_t case_id, int pattern, int64_t expires_at,
					   const unsigned char *code, size_t code_len)
{
	struct invitation_rec v = { .case_id = case_id, .expires_at = expires_at, .code = code, .code_len = code_len };
	memset(v.token_hash, pattern, sizeof v.token_hash);
	return v;
}

static void invitation_take_once(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	CHECK(id > 0);
	static const unsigned char code[] = { 'c', 0, 'd', 0xee };
	struct invitation_rec v = invitation_of(id, 0x71, 1000, code, sizeof code);
	struct invitation_rec w = invitation_of(id, 0x72, 1000, code, 1);
	CHECK_EQ_INT(s->ops->invitation_insert(s, &v), VD_OK);
	CHECK_EQ_INT(s->ops->invitation_insert(s, &w), VD_OK);
	struct invitation_rec got;
	memset(&got, 0, sizeof got);
	CHECK_EQ_INT(s->ops->invitation_take(s, &mem, v.token_hash, &got), VD_OK);
	CHECK(memcmp(got.token_hash, v.token_hash, sizeof v.token_hash) == 0);
	CHECK_EQ_INT(got.case_id, id);
	CHECK_EQ_INT(got.expires_at, 1000);
	CHECK_EQ_INT(got.code_len, sizeof code);
	CHECK(memcmp(got.code, code, sizeof code) == 0);
	CHECK_EQ_INT(s->ops->invitation_take(s, &mem, v.token_hash, &got), VD_ERR_NOTFOUND); /* spent */
	CHECK_EQ_INT(s->ops->invitation_take(s, &mem, w.token_hash, &got), VD_OK);           /* the other's own */
	CHECK_EQ_INT(got.code_len, 1);
	/* an invitation to a case that does not exist refers to a missing record */
	struct invitation_rec orphan = invitation_of(id + 100, 0x73, 1000, code, sizeof code);
	CHECK_EQ_INT(s->ops->invitation_insert(s, &orphan), VD_ERR_NOTFOUND);
}

static void invitation_purge_expired_only(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	CHECK(id > 0);
	static const unsigned char code[] = "code";
	struct invitation_rec old = invitation_of(id, 1, 1000, code, sizeof code);
	struct invitation_rec live = invitation_of(id, 2, 2000, code, sizeof code);
	CHECK_EQ_INT(s->ops->invitation_insert(s, &old), VD_OK);
	CHECK_EQ_INT(s->ops->invitation_insert(s, &live), VD_OK);
	CHECK_EQ_INT(s->ops->invitation_purge(s, 1500), VD_OK);
	struct invitation_rec got;
	CHECK_EQ_INT(s->ops->invitation_take(s, &mem, old.token_hash, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->invitation_take(s, &mem, live.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.expires_at, 2000);
}

/* ---- outbox ------------------------------------------------------------------------ */

/* Adds a message whose recipient is the one byte *tag: outbox_add gives no
 * id, so the tests tell claimed messages apart by that byte. */
static int outbox_put(struct store *s, const unsigned char *tag, const char *kind, int64_t next_at)
{
	struct outbox_rec m = { .recipient = tag, .recipient_len = 1, .kind = kind, .next_at = next_at };
	return s->ops->outbox_add(s, &m);
}

/* The claimed message with recipient byte tag, or NULL. */
static const struct outbox_rec *claimed(const struct outbox_recs *l, unsigned char tag)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].recipient_len == 1 && l->items[i].recipient[0] == tag)
			return &l->items[i];
	return NULL;
}

static void outbox_claim_leases_due_soonest(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	unsigned char t[5] = { 'a', 'b', 'c', 'd', 'e' };
	CHECK_EQ_INT(outbox_put(s, &t[0], "staff", 300), VD_OK);
	CHECK_EQ_INT(outbox_put(s, &t[1], "reporter", 100), VD_OK);
	CHECK_EQ_INT(outbox_put(s, &t[2], "invite", 200), VD_OK);
	CHECK_EQ_INT(outbox_put(s, &t[3], "staff", 1000), VD_OK); /* not due yet */
	CHECK_EQ_INT(outbox_put(s, &t[4], "staff", 500), VD_OK);  /* due at exactly now */

	struct outbox_recs l;
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 500, 800, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2); /* the two soonest */
	const struct outbox_rec *b = claimed(&l, 'b'), *c = claimed(&l, 'c');
	CHECK(b != NULL && c != NULL);
	CHECK_STR(b->kind, "reporter");
	CHECK_STR(c->kind, "invite");
	CHECK_EQ_INT(b->attempts, 0);
	CHECK_EQ_INT(b->next_at, 800); /* once claimed: the end of the lease */
	CHECK(b->id > 0 && c->id > 0 && b->id != c->id);
	int64_t bid = b->id, cid = c->id;

	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 500, 800, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2); /* the rest that is due: not the leased ones, not d */
	CHECK(claimed(&l, 'a') != NULL && claimed(&l, 'e') != NULL);
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 500, 800, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0); /* all leased */
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 799, 900, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);

	/* the lease ends at until: due again (a sender that died) */
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 800, 900, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4);
	CHECK(claimed(&l, 'd') == NULL);
	CHECK(claimed(&l, 'b') != NULL);
	CHECK_EQ_INT(claimed(&l, 'b')->id, bid);

	CHECK_EQ_INT(s->ops->outbox_done(s, bid), VD_OK);
	CHECK_EQ_INT(s->ops->outbox_retry(s, cid, 3, 1500), VD_OK);
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 1400, 1450, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3); /* a, e (lease over) and d; not b (done), not c (retry later) */
	CHECK(claimed(&l, 'b') == NULL && claimed(&l, 'c') == NULL && claimed(&l, 'd') != NULL);
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 1500, 1600, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4); /* c at its retry time, and a, d, e again; b never */
	c = claimed(&l, 'c');
	CHECK(c != NULL && claimed(&l, 'b') == NULL);
	CHECK_EQ_INT(c->attempts, 3);
	CHECK_EQ_INT(c->id, cid);
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 5000, 6000, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0); /* limit 0: none, and none leased */
	CHECK_EQ_INT(s->ops->outbox_claim(s, &mem, 5000, 6000, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4);
}

/* ---- case work: the work record ---------------------------------------------------- */

static void case_work_defaults_without_row(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	CHECK(id > 0);
	struct case_work_rec w;
	memset(&w, 0x5c, sizeof w); /* every field must be set by the read */
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &w), VD_OK);
	CHECK_EQ_INT(w.case_id, id);
	CHECK_EQ_INT(w.phase_at, 0);
	CHECK_EQ_INT(w.closed_at, 0);
	CHECK_STR(w.route, "");
	CHECK_STR(w.outcome, "");
	CHECK_EQ_INT(w.referrals, 0);
	CHECK_EQ_INT(w.agreement_day, 0);
	CHECK_EQ_INT(w.follow_up, 0);
	CHECK_EQ_INT(w.progress_evaluated, 0);
	CHECK_EQ_INT(w.legal_advice, 0);
	CHECK_EQ_INT(w.aftercare_offered, 0);
	CHECK_EQ_INT(w.aftercare_done, 0);
	CHECK_EQ_INT(w.aftercare_due_day, 0);
	CHECK_EQ_INT(w.last_contact_day, 0);
	CHECK_EQ_INT(w.contacts, 0);
	CHECK(w.inventory == NULL);
	CHECK_EQ_INT(w.inventory_len, 0);
}

static void case_work_put_round_trip(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	static const unsigned char inv[] = { 9, 0, 8, 0xff };
	struct case_work_rec w = { .case_id = id, .phase_at = 111, .closed_at = 222, .route = "mediation",
				   .outcome = "resolved", .referrals = 0x15, .agreement_day = DAY0 + 7, .follow_up = 2,
				   .progress_evaluated = 1, .legal_advice = 1, .aftercare_offered = 1,
				   .aftercare_done = 1, .aftercare_due_day = DAY0 + 40,
				   .last_contact_day = 12345, .contacts = 99, /* read only: ignored */
				   .inventory = inv, .inventory_len = sizeof inv };
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	struct case_work_rec got;
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.case_id, id);
	CHECK_EQ_INT(got.phase_at, 111);
	CHECK_EQ_INT(got.closed_at, 222);
	CHECK_STR(got.route, "mediation");
	CHECK_STR(got.outcome, "resolved");
	CHECK_EQ_INT(got.referrals, 0x15);
	CHECK_EQ_INT(got.agreement_day, DAY0 + 7);
	CHECK_EQ_INT(got.follow_up, 2);
	CHECK_EQ_INT(got.progress_evaluated, 1);
	CHECK_EQ_INT(got.legal_advice, 1);
	CHECK_EQ_INT(got.aftercare_offered, 1);
	CHECK_EQ_INT(got.aftercare_done, 1);
	CHECK_EQ_INT(got.aftercare_due_day, DAY0 + 40);
	CHECK_EQ_INT(got.last_contact_day, 0);
	CHECK_EQ_INT(got.contacts, 0);
	CHECK_EQ_INT(got.inventory_len, sizeof inv);
	CHECK(got.inventory != NULL && memcmp(got.inventory, inv, sizeof inv) == 0);

	/* a second put replaces every field, the inventory with none */
	w = (struct case_work_rec){ .case_id = id, .route = "", .outcome = "", .follow_up = 1, .inventory = NULL };
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.phase_at, 0);
	CHECK_EQ_INT(got.closed_at, 0);
	CHECK_STR(got.route, "");
	CHECK_STR(got.outcome, "");
	CHECK_EQ_INT(got.referrals, 0);
	CHECK_EQ_INT(got.agreement_day, 0);
	CHECK_EQ_INT(got.follow_up, 1);
	CHECK_EQ_INT(got.progress_evaluated, 0);
	CHECK_EQ_INT(got.legal_advice, 0);
	CHECK_EQ_INT(got.aftercare_offered, 0);
	CHECK_EQ_INT(got.aftercare_done, 0);
	CHECK_EQ_INT(got.aftercare_due_day, 0);
	CHECK(got.inventory == NULL);
	CHECK_EQ_INT(got.inventory_len, 0);
	/* another case keeps its defaults */
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, other, &got), VD_OK);
	CHECK_EQ_INT(got.follow_up, 0);
	/* the record of a case that does not exist refers to a missing record */
	w.case_id = other + 100;
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_ERR_NOTFOUND);
}

static void case_work_claim_inside_transaction_only(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	CHECK(id > 0);
	struct case_work_rec w = { .case_id = id, .route = "advice", .outcome = "", .referrals = 3 };
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	struct case_work_rec got;
	CHECK_EQ_INT(s->ops->case_work_claim(s, &mem, id, &got), VD_ERR_MISUSE);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	memset(&got, 0, sizeof got);
	CHECK_EQ_INT(s->ops->case_work_claim(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.case_id, id);
	CHECK_STR(got.route, "advice");
	CHECK_EQ_INT(got.referrals, 3);
	got.referrals = 7; /* read-modify-write, as the core does */
	CHECK_EQ_INT(s->ops->case_work_put(s, &got), VD_OK);
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &got), VD_OK);
	CHECK_EQ_INT(got.referrals, 7);
	CHECK_EQ_INT(s->ops->case_work_claim(s, &mem, id, &got), VD_ERR_MISUSE); /* outside again */
}

static struct contact_rec contact_of(int64_t case_id, int64_t on_day, int64_t minutes)
{
	return (struct contact_rec){ .case_id = case_id, .on_day = on_day, .way = "phone", .with_whom = "reporter",
				     .minutes = minutes, .by = 1, .created_at = 10 };
}

static void case_work_contacts_follow_contact_insert(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	int64_t cid;
	struct contact_rec c = contact_of(id, DAY0 + 5, 30);
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &cid), VD_OK);
	c = contact_of(id, DAY0 + 2, 30); /* later entered, earlier day */
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &cid), VD_OK);
	c = contact_of(other, DAY0 + 50, 30);
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &cid), VD_OK);
	struct case_work_rec w;
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &w), VD_OK); /* no row: still counted */
	CHECK_EQ_INT(w.contacts, 2);
	CHECK_EQ_INT(w.last_contact_day, DAY0 + 5);
	struct case_work_rec put = { .case_id = id, .route = "x", .outcome = "" };
	CHECK_EQ_INT(s->ops->case_work_put(s, &put), VD_OK);
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &w), VD_OK);
	CHECK_EQ_INT(w.contacts, 2);
	CHECK_EQ_INT(w.last_contact_day, DAY0 + 5);
	CHECK_STR(w.route, "x");
}

/* ---- case work: phase and classification ------------------------------------------- */

static void case_set_phase_compare_and_set(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	CHECK(id > 0);
	CHECK_EQ_INT(s->ops->case_set_phase(s, id, "new", "intake", 500, r), VD_OK);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_STR(c.phase, "intake");
	struct phase_move_recs l;
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_STR(l.items[0].from, "new");
	CHECK_STR(l.items[0].to, "intake");
	CHECK_EQ_INT(l.items[0].at, 500);
	CHECK_EQ_INT(l.items[0].by, r);

	/* no longer in "new": nothing moves, nothing is recorded */
	CHECK_EQ_INT(s->ops->case_set_phase(s, id, "new", "closed", 600, r), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_STR(c.phase, "intake");
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(s->ops->case_set_phase(s, id + 100, "new", "intake", 600, r), VD_ERR_NOTFOUND);
}

static void phase_move_list_newest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	CHECK_EQ_INT(s->ops->case_set_phase(s, id, "new", "intake", 10, r), VD_OK);
	CHECK_EQ_INT(s->ops->case_set_phase(s, other, "new", "closed", 15, r), VD_OK);
	CHECK_EQ_INT(s->ops->case_set_phase(s, id, "intake", "consultation", 20, r), VD_OK);
	CHECK_EQ_INT(s->ops->case_set_phase(s, id, "consultation", "evaluation", 30, r + 5), VD_OK);
	struct phase_move_recs l;
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, id, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_STR(l.items[0].from, "consultation");
	CHECK_STR(l.items[0].to, "evaluation");
	CHECK_EQ_INT(l.items[0].at, 30);
	CHECK_EQ_INT(l.items[0].by, r + 5);
	CHECK_STR(l.items[1].to, "consultation");
	CHECK_EQ_INT(l.items[1].at, 20);
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3); /* not the other case's move */
	CHECK_STR(l.items[2].to, "intake");
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, id, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

static void case_set_stats_corrects_classification(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	struct case_stats_rec st = { .behaviours = 0x40, .reporter_type = "intern", .relation = "client",
				     .location = "event" };
	CHECK_EQ_INT(s->ops->case_set_stats(s, id, &st), VD_OK);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_EQ_INT(c.behaviours, 0x40);
	CHECK_STR(c.reporter_type, "intern");
	CHECK_STR(c.relation, "client");
	CHECK_STR(c.location, "event");
	CHECK_STR(c.channel, "web"); /* the rest as it was */
	CHECK_STR(c.phase, "new");
	CHECK_STR(c.locator, "LOC-1");
	CHECK_EQ_INT(s->ops->case_get(s, &mem, other, &c), VD_OK);
	CHECK_EQ_INT(c.behaviours, 5);
	CHECK_STR(c.reporter_type, "employee");
	CHECK_EQ_INT(s->ops->case_set_stats(s, other + 100, &st), VD_ERR_NOTFOUND);
}

/* ---- case work: conversations, appointments, consent, complaints ------------------- */

static void contact_list_newest_day_then_id(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	static const unsigned char notes[] = { 'n', 0, 'o' };
	int64_t c1, c2, c3, c4, cx;
	struct contact_rec c = { .case_id = id, .on_day = DAY0 + 3, .way = "video", .with_whom = "manager",
				 .minutes = 45, .by = r, .created_at = 777, .notes = notes, .notes_len = sizeof notes };
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &c1), VD_OK);
	c = contact_of(id, DAY0 + 9, 10);
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &c2), VD_OK);
	c = contact_of(id, DAY0 + 3, 20); /* same day as c1, newer id */
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &c3), VD_OK);
	c = contact_of(id, DAY0 + 1, 30);
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &c4), VD_OK);
	c = contact_of(other, DAY0 + 5, 30);
	CHECK_EQ_INT(s->ops->contact_insert(s, &c, &cx), VD_OK);
	CHECK(c1 > 0 && c2 > c1 && c3 > c2 && c4 > c3);
	struct contact_recs l;
	CHECK_EQ_INT(s->ops->contact_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4);
	CHECK_EQ_INT(l.items[0].id, c2);
	CHECK_EQ_INT(l.items[1].id, c3);
	CHECK_EQ_INT(l.items[2].id, c1);
	CHECK_EQ_INT(l.items[3].id, c4);
	const struct contact_rec *g = &l.items[2];
	CHECK_EQ_INT(g->case_id, id);
	CHECK_EQ_INT(g->on_day, DAY0 + 3);
	CHECK_STR(g->way, "video");
	CHECK_STR(g->with_whom, "manager");
	CHECK_EQ_INT(g->minutes, 45);
	CHECK_EQ_INT(g->by, r);
	CHECK_EQ_INT(g->created_at, 777);
	CHECK_EQ_INT(g->notes_len, sizeof notes);
	CHECK(g->notes != NULL && memcmp(g->notes, notes, sizeof notes) == 0);
	CHECK(l.items[0].notes == NULL); /* none stays none */
	CHECK_EQ_INT(l.items[0].notes_len, 0);
	CHECK_EQ_INT(s->ops->contact_list(s, &mem, id, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.items[1].id, c3);
}

static void appointment_list_latest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	static const unsigned char place[] = "kamer 3";
	int64_t a1, a2, a3, ax;
	struct appointment_rec ap = { .case_id = id, .starts_at = 50000, .shared = 1, .by = r, .created_at = 40,
				      .place = place, .place_len = sizeof place };
	CHECK_EQ_INT(s->ops->appointment_insert(s, &ap, &a1), VD_OK);
	ap = (struct appointment_rec){ .case_id = id, .starts_at = 90000, .shared = 0, .by = r, .created_at = 41 };
	CHECK_EQ_INT(s->ops->appointment_insert(s, &ap, &a2), VD_OK);
	ap.starts_at = 10000;
	CHECK_EQ_INT(s->ops->appointment_insert(s, &ap, &a3), VD_OK);
	ap.case_id = other;
	ap.starts_at = 70000;
	CHECK_EQ_INT(s->ops->appointment_insert(s, &ap, &ax), VD_OK);
	struct appointment_recs l;
	CHECK_EQ_INT(s->ops->appointment_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_INT(l.items[0].id, a2);
	CHECK_EQ_INT(l.items[1].id, a1);
	CHECK_EQ_INT(l.items[2].id, a3);
	const struct appointment_rec *g = &l.items[1];
	CHECK_EQ_INT(g->case_id, id);
	CHECK_EQ_INT(g->starts_at, 50000);
	CHECK_EQ_INT(g->shared, 1);
	CHECK_EQ_INT(g->by, r);
	CHECK_EQ_INT(g->created_at, 40);
	CHECK_EQ_INT(g->place_len, sizeof place);
	CHECK(g->place != NULL && memcmp(g->place, place, sizeof place) == 0);
	CHECK_EQ_INT(l.items[0].shared, 0);
	CHECK_EQ_INT(s->ops->appointment_list(s, &mem, id, 1, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.items[0].id, a2);
}

static void consent_list_newest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	int64_t k1, k2, k3, kx;
	struct consent_rec c = { .case_id = id, .step = "mediation", .given = 1, .on_day = DAY0 + 1, .how = "phone",
				 .by = r, .created_at = 100 };
	CHECK_EQ_INT(s->ops->consent_insert(s, &c, &k1), VD_OK);
	c = (struct consent_rec){ .case_id = id, .step = "inform_manager", .given = 1, .on_day = DAY0 + 2,
				  .how = "email", .by = r, .created_at = 200 };
	CHECK_EQ_INT(s->ops->consent_insert(s, &c, &k2), VD_OK);
	c = (struct consent_rec){ .case_id = id, .step = "mediation", .given = 0, .on_day = DAY0 + 3,
				  .how = "mailbox", .by = r + 1, .created_at = 300 }; /* withdrawn */
	CHECK_EQ_INT(s->ops->consent_insert(s, &c, &k3), VD_OK);
	c.case_id = other;
	CHECK_EQ_INT(s->ops->consent_insert(s, &c, &kx), VD_OK);
	struct consent_recs l;
	CHECK_EQ_INT(s->ops->consent_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_INT(l.items[0].id, k3);
	CHECK_EQ_INT(l.items[1].id, k2);
	CHECK_EQ_INT(l.items[2].id, k1);
	const struct consent_rec *g = &l.items[0]; /* the one in force for mediation */
	CHECK_EQ_INT(g->case_id, id);
	CHECK_STR(g->step, "mediation");
	CHECK_EQ_INT(g->given, 0);
	CHECK_EQ_INT(g->on_day, DAY0 + 3);
	CHECK_STR(g->how, "mailbox");
	CHECK_EQ_INT(g->by, r + 1);
	CHECK_EQ_INT(g->created_at, 300);
	CHECK_EQ_INT(l.items[2].given, 1);
	CHECK_EQ_INT(s->ops->consent_list(s, &mem, id, 1, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.items[0].id, k3);
}

static void complaint_insert_with_keys(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t m = add_user(s, "committee", "Mila", "mila@example.org");
	CHECK(id > 0 && m > 0);
	static const unsigned char content[] = "klacht";
	struct complaint_rec c = { .case_id = id, .unit_id = unit, .by = r, .created_at = 10, .content = content,
				   .content_len = sizeof content };
	struct case_key_rec keys[2];
	seal_for(&keys[0], m, 3);
	seal_for(&keys[1], r, 3);
	int64_t c1 = 0, c2 = 0;
	CHECK_EQ_INT(s->ops->complaint_insert(s, &c, keys, 2, &c1), VD_OK);
	c.case_id = 0; /* filed directly */
	CHECK_EQ_INT(s->ops->complaint_insert(s, &c, keys, 1, &c2), VD_OK);
	CHECK(c1 > 0 && c2 > 0 && c1 != c2);
	/* a reader that does not exist: refused (a record it refers to is missing) */
	seal_for(&keys[1], m + 100, 3);
	int64_t c3 = 0;
	CHECK_EQ_INT(s->ops->complaint_insert(s, &c, keys, 2, &c3), VD_ERR_NOTFOUND);
}

/* ---- complaints: the committee's files ------------------------------------------ */

/* A complaint of unit sealed to the readers, received on day, with its
 * procedure's fields as the core sets them. */
static int64_t add_complaint(struct store *s, int64_t unit, int64_t day, int64_t next_due, int open,
			     const int64_t *readers, size_t n)
{
	static const unsigned char content[] = "klacht";
	struct complaint_rec c = { .unit_id = unit, .by = 0, .created_at = day * 86400, .content = content,
				   .content_len = sizeof content, .channel = "letter", .step = open ? "received" : "closed",
				   .step_before = "", .step_at = day * 86400, .open = open, .received_day = day,
				   .next_due_day = next_due };
	struct case_key_rec keys[4];
	for (size_t i = 0; i < n && i < 4; i++)
		seal_for(&keys[i], readers[i], 5);
	int64_t id = 0;
	return s->ops->complaint_insert(s, &c, keys, n, &id) == VD_OK ? id : 0;
}

static void complaint_get_claim_update(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	CHECK(unit && m);
	int64_t id = add_complaint(s, unit, DAY0, DAY0 + 14, 1, &m, 1);
	CHECK(id > 0);
	struct complaint_rec c;
	CHECK_EQ_INT(s->ops->complaint_get(s, &mem, id, &c), VD_OK);
	CHECK(c.id == id && c.unit_id == unit && c.case_id == 0 && c.received_day == DAY0 && c.open == 1);
	CHECK(c.next_due_day == DAY0 + 14 && c.last_incident_day == 0 && c.filed_late == 0);
	CHECK_STR(c.step, "received");
	CHECK_STR(c.step_before, "");
	CHECK_STR(c.channel, "letter");
	CHECK_STR(c.advice, "");
	CHECK_EQ_INT(c.measures, 0);
	CHECK(c.content_len == sizeof "klacht" && memcmp(c.content, "klacht", c.content_len) == 0);
	CHECK_EQ_INT(s->ops->complaint_get(s, &mem, id + 1, &c), VD_ERR_NOTFOUND);
	/* a claim only inside a transaction */
	CHECK_EQ_INT(s->ops->complaint_claim(s, &mem, id, &c), VD_ERR_MISUSE);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_claim(s, &mem, id, &c), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_claim(s, &mem, id + 1, &c), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
	/* the procedure's fields change; what was filed does not */
	static const unsigned char other[] = "anders";
	c.step = "mediation";
	c.step_before = "received";
	c.step_at = 777;
	c.open = 1;
	c.last_incident_day = DAY0 - 400;
	c.filed_late = 1;
	c.next_due_day = 0;
	c.content = other;
	c.content_len = sizeof other;
	c.unit_id = unit + 5;
	c.received_day = DAY0 + 3;
	c.channel = "web";
	c.advice = "unfounded";
	c.measures = 5;
	CHECK_EQ_INT(s->ops->complaint_update(s, &c), VD_OK);
	struct complaint_rec g;
	CHECK_EQ_INT(s->ops->complaint_get(s, &mem, id, &g), VD_OK);
	CHECK_STR(g.step, "mediation");
	CHECK_STR(g.step_before, "received");
	CHECK(g.step_at == 777 && g.last_incident_day == DAY0 - 400 && g.filed_late == 1 && g.next_due_day == 0);
	CHECK(g.unit_id == unit && g.received_day == DAY0 && memcmp(g.content, "klacht", 6) == 0);
	CHECK_STR(g.channel, "letter");
	CHECK_STR(g.advice, "unfounded");
	CHECK_EQ_INT(g.measures, 5);
	c.id = id + 1;
	CHECK_EQ_INT(s->ops->complaint_update(s, &c), VD_ERR_NOTFOUND);
}

static void complaint_keys_and_list(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "U1"), u2 = add_unit(s, 0, "U2");
	int64_t m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t n = add_user(s, "committee", "Niek", "niek@example.org");
	CHECK(u1 && u2 && m && n);
	int64_t both[] = { m, n };
	int64_t late = add_complaint(s, u1, DAY0, DAY0 + 30, 1, both, 2);
	int64_t soon = add_complaint(s, u1, DAY0, DAY0 + 10, 1, &m, 1);
	int64_t none = add_complaint(s, u1, DAY0, 0, 1, &m, 1); /* paused: no due day */
	int64_t tie = add_complaint(s, u1, DAY0, DAY0 + 10, 1, &m, 1);
	int64_t other_unit = add_complaint(s, u2, DAY0, DAY0 + 1, 1, &m, 1);
	int64_t closed1 = add_complaint(s, u1, DAY0, 0, 0, &m, 1);
	int64_t closed2 = add_complaint(s, u1, DAY0, DAY0 + 2, 0, &m, 1);
	CHECK(late && soon && none && tie && other_unit && closed1 && closed2);
	struct case_key_rec k;
	CHECK_EQ_INT(s->ops->complaint_key_get(s, late, n, &k), VD_OK);
	struct case_key_rec want;
	seal_for(&want, n, 5);
	CHECK(k.user_id == n && memcmp(k.sealed_key, want.sealed_key, sizeof want.sealed_key) == 0);
	CHECK_EQ_INT(s->ops->complaint_key_get(s, soon, n, &k), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_key_get(s, soon + 100, m, &k), VD_ERR_NOTFOUND);

	struct complaint_recs l;
	int64_t units1[] = { u1 }, units12[] = { u1, u2 };
	struct complaint_query q = { .user_id = m, .units = units1, .nunits = 1, .open = 1, .limit = 10 };
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	/* by due day, ties by id, none last; another unit's not */
	CHECK_EQ_INT(l.n, 4);
	CHECK(l.items[0].id == soon && l.items[1].id == tie && l.items[2].id == late && l.items[3].id == none);
	CHECK_STR(l.items[0].step, "received");
	q.units = units12;
	q.nunits = 2;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 5 && l.items[0].id == other_unit);
	/* paging */
	q.offset = 1;
	q.limit = 2;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == soon && l.items[1].id == tie);
	/* due before a day: only those with a due day before it */
	q.offset = 0;
	q.limit = 10;
	q.due_before = DAY0 + 10;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == other_unit);
	q.due_before = DAY0 + 11;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	/* closed ones, newest first */
	q.due_before = 0;
	q.open = 0;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == closed2 && l.items[1].id == closed1);
	/* only what is sealed to the user */
	q.open = 1;
	q.user_id = n;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == late);
	q.nunits = 0;
	CHECK_EQ_INT(s->ops->complaint_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* every open one by id, page by page, whoever holds it */
	struct id_list ids;
	CHECK_EQ_INT(s->ops->complaint_open_after(s, &mem, 0, 10, &ids), VD_OK);
	CHECK(ids.n == 5 && ids.ids[0] == late && ids.ids[4] == other_unit);
	CHECK_EQ_INT(s->ops->complaint_open_after(s, &mem, soon, 2, &ids), VD_OK);
	CHECK(ids.n == 2 && ids.ids[0] == none && ids.ids[1] == tie);
	CHECK_EQ_INT(s->ops->complaint_open_after(s, &mem, other_unit, 10, &ids), VD_OK);
	CHECK_EQ_INT(ids.n, 0);
}

static void complaint_terms_pauses_extensions(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, &m, 1), b = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	int64_t closed = add_complaint(s, unit, DAY0, 0, 0, &m, 1);
	CHECK(a && b && closed);
	struct id_list ids;
	CHECK_EQ_INT(s->ops->complaint_without_terms(s, &mem, 10, &ids), VD_OK);
	CHECK(ids.n == 2 && ids.ids[0] == a && ids.ids[1] == b);
	struct complaint_term_rec t = { .complaint_id = a, .kind = "admissibility", .start_day = DAY0, .length = 14,
					.unit = "days", .atw = 1, .max_notice_days = 0, .due_day = DAY0 + 14 };
	int64_t t1 = 0, t2 = 0;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &t1), VD_OK);
	t.kind = "decision";
	t.length = 10;
	t.unit = "weeks";
	t.max_notice_days = 28;
	t.due_day = DAY0 + 70;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &t2), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_without_terms(s, &mem, 10, &ids), VD_OK);
	CHECK(ids.n == 1 && ids.ids[0] == b);
	t.complaint_id = a + 100;
	int64_t t3 = 0;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &t3), VD_ERR_NOTFOUND);
	/* only the due and met days change */
	struct complaint_term_rec u = { .id = t1, .complaint_id = b, .kind = "x", .start_day = 1, .length = 1,
					.unit = "weeks", .due_day = DAY0 + 20, .met_day = DAY0 + 5 };
	CHECK_EQ_INT(s->ops->complaint_term_update(s, &u), VD_OK);
	u.id = t2 + 100;
	CHECK_EQ_INT(s->ops->complaint_term_update(s, &u), VD_ERR_NOTFOUND);
	struct complaint_term_recs tl;
	CHECK_EQ_INT(s->ops->complaint_term_list(s, &mem, a, &tl), VD_OK);
	CHECK_EQ_INT(tl.n, 2);
	CHECK(tl.items[0].id == t1 && tl.items[0].complaint_id == a && tl.items[0].start_day == DAY0);
	CHECK_STR(tl.items[0].kind, "admissibility");
	CHECK_STR(tl.items[0].unit, "days");
	CHECK(tl.items[0].length == 14 && tl.items[0].atw == 1 && tl.items[0].due_day == DAY0 + 20 &&
	      tl.items[0].met_day == DAY0 + 5);
	CHECK(tl.items[1].id == t2 && tl.items[1].max_notice_days == 28 && tl.items[1].met_day == 0);
	CHECK_STR(tl.items[1].unit, "weeks");

	/* pauses: one running at a time is ended */
	struct complaint_pause_rec p = { .complaint_id = a, .from_day = DAY0 + 2, .to_day = 0, .step = "mediation" };
	int64_t p1 = 0, p2 = 0;
	CHECK_EQ_INT(s->ops->complaint_pause_end(s, a, DAY0 + 3), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_pause_insert(s, &p, &p1), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_pause_end(s, a, DAY0 + 9), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_pause_end(s, a, DAY0 + 10), VD_ERR_NOTFOUND);
	p.from_day = DAY0 + 12;
	p.step = "incomplete";
	CHECK_EQ_INT(s->ops->complaint_pause_insert(s, &p, &p2), VD_OK);
	p.complaint_id = a + 100;
	int64_t p3 = 0;
	CHECK_EQ_INT(s->ops->complaint_pause_insert(s, &p, &p3), VD_ERR_NOTFOUND);
	struct complaint_pause_recs pl;
	CHECK_EQ_INT(s->ops->complaint_pause_list(s, &mem, a, &pl), VD_OK);
	CHECK(pl.n == 2 && pl.items[0].id == p1 && pl.items[0].from_day == DAY0 + 2 && pl.items[0].to_day == DAY0 + 9);
	CHECK(pl.items[1].id == p2 && pl.items[1].to_day == 0);
	CHECK_STR(pl.items[0].step, "mediation");
	CHECK_STR(pl.items[1].step, "incomplete");
	CHECK_EQ_INT(s->ops->complaint_pause_list(s, &mem, b, &pl), VD_OK);
	CHECK_EQ_INT(pl.n, 0);

	/* extensions, per term, listed for the whole complaint */
	struct complaint_extension_rec x = { .term_id = t2, .days = 28, .basis = "notice", .at = 50, .by = m };
	int64_t x1 = 0, x2 = 0, x3 = 0;
	CHECK_EQ_INT(s->ops->complaint_extension_insert(s, &x, &x1), VD_OK);
	x.days = 7;
	x.basis = "consent";
	x.consent_day = DAY0 + 30;
	CHECK_EQ_INT(s->ops->complaint_extension_insert(s, &x, &x2), VD_OK);
	x.term_id = t2 + 100;
	CHECK_EQ_INT(s->ops->complaint_extension_insert(s, &x, &x3), VD_ERR_NOTFOUND);
	struct complaint_extension_recs xl;
	CHECK_EQ_INT(s->ops->complaint_extension_list(s, &mem, a, &xl), VD_OK);
	CHECK(xl.n == 2 && xl.items[0].id == x1 && xl.items[0].term_id == t2 && xl.items[0].days == 28 &&
	      xl.items[0].consent_day == 0 && xl.items[0].at == 50 && xl.items[0].by == m);
	CHECK_STR(xl.items[0].basis, "notice");
	CHECK(xl.items[1].id == x2 && xl.items[1].consent_day == DAY0 + 30);
	CHECK_EQ_INT(s->ops->complaint_extension_list(s, &mem, b, &xl), VD_OK);
	CHECK_EQ_INT(xl.n, 0);
}

static void complaint_terms_due_and_reminded_once(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t n = add_user(s, "committee", "Niek", "niek@example.org");
	int64_t both[] = { n, m };
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, both, 2), closed = add_complaint(s, unit, DAY0, 0, 0, &m, 1);
	CHECK(a && closed);
	struct id_list readers;
	CHECK_EQ_INT(s->ops->complaint_readers(s, &mem, a, &readers), VD_OK);
	CHECK(readers.n == 2 && readers.ids[0] == (m < n ? m : n) && readers.ids[1] == (m < n ? n : m));
	CHECK_EQ_INT(s->ops->complaint_readers(s, &mem, a + 100, &readers), VD_OK);
	CHECK_EQ_INT(readers.n, 0);
	struct complaint_term_rec t = { .complaint_id = a, .kind = "admissibility", .start_day = DAY0, .length = 14,
					.unit = "days", .atw = 1, .due_day = DAY0 + 14 };
	int64_t soon = 0, later = 0, met = 0, stopped = 0, of_closed = 0;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &soon), VD_OK);
	t.due_day = DAY0 + 70;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &later), VD_OK);
	t.due_day = DAY0 + 10;
	t.met_day = DAY0 + 9;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &met), VD_OK);
	t.due_day = 0;
	t.met_day = 0;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &stopped), VD_OK);
	t.complaint_id = closed;
	t.due_day = DAY0 + 5;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &of_closed), VD_OK);
	/* open, with a due day by then, of an open complaint: by due day */
	struct complaint_term_recs l;
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 100, 3, NULL, 10, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == soon && l.items[1].id == later && l.items[0].reminded == 0);
	CHECK_EQ_INT(l.items[0].complaint_id, a);
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 20, 3, NULL, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == soon);
	/* of one kind only */
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 100, 3, "admissibility", 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 100, 3, "minutes", 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* one reminder once; listed until every bit asked for is set */
	CHECK_EQ_INT(s->ops->complaint_term_remind(s, soon, 1), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_term_remind(s, soon, 1), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 20, 3, NULL, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].reminded == 1);
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 20, 1, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(s->ops->complaint_term_remind(s, soon, 2), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_terms_due(s, &mem, DAY0 + 20, 3, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(s->ops->complaint_term_remind(s, later + 100, 1), VD_ERR_NOTFOUND);
	/* the running ones of the complaints a reader holds, of their units, by due day */
	int64_t u1[] = { unit };
	struct complaint_query q = { .user_id = m, .units = u1, .nunits = 1, .limit = 10 };
	CHECK_EQ_INT(s->ops->complaint_running_terms(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == soon && l.items[1].id == later);
	q.offset = 1;
	CHECK_EQ_INT(s->ops->complaint_running_terms(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == later);
	q.offset = 0;
	q.nunits = 0;
	CHECK_EQ_INT(s->ops->complaint_running_terms(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	int64_t stranger = add_user(s, "committee", "Olaf", "olaf@example.org");
	q.nunits = 1;
	q.user_id = stranger;
	CHECK_EQ_INT(s->ops->complaint_running_terms(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* the reminded bits are read back with the term */
	struct complaint_term_recs tl;
	CHECK_EQ_INT(s->ops->complaint_term_list(s, &mem, a, &tl), VD_OK);
	CHECK(tl.n == 4 && tl.items[0].reminded == 3 && tl.items[1].reminded == 0);
}

static void complaint_moves_in_order(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	CHECK(a);
	static const unsigned char reason[] = { 1, 2, 3, 0, 4 };
	struct complaint_move_rec mv = { .complaint_id = a, .at = 10, .by = m, .from = "received", .to = "mediation" };
	int64_t m1 = 0, m2 = 0, m3 = 0;
	CHECK_EQ_INT(s->ops->complaint_move_insert(s, &mv, &m1), VD_OK);
	mv.from = "mediation";
	mv.to = "received";
	mv.at = 20;
	mv.reason = reason;
	mv.reason_len = sizeof reason;
	CHECK_EQ_INT(s->ops->complaint_move_insert(s, &mv, &m2), VD_OK);
	mv.complaint_id = a + 100;
	CHECK_EQ_INT(s->ops->complaint_move_insert(s, &mv, &m3), VD_ERR_NOTFOUND);
	struct complaint_move_recs ml;
	CHECK_EQ_INT(s->ops->complaint_move_list(s, &mem, a, 10, &ml), VD_OK);
	CHECK(ml.n == 2 && ml.items[0].id == m1 && ml.items[0].at == 10 && ml.items[0].by == m);
	CHECK(ml.items[0].reason == NULL && ml.items[0].reason_len == 0);
	CHECK_STR(ml.items[0].from, "received");
	CHECK_STR(ml.items[0].to, "mediation");
	CHECK(ml.items[1].reason_len == sizeof reason && memcmp(ml.items[1].reason, reason, sizeof reason) == 0);
	CHECK_EQ_INT(s->ops->complaint_move_list(s, &mem, a, 1, &ml), VD_OK);
	CHECK(ml.n == 1 && ml.items[0].id == m1);
}

/* ---- a complaint's parties, letters and hearings ------------------------------- */

static struct complaint_party_rec party(int64_t complaint, const char *role, const char *locator, int64_t user,
					int64_t at, unsigned char fill)
{
	static const unsigned char contact[] = { 9, 8, 7 };
	struct complaint_party_rec p = { .complaint_id = complaint, .role = role, .locator = locator, .user_id = user,
					 .contact = contact, .contact_len = sizeof contact, .created_at = at, .by = 0,
					 .receipt_ops = fill, .receipt_mem_kib = 8192u + fill };
	memset(p.receipt_salt, fill, sizeof p.receipt_salt);
	memset(p.receipt_verifier, fill + 1, sizeof p.receipt_verifier);
	memset(p.key_by_receipt, fill + 2, sizeof p.key_by_receipt);
	memset(p.sealed_key, fill + 3, sizeof p.sealed_key);
	memset(p.key_by_complaint, fill + 4, sizeof p.key_by_complaint);
	return p;
}

static void complaint_parties_by_locator_and_supporter(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t c = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, &m, 1), b = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	CHECK(a && b && c);
	struct complaint_party_rec p1 = party(a, "complainant", "ABC123", 0, 10, 1);
	struct complaint_party_rec p2 = party(a, "accused", "DEF456", 0, 20, 5);
	struct complaint_party_rec p3 = party(a, "supporter", "", c, 30, 9);
	struct complaint_party_rec p4 = party(b, "supporter", "", c, 40, 13);
	int64_t i1 = 0, i2 = 0, i3 = 0, i4 = 0, dup = 0;
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p1, &i1), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p2, &i2), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p3, &i3), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p4, &i4), VD_OK); /* "" is no locator: not unique */
	struct complaint_party_rec again = party(b, "accused", "ABC123", 0, 50, 17);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &again, &dup), VD_ERR_EXISTS);
	struct complaint_party_rec orphan = party(b + 100, "accused", "GHJ789", 0, 50, 17);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &orphan, &dup), VD_ERR_NOTFOUND);
	struct complaint_party_rec got;
	CHECK_EQ_INT(s->ops->complaint_party_find_locator(s, &mem, "DEF456", &got), VD_OK);
	CHECK(got.id == i2 && got.complaint_id == a && got.created_at == 20 && got.user_id == 0);
	CHECK_STR(got.role, "accused");
	CHECK(memcmp(got.receipt_salt, p2.receipt_salt, sizeof got.receipt_salt) == 0);
	CHECK(memcmp(got.receipt_verifier, p2.receipt_verifier, sizeof got.receipt_verifier) == 0);
	CHECK(got.receipt_ops == p2.receipt_ops && got.receipt_mem_kib == p2.receipt_mem_kib);
	CHECK(memcmp(got.key_by_receipt, p2.key_by_receipt, sizeof got.key_by_receipt) == 0);
	CHECK(got.contact_len == 3 && got.contact[0] == 9);
	CHECK_EQ_INT(s->ops->complaint_party_find_locator(s, &mem, "", &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_party_find_locator(s, &mem, "ZZZ999", &got), VD_ERR_NOTFOUND);
	struct complaint_party_recs l;
	CHECK_EQ_INT(s->ops->complaint_party_list(s, &mem, a, &l), VD_OK);
	CHECK(l.n == 3 && l.items[0].id == i1 && l.items[1].id == i2 && l.items[2].id == i3);
	CHECK(l.items[2].user_id == c && memcmp(l.items[2].sealed_key, p3.sealed_key, sizeof p3.sealed_key) == 0);
	CHECK(memcmp(l.items[2].key_by_complaint, p3.key_by_complaint, sizeof p3.key_by_complaint) == 0);
	CHECK_EQ_INT(s->ops->complaint_party_supported(s, &mem, c, 10, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == i4 && l.items[1].id == i3);
	CHECK_EQ_INT(s->ops->complaint_party_supported(s, &mem, c, 1, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == i4);
	CHECK_EQ_INT(s->ops->complaint_party_supported(s, &mem, m, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(s->ops->complaint_party_supported(s, &mem, 0, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

static void complaint_letters_per_party(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	struct complaint_party_rec p1 = party(a, "complainant", "ABC123", 0, 10, 1);
	struct complaint_party_rec p2 = party(a, "accused", "DEF456", 0, 20, 5);
	int64_t c = 0, d = 0;
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p1, &c), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p2, &d), VD_OK);
	static const unsigned char body[] = { 1, 0, 2 };
	struct complaint_letter_rec lr = { .complaint_id = a, .party_id = c, .outgoing = 1, .kind = "receipt",
					   .step = "", .at = 100, .by = m, .body = body, .body_len = sizeof body };
	int64_t l1 = 0, l2 = 0, l3 = 0, bad = 0;
	CHECK_EQ_INT(s->ops->complaint_letter_insert(s, &lr, &l1), VD_OK);
	lr.party_id = d;
	lr.kind = "step";
	lr.step = "accused_informed";
	lr.at = 200;
	CHECK_EQ_INT(s->ops->complaint_letter_insert(s, &lr, &l2), VD_OK);
	lr.party_id = c;
	lr.outgoing = 0;
	lr.kind = "reaction";
	lr.step = "";
	lr.hearing_id = 7;
	lr.by = 0;
	lr.at = 300;
	CHECK_EQ_INT(s->ops->complaint_letter_insert(s, &lr, &l3), VD_OK);
	lr.party_id = d + 100;
	CHECK_EQ_INT(s->ops->complaint_letter_insert(s, &lr, &bad), VD_ERR_NOTFOUND);
	struct complaint_letter_recs l;
	CHECK_EQ_INT(s->ops->complaint_letter_list(s, &mem, a, 0, 10, &l), VD_OK);
	CHECK(l.n == 3 && l.items[0].id == l1 && l.items[1].id == l2 && l.items[2].id == l3);
	CHECK(l.items[1].party_id == d && l.items[1].outgoing == 1);
	CHECK(l.items[1].at == 200 && l.items[1].by == m);
	CHECK_STR(l.items[1].step, "accused_informed");
	CHECK(l.items[2].outgoing == 0 && l.items[2].hearing_id == 7);
	CHECK(l.items[2].body_len == sizeof body && memcmp(l.items[2].body, body, sizeof body) == 0);
	CHECK_STR(l.items[2].kind, "reaction");
	CHECK_EQ_INT(s->ops->complaint_letter_list(s, &mem, a, c, 10, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == l1 && l.items[1].id == l3);
	/* the newest ones, oldest first */
	CHECK_EQ_INT(s->ops->complaint_letter_list(s, &mem, a, 0, 2, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == l2 && l.items[1].id == l3);
	CHECK_EQ_INT(s->ops->complaint_letter_list(s, &mem, a + 100, 0, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	int64_t count = -1;
	CHECK_EQ_INT(s->ops->complaint_letter_count(s, c, "reaction", &count), VD_OK);
	CHECK_EQ_INT(count, 1);
	CHECK_EQ_INT(s->ops->complaint_letter_count(s, d, "reaction", &count), VD_OK);
	CHECK_EQ_INT(count, 0);
	CHECK_EQ_INT(s->ops->complaint_letter_count(s, d, "step", &count), VD_OK);
	CHECK_EQ_INT(count, 1);
}

static void complaint_hearings_and_who_was_heard(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, &m, 1), b = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	struct complaint_party_rec p1 = party(a, "complainant", "ABC123", 0, 10, 1);
	struct complaint_party_rec p2 = party(a, "accused", "DEF456", 0, 20, 5);
	int64_t c = 0, d = 0;
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p1, &c), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p2, &d), VD_OK);
	static const unsigned char details[] = { 4, 4 }, minutes[] = { 5, 5, 5 };
	struct complaint_hearing_rec h = { .complaint_id = a, .on_day = DAY0 + 9, .at = 90, .by = m,
					   .details = details, .details_len = sizeof details };
	int64_t h1 = 0, h2 = 0, hb = 0;
	CHECK_EQ_INT(s->ops->complaint_hearing_insert(s, &h, &h1), VD_OK);
	h.on_day = DAY0 + 10;
	CHECK_EQ_INT(s->ops->complaint_hearing_insert(s, &h, &h2), VD_OK);
	h.complaint_id = b;
	CHECK_EQ_INT(s->ops->complaint_hearing_insert(s, &h, &hb), VD_OK);
	h.complaint_id = b + 100;
	CHECK_EQ_INT(s->ops->complaint_hearing_insert(s, &h, &hb), VD_ERR_NOTFOUND);
	struct complaint_hearing_recs hl;
	CHECK_EQ_INT(s->ops->complaint_hearing_list(s, &mem, a, &hl), VD_OK);
	CHECK(hl.n == 2 && hl.items[0].id == h1 && hl.items[1].id == h2 && hl.items[0].on_day == DAY0 + 9);
	CHECK(hl.items[0].minutes == NULL && hl.items[0].minutes_day == 0 && hl.items[0].details_len == 2);
	struct complaint_hearing_rec up = hl.items[0];
	up.minutes = minutes;
	up.minutes_len = sizeof minutes;
	up.minutes_day = DAY0 + 12;
	CHECK_EQ_INT(s->ops->complaint_hearing_update(s, &up), VD_OK);
	up.id = hb + 100;
	CHECK_EQ_INT(s->ops->complaint_hearing_update(s, &up), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_hearing_list(s, &mem, a, &hl), VD_OK);
	CHECK(hl.items[0].minutes_len == 3 && memcmp(hl.items[0].minutes, minutes, 3) == 0);
	CHECK(hl.items[0].minutes_day == DAY0 + 12 && hl.items[1].minutes == NULL);
	struct complaint_heard_rec hd = { .hearing_id = h1, .party_id = c, .approval = "pending" };
	CHECK_EQ_INT(s->ops->complaint_heard_insert(s, &hd), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_heard_insert(s, &hd), VD_ERR_EXISTS);
	hd.hearing_id = h2;
	hd.party_id = d;
	CHECK_EQ_INT(s->ops->complaint_heard_insert(s, &hd), VD_OK);
	hd.approval = "remarks";
	hd.reacted_day = DAY0 + 13;
	CHECK_EQ_INT(s->ops->complaint_heard_update(s, &hd), VD_OK);
	hd.party_id = c; /* not heard there */
	CHECK_EQ_INT(s->ops->complaint_heard_update(s, &hd), VD_ERR_NOTFOUND);
	struct complaint_heard_recs dl;
	CHECK_EQ_INT(s->ops->complaint_heard_list(s, &mem, a, &dl), VD_OK);
	CHECK(dl.n == 2 && dl.items[0].hearing_id == h1);
	CHECK(dl.items[0].party_id == c && dl.items[0].reacted_day == 0);
	CHECK_STR(dl.items[0].approval, "pending");
	CHECK(dl.items[1].hearing_id == h2 && dl.items[1].reacted_day == DAY0 + 13);
	CHECK_STR(dl.items[1].approval, "remarks");
	CHECK_EQ_INT(s->ops->complaint_heard_list(s, &mem, b, &dl), VD_OK);
	CHECK_EQ_INT(dl.n, 0);
	/* a minutes term names its hearing */
	struct complaint_term_rec t = { .complaint_id = a, .kind = "minutes", .start_day = DAY0 + 12, .length = 8,
					.unit = "days", .atw = 1, .due_day = DAY0 + 20, .hearing_id = h1 };
	int64_t tid = 0;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &tid), VD_OK);
	struct complaint_term_recs tl;
	CHECK_EQ_INT(s->ops->complaint_term_list(s, &mem, a, &tl), VD_OK);
	CHECK(tl.n == 1 && tl.items[0].id == tid && tl.items[0].hearing_id == h1);
}

static void complaint_attachments_beside_a_case_s(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t a = add_complaint(s, unit, DAY0, 0, 1, &m, 1), b = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	static const unsigned char meta[] = { 3, 1, 4 };
	struct attachment_rec f = { .case_id = a, .message_id = 0, .kind = "complaint",
				    .file_id = "0123456789abcdef0123456789abcdef", .created_at = 5, .meta = meta,
				    .meta_len = sizeof meta };
	int64_t f1 = 0, f2 = 0, dup = 0;
	CHECK_EQ_INT(s->ops->attachment_exists(s, f.file_id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_attachment_insert(s, &f, &f1), VD_OK);
	CHECK_EQ_INT(s->ops->attachment_exists(s, f.file_id), VD_OK); /* the sweep keeps it */
	CHECK_EQ_INT(s->ops->complaint_attachment_insert(s, &f, &dup), VD_ERR_EXISTS);
	f.file_id = "fedcba9876543210fedcba9876543210";
	f.message_id = 7;
	CHECK_EQ_INT(s->ops->complaint_attachment_insert(s, &f, &f2), VD_OK);
	f.case_id = b + 100;
	f.file_id = "00000000000000000000000000000000";
	CHECK_EQ_INT(s->ops->complaint_attachment_insert(s, &f, &dup), VD_ERR_NOTFOUND);
	struct attachment_recs l;
	CHECK_EQ_INT(s->ops->complaint_attachment_list(s, &mem, a, 10, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == f1 && l.items[1].id == f2 && l.items[1].message_id == 7);
	CHECK(l.items[0].case_id == a && l.items[0].meta_len == 3 && memcmp(l.items[0].meta, meta, 3) == 0);
	CHECK_STR(l.items[0].kind, "complaint");
	CHECK_EQ_INT(s->ops->complaint_attachment_list(s, &mem, b, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	struct attachment_rec got;
	CHECK_EQ_INT(s->ops->complaint_attachment_get(s, &mem, a, "fedcba9876543210fedcba9876543210", &got), VD_OK);
	CHECK(got.id == f2 && got.created_at == 5);
	CHECK_EQ_INT(s->ops->complaint_attachment_get(s, &mem, b, "fedcba9876543210fedcba9876543210", &got),
		     VD_ERR_NOTFOUND);
	/* a complaint's file is no case's */
	CHECK_EQ_INT(s->ops->attachment_get(s, &mem, a, "fedcba9876543210fedcba9876543210", &got), VD_ERR_NOTFOUND);
}

/* ---- case work: hand-over and conflicts of interest -------------------------------- */

static void case_reader_replace_hands_over(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t r2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	int64_t r3 = add_user(s, "counsellor", "Eva", "eva@example.org");
	CHECK(unit && r1 && r2 && r3);
	int64_t chosen = add_case_for(s, unit, "L1", 1000, r1, (int64_t[]){ r1, r2 }, 2);
	int64_t any = add_case_for(s, unit, "L2", 1000, 0, (int64_t[]){ r1, r2 }, 2);
	int64_t others = add_case_for(s, unit, "L3", 1000, r2, (int64_t[]){ r1, r2 }, 2);
	CHECK(chosen && any && others);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, chosen, r1, 1100), VD_OK);

	struct case_key_rec to;
	seal_for(&to, r3, 9);
	CHECK_EQ_INT(s->ops->case_reader_replace(s, chosen, r1, &to), VD_OK);
	struct case_key_rec k;
	CHECK_EQ_INT(s->ops->case_key_get(s, chosen, r3, &k), VD_OK);
	CHECK(memcmp(k.sealed_key, to.sealed_key, sizeof k.sealed_key) == 0);
	CHECK_EQ_INT(s->ops->case_key_get(s, chosen, r1, &k), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(unopened_for(s, r3, chosen), 1); /* new to them */
	CHECK_EQ_INT(unopened_for(s, r1, chosen), -1);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, chosen, &c), VD_OK);
	CHECK_EQ_INT(c.counsellor_id, r3); /* it was from_user */
	struct id_list readers;
	CHECK_EQ_INT(s->ops->case_readers(s, &mem, chosen, &readers), VD_OK);
	CHECK_EQ_INT(readers.n, 2);
	CHECK_EQ_INT(readers.ids[0], r2);
	CHECK_EQ_INT(readers.ids[1], r3);

	/* compare-and-set: r1 reads it no longer, so nothing changes */
	struct case_key_rec again;
	seal_for(&again, r3, 10);
	CHECK_EQ_INT(s->ops->case_reader_replace(s, chosen, r1, &again), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->case_key_get(s, chosen, r3, &k), VD_OK);
	CHECK(memcmp(k.sealed_key, to.sealed_key, sizeof k.sealed_key) == 0);
	CHECK_EQ_INT(s->ops->case_reader_replace(s, chosen + 100, r2, &again), VD_ERR_NOTFOUND);

	/* the case's counsellor changes only when it was from_user */
	CHECK_EQ_INT(s->ops->case_reader_replace(s, any, r1, &to), VD_OK);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, any, &c), VD_OK);
	CHECK_EQ_INT(c.counsellor_id, 0);
	CHECK_EQ_INT(s->ops->case_reader_replace(s, others, r1, &to), VD_OK);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, others, &c), VD_OK);
	CHECK_EQ_INT(c.counsellor_id, r2);
}

static void case_reader_replace_onto_a_reader(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t r2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(unit && r1 && r2);
	int64_t id = add_case_for(s, unit, "L1", 1000, r1, (int64_t[]){ r1, r2 }, 2);
	CHECK(id > 0);
	CHECK_EQ_INT(s->ops->case_mark_opened(s, id, r2, 1100), VD_OK); /* r2 has read it */
	struct case_key_rec to;
	seal_for(&to, r2, 5); /* the same case key, sealed anew */
	CHECK_EQ_INT(s->ops->case_reader_replace(s, id, r1, &to), VD_OK);
	struct case_key_rec k;
	CHECK_EQ_INT(s->ops->case_key_get(s, id, r2, &k), VD_OK);
	CHECK(memcmp(k.sealed_key, to.sealed_key, sizeof k.sealed_key) == 0);
	struct id_list readers;
	CHECK_EQ_INT(s->ops->case_readers(s, &mem, id, &readers), VD_OK);
	CHECK_EQ_INT(readers.n, 1);
	CHECK_EQ_INT(readers.ids[0], r2);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, id, &c), VD_OK);
	CHECK_EQ_INT(c.counsellor_id, r2);
	struct case_summary_recs l;
	CHECK_EQ_INT(s->ops->case_list(s, &mem, r2, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1); /* one line, not two */
	CHECK_EQ_INT(l.items[0].unopened, 1); /* and new to them again: it is theirs now */
}

static void conflicts_once_first_declared_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	struct id_list l;
	CHECK_EQ_INT(s->ops->conflict_list(s, &mem, id, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(s->ops->conflict_put(s, id, 30, 100), VD_OK);
	CHECK_EQ_INT(s->ops->conflict_put(s, id, 20, 200), VD_OK);
	CHECK_EQ_INT(s->ops->conflict_put(s, id, 30, 300), VD_OK); /* again: no change, not moved back */
	CHECK_EQ_INT(s->ops->conflict_put(s, other, 40, 50), VD_OK);
	CHECK_EQ_INT(s->ops->conflict_list(s, &mem, id, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.ids[0], 30);
	CHECK_EQ_INT(l.ids[1], 20);
	CHECK_EQ_INT(s->ops->conflict_list(s, &mem, other, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.ids[0], 40);
}

/* ---- case work: the confidentiality exception -------------------------------------- */

static void exceptions_insert_list_oldest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r;
	int64_t id = one_case(s, &unit, &r);
	int64_t other = add_case(s, unit, "L2", 1000, &r, 1);
	CHECK(id > 0 && other > 0);
	static const unsigned char content[] = { 'e', 0, 'x' };
	struct exception_rec e = { .case_id = id, .at = 500, .by = r, .conditions = 0x7, .told_day = 0,
				   .content = content, .content_len = sizeof content };
	int64_t e1, e2, ex;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &e1), VD_OK);
	e.at = 600;
	e.told_day = DAY0 + 4;
	e.conditions = 0x3;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &e2), VD_OK);
	e.case_id = other;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &ex), VD_OK);
	struct exception_recs l;
	CHECK_EQ_INT(s->ops->exception_list(s, &mem, id, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.items[0].id, e1);
	CHECK_EQ_INT(l.items[0].case_id, id);
	CHECK_EQ_INT(l.items[0].at, 500);
	CHECK_EQ_INT(l.items[0].by, r);
	CHECK_EQ_INT(l.items[0].conditions, 0x7);
	CHECK_EQ_INT(l.items[0].told_day, 0); /* not (yet) told */
	CHECK_EQ_INT(l.items[0].content_len, sizeof content);
	CHECK(memcmp(l.items[0].content, content, sizeof content) == 0);
	CHECK_EQ_INT(l.items[1].id, e2);
	CHECK_EQ_INT(l.items[1].told_day, DAY0 + 4);
	CHECK_EQ_INT(l.items[1].conditions, 0x3);
	CHECK_EQ_INT(s->ops->exception_list(s, &mem, id, 1, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.items[0].id, e1);
	e.case_id = other + 100;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &ex), VD_ERR_NOTFOUND);
}

/* ---- the whistleblower register --------------------------------------------------- */

/* An officer's keys to a report in these tests: patterns from their id,
 * and salt to tell two reports apart. */
static void wb_seal_for(struct wb_key_rec *k, int64_t user_id, int salt)
{
	k->user_id = user_id;
	memset(k->sealed_key, (int)((user_id * 7 + salt) & 0xff), sizeof k->sealed_key);
	memset(k->identity_key, (int)((user_id * 11 + salt) & 0xff), sizeof k->identity_key);
}

static const unsigned char wb_content[] = { 'w', 0, 'b', 0xfe }; /* bytes, not a string */

/* A report of unit as the form makes it: written, anonymous, unassessed,
 * received on day, its clock running to next_due (0: none); fill patterns
 * its code's keys. */
static struct wb_report_rec wb_report_of(int64_t unit, const char *locator, int64_t day, int64_t next_due,
					 unsigned char fill)
{
	struct wb_report_rec r = { .unit_id = unit, .by = 0, .created_at = day * 86400, .channel = "written",
				   .category = "", .relation = "employee", .named = 0, .received_day = day,
				   .outcome = "", .open = 1, .next_due_day = next_due, .locator = locator,
				   .content = wb_content, .content_len = sizeof wb_content, .receipt_ops = fill,
				   .receipt_mem_kib = 8192u + fill };
	memset(r.receipt_salt, fill, sizeof r.receipt_salt);
	memset(r.receipt_verifier, fill + 1, sizeof r.receipt_verifier);
	memset(r.mailbox_by_receipt, fill + 2, sizeof r.mailbox_by_receipt);
	memset(r.mailbox_by_report, fill + 3, sizeof r.mailbox_by_report);
	return r;
}

/* A report sealed to the n officers, open with its clock at next_due or
 * closed on closed_day (0: open); its id, 0 on failure. */
static int64_t add_wb_report(struct store *s, int64_t unit, const char *locator, int64_t next_due,
			     int64_t closed_day, const int64_t *officers, size_t n)
{
	struct wb_report_rec r = wb_report_of(unit, locator, DAY0, next_due, 0x40);
	if (closed_day) {
		r.open = 0;
		r.closed_day = closed_day;
		r.outcome = "unfounded";
	}
	struct wb_key_rec keys[4];
	if (n > 4)
		return 0;
	for (size_t i = 0; i < n; i++)
		wb_seal_for(&keys[i], officers[i], 1);
	int64_t id = 0;
	return s->ops->wb_report_insert(s, &r, keys, n, &id) == VD_OK ? id : 0;
}

/* The codes from before schema 23 (cost 0) get the cost given; the others
 * keep their own. */
static void receipt_costs_fill_only_the_old(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, r1;
	int64_t old_case = one_case(s, &unit, &r1);
	int64_t m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t complaint = add_complaint(s, unit, DAY0, 0, 1, &m, 1);
	struct complaint_party_rec p_old = party(complaint, "complainant", "OLD111", 0, 10, 0);
	struct complaint_party_rec p_new = party(complaint, "accused", "NEW222", 0, 20, 3);
	struct wb_report_rec w = wb_report_of(unit, "WB-OLD", DAY0, 0, 0);
	int64_t i1 = 0, i2 = 0, wid = 0;
	CHECK(old_case > 0 && complaint > 0);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p_old, &i1), VD_OK);
	CHECK_EQ_INT(s->ops->complaint_party_insert(s, &p_new, &i2), VD_OK);
	CHECK_EQ_INT(s->ops->wb_report_insert(s, &w, NULL, 0, &wid), VD_OK);
	CHECK_EQ_INT(s->ops->receipt_costs_fill(s, 7, 9001), VD_OK);
	struct case_rec c;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, old_case, &c), VD_OK);
	CHECK(c.receipt_ops == 7 && c.receipt_mem_kib == 9001);
	struct complaint_party_rec g;
	CHECK_EQ_INT(s->ops->complaint_party_find_locator(s, &mem, "OLD111", &g), VD_OK);
	CHECK(g.receipt_ops == 7 && g.receipt_mem_kib == 9001);
	CHECK_EQ_INT(s->ops->complaint_party_find_locator(s, &mem, "NEW222", &g), VD_OK);
	CHECK(g.receipt_ops == 3 && g.receipt_mem_kib == 8195); /* its own */
	struct wb_report_rec wg;
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, wid, &wg), VD_OK);
	CHECK(wg.receipt_ops == 7 && wg.receipt_mem_kib == 9001);
	/* a second fill finds nothing left to fill */
	CHECK_EQ_INT(s->ops->receipt_costs_fill(s, 1, 8192), VD_OK);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, old_case, &c), VD_OK);
	CHECK(c.receipt_ops == 7);
}

static void wb_report_insert_get_find_keys(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t o1 = add_user(s, "integrity", "Ilse", "ilse@example.org");
	int64_t o2 = add_user(s, "integrity", "Joost", "joost@example.org");
	int64_t other = add_user(s, "integrity", "Karin", "karin@example.org");
	CHECK(unit && o1 && o2 && other);
	/* every field its own value, so that no two columns can be swapped unseen */
	static const unsigned char identity[] = { 'i', 0, 'd' };
	struct wb_report_rec r = wb_report_of(unit, "WB12-CD34", DAY0 + 1, DAY0 + 5, 0x50);
	r.by = o2;
	r.created_at = 4242;
	r.channel = "oral";
	r.category = "fraud";
	r.relation = "volunteer";
	r.named = 1;
	r.ack_day = DAY0 + 2;
	r.feedback_day = DAY0 + 3;
	r.outcome = "referred";
	r.closed_day = DAY0 + 4;
	r.reminded = 6;
	r.identity = identity;
	r.identity_len = sizeof identity;
	r.code_own = 1;
	struct wb_key_rec keys[2];
	wb_seal_for(&keys[0], o2, 1);
	wb_seal_for(&keys[1], o1, 2);
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->wb_report_insert(s, &r, keys, 2, &id), VD_OK);
	CHECK(id > 0);

	struct wb_report_rec g;
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, id, &g), VD_OK);
	CHECK_EQ_INT(g.id, id);
	CHECK_EQ_INT(g.unit_id, unit);
	CHECK_EQ_INT(g.by, o2);
	CHECK_EQ_INT(g.created_at, 4242);
	CHECK_STR(g.channel, "oral");
	CHECK_STR(g.category, "fraud");
	CHECK_STR(g.relation, "volunteer");
	CHECK_EQ_INT(g.named, 1);
	CHECK_EQ_INT(g.received_day, DAY0 + 1);
	CHECK_EQ_INT(g.ack_day, DAY0 + 2);
	CHECK_EQ_INT(g.feedback_day, DAY0 + 3);
	CHECK_STR(g.outcome, "referred");
	CHECK_EQ_INT(g.open, 1);
	CHECK_EQ_INT(g.closed_day, DAY0 + 4);
	CHECK_EQ_INT(g.next_due_day, DAY0 + 5);
	CHECK_EQ_INT(g.reminded, 6);
	CHECK_EQ_INT(g.code_own, 1);
	CHECK_STR(g.locator, "WB12-CD34");
	CHECK(memcmp(g.receipt_salt, r.receipt_salt, sizeof r.receipt_salt) == 0);
	CHECK(g.receipt_ops == r.receipt_ops && g.receipt_mem_kib == r.receipt_mem_kib && g.receipt_ops != 0);
	CHECK(memcmp(g.receipt_verifier, r.receipt_verifier, sizeof r.receipt_verifier) == 0);
	CHECK(memcmp(g.mailbox_by_receipt, r.mailbox_by_receipt, sizeof r.mailbox_by_receipt) == 0);
	CHECK(memcmp(g.mailbox_by_report, r.mailbox_by_report, sizeof r.mailbox_by_report) == 0);
	CHECK_EQ_INT(g.content_len, sizeof wb_content);
	CHECK(memcmp(g.content, wb_content, sizeof wb_content) == 0);
	CHECK_EQ_INT(g.identity_len, sizeof identity);
	CHECK(g.identity != NULL && memcmp(g.identity, identity, sizeof identity) == 0);
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, id + 1, &g), VD_ERR_NOTFOUND);

	/* a report without an identity reads back without one */
	struct wb_report_rec anon = wb_report_of(unit, "WB56-EF78", DAY0, 0, 0x60);
	int64_t id2 = 0;
	CHECK_EQ_INT(s->ops->wb_report_insert(s, &anon, keys, 1, &id2), VD_OK);
	CHECK(id2 > 0 && id2 != id);
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, id2, &g), VD_OK);
	CHECK(g.identity == NULL && g.identity_len == 0);
	CHECK(g.by == 0 && g.named == 0 && g.ack_day == 0 && g.feedback_day == 0 && g.closed_day == 0);
	CHECK(g.next_due_day == 0 && g.reminded == 0 && g.open == 1);
	CHECK_STR(g.category, "");
	CHECK_STR(g.outcome, "");
	CHECK(memcmp(g.receipt_salt, anon.receipt_salt, sizeof anon.receipt_salt) == 0);

	/* by locator, byte for byte */
	memset(&g, 0, sizeof g);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB12-CD34", &g), VD_OK);
	CHECK_EQ_INT(g.id, id);
	CHECK_STR(g.channel, "oral");
	CHECK(g.identity_len == sizeof identity);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB56-EF78", &g), VD_OK);
	CHECK_EQ_INT(g.id, id2);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "wb12-cd34", &g), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "", &g), VD_ERR_NOTFOUND);

	/* each officer's two keys; none for anyone else */
	struct wb_key_rec k;
	CHECK_EQ_INT(s->ops->wb_key_get(s, id, o1, &k), VD_OK);
	CHECK_EQ_INT(k.user_id, o1);
	CHECK(memcmp(k.sealed_key, keys[1].sealed_key, sizeof k.sealed_key) == 0);
	CHECK(memcmp(k.identity_key, keys[1].identity_key, sizeof k.identity_key) == 0);
	CHECK_EQ_INT(s->ops->wb_key_get(s, id, o2, &k), VD_OK);
	CHECK(memcmp(k.sealed_key, keys[0].sealed_key, sizeof k.sealed_key) == 0);
	CHECK(memcmp(k.identity_key, keys[0].identity_key, sizeof k.identity_key) == 0);
	CHECK_EQ_INT(s->ops->wb_key_get(s, id, other, &k), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_key_get(s, id2, o1, &k), VD_ERR_NOTFOUND); /* sealed to o2 only */
	CHECK_EQ_INT(s->ops->wb_key_get(s, id2 + 1, o2, &k), VD_ERR_NOTFOUND);
}

static void wb_report_insert_refused_writes_nothing(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t o1 = add_user(s, "integrity", "Ilse", "ilse@example.org");
	int64_t o2 = add_user(s, "integrity", "Joost", "joost@example.org");
	CHECK(unit && o1 && o2);
	int64_t first = add_wb_report(s, unit, "WB-1", DAY0 + 7, 0, &o1, 1);
	CHECK(first > 0);
	/* the locator is taken: neither the report nor o2's keys are written */
	struct wb_report_rec r = wb_report_of(unit, "WB-1", DAY0 + 9, DAY0 + 16, 0x70);
	struct wb_key_rec k;
	wb_seal_for(&k, o2, 3);
	int64_t id = 0;
	CHECK_EQ_INT(s->ops->wb_report_insert(s, &r, &k, 1, &id), VD_ERR_EXISTS);
	struct wb_query q = { .user_id = o2, .units = &unit, .nunits = 1, .open = 1, .limit = 10 };
	struct wb_report_recs l;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	struct wb_report_rec g;
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB-1", &g), VD_OK);
	CHECK(g.id == first && g.received_day == DAY0 && g.next_due_day == DAY0 + 7);
	struct wb_key_rec got;
	CHECK_EQ_INT(s->ops->wb_key_get(s, first, o2, &got), VD_ERR_NOTFOUND);
	/* an officer who does not exist: the report row does not stay behind */
	struct wb_key_rec two[2];
	wb_seal_for(&two[0], o1, 3);
	wb_seal_for(&two[1], o2 + 1000, 3);
	r.locator = "WB-2";
	CHECK_EQ_INT(s->ops->wb_report_insert(s, &r, two, 2, &id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB-2", &g), VD_ERR_NOTFOUND);
	q.user_id = o1;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == first);
	/* inside a caller's transaction the refusal takes back its own rows
	 * only: what the transaction wrote before stays, and it can go on */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	int64_t kept = add_wb_report(s, unit, "WB-3", 0, 0, &o2, 1);
	CHECK(kept > 0);
	r.locator = "WB-3";
	CHECK_EQ_INT(s->ops->wb_report_insert(s, &r, &k, 1, &id), VD_ERR_EXISTS);
	int64_t after = add_wb_report(s, unit, "WB-4", 0, 0, &o2, 1);
	CHECK(after > 0);
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
	q.user_id = o2;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == kept && l.items[1].id == after);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB-3", &g), VD_OK);
	CHECK(g.id == kept && g.received_day == DAY0);
}

static void wb_report_claim_and_update(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	CHECK(unit && o);
	int64_t id = add_wb_report(s, unit, "WB-1", DAY0 + 7, 0, &o, 1);
	CHECK(id > 0);
	CHECK_EQ_INT(s->ops->wb_report_remind(s, id, 1), VD_OK);
	struct wb_report_rec c;
	/* a claim only inside a transaction */
	CHECK_EQ_INT(s->ops->wb_report_claim(s, &mem, id, &c), VD_ERR_MISUSE);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(s->ops->wb_report_claim(s, &mem, id, &c), VD_OK);
	CHECK(c.id == id && c.open == 1 && c.next_due_day == DAY0 + 7 && c.reminded == 1);
	CHECK_STR(c.locator, "WB-1");
	struct wb_report_rec none;
	CHECK_EQ_INT(s->ops->wb_report_claim(s, &mem, id + 1, &none), VD_ERR_NOTFOUND);
	/* the listed fields change; the rest is as it came in */
	static const unsigned char other[] = "anders";
	static const unsigned char who[] = "iemand";
	c.category = "abuse_of_power";
	c.ack_day = DAY0 + 2;
	c.feedback_day = DAY0 + 60;
	c.outcome = "founded";
	c.open = 0;
	c.closed_day = DAY0 + 61;
	c.next_due_day = 0;
	c.unit_id = unit + 5;
	c.by = o;
	c.created_at = 1;
	c.channel = "meeting";
	c.relation = "former";
	c.named = 1;
	c.received_day = DAY0 + 3;
	c.reminded = 0;
	c.locator = "WB-9";
	memset(c.receipt_salt, 0x99, sizeof c.receipt_salt);
	memset(c.mailbox_by_report, 0x99, sizeof c.mailbox_by_report);
	c.content = other;
	c.content_len = sizeof other;
	c.identity = who;
	c.identity_len = sizeof who;
	CHECK_EQ_INT(s->ops->wb_report_update(s, &c), VD_OK);
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
	struct wb_report_rec g, want = wb_report_of(unit, "WB-1", DAY0, DAY0 + 7, 0x40);
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, id, &g), VD_OK);
	CHECK_STR(g.category, "abuse_of_power");
	CHECK(g.ack_day == DAY0 + 2 && g.feedback_day == DAY0 + 60 && g.open == 0 && g.closed_day == DAY0 + 61);
	CHECK_EQ_INT(g.next_due_day, 0);
	CHECK_STR(g.outcome, "founded");
	CHECK(g.unit_id == unit && g.by == 0 && g.created_at == want.created_at && g.named == 0);
	CHECK(g.received_day == DAY0 && g.reminded == 1);
	CHECK_STR(g.channel, "written");
	CHECK_STR(g.relation, "employee");
	CHECK_STR(g.locator, "WB-1");
	CHECK(memcmp(g.receipt_salt, want.receipt_salt, sizeof want.receipt_salt) == 0);
	CHECK(memcmp(g.mailbox_by_report, want.mailbox_by_report, sizeof want.mailbox_by_report) == 0);
	CHECK(g.content_len == sizeof wb_content && memcmp(g.content, wb_content, sizeof wb_content) == 0);
	CHECK(g.identity == NULL);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB-9", &g), VD_ERR_NOTFOUND);
	c.id = id + 1;
	CHECK_EQ_INT(s->ops->wb_report_update(s, &c), VD_ERR_NOTFOUND);
}

static void wb_report_list_by_due_day_and_closed_newest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "U1"), u2 = add_unit(s, 0, "U2");
	int64_t o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	int64_t p = add_user(s, "integrity", "Joost", "joost@example.org");
	CHECK(u1 && u2 && o && p);
	int64_t both[] = { o, p };
	int64_t late = add_wb_report(s, u1, "L1", DAY0 + 30, 0, both, 2);
	int64_t none = add_wb_report(s, u1, "L2", 0, 0, &o, 1); /* no clock runs */
	int64_t soon = add_wb_report(s, u2, "L3", DAY0 + 10, 0, &o, 1);
	int64_t tie = add_wb_report(s, u1, "L4", DAY0 + 10, 0, &o, 1);
	int64_t none2 = add_wb_report(s, u1, "L5", 0, 0, &o, 1);
	int64_t older = add_wb_report(s, u1, "L6", 0, DAY0 + 5, &o, 1);
	int64_t newer = add_wb_report(s, u1, "L7", 0, DAY0 + 9, &o, 1);
	int64_t same_day = add_wb_report(s, u1, "L8", 0, DAY0 + 5, &o, 1);
	int64_t not_o = add_wb_report(s, u1, "L9", DAY0 + 1, 0, &p, 1);
	CHECK(late && none && soon && tie && none2 && older && newer && same_day && not_o);
	/* open: by due day, ties by id, those without one last; of the units asked */
	int64_t units[] = { u1, u2 };
	struct wb_query q = { .user_id = o, .units = units, .nunits = 2, .open = 1, .limit = 10 };
	struct wb_report_recs l;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 5);
	CHECK(l.items[0].id == soon && l.items[1].id == tie && l.items[2].id == late && l.items[3].id == none &&
	      l.items[4].id == none2);
	CHECK_STR(l.items[0].locator, "L3");
	CHECK(l.items[0].content_len == sizeof wb_content && l.items[0].identity == NULL);
	/* paging */
	q.offset = 1;
	q.limit = 2;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == tie && l.items[1].id == late);
	q.offset = 5;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	q.offset = 0;
	q.limit = 0;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* closed: the latest closing first, ties newest first */
	q.open = 0;
	q.limit = 10;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 3 && l.items[0].id == newer && l.items[1].id == same_day && l.items[2].id == older);
	CHECK(l.items[0].open == 0 && l.items[0].closed_day == DAY0 + 9);
	q.offset = 2;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == older);
	/* only the reports sealed to the user */
	q.offset = 0;
	q.open = 1;
	q.user_id = p;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == not_o && l.items[1].id == late);
	q.open = 0;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	q.user_id = p + 100;
	q.open = 1;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* only those of the units asked: u2 alone, then none */
	q.user_id = o;
	q.units = &u2;
	q.nunits = 1;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == soon);
	q.nunits = 0;
	CHECK_EQ_INT(s->ops->wb_report_list(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

/* A new code for the reporter: the receipt columns and code_own change,
 * nothing else; a taken locator changes nothing. */
static void wb_report_rekey_changes_the_code_only(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	CHECK(unit && o);
	int64_t a = add_wb_report(s, unit, "RK-A", DAY0 + 7, 0, &o, 1);
	int64_t b = add_wb_report(s, unit, "RK-B", DAY0 + 7, 0, &o, 1);
	CHECK(a && b);
	struct wb_report_rec g;
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, a, &g), VD_OK);
	CHECK_EQ_INT(g.code_own, 0);
	struct wb_report_rec r = g;
	r.locator = "RK-NEW";
	memset(r.receipt_salt, 0x91, sizeof r.receipt_salt);
	memset(r.receipt_verifier, 0x92, sizeof r.receipt_verifier);
	memset(r.mailbox_by_receipt, 0x93, sizeof r.mailbox_by_receipt);
	r.receipt_ops = 7;
	r.receipt_mem_kib = 9999;
	r.ack_day = DAY0 + 3; /* not written by a rekey */
	CHECK_EQ_INT(s->ops->wb_report_rekey(s, &r), VD_OK);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "RK-A", &g), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "RK-NEW", &g), VD_OK);
	CHECK(g.id == a && g.code_own == 1 && g.ack_day == 0 && g.next_due_day == DAY0 + 7);
	CHECK(g.receipt_salt[0] == 0x91 && g.receipt_verifier[31] == 0x92 && g.mailbox_by_receipt[0] == 0x93);
	CHECK(g.receipt_ops == 7 && g.receipt_mem_kib == 9999); /* the new code's cost */
	CHECK(g.mailbox_by_report[0] == 0x43);
	/* b's locator is taken by nobody else; a's new one is */
	r.id = b;
	CHECK_EQ_INT(s->ops->wb_report_rekey(s, &r), VD_ERR_EXISTS);
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, b, &g), VD_OK);
	CHECK(strcmp(g.locator, "RK-B") == 0 && g.code_own == 0 && g.receipt_salt[0] == 0x40);
	r.id = b + 100;
	r.locator = "RK-NONE";
	CHECK_EQ_INT(s->ops->wb_report_rekey(s, &r), VD_ERR_NOTFOUND);
}

/* A report's files, kept as a complaint's are, and swept by no one. */
static void wb_attachments_beside_the_others(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	CHECK(unit && o);
	int64_t a = add_wb_report(s, unit, "WBF-A", DAY0 + 7, 0, &o, 1), b = add_wb_report(s, unit, "WBF-B", 0, 0, &o, 1);
	CHECK(a && b);
	static const unsigned char meta[] = { 2, 7, 1 };
	struct attachment_rec f = { .case_id = a, .message_id = 0, .kind = "report",
				    .file_id = "abcdefabcdefabcdefabcdefabcdef01", .created_at = 9, .meta = meta,
				    .meta_len = sizeof meta };
	int64_t f1 = 0, f2 = 0, dup = 0;
	CHECK_EQ_INT(s->ops->attachment_exists(s, f.file_id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_attachment_insert(s, &f, &f1), VD_OK);
	CHECK_EQ_INT(s->ops->attachment_exists(s, f.file_id), VD_OK); /* the sweep keeps it */
	CHECK_EQ_INT(s->ops->wb_attachment_insert(s, &f, &dup), VD_ERR_EXISTS);
	f.file_id = "abcdefabcdefabcdefabcdefabcdef02";
	f.message_id = 11;
	f.kind = "message";
	CHECK_EQ_INT(s->ops->wb_attachment_insert(s, &f, &f2), VD_OK);
	f.case_id = b + 100;
	f.file_id = "abcdefabcdefabcdefabcdefabcdef03";
	CHECK_EQ_INT(s->ops->wb_attachment_insert(s, &f, &dup), VD_ERR_NOTFOUND);
	struct attachment_recs l;
	CHECK_EQ_INT(s->ops->wb_attachment_list(s, &mem, a, 10, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == f1 && l.items[1].id == f2 && l.items[1].message_id == 11);
	CHECK(l.items[0].case_id == a && l.items[0].meta_len == 3 && memcmp(l.items[0].meta, meta, 3) == 0);
	CHECK(strcmp(l.items[0].kind, "report") == 0 && strcmp(l.items[1].kind, "message") == 0);
	CHECK_EQ_INT(s->ops->wb_attachment_list(s, &mem, b, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	struct attachment_rec got;
	CHECK_EQ_INT(s->ops->wb_attachment_get(s, &mem, a, "abcdefabcdefabcdefabcdefabcdef02", &got), VD_OK);
	CHECK(got.id == f2 && got.created_at == 9);
	CHECK_EQ_INT(s->ops->wb_attachment_get(s, &mem, b, "abcdefabcdefabcdefabcdefabcdef02", &got), VD_ERR_NOTFOUND);
	/* a report's file is no case's and no complaint's */
	CHECK_EQ_INT(s->ops->attachment_get(s, &mem, a, "abcdefabcdefabcdefabcdefabcdef02", &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_attachment_get(s, &mem, a, "abcdefabcdefabcdefabcdefabcdef02", &got),
		     VD_ERR_NOTFOUND);
}

/* The annual report's counts: grouped by every *stat* field, of the units
 * and days asked only; the register's rows one each. */
static void stat_rows_of_units_and_days(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "One"), u2 = add_unit(s, 0, "Two"), r = add_user(s, "counsellor", "Cas", "cas@example.org");
	CHECK(u1 && u2 && r);
	int64_t a = add_case_on(s, u1, "S1", 1, DAY0, 0, &r, 1), b = add_case_on(s, u1, "S2", 2, DAY0 + 1, 0, &r, 1);
	int64_t c = add_case_on(s, u1, "S3", 3, DAY0 + 2, 0, &r, 1);
	CHECK(a && b && c);
	CHECK(add_case_on(s, u2, "S4", 4, DAY0, 0, &r, 1) && add_case_on(s, u1, "S5", 5, DAY0 + 10, 0, &r, 1));
	/* c differs: another reporter type, a route, an outcome and referrals */
	struct case_stats_rec st = { .behaviours = 9, .reporter_type = "member", .relation = "colleague", .location = "office" };
	CHECK_EQ_INT(s->ops->case_set_stats(s, c, &st), VD_OK);
	struct case_work_rec w;
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, c, &w), VD_OK);
	w.route = "mediation";
	w.outcome = "referred";
	w.referrals = 6;
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	struct stat_query q = { .units = &u1, .nunits = 1, .from_day = DAY0, .to_day = DAY0 + 10, .limit = 10 };
	struct case_stat_counts_rec k;
	CHECK_EQ_INT(s->ops->case_stat_counts(s, &mem, &q, &k), VD_OK);
	CHECK_EQ_INT(k.cases, 3);
	CHECK(k.reporter_type.n == 2 && strcmp(k.reporter_type.values[0].value, "employee") == 0);
	CHECK(k.reporter_type.values[0].n == 2 && strcmp(k.reporter_type.values[1].value, "member") == 0);
	CHECK(k.reporter_type.values[1].n == 1);
	CHECK(k.relation.n == 1 && k.relation.values[0].n == 3 && strcmp(k.location.values[0].value, "office") == 0);
	CHECK(k.channel.n == 1 && strcmp(k.channel.values[0].value, "web") == 0 && k.phase.values[0].n == 3);
	CHECK(k.route.n == 2 && strcmp(k.route.values[0].value, "") == 0 && k.route.values[0].n == 2);
	CHECK(strcmp(k.route.values[1].value, "mediation") == 0 && strcmp(k.outcome.values[1].value, "referred") == 0);
	CHECK(k.named == 0);
	/* behaviours 5 (bits 0, 2) twice and 9 (bits 0, 3) once; referrals 6 (bits 1, 2) once */
	CHECK(k.behaviours[0] == 3 && k.behaviours[1] == 0 && k.behaviours[2] == 2 && k.behaviours[3] == 1);
	CHECK(k.referrals[0] == 0 && k.referrals[1] == 1 && k.referrals[2] == 1);
	int64_t both[] = { u1, u2 };
	q = (struct stat_query){ .units = both, .nunits = 2, .from_day = DAY0, .to_day = DAY0 + 1, .limit = 10 };
	CHECK_EQ_INT(s->ops->case_stat_counts(s, &mem, &q, &k), VD_OK);
	CHECK(k.cases == 2 && k.reporter_type.values[0].n == 2);
	q.nunits = 0;
	CHECK_EQ_INT(s->ops->case_stat_counts(s, &mem, &q, &k), VD_OK);
	CHECK(k.cases == 0 && k.reporter_type.n == 0);
	/* more values in a column than it holds: refused, not cut short */
	int64_t u3 = add_unit(s, 0, "Three");
	for (int i = 0; i <= STAT_VALUES_MAX; i++) {
		char loc[16], type[16];
		snprintf(loc, sizeof loc, "V%d", i);
		snprintf(type, sizeof type, "type%d", i);
		int64_t id = add_case_on(s, u3, loc, 9, DAY0, 0, &r, 1);
		struct case_stats_rec many = { .behaviours = 1, .reporter_type = type, .relation = "colleague",
					       .location = "office" };
		CHECK(id && s->ops->case_set_stats(s, id, &many) == VD_OK);
	}
	q = (struct stat_query){ .units = &u3, .nunits = 1, .from_day = DAY0, .to_day = DAY0 + 1 };
	CHECK_EQ_INT(s->ops->case_stat_counts(s, &mem, &q, &k), VD_ERR_TOOBIG);
	/* the register */
	int64_t o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	int64_t w1 = add_wb_report(s, u1, "SW1", DAY0 + 7, 0, &o, 1), w2 = add_wb_report(s, u2, "SW2", 0, DAY0 + 5, &o, 1);
	CHECK(w1 && w2);
	q = (struct stat_query){ .units = &u1, .nunits = 1, .from_day = DAY0, .to_day = DAY0 + 1, .limit = 10 };
	struct wb_stat_recs wl;
	CHECK_EQ_INT(s->ops->wb_stat_rows(s, &mem, &q, &wl), VD_OK);
	CHECK(wl.n == 1 && strcmp(wl.items[0].channel, "written") == 0 && wl.items[0].open == 1);
	CHECK(wl.items[0].received_day == DAY0 && wl.items[0].ack_day == 0 && strcmp(wl.items[0].outcome, "") == 0);
	q.units = both;
	q.nunits = 2;
	CHECK_EQ_INT(s->ops->wb_stat_rows(s, &mem, &q, &wl), VD_OK);
	CHECK(wl.n == 2 && wl.items[1].open == 0 && strcmp(wl.items[1].outcome, "unfounded") == 0);
	q.from_day = DAY0 + 1;
	CHECK_EQ_INT(s->ops->wb_stat_rows(s, &mem, &q, &wl), VD_OK);
	CHECK_EQ_INT(wl.n, 0);
}


/* The annual report's counts of conversations, of the days to the first
 * one and to closing, and of cases with a confidentiality exception. */
static void stat_counts_contacts_days_and_exceptions(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u = add_unit(s, 0, "One"), r = add_user(s, "counsellor", "Cas", "cas@example.org");
	int64_t t0 = 1700000000;
	int64_t a = add_case_on(s, u, "C1", t0, DAY0, 0, &r, 1), b = add_case_on(s, u, "C2", t0, DAY0, 0, &r, 1);
	int64_t c = add_case_on(s, u, "C3", t0, DAY0, 0, &r, 1);
	CHECK(u && r && a && b && c);
	/* a: 3 conversations, the first 2 days in; closed 40 days in */
	for (int i = 0; i < 3; i++) {
		struct contact_rec k = { .case_id = a, .on_day = DAY0 + 2 + i, .way = "phone", .with_whom = "reporter",
					 .minutes = 30, .by = r, .created_at = t0 };
		int64_t id;
		CHECK_EQ_INT(s->ops->contact_insert(s, &k, &id), VD_OK);
	}
	CHECK_EQ_INT(s->ops->case_set_phase(s, a, "new", "closed", t0 + 40 * 86400, r), VD_OK);
	struct case_work_rec w;
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, a, &w), VD_OK);
	w.closed_at = t0 + 40 * 86400 + 3600;
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	/* c: 40 conversations, the first on the day it came in (capped cell);
	 * b: none, and an exception */
	for (int i = 0; i < 40; i++) {
		struct contact_rec k = { .case_id = c, .on_day = DAY0 + i, .way = "phone", .with_whom = "reporter",
					 .minutes = 30, .by = r, .created_at = t0 };
		int64_t id;
		CHECK_EQ_INT(s->ops->contact_insert(s, &k, &id), VD_OK);
	}
	static const unsigned char sealed[] = "sealed";
	struct exception_rec e = { .case_id = b, .at = t0, .by = r, .conditions = 3, .content = sealed,
				   .content_len = sizeof sealed };
	int64_t eid;
	CHECK_EQ_INT(s->ops->exception_insert(s, &e, &eid), VD_OK);
	struct stat_query q = { .units = &u, .nunits = 1, .from_day = DAY0, .to_day = DAY0 + 1, .limit = 10 };
	struct case_stat_counts_rec k;
	CHECK_EQ_INT(s->ops->case_stat_counts(s, &mem, &q, &k), VD_OK);
	CHECK_EQ_INT(k.cases, 3);
	CHECK(k.contacts[0] == 1 && k.contacts[3] == 1 && k.contacts[STAT_CONTACTS_MAX] == 1);
	CHECK(k.first_contact_days[0] == 1 && k.first_contact_days[2] == 1 && k.first_contact_days[STAT_DAYS_MAX + 1] == 1);
	CHECK(k.closed_days[40] == 1 && k.closed_days[STAT_DAYS_MAX + 1] == 2);
	CHECK_EQ_INT(k.exceptions, 1);
}

/* Short questions: counted by reporter type, of the units and days asked. */
static void question_stat_counts_by_reporter_type(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "One"), u2 = add_unit(s, 0, "Two"), r = add_user(s, "counsellor", "Cas", "cas@example.org");
	CHECK(u1 && u2 && r);
	const struct {
		const char *kind, *type;
		int64_t unit, day;
	} rows[] = {
		{ "question", "member", u1, DAY0 }, { "question", "member", u1, DAY0 + 3 }, { "question", "employee", u1, DAY0 },
		{ "question", "member", u2, DAY0 }, { "question", "member", u1, DAY0 + 9 }, { "advice", "", u1, DAY0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct counsellor_log_rec e = { .user_id = r, .kind = rows[i].kind, .on_day = rows[i].day,
						.unit_id = rows[i].unit, .audience = "", .reporter_type = rows[i].type,
						.created_at = 1 };
		int64_t id;
		CHECK_EQ_INT(s->ops->counsellor_log_insert(s, &e, &id), VD_OK);
	}
	struct stat_query q = { .units = &u1, .nunits = 1, .from_day = DAY0, .to_day = DAY0 + 5 };
	struct stat_column_rec c;
	CHECK_EQ_INT(s->ops->question_stat_counts(s, &mem, &q, &c), VD_OK);
	CHECK(c.n == 2 && strcmp(c.values[0].value, "employee") == 0 && c.values[0].n == 1);
	CHECK(strcmp(c.values[1].value, "member") == 0 && c.values[1].n == 2);
	struct counsellor_log_totals_rec t;
	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0, DAY0 + 10, u1, 0, &t), VD_OK);
	CHECK(t.questions == 4 && t.advice_asked + t.advice_unasked == 1);
}

/* An annual report from draft to published, which then never changes. */
static void annual_report_draft_review_published(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u = add_unit(s, 0, "One"), v = add_unit(s, u, "Two");
	CHECK(u && v);
	struct annual_report_rec r;
	CHECK_EQ_INT(s->ops->annual_report_get(s, &mem, u, 2025, &r), VD_ERR_NOTFOUND);
	struct annual_report_rec in = { .unit_id = u, .year = 2025, .state = "draft", .trends = "Eerste versie",
					.written_by = 7, .written_at = 100 };
	CHECK_EQ_INT(s->ops->annual_report_put(s, &in), VD_OK);
	CHECK_EQ_INT(s->ops->annual_report_get(s, &mem, u, 2025, &r), VD_OK);
	CHECK(strcmp(r.state, "draft") == 0 && strcmp(r.trends, "Eerste versie") == 0 && r.written_by == 7);
	CHECK(r.published_at == 0 && strcmp(r.snapshot, "") == 0 && strcmp(r.covers, "") == 0);
	/* publishing needs it in review */
	struct annual_report_rec pub = { .unit_id = u, .year = 2025, .reviewed_by = 8, .published_at = 200,
					 .covers = "1,2", .snapshot = "counts" };
	CHECK_EQ_INT(s->ops->annual_report_publish(s, &pub), VD_ERR_NOTFOUND);
	in.state = "review", in.trends = "Tweede versie", in.written_by = 9;
	CHECK_EQ_INT(s->ops->annual_report_put(s, &in), VD_OK);
	CHECK_EQ_INT(s->ops->annual_report_publish(s, &pub), VD_OK);
	CHECK_EQ_INT(s->ops->annual_report_get(s, &mem, u, 2025, &r), VD_OK);
	CHECK(strcmp(r.state, "published") == 0 && strcmp(r.trends, "Tweede versie") == 0 && r.written_by == 9);
	CHECK(r.reviewed_by == 8 && r.published_at == 200 && strcmp(r.covers, "1,2") == 0);
	CHECK(strcmp(r.snapshot, "counts") == 0);
	/* and then never changes */
	in.state = "draft";
	CHECK_EQ_INT(s->ops->annual_report_put(s, &in), VD_ERR_MISUSE);
	CHECK_EQ_INT(s->ops->annual_report_publish(s, &pub), VD_ERR_NOTFOUND);
	in.state = "published";
	CHECK_EQ_INT(s->ops->annual_report_put(s, &in), VD_ERR_MISUSE);
	CHECK_EQ_INT(s->ops->annual_report_get(s, &mem, u, 2025, &r), VD_OK);
	CHECK(strcmp(r.trends, "Tweede versie") == 0);
	/* lists: every state, or the published only; newest year first */
	struct annual_report_rec other = { .unit_id = v, .year = 2026, .state = "draft", .trends = "",
					   .written_by = 7, .written_at = 300 };
	CHECK_EQ_INT(s->ops->annual_report_put(s, &other), VD_OK);
	struct annual_report_recs l;
	CHECK_EQ_INT(s->ops->annual_report_list(s, &mem, 0, false, 10, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].year == 2026 && l.items[1].unit_id == u && l.items[0].trends == NULL);
	CHECK_EQ_INT(s->ops->annual_report_list(s, &mem, 0, true, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].unit_id == u && strcmp(l.items[0].covers, "1,2") == 0);
	CHECK_EQ_INT(s->ops->annual_report_list(s, &mem, 2026, false, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].unit_id == v);
	CHECK_EQ_INT(s->ops->annual_report_list(s, &mem, 0, false, 1, &l), VD_ERR_TOOBIG);
}

/* The complaints of the units and days asked, with what their moves and
 * terms say. */
static void complaint_stat_rows_say_what_happened(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u1 = add_unit(s, 0, "One"), u2 = add_unit(s, 0, "Two"), m = add_user(s, "committee", "Mila", "mila@example.org");
	CHECK(u1 && u2 && m);
	int64_t a = add_complaint(s, u1, DAY0, DAY0 + 14, 1, &m, 1), b = add_complaint(s, u1, DAY0 + 1, 0, 0, &m, 1);
	CHECK(a && b && add_complaint(s, u2, DAY0, 0, 1, &m, 1) && add_complaint(s, u1, DAY0 + 30, 0, 1, &m, 1));
	struct complaint_move_rec mv = { .complaint_id = a, .at = 5, .by = m, .from = "received", .to = "admissible" };
	int64_t id;
	CHECK_EQ_INT(s->ops->complaint_move_insert(s, &mv, &id), VD_OK);
	mv.complaint_id = b;
	mv.to = "not_admissible";
	CHECK_EQ_INT(s->ops->complaint_move_insert(s, &mv, &id), VD_OK);
	/* a's terms: one met in time, one late, one open */
	struct complaint_term_rec t = { .complaint_id = a, .kind = "admissibility", .start_day = DAY0, .length = 14,
					.unit = "days", .atw = 1, .due_day = DAY0 + 14, .met_day = DAY0 + 10 };
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &id), VD_OK);
	t.kind = "decision";
	t.met_day = DAY0 + 20;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &id), VD_OK);
	t.kind = "minutes";
	t.met_day = 0;
	CHECK_EQ_INT(s->ops->complaint_term_insert(s, &t, &id), VD_OK);
	struct complaint_rec c;
	CHECK_EQ_INT(s->ops->complaint_get(s, &mem, b, &c), VD_OK);
	c.advice = "unfounded";
	c.measures = 5;
	c.filed_late = 1;
	CHECK_EQ_INT(s->ops->complaint_update(s, &c), VD_OK);
	struct stat_query q = { .units = &u1, .nunits = 1, .from_day = DAY0, .to_day = DAY0 + 10, .limit = 10 };
	struct complaint_stat_recs l;
	CHECK_EQ_INT(s->ops->complaint_stat_rows(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK(l.items[0].admitted == 1 && l.items[0].refused == 0 && l.items[0].terms_in_time == 1);
	CHECK(l.items[0].terms_late == 1 && strcmp(l.items[0].channel, "letter") == 0 && strcmp(l.items[0].advice, "") == 0);
	CHECK(l.items[1].admitted == 0 && l.items[1].refused == 1 && l.items[1].terms_in_time == 0);
	CHECK(strcmp(l.items[1].advice, "unfounded") == 0 && l.items[1].measures == 5 && l.items[1].filed_late == 1);
	CHECK(strcmp(l.items[1].step, "closed") == 0);
	q.limit = 1;
	CHECK_EQ_INT(s->ops->complaint_stat_rows(s, &mem, &q, &l), VD_ERR_TOOBIG);
	q.limit = 10;
	q.nunits = 0;
	CHECK_EQ_INT(s->ops->complaint_stat_rows(s, &mem, &q, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

static void wb_reports_due_and_reminded_once(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	CHECK(unit && o);
	int64_t later = add_wb_report(s, unit, "D1", DAY0 + 20, 0, &o, 1);
	int64_t on_the_day = add_wb_report(s, unit, "D2", DAY0 + 10, 0, &o, 1);
	int64_t none = add_wb_report(s, unit, "D3", 0, 0, &o, 1);
	int64_t early = add_wb_report(s, unit, "D4", DAY0 + 3, 0, &o, 1);
	int64_t tie = add_wb_report(s, unit, "D5", DAY0 + 10, 0, &o, 1);
	int64_t closed = add_wb_report(s, unit, "D6", DAY0 + 2, DAY0 + 4, &o, 1); /* a clock left behind */
	CHECK(later && on_the_day && none && early && tie && closed);
	/* open, 0 < next_due_day <= until_day, by due day then id */
	struct wb_report_recs l;
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 10, 10, &l), VD_OK);
	CHECK(l.n == 3 && l.items[0].id == early && l.items[1].id == on_the_day && l.items[2].id == tie);
	CHECK_STR(l.items[0].locator, "D4");
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 9, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == early);
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 2, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 100, 10, &l), VD_OK);
	CHECK(l.n == 4 && l.items[3].id == later);
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 100, 2, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == early && l.items[1].id == on_the_day);
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 100, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* one reminder once, however often it is tried; another bit is another reminder */
	CHECK_EQ_INT(s->ops->wb_report_remind(s, early, 2), VD_OK);
	CHECK_EQ_INT(s->ops->wb_report_remind(s, early, 2), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_remind(s, early, 1), VD_OK);
	CHECK_EQ_INT(s->ops->wb_report_remind(s, early, 1), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_remind(s, closed + 100, 1), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_reports_due(s, &mem, DAY0 + 3, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == early && l.items[0].reminded == 3);
	struct wb_report_rec g;
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, tie, &g), VD_OK);
	CHECK_EQ_INT(g.reminded, 0);
}

static void wb_events_oldest_first(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	CHECK(unit && o);
	int64_t a = add_wb_report(s, unit, "E1", DAY0 + 7, 0, &o, 1);
	int64_t b = add_wb_report(s, unit, "E2", DAY0 + 7, 0, &o, 1);
	CHECK(a && b);
	static const unsigned char body[] = { 'm', 0, 1, 0xff };
	struct wb_event_rec e = { .report_id = a, .kind = "minutes", .ref_id = 0, .on_day = DAY0 + 1, .at = 500,
				  .by = o, .body = body, .body_len = sizeof body };
	int64_t e1 = 0, e2 = 0, e3 = 0, ex = 0;
	CHECK_EQ_INT(s->ops->wb_event_insert(s, &e, &e1), VD_OK);
	e.report_id = b;
	CHECK_EQ_INT(s->ops->wb_event_insert(s, &e, &ex), VD_OK);
	struct wb_event_rec answer = { .report_id = a, .kind = "minutes_approved", .ref_id = e1, .at = 600, .by = 0 };
	CHECK_EQ_INT(s->ops->wb_event_insert(s, &answer, &e2), VD_OK);
	e.report_id = a;
	e.kind = "note";
	e.on_day = 0;
	e.at = 550; /* order is the order written, not of at */
	CHECK_EQ_INT(s->ops->wb_event_insert(s, &e, &e3), VD_OK);
	CHECK(e1 > 0 && e1 < e2 && e2 < e3);
	int64_t count = -1;
	CHECK_EQ_INT(s->ops->wb_event_count(s, a, &count), VD_OK);
	CHECK_EQ_INT(count, 3);
	CHECK_EQ_INT(s->ops->wb_event_count(s, b, &count), VD_OK);
	CHECK_EQ_INT(count, 1);
	CHECK_EQ_INT(s->ops->wb_event_count(s, b + 100, &count), VD_OK);
	CHECK_EQ_INT(count, 0);
	struct wb_event_recs l;
	CHECK_EQ_INT(s->ops->wb_event_list(s, &mem, a, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK(l.items[0].id == e1 && l.items[0].report_id == a && l.items[0].ref_id == 0);
	CHECK(l.items[0].on_day == DAY0 + 1 && l.items[0].at == 500 && l.items[0].by == o);
	CHECK_STR(l.items[0].kind, "minutes");
	CHECK(l.items[0].body_len == sizeof body && memcmp(l.items[0].body, body, sizeof body) == 0);
	CHECK(l.items[1].id == e2 && l.items[1].ref_id == e1 && l.items[1].by == 0 && l.items[1].on_day == 0);
	CHECK(l.items[1].body == NULL && l.items[1].body_len == 0);
	CHECK_STR(l.items[1].kind, "minutes_approved");
	CHECK(l.items[2].id == e3 && l.items[2].at == 550);
	CHECK_STR(l.items[2].kind, "note");
	/* the first limit of them */
	CHECK_EQ_INT(s->ops->wb_event_list(s, &mem, a, 2, &l), VD_OK);
	CHECK(l.n == 2 && l.items[0].id == e1 && l.items[1].id == e2);
	CHECK_EQ_INT(s->ops->wb_event_list(s, &mem, b, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.items[0].id == ex && l.items[0].report_id == b);
	CHECK_EQ_INT(s->ops->wb_event_list(s, &mem, b + 100, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* an event of a report that does not exist */
	e.report_id = b + 100;
	CHECK_EQ_INT(s->ops->wb_event_insert(s, &e, &ex), VD_ERR_NOTFOUND);
}

/* ---- the counsellor's dashboard ---------------------------------------------------- */

/* The count of phase in d, or -1 if it is not listed. */
static int64_t phase_count(const struct dashboard_rec *d, const char *phase)
{
	for (size_t i = 0; i < d->nphases; i++)
		if (d->by_phase[i].phase && strcmp(d->by_phase[i].phase, phase) == 0)
			return d->by_phase[i].n;
	return -1;
}

/* A case of reader in phase (moved there from "new"), with a conversation
 * on contact_day (0: none). */
static int64_t dash_case(struct store *s, int64_t unit, int64_t reader, const char *loc, int64_t created_day,
			 const char *phase, int64_t contact_day)
{
	int64_t id = add_case_on(s, unit, loc, 1000, created_day, 0, &reader, 1);
	if (!id)
		return 0;
	if (strcmp(phase, "new") != 0 && s->ops->case_set_phase(s, id, "new", phase, 1, reader) != VD_OK)
		return 0;
	if (contact_day) {
		struct contact_rec c = contact_of(id, contact_day, 30);
		int64_t cid;
		if (s->ops->contact_insert(s, &c, &cid) != VD_OK)
			return 0;
	}
	return id;
}

static int aftercare_put(struct store *s, int64_t case_id, int done, int64_t due_day)
{
	struct case_work_rec w = { .case_id = case_id, .route = "", .outcome = "", .aftercare_offered = 1,
				   .aftercare_done = done, .aftercare_due_day = due_day };
	return s->ops->case_work_put(s, &w);
}

static int appointment_at(struct store *s, int64_t case_id, int64_t starts_at)
{
	struct appointment_rec ap = { .case_id = case_id, .starts_at = starts_at, .by = 1, .created_at = 1 };
	int64_t id;
	return s->ops->appointment_insert(s, &ap, &id);
}

static void dashboard_over_own_cases(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t r = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t o = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(unit && r && o);
	/* quiet_day DAY0 + 10, today DAY0 + 10; the day each came in, then its last conversation */
	int64_t ca = dash_case(s, unit, r, "A", DAY0 - 5, "intake", DAY0 + 1);        /* quiet since DAY0+1 */
	int64_t cb = dash_case(s, unit, r, "B", DAY0 - 5, "intake", DAY0 + 20);       /* talked lately */
	int64_t cc = dash_case(s, unit, r, "C", DAY0 + 2, "new", 0);                  /* never, came in DAY0+2 */
	int64_t cd = dash_case(s, unit, r, "D", DAY0 + 12, "new", 0);                 /* never, came in lately */
	int64_t ce = dash_case(s, unit, r, "E", DAY0 - 50, "closed", 0);              /* closed: never quiet */
	int64_t cf = dash_case(s, unit, r, "F", DAY0 - 20, "consultation", 0);        /* never, the oldest */
	int64_t cm = dash_case(s, unit, r, "M", DAY0 - 5, "intake", DAY0 + 5);        /* quiet since DAY0+5 */
	int64_t cn = dash_case(s, unit, r, "N", DAY0 - 5, "intake", DAY0 + 10);       /* on quiet_day: not before */
	int64_t cg = dash_case(s, unit, r, "G", DAY0, "aftercare", DAY0 + 30);        /* no date */
	int64_t ch = dash_case(s, unit, r, "H", DAY0, "aftercare", DAY0 + 30);        /* due DAY0+5 */
	int64_t ci = dash_case(s, unit, r, "I", DAY0, "aftercare", DAY0 + 30);        /* due later */
	int64_t cj = dash_case(s, unit, r, "J", DAY0, "aftercare", DAY0 + 30);        /* done */
	int64_t ck = dash_case(s, unit, r, "K", DAY0, "aftercare", DAY0 + 30);        /* due DAY0+3 */
	int64_t ct = dash_case(s, unit, r, "T", DAY0, "aftercare", DAY0 + 30);        /* due today */
	int64_t cl = dash_case(s, unit, r, "L", DAY0, "evaluation", DAY0 + 30);       /* not in aftercare */
	int64_t cz = dash_case(s, unit, o, "Z", DAY0 - 30, "aftercare", 0);           /* another reader's */
	int64_t cy = dash_case(s, unit, r, "Y", DAY0, "aftercare", DAY0 + 30);        /* no work row: the defaults */
	CHECK(ca && cb && cc && cd && ce && cf && cm && cn && cg && ch && ci && cj && ck && ct && cl && cz && cy);
	CHECK_EQ_INT(aftercare_put(s, cg, 0, 0), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, ch, 0, DAY0 + 5), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, ci, 0, DAY0 + 50), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, cj, 1, 0), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, ck, 0, DAY0 + 3), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, ct, 0, DAY0 + 10), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, cl, 0, 0), VD_OK);
	CHECK_EQ_INT(aftercare_put(s, cz, 0, 0), VD_OK);
	/* the week is [100000, 200000) */
	CHECK_EQ_INT(appointment_at(s, ca, 150000), VD_OK);
	CHECK_EQ_INT(appointment_at(s, cb, 120000), VD_OK);
	CHECK_EQ_INT(appointment_at(s, ca, 200000), VD_OK); /* week_to: the next week */
	CHECK_EQ_INT(appointment_at(s, cb, 99999), VD_OK);
	CHECK_EQ_INT(appointment_at(s, cf, 100000), VD_OK); /* week_from: in */
	CHECK_EQ_INT(appointment_at(s, cz, 130000), VD_OK); /* not r's */

	struct dashboard_query q = { .week_from = 100000, .week_to = 200000, .quiet_day = DAY0 + 10,
				     .today = DAY0 + 10, .limit = 10 };
	struct dashboard_rec d;
	CHECK_EQ_INT(s->ops->dashboard(s, &mem, r, &q, &d), VD_OK);
	CHECK_EQ_INT(d.nphases, 6);
	CHECK_EQ_INT(phase_count(&d, "new"), 2);
	CHECK_EQ_INT(phase_count(&d, "intake"), 4);
	CHECK_EQ_INT(phase_count(&d, "consultation"), 1);
	CHECK_EQ_INT(phase_count(&d, "evaluation"), 1);
	CHECK_EQ_INT(phase_count(&d, "aftercare"), 7); /* not Z */
	CHECK_EQ_INT(phase_count(&d, "closed"), 1);

	CHECK_EQ_INT(d.appointments.n, 3); /* soonest first */
	CHECK_EQ_INT(d.appointments.items[0].case_id, cf);
	CHECK_EQ_INT(d.appointments.items[0].at, 100000);
	CHECK_EQ_INT(d.appointments.items[1].case_id, cb);
	CHECK_EQ_INT(d.appointments.items[1].at, 120000);
	CHECK_EQ_INT(d.appointments.items[2].case_id, ca);
	CHECK_EQ_INT(d.appointments.items[2].at, 150000);

	/* longest quiet first, by the last conversation or (never talked about) the arrival */
	CHECK_EQ_INT(d.quiet.n, 4);
	CHECK_EQ_INT(d.quiet.items[0].case_id, cf);
	CHECK_EQ_INT(d.quiet.items[0].day, DAY0 - 20);
	CHECK_EQ_INT(d.quiet.items[0].at, 0);
	CHECK_EQ_INT(d.quiet.items[1].case_id, ca);
	CHECK_EQ_INT(d.quiet.items[1].day, DAY0 + 1);
	CHECK_EQ_INT(d.quiet.items[2].case_id, cc);
	CHECK_EQ_INT(d.quiet.items[2].day, DAY0 + 2);
	CHECK_EQ_INT(d.quiet.items[3].case_id, cm);
	CHECK_EQ_INT(d.quiet.items[3].day, DAY0 + 5);

	CHECK_EQ_INT(d.aftercare.n, 5); /* without a date first, then soonest due */
	CHECK_EQ_INT(d.aftercare.items[0].case_id, cg);
	CHECK_EQ_INT(d.aftercare.items[0].day, 0);
	CHECK_EQ_INT(d.aftercare.items[1].case_id, cy); /* a case without a row reads as the defaults */
	CHECK_EQ_INT(d.aftercare.items[1].day, 0);
	CHECK_EQ_INT(d.aftercare.items[2].case_id, ck);
	CHECK_EQ_INT(d.aftercare.items[2].day, DAY0 + 3);
	CHECK_EQ_INT(d.aftercare.items[3].case_id, ch);
	CHECK_EQ_INT(d.aftercare.items[3].day, DAY0 + 5);
	CHECK_EQ_INT(d.aftercare.items[4].case_id, ct);
	CHECK_EQ_INT(d.aftercare.items[4].day, DAY0 + 10);

	q.limit = 1; /* per list; the counts are not limited */
	CHECK_EQ_INT(s->ops->dashboard(s, &mem, r, &q, &d), VD_OK);
	CHECK_EQ_INT(d.appointments.n, 1);
	CHECK_EQ_INT(d.appointments.items[0].case_id, cf);
	CHECK_EQ_INT(d.quiet.n, 1);
	CHECK_EQ_INT(d.quiet.items[0].case_id, cf);
	CHECK_EQ_INT(d.aftercare.n, 1);
	CHECK_EQ_INT(d.aftercare.items[0].case_id, cg);
	CHECK_EQ_INT(phase_count(&d, "intake"), 4);

	/* the other reader sees only their own */
	q.limit = 10;
	CHECK_EQ_INT(s->ops->dashboard(s, &mem, o, &q, &d), VD_OK);
	CHECK_EQ_INT(d.nphases, 1);
	CHECK_EQ_INT(phase_count(&d, "aftercare"), 1);
	CHECK_EQ_INT(d.appointments.n, 1);
	CHECK_EQ_INT(d.appointments.items[0].case_id, cz);
	CHECK_EQ_INT(d.quiet.n, 1);
	CHECK_EQ_INT(d.quiet.items[0].case_id, cz);
	CHECK_EQ_INT(d.aftercare.n, 1);
	CHECK_EQ_INT(d.aftercare.items[0].case_id, cz);
}

/* ---- documents, settings, counters ------------------------------------------------- */

static void document_versions_are_numbered_and_kept(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct doc_version_rec got;
	CHECK_EQ_INT(s->ops->doc_version_current(s, &mem, "code_of_conduct", 0, &got), VD_ERR_NOTFOUND);
	struct doc_version_rec d = { .kind = "code_of_conduct", .unit_id = 0, .number = 99, .body_nl = "# Kop\n\nTekst 'x'",
				     .body_en = "", .adopted_by = "Het bestuur", .adopted_on = 20000, .recorded_at = 5,
				     .recorded_by = 0 };
	int64_t v1, v2, v3, u1;
	CHECK_EQ_INT(s->ops->doc_version_add(s, &d, &v1), VD_OK);
	d.body_nl = "tweede";
	d.body_en = "second";
	d.recorded_by = 42;
	CHECK_EQ_INT(s->ops->doc_version_add(s, &d, &v2), VD_OK);
	/* a unit's own numbering, and another kind's, start at 1 */
	struct doc_version_rec u = d;
	u.unit_id = 7;
	u.body_nl = "eigen";
	CHECK_EQ_INT(s->ops->doc_version_add(s, &u, &u1), VD_OK);
	struct doc_version_rec o = d;
	o.kind = "complaints_regulation";
	CHECK_EQ_INT(s->ops->doc_version_add(s, &o, &v3), VD_OK);
	CHECK(v1 != v2 && v2 != u1 && u1 != v3);

	CHECK_EQ_INT(s->ops->doc_version_current(s, &mem, "code_of_conduct", 0, &got), VD_OK);
	CHECK_EQ_INT(got.id, v2);
	CHECK_EQ_INT(got.number, 2); /* the store numbers, not the caller */
	CHECK_STR(got.body_nl, "tweede");
	CHECK_STR(got.body_en, "second");
	CHECK_EQ_INT(got.recorded_by, 42);
	CHECK_EQ_INT(s->ops->doc_version_current(s, &mem, "code_of_conduct", 7, &got), VD_OK);
	CHECK_EQ_INT(got.id, u1);
	CHECK_EQ_INT(got.number, 1);
	CHECK_EQ_INT(s->ops->doc_version_current(s, &mem, "code_of_conduct", 8, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->doc_version_current(s, &mem, "complaints_regulation", 0, &got), VD_OK);
	CHECK_EQ_INT(got.number, 1);

	/* the first version is still there as it was */
	CHECK_EQ_INT(s->ops->doc_version_get(s, &mem, v1, &got), VD_OK);
	CHECK_STR(got.kind, "code_of_conduct");
	CHECK_STR(got.body_nl, "# Kop\n\nTekst 'x'");
	CHECK_STR(got.body_en, "");
	CHECK_STR(got.adopted_by, "Het bestuur");
	CHECK_EQ_INT(got.adopted_on, 20000);
	CHECK_EQ_INT(got.recorded_at, 5);
	CHECK_EQ_INT(got.number, 1);
	CHECK_EQ_INT(s->ops->doc_version_get(s, &mem, v3 + 100, &got), VD_ERR_NOTFOUND);

	/* the history: by unit, newest first, without the bodies */
	struct doc_version_recs list;
	CHECK_EQ_INT(s->ops->doc_version_list(s, &mem, "code_of_conduct", 10, &list), VD_OK);
	CHECK_EQ_INT(list.n, 3);
	CHECK_EQ_INT(list.items[0].id, v2);
	CHECK_EQ_INT(list.items[1].id, v1);
	CHECK_EQ_INT(list.items[2].id, u1);
	CHECK_STR(list.items[0].body_nl, "");
	CHECK_EQ_INT(s->ops->doc_version_list(s, &mem, "code_of_conduct", 2, &list), VD_OK);
	CHECK(list.n == 2 && list.items[0].id == v2); /* at most limit, newest first */
	CHECK_EQ_INT(s->ops->doc_version_list(s, &mem, "whistleblower_regulation", 10, &list), VD_OK);
	CHECK_EQ_INT(list.n, 0);
}

static void settings_put_get_replace(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	const char *v = NULL;
	CHECK_EQ_INT(s->ops->setting_get(s, &mem, "org_name", &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->setting_put(s, "org_name", "Vereniging \"X\""), VD_OK);
	CHECK_EQ_INT(s->ops->setting_put(s, "other", "2"), VD_OK);
	CHECK_EQ_INT(s->ops->setting_get(s, &mem, "org_name", &v), VD_OK);
	CHECK_STR(v, "Vereniging \"X\"");
	CHECK_EQ_INT(s->ops->setting_put(s, "org_name", ""), VD_OK);
	CHECK_EQ_INT(s->ops->setting_get(s, &mem, "org_name", &v), VD_OK);
	CHECK_STR(v, "");
	CHECK_EQ_INT(s->ops->setting_get(s, &mem, "other", &v), VD_OK);
	CHECK_STR(v, "2");
	CHECK_EQ_INT(s->ops->setting_get(s, &mem, "ORG_NAME", &v), VD_ERR_NOTFOUND); /* byte for byte */
}

static void counters_increment_by_name(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t v = -1;
	CHECK_EQ_INT(s->ops->counter_get(s, "content_generation", &v), VD_OK);
	CHECK_EQ_INT(v, 0); /* 0 until first incremented */
	for (int64_t want = 1; want <= 3; want++) {
		CHECK_EQ_INT(s->ops->counter_increment(s, "content_generation", &v), VD_OK);
		CHECK_EQ_INT(v, want);
	}
	CHECK_EQ_INT(s->ops->counter_get(s, "content_generation", &v), VD_OK);
	CHECK_EQ_INT(v, 3);
	CHECK_EQ_INT(s->ops->counter_increment(s, "other", &v), VD_OK);
	CHECK_EQ_INT(v, 1);
	CHECK_EQ_INT(s->ops->counter_get(s, "content_generation", &v), VD_OK);
	CHECK_EQ_INT(v, 3);
	CHECK_EQ_INT(s->ops->counter_get(s, "unknown", &v), VD_OK);
	CHECK_EQ_INT(v, 0);
}

/* ---- the audit log ----------------------------------------------------------------- */

/* What the seal function saw, and whether it should refuse. */
static int seal_calls;
static int64_t seal_seen_seq;
static unsigned char seal_seen_prev[STORE_AUDIT_HASH_LEN];
static int seal_fail;

/* A recognisable "hash": every byte derived from seq. */
static void hash_of_seq(int64_t seq, unsigned char out[STORE_AUDIT_HASH_LEN])
{
	for (int i = 0; i < STORE_AUDIT_HASH_LEN; i++)
		out[i] = (unsigned char)(seq * 31 + i + 1);
}

static int test_seal(struct audit_rec *r)
{
	seal_calls++;
	seal_seen_seq = r->seq;
	memcpy(seal_seen_prev, r->prev_hash, sizeof seal_seen_prev);
	if (seal_fail)
		return VD_ERR_IO;
	hash_of_seq(r->seq, r->hash);
	return VD_OK;
}

static int audit_add(struct store *s, int64_t at, const char *action, struct audit_rec *r)
{
	*r = (struct audit_rec){ .seq = 999, .at = at, .actor_id = 7, .action = action, .object_kind = "case",
				 .object_id = at * 2 };
	memset(r->prev_hash, 0xee, sizeof r->prev_hash); /* the store sets it */
	return s->ops->audit_append_next(s, r, test_seal);
}

static void audit_append_next_chains(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct audit_rec last;
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_ERR_NOTFOUND);
	static const unsigned char zeros[STORE_AUDIT_HASH_LEN];
	unsigned char h[STORE_AUDIT_HASH_LEN];

	seal_calls = 0;
	seal_fail = 0;
	struct audit_rec r;
	CHECK_EQ_INT(audit_add(s, 100, "case.create", &r), VD_OK);
	CHECK_EQ_INT(seal_calls, 1);      /* sealed exactly once */
	CHECK_EQ_INT(seal_seen_seq, 1);   /* with seq and prev_hash already set */
	CHECK(memcmp(seal_seen_prev, zeros, sizeof zeros) == 0);
	CHECK_EQ_INT(r.seq, 1);
	CHECK(memcmp(r.prev_hash, zeros, sizeof zeros) == 0);
	hash_of_seq(1, h);
	CHECK(memcmp(r.hash, h, sizeof h) == 0);
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 1);
	CHECK_EQ_INT(last.at, 100);
	CHECK_EQ_INT(last.actor_id, 7);
	CHECK_STR(last.action, "case.create");
	CHECK_STR(last.object_kind, "case");
	CHECK_EQ_INT(last.object_id, 200);
	CHECK(memcmp(last.prev_hash, zeros, sizeof zeros) == 0);
	CHECK(memcmp(last.hash, h, sizeof h) == 0);
	CHECK_EQ_INT(last.malformed, 0);

	CHECK_EQ_INT(audit_add(s, 110, "case.open", &r), VD_OK);
	CHECK_EQ_INT(seal_calls, 2);
	CHECK_EQ_INT(seal_seen_seq, 2);
	CHECK(memcmp(seal_seen_prev, h, sizeof h) == 0); /* entry 1's hash */
	CHECK_EQ_INT(r.seq, 2);
	CHECK(memcmp(r.prev_hash, h, sizeof h) == 0);
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 2);
	CHECK(memcmp(last.prev_hash, h, sizeof h) == 0);
	hash_of_seq(2, h);
	CHECK(memcmp(last.hash, h, sizeof h) == 0);
	CHECK_STR(last.action, "case.open");
}

static void audit_seal_error_stops_append(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	seal_fail = 0;
	struct audit_rec r;
	CHECK_EQ_INT(audit_add(s, 100, "a", &r), VD_OK);
	seal_calls = 0;
	seal_fail = 1;
	CHECK_EQ_INT(audit_add(s, 110, "b", &r), VD_ERR_IO); /* the seal's own error */
	seal_fail = 0;
	CHECK_EQ_INT(seal_calls, 1);
	struct audit_rec last;
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 1); /* nothing written */
	CHECK_STR(last.action, "a");
	CHECK_EQ_INT(audit_add(s, 120, "c", &r), VD_OK);
	CHECK_EQ_INT(r.seq, 2);
	unsigned char h[STORE_AUDIT_HASH_LEN];
	hash_of_seq(1, h);
	CHECK(memcmp(r.prev_hash, h, sizeof h) == 0);
}

static void audit_append_rolled_back_is_gone(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	seal_fail = 0;
	struct audit_rec r;
	CHECK_EQ_INT(audit_add(s, 100, "a", &r), VD_OK);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(audit_add(s, 110, "lost", &r), VD_OK);
	CHECK_EQ_INT(r.seq, 2);
	s->ops->rollback(s);
	struct audit_rec last;
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 1);
	CHECK_EQ_INT(audit_add(s, 120, "kept", &r), VD_OK);
	CHECK_EQ_INT(r.seq, 2); /* the seq is used again: no gap in the chain */
	unsigned char h[STORE_AUDIT_HASH_LEN];
	hash_of_seq(1, h);
	CHECK(memcmp(r.prev_hash, h, sizeof h) == 0);
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 2);
	CHECK_STR(last.action, "kept");
	/* and inside a transaction that commits, it stays */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(audit_add(s, 130, "committed", &r), VD_OK);
	CHECK_EQ_INT(s->ops->commit(s), VD_OK);
	CHECK_EQ_INT(s->ops->audit_last(s, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 3);
}

static void audit_after_and_before_page(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	seal_fail = 0;
	struct audit_rec r;
	for (int i = 1; i <= 5; i++)
		CHECK_EQ_INT(audit_add(s, 100 * i, "x", &r), VD_OK);
	struct audit_recs l;
	CHECK_EQ_INT(s->ops->audit_after(s, &mem, 0, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2); /* oldest first */
	CHECK_EQ_INT(l.items[0].seq, 1);
	CHECK_EQ_INT(l.items[1].seq, 2);
	CHECK_EQ_INT(l.items[1].at, 200);
	unsigned char h[STORE_AUDIT_HASH_LEN];
	hash_of_seq(1, h);
	CHECK(memcmp(l.items[1].prev_hash, h, sizeof h) == 0);
	CHECK_EQ_INT(s->ops->audit_after(s, &mem, 2, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(l.items[0].seq, 3);
	CHECK_EQ_INT(l.items[1].seq, 4);
	CHECK_EQ_INT(s->ops->audit_after(s, &mem, 4, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.items[0].seq, 5);
	CHECK_EQ_INT(s->ops->audit_after(s, &mem, 5, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(s->ops->audit_after(s, &mem, 0, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);

	CHECK_EQ_INT(s->ops->audit_before(s, &mem, 0, 2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2); /* from the newest, newest first */
	CHECK_EQ_INT(l.items[0].seq, 5);
	CHECK_EQ_INT(l.items[1].seq, 4);
	CHECK_EQ_INT(l.items[0].at, 500);
	CHECK_EQ_INT(s->ops->audit_before(s, &mem, 4, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_INT(l.items[0].seq, 3);
	CHECK_EQ_INT(l.items[2].seq, 1);
	CHECK_EQ_INT(s->ops->audit_before(s, &mem, 1, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

/* ---- the counsellor's own log ------------------------------------------------------ */

static int log_add(struct store *s, int64_t user_id, const char *kind, int64_t on_day, int64_t unit_id, int asked,
		   const char *audience, int64_t minutes, int64_t *id)
{
	struct counsellor_log_rec e = { .user_id = user_id, .kind = kind, .on_day = on_day, .unit_id = unit_id,
					.asked = asked, .audience = audience, .minutes = minutes, .created_at = 1 };
	return s->ops->counsellor_log_insert(s, &e, id);
}

static void counsellor_log_insert_list_order(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit");
	int64_t c1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t c2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(unit && c1 && c2);
	static const unsigned char subject[] = { 's', 0, 'u' };
	struct counsellor_log_rec e = { .user_id = c1, .kind = "advice", .on_day = DAY0 + 4, .unit_id = unit,
					.asked = 1, .audience = "board", .minutes = 0, .created_at = 321,
					.subject = subject, .subject_len = sizeof subject };
	int64_t e1, e2, e3, e4, ex;
	CHECK_EQ_INT(s->ops->counsellor_log_insert(s, &e, &e1), VD_OK);
	CHECK_EQ_INT(log_add(s, c1, "training", DAY0 + 9, 0, 0, "", 60, &e2), VD_OK);
	CHECK_EQ_INT(log_add(s, c1, "supervision", DAY0 + 4, 0, 0, "", 90, &e3), VD_OK); /* same day as e1 */
	CHECK_EQ_INT(log_add(s, c1, "training", DAY0 + 1, 0, 0, "", 30, &e4), VD_OK);
	CHECK_EQ_INT(log_add(s, c2, "training", DAY0 + 5, 0, 0, "", 30, &ex), VD_OK);
	struct counsellor_log_recs l;
	CHECK_EQ_INT(s->ops->counsellor_log_list(s, &mem, c1, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 4); /* not c2's */
	CHECK_EQ_INT(l.items[0].id, e2);
	CHECK_EQ_INT(l.items[1].id, e3); /* same day: the newer id first */
	CHECK_EQ_INT(l.items[2].id, e1);
	CHECK_EQ_INT(l.items[3].id, e4);
	const struct counsellor_log_rec *g = &l.items[2];
	CHECK_EQ_INT(g->user_id, c1);
	CHECK_STR(g->kind, "advice");
	CHECK_EQ_INT(g->on_day, DAY0 + 4);
	CHECK_EQ_INT(g->unit_id, unit);
	CHECK_EQ_INT(g->asked, 1);
	CHECK_STR(g->audience, "board");
	CHECK_EQ_INT(g->minutes, 0);
	CHECK_EQ_INT(g->created_at, 321);
	CHECK_EQ_INT(g->subject_len, sizeof subject);
	CHECK(g->subject != NULL && memcmp(g->subject, subject, sizeof subject) == 0);
	CHECK(l.items[0].subject == NULL); /* none stays none */
	CHECK_EQ_INT(l.items[0].subject_len, 0);
	CHECK_STR(l.items[0].audience, "");
	CHECK_EQ_INT(l.items[0].minutes, 60);
	CHECK_EQ_INT(s->ops->counsellor_log_list(s, &mem, c1, NULL, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

static void counsellor_log_keyset_pages(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t c = add_user(s, "counsellor", "Carla", "carla@example.org");
	CHECK(c > 0);
	static const int64_t days[] = { 3, 1, 3, 7, 3, 2, 7, 5, 1 };
	enum { N = sizeof days / sizeof days[0] };
	for (int i = 0; i < N; i++) {
		int64_t id;
		CHECK_EQ_INT(log_add(s, c, "training", DAY0 + days[i], 0, 0, "", 10 + i, &id), VD_OK);
	}
	struct counsellor_log_recs all;
	CHECK_EQ_INT(s->ops->counsellor_log_list(s, &mem, c, NULL, 100, &all), VD_OK);
	CHECK_EQ_INT(all.n, N);
	for (size_t i = 1; i < all.n; i++) {
		const struct counsellor_log_rec *p = &all.items[i - 1], *q = &all.items[i];
		CHECK(p->on_day > q->on_day || (p->on_day == q->on_day && p->id > q->id));
	}
	size_t seen = 0;
	struct counsellor_log_cursor_rec pos;
	const struct counsellor_log_cursor_rec *after = NULL;
	for (int page = 0; page < N; page++) {
		struct counsellor_log_recs l;
		CHECK_EQ_INT(s->ops->counsellor_log_list(s, &mem, c, after, 2, &l), VD_OK);
		CHECK(l.n <= 2);
		for (size_t i = 0; i < l.n; i++, seen++) {
			CHECK(seen < all.n);
			CHECK_EQ_INT(l.items[i].id, all.items[seen].id);
		}
		if (l.n < 2)
			break;
		pos = (struct counsellor_log_cursor_rec){ .on_day = l.items[1].on_day, .id = l.items[1].id };
		after = &pos;
	}
	CHECK_EQ_INT(seen, N);
}

static void counsellor_log_delete_own_only(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t c1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t c2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(c1 && c2);
	int64_t e1, e2;
	CHECK_EQ_INT(log_add(s, c1, "training", DAY0, 0, 0, "", 60, &e1), VD_OK);
	CHECK_EQ_INT(log_add(s, c1, "supervision", DAY0, 0, 0, "", 60, &e2), VD_OK);
	CHECK_EQ_INT(s->ops->counsellor_log_delete(s, c2, e1), VD_ERR_NOTFOUND); /* not c2's */
	struct counsellor_log_recs l;
	CHECK_EQ_INT(s->ops->counsellor_log_list(s, &mem, c1, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(s->ops->counsellor_log_delete(s, c1, e1), VD_OK);
	CHECK_EQ_INT(s->ops->counsellor_log_list(s, &mem, c1, NULL, 10, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1);
	CHECK_EQ_INT(l.items[0].id, e2);
	CHECK_EQ_INT(s->ops->counsellor_log_delete(s, c1, e1), VD_ERR_NOTFOUND); /* gone */
	CHECK_EQ_INT(s->ops->counsellor_log_delete(s, c1, e2 + 100), VD_ERR_NOTFOUND);
}

static void counsellor_log_totals_by_unit_and_user(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t u = add_unit(s, 0, "U");
	int64_t sub = add_unit(s, u, "Sub of U");
	int64_t v = add_unit(s, 0, "V");
	int64_t c1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t c2 = add_user(s, "counsellor", "Dirk", "dirk@example.org");
	CHECK(u && sub && v && c1 && c2);
	struct id_list l1 = { (int64_t[]){ u }, 1 }, l2 = { (int64_t[]){ v }, 1 };
	CHECK_EQ_INT(s->ops->user_units_set(s, c1, &l1), VD_OK);
	CHECK_EQ_INT(s->ops->user_units_set(s, c2, &l2), VD_OK);
	int64_t id;
	/* in [DAY0, DAY0 + 100) */
	CHECK_EQ_INT(log_add(s, c1, "advice", DAY0, u, 1, "manager", 0, &id), VD_OK); /* from_day: in */
	CHECK_EQ_INT(log_add(s, c1, "advice", DAY0 + 10, sub, 0, "board", 0, &id), VD_OK);
	CHECK_EQ_INT(log_add(s, c1, "training", DAY0 + 20, 0, 0, "", 60, &id), VD_OK);
	CHECK_EQ_INT(log_add(s, c1, "supervision", DAY0 + 30, 0, 0, "", 90, &id), VD_OK);
	CHECK_EQ_INT(log_add(s, c2, "advice", DAY0 + 40, u, 1, "board", 0, &id), VD_OK);
	CHECK_EQ_INT(log_add(s, c2, "training", DAY0 + 50, 0, 0, "", 45, &id), VD_OK);
	CHECK_EQ_INT(log_add(s, c2, "supervision", DAY0 + 60, 0, 0, "", 120, &id), VD_OK);
	CHECK_EQ_INT(log_add(s, c2, "advice", DAY0 + 99, v, 0, "manager", 0, &id), VD_OK);
	/* outside it */
	CHECK_EQ_INT(log_add(s, c1, "advice", DAY0 + 100, u, 0, "manager", 0, &id), VD_OK); /* to_day: out */
	CHECK_EQ_INT(log_add(s, c1, "training", DAY0 - 1, 0, 0, "", 30, &id), VD_OK);

	struct counsellor_log_totals_rec t;
	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0, DAY0 + 100, 0, 0, &t), VD_OK);
	CHECK_EQ_INT(t.advice_asked, 2);
	CHECK_EQ_INT(t.advice_unasked, 2);
	CHECK_EQ_INT(t.advice_manager, 2);
	CHECK_EQ_INT(t.advice_board, 2);
	CHECK_EQ_INT(t.training_entries, 2);
	CHECK_EQ_INT(t.training_minutes, 105);
	CHECK_EQ_INT(t.supervision_sessions, 2);
	CHECK_EQ_INT(t.supervision_minutes, 210);

	/* unit U: the advice about U (not its sub-unit), the training of those attached to U */
	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0, DAY0 + 100, u, 0, &t), VD_OK);
	CHECK_EQ_INT(t.advice_asked, 2);
	CHECK_EQ_INT(t.advice_unasked, 0);
	CHECK_EQ_INT(t.advice_manager, 1);
	CHECK_EQ_INT(t.advice_board, 1);
	CHECK_EQ_INT(t.training_entries, 1);
	CHECK_EQ_INT(t.training_minutes, 60);
	CHECK_EQ_INT(t.supervision_sessions, 1);
	CHECK_EQ_INT(t.supervision_minutes, 90);

	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0, DAY0 + 100, sub, 0, &t), VD_OK);
	CHECK_EQ_INT(t.advice_asked, 0);
	CHECK_EQ_INT(t.advice_unasked, 1);
	CHECK_EQ_INT(t.advice_board, 1);
	CHECK_EQ_INT(t.training_entries, 0); /* nobody is attached to the sub-unit */
	CHECK_EQ_INT(t.supervision_sessions, 0);

	/* one counsellor, every unit */
	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0, DAY0 + 100, 0, c2, &t), VD_OK);
	CHECK_EQ_INT(t.advice_asked, 1);
	CHECK_EQ_INT(t.advice_unasked, 1);
	CHECK_EQ_INT(t.advice_manager, 1);
	CHECK_EQ_INT(t.advice_board, 1);
	CHECK_EQ_INT(t.training_entries, 1);
	CHECK_EQ_INT(t.training_minutes, 45);
	CHECK_EQ_INT(t.supervision_sessions, 1);
	CHECK_EQ_INT(t.supervision_minutes, 120);

	/* one counsellor and one unit: c2's advice about U; c2 is not attached to U */
	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0, DAY0 + 100, u, c2, &t), VD_OK);
	CHECK_EQ_INT(t.advice_asked, 1);
	CHECK_EQ_INT(t.advice_board, 1);
	CHECK_EQ_INT(t.advice_unasked, 0);
	CHECK_EQ_INT(t.advice_manager, 0);
	CHECK_EQ_INT(t.training_entries, 0);
	CHECK_EQ_INT(t.supervision_minutes, 0);

	/* an empty range: all zero */
	memset(&t, 0x7f, sizeof t);
	CHECK_EQ_INT(s->ops->counsellor_log_totals(s, DAY0 + 500, DAY0 + 600, 0, 0, &t), VD_OK);
	CHECK_EQ_INT(t.advice_asked + t.advice_unasked + t.advice_manager + t.advice_board, 0);
	CHECK_EQ_INT(t.training_entries + t.training_minutes + t.supervision_sessions + t.supervision_minutes, 0);
}

/* ---- concurrency: the operations that must hold against every other writer --------- */

/* Several threads on one handle, as the server's workers use it. A thread
 * cannot CHECK; it counts what went wrong in bad, under the lock. */
enum { THREADS = 4 };

/* VD_ERR_BUSY means nothing was written, retry (store.h). Bounded, so that a
 * backend stuck busy fails the test instead of hanging it. */
#define RETRY(rc, call)                                                  \
	do {                                                             \
		int tries_ = 0;                                          \
		while (((rc) = (call)) == VD_ERR_BUSY && ++tries_ < 100) \
			;                                                \
	} while (0)

struct race {
	struct store *s;
	int64_t case_id;   /* the case the threads work on, if any */
	pthread_mutex_t lock;
	int bad;           /* calls that failed other than as the contract allows */
	int64_t seen[256]; /* what the threads got, by value */
};

static int race_init(struct race *r, struct store *s, int64_t case_id)
{
	memset(r, 0, sizeof *r);
	r->s = s;
	r->case_id = case_id;
	return pthread_mutex_init(&r->lock, NULL) == 0;
}

/* Runs fn on THREADS threads at once and waits for them all. */
/* ---- retention ------------------------------------------------------------------ */

/* A case closed at closed_at, with a message, a file and (exception) an
 * exception record; its id. */
static int64_t closed_case(struct store *s, int64_t unit, int64_t reader, const char *locator, int64_t closed_at,
			   const char *file_id, bool exception)
{
	int64_t id = add_case(s, unit, locator, 1000, &reader, 1), mid = 0, fid = 0, eid = 0;
	struct case_work_rec w = { .case_id = id, .closed_at = closed_at, .route = "", .outcome = "resolved" };
	static const unsigned char body[] = "sealed message";
	struct message_rec m = { .case_id = id, .kind = "reporter", .created_at = 1001, .body = body,
				 .body_len = sizeof body };
	struct attachment_rec f = { .case_id = id, .kind = "report", .file_id = file_id, .created_at = 1002,
				    .meta = body, .meta_len = sizeof body };
	struct exception_rec e = { .case_id = id, .at = 1003, .by = reader, .conditions = 0x3f, .content = body,
				   .content_len = sizeof body };
	if (!id || s->ops->case_work_put(s, &w) || s->ops->message_insert(s, &m, &mid) ||
	    s->ops->attachment_insert(s, &f, &fid) || (exception && s->ops->exception_insert(s, &e, &eid)))
		return 0;
	return id;
}

static bool due_is(struct store *s, enum store_kept kind, const struct retention_cutoffs_rec *c,
		   const int64_t *want, size_t n)
{
	struct id_list l;
	if (s->ops->retention_due(s, &mem, kind, c, 0, 10, &l) != VD_OK || l.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (l.ids[i] != want[i])
			return false;
	return true;
}

static void retention_due_and_purge_cases(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), r = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t old = closed_case(s, unit, r, "OLD", 5000, "0000000000000000000000000000000a", false);
	int64_t young = closed_case(s, unit, r, "YOUNG", 9000, "0000000000000000000000000000000b", false);
	int64_t excepted = closed_case(s, unit, r, "EXC", 5000, "0000000000000000000000000000000c", true);
	int64_t open = add_case(s, unit, "OPEN", 1000, &r, 1);
	CHECK(old && young && excepted && open);
	struct retention_cutoffs_rec c = { .case_at = 6000, .case_exception_at = 4000, .complaint_at = 1, .wb_day = 1 };
	CHECK(due_is(s, STORE_KEPT_CASE, &c, (int64_t[]){ old }, 1));
	c.case_exception_at = 5001;
	CHECK(due_is(s, STORE_KEPT_CASE, &c, (int64_t[]){ old, excepted }, 2));
	struct id_list l;
	CHECK_EQ_INT(s->ops->retention_due(s, &mem, STORE_KEPT_CASE, &c, old, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.ids[0] == excepted); /* after_id pages on */
	CHECK_EQ_INT(s->ops->retention_due(s, &mem, STORE_KEPT_CASE, &c, 0, 1, &l), VD_OK);
	CHECK(l.n == 1 && l.ids[0] == old); /* and limit stops */
	struct text_list files;
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, excepted, &c, 7000, &files), VD_OK);
	CHECK(files.n == 1 && strcmp(files.items[0], "0000000000000000000000000000000c") == 0);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, excepted, &c, 7001, &files), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(files.n, 0);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, 99999, &c, 7001, &files), VD_ERR_NOTFOUND);
	CHECK(due_is(s, STORE_KEPT_CASE, &c, (int64_t[]){ old }, 1));
	/* Gone for every reading path but the counts. */
	struct case_rec cr;
	CHECK_EQ_INT(s->ops->case_get(s, &mem, excepted, &cr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->case_find_locator(s, &mem, "EXC", &cr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->case_readers(s, &mem, excepted, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	struct attachment_recs al;
	CHECK_EQ_INT(s->ops->attachment_list(s, &mem, excepted, 10, &al), VD_OK);
	CHECK_EQ_INT(al.n, 0);
	CHECK_EQ_INT(s->ops->attachment_exists(s, "0000000000000000000000000000000c"), VD_ERR_NOTFOUND);
	struct exception_recs el;
	CHECK_EQ_INT(s->ops->exception_list(s, &mem, excepted, 10, &el), VD_OK);
	CHECK(el.n == 1 && el.items[0].content_len == 0 && el.items[0].conditions == 0x3f && el.items[0].at == 1003);
	struct case_work_rec w;
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, excepted, &w), VD_OK);
	CHECK(w.closed_at == 5000 && strcmp(w.outcome, "resolved") == 0);
	/* The others are untouched. */
	CHECK_EQ_INT(s->ops->case_get(s, &mem, old, &cr), VD_OK);
	CHECK(cr.content_len == sizeof case_content);
	CHECK_EQ_INT(s->ops->attachment_exists(s, "0000000000000000000000000000000a"), VD_OK);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, old, &c, 7002, &files), VD_OK);
	CHECK(due_is(s, STORE_KEPT_CASE, &c, NULL, 0));
	CHECK_EQ_INT(s->ops->case_get(s, &mem, young, &cr), VD_OK);
	/* Only what is due when it is destroyed: a case not due, one reopened
	 * since it was listed, an open one. */
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, young, &c, 7003, &files), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, open, &c, 7003, &files), VD_ERR_NOTFOUND);
	c.case_at = 9500;
	CHECK(due_is(s, STORE_KEPT_CASE, &c, (int64_t[]){ young }, 1));
	w = (struct case_work_rec){ .case_id = young, .closed_at = 0, .route = "", .outcome = "" };
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, young, &c, 7003, &files), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->case_get(s, &mem, young, &cr), VD_OK);
	CHECK_EQ_INT(s->ops->compact(s), VD_OK);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(s->ops->compact(s), VD_ERR_MISUSE);
	s->ops->rollback(s);
}

static void retention_due_and_purge_complaints_reports_and_log(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), m = add_user(s, "committee", "Mila", "mila@example.org");
	int64_t o = add_user(s, "integrity", "Ilse", "ilse@example.org");
	int64_t closed = add_complaint(s, unit, DAY0, 0, 0, &m, 1), open = add_complaint(s, unit, DAY0, DAY0 + 9, 1, &m, 1);
	int64_t wb_old = add_wb_report(s, unit, "WB-OLD", 0, DAY0 + 1, &o, 1);
	int64_t wb_new = add_wb_report(s, unit, "WB-NEW", 0, DAY0 + 30, &o, 1);
	int64_t wb_open = add_wb_report(s, unit, "WB-OPEN", DAY0 + 5, 0, &o, 1);
	CHECK(closed && open && wb_old && wb_new && wb_open);
	struct retention_cutoffs_rec c = { .case_at = 1, .case_exception_at = 1, .complaint_at = DAY0 * 86400,
					   .wb_day = DAY0 + 10 };
	CHECK(due_is(s, STORE_KEPT_COMPLAINT, &c, NULL, 0)); /* closed at that very moment: not before it */
	c.complaint_at = DAY0 * 86400 + 1;
	CHECK(due_is(s, STORE_KEPT_COMPLAINT, &c, (int64_t[]){ closed }, 1));
	CHECK(due_is(s, STORE_KEPT_WB, &c, (int64_t[]){ wb_old }, 1));
	struct text_list files;
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_COMPLAINT, open, &c, 100, &files), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_WB, wb_new, &c, 100, &files), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_COMPLAINT, closed, &c, 100, &files), VD_OK);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_WB, wb_old, &c, 100, &files), VD_OK);
	CHECK(due_is(s, STORE_KEPT_COMPLAINT, &c, NULL, 0));
	CHECK(due_is(s, STORE_KEPT_WB, &c, NULL, 0));
	struct complaint_rec cr;
	CHECK_EQ_INT(s->ops->complaint_get(s, &mem, closed, &cr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->complaint_get(s, &mem, open, &cr), VD_OK);
	struct wb_report_rec wr;
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, wb_old, &wr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_find_locator(s, &mem, "WB-OLD", &wr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->wb_report_get(s, &mem, wb_new, &wr), VD_OK);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, 99, 1, &c, 100, &files), VD_ERR_MISUSE);
	/* Log subjects: emptied before the moment, kept after. */
	static const unsigned char subject[] = "sealed subject";
	struct counsellor_log_rec e = { .user_id = o, .kind = "advice", .on_day = DAY0, .unit_id = unit,
					.audience = "manager", .created_at = 50, .subject = subject,
					.subject_len = sizeof subject };
	int64_t e1, e2, n = -1;
	CHECK_EQ_INT(s->ops->counsellor_log_insert(s, &e, &e1), VD_OK);
	e.created_at = 150;
	CHECK_EQ_INT(s->ops->counsellor_log_insert(s, &e, &e2), VD_OK);
	CHECK_EQ_INT(s->ops->log_subjects_purge(s, 100, &n), VD_OK);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(s->ops->log_subjects_purge(s, 100, &n), VD_OK);
	CHECK_EQ_INT(n, 0);
}

/* ---- continuity ------------------------------------------------------------------ */

/* ---- rounds and declarations ------------------------------------------------- */

static void rounds_members_and_questions(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Landelijk");
	int64_t m1 = add_user(s, "candidate_committee", "Lid Een", "lid1@example.org");
	int64_t m2 = add_user(s, "candidate_committee", "Lid Twee", "lid2@example.org");
	int64_t m3 = add_user(s, "candidate_committee", "Lid Drie", "lid3@example.org");
	struct round_rec r = { .unit_id = unit, .kind = "election", .title = "Lijst 2027", .opens_on = 100,
			       .closes_on = 130, .created_by = m1, .created_at = 5 };
	memset(r.public_key, 7, sizeof r.public_key);
	memset(r.mac, 8, sizeof r.mac);
	struct round_member_rec ms[2] = { { .user_id = m1 }, { .user_id = m2 } };
	memset(ms[0].sealed_key, 1, sizeof ms[0].sealed_key);
	memset(ms[1].sealed_key, 2, sizeof ms[1].sealed_key);
	const char *qs[] = { "Eerste vraag", "Tweede 'vraag'" };
	int64_t id, id2;
	CHECK_EQ_INT(s->ops->round_insert(s, &r, ms, 2, qs, 2, &id), VD_OK);
	/* atomic: a member twice leaves no round behind */
	struct round_member_rec twice[2] = { ms[0], ms[0] };
	CHECK(s->ops->round_insert(s, &r, twice, 2, qs, 2, &id2) != VD_OK);
	struct round_recs list;
	CHECK_EQ_INT(s->ops->round_list(s, &mem, m1, 10, &list), VD_OK);
	CHECK_EQ_INT(list.n, 1);
	struct round_rec got;
	CHECK_EQ_INT(s->ops->round_get(s, &mem, id, &got), VD_OK);
	CHECK(got.unit_id == unit && got.opens_on == 100 && got.closes_on == 130 && got.created_by == m1);
	CHECK_STR(got.kind, "election");
	CHECK_STR(got.title, "Lijst 2027");
	CHECK(memcmp(got.public_key, r.public_key, STORE_KEY_LEN) == 0 && memcmp(got.mac, r.mac, STORE_KEY_LEN) == 0);
	CHECK_EQ_INT(s->ops->round_get(s, &mem, id + 10, &got), VD_ERR_NOTFOUND);
	struct round_member_rec m;
	CHECK_EQ_INT(s->ops->round_member_get(s, id, m2, &m), VD_OK);
	CHECK(m.sealed_key[0] == 2);
	CHECK_EQ_INT(s->ops->round_member_get(s, id, m3, &m), VD_ERR_NOTFOUND);
	struct round_member_rec add = { .user_id = m3 };
	CHECK_EQ_INT(s->ops->round_member_add(s, id, &add), VD_OK);
	CHECK_EQ_INT(s->ops->round_member_add(s, id, &add), VD_ERR_EXISTS);
	struct id_list members;
	CHECK_EQ_INT(s->ops->round_members(s, &mem, id, &members), VD_OK);
	CHECK(members.n == 3 && members.ids[0] == m1 && members.ids[2] == m3);
	CHECK_EQ_INT(s->ops->round_list(s, &mem, m3, 10, &list), VD_OK);
	CHECK_EQ_INT(list.n, 1);
	struct round_question_recs q;
	CHECK_EQ_INT(s->ops->round_questions(s, &mem, id, &q), VD_OK);
	CHECK(q.n == 2 && q.items[0].position == 1 && q.items[1].position == 2);
	CHECK_STR(q.items[1].text, "Tweede 'vraag'");
}

static void declarations_update_from_a_state_and_links_once(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Landelijk");
	int64_t m1 = add_user(s, "candidate_committee", "Lid Een", "lid1@example.org");
	int64_t c1 = add_user(s, "candidate", "Bea Kandidaat", "bea@example.org");
	int64_t c2 = add_user(s, "candidate", "Aad Kandidaat", "aad@example.org");
	struct round_rec r = { .unit_id = unit, .kind = "appointment", .title = "Bestuur", .opens_on = 1, .closes_on = 2,
			       .created_by = m1, .created_at = 5 };
	struct round_member_rec one = { .user_id = m1 };
	const char *qs[] = { "Vraag" };
	int64_t round, d1, d2, dx;
	CHECK_EQ_INT(s->ops->round_insert(s, &r, &one, 1, qs, 1, &round), VD_OK);
	struct declaration_rec d = { .round_id = round, .candidate_id = c1, .invited_at = 10, .invited_by = m1,
				     .invited_name = "Bea zoals getypt", .purge_after = 500 };
	CHECK_EQ_INT(s->ops->declaration_insert(s, &d, &d1), VD_OK);
	CHECK_EQ_INT(s->ops->declaration_insert(s, &d, &dx), VD_ERR_EXISTS);
	d.candidate_id = c2;
	d.invited_name = "Aad";
	CHECK_EQ_INT(s->ops->declaration_insert(s, &d, &d2), VD_OK);
	struct declaration_rec got;
	CHECK_EQ_INT(s->ops->declaration_get(s, &mem, d1, &got), VD_OK);
	CHECK(strcmp(got.state, "invited") == 0 && got.content == NULL && got.invited_by == m1 && got.outcome[0] == '\0');
	CHECK_STR(got.candidate_name, "Bea Kandidaat");
	CHECK_STR(got.invited_name, "Bea zoals getypt");
	CHECK_STR(got.candidate_email, "bea@example.org");
	CHECK_EQ_INT(got.purge_after, 500); /* the term of one never decided */
	/* an update builds on the version it read: of two that read the same, one is refused */
	unsigned char content[5] = { 1, 2, 3, 4, 5 }, key[STORE_SEALED_KEY_LEN] = { 9 };
	got.state = "draft";
	got.content = content;
	got.content_len = sizeof content;
	got.round_key = got.candidate_key = key;
	got.round_key_len = got.candidate_key_len = sizeof key;
	got.saved_at = 20;
	struct declaration_rec stale = got;
	CHECK_EQ_INT(s->ops->declaration_update(s, &got), VD_OK);
	CHECK_EQ_INT(s->ops->declaration_update(s, &stale), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->declaration_get(s, &mem, d1, &got), VD_OK);
	CHECK_EQ_INT(got.version, stale.version + 1);
	unsigned char lh[STORE_TOKEN_HASH_LEN];
	memset(lh, 3, sizeof lh);
	CHECK_EQ_INT(s->ops->candidate_link_put(s, d1, lh, 700), VD_OK);
	got.state = "decided";
	got.outcome = "declined";
	got.keep_consent = 1;
	got.purge_after = 99;
	got.code_version_id = 3;
	got.interview_on = 12;
	CHECK_EQ_INT(s->ops->declaration_update(s, &got), VD_OK);
	int64_t gone_id = 0, gone_exp = 0;
	CHECK_EQ_INT(s->ops->candidate_link_find(s, lh, &gone_id, &gone_exp), VD_ERR_NOTFOUND); /* decided: no link */
	CHECK_EQ_INT(s->ops->declaration_get(s, &mem, d1, &got), VD_OK);
	CHECK(got.content_len == 5 && got.content[4] == 5 && got.round_key_len == STORE_SEALED_KEY_LEN);
	CHECK(strcmp(got.outcome, "declined") == 0 && got.keep_consent == 1 && got.purge_after == 99 &&
	      got.code_version_id == 3 && got.interview_on == 12 && got.saved_at == 20);
	got.outcome = "maybe"; /* the schema refuses an unknown outcome */
	CHECK(s->ops->declaration_update(s, &got) != VD_OK);
	/* lists: by candidate name in a round; a candidate's own */
	struct declaration_recs list;
	CHECK_EQ_INT(s->ops->declaration_list_round(s, &mem, round, 10, &list), VD_OK);
	CHECK(list.n == 2 && list.items[0].id == d2 && list.items[1].id == d1 && list.items[0].content == NULL);
	CHECK_STR(list.items[1].invited_name, "Bea zoals getypt"); /* by the names typed: "Aad", "Bea ..." */
	CHECK_EQ_INT(s->ops->declaration_list_candidate(s, &mem, c1, 10, &list), VD_OK);
	CHECK(list.n == 1 && list.items[0].id == d1);
	/* a link: found without spending, taken once, replaced by a new one */
	unsigned char h1[STORE_TOKEN_HASH_LEN], h2[STORE_TOKEN_HASH_LEN];
	memset(h1, 1, sizeof h1);
	memset(h2, 2, sizeof h2);
	int64_t did = 0, exp = 0;
	CHECK_EQ_INT(s->ops->candidate_link_put(s, d2, h1, 500), VD_OK);
	CHECK_EQ_INT(s->ops->candidate_link_find(s, h1, &did, &exp), VD_OK);
	CHECK(did == d2 && exp == 500);
	CHECK_EQ_INT(s->ops->candidate_link_put(s, d2, h2, 600), VD_OK);
	CHECK_EQ_INT(s->ops->candidate_link_find(s, h1, &did, &exp), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->candidate_link_take(s, h2, &did, &exp), VD_OK);
	CHECK(did == d2 && exp == 600);
	CHECK_EQ_INT(s->ops->candidate_link_take(s, h2, &did, &exp), VD_ERR_NOTFOUND);
	/* retention: due once its moment is past; destroyed with its last
	 * candidate's account (d2 is due at 500, d1 now at 99) */
	struct retention_cutoffs_rec cut = { .declaration_at = 98 };
	struct id_list due;
	CHECK_EQ_INT(s->ops->retention_due(s, &mem, STORE_KEPT_DECLARATION, &cut, 0, 10, &due), VD_OK);
	CHECK_EQ_INT(due.n, 0);
	cut.declaration_at = 99;
	CHECK_EQ_INT(s->ops->retention_due(s, &mem, STORE_KEPT_DECLARATION, &cut, 0, 10, &due), VD_OK);
	CHECK(due.n == 1 && due.ids[0] == d1);
	struct text_list files;
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_DECLARATION, d2, &cut, 100, &files), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_DECLARATION, d1, &cut, 100, &files), VD_OK);
	CHECK_EQ_INT(files.n, 0);
	CHECK_EQ_INT(s->ops->declaration_get(s, &mem, d1, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->declaration_list_candidate(s, &mem, c1, 10, &list), VD_OK);
	CHECK_EQ_INT(list.n, 0);
	struct user_rec u;
	CHECK_EQ_INT(s->ops->user_get(s, &mem, c1, &u), VD_OK);
	CHECK(u.active == 0 && u.name[0] == '\0' && strstr(u.email, "bea") == NULL);
	CHECK_EQ_INT(s->ops->user_get(s, &mem, c2, &u), VD_OK);
	CHECK_STR(u.email, "aad@example.org");
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_DECLARATION, d1, &cut, 100, &files), VD_ERR_NOTFOUND);
}

static void escrow_trustees_copies_requests_and_approvals(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit = add_unit(s, 0, "Unit"), c1 = add_user(s, "counsellor", "Carla", "carla@example.org");
	int64_t c2 = add_user(s, "counsellor", "Cees", "cees@example.org"), t[3];
	t[0] = add_user(s, "counsellor", "T0", "t0@example.org");
	t[1] = add_user(s, "committee", "T1", "t1@example.org");
	t[2] = add_user(s, "integrity", "T2", "t2@example.org");
	int64_t k1 = add_case(s, unit, "K1", 1000, &c1, 1), k2 = add_case(s, unit, "K2", 1001, &c1, 1);
	int64_t k3 = add_case(s, unit, "K3", 1002, &c2, 1);
	CHECK(k1 && k2 && k3);
	struct escrow_rec e;
	CHECK_EQ_INT(s->ops->escrow_get(s, &mem, &e), VD_ERR_NOTFOUND);
	static const unsigned char parts[3][4] = { "p0!", "p1!", "p2!" };
	struct escrow_rec in = { .created_at = 77 };
	memset(in.public_key, 0x5a, sizeof in.public_key);
	memset(in.mac, 0x6b, sizeof in.mac);
	for (int i = 0; i < 3; i++) {
		in.trustees[i].user_id = t[i];
		in.trustees[i].parts = parts[i];
		in.trustees[i].parts_len = sizeof parts[i];
	}
	CHECK_EQ_INT(s->ops->escrow_put(s, &in), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_get(s, &mem, &e), VD_OK);
	CHECK(e.created_at == 77 && memcmp(e.public_key, in.public_key, sizeof e.public_key) == 0 &&
	      memcmp(e.mac, in.mac, sizeof e.mac) == 0);
	for (int i = 0; i < 3; i++)
		CHECK(e.trustees[i].user_id == t[i] && e.trustees[i].parts_len == 4 &&
		      memcmp(e.trustees[i].parts, parts[i], 4) == 0);
	/* copies of case keys; the cases a user reads; those without a copy */
	unsigned char sealed[STORE_SEALED_KEY_LEN], back[STORE_SEALED_KEY_LEN];
	memset(sealed, 0x61, sizeof sealed);
	CHECK_EQ_INT(s->ops->escrow_key_get(s, k1, back), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->escrow_key_put(s, k1, sealed), VD_OK);
	sealed[0] = 0x62;
	CHECK_EQ_INT(s->ops->escrow_key_put(s, k1, sealed), VD_OK); /* replaced */
	CHECK_EQ_INT(s->ops->escrow_key_get(s, k1, back), VD_OK);
	CHECK(memcmp(back, sealed, sizeof back) == 0);
	struct id_list l;
	CHECK_EQ_INT(s->ops->user_case_ids(s, &mem, c1, &l), VD_OK);
	CHECK(l.n == 2 && l.ids[0] == k1 && l.ids[1] == k2);
	CHECK_EQ_INT(s->ops->escrow_uncovered(s, &mem, c1, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.ids[0] == k2);
	CHECK_EQ_INT(s->ops->escrow_uncovered(s, &mem, c2, 10, &l), VD_OK);
	CHECK(l.n == 1 && l.ids[0] == k3);
	CHECK_EQ_INT(s->ops->user_case_ids(s, &mem, t[0], &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	/* requests: one open per counsellor; ended once; newest first */
	struct escrow_request_rec r = { .from_user = c1, .to_user = c2, .started_by = t[0], .started_at = 500 };
	int64_t r1, r2, dup;
	CHECK_EQ_INT(s->ops->escrow_request_insert(s, &r, &r1), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_request_insert(s, &r, &dup), VD_ERR_EXISTS);
	struct escrow_request_rec got;
	CHECK_EQ_INT(s->ops->escrow_request_get(s, &mem, r1, &got), VD_OK);
	CHECK(got.from_user == c1 && got.to_user == c2 && got.started_by == t[0] && got.started_at == 500 &&
	      strcmp(got.state, "open") == 0 && got.moved == 0 && got.done_at == 0);
	CHECK_EQ_INT(s->ops->escrow_request_get(s, &mem, r1 + 99, &got), VD_ERR_NOTFOUND);
	static const unsigned char left[] = "left for the others";
	struct escrow_approval_rec ap = { .request_id = r1, .trustee_id = t[1], .at = 600, .parts = left,
					  .parts_len = sizeof left };
	CHECK_EQ_INT(s->ops->escrow_approval_put(s, &ap), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_approval_put(s, &ap), VD_ERR_EXISTS);
	struct escrow_approval_recs al;
	CHECK_EQ_INT(s->ops->escrow_approval_list(s, &mem, r1, &al), VD_OK);
	CHECK(al.n == 1 && al.items[0].trustee_id == t[1] && al.items[0].at == 600 &&
	      al.items[0].parts_len == sizeof left && memcmp(al.items[0].parts, left, sizeof left) == 0);
	CHECK_EQ_INT(s->ops->escrow_request_end(s, r1, "open", "running", 0, 0, 650), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_request_insert(s, &r, &dup), VD_ERR_EXISTS); /* running is still open */
	CHECK_EQ_INT(s->ops->escrow_request_end(s, r1, "open", "cancelled", 0, 0, 651), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->escrow_approval_list(s, &mem, r1, &al), VD_OK);
	CHECK_EQ_INT(al.n, 1); /* kept while it runs: a second approver may go on after a stop */
	CHECK_EQ_INT(s->ops->escrow_request_end(s, r1, "running", "done", 2, 1, 700), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_request_end(s, r1, "running", "cancelled", 0, 0, 701), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->escrow_request_get(s, &mem, r1, &got), VD_OK);
	CHECK(strcmp(got.state, "done") == 0 && got.moved == 2 && got.not_moved == 1 && got.done_at == 700);
	CHECK_EQ_INT(s->ops->escrow_approval_list(s, &mem, r1, &al), VD_OK);
	CHECK_EQ_INT(al.n, 0); /* the parts left go with the request's end */
	CHECK_EQ_INT(s->ops->escrow_request_insert(s, &r, &r2), VD_OK); /* no open one any more */
	struct escrow_request_recs rl;
	CHECK_EQ_INT(s->ops->escrow_request_list(s, &mem, 10, &rl), VD_OK);
	CHECK(rl.n == 2 && rl.items[0].id == r2 && rl.items[1].id == r1);
	CHECK_EQ_INT(s->ops->escrow_request_list(s, &mem, 1, &rl), VD_OK);
	CHECK_EQ_INT(rl.n, 1);
	/* a new escrow: the old copies go, open requests are cancelled */
	CHECK_EQ_INT(s->ops->escrow_put(s, &in), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_key_get(s, k1, back), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->escrow_request_get(s, &mem, r2, &got), VD_OK);
	CHECK_EQ_INT(strcmp(got.state, "cancelled"), 0);
	/* destroying a case takes its copy too */
	CHECK_EQ_INT(s->ops->escrow_key_put(s, k3, sealed), VD_OK);
	struct case_work_rec w = { .case_id = k3, .closed_at = 10, .route = "", .outcome = "" };
	CHECK_EQ_INT(s->ops->case_work_put(s, &w), VD_OK);
	struct retention_cutoffs_rec cut = { .case_at = 20, .case_exception_at = 20, .complaint_at = 1, .wb_day = 1 };
	struct text_list files;
	CHECK_EQ_INT(s->ops->record_purge(s, &mem, STORE_KEPT_CASE, k3, &cut, 30, &files), VD_OK);
	CHECK_EQ_INT(s->ops->escrow_key_get(s, k3, back), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->user_case_ids(s, &mem, c2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
}

static void *insert_units(void *p)
{
	struct store *s = p;
	for (int i = 0; i < 200; i++)
		if (!add_unit(s, 0, "written meanwhile"))
			return (void *)1;
	return NULL;
}

/* The copy is the database at one moment: what was written before is in
 * it, what comes after is not, a writer meanwhile does not tear it. */
static void copy_to_is_one_moment(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	CHECK(add_unit(s, 0, "before") > 0);
	char path[256], path2[256];
	copy_path(path, sizeof path);
	CHECK_EQ_INT(s->ops->copy_to(s, path), VD_OK);
	CHECK(add_unit(s, 0, "after") > 0);
	CHECK_EQ_INT(s->ops->copy_to(s, path), VD_ERR_EXISTS);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	copy_path(path2, sizeof path2);
	CHECK_EQ_INT(s->ops->copy_to(s, path2), VD_ERR_MISUSE);
	s->ops->rollback(s);
	struct store *c = open_copy(path);
	CHECK(c != NULL);
	struct unit_recs us;
	CHECK_EQ_INT(c->ops->unit_list(c, &mem, &us), VD_OK);
	CHECK(us.n == 1 && strcmp(us.items[0].name, "before") == 0);
	int version = 0;
	CHECK_EQ_INT(c->ops->schema_version(c, &version), VD_OK);
	CHECK_EQ_INT(version, STORE_SCHEMA_VERSION);
	store_close(c);
	/* A writer on another thread while the copy is taken. */
	pthread_t t;
	void *bad = (void *)1;
	CHECK(pthread_create(&t, NULL, insert_units, s) == 0);
	int rc = s->ops->copy_to(s, path2);
	pthread_join(t, &bad);
	CHECK_EQ_INT(rc, VD_OK);
	CHECK(bad == NULL);
	c = open_copy(path2);
	CHECK(c != NULL);
	CHECK_EQ_INT(c->ops->check(c), VD_OK);
	CHECK_EQ_INT(c->ops->unit_list(c, &mem, &us), VD_OK);
	CHECK(us.n >= 2 && us.n <= 202);
	for (size_t i = 2; i < us.n; i++) /* whole rows only, in order */
		CHECK(strcmp(us.items[i].name, "written meanwhile") == 0);
	store_close(c);
}

static void race_run(struct race *r, void *(*fn)(void *))
{
	pthread_t t[THREADS];
	int started = 0;
	for (; started < THREADS; started++)
		if (pthread_create(&t[started], NULL, fn, r) != 0)
			break;
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	if (started < THREADS)
		r->bad++;
	pthread_mutex_destroy(&r->lock);
}

static void race_note(struct race *r, int ok, int64_t value)
{
	pthread_mutex_lock(&r->lock);
	if (!ok)
		r->bad++;
	else if (value >= 0 && value < 256)
		r->seen[value]++;
	else
		r->bad++;
	pthread_mutex_unlock(&r->lock);
}

static void *increment_many(void *p)
{
	struct race *r = p;
	for (int i = 0; i < 25; i++) {
		int64_t v = 0;
		int rc;
		RETRY(rc, r->s->ops->counter_increment(r->s, "n", &v));
		race_note(r, rc == VD_OK, v);
	}
	return NULL;
}

static void counter_increment_concurrent(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct race r;
	CHECK(race_init(&r, s, 0));
	race_run(&r, increment_many);
	CHECK_EQ_INT(r.bad, 0);
	for (int v = 1; v <= THREADS * 25; v++)
		CHECK_EQ_INT(r.seen[v], 1); /* every value given once */
	int64_t v;
	CHECK_EQ_INT(s->ops->counter_get(s, "n", &v), VD_OK);
	CHECK_EQ_INT(v, THREADS * 25);
}

/* Like test_seal, without the shared record of calls. */
static int quiet_seal(struct audit_rec *r)
{
	hash_of_seq(r->seq, r->hash);
	return VD_OK;
}

static void *append_many(void *p)
{
	struct race *r = p;
	for (int i = 0; i < 10; i++) {
		struct audit_rec e = { .at = 1, .action = "x", .object_kind = "case" };
		int rc;
		RETRY(rc, r->s->ops->audit_append_next(r->s, &e, quiet_seal));
		race_note(r, rc == VD_OK, e.seq);
	}
	return NULL;
}

static void audit_append_next_concurrent(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct race r;
	CHECK(race_init(&r, s, 0));
	race_run(&r, append_many);
	CHECK_EQ_INT(r.bad, 0);
	for (int v = 1; v <= THREADS * 10; v++)
		CHECK_EQ_INT(r.seen[v], 1);
	/* one unbroken chain */
	struct audit_recs l;
	CHECK_EQ_INT(s->ops->audit_after(s, &mem, 0, 100, &l), VD_OK);
	CHECK_EQ_INT(l.n, THREADS * 10);
	unsigned char prev[STORE_AUDIT_HASH_LEN] = { 0 };
	for (size_t i = 0; i < l.n; i++) {
		CHECK_EQ_INT(l.items[i].seq, (int64_t)i + 1);
		CHECK(memcmp(l.items[i].prev_hash, prev, sizeof prev) == 0);
		memcpy(prev, l.items[i].hash, sizeof prev);
	}
}

static void *claim_until_empty(void *p)
{
	struct race *r = p;
	struct arena a;
	arena_init(&a, 0);
	for (;;) {
		struct outbox_recs l;
		int rc;
		RETRY(rc, r->s->ops->outbox_claim(r->s, &a, 1000, 5000, 3, &l));
		if (rc != VD_OK) {
			race_note(r, 0, 0);
			break;
		}
		if (l.n == 0)
			break;
		for (size_t i = 0; i < l.n; i++)
			race_note(r, l.items[i].recipient_len == 1, l.items[i].recipient[0]);
	}
	arena_release(&a);
	return NULL;
}

static void outbox_claim_concurrent(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	unsigned char tags[60];
	for (int i = 0; i < 60; i++) {
		tags[i] = (unsigned char)i;
		CHECK_EQ_INT(outbox_put(s, &tags[i], "staff", 100 + i % 7), VD_OK);
	}
	struct race r;
	CHECK(race_init(&r, s, 0));
	race_run(&r, claim_until_empty);
	CHECK_EQ_INT(r.bad, 0);
	for (int i = 0; i < 60; i++)
		CHECK_EQ_INT(r.seen[i], 1); /* each message to one sender only */
}

static void *take_all(void *p)
{
	struct race *r = p;
	struct arena a;
	arena_init(&a, 0);
	for (int i = 0; i < 20; i++) {
		unsigned char token[STORE_TOKEN_HASH_LEN];
		memset(token, i + 1, sizeof token);
		struct invitation_rec v;
		int rc;
		RETRY(rc, r->s->ops->invitation_take(r->s, &a, token, &v));
		if (rc != VD_ERR_NOTFOUND)
			race_note(r, rc == VD_OK, i);
	}
	arena_release(&a);
	return NULL;
}

static void invitation_take_concurrent(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, rd;
	int64_t id = one_case(s, &unit, &rd);
	CHECK(id > 0);
	static const unsigned char code[] = "c";
	for (int i = 0; i < 20; i++) {
		struct invitation_rec v = invitation_of(id, i + 1, 1000, code, sizeof code);
		CHECK_EQ_INT(s->ops->invitation_insert(s, &v), VD_OK);
	}
	struct race r;
	CHECK(race_init(&r, s, 0));
	race_run(&r, take_all);
	CHECK_EQ_INT(r.bad, 0);
	for (int i = 0; i < 20; i++)
		CHECK_EQ_INT(r.seen[i], 1); /* one taker each */
}

static void *move_and_count(void *p)
{
	struct race *r = p;
	/* every thread moves the case on from the same phase: one may */
	int rc;
	RETRY(rc, r->s->ops->case_set_phase(r->s, r->case_id, "new", "intake", 1, 1));
	if (rc != VD_ERR_NOTFOUND)
		race_note(r, rc == VD_OK, 0);
	/* read-modify-write of the work record through the claim */
	for (int i = 0; i < 10; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct case_work_rec w;
		for (int tries = 0; tries < 100; tries++) {
			rc = r->s->ops->begin(r->s);
			if (rc == VD_OK)
				rc = r->s->ops->case_work_claim(r->s, &a, r->case_id, &w);
			if (rc == VD_OK) {
				w.referrals++;
				rc = r->s->ops->case_work_put(r->s, &w);
			}
			if (rc == VD_OK)
				rc = r->s->ops->commit(r->s);
			else
				r->s->ops->rollback(r->s);
			if (rc != VD_ERR_BUSY)
				break;
		}
		race_note(r, rc == VD_OK, 1);
		arena_release(&a);
	}
	return NULL;
}

static void case_set_phase_and_claim_concurrent(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, rd;
	int64_t id = one_case(s, &unit, &rd);
	CHECK(id > 0);
	struct race r;
	CHECK(race_init(&r, s, id));
	race_run(&r, move_and_count);
	CHECK_EQ_INT(r.bad, 0);
	CHECK_EQ_INT(r.seen[0], 1); /* one move won */
	CHECK_EQ_INT(r.seen[1], THREADS * 10);
	struct phase_move_recs moves;
	CHECK_EQ_INT(s->ops->phase_move_list(s, &mem, id, 10, &moves), VD_OK);
	CHECK_EQ_INT(moves.n, 1);
	struct case_work_rec w;
	CHECK_EQ_INT(s->ops->case_work_get(s, &mem, id, &w), VD_OK);
	CHECK_EQ_INT(w.referrals, THREADS * 10); /* no update lost */
}

/* ---- failure counters ------------------------------------------------------------------ */

static void throttle_counters_put_get_delete_purge(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct throttle_rec a = { .count = 3, .first_at = 100, .last_at = 150 }, b = a, got;
	memset(a.key, 0xa1, sizeof a.key);
	memset(b.key, 0xb2, sizeof b.key);
	b.last_at = 400;
	CHECK_EQ_INT(s->ops->throttle_get(s, a.key, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->throttle_put(s, &a), VD_OK);
	CHECK_EQ_INT(s->ops->throttle_put(s, &b), VD_OK);
	CHECK_EQ_INT(s->ops->throttle_get(s, a.key, &got), VD_OK);
	CHECK(memcmp(got.key, a.key, sizeof a.key) == 0 && got.count == 3 && got.first_at == 100 && got.last_at == 150);
	a.count = 4;
	a.last_at = 160;
	CHECK_EQ_INT(s->ops->throttle_put(s, &a), VD_OK); /* replaces */
	CHECK_EQ_INT(s->ops->throttle_get(s, a.key, &got), VD_OK);
	CHECK(got.count == 4 && got.first_at == 100 && got.last_at == 160);
	CHECK_EQ_INT(s->ops->throttle_purge(s, 300), VD_OK); /* a: last counted before 300 */
	CHECK_EQ_INT(s->ops->throttle_get(s, a.key, &got), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->throttle_get(s, b.key, &got), VD_OK);
	CHECK_EQ_INT(s->ops->throttle_delete(s, b.key), VD_OK);
	CHECK_EQ_INT(s->ops->throttle_delete(s, b.key), VD_OK); /* none: no error */
	CHECK_EQ_INT(s->ops->throttle_get(s, b.key, &got), VD_ERR_NOTFOUND);
	/* part of a transaction like every write */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(s->ops->throttle_put(s, &a), VD_OK);
	s->ops->rollback(s);
	CHECK_EQ_INT(s->ops->throttle_get(s, a.key, &got), VD_ERR_NOTFOUND);
}

/* ---- a whole store into another (store_copy) ---------------------------------------- */

/* A store with rows in the tables whose copy asks for care: a unit whose
 * parent came after it, contacts counted in their case, the audit chain. */
static int64_t fill_for_copy(struct store *s, int64_t *unit, int64_t *top)
{
	int64_t reader;
	int64_t id = one_case(s, unit, &reader);
	*top = add_unit(s, 0, "Later top");
	struct unit_rec u = { .id = *unit, .parent_id = *top, .name = "Unit", .kind = "group", .created_at = 100 };
	if (!id || !*top || add_unit(s, *unit, "Child") == 0 || s->ops->unit_update(s, &u) != VD_OK)
		return 0;
	struct contact_rec c = contact_of(id, DAY0 + 5, 30);
	int64_t cid;
	struct audit_rec e;
	if (s->ops->contact_insert(s, &c, &cid) != VD_OK || (c = contact_of(id, DAY0 + 2, 20),
							     s->ops->contact_insert(s, &c, &cid)) != VD_OK ||
	    audit_add(s, 50, "case.create", &e) != VD_OK || audit_add(s, 60, "case.open", &e) != VD_OK)
		return 0;
	return id;
}

static void copy_keeps_every_row_across_backends(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, top;
	int64_t id = fill_for_copy(s, &unit, &top);
	CHECK(id > 0);
	/* out into SQLite (for PostgreSQL: across backends), and back in */
	char path[256];
	copy_path(path, sizeof path);
	CHECK(store_sqlite_open(path, 1, &copies[0]) == VD_OK);
	struct store *mid = copies[0];
	CHECK_EQ_INT(mid->ops->migrate(mid, NULL, NULL), VD_OK);
	struct store_copy_counts out, in;
	CHECK_EQ_INT(store_copy(s, mid, crypto_digest, &out), VD_OK);
	CHECK_EQ_INT(out.rows[store_table_index("units")], 3);
	CHECK_EQ_INT(out.rows[store_table_index("contacts")], 2);
	CHECK_EQ_INT(out.rows[store_table_index("audit_log")], 2);
	CHECK_EQ_INT(out.rows[store_table_index("case_keys")], 1);
	struct store *back = second_unmigrated(1);
	CHECK(back != NULL);
	CHECK_EQ_INT(back->ops->migrate(back, NULL, NULL), VD_OK);
	CHECK_EQ_INT(store_copy(mid, back, crypto_digest, &in), VD_OK);
	CHECK_EQ_INT(in.total, out.total);
	/* the derived counts came as they were, not counted again on loading */
	struct case_work_rec w;
	CHECK_EQ_INT(back->ops->case_work_get(back, &mem, id, &w), VD_OK);
	CHECK_EQ_INT(w.contacts, 2);
	CHECK_EQ_INT(w.last_contact_day, DAY0 + 5);
	struct case_rec c;
	CHECK_EQ_INT(back->ops->case_get(back, &mem, id, &c), VD_OK);
	CHECK(c.content_len == sizeof case_content && memcmp(c.content, case_content, c.content_len) == 0);
	struct unit_recs us;
	CHECK_EQ_INT(back->ops->unit_list(back, &mem, &us), VD_OK);
	CHECK_EQ_INT(us.n, 3);
	for (size_t i = 0; i < us.n; i++)
		if (us.items[i].id == unit)
			CHECK_EQ_INT(us.items[i].parent_id, top);
	/* what comes next gets new ids, the triggers count again, the chain goes on */
	CHECK(add_unit(back, 0, "After the copy") > top + 1);
	struct contact_rec more = contact_of(id, DAY0 + 9, 10);
	int64_t cid;
	CHECK_EQ_INT(back->ops->contact_insert(back, &more, &cid), VD_OK);
	CHECK_EQ_INT(back->ops->case_work_get(back, &mem, id, &w), VD_OK);
	CHECK_EQ_INT(w.contacts, 3);
	struct audit_rec e, last;
	CHECK_EQ_INT(audit_add(back, 70, "case.close", &e), VD_OK);
	CHECK_EQ_INT(e.seq, 3);
	CHECK_EQ_INT(back->ops->audit_last(back, &mem, &last), VD_OK);
	CHECK_EQ_INT(last.seq, 3);
	CHECK_EQ_INT(back->ops->check(back), VD_OK);
}

static void copy_refuses_a_store_that_is_not_empty_or_not_alike(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int64_t unit, top;
	CHECK(fill_for_copy(s, &unit, &top) > 0);
	struct store *to = second_unmigrated(0);
	CHECK(to != NULL);
	int64_t tables = -1;
	CHECK_EQ_INT(to->ops->table_count(to, &tables), VD_OK);
	CHECK_EQ_INT(tables, 0); /* never used */
	CHECK_EQ_INT(store_copy(s, to, crypto_digest, NULL), VD_ERR_TOONEW); /* schema 0 against the current one */
	CHECK_EQ_INT(to->ops->migrate(to, NULL, NULL), VD_OK);
	CHECK_EQ_INT(to->ops->table_count(to, &tables), VD_OK);
	CHECK(tables >= (int64_t)store_table_count); /* ours, and the schema's own (vd_schema on PostgreSQL) */
	CHECK(add_unit(to, 0, "Already here") > 0);
	CHECK_EQ_INT(store_copy(s, to, crypto_digest, NULL), VD_ERR_EXISTS);
	struct unit_recs us;
	CHECK_EQ_INT(to->ops->unit_list(to, &mem, &us), VD_OK);
	CHECK_EQ_INT(us.n, 1); /* nothing of the copy was kept */
	CHECK_EQ_INT(to->ops->begin(to), VD_OK);
	CHECK_EQ_INT(to->ops->load_begin(to), VD_ERR_MISUSE); /* not inside another transaction */
	to->ops->rollback(to);
}

static void load_row_takes_known_tables_and_plain_names_only(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	const char *cols[] = { "id", "name", "kind", "created_at" };
	struct store_value vals[] = { { .kind = STORE_INT, .i = 5 }, { .kind = STORE_TEXT, .p = "Top", .n = 3 },
				      { .kind = STORE_TEXT, .p = "group", .n = 5 }, { .kind = STORE_INT, .i = 1 } };
	struct store_row row = { "units", 4, cols, vals };
	CHECK_EQ_INT(s->ops->load_row(s, &row), VD_ERR_MISUSE); /* outside load_begin */
	CHECK_EQ_INT(s->ops->load_begin(s), VD_OK);
	row.table = "vd_schema";
	CHECK_EQ_INT(s->ops->load_row(s, &row), VD_ERR_MISUSE);
	row.table = "units; DROP TABLE users";
	CHECK_EQ_INT(s->ops->load_row(s, &row), VD_ERR_MISUSE);
	row.table = "units";
	cols[1] = "name) VALUES (1, 2, 3, 4); --";
	CHECK_EQ_INT(s->ops->load_row(s, &row), VD_ERR_MISUSE);
	cols[1] = "name";
	CHECK_EQ_INT(s->ops->load_row(s, &row), VD_OK);
	CHECK_EQ_INT(s->ops->load_end(s, VD_ERR_INVALID), VD_ERR_INVALID); /* an error: nothing kept */
	struct unit_recs us;
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &us), VD_OK);
	CHECK_EQ_INT(us.n, 0);
	CHECK_EQ_INT(s->ops->load_begin(s), VD_OK);
	CHECK_EQ_INT(s->ops->load_row(s, &row), VD_OK);
	CHECK_EQ_INT(s->ops->load_end(s, VD_OK), VD_OK);
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &us), VD_OK);
	CHECK(us.n == 1 && us.items[0].id == 5 && strcmp(us.items[0].name, "Top") == 0);
	CHECK_EQ_INT(add_unit(s, 0, "Next"), 6); /* the counter went past the loaded id */
}

/* Drops every connection to the test database but this one's own. */
static bool drop_connections(void)
{
	PGconn *pg = PQconnectdb(getenv("VD_TEST_PG"));
	PGresult *r = PQexec(pg, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
				 " WHERE datname = current_database() AND pid <> pg_backend_pid()");
	bool dropped = PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) >= 1;
	PQclear(r);
	PQfinish(pg);
	return dropped;
}

/* PostgreSQL only: a connection the server dropped (a restart, a failover)
 * fails the call that meets it, and the next call connects again; inside a
 * transaction, the rest of it is refused and its commit fails, so no part
 * of it is kept on its own. */
static void a_dropped_connection_is_made_again(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	CHECK(add_unit(s, 0, "Before") > 0);
	CHECK(drop_connections());
	struct unit_recs us;
	int first = s->ops->unit_list(s, &mem, &us);
	CHECK(first == VD_OK || first == VD_ERR_STORE); /* the call that finds it broken may fail */
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &us), VD_OK);
	CHECK(us.n == 1 && strcmp(us.items[0].name, "Before") == 0);
	CHECK(add_unit(s, 0, "After") > 0);
	/* inside a transaction */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK(add_unit(s, 0, "Lost A") > 0);
	CHECK(drop_connections());
	CHECK(add_unit(s, 0, "Lost B") == 0);                  /* meets the break */
	CHECK(add_unit(s, 0, "Lost C") == 0);                  /* refused: its transaction is gone */
	CHECK_EQ_INT(s->ops->begin(s), VD_ERR_MISUSE);         /* still inside it for its caller */
	CHECK_EQ_INT(s->ops->commit(s), VD_ERR_STORE);         /* and its commit fails */
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &us), VD_OK);
	CHECK_EQ_INT(us.n, 2); /* Before and After; nothing of the lost one */
	CHECK_EQ_INT(s->ops->commit(s), VD_ERR_MISUSE);        /* outside a transaction */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK(add_unit(s, 0, "Lost D") > 0);
	CHECK(drop_connections());
	CHECK(add_unit(s, 0, "Lost E") == 0);
	s->ops->rollback(s);                                    /* ended by a rollback: as well */
	CHECK(add_unit(s, 0, "Kept") > 0);
	CHECK_EQ_INT(s->ops->unit_list(s, &mem, &us), VD_OK);
	CHECK_EQ_INT(us.n, 3);
}

/* The tests the PostgreSQL store does not take: its copy_to is NULL (a
 * backup copies its rows into SQLite with store_copy, tested above). Every other
 * test runs on it; with VD_CHECK_ONLY a developer runs any one test. */
static const char *const pg_skipped[] = { "copy_to_is_one_moment" };

static int run_on_postgres(const struct test *tests, size_t n)
{
	struct test *run = calloc(n + 1, sizeof *run);
	size_t k = 0;
	const char *only = getenv("VD_CHECK_ONLY");
	for (size_t i = 0; run && i < n; i++) {
		bool skip = false;
		for (size_t j = 0; !(only && *only) && j < sizeof pg_skipped / sizeof pg_skipped[0]; j++)
			skip = skip || strcmp(pg_skipped[j], tests[i].name) == 0;
		if (!skip)
			run[k++] = tests[i];
	}
	if (run) /* and the one for it alone */
		run[k++] = (struct test)TEST(a_dropped_connection_is_made_again);
	int rc = run ? check_run("store_contract_pg", run, k) : 1;
	free(run);
	return rc;
}

int main(void)
{
	static const struct test tests[] = {
		/* schema */
		TEST(migrate_from_empty_then_idempotent),
		/* transactions */
		TEST(commit_keeps_and_reads_own_writes),
		TEST(rollback_drops_every_kind_of_write),
		TEST(rollback_outside_transaction_is_noop),
		TEST(begin_inside_transaction_invalid),
		TEST(multi_row_op_atomic_on_its_own),
		/* units */
		TEST(units_insert_list_update_delete),
		TEST(units_missing_notfound),
		TEST(unit_delete_inuse),
		/* users */
		TEST(users_insert_get_find),
		TEST(users_email_unique_any_case),
		TEST(user_update_and_set_password),
		TEST(user_list_by_name_then_id),
		TEST(user_units_set_replaces),
		/* profiles */
		TEST(profile_put_inserts_and_replaces),
		TEST(counsellor_list_active_counsellors_by_name),
		/* sessions */
		TEST(sessions_insert_get_touch),
		TEST(sessions_delete_and_delete_user),
		TEST(sessions_purge_idle_and_expired),
		/* user keys */
		TEST(user_keys_put_replaces),
		/* cases */
		TEST(case_insert_get_find_keys),
		TEST(receipt_costs_fill_only_the_old),
		TEST(case_insert_locator_taken),
		TEST(case_list_unopened_then_newest),
		TEST(case_list_keyset_pages),
		TEST(case_mark_opened_first_time_only),
		/* messages */
		TEST(message_reporter_makes_case_new_again),
		TEST(message_list_newest_limit_oldest_first),
		/* attachments */
		TEST(attachments_insert_list_get_exists),
		/* invitations */
		TEST(invitation_take_once),
		TEST(invitation_purge_expired_only),
		/* outbox */
		TEST(outbox_claim_leases_due_soonest),
		/* case work */
		TEST(case_work_defaults_without_row),
		TEST(case_work_put_round_trip),
		TEST(case_work_claim_inside_transaction_only),
		TEST(case_work_contacts_follow_contact_insert),
		TEST(case_set_phase_compare_and_set),
		TEST(phase_move_list_newest_first),
		TEST(case_set_stats_corrects_classification),
		TEST(contact_list_newest_day_then_id),
		TEST(appointment_list_latest_first),
		TEST(consent_list_newest_first),
		TEST(complaint_insert_with_keys), TEST(complaint_get_claim_update), TEST(complaint_keys_and_list),
		TEST(complaint_terms_pauses_extensions), TEST(complaint_moves_in_order), TEST(complaint_parties_by_locator_and_supporter),
		TEST(complaint_letters_per_party), TEST(complaint_attachments_beside_a_case_s), TEST(complaint_hearings_and_who_was_heard),
		TEST(complaint_terms_due_and_reminded_once),
		TEST(case_reader_replace_hands_over),
		TEST(case_reader_replace_onto_a_reader),
		TEST(conflicts_once_first_declared_first),
		TEST(exceptions_insert_list_oldest_first),
		/* the whistleblower register */
		TEST(wb_report_insert_get_find_keys),
		TEST(wb_report_insert_refused_writes_nothing),
		TEST(wb_report_claim_and_update),
		TEST(wb_report_list_by_due_day_and_closed_newest_first), TEST(wb_report_rekey_changes_the_code_only), TEST(wb_attachments_beside_the_others), TEST(stat_rows_of_units_and_days), TEST(totp_steps_backup_codes_and_due_sessions), TEST(throttle_counters_put_get_delete_purge), TEST(copy_to_is_one_moment), TEST(copy_keeps_every_row_across_backends), TEST(copy_refuses_a_store_that_is_not_empty_or_not_alike), TEST(load_row_takes_known_tables_and_plain_names_only), TEST(retention_due_and_purge_cases), TEST(retention_due_and_purge_complaints_reports_and_log), TEST(escrow_trustees_copies_requests_and_approvals), TEST(stat_counts_contacts_days_and_exceptions), TEST(question_stat_counts_by_reporter_type), TEST(annual_report_draft_review_published), TEST(complaint_stat_rows_say_what_happened),
		TEST(wb_reports_due_and_reminded_once),
		TEST(wb_events_oldest_first),
		/* dashboard */
		TEST(dashboard_over_own_cases),
		/* documents, settings, counters */
		TEST(document_versions_are_numbered_and_kept),
		TEST(rounds_members_and_questions),
		TEST(declarations_update_from_a_state_and_links_once),
		TEST(settings_put_get_replace),
		TEST(counters_increment_by_name),
		/* audit log */
		TEST(audit_append_next_chains),
		TEST(audit_seal_error_stops_append),
		TEST(audit_append_rolled_back_is_gone),
		TEST(audit_after_and_before_page),
		/* counsellor log */
		TEST(counsellor_log_insert_list_order),
		TEST(counsellor_log_keyset_pages),
		TEST(counsellor_log_delete_own_only),
		TEST(counsellor_log_totals_by_unit_and_user),
		/* concurrency */
		TEST(counter_increment_concurrent),
		TEST(audit_append_next_concurrent),
		TEST(outbox_claim_concurrent),
		TEST(invitation_take_concurrent),
		TEST(case_set_phase_and_claim_concurrent),
	};
	int rc = on_postgres() ? run_on_postgres(tests, sizeof tests / sizeof tests[0])
			       : check_run("store_contract", tests, sizeof tests / sizeof tests[0]);
	teardown();
	if (dir_made) {
		char cmd[sizeof dir + 16];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return rc;
}
