/* Unit tests: the SQLite store through the storage interface. */
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/core/vd.h"
#include "../../src/crypto/crypto.h"
#include "../../src/store/store.h"
#include "check.h"

static char dir[] = "/tmp/vd-store-XXXXXX";
static char dbpath[160];

static struct store *fresh(void)
{
	static int n;
	snprintf(dbpath, sizeof dbpath, "%s/t%d.db", dir, n++);
	struct store *s = NULL;
	if (store_sqlite_open(dbpath, 1, &s) != VD_OK)
		return NULL;
	if (s->ops->migrate(s, NULL, NULL) != VD_OK) {
		store_close(s);
		return NULL;
	}
	return s;
}

static void migrate_sets_version(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	int v = -1;
	CHECK_EQ_INT(s->ops->schema_version(s, &v), VD_OK);
	CHECK_EQ_INT(v, STORE_SCHEMA_VERSION);
	int from = -1, to = -1;
	CHECK_EQ_INT(s->ops->migrate(s, &from, &to), VD_OK); /* idempotent */
	CHECK_EQ_INT(from, STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(s->ops->check(s), VD_OK);
	store_close(s);
}

static void newer_schema_refused(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	store_close(s);
	sqlite3 *db;
	CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ_INT(store_sqlite_open(dbpath, 0, &s), VD_OK);
	CHECK_EQ_INT(s->ops->migrate(s, NULL, NULL), VD_ERR_TOONEW);
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

static void units_crud(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct arena a;
	arena_init(&a, 0);
	int64_t root, child;
	struct unit u = { .name = "Landelijk", .kind = "national" };
	CHECK_EQ_INT(s->ops->unit_insert(s, &u, &root), VD_OK);
	struct unit c = { .parent_id = root, .name = "Provincie 'X'; DROP TABLE units;--", .kind = "province" };
	CHECK_EQ_INT(s->ops->unit_insert(s, &c, &child), VD_OK);
	struct unit_list l;
	CHECK_EQ_INT(s->ops->unit_list(s, &a, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_STR(l.items[1].name, "Provincie 'X'; DROP TABLE units;--");
	CHECK_EQ_INT(l.items[1].parent_id, root);
	CHECK_EQ_INT(s->ops->unit_delete(s, root), VD_ERR_EXISTS); /* has a child */
	CHECK_EQ_INT(s->ops->unit_delete(s, child), VD_OK);
	CHECK_EQ_INT(s->ops->unit_delete(s, child), VD_ERR_NOTFOUND);
	c.id = 12345;
	CHECK_EQ_INT(s->ops->unit_update(s, &c), VD_ERR_NOTFOUND);
	arena_release(&a);
	store_close(s);
}

static void users_unique_email_case_insensitive(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct arena a;
	arena_init(&a, 0);
	struct user u = { .email = "Anouk@Example.org", .name = "Anouk", .role = "counsellor",
			  .password_hash = "!", .must_change_password = 1, .active = 1 };
	int64_t id, id2;
	CHECK_EQ_INT(s->ops->user_insert(s, &u, &id), VD_OK);
	u.email = "anouk@example.ORG";
	CHECK_EQ_INT(s->ops->user_insert(s, &u, &id2), VD_ERR_EXISTS);
	struct user got;
	CHECK_EQ_INT(s->ops->user_find_email(s, &a, "ANOUK@example.org", &got), VD_OK);
	CHECK_EQ_INT(got.id, id);
	CHECK_EQ_INT(got.must_change_password, 1);
	CHECK_EQ_INT(s->ops->user_set_password(s, id, "$argon2id$x", 0), VD_OK);
	CHECK_EQ_INT(s->ops->user_get(s, &a, id, &got), VD_OK);
	CHECK_STR(got.password_hash, "$argon2id$x");
	CHECK_EQ_INT(got.must_change_password, 0);
	CHECK_EQ_INT(s->ops->user_get(s, &a, 999, &got), VD_ERR_NOTFOUND);
	arena_release(&a);
	store_close(s);
}

static void transaction_rolls_back(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct arena a;
	arena_init(&a, 0);
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	struct unit u = { .name = "Weg", .kind = "other" };
	int64_t id;
	CHECK_EQ_INT(s->ops->unit_insert(s, &u, &id), VD_OK);
	s->ops->rollback(s);
	struct unit_list l;
	CHECK_EQ_INT(s->ops->unit_list(s, &a, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	arena_release(&a);
	store_close(s);
}

static void sessions_roundtrip(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct user u = { .email = "a@example.org", .name = "A", .role = "admin", .password_hash = "!", .active = 1 };
	int64_t uid;
	CHECK_EQ_INT(s->ops->user_insert(s, &u, &uid), VD_OK);
	struct session_rec r = { .user_id = uid, .created_at = 100, .last_seen_at = 100, .expires_at = 1000 };
	memset(r.token_hash, 7, sizeof r.token_hash);
	CHECK_EQ_INT(s->ops->session_insert(s, &r), VD_OK);
	struct session_rec got;
	CHECK_EQ_INT(s->ops->session_get(s, r.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.user_id, uid);
	CHECK_EQ_INT(s->ops->session_touch(s, r.token_hash, 200), VD_OK);
	CHECK_EQ_INT(s->ops->session_get(s, r.token_hash, &got), VD_OK);
	CHECK_EQ_INT(got.last_seen_at, 200);
	CHECK_EQ_INT(s->ops->session_purge(s, 150, 500), VD_OK); /* idle before 150: not this one */
	CHECK_EQ_INT(s->ops->session_get(s, r.token_hash, &got), VD_OK);
	CHECK_EQ_INT(s->ops->session_purge(s, 0, 1000), VD_OK);  /* expired */
	CHECK_EQ_INT(s->ops->session_get(s, r.token_hash, &got), VD_ERR_NOTFOUND);
	store_close(s);
}

static void documents_and_settings(void)
{
	struct store *s = fresh();
	CHECK(s != NULL);
	struct arena a;
	arena_init(&a, 0);
	struct document d = { .kind = "code_of_conduct", .lang = "nl", .body = "# Kop\n\nTekst", .updated_at = 5 };
	CHECK_EQ_INT(s->ops->document_put(s, &d), VD_OK);
	d.body = "nieuw";
	CHECK_EQ_INT(s->ops->document_put(s, &d), VD_OK);
	struct document got;
	CHECK_EQ_INT(s->ops->document_get(s, &a, "code_of_conduct", "nl", &got), VD_OK);
	CHECK_STR(got.body, "nieuw");
	CHECK_EQ_INT(s->ops->document_get(s, &a, "code_of_conduct", "en", &got), VD_ERR_NOTFOUND);
	const char *v = NULL;
	CHECK_EQ_INT(s->ops->setting_get(s, &a, "k", &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(s->ops->setting_put(s, "k", "1"), VD_OK);
	CHECK_EQ_INT(s->ops->setting_put(s, "k", "2"), VD_OK);
	CHECK_EQ_INT(s->ops->setting_get(s, &a, "k", &v), VD_OK);
	CHECK_STR(v, "2");
	arena_release(&a);
	store_close(s);
}

int main(void)
{
	if (crypto_init() != VD_OK || !mkdtemp(dir))
		return 1;
	static const struct test tests[] = {
		TEST(migrate_sets_version), TEST(newer_schema_refused),
		TEST(missing_db_not_created_without_create), TEST(units_crud),
		TEST(users_unique_email_case_insensitive), TEST(transaction_rolls_back),
		TEST(sessions_roundtrip), TEST(documents_and_settings),
	};
	int rc = check_run("store", tests, sizeof tests / sizeof tests[0]);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
