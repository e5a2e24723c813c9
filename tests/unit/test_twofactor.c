/* Unit tests: the second factor (issue 12) — set up with a code from the
 * secret, a login that waits for it and can do nothing until then, each
 * code once, backup codes once, the throttle, required roles, and the
 * secret sealed in the database. */
#include <stdio.h>
#include <string.h>

#include "../../src/core/sessions.h"
#include "../../src/core/twofactor.h"
#include "../../src/crypto/totp.h"
#include "../../src/util/text.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

/* The secret from its base32 text, as an app reads it. */
static void secret_of(const char *text, unsigned char out[TOTP_SECRET_LEN])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned bits = 0, acc = 0;
	size_t n = 0;
	for (const char *p = text; *p && n < TOTP_SECRET_LEN; p++) {
		acc = acc << 5 | (unsigned)(strchr(alphabet, *p) - alphabet);
		bits += 5;
		if (bits >= 8) {
			out[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
}

static void code_at(const unsigned char *secret, int64_t t, char out[TOTP_DIGITS + 1])
{
	CHECK_EQ_INT(totp_code(secret, t, out), VD_OK);
}

struct two {
	char path[128];
	struct vd *vd;
	int64_t id;
	unsigned char secret[TOTP_SECRET_LEN];
	char backup[TWOFACTOR_BACKUP_CODES][TWOFACTOR_BACKUP_LEN + 1];
};

/* A counsellor with the second factor set up. */
static bool setup(struct two *w)
{
	memset(w, 0, sizeof *w);
	w->vd = open_fresh(w->path);
	if (!w->vd)
		return false;
	on("2026-12-03"); /* a code's step is used once: the clock only goes forward here */
	int64_t unit = add_unit(w->vd, "Landelijk", 0);
	if (user_with_keys(w->vd, "Cas", "cas@example.org", ROLE_COUNSELLOR, unit, "password of cas", &w->id))
		return false;
	struct principal me = actor(w->id, ROLE_COUNSELLOR);
	char text[TWOFACTOR_SECRET_TEXT + 1], uri[TWOFACTOR_URI_MAX];
	if ((twofactor_setup_begin(w->vd, &me, true, text, uri)) != VD_OK)
		return false;
	if (!(strlen(text) == 32 && strncmp(uri, "otpauth://totp/", 15) == 0 && strstr(uri, text) != NULL))
		return false;
	if (!(strstr(uri, "cas%40example.org") || strstr(uri, "vertrouwd")))
		return false;
	secret_of(text, w->secret);
	int64_t retry;
	/* a wrong code: not on */
	if ((twofactor_setup_finish(w->vd, &me, "000000", w->backup, &retry)) != VD_ERR_AUTH)
		return false;
	char code[TOTP_DIGITS + 1];
	code_at(w->secret, clock_now(), code);
	int rc = twofactor_setup_finish(w->vd, &me, code, w->backup, &retry);
	if ((rc) != VD_OK)
		return false;
	/* the secret is not in the database as it was shown, nor a backup code */
	const char *markers[] = { text, w->backup[0] };
	if (!(!db_has_any(w->path, markers, 2)))
		return false;
	return rc == VD_OK;
}

static int login(struct two *w, struct arena *a, char token[SESSION_TOKEN_CHARS + 1], const struct principal **p)
{
	struct account u;
	int64_t retry;
	int rc = session_login(w->vd, a, "cas@example.org", "password of cas", &from_s1, NULL, token, &u, &retry);
	return rc ? rc : session_check(w->vd, a, token, p);
}

static void login_waits_for_the_code(void)
{
	struct two w;
	CHECK(setup(&w));
	throttle_reset_all(); /* the wrong code at setup counted: this test is not about that */
	throttle_stored_forget_all(w.vd);
	clock_freeze(clock_now() + TOTP_STEP_SECONDS);
	struct arena a;
	arena_init(&a, 0);
	char token[SESSION_TOKEN_CHARS + 1];
	const struct principal *p;
	CHECK_EQ_INT(login(&w, &a, token, &p), VD_OK);
	CHECK(session_second_factor_due(p));
	/* no role's powers until then */
	struct twofactor_status st;
	CHECK_EQ_INT(twofactor_status(w.vd, p, &st), VD_OK);
	CHECK(st.on && st.backup_left == TWOFACTOR_BACKUP_CODES);
	int64_t retry, left;
	char fresh[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(twofactor_answer(w.vd, p, "123456", fresh, &retry, &left), VD_ERR_AUTH);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, "12345x", fresh, &retry, &left), VD_ERR_AUTH);
	char code[TOTP_DIGITS + 1];
	code_at(w.secret, clock_now(), code);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_OK);
	CHECK_EQ_INT(left, -1);
	/* a new session for the whole login; the half-way one is gone */
	CHECK_EQ_INT(session_check(w.vd, &a, token, &p), VD_ERR_NOTFOUND);
	CHECK(strcmp(fresh, token) != 0);
	CHECK_EQ_INT(session_check(w.vd, &a, fresh, &p), VD_OK);
	CHECK(!session_second_factor_due(p));
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_ERR_NOTFOUND); /* nothing due */
	/* the same code does not open a second login; the next step's does */
	char token2[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(login(&w, &a, token2, &p), VD_OK);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_ERR_AUTH);
	clock_freeze(clock_now() + TOTP_STEP_SECONDS);
	code_at(w.secret, clock_now(), code);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_OK);
	/* a code of an app 30 seconds behind still works; two steps behind not */
	CHECK_EQ_INT(login(&w, &a, token2, &p), VD_OK);
	clock_freeze(clock_now() + 3 * TOTP_STEP_SECONDS);
	code_at(w.secret, clock_now() - 2 * TOTP_STEP_SECONDS, code);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_ERR_AUTH);
	code_at(w.secret, clock_now() - TOTP_STEP_SECONDS, code);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_OK);
	CHECK_EQ_INT(audit_count_of(w.vd, "twofactor.login", "user", w.id), 3);
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}

static void backup_codes_work_once(void)
{
	struct two w;
	CHECK(setup(&w));
	struct arena a;
	arena_init(&a, 0);
	char token[SESSION_TOKEN_CHARS + 1];
	const struct principal *p;
	int64_t retry, left;
	char fresh[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(login(&w, &a, token, &p), VD_OK);
	char typed[80];
	snprintf(typed, sizeof typed, " %c%c%c%c %s ", w.backup[3][0] | 0x20, w.backup[3][1] | 0x20,
		 w.backup[3][2] | 0x20, w.backup[3][3] | 0x20, w.backup[3] + 5); /* lower case, a space */
	CHECK_EQ_INT(twofactor_answer(w.vd, p, typed, fresh, &retry, &left), VD_OK);
	CHECK_EQ_INT(left, TWOFACTOR_BACKUP_CODES - 1);
	CHECK_EQ_INT(login(&w, &a, token, &p), VD_OK);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, w.backup[3], fresh, &retry, &left), VD_ERR_AUTH);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, w.backup[4], fresh, &retry, &left), VD_OK);
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}

static void wrong_codes_are_throttled(void)
{
	struct two w;
	CHECK(setup(&w));
	throttle_reset_all();
	throttle_stored_forget_all(w.vd);
	struct arena a;
	arena_init(&a, 0);
	char token[SESSION_TOKEN_CHARS + 1];
	const struct principal *p;
	int64_t retry = 0, left;
	char fresh[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(login(&w, &a, token, &p), VD_OK);
	for (int i = 0; i < 5; i++)
		CHECK_EQ_INT(twofactor_answer(w.vd, p, "000000", fresh, &retry, &left), VD_ERR_AUTH);
	/* the sixth waits, even with the right code */
	char code[TOTP_DIGITS + 1];
	code_at(w.secret, clock_now(), code);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_ERR_THROTTLED);
	CHECK(retry >= 1);
	CHECK_EQ_INT(session_check(w.vd, &a, token, &p), VD_OK);
	CHECK(session_second_factor_due(p));
	/* after the wait the right code works, and the wrong ones before it
	 * still count: the next wrong one waits at once */
	clock_freeze(clock_now() + TOTP_STEP_SECONDS); /* past the wait, and a step not used yet */
	code_at(w.secret, clock_now(), code);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, code, fresh, &retry, &left), VD_OK);
	char token2[SESSION_TOKEN_CHARS + 1];
	CHECK_EQ_INT(login(&w, &a, token2, &p), VD_OK);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, "000000", fresh, &retry, &left), VD_ERR_THROTTLED);
	clock_freeze(clock_now() + retry);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, "000000", fresh, &retry, &left), VD_ERR_AUTH);
	CHECK_EQ_INT(twofactor_answer(w.vd, p, "000001", fresh, &retry, &left), VD_ERR_THROTTLED);
	CHECK(retry >= 2); /* the sixth wrong one: 2 s */
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
	throttle_reset_all();
}

static void required_roles_and_turning_off(void)
{
	struct two w;
	CHECK(setup(&w));
	CHECK(twofactor_required(w.vd, ROLE_COUNSELLOR) && twofactor_required(w.vd, ROLE_COMMITTEE));
	CHECK(twofactor_required(w.vd, ROLE_INTEGRITY) && !twofactor_required(w.vd, ROLE_ADMIN));
	CHECK(!twofactor_required(w.vd, ROLE_READER));
	struct principal me = actor(w.id, ROLE_COUNSELLOR);
	int64_t retry;
	char code[TOTP_DIGITS + 1];
	clock_freeze(clock_now() + TOTP_STEP_SECONDS);
	code_at(w.secret, clock_now(), code);
	CHECK_EQ_INT(twofactor_disable(w.vd, &me, code, &retry), VD_ERR_DENIED);
	/* a second setup while it is on is refused */
	char text[TWOFACTOR_SECRET_TEXT + 1], uri[TWOFACTOR_URI_MAX];
	CHECK_EQ_INT(twofactor_setup_begin(w.vd, &me, true, text, uri), VD_ERR_EXISTS);
	/* an administrator who turned it on for themselves may turn it off */
	int64_t admin;
	CHECK_EQ_INT(user_with_keys(w.vd, "Ada", "ada@example.org", ROLE_ADMIN, 0, "password of ada", &admin), VD_OK);
	struct principal ad = actor(admin, ROLE_ADMIN);
	CHECK_EQ_INT(twofactor_setup_begin(w.vd, &ad, true, text, uri), VD_OK);
	char again[TWOFACTOR_SECRET_TEXT + 1], uri2[TWOFACTOR_URI_MAX];
	CHECK_EQ_INT(twofactor_setup_begin(w.vd, &ad, false, again, uri2), VD_OK);
	CHECK_STR(again, text); /* tried again: the same secret */
	CHECK(twofactor_setup_needed(w.vd, &me) == false && twofactor_setup_needed(w.vd, &ad) == false);
	unsigned char s[TOTP_SECRET_LEN];
	secret_of(text, s);
	char codes[TWOFACTOR_BACKUP_CODES][TWOFACTOR_BACKUP_LEN + 1];
	code_at(s, clock_now(), code);
	CHECK_EQ_INT(twofactor_setup_finish(w.vd, &ad, code, codes, &retry), VD_OK);
	CHECK_EQ_INT(twofactor_disable(w.vd, &ad, "000000", &retry), VD_ERR_AUTH);
	clock_freeze(clock_now() + TOTP_STEP_SECONDS);
	code_at(s, clock_now(), code);
	CHECK_EQ_INT(twofactor_disable(w.vd, &ad, code, &retry), VD_OK);
	struct twofactor_status st;
	CHECK_EQ_INT(twofactor_status(w.vd, &ad, &st), VD_OK);
	CHECK(!st.on && !st.required && st.backup_left == 0);
	CHECK_EQ_INT(audit_count_of(w.vd, "twofactor.off", "user", admin), 1);
	/* the roles are a setting; an unknown role stops the start */
	app_close(w.vd);
	CHECK(fixture_append(w.path, "vertrouwd.conf", "two_factor_roles = admin, reader\n"));
	char err[256];
	CHECK_EQ_INT(app_open(w.path, 0, &w.vd, err, sizeof err), VD_OK);
	CHECK(twofactor_required(w.vd, ROLE_ADMIN) && twofactor_required(w.vd, ROLE_READER));
	CHECK(!twofactor_required(w.vd, ROLE_COUNSELLOR));
	app_close(w.vd);
	CHECK(fixture_append(w.path, "vertrouwd.conf", "two_factor_roles = wizard\n"));
	w.vd = NULL;
	CHECK(app_open(w.path, 0, &w.vd, err, sizeof err) != VD_OK);
	fixture_close(NULL, w.path);
	clock_freeze(0);
}

/* RFC 6238's own test vector (SHA-1, the secret "12345678901234567890"). */
static void rfc_6238_vector(void)
{
	const unsigned char *secret = (const unsigned char *)"12345678901234567890";
	char code[TOTP_DIGITS + 1];
	code_at(secret, 59, code);
	CHECK_STR(code, "287082");
	code_at(secret, 1111111109, code);
	CHECK_STR(code, "081804");
	uint64_t step;
	CHECK_EQ_INT(totp_check(secret, "081804", 1111111109, &step), VD_OK);
	CHECK_EQ_INT((long long)step, 1111111109 / 30);
	CHECK_EQ_INT(totp_check(secret, "081805", 1111111109, &step), VD_ERR_AUTH);
	CHECK_EQ_INT(totp_check(secret, "", 1111111109, &step), VD_ERR_AUTH);
	CHECK_EQ_INT(totp_check(secret, "0818040", 1111111109, &step), VD_ERR_AUTH);
	char text[TOTP_BASE32_LEN + 1];
	CHECK_EQ_INT(totp_base32(secret, text), VD_OK);
	CHECK_STR(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(rfc_6238_vector),
		TEST(login_waits_for_the_code),
		TEST(backup_codes_work_once),
		TEST(wrong_codes_are_throttled),
		TEST(required_roles_and_turning_off),
	};
	return check_run("twofactor", tests, sizeof tests / sizeof tests[0]);
}
