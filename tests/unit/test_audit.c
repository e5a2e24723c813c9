/* Unit tests: the audit log — the store's append-only table, the hash chain
 * and its verification, and that audited actions write their entry in their
 * own transaction. */
#include <sqlite3.h>
#include <string.h>

#include "../../src/core/accounts.h"
#include "../../src/core/audit.h"
#include "../../src/core/cases.h"
#include "../../src/core/documents.h"
#include "../../src/util/date.h"
#include "../../src/core/profiles.h"
#include "../../src/core/sessions.h"
#include "../../src/core/internal/audit.h"
#include "../../src/core/internal/sessions.h"
#include "../../src/core/internal/throttle.h"
#include "../../src/core/units.h"
#include "../../src/web/i18n.h"
#include "check.h"
#include "fixture.h"

/* ---- helpers ----------------------------------------------------------------- */

static int64_t entry_count(struct vd *vd)
{
	struct arena a;
	struct audit_rec last;
	arena_init(&a, 0);
	int rc = vd->store->ops->audit_last(vd->store, &a, &last);
	arena_release(&a);
	return rc == VD_OK ? last.seq : rc == VD_ERR_NOTFOUND ? 0 : -1;
}

/* The entry with seq (copied names live in a). */
static int entry_at(struct vd *vd, struct arena *a, int64_t seq, struct audit_rec *out)
{
	struct audit_recs l;
	int rc = vd->store->ops->audit_after(vd->store, a, seq - 1, 1, &l);
	if (rc == VD_OK && (l.n != 1 || l.items[0].seq != seq))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		*out = l.items[0];
	return rc;
}

/* True if the newest entry is (actor, action, kind, object). */
static bool last_is(struct vd *vd, int64_t actor, const char *action, const char *kind, int64_t object)
{
	struct arena a;
	struct audit_rec r;
	arena_init(&a, 0);
	bool ok = vd->store->ops->audit_last(vd->store, &a, &r) == VD_OK && r.actor_id == actor &&
		  strcmp(r.action, action) == 0 && strcmp(r.object_kind, kind) == 0 && r.object_id == object;
	arena_release(&a);
	return ok;
}

/* n entries in one transaction, as the caller's transaction would hold them. */
static int record_many(struct vd *vd, int n)
{
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	for (int i = 0; rc == VD_OK && i < n; i++)
		rc = audit_record(vd, i % 7, i % 2 ? "case.open" : "login", i % 2 ? "case" : "user", 1000 + i);
	return app_end(vd, rc, 0);
}

static struct audit_report verify(struct vd *vd)
{
	struct audit_report rep;
	memset(&rep, 0xff, sizeof rep);
	if (audit_verify(vd, &rep) != VD_OK)
		rep.why = (enum audit_break)-1;
	return rep;
}

/* ---- the chain ------------------------------------------------------------------ */

static void empty_log_is_intact(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	struct audit_report rep = verify(vd);
	CHECK_EQ_INT(rep.why, AUDIT_INTACT);
	CHECK_EQ_INT(rep.entries, 0);
	unsigned char zero[AUDIT_HASH_LEN] = { 0 };
	CHECK(memcmp(rep.head, zero, sizeof zero) == 0);
	fixture_close(vd, path);
}

static void appended_entries_form_an_intact_chain(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	/* more than one verification page (1000 entries) */
	CHECK_EQ_INT(record_many(vd, 2500), VD_OK);
	CHECK_EQ_INT(entry_count(vd), 2500);
	struct audit_report rep = verify(vd);
	CHECK_EQ_INT(rep.why, AUDIT_INTACT);
	CHECK_EQ_INT(rep.entries, 2500);
	CHECK_EQ_INT(rep.broken_at, 0);
	struct arena a;
	arena_init(&a, 0);
	struct audit_rec first, second, last;
	CHECK_EQ_INT(entry_at(vd, &a, 1, &first), VD_OK);
	CHECK_EQ_INT(entry_at(vd, &a, 2, &second), VD_OK);
	CHECK_EQ_INT(vd->store->ops->audit_last(vd->store, &a, &last), VD_OK);
	unsigned char zero[AUDIT_HASH_LEN] = { 0 };
	CHECK(memcmp(first.prev_hash, zero, sizeof zero) == 0);
	CHECK(memcmp(second.prev_hash, first.hash, AUDIT_HASH_LEN) == 0);
	CHECK(memcmp(first.hash, second.hash, AUDIT_HASH_LEN) != 0);
	CHECK(memcmp(rep.head, last.hash, AUDIT_HASH_LEN) == 0);
	CHECK_STR(first.action, "login");
	CHECK_EQ_INT(first.object_id, 1000);
	unsigned char h[AUDIT_HASH_LEN];
	CHECK_EQ_INT(audit_hash_at(vd, 2, h), VD_OK);
	CHECK(memcmp(h, second.hash, AUDIT_HASH_LEN) == 0);
	CHECK_EQ_INT(audit_hash_at(vd, 0, h), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(audit_hash_at(vd, 2501, h), VD_ERR_NOTFOUND);
	/* one more entry moves the head */
	CHECK_EQ_INT(record_many(vd, 1), VD_OK);
	struct audit_report rep2 = verify(vd);
	CHECK(rep2.why == AUDIT_INTACT && rep2.entries == 2501);
	CHECK(memcmp(rep2.head, rep.head, AUDIT_HASH_LEN) != 0);
	arena_release(&a);
	fixture_close(vd, path);
}

static void update_and_delete_are_refused(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	CHECK_EQ_INT(record_many(vd, 5), VD_OK);
	CHECK_EQ_INT(raw_sql(path, "UPDATE audit_log SET actor_id = 42 WHERE seq = 3"), SQLITE_CONSTRAINT);
	CHECK_EQ_INT(raw_sql(path, "UPDATE audit_log SET action = 'logout'"), SQLITE_CONSTRAINT);
	CHECK_EQ_INT(raw_sql(path, "DELETE FROM audit_log WHERE seq = 5"), SQLITE_CONSTRAINT);
	CHECK_EQ_INT(raw_sql(path, "DELETE FROM audit_log"), SQLITE_CONSTRAINT);
	CHECK_EQ_INT(raw_sql(path, "INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 2"),
		     SQLITE_CONSTRAINT); /* a replace deletes first */
	CHECK_EQ_INT(raw_sql(path, "INSERT INTO audit_log VALUES(0, 1, 1, 'login', 'user', 1, x'00', x'00')"),
		     SQLITE_CONSTRAINT); /* seq starts at 1 */
	CHECK_EQ_INT(entry_count(vd), 5);
	struct arena a;
	arena_init(&a, 0);
	struct audit_rec r;
	CHECK_EQ_INT(entry_at(vd, &a, 3, &r), VD_OK);
	CHECK_EQ_INT(r.actor_id, 2);
	arena_release(&a);
	CHECK_EQ_INT(verify(vd).why, AUDIT_INTACT);
	fixture_close(vd, path);
}

/* Each kind of tampering, done behind the triggers' back, is found at its entry. */
static void tampering_is_found_where_it_is(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	CHECK_EQ_INT(record_many(vd, 1200), VD_OK);
	CHECK_EQ_INT(raw_sql(path, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
				   "DROP TRIGGER audit_log_no_replace;"), SQLITE_OK);
	/* a changed action, actor, object or time: that entry's hash */
	const char *changes[][2] = {
		{ "UPDATE audit_log SET action = 'logout' WHERE seq = 4", "UPDATE audit_log SET action = 'case.open' WHERE seq = 4" },
		{ "UPDATE audit_log SET actor_id = 6 WHERE seq = 4", "UPDATE audit_log SET actor_id = 3 WHERE seq = 4" },
		{ "UPDATE audit_log SET object_id = 7 WHERE seq = 4", "UPDATE audit_log SET object_id = 1003 WHERE seq = 4" },
		{ "UPDATE audit_log SET at = at + 1 WHERE seq = 4", "UPDATE audit_log SET at = at - 1 WHERE seq = 4" },
		{ "UPDATE audit_log SET object_kind = 'unit' WHERE seq = 1001", "UPDATE audit_log SET object_kind = 'user' WHERE seq = 1001" },
	};
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		CHECK_EQ_INT(raw_sql(path, changes[i][0]), SQLITE_OK);
		struct audit_report rep = verify(vd);
		CHECK_EQ_INT(rep.why, AUDIT_HASH);
		CHECK_EQ_INT(rep.broken_at, i < 4 ? 4 : 1001);
		CHECK_EQ_INT(raw_sql(path, changes[i][1]), SQLITE_OK); /* undone: intact again */
		CHECK_EQ_INT(verify(vd).why, AUDIT_INTACT);
	}
	/* a link that does not follow: that entry's prev_hash */
	CHECK_EQ_INT(raw_sql(path, "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 1)"
				   " WHERE seq = 6"), SQLITE_OK);
	struct audit_report rep = verify(vd);
	CHECK(rep.why == AUDIT_PREV && rep.broken_at == 6);
	CHECK_EQ_INT(raw_sql(path, "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 5)"
				   " WHERE seq = 6"), SQLITE_OK);
	/* a hash of the wrong size */
	CHECK_EQ_INT(raw_sql(path, "UPDATE audit_log SET hash = x'0102' WHERE seq = 9"), SQLITE_OK);
	rep = verify(vd);
	CHECK(rep.why == AUDIT_MALFORMED && rep.broken_at == 9);
	CHECK_EQ_INT(raw_sql(path, "UPDATE audit_log SET hash = (SELECT prev_hash FROM audit_log WHERE seq = 10)"
				   " WHERE seq = 9"), SQLITE_OK);
	CHECK_EQ_INT(verify(vd).why, AUDIT_INTACT);
	/* a removed entry: a gap where it was, also on a page boundary */
	CHECK_EQ_INT(raw_sql(path, "DELETE FROM audit_log WHERE seq = 1001"), SQLITE_OK);
	rep = verify(vd);
	CHECK(rep.why == AUDIT_GAP && rep.broken_at == 1001 && rep.found_seq == 1002);
	CHECK_EQ_INT(rep.entries, 1000);
	CHECK_EQ_INT(raw_sql(path, "DELETE FROM audit_log WHERE seq < 3"), SQLITE_OK);
	rep = verify(vd);
	CHECK(rep.why == AUDIT_GAP && rep.broken_at == 1 && rep.found_seq == 3);
	CHECK_EQ_INT(rep.entries, 0);
	fixture_close(vd, path);
}

static void unknown_names_are_refused(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	struct store *s = vd->store;
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(audit_record(vd, 1, "case.delete", "case", 1), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_record(vd, 1, "login", "file", 1), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_record(vd, 1, "Login", "user", 1), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_record(vd, 1, "login ", "user", 1), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_record(vd, 1, NULL, "user", 1), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_record(vd, 1, "login", NULL, 1), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_record(vd, 1, "Mijn verhaal: wat er gebeurde", "case", 1), VD_ERR_INVALID);
	CHECK_EQ_INT(app_end(vd, VD_OK, 0), VD_OK);
	CHECK_EQ_INT(entry_count(vd), 0);
	for (size_t i = 0; audit_actions[i]; i++)
		CHECK(audit_action_valid(audit_actions[i]));
	for (size_t i = 0; audit_object_kinds[i]; i++)
		CHECK(audit_object_kind_valid(audit_object_kinds[i]));
	fixture_close(vd, path);
}

/* An entry and the write it records commit together, or neither does. */
static void entries_share_their_transaction(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	struct store *s = vd->store;
	/* a rolled-back transaction leaves no entry */
	CHECK_EQ_INT(s->ops->begin(s), VD_OK);
	CHECK_EQ_INT(audit_record(vd, 0, "unit.create", "unit", 1), VD_OK);
	s->ops->rollback(s);
	CHECK_EQ_INT(entry_count(vd), 0);
	int64_t root;
	CHECK_EQ_INT(unit_add(vd, &principal_system, "Landelijk", "national", 0, &root), VD_OK);
	CHECK(last_is(vd, 0, "unit.create", "unit", root));
	/* a refused action writes no entry */
	int64_t id;
	CHECK_EQ_INT(unit_add(vd, &principal_system, "X", "other", 4242, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(unit_remove(vd, &principal_system, 4242), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(entry_count(vd), 1);
	/* when the entry cannot be written, the action is undone */
	CHECK_EQ_INT(raw_sql(path, "CREATE TRIGGER block BEFORE INSERT ON audit_log"
				   " BEGIN SELECT RAISE(ABORT, 'blocked'); END;"), SQLITE_OK);
	CHECK(unit_add(vd, &principal_system, "Provincie", "province", root, &id) != VD_OK);
	CHECK(unit_edit(vd, &principal_system, root, "Hernoemd", "national", 0) != VD_OK);
	struct document_adoption adoption = { .kind = DOC_COMPLAINTS, .body_nl = "GEBLOKKEERD", .adopted_by = "Bestuur",
					      .adopted_on = date_of(clock_now()) };
	enum document_field bad;
	int64_t version;
	CHECK(document_adopt(vd, &principal_system, &adoption, &version, &bad) != VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct unit_list units;
	CHECK_EQ_INT(unit_list(vd, &a, &units), VD_OK);
	CHECK(units.n == 1 && strcmp(units.items[0].name, "Landelijk") == 0);
	struct document d;
	CHECK_EQ_INT(document_current(vd, &a, DOC_COMPLAINTS, 0, "nl", &d), VD_OK);
	CHECK(strcmp(d.body, "GEBLOKKEERD") != 0);
	CHECK_EQ_INT(raw_sql(path, "DROP TRIGGER block"), SQLITE_OK);
	adoption.body_en = "Rules";
	CHECK_EQ_INT(document_adopt(vd, &principal_system, &adoption, &version, &bad), VD_OK);
	CHECK(last_is(vd, 0, "document.adopt", "document_version", version));
	/* entries written before versions name a document by kind and language */
	enum doc_kind k;
	const char *lang;
	CHECK_EQ_INT(document_from_number(4, &k, &lang), VD_OK);
	CHECK(k == DOC_COMPLAINTS && strcmp(lang, "en") == 0);
	CHECK_EQ_INT(document_from_number(0, &k, &lang), VD_ERR_INVALID);
	CHECK_EQ_INT(document_from_number(2 * DOC_COUNT + 1, &k, &lang), VD_ERR_INVALID);
	CHECK_EQ_INT(verify(vd).why, AUDIT_INTACT);
	arena_release(&a);
	fixture_close(vd, path);
}

static int64_t add_account(struct vd *vd, const struct principal *who, const char *email, enum vd_role role,
			   int64_t unit, char pw[ACTIVATION_PASSWORD_LEN + 1])
{
	struct account_input in = { .name = "Test Persoon", .email = email, .role = role,
				    .units = { &unit, 1 }, .active = 1 };
	int64_t id = 0;
	enum account_field bad;
	return account_create(vd, who, &in, &id, pw, &bad) == VD_OK ? id : 0;
}

/* Each audited action leaves its entry: who, what, on which record. */
static void actions_leave_their_entries(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root, unit;
	CHECK_EQ_INT(unit_add(vd, &principal_system, "Landelijk", "national", 0, &root), VD_OK);
	char act[ACTIVATION_PASSWORD_LEN + 1];
	int64_t admin = add_account(vd, &principal_system, "admin@example.org", ROLE_ADMIN, root, act);
	CHECK(admin > 0 && last_is(vd, 0, "account.create", "user", admin));
	const struct principal adm = actor(admin, ROLE_ADMIN);
	CHECK_EQ_INT(unit_add(vd, &adm, "P1", "province", root, &unit), VD_OK);
	CHECK(last_is(vd, admin, "unit.create", "unit", unit));
	CHECK_EQ_INT(unit_edit(vd, &adm, unit, "P2", "province", root), VD_OK);
	CHECK(last_is(vd, admin, "unit.update", "unit", unit));
	int64_t c = add_account(vd, &adm, "c@example.org", ROLE_COUNSELLOR, root, act);
	CHECK(c > 0 && last_is(vd, admin, "account.create", "user", c));
	struct account_input in = { .name = "Nieuwe Naam", .email = "c@example.org", .role = ROLE_COUNSELLOR,
				    .units = { &root, 1 }, .active = 1 };
	enum account_field bad;
	CHECK_EQ_INT(account_update(vd, &adm, c, &in, &bad), VD_OK);
	CHECK(last_is(vd, admin, "account.update", "user", c));
	CHECK_EQ_INT(account_reset_password(vd, &adm, c, act), VD_OK);
	CHECK(last_is(vd, admin, "account.reset", "user", c));
	struct profile p = { .user_id = c, .region = "Utrecht" };
	enum profile_field pbad;
	CHECK_EQ_INT(profile_save(vd, &adm, &p, &pbad), VD_OK);
	CHECK(last_is(vd, admin, "profile.update", "profile", c));
	CHECK_EQ_INT(unit_remove(vd, &adm, unit), VD_OK);
	CHECK(last_is(vd, admin, "unit.delete", "unit", unit));
	/* the counsellor's own password, login and logout */
	const struct principal me = actor(c, ROLE_COUNSELLOR);
	struct password_change pc = { act, "password of c", NULL, false };
	struct password_changed done;
	int64_t retry;
	CHECK_EQ_INT(account_change_password(vd, &me, &pc, NULL, &bad, &retry, &done), VD_OK);
	/* the change, then this browser's fresh session */
	CHECK(done.signed_in && last_is(vd, c, "login", "user", c));
	struct arena a;
	arena_init(&a, 0);
	struct audit_rec prev;
	CHECK_EQ_INT(entry_at(vd, &a, entry_count(vd) - 1, &prev), VD_OK);
	CHECK(prev.actor_id == c && strcmp(prev.action, "password.change") == 0 && prev.object_id == c);
	const struct principal *session;
	CHECK_EQ_INT(session_check(vd, &a, done.token, &session), VD_OK);
	char tok[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(session_start(vd, c, NULL, false, tok), VD_OK);
	CHECK(last_is(vd, c, "login", "user", c));
	int64_t before = entry_count(vd);
	session_end(vd, "not a token");
	CHECK_EQ_INT(entry_count(vd), before); /* no session, nothing ended */
	session_end(vd, tok);
	CHECK(last_is(vd, c, "logout", "user", c));
	session_end(vd, tok);
	CHECK_EQ_INT(entry_count(vd), before + 1);
	/* a report: stored by its reporter (0), opened and answered by its reader */
	struct report_input r = {
		.unit_id = root, .counsellor_id = c, .account = "CONTENT-MARKER-4K wat er gebeurde",
		.location = "online", .relation = "colleague", .reporter_type = "member", .behaviours = 1,
		.channel = "web",
	};
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	CHECK_EQ_INT(report_submit(vd, &r, &id, code, &errs), VD_OK);
	CHECK(last_is(vd, 0, "case.create", "case", id));
	struct case_view v;
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(principal_secret_key(session, sk), VD_OK); /* the session's own key */
	const struct principal stranger = actor(admin, ROLE_COUNSELLOR);
	before = entry_count(vd);
	CHECK_EQ_INT(case_open(vd, as(&stranger, sk), &a, id, &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(entry_count(vd), before); /* nothing was read */
	CHECK_EQ_INT(case_open(vd, session, &a, id, &v), VD_OK);
	CHECK(last_is(vd, c, "case.open", "case", id));
	CHECK_EQ_INT(case_open(vd, session, &a, id, &v), VD_OK); /* every reading counts */
	CHECK_EQ_INT(entry_count(vd), before + 2);
	CHECK_EQ_INT(case_post(vd, session, id, "counsellor", "CONTENT-MARKER-4K hallo", NULL, 0), VD_OK);
	CHECK(last_is(vd, c, "case.message", "case", id));
	CHECK_EQ_INT(case_post(vd, session, id, "note", "CONTENT-MARKER-4K notitie", NULL, 0), VD_OK);
	CHECK(last_is(vd, c, "case.note", "case", id));
	enum code_result res;
	CHECK_EQ_INT(report_reply(vd, &a, code, "s", 1, "CONTENT-MARKER-4K antwoord", NULL, 0, &res, &retry), VD_OK);
	CHECK(res == CODE_OK && last_is(vd, 0, "case.message", "case", id));
	/* the whole log: intact, and names and ids only */
	struct audit_report rep = verify(vd);
	CHECK(rep.why == AUDIT_INTACT && rep.entries == entry_count(vd));
	struct audit_recs all;
	CHECK_EQ_INT(vd->store->ops->audit_after(vd->store, &a, 0, 1000, &all), VD_OK);
	CHECK_EQ_INT(all.n, (size_t)rep.entries);
	for (size_t i = 0; i < all.n; i++)
		CHECK(audit_action_valid(all.items[i].action) && audit_object_kind_valid(all.items[i].object_kind));
	crypto_wipe(&done, sizeof done);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(code, sizeof code);
	arena_release(&a);
	fixture_close(vd, path);
}

/* The administrator's pages, newest first; nobody else reads the log. */
static void admin_reads_pages_newest_first(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	CHECK_EQ_INT(record_many(vd, 7), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct audit_list l;
	bool more = false;
	const struct principal counsellor = actor(5, ROLE_COUNSELLOR), reader = actor(6, ROLE_READER);
	CHECK_EQ_INT(audit_page(vd, &counsellor, &a, 0, 3, &l, &more), VD_ERR_DENIED);
	CHECK_EQ_INT(audit_page(vd, &reader, &a, 0, 3, &l, &more), VD_ERR_DENIED);
	CHECK_EQ_INT(audit_page(vd, &principal_system, &a, 0, 0, &l, &more), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_page(vd, &principal_system, &a, 0, 3, &l, &more), VD_OK);
	CHECK(more && l.n == 3 && l.items[0].seq == 7 && l.items[2].seq == 5);
	CHECK_EQ_INT(audit_page(vd, &principal_system, &a, 5, 3, &l, &more), VD_OK);
	CHECK(more && l.n == 3 && l.items[0].seq == 4 && l.items[2].seq == 2);
	CHECK_EQ_INT(audit_page(vd, &principal_system, &a, 2, 3, &l, &more), VD_OK);
	CHECK(!more && l.n == 1 && l.items[0].seq == 1);
	CHECK_EQ_INT(audit_page(vd, &principal_system, &a, 1, 3, &l, &more), VD_OK);
	CHECK(!more && l.n == 0);
	arena_release(&a);
	fixture_close(vd, path);
}

static void every_name_is_translated(void)
{
	char err[256] = "";
	CHECK_EQ_INT(i18n_load(err, sizeof err), VD_OK);
	for (size_t i = 0; audit_actions[i]; i++) {
		char key[96];
		snprintf(key, sizeof key, "audit.action.%s", audit_actions[i]);
		CHECK(i18n_has("nl", key) && i18n_has("en", key));
	}
	for (size_t i = 0; audit_object_kinds[i]; i++) {
		char key[96];
		snprintf(key, sizeof key, "audit.object.%s", audit_object_kinds[i]);
		CHECK(i18n_has("nl", key) && i18n_has("en", key));
	}
	CHECK(i18n_has("nl", "audit.actor_none") && i18n_has("en", "audit.actor_none"));
	i18n_unload();
}

int main(void)
{
	if (crypto_init() != VD_OK)
		return 1;
	static const struct test tests[] = {
		TEST(empty_log_is_intact), TEST(appended_entries_form_an_intact_chain),
		TEST(update_and_delete_are_refused), TEST(tampering_is_found_where_it_is),
		TEST(unknown_names_are_refused), TEST(entries_share_their_transaction),
		TEST(actions_leave_their_entries), TEST(admin_reads_pages_newest_first),
		TEST(every_name_is_translated),
	};
	return check_run("audit", tests, sizeof tests / sizeof tests[0]);
}
