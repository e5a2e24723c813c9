/* Unit tests: the core — data directory, accounts, sessions, units,
 * profiles, documents — and that every write checks the actor's role. */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/core/accounts.h"
#include "../../src/core/cases.h"
#include "../../src/core/documents.h"
#include "../../src/core/profiles.h"
#include "../../src/core/internal/session_cache.h"
#include "../../src/core/receipt.h"
#include "../../src/core/sessions.h"
#include "../../src/core/internal/accounts.h"
#include "../../src/core/internal/cases.h"
#include "../../src/core/internal/sessions.h"
#include "../../src/core/internal/throttle.h"
#include "../../src/core/units.h"
#include "../../src/util/date.h"
#include "../../src/util/text.h"
#include "check.h"
#include "fixture.h"

static const struct principal counsellor_actor = { .user_id = 99, .role = ROLE_COUNSELLOR };
static const struct principal reader_actor = { .user_id = 98, .role = ROLE_READER };

static void init_dir_private_and_complete(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	const char *files[] = { "vertrouwd.conf", "secret.key", "vertrouwd.db" };
	struct stat st;
	CHECK(stat(path, &st) == 0);
	CHECK((st.st_mode & 077) == 0);
	for (size_t i = 0; i < 3; i++) {
		char p[200];
		snprintf(p, sizeof p, "%s/%s", path, files[i]);
		CHECK(stat(p, &st) == 0);
		CHECK((st.st_mode & 077) == 0);
	}
	/* default documents installed in both languages */
	struct arena a;
	arena_init(&a, 0);
	struct document d;
	for (int k = 0; k < DOC_COUNT; k++) {
		CHECK_EQ_INT(document_current(vd, &a, (enum doc_kind)k, 0, "en", &d), VD_OK);
		CHECK(strlen(d.body) > 100 && d.translated && d.number == 1 && d.current);
		CHECK_STR(d.adopted_by, ""); /* the default text: nobody adopted it */
	}
	arena_release(&a);
	fixture_close(vd, path);
}

static void init_refuses_nonempty_dir(void)
{
	char base[] = "/tmp/vd-unit-XXXXXX";
	CHECK(mkdtemp(base) != NULL);
	char file[160], err[256];
	snprintf(file, sizeof file, "%s/keep.txt", base);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	fputs("mine", f);
	fclose(f);
	CHECK_EQ_INT(app_init_dir(base, NULL, err, sizeof err), VD_ERR_EXISTS);
	struct stat st;
	CHECK(stat(file, &st) == 0); /* untouched */
	char db[160];
	snprintf(db, sizeof db, "%s/vertrouwd.db", base);
	CHECK(stat(db, &st) != 0);
	unlink(file);
	rmdir(base);
}

static void open_refuses_newer_schema_and_bad_config(void)
{
	char path[128], err[256];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	app_close(vd);
	CHECK(fixture_sql(path, "PRAGMA user_version=99"));
	vd = NULL;
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_ERR_TOONEW);
	CHECK(strstr(err, "newer") != NULL);
	/* a typo in the config is an error with its line number */
	CHECK(fixture_sql(path, "PRAGMA user_version=1"));
	CHECK(fixture_append(path, "vertrouwd.conf", "sesion_idle_seconds = 5\n"));
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_ERR_INVALID);
	CHECK(strstr(err, "unknown setting") != NULL && strstr(err, "line") != NULL);
	fixture_close(NULL, path);
}

static int64_t add_unit(struct vd *vd, const char *name, int64_t parent)
{
	int64_t id = 0;
	if (unit_add(vd, &principal_system, name, parent ? "province" : "national", parent, &id))
		return 0;
	return id;
}

static void units_tree_rules(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), a = add_unit(vd, "A", root), b = add_unit(vd, "B", a);
	CHECK(root && a && b);
	int64_t id;
	CHECK_EQ_INT(unit_add(vd, &counsellor_actor, "X", "other", 0, &id), VD_ERR_DENIED);
	CHECK_EQ_INT(unit_add(vd, &principal_system, "", "other", 0, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(unit_add(vd, &principal_system, "X", "planet", 0, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(unit_add(vd, &principal_system, "X", "other", 4242, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(unit_add(vd, &principal_system, "a\nb", "other", 0, &id), VD_ERR_INVALID);
	/* no cycles: root under its grandchild, or a unit under itself */
	CHECK_EQ_INT(unit_edit(vd, &principal_system, root, "Landelijk", "national", b), VD_ERR_INVALID);
	CHECK_EQ_INT(unit_edit(vd, &principal_system, a, "A", "province", a), VD_ERR_INVALID);
	CHECK_EQ_INT(unit_edit(vd, &principal_system, b, "B2", "province", root), VD_OK);
	CHECK_EQ_INT(unit_edit(vd, &reader_actor, b, "B3", "province", root), VD_ERR_DENIED);
	CHECK_EQ_INT(unit_remove(vd, &principal_system, root), VD_ERR_INUSE);
	CHECK_EQ_INT(unit_remove(vd, &counsellor_actor, b), VD_ERR_DENIED);
	CHECK_EQ_INT(unit_remove(vd, &principal_system, b), VD_OK);
	struct arena ar;
	arena_init(&ar, 0);
	struct unit_list l, tree;
	int *depth;
	CHECK_EQ_INT(unit_list(vd, &ar, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK(unit_within(&l, a, root));
	CHECK(!unit_within(&l, root, a));
	CHECK_EQ_INT(unit_tree(&ar, &l, &tree, &depth), VD_OK);
	CHECK_EQ_INT(tree.n, 2);
	CHECK_EQ_INT(depth[1], 1);
	arena_release(&ar);
	fixture_close(vd, path);
}

static int64_t add_account(struct vd *vd, const char *email, enum vd_role role, int64_t unit,
			   char pw[ACTIVATION_PASSWORD_LEN + 1])
{
	struct account_input in = { .name = "Test Persoon", .email = email, .role = role,
				    .units = { &unit, unit ? 1 : 0 }, .active = 1 };
	int64_t id = 0;
	enum account_field bad;
	if (account_create(vd, &principal_system, &in, &id, pw, &bad))
		return 0;
	return id;
}

static void account_create_validates(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int64_t unit = add_unit(vd, "Landelijk", 0);
	int64_t id = add_account(vd, "anna@example.org", ROLE_COUNSELLOR, unit, pw);
	CHECK(id > 0);
	CHECK_EQ_INT(strlen(pw), ACTIVATION_PASSWORD_LEN);
	struct account_input in = { .name = "B", .email = "ANNA@example.org", .role = ROLE_ADMIN, .active = 1 };
	enum account_field bad = AF_NONE;
	int64_t id2;
	CHECK_EQ_INT(account_create(vd, &principal_system, &in, &id2, pw, &bad), VD_ERR_EXISTS);
	CHECK_EQ_INT(bad, AF_EMAIL);
	in.email = "not-an-email";
	CHECK_EQ_INT(account_create(vd, &principal_system, &in, &id2, pw, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, AF_EMAIL);
	in.email = "b@example.org";
	in.name = "";
	CHECK_EQ_INT(account_create(vd, &principal_system, &in, &id2, pw, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, AF_NAME);
	in.name = "B";
	in.role = ROLE_NONE;
	CHECK_EQ_INT(account_create(vd, &principal_system, &in, &id2, pw, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, AF_ROLE);
	in.role = ROLE_READER;
	int64_t nounit = 777;
	in.units = (struct id_list){ &nounit, 1 };
	CHECK_EQ_INT(account_create(vd, &principal_system, &in, &id2, pw, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, AF_UNITS);
	in.units.n = 0;
	CHECK_EQ_INT(account_create(vd, &counsellor_actor, &in, &id2, pw, &bad), VD_ERR_DENIED);
	/* nothing of the refused attempts was stored */
	struct arena a;
	arena_init(&a, 0);
	struct account_list users;
	CHECK_EQ_INT(account_list(vd, &principal_system, &a, &users), VD_OK);
	CHECK_EQ_INT(users.n, 1);
	CHECK_EQ_INT(account_list(vd, &counsellor_actor, &a, &users), VD_ERR_DENIED);
	arena_release(&a);
	fixture_close(vd, path);
}

static const struct login_attempt from_s1 = { "s1", 2, NULL };

/* A password change as the form makes it; done is wiped afterwards unless kept. */
static int change(struct vd *vd, const struct principal *me, const char *old_pw, const char *new_pw,
		  const char *recovery, bool new_keys, enum account_field *bad, struct password_changed *done)
{
	struct password_change pc = { old_pw, new_pw, recovery, new_keys };
	struct password_changed scratch;
	int64_t retry;
	return account_change_password(vd, me, &pc, &from_s1, bad, &retry, done ? done : &scratch);
}

static int login(struct vd *vd, struct arena *a, const char *email, const char *pw, const char *src,
		 const char *device, struct account *u, int64_t *retry)
{
	struct login_attempt from = { src, strlen(src), device };
	return account_login(vd, a, email, pw, &from, u, retry);
}

static void login_and_password_change(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int64_t id = add_account(vd, "bob@example.org", ROLE_COMMITTEE, 0, pw);
	CHECK(id > 0);
	struct arena a;
	arena_init(&a, 0);
	struct account u;
	int64_t retry;
	CHECK_EQ_INT(account_login(vd, &a, "bob@example.org", pw, &from_s1, &u, &retry), VD_OK);
	CHECK_EQ_INT(u.id, id);
	CHECK_EQ_INT(u.must_change_password, 1);
	CHECK_EQ_INT(account_login(vd, &a, "BOB@example.org", pw, &from_s1, &u, &retry), VD_OK);
	CHECK_EQ_INT(account_login(vd, &a, "bob@example.org", "wrong", &from_s1, &u, &retry), VD_ERR_AUTH);
	CHECK_EQ_INT(account_login(vd, &a, "nobody@example.org", pw, &from_s1, &u, &retry), VD_ERR_AUTH);
	struct principal me = actor(id, ROLE_COMMITTEE);
	enum account_field bad;
	const char *good = "a long enough passphrase";
	CHECK_EQ_INT(change(vd, &me, "wrong", good, NULL, false, &bad, NULL), VD_ERR_AUTH);
	CHECK_EQ_INT(bad, AF_PASSWORD);
	CHECK_EQ_INT(change(vd, &me, pw, "short", NULL, false, &bad, NULL), VD_ERR_INVALID);
	CHECK_EQ_INT(change(vd, &me, pw, "bob@example.org", NULL, false, &bad, NULL), VD_ERR_INVALID);
	/* a change ends every session of the account */
	char tok[SESSION_TOKEN_CHARS + 1];
	const struct principal *si;
	CHECK_EQ_INT(session_start(vd, id, NULL, false, tok), VD_OK);
	CHECK_EQ_INT(change(vd, &me, pw, good, NULL, false, &bad, NULL), VD_OK);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(account_login(vd, &a, "bob@example.org", pw, &from_s1, &u, &retry), VD_ERR_AUTH);
	CHECK_EQ_INT(account_login(vd, &a, "bob@example.org", good, &from_s1, &u, &retry), VD_OK);
	CHECK_EQ_INT(u.must_change_password, 0);
	/* an administrator's reset issues a new one-time password */
	char pw2[ACTIVATION_PASSWORD_LEN + 1];
	CHECK_EQ_INT(account_reset_password(vd, &counsellor_actor, id, pw2), VD_ERR_DENIED);
	CHECK_EQ_INT(account_reset_password(vd, &principal_system, id, pw2), VD_OK);
	CHECK_EQ_INT(account_login(vd, &a, "bob@example.org", good, &from_s1, &u, &retry), VD_ERR_AUTH);
	CHECK_EQ_INT(account_login(vd, &a, "bob@example.org", pw2, &from_s1, &u, &retry), VD_OK);
	CHECK_EQ_INT(u.must_change_password, 1);
	arena_release(&a);
	fixture_close(vd, path);
}

/* Guessing is slowed per account and source, per source, and per account;
 * the owner on another machine, or with a device cookie, still gets in. */
static void login_throttles_without_locking_out(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	CHECK(add_account(vd, "carl@example.org", ROLE_READER, 0, pw) > 0);
	struct arena a;
	arena_init(&a, 0);
	struct account u;
	int64_t retry = 0;
	/* a stopped clock: a wait of a second must not run out between two tries */
	int64_t t0 = clock_now();
	clock_freeze(t0);
	for (int i = 0; i < 5; i++)
		CHECK_EQ_INT(login(vd, &a, "carl@example.org", "nope", "s1", NULL, &u, &retry), VD_ERR_AUTH);
	/* from the guessing machine: throttled, even with the right password */
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s1", NULL, &u, &retry), VD_ERR_THROTTLED);
	CHECK(retry >= 1 && retry <= 300);
	/* the owner elsewhere is not locked out */
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s2", NULL, &u, &retry), VD_OK);
	/* an unknown address throttles the same way: no hint that it does not exist */
	for (int i = 0; i < 5; i++)
		CHECK_EQ_INT(login(vd, &a, "ghost@example.org", "nope", "s3", NULL, &u, &retry), VD_ERR_AUTH);
	CHECK_EQ_INT(login(vd, &a, "ghost@example.org", "nope", "s3", NULL, &u, &retry), VD_ERR_THROTTLED);
	/* after the wait the guessing machine may try again */
	clock_freeze(t0 + 2);
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s1", NULL, &u, &retry), VD_OK);
	/* one source failing on many accounts is paused */
	char email[64];
	for (int i = 0; i < 20; i++) {
		snprintf(email, sizeof email, "try%d@example.org", i);
		login(vd, &a, email, "x", "evil", NULL, &u, &retry);
	}
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "evil", NULL, &u, &retry), VD_ERR_THROTTLED);
	CHECK(retry > 0 && retry <= 600);
	/* guesses at one account spread over 30 sources slow that account down... */
	char src[16];
	for (int i = 0; i < 30; i++) {
		snprintf(src, sizeof src, "bot%d", i);
		CHECK_EQ_INT(login(vd, &a, "carl@example.org", "nope", src, NULL, &u, &retry), VD_ERR_AUTH);
	}
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s9", NULL, &u, &retry), VD_ERR_THROTTLED);
	/* ...but not for a browser with the account's device cookie */
	char device[DEVICE_TOKEN_CHARS + 1], other[DEVICE_TOKEN_CHARS + 1];
	account_device_token(vd, "Carl@Example.org", device);
	account_device_token(vd, "someone@example.org", other);
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s9", other, &u, &retry), VD_ERR_THROTTLED);
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s9", "forged", &u, &retry), VD_ERR_THROTTLED);
	CHECK_EQ_INT(login(vd, &a, "carl@example.org", pw, "s9", device, &u, &retry), VD_OK);
	/* the current password cannot be guessed through the change form either */
	struct principal me = actor(u.id, ROLE_READER);
	enum account_field bad;
	for (int i = 0; i < 5; i++)
		CHECK_EQ_INT(change(vd, &me, "guess", "a long enough passphrase", NULL, false, &bad, NULL), VD_ERR_AUTH);
	CHECK_EQ_INT(change(vd, &me, pw, "a long enough passphrase", NULL, false, &bad, NULL),
		     VD_ERR_THROTTLED);
	clock_freeze(0);
	arena_release(&a);
	fixture_close(vd, path);
}

static void sessions_expire_and_csrf_binds(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int64_t id = add_account(vd, "dora@example.org", ROLE_ADMIN, 0, pw);
	CHECK(id > 0);
	struct arena a;
	arena_init(&a, 0);
	char tok[SESSION_TOKEN_CHARS + 1], tok2[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(session_start(vd, id, NULL, false, tok), VD_OK);
	CHECK_EQ_INT(session_start(vd, id, NULL, false, tok2), VD_OK);
	CHECK(strcmp(tok, tok2) != 0);
	const struct principal *si;
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK);
	CHECK_EQ_INT(principal_account(si)->id, id);
	CHECK_EQ_INT(principal_account(si)->role, ROLE_ADMIN);
	CHECK_STR(principal_account(si)->email, "dora@example.org");
	CHECK_EQ_INT(session_check(vd, &a, "garbage", &si), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(session_check(vd, &a, NULL, &si), VD_ERR_NOTFOUND);
	char forged[SESSION_TOKEN_CHARS + 1];
	memcpy(forged, tok, sizeof forged);
	forged[0] = forged[0] == 'A' ? 'B' : 'A';
	CHECK_EQ_INT(session_check(vd, &a, forged, &si), VD_ERR_NOTFOUND);
	/* CSRF tokens are bound to the cookie value, and are a MAC of that purpose only */
	char c1[APP_TOKEN_CHARS + 1];
	app_csrf_token(vd, tok, c1);
	CHECK(app_csrf_valid(vd, tok, c1));
	CHECK(!app_csrf_valid(vd, tok2, c1));
	CHECK(!app_csrf_valid(vd, tok, "short"));
	CHECK(!app_csrf_valid(vd, NULL, c1));
	CHECK(!app_csrf_valid(vd, tok, NULL));
	unsigned char mac[CRYPTO_MAC_LEN], raw[CRYPTO_MAC_LEN];
	crypto_mac(vd->secret, "csrf", tok, strlen(tok), mac);
	CHECK_EQ_INT(text_b64url_decode(c1, raw, sizeof raw), VD_OK);
	CHECK(memcmp(mac, raw, sizeof mac) == 0);
	/* no cookie value gives a key the core keeps for itself (the outbox's) */
	unsigned char outbox[CRYPTO_KEY_LEN];
	crypto_mac(vd->secret, "outbox-key", "", 0, outbox);
	app_csrf_token(vd, "", c1);
	CHECK_EQ_INT(text_b64url_decode(c1, raw, sizeof raw), VD_OK);
	CHECK(memcmp(outbox, raw, sizeof raw) != 0);
	/* idle for longer than session_idle_seconds (60 in the fixture) */
	clock_set_offset(61);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_ERR_NOTFOUND);
	clock_set_offset(0);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_ERR_NOTFOUND); /* deleted, not just hidden */
	session_end(vd, tok2);
	CHECK_EQ_INT(session_check(vd, &a, tok2, &si), VD_ERR_NOTFOUND);
	/* deactivating the account ends its sessions */
	CHECK_EQ_INT(session_start(vd, id, NULL, false, tok), VD_OK);
	int64_t uid2 = add_account(vd, "eve@example.org", ROLE_ADMIN, 0, pw);
	struct account_input in = { .name = "Dora", .email = "dora@example.org", .role = ROLE_ADMIN, .active = 0 };
	struct principal other_admin = actor(uid2, ROLE_ADMIN);
	enum account_field bad;
	CHECK_EQ_INT(account_update(vd, &other_admin, id, &in, &bad), VD_OK);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_ERR_NOTFOUND);
	/* an administrator cannot deactivate or demote themself */
	struct principal self = actor(uid2, ROLE_ADMIN);
	in.email = "eve@example.org";
	in.active = 1;
	in.role = ROLE_READER;
	CHECK_EQ_INT(account_update(vd, &self, uid2, &in, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, AF_SELF);
	arena_release(&a);
	fixture_close(vd, path);
}

/* A session checked in the last second is answered from memory: a change
 * through this process (a role, a logout) acts at once; a row deleted by
 * another process (the command line) answers for SESSION_CACHE_MS at most. */
static void a_remembered_session_lasts_a_second_at_most(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int64_t id = add_account(vd, "fenna@example.org", ROLE_ADMIN, 0, pw);
	int64_t other = add_account(vd, "gijs@example.org", ROLE_ADMIN, 0, pw);
	CHECK(id > 0 && other > 0);
	struct arena a;
	arena_init(&a, 0);
	char tok[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(session_start(vd, id, NULL, false, tok), VD_OK);
	const struct principal *si;
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK); /* the remembered one */
	CHECK_STR(principal_account(si)->email, "fenna@example.org");
	CHECK_EQ_INT(principal_account(si)->role, ROLE_ADMIN);
	/* a role changed here is the next answer's */
	struct account_input in = { .name = "Fenna", .email = "fenna@example.org", .role = ROLE_READER, .active = 1 };
	struct principal admin = actor(other, ROLE_ADMIN);
	enum account_field bad;
	CHECK_EQ_INT(account_update(vd, &admin, id, &in, &bad), VD_OK);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK);
	CHECK_EQ_INT(principal_account(si)->role, ROLE_READER);
	CHECK_STR(principal_account(si)->name, "Fenna");
	/* another process deletes every session: the bound, then gone */
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK);
	CHECK(fixture_sql(path, "DELETE FROM sessions"));
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK);
	usleep((SESSION_CACHE_MS + 100) * 1000);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_ERR_NOTFOUND);
	/* a logout here acts at once */
	CHECK_EQ_INT(session_start(vd, id, NULL, false, tok), VD_OK);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_OK);
	session_end(vd, tok);
	CHECK_EQ_INT(session_check(vd, &a, tok, &si), VD_ERR_NOTFOUND);
	arena_release(&a);
	fixture_close(vd, path);
}

static void directory_follows_unit_tree(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), p1 = add_unit(vd, "P1", root), p2 = add_unit(vd, "P2", root);
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int64_t national = add_account(vd, "n@example.org", ROLE_COUNSELLOR, root, pw);
	int64_t local1 = add_account(vd, "l1@example.org", ROLE_COUNSELLOR, p1, pw);
	int64_t notc = add_account(vd, "x@example.org", ROLE_COMMITTEE, p1, pw);
	CHECK(national && local1 && notc);
	struct arena a;
	arena_init(&a, 0);
	struct counsellor_list l;
	CHECK_EQ_INT(directory_list(vd, &a, p2, &l), VD_OK);
	CHECK_EQ_INT(l.n, 1); /* only the national one serves P2 */
	CHECK_EQ_INT(l.items[0].user_id, national);
	CHECK_EQ_INT(directory_list(vd, &a, p1, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_INT(directory_list(vd, &a, 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 2);
	struct counsellor c;
	CHECK_EQ_INT(directory_get(vd, &a, notc, &c), VD_ERR_NOTFOUND);
	/* profiles: the counsellor themself or an administrator */
	struct profile p = { .user_id = local1, .external = 1, .region = "Utrecht", .phone = "030 000 0000",
			     .public_email = "l1@example.org", .languages = "Nederlands", .intro = "Hallo" };
	enum profile_field bad;
	struct principal self = actor(local1, ROLE_COUNSELLOR), other = actor(national, ROLE_COUNSELLOR);
	CHECK_EQ_INT(profile_save(vd, &other, &p, &bad), VD_ERR_DENIED);
	CHECK_EQ_INT(profile_save(vd, &self, &p, &bad), VD_OK);
	p.public_email = "nope";
	CHECK_EQ_INT(profile_save(vd, &self, &p, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, PF_EMAIL);
	CHECK_EQ_INT(directory_get(vd, &a, local1, &c), VD_OK);
	CHECK_STR(c.profile.region, "Utrecht");
	CHECK_EQ_INT(c.profile.external, 1);
	arena_release(&a);
	fixture_close(vd, path);
}

static void documents_keep_every_version(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	struct arena a;
	arena_init(&a, 0);
	int64_t today = date_of(clock_now()), root, prov, town, id = 0;
	CHECK_EQ_INT(unit_add(vd, &principal_system, "Landelijk", "national", 0, &root), VD_OK);
	CHECK_EQ_INT(unit_add(vd, &principal_system, "Provincie", "province", root, &prov), VD_OK);
	CHECK_EQ_INT(unit_add(vd, &principal_system, "Afdeling", "other", prov, &town), VD_OK);
	struct document first, d;
	CHECK_EQ_INT(document_current(vd, &a, DOC_CODE_OF_CONDUCT, 0, "nl", &first), VD_OK);
	int64_t g0 = app_content_generation(vd);

	/* refused: not the administrator, and each bad field by name */
	struct document_adoption in = { .kind = DOC_CODE_OF_CONDUCT, .body_nl = "# Nieuw", .body_en = "",
					.adopted_by = "Partijbestuur", .adopted_on = today };
	enum document_field bad;
	CHECK_EQ_INT(document_adopt(vd, &counsellor_actor, &in, &id, &bad), VD_ERR_DENIED);
	struct {
		struct document_adoption in;
		enum document_field field;
	} refused[] = {
		{ { DOC_CODE_OF_CONDUCT, 0, "  \n", "", "Bestuur", today }, DF_BODY_NL },
		{ { DOC_CODE_OF_CONDUCT, 0, "bad \xff byte", "", "Bestuur", today }, DF_BODY_NL },
		{ { DOC_CODE_OF_CONDUCT, 0, "ok", "bad \x01", "Bestuur", today }, DF_BODY_EN },
		{ { DOC_CODE_OF_CONDUCT, 0, "ok", "", "", today }, DF_ADOPTER },
		{ { DOC_CODE_OF_CONDUCT, 0, "ok", "", "Twee\nregels", today }, DF_ADOPTER },
		{ { DOC_CODE_OF_CONDUCT, 0, "ok", "", "Bestuur", today + 1 }, DF_DAY },
		{ { DOC_CODE_OF_CONDUCT, 0, "ok", "", "Bestuur", 0 }, DF_DAY },
		{ { DOC_CODE_OF_CONDUCT, 4242, "ok", "", "Bestuur", today }, DF_UNIT },
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		bad = DF_NONE;
		CHECK_EQ_INT(document_adopt(vd, &principal_system, &refused[i].in, &id, &bad), VD_ERR_INVALID);
		CHECK_EQ_INT(bad, refused[i].field);
	}
	char *big = malloc(DOCUMENT_MAX_BYTES + 2);
	CHECK(big != NULL);
	memset(big, 'a', DOCUMENT_MAX_BYTES + 1);
	big[DOCUMENT_MAX_BYTES + 1] = '\0';
	struct document_adoption too_big = in;
	too_big.body_nl = big;
	int rc = document_adopt(vd, &principal_system, &too_big, &id, &bad);
	free(big);
	CHECK_EQ_INT(rc, VD_ERR_TOOBIG);
	CHECK_EQ_INT(bad, DF_BODY_NL);
	CHECK_EQ_INT(app_content_generation(vd), g0); /* refused adoptions change nothing */

	/* a new version is current; the old one stays as it was */
	CHECK_EQ_INT(document_adopt(vd, &principal_system, &in, &id, &bad), VD_OK);
	CHECK(app_content_generation(vd) > g0);
	CHECK_EQ_INT(document_current(vd, &a, DOC_CODE_OF_CONDUCT, 0, "nl", &d), VD_OK);
	CHECK(d.id == id && d.number == 2 && d.current);
	CHECK_STR(d.body, "# Nieuw");
	CHECK_STR(d.adopted_by, "Partijbestuur");
	CHECK_EQ_INT(d.adopted_on, today);
	/* not translated: the English page shows the Dutch text, and says so */
	CHECK_EQ_INT(document_current(vd, &a, DOC_CODE_OF_CONDUCT, 0, "en", &d), VD_OK);
	CHECK_STR(d.body, "# Nieuw");
	CHECK(!d.translated);
	struct document old;
	CHECK_EQ_INT(document_version(vd, &a, first.id, "nl", &old), VD_OK);
	CHECK_STR(old.body, first.body);
	CHECK(!old.current && old.number == 1);

	/* a unit's own version applies to it and the units below, not above */
	in.unit_id = prov;
	in.body_nl = "Eigen code";
	int64_t own;
	CHECK_EQ_INT(document_adopt(vd, &principal_system, &in, &own, &bad), VD_OK);
	CHECK_EQ_INT(document_current(vd, &a, DOC_CODE_OF_CONDUCT, town, "nl", &d), VD_OK);
	CHECK(d.id == own && d.unit_id == prov && d.number == 1);
	CHECK_EQ_INT(document_current(vd, &a, DOC_CODE_OF_CONDUCT, root, "nl", &d), VD_OK);
	CHECK_EQ_INT(d.id, id);

	struct document_list h;
	CHECK_EQ_INT(document_history(vd, &a, DOC_CODE_OF_CONDUCT, &h), VD_OK);
	CHECK_EQ_INT(h.n, 3);
	CHECK(h.items[0].id == id && h.items[0].current);
	CHECK(h.items[1].id == first.id && !h.items[1].current);
	CHECK(h.items[2].id == own && h.items[2].current);
	CHECK_EQ_INT(document_version(vd, &a, own + 100, "nl", &d), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(document_version(vd, &a, own, "de", &d), VD_ERR_INVALID);
	arena_release(&a);
	fixture_close(vd, path);
}

static void receipt_codes_roundtrip_and_catch_typos(void)
{
	struct receipt r, back;
	char text[RECEIPT_TEXT_LEN + 1];
	receipt_new(&r, text);
	CHECK_EQ_INT(strlen(text), RECEIPT_TEXT_LEN);
	CHECK(text[4] == '-' && text[24] == '-');
	CHECK_EQ_INT(receipt_parse(text, &back), VD_OK);
	CHECK_STR(back.locator, r.locator);
	CHECK_STR(back.secret, r.secret);
	/* read back forgivingly: lower case, spaces, no hyphens */
	char loose[64];
	size_t o = 0;
	for (const char *p = text; *p; p++)
		if (*p != '-')
			loose[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	loose[o] = '\0';
	CHECK_EQ_INT(receipt_parse(loose, &back), VD_OK);
	CHECK_STR(back.secret, r.secret);
	/* every single mistyped character is caught as a typo */
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	for (size_t i = 0; i < RECEIPT_TEXT_LEN; i++) {
		if (text[i] == '-')
			continue;
		for (int k = 0; k < 32; k++) {
			if (alphabet[k] == text[i])
				continue;
			char t[RECEIPT_TEXT_LEN + 1];
			memcpy(t, text, sizeof t);
			t[i] = alphabet[k];
			CHECK_EQ_INT(receipt_parse(t, &back), VD_ERR_AUTH);
		}
	}
	/* and swaps of neighbours, all but a few (Luhn's known blind spots, then the hash) */
	int missed = 0, swaps = 0;
	for (int n = 0; n < 200; n++) {
		receipt_new(&r, text);
		for (size_t i = 0; i + 1 < RECEIPT_TEXT_LEN; i++) {
			if (text[i] == '-' || text[i + 1] == '-' || text[i] == text[i + 1])
				continue;
			char t[RECEIPT_TEXT_LEN + 1];
			memcpy(t, text, sizeof t);
			t[i] = text[i + 1];
			t[i + 1] = text[i];
			swaps++;
			missed += receipt_parse(t, &back) == VD_OK;
		}
	}
	CHECK(swaps > 3000);
	CHECK(missed * 1000 < swaps); /* fewer than 1 in 1000 */
	const char *bad[] = { "", "ABC", "7KQ2-M9XA-3FHD-PQ8R-TV2N-W6Y", "7KQ2-M9XA-3FHD-PQ8R-TV2N-W6YC-1",
			      "7KQ2-M9XA-3FHD-PQ8R-TV2N-W6Y!", "7KQ2-M9XA-3FHD-PQ8R-TV2N-W6YU" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ_INT(receipt_parse(bad[i], &back), VD_ERR_INVALID);
}

/* The secret key held by the session with cookie value token. */
static int session_key(struct vd *vd, const char *token, unsigned char sk[CRYPTO_SK_LEN])
{
	struct arena a;
	arena_init(&a, 0);
	const struct principal *p;
	int rc = session_check(vd, &a, token, &p);
	if (rc == VD_OK)
		rc = principal_secret_key(p, sk);
	arena_release(&a);
	return rc;
}

/* The first own password makes the key pair; a change re-wraps it; after a
 * reset only the recovery key (or giving it up) gets past; sessions carry the
 * secret key so that only the cookie opens it. */
static void key_pair_follows_the_password(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int64_t id = add_account(vd, "fem@example.org", ROLE_COUNSELLOR, 0, pw);
	CHECK(id > 0);
	CHECK(!userkeys_exist(vd, id));
	struct principal me = actor(id, ROLE_COUNSELLOR);
	enum account_field bad;
	struct password_changed done;
	const char *p1 = "first own password", *p2 = "second own password", *p3 = "third own password";
	CHECK_EQ_INT(change(vd, &me, pw, p1, NULL, false, &bad, &done), VD_OK);
	CHECK(done.made_keys && done.signed_in); /* the new session gets the new key at once */
	unsigned char dsk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(strlen(done.recovery), RECOVERY_TEXT_LEN);
	char recovery[RECOVERY_TEXT_LEN + 1];
	memcpy(recovery, done.recovery, sizeof recovery);
	struct user_key_rec k1, k2;
	CHECK_EQ_INT(vd->store->ops->user_key_get(vd->store, id, &k1), VD_OK);
	unsigned char sk1[CRYPTO_SK_LEN], sk2[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, id, p1, sk1), VD_OK);
	CHECK_EQ_INT(session_key(vd, done.token, dsk), VD_OK);
	CHECK(memcmp(sk1, dsk, sizeof sk1) == 0);
	CHECK_EQ_INT(open_key(vd, id, "wrong", sk2), VD_ERR_NOTFOUND);
	/* the pair works: what is sealed to the public key opens with the secret key */
	unsigned char msg[32] = "case key", sealed[32 + CRYPTO_SEAL_OVERHEAD], got[32];
	crypto_seal(k1.public_key, msg, sizeof msg, sealed);
	CHECK_EQ_INT(crypto_unseal(k1.public_key, sk1, sealed, sizeof sealed, got), VD_OK);
	/* a change re-wraps the same pair */
	CHECK_EQ_INT(change(vd, &me, p1, p2, NULL, false, &bad, &done), VD_OK);
	CHECK(!done.made_keys && done.signed_in);
	CHECK_EQ_INT(session_key(vd, done.token, dsk), VD_OK);
	CHECK(memcmp(dsk, sk1, sizeof sk1) == 0);
	CHECK_EQ_INT(vd->store->ops->user_key_get(vd->store, id, &k2), VD_OK);
	CHECK(memcmp(k1.public_key, k2.public_key, CRYPTO_PK_LEN) == 0);
	CHECK_EQ_INT(open_key(vd, id, p1, sk2), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(open_key(vd, id, p2, sk2), VD_OK);
	/* after a reset the activation password does not open the pair */
	char act[ACTIVATION_PASSWORD_LEN + 1];
	CHECK_EQ_INT(account_reset_password(vd, &principal_system, id, act), VD_OK);
	CHECK_EQ_INT(open_key(vd, id, act, sk2), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(change(vd, &me, act, p3, NULL, false, &bad, &done), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, AF_RECOVERY);
	CHECK_EQ_INT(change(vd, &me, act, p3, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", false, &bad, &done), VD_ERR_AUTH);
	CHECK_EQ_INT(bad, AF_RECOVERY);
	/* the recovery key keeps the same pair (typed loosely) */
	char loose[RECOVERY_TEXT_LEN + 1];
	for (size_t i = 0; i <= RECOVERY_TEXT_LEN; i++)
		loose[i] = (char)(recovery[i] >= 'A' && recovery[i] <= 'Z' ? recovery[i] + 32 : recovery[i]);
	CHECK_EQ_INT(change(vd, &me, act, p3, loose, false, &bad, &done), VD_OK);
	CHECK(!done.made_keys && done.signed_in);
	CHECK_EQ_INT(session_key(vd, done.token, dsk), VD_OK);
	CHECK(memcmp(dsk, sk1, sizeof sk1) == 0);
	CHECK_EQ_INT(open_key(vd, id, p3, sk2), VD_OK);
	CHECK(memcmp(sk2, sk1, sizeof sk1) == 0);
	/* without it, giving up the old pair makes a new one */
	CHECK_EQ_INT(account_reset_password(vd, &principal_system, id, act), VD_OK);
	CHECK_EQ_INT(change(vd, &me, act, p1, NULL, true, &bad, &done), VD_OK);
	CHECK(done.made_keys && done.signed_in);
	CHECK_EQ_INT(vd->store->ops->user_key_get(vd->store, id, &k2), VD_OK);
	CHECK(memcmp(k1.public_key, k2.public_key, CRYPTO_PK_LEN) != 0);
	CHECK_EQ_INT(open_key(vd, id, p1, sk2), VD_OK);
	CHECK_EQ_INT(crypto_unseal(k1.public_key, sk2, sealed, sizeof sealed, got), VD_ERR_AUTH);
	/* a session keeps the secret key for its cookie only */
	char tok[SESSION_TOKEN_CHARS + 1], other[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(session_start(vd, id, sk2, false, tok), VD_OK);
	CHECK_EQ_INT(session_start(vd, id, NULL, false, other), VD_OK);
	unsigned char from_session[CRYPTO_SK_LEN];
	CHECK_EQ_INT(session_key(vd, tok, from_session), VD_OK);
	CHECK(memcmp(from_session, sk2, sizeof sk2) == 0);
	CHECK_EQ_INT(session_key(vd, other, from_session), VD_ERR_NOKEY);
	CHECK_EQ_INT(session_key(vd, "nonsense", from_session), VD_ERR_NOTFOUND);
	/* no key material in the clear in the database file */
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", path);
	FILE *f = fopen(db, "rb");
	CHECK(f != NULL);
	static unsigned char file[4 * 1024 * 1024];
	size_t n = fread(file, 1, sizeof file, f);
	fclose(f);
	CHECK(memmem(file, n, sk1, sizeof sk1) == NULL && memmem(file, n, sk2, sizeof sk2) == NULL);
	crypto_wipe(sk1, sizeof sk1);
	crypto_wipe(sk2, sizeof sk2);
	crypto_wipe(dsk, sizeof dsk);
	crypto_wipe(&done, sizeof done);
	fixture_close(vd, path);
}

/* Gives a counsellor a key pair, as their first own password does. */
static int counsellor_with_keys(struct vd *vd, const char *email, int64_t unit, const char *password,
				int64_t *id)
{
	char act[ACTIVATION_PASSWORD_LEN + 1];
	*id = add_account(vd, email, ROLE_COUNSELLOR, unit, act);
	if (!*id)
		return VD_ERR_STORE;
	struct principal me = actor(*id, ROLE_COUNSELLOR);
	enum account_field bad;
	struct password_changed done;
	int rc = change(vd, &me, act, password, NULL, false, &bad, &done);
	crypto_wipe(&done, sizeof done);
	return rc;
}

static void report_is_encrypted_and_reaches_its_readers(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), p1 = add_unit(vd, "P1", root);
	int64_t c_nat, c_p1, c_nokeys;
	CHECK_EQ_INT(counsellor_with_keys(vd, "nat@example.org", root, "password of nat", &c_nat), VD_OK);
	CHECK_EQ_INT(counsellor_with_keys(vd, "p1@example.org", p1, "password of p1", &c_p1), VD_OK);
	char act[ACTIVATION_PASSWORD_LEN + 1];
	c_nokeys = add_account(vd, "new@example.org", ROLE_COUNSELLOR, p1, act);
	struct report_input in = {
		.unit_id = p1, .counsellor_id = c_p1, .named = true, .name = "MARKER-NAME-7Q",
		.email = "marker-mail-7q@example.org", .phone = "MARKER-PHONE-7Q", .contact_pref = "MARKER-PREF-7Q",
		.account = "MARKER-ACCOUNT-7Q wat er gebeurde", .when = "MARKER-WHEN-7Q", .hopes = "MARKER-HOPES-7Q",
		.location = "meeting", .relation = "manager", .reporter_type = "volunteer",
		.behaviours = 1 << BEH_BULLYING | 1 << BEH_EXCLUSION, .channel = "web",
	};
	int64_t id = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	CHECK(id > 0 && strlen(code) == RECEIPT_TEXT_LEN);
	/* the chosen counsellor reads it */
	struct arena a;
	arena_init(&a, 0);
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c_p1, "password of p1", sk), VD_OK);
	struct principal reader = actor(c_p1, ROLE_COUNSELLOR);
	struct case_view v;
	CHECK_EQ_INT(case_open(vd, as(&reader, sk), &a, id, &v), VD_OK);
	CHECK_STR(v.text.account, "MARKER-ACCOUNT-7Q wat er gebeurde");
	CHECK_STR(v.text.name, "MARKER-NAME-7Q");
	CHECK_STR(v.text.hopes, "MARKER-HOPES-7Q");
	CHECK_EQ_INT(v.text.behaviours, in.behaviours);
	struct case_list list;
	bool more = true;
	struct case_cursor next;
	CHECK_EQ_INT(case_list_page(vd, &reader, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK(!more && list.n == 1 && list.items[0].id == id && list.items[0].unopened == 0);
	/* nobody else: another counsellor, the administrator, a stranger's key */
	struct principal other = actor(c_nat, ROLE_COUNSELLOR);
	unsigned char sk_nat[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c_nat, "password of nat", sk_nat), VD_OK);
	CHECK_EQ_INT(case_open(vd, as(&other, sk_nat), &a, id, &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_open(vd, as(&principal_system, sk), &a, id, &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_open(vd, as(&reader, sk_nat), &a, id, &v), VD_ERR_AUTH);
	CHECK_EQ_INT(case_list_page(vd, &other, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK_EQ_INT(list.n, 0);
	/* "any counsellor of the unit": every one of them with keys reads it */
	in.counsellor_id = 0;
	int64_t id2;
	CHECK_EQ_INT(report_submit(vd, &in, &id2, code, &errs), VD_OK);
	CHECK_EQ_INT(case_open(vd, as(&other, sk_nat), &a, id2, &v), VD_OK);
	/* read marks are per reader: the colleague's reading leaves it new for me */
	CHECK_EQ_INT(case_list_page(vd, &reader, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK(list.n == 2 && list.items[0].id == id2 && list.items[0].unopened == 1);
	CHECK_EQ_INT(case_open(vd, as(&reader, sk), &a, id2, &v), VD_OK);
	CHECK_EQ_INT(case_list_page(vd, &reader, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK(list.n == 2 && list.items[0].unopened == 0 && list.items[1].unopened == 0);
	struct principal nokeys = actor(c_nokeys, ROLE_COUNSELLOR);
	CHECK_EQ_INT(case_open(vd, as(&nokeys, sk), &a, id2, &v), VD_ERR_NOTFOUND);
	/* none of what the reporter wrote, nor the code, is in the data directory */
	app_close(vd);
	const char *markers[] = { "MARKER-NAME-7Q", "marker-mail-7q", "MARKER-PHONE-7Q", "MARKER-PREF-7Q",
				  "MARKER-ACCOUNT-7Q", "MARKER-WHEN-7Q", "MARKER-HOPES-7Q", code };
	const char *files[] = { "vertrouwd.db", "vertrouwd.db-wal", "vertrouwd.conf", "secret.key" };
	for (size_t f = 0; f < 4; f++) {
		char p[200];
		snprintf(p, sizeof p, "%s/%s", path, files[f]);
		for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++)
			CHECK(!file_has(p, markers[m]));
	}
	char err[200];
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_nat, sizeof sk_nat);
	arena_release(&a);
	fixture_close(vd, path);
}

/* The reporter opens their own report with the code; typos are told as
 * typos, unknown and wrong codes look the same, and guessing is throttled. */
static void receipt_code_opens_own_report(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), c;
	CHECK_EQ_INT(counsellor_with_keys(vd, "c@example.org", root, "password of c", &c), VD_OK);
	struct report_input in = {
		.unit_id = root, .account = "Mijn eigen verhaal", .location = "online", .relation = "colleague",
		.reporter_type = "member", .behaviours = 1 << BEH_THREATS, .channel = "web", .hopes = "Rust",
	};
	int64_t id, id2;
	char code[RECEIPT_TEXT_LEN + 1], code2[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	in.account = "Iemand anders";
	CHECK_EQ_INT(report_submit(vd, &in, &id2, code2, &errs), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct case_view v;
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(report_view(vd, &a, code, "s1", 2, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	CHECK_EQ_INT(v.id, id);
	CHECK_STR(v.text.account, "Mijn eigen verhaal");
	CHECK_STR(v.text.hopes, "Rust");
	CHECK_EQ_INT(report_view(vd, &a, code2, "s1", 2, &v, &res, &retry), VD_OK);
	CHECK(res == CODE_OK && v.id == id2);
	/* a typo: one character changed */
	char typo[RECEIPT_TEXT_LEN + 1];
	memcpy(typo, code, sizeof typo);
	typo[10] = typo[10] == 'A' ? 'B' : 'A';
	CHECK_EQ_INT(report_view(vd, &a, typo, "s1", 2, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_TYPO);
	CHECK_EQ_INT(report_view(vd, &a, "hallo", "s1", 2, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_MALFORMED);
	/* a well-formed code of no case, and one with a known locator but another secret */
	char unknown[RECEIPT_TEXT_LEN + 1];
	struct receipt r;
	receipt_new(&r, unknown);
	CHECK_EQ_INT(report_view(vd, &a, unknown, "s2", 2, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_UNKNOWN);
	CHECK(v.text.account == NULL);
	/* ten wrong codes from one source pause it; others are not affected */
	for (int i = 1; i < 10; i++) {
		receipt_new(&r, unknown);
		CHECK_EQ_INT(report_view(vd, &a, unknown, "s2", 2, &v, &res, &retry), VD_OK);
		CHECK_EQ_INT(res, CODE_UNKNOWN);
	}
	CHECK_EQ_INT(report_view(vd, &a, code, "s2", 2, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_THROTTLED);
	CHECK(retry > 0 && retry <= 600);
	CHECK_EQ_INT(report_view(vd, &a, code, "s3", 2, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	arena_release(&a);
	fixture_close(vd, path);
}

/* Opens the case with code; the result. */
static enum code_result open_with(struct vd *vd, const char *code, int64_t *id)
{
	struct arena a;
	arena_init(&a, 0);
	struct case_view v = { 0 };
	enum code_result res = CODE_UNKNOWN;
	int64_t retry;
	if (report_view(vd, &a, code, "s-cost", 6, &v, &res, &retry) != VD_OK)
		res = CODE_UNKNOWN;
	*id = res == CODE_OK ? v.id : 0;
	arena_release(&a);
	return res;
}

/* A code is hashed at receipt_ops/receipt_mem_kib and keeps that cost: a
 * later change of the setting locks nobody out, and a code from before the
 * codes had a cost of their own (schema 23) opens with the password cost. */
static void a_code_keeps_the_cost_it_was_made_with(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), c;
	CHECK_EQ_INT(counsellor_with_keys(vd, "c@example.org", root, "password of c", &c), VD_OK);
	struct report_input in = {
		.unit_id = root, .account = "Een verhaal", .location = "online", .relation = "colleague",
		.reporter_type = "member", .behaviours = 1 << BEH_THREATS, .channel = "web",
	};
	struct report_errors errs;
	char code[RECEIPT_TEXT_LEN + 1], code2[RECEIPT_TEXT_LEN + 1];
	int64_t id, id2, seen;
	/* the default: 2 passes over 8 MiB, kept beside the code */
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	CHECK_EQ_INT(vd->store->ops->case_get(vd->store, &a, id, &rec), VD_OK);
	CHECK(rec.receipt_ops == 2 && rec.receipt_mem_kib == 8192);
	arena_release(&a);
	/* another cost from now on: the older code still opens, a new one gets it */
	app_close(vd);
	CHECK(fixture_append(path, "vertrouwd.conf", "receipt_ops = 3\nreceipt_mem_kib = 9000\n"));
	char err[200];
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(open_with(vd, code, &seen), CODE_OK);
	CHECK_EQ_INT(seen, id);
	CHECK_EQ_INT(report_submit(vd, &in, &id2, code2, &errs), VD_OK);
	arena_init(&a, 0);
	CHECK_EQ_INT(vd->store->ops->case_get(vd->store, &a, id2, &rec), VD_OK);
	CHECK(rec.receipt_ops == 3 && rec.receipt_mem_kib == 9000);
	arena_release(&a);
	CHECK_EQ_INT(open_with(vd, code2, &seen), CODE_OK);
	CHECK_EQ_INT(seen, id2);
	/* the cost is what opens it: a record claiming another cost stays shut */
	app_close(vd);
	CHECK(fixture_sql(path, "UPDATE cases SET receipt_ops = 1 WHERE receipt_ops = 2"));
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(open_with(vd, code, &seen), CODE_UNKNOWN);
	/* a code from before schema 23 (no cost of its own) was hashed at the
	 * password cost; the fixture's is 1 pass over 8 MiB */
	app_close(vd);
	CHECK(fixture_sql(path, "UPDATE cases SET receipt_ops = 0, receipt_mem_kib = 0 WHERE receipt_ops = 1"));
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(open_with(vd, code, &seen), CODE_UNKNOWN); /* it was made at 2 passes, not the password's 1 */
	app_close(vd);
	CHECK(fixture_append(path, "vertrouwd.conf", "password_ops = 2\n"));
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(open_with(vd, code, &seen), CODE_OK);
	CHECK_EQ_INT(seen, id);
	fixture_close(vd, path);
}

/* A code from before schema 23 was hashed at the password cost of the time:
 * the update writes that cost beside it, so a later password_ops does not
 * lock its reporter out; a damaged cost opens nothing (and sets no memory). */
static void codes_from_before_keep_the_password_cost(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	app_close(vd);
	/* as before schema 23: a code at the password cost (the fixture's 1 pass) */
	CHECK(fixture_append(path, "vertrouwd.conf", "receipt_ops = 1\n"));
	char err[200];
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), c;
	CHECK_EQ_INT(counsellor_with_keys(vd, "c@example.org", root, "password of c", &c), VD_OK);
	struct report_input in = {
		.unit_id = root, .account = "Van vroeger", .location = "online", .relation = "colleague",
		.reporter_type = "member", .behaviours = 1 << BEH_THREATS, .channel = "web",
	};
	struct report_errors errs;
	char code[RECEIPT_TEXT_LEN + 1];
	int64_t id, seen;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	app_close(vd);
	static const char *const as_22 =
		"ALTER TABLE cases DROP COLUMN receipt_ops; ALTER TABLE cases DROP COLUMN receipt_mem_kib;"
		"ALTER TABLE wb_reports DROP COLUMN receipt_ops; ALTER TABLE wb_reports DROP COLUMN receipt_mem_kib;"
		"ALTER TABLE complaint_parties DROP COLUMN receipt_ops;"
		"ALTER TABLE complaint_parties DROP COLUMN receipt_mem_kib; DROP TABLE throttles; PRAGMA user_version=22";
	CHECK(fixture_sql(path, as_22));
	/* the update, then other costs for passwords and codes */
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	CHECK_EQ_INT(vd->store->ops->case_get(vd->store, &a, id, &rec), VD_OK);
	CHECK(rec.receipt_ops == 1 && rec.receipt_mem_kib == 8192);
	arena_release(&a);
	app_close(vd);
	CHECK(fixture_append(path, "vertrouwd.conf", "password_ops = 3\nreceipt_ops = 2\n"));
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(open_with(vd, code, &seen), CODE_OK);
	CHECK_EQ_INT(seen, id);
	/* a cost beyond what the configuration accepts: not used, not opened */
	app_close(vd);
	CHECK(fixture_sql(path, "UPDATE cases SET receipt_mem_kib = 99999999"));
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(open_with(vd, code, &seen), CODE_UNKNOWN);
	fixture_close(vd, path);
}

/* Counsellor and reporter write to each other; internal notes stay with the
 * counsellor; nobody else can post; nothing is readable in the database. */
static void conversation_between_reporter_and_counsellor(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), c, other;
	CHECK_EQ_INT(counsellor_with_keys(vd, "c@example.org", root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(counsellor_with_keys(vd, "o@example.org", root, "password of o", &other), VD_OK);
	struct report_input in = {
		.unit_id = root, .counsellor_id = c, .account = "Het begin", .location = "online",
		.relation = "colleague", .reporter_type = "member", .behaviours = 1, .channel = "web",
	};
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN], sk_o[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	CHECK_EQ_INT(open_key(vd, other, "password of o", sk_o), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(other, ROLE_COUNSELLOR);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "counsellor", "MSG-COUNSELLOR-9Z: dank voor je melding", NULL, 0), VD_OK);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "note", "MSG-NOTE-9Z: eerst collega raadplegen", NULL, 0), VD_OK);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "counsellor", "   ", NULL, 0), VD_ERR_INVALID);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "reporter", "pretend", NULL, 0), VD_ERR_INVALID);
	CHECK_EQ_INT(case_post(vd, as(&them, sk_o), id, "counsellor", "not mine", NULL, 0), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_post(vd, as(&principal_system, sk), id, "note", "admin", NULL, 0), VD_ERR_NOTFOUND);
	struct arena a;
	arena_init(&a, 0);
	struct case_view v;
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(report_view(vd, &a, code, "s", 1, &v, &res, &retry), VD_OK);
	CHECK(res == CODE_OK && v.nmessages == 1);
	CHECK_STR(v.messages[0].kind, "counsellor");
	CHECK(strstr(v.messages[0].text, "MSG-COUNSELLOR-9Z") != NULL);
	CHECK_EQ_INT(report_reply(vd, &a, code, "s", 1, "MSG-REPORTER-9Z: graag een gesprek", NULL, 0, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	/* a reloaded confirmation page resends the same answer: stored once */
	CHECK_EQ_INT(report_reply(vd, &a, code, "s", 1, "MSG-REPORTER-9Z: graag een gesprek", NULL, 0, &res, &retry), VD_OK);
	CHECK_EQ_INT(report_reply(vd, &a, code, "s", 1, "", NULL, 0, &res, &retry), VD_ERR_INVALID);
	char wrong[RECEIPT_TEXT_LEN + 1];
	struct receipt r;
	receipt_new(&r, wrong);
	CHECK_EQ_INT(report_reply(vd, &a, wrong, "s", 1, "sneaky", NULL, 0, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_UNKNOWN);
	/* the reporter's answer makes the case new again in the counsellor's list */
	struct case_list list;
	bool more;
	struct case_cursor next;
	CHECK_EQ_INT(case_list_page(vd, &me, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK(list.n == 1 && list.items[0].unopened == 1);
	CHECK_EQ_INT(case_open(vd, as(&me, sk), &a, id, &v), VD_OK);
	CHECK_EQ_INT(v.nmessages, 3);
	CHECK_STR(v.messages[0].kind, "counsellor");
	CHECK_STR(v.messages[1].kind, "note");
	CHECK_STR(v.messages[2].kind, "reporter");
	CHECK(strstr(v.messages[2].text, "MSG-REPORTER-9Z") != NULL);
	CHECK_EQ_INT(report_view(vd, &a, code, "s", 1, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(v.nmessages, 2); /* the note stays with the counsellor */
	app_close(vd);
	const char *files[] = { "vertrouwd.db", "vertrouwd.db-wal" };
	for (size_t f = 0; f < 2; f++) {
		char p[200];
		snprintf(p, sizeof p, "%s/%s", path, files[f]);
		CHECK(!file_has(p, "MSG-COUNSELLOR-9Z") && !file_has(p, "MSG-NOTE-9Z") && !file_has(p, "MSG-REPORTER-9Z"));
	}
	char err[200];
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_o, sizeof sk_o);
	arena_release(&a);
	fixture_close(vd, path);
}

static void report_refuses_bad_input_and_stores_nothing(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), p1 = add_unit(vd, "P1", root), p2 = add_unit(vd, "P2", root);
	int64_t c_p1;
	CHECK_EQ_INT(counsellor_with_keys(vd, "p1@example.org", p1, "password of p1", &c_p1), VD_OK);
	struct report_input good = {
		.unit_id = p1, .account = "Iets", .location = "online", .relation = "colleague",
		.reporter_type = "member", .behaviours = 1, .channel = "web",
	};
	struct report_input in;
	struct report_errors errs;
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	in = good; in.account = "";
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_ACCOUNT]);
	in = good; in.behaviours = 0; in.location = "moon"; in.relation = NULL; in.reporter_type = "boss";
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_BEHAVIOURS] && errs.bad[RF_LOCATION] && errs.bad[RF_RELATION] && errs.bad[RF_TYPE]);
	CHECK(!errs.bad[RF_ACCOUNT]);
	in = good; in.named = true; in.name = "Naam";
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_EMAIL] && errs.bad[RF_PHONE]); /* a named reporter leaves a way to reach them */
	in.email = "not-an-address";
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_EMAIL] && !errs.bad[RF_PHONE]);
	in = good; in.account = "bad \xff byte";
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_ACCOUNT]);
	in = good; in.unit_id = 999;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_UNIT]);
	in = good; in.counsellor_id = c_p1; in.unit_id = p2; /* does not serve P2 */
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[RF_COUNSELLOR]);
	in = good; in.unit_id = root; /* nobody with keys serves the national unit */
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_ERR_INVALID);
	CHECK(errs.no_reader);
	struct principal reader = actor(c_p1, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	struct case_list list;
	bool more;
	struct case_cursor next;
	CHECK_EQ_INT(case_list_page(vd, &reader, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK_EQ_INT(list.n, 0);
	CHECK_EQ_INT(report_submit(vd, &good, &id, code, &errs), VD_OK);
	CHECK_EQ_INT(case_list_page(vd, &reader, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK_EQ_INT(list.n, 1);
	CHECK_EQ_INT(case_list_page(vd, &principal_system, &a, NULL, 25, &list, &more, &next), VD_ERR_DENIED);
	/* pages follow each other without gaps or repeats, new ones first */
	for (int i = 0; i < 4; i++)
		CHECK_EQ_INT(report_submit(vd, &good, &id, code, &errs), VD_OK);
	struct principal nat_reader = reader;
	CHECK_EQ_INT(case_list_page(vd, &nat_reader, &a, NULL, 2, &list, &more, &next), VD_OK);
	CHECK(more && list.n == 2);
	int64_t seen[5];
	size_t nseen = 0;
	seen[nseen++] = list.items[0].id;
	seen[nseen++] = list.items[1].id;
	while (more) {
		struct case_cursor after = next;
		CHECK_EQ_INT(case_list_page(vd, &nat_reader, &a, &after, 2, &list, &more, &next), VD_OK);
		for (size_t i = 0; i < list.n && nseen < 5; i++)
			seen[nseen++] = list.items[i].id;
	}
	CHECK_EQ_INT(nseen, 5);
	for (size_t i = 1; i < nseen; i++)
		CHECK(seen[i] < seen[i - 1]); /* newest first, each once */
	arena_release(&a);
	fixture_close(vd, path);
}

/* Receives data as one upload named name (as a browser would send it). */
static struct upload *upload_of(struct vd *vd, const char *name, const void *data, size_t n, int64_t budget)
{
	struct upload *u = NULL;
	if (upload_begin(vd, name, budget, &u) != VD_OK)
		return u;
	/* in uneven pieces, as the network delivers them */
	for (size_t off = 0; off < n;) {
		size_t take = n - off < 7777 ? n - off : 7777;
		upload_write(u, (const char *)data + off, take);
		off += take;
	}
	upload_finish(u);
	return u;
}

static size_t dir_entries(const char *path, const char *sub)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", path, sub);
	DIR *d = opendir(p);
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_type == DT_REG;
	if (d)
		closedir(d);
	return n;
}

/* Reads a whole file back through a reader, and closes it; -1 on a read error. */
static int64_t read_all(struct file_reader *fr, unsigned char *out, size_t max)
{
	int64_t total = 0, n;
	while ((n = file_reader_read(fr, out + total, max - (size_t)total > 5000 ? 5000 : max - (size_t)total)) > 0)
		total += n;
	file_reader_close(fr);
	return n < 0 ? -1 : total;
}

/* Types are checked by name and by content; caps hold; names are cleaned. */
static void uploads_check_type_size_and_name(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	static const char pdf[] = "%PDF-1.7 a small document";
	struct upload *u = upload_of(vd, "C:\\Users\\x\\brief.PDF", pdf, sizeof pdf - 1, FILE_MAX_BYTES);
	CHECK(u->finished && u->error == UP_OK && u->type == FT_PDF && u->size == (int64_t)sizeof pdf - 1);
	CHECK_STR(u->name, "brief.PDF");
	CHECK_EQ_INT((int)dir_entries(path, "files/tmp"), 1);
	upload_discard(vd, u);
	CHECK_EQ_INT((int)dir_entries(path, "files/tmp"), 0); /* a file not attached is removed */
	u = upload_of(vd, "foto.png", pdf, sizeof pdf - 1, FILE_MAX_BYTES); /* a PDF named .png */
	CHECK(!u->finished && u->error == UP_BAD_TYPE);
	upload_discard(vd, u);
	u = upload_of(vd, "virus.exe", "MZ", 2, FILE_MAX_BYTES);
	CHECK(!u->finished && u->error == UP_BAD_TYPE);
	upload_discard(vd, u);
	u = upload_of(vd, "notes.txt", "a\0b", 3, FILE_MAX_BYTES); /* NUL: not text */
	CHECK(!u->finished && u->error == UP_BAD_TYPE);
	upload_discard(vd, u);
	u = upload_of(vd, "leeg.txt", "", 0, FILE_MAX_BYTES);
	CHECK(!u->finished && u->error == UP_EMPTY);
	upload_discard(vd, u);
	u = upload_of(vd, "groot.txt", "0123456789", 10, 9); /* over its budget */
	CHECK(!u->finished && u->error == UP_TOO_BIG);
	upload_discard(vd, u);
	u = upload_of(vd, "x.txt", "0123456789", 10, 0); /* no budget left */
	CHECK(!u->finished && u->error != UP_OK);
	upload_discard(vd, u);
	u = upload_of(vd, "a\x01\"b.txt", "ok", 2, FILE_MAX_BYTES);
	CHECK(u->finished);
	CHECK_STR(u->name, "ab.txt"); /* control characters and quotes go */
	upload_discard(vd, u);
	/* "rapport<RLO>fdp.exe" would read as "rapportexe.pdf": the control goes,
	 * and what is left is an .exe, refused */
	u = upload_of(vd, "rapport\xe2\x80\xae" "fdp.exe", "MZ", 2, FILE_MAX_BYTES);
	CHECK(!u->finished && u->error == UP_BAD_TYPE);
	CHECK_STR(u->name, "rapportfdp.exe");
	upload_discard(vd, u);
	u = upload_of(vd, "\xe2\x80\x8b" "notitie\xef\xbb\xbf.txt", "ok", 2, FILE_MAX_BYTES);
	CHECK(u->finished);
	CHECK_STR(u->name, "notitie.txt");
	upload_discard(vd, u);
	u = upload_of(vd, "\xff\xfe.txt", "ok", 2, FILE_MAX_BYTES);
	CHECK(u->finished);
	CHECK_STR(u->name, "bestand.txt"); /* not UTF-8: a plain name, the extension kept */
	upload_discard(vd, u);
	CHECK_EQ_INT((int)dir_entries(path, "files/tmp"), 0);
	CHECK_EQ_INT((int)dir_entries(path, "files"), 0);
	fixture_close(vd, path);
}

/* A report's files, a reply's and a note's: stored encrypted, read back
 * byte for byte by the reader, the reporter never gets a note's file, and a
 * changed byte on disk is caught. */
static void files_travel_with_report_and_messages(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), c, other;
	CHECK_EQ_INT(counsellor_with_keys(vd, "c@example.org", root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(counsellor_with_keys(vd, "o@example.org", root, "password of o", &other), VD_OK);
	/* 200 kB over several chunks, with a marker in it */
	size_t big_n = 200 * 1024;
	unsigned char *big = malloc(big_n), *back = malloc(big_n + 1);
	CHECK(big && back);
	big[0] = 0xff, big[1] = 0xd8, big[2] = 0xff;
	for (size_t i = 3; i < big_n; i++)
		big[i] = (unsigned char)(i * 131 + (i >> 9));
	memcpy(big + 100000, "FILE-MARKER-7Q", 14);
	struct upload *ups[2] = { upload_of(vd, "FILENAME-MARKER-7Q.jpg", big, big_n, FILE_MAX_BYTES),
				  upload_of(vd, "tweede.txt", "TEXT-MARKER-7Q", 14, FILE_MAX_BYTES) };
	CHECK(ups[0]->finished && ups[1]->finished);
	struct report_input in = {
		.unit_id = root, .counsellor_id = c, .account = "Met bijlagen", .location = "online",
		.relation = "colleague", .reporter_type = "member", .behaviours = 1, .channel = "web",
		.files = ups, .nfiles = 2,
	};
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	upload_discard(vd, ups[0]);
	upload_discard(vd, ups[1]);
	CHECK_EQ_INT((int)dir_entries(path, "files"), 2);
	CHECK_EQ_INT((int)dir_entries(path, "files/tmp"), 0);
	unsigned char sk[CRYPTO_SK_LEN], sk_o[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	CHECK_EQ_INT(open_key(vd, other, "password of o", sk_o), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(other, ROLE_COUNSELLOR);
	/* a note with a file, and a message of files alone */
	struct upload *note_file = upload_of(vd, "notitie.txt", "NOTE-FILE-MARKER-7Q", 19, FILE_MAX_BYTES);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "note", "", &note_file, 1), VD_OK);
	upload_discard(vd, note_file);
	struct upload *msg_file = upload_of(vd, "uitleg.pdf", "%PDF-uitleg", 11, FILE_MAX_BYTES);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "counsellor", "", &msg_file, 1), VD_OK);
	upload_discard(vd, msg_file);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), id, "counsellor", "", NULL, 0), VD_ERR_INVALID);
	struct arena a;
	arena_init(&a, 0);
	struct case_view v;
	CHECK_EQ_INT(case_open(vd, as(&me, sk), &a, id, &v), VD_OK);
	CHECK_EQ_INT((int)v.nfiles, 4);
	CHECK(v.files[0].message_id == 0 && strcmp(v.files[0].name, "FILENAME-MARKER-7Q.jpg") == 0 &&
	      v.files[0].type == FT_JPEG && v.files[0].size == (int64_t)big_n);
	CHECK_STR(v.files[2].kind, "note");
	CHECK(v.files[3].message_id == v.messages[1].id && v.files[3].type == FT_PDF);
	struct case_file f;
	struct file_reader *fr;
	CHECK_EQ_INT(case_file_open(vd, as(&me, sk), &a, id, v.files[0].file_id, &f, &fr), VD_OK);
	CHECK_STR(f.name, "FILENAME-MARKER-7Q.jpg");
	CHECK_EQ_INT((int)read_all(fr, back, big_n + 1), (int)big_n);
	CHECK(memcmp(back, big, big_n) == 0);
	/* not a reader, not a counsellor, not a file of this case */
	CHECK_EQ_INT(case_file_open(vd, as(&them, sk_o), &a, id, v.files[0].file_id, &f, &fr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_file_open(vd, as(&principal_system, sk), &a, id, v.files[0].file_id, &f, &fr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_file_open(vd, as(&me, sk), &a, id, "00000000000000000000000000000000", &f, &fr), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_file_open(vd, as(&me, sk), &a, id, "../../vertrouwd.db", &f, &fr), VD_ERR_NOTFOUND);
	/* the reporter: the report's and the counsellor's files, never the note's */
	enum code_result res;
	int64_t retry;
	struct case_view rv;
	CHECK_EQ_INT(report_view(vd, &a, code, "s", 1, &rv, &res, &retry), VD_OK);
	CHECK_EQ_INT((int)rv.nfiles, 3);
	CHECK_EQ_INT(report_file_open(vd, &a, code, "s", 1, v.files[1].file_id, &f, &fr, &res, &retry), VD_OK);
	CHECK_EQ_INT((int)read_all(fr, back, big_n), 14);
	CHECK(memcmp(back, "TEXT-MARKER-7Q", 14) == 0);
	CHECK_EQ_INT(report_file_open(vd, &a, code, "s", 1, v.files[2].file_id, &f, &fr, &res, &retry), VD_ERR_NOTFOUND);
	/* the reporter answers with a file */
	struct upload *reply_file = upload_of(vd, "antwoord.png", "\x89PNG\r\n\x1a\nrest", 12, FILE_MAX_BYTES);
	CHECK_EQ_INT(report_reply(vd, &a, code, "s", 1, "", &reply_file, 1, &res, &retry), VD_OK);
	upload_discard(vd, reply_file);
	CHECK_EQ_INT(report_view(vd, &a, code, "s", 1, &rv, &res, &retry), VD_OK);
	CHECK_EQ_INT((int)rv.nfiles, 4);
	/* one changed byte in the stored big file: reading it back fails */
	char fp[256];
	snprintf(fp, sizeof fp, "%s/files/%s", path, v.files[0].file_id);
	FILE *fh = fopen(fp, "r+b");
	CHECK(fh != NULL);
	fseek(fh, 70000, SEEK_SET);
	int ch = fgetc(fh);
	fseek(fh, 70000, SEEK_SET);
	fputc(ch ^ 1, fh);
	fclose(fh);
	CHECK_EQ_INT(case_file_open(vd, as(&me, sk), &a, id, v.files[0].file_id, &f, &fr), VD_OK);
	CHECK_EQ_INT((int)read_all(fr, back, big_n + 1), -1);
	/* a file cut after its first chunk fails too */
	CHECK_EQ_INT(truncate(fp, 24 + 65536 + 17), 0);
	CHECK_EQ_INT(case_file_open(vd, as(&me, sk), &a, id, v.files[0].file_id, &f, &fr), VD_OK);
	CHECK_EQ_INT((int)read_all(fr, back, big_n + 1), -1);
	/* and a file that is gone cannot be opened at all */
	CHECK_EQ_INT(unlink(fp), 0);
	CHECK_EQ_INT(case_file_open(vd, as(&me, sk), &a, id, v.files[0].file_id, &f, &fr), VD_ERR_STORE);
	arena_release(&a);
	app_close(vd);
	/* nothing of the files, their names or their texts in the clear anywhere */
	const char *markers[] = { "FILE-MARKER-7Q", "FILENAME-MARKER-7Q", "TEXT-MARKER-7Q", "NOTE-FILE-MARKER-7Q",
				  "uitleg", "antwoord.png" };
	char cmd[300];
	snprintf(cmd, sizeof cmd, "find '%s' -type f", path);
	FILE *ls = popen(cmd, "r");
	CHECK(ls != NULL);
	char line[512];
	int scanned = 0;
	while (ls && fgets(line, sizeof line, ls)) {
		line[strcspn(line, "\n")] = '\0';
		scanned++;
		for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++)
			CHECK(!file_has(line, markers[m]));
	}
	if (ls)
		pclose(ls);
	CHECK(scanned >= 6); /* conf, key, db (+wal) and the files */
	free(big);
	free(back);
	vd = NULL;
	fixture_close(vd, path);
}

int main(void)
{
	if (crypto_init() != VD_OK)
		return 1;
	static const struct test tests[] = {
		TEST(init_dir_private_and_complete), TEST(init_refuses_nonempty_dir),
		TEST(open_refuses_newer_schema_and_bad_config), TEST(units_tree_rules),
		TEST(account_create_validates), TEST(login_and_password_change),
		TEST(login_throttles_without_locking_out), TEST(sessions_expire_and_csrf_binds),
		TEST(directory_follows_unit_tree), TEST(documents_keep_every_version),
		TEST(receipt_codes_roundtrip_and_catch_typos), TEST(key_pair_follows_the_password),
		TEST(report_is_encrypted_and_reaches_its_readers),
		TEST(report_refuses_bad_input_and_stores_nothing), TEST(receipt_code_opens_own_report),
		TEST(a_code_keeps_the_cost_it_was_made_with),
		TEST(codes_from_before_keep_the_password_cost),
		TEST(a_remembered_session_lasts_a_second_at_most),
		TEST(conversation_between_reporter_and_counsellor), TEST(uploads_check_type_size_and_name),
		TEST(files_travel_with_report_and_messages),
	};
	return check_run("core", tests, sizeof tests / sizeof tests[0]);
}
