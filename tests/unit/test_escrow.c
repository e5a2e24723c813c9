/* Unit tests: continuity (issue 12) — 2 of 3 parts, the escrow set up by the
 * system only, new and old cases sealed to it, a request that one trustee
 * alone cannot carry out (nor the administrator, nor a counsellor), two
 * trustees moving a counsellor's cases, and a leaving counsellor handing
 * all their cases over at once. */
#include <sqlite3.h>
#include <string.h>

#include "../../src/core/cases.h"
#include "../../src/core/escrow.h"
#include "../../src/core/handover.h"
#include "../../src/crypto/crypto.h"
#include "../../src/util/clock.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

static void any_two_parts_and_no_one(void)
{
	unsigned char secret[CRYPTO_KEY_LEN], parts[3][2][CRYPTO_KEY_LEN], out[CRYPTO_KEY_LEN];
	crypto_random(secret, sizeof secret);
	crypto_share_split(secret, parts);
	for (int h = 0; h < 3; h++) {
		for (int k = 0; k < 2; k++) {
			int o = crypto_share_other(h, k);
			CHECK(o != h && o >= 0 && o < 3);
			CHECK_EQ_INT(crypto_share_index(h, o), k);
			crypto_share_join(parts[h][k], parts[o][crypto_share_index(o, h)], out);
			CHECK(memcmp(out, secret, sizeof out) == 0);
			/* a part is never the secret itself */
			CHECK(memcmp(parts[h][k], secret, sizeof secret) != 0);
		}
		/* one holder's own two parts do not make it */
		crypto_share_join(parts[h][0], parts[h][1], out);
		CHECK(memcmp(out, secret, sizeof out) != 0);
	}
	/* fresh pads each time */
	unsigned char again[3][2][CRYPTO_KEY_LEN];
	crypto_share_split(secret, again);
	CHECK(memcmp(again, parts, sizeof parts) != 0);
}

struct people {
	int64_t root, leaving, next, t1, t2, t3, admin;
	unsigned char sk_next[CRYPTO_SK_LEN], sk_t1[CRYPTO_SK_LEN], sk_t2[CRYPTO_SK_LEN], sk_t3[CRYPTO_SK_LEN],
	    sk_leaving[CRYPTO_SK_LEN], sk_admin[CRYPTO_SK_LEN];
};

static bool people_make(struct vd *vd, struct people *p)
{
	p->root = add_unit(vd, "Landelijk", 0);
	return user_with_keys(vd, "Lotte", "lotte@example.org", ROLE_COUNSELLOR, p->root, "password of lotte", &p->leaving) == 0 &&
	       user_with_keys(vd, "Niek", "niek@example.org", ROLE_COUNSELLOR, p->root, "password of niek", &p->next) == 0 &&
	       user_with_keys(vd, "Tara", "tara@example.org", ROLE_COUNSELLOR, p->root, "password of tara", &p->t1) == 0 &&
	       user_with_keys(vd, "Timo", "timo@example.org", ROLE_COMMITTEE, p->root, "password of timo", &p->t2) == 0 &&
	       user_with_keys(vd, "Tess", "tess@example.org", ROLE_INTEGRITY, p->root, "password of tess", &p->t3) == 0 &&
	       user_with_keys(vd, "Ada", "ada@example.org", ROLE_ADMIN, p->root, "password of ada", &p->admin) == 0 &&
	       open_key(vd, p->next, "password of niek", p->sk_next) == 0 &&
	       open_key(vd, p->t1, "password of tara", p->sk_t1) == 0 &&
	       open_key(vd, p->t2, "password of timo", p->sk_t2) == 0 &&
	       open_key(vd, p->t3, "password of tess", p->sk_t3) == 0 &&
	       open_key(vd, p->leaving, "password of lotte", p->sk_leaving) == 0 &&
	       open_key(vd, p->admin, "password of ada", p->sk_admin) == 0;
}

static bool opens(struct vd *vd, const struct principal *who, int64_t id)
{
	struct arena a;
	arena_init(&a, 0);
	struct case_view v;
	bool ok = case_open(vd, who, &a, id, &v) == VD_OK;
	arena_release(&a);
	return ok;
}

static void two_trustees_move_the_cases(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	struct people p;
	CHECK(people_make(vd, &p));
	struct principal leaving = actor(p.leaving, ROLE_COUNSELLOR), next = actor(p.next, ROLE_COUNSELLOR);
	struct principal t1 = actor(p.t1, ROLE_COUNSELLOR), t2 = actor(p.t2, ROLE_COMMITTEE),
			 t3 = actor(p.t3, ROLE_INTEGRITY), admin = actor(p.admin, ROLE_ADMIN);
	int64_t before, after;
	CHECK_EQ_INT(submit(vd, p.root, p.leaving, false, "ESCROW-BEFORE-MARKER", &before, NULL), VD_OK);

	/* Set up by the system only, with three distinct trustees who are no administrators. */
	const char *good[3] = { "tara@example.org", "timo@example.org", "tess@example.org" };
	const char *with_admin[3] = { "tara@example.org", "ada@example.org", "tess@example.org" };
	const char *twice[3] = { "tara@example.org", "timo@example.org", "TARA@example.org" };
	const char *unknown[3] = { "tara@example.org", "timo@example.org", "nobody@example.org" };
	int bad;
	CHECK_EQ_INT(escrow_init(vd, &admin, good, false, &bad), VD_ERR_DENIED);
	CHECK_EQ_INT(escrow_init(vd, &principal_system, with_admin, false, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, 1);
	CHECK_EQ_INT(escrow_init(vd, &principal_system, twice, false, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, 2);
	CHECK_EQ_INT(escrow_init(vd, &principal_system, unknown, false, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow"), 0);
	CHECK_EQ_INT(escrow_init(vd, &principal_system, good, false, &bad), VD_OK);
	CHECK_EQ_INT(escrow_init(vd, &principal_system, good, false, &bad), VD_ERR_EXISTS);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_trustees"), 3);

	/* A new case is sealed to it at once, an older one when its counsellor logs in. */
	CHECK_EQ_INT(submit(vd, p.root, p.leaving, false, "ESCROW-AFTER-MARKER", &after, NULL), VD_OK);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_keys"), 1);
	int64_t n = -1;
	CHECK_EQ_INT(escrow_cover(vd, as(&leaving, p.sk_leaving), &n), VD_OK);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(escrow_cover(vd, as(&leaving, p.sk_leaving), &n), VD_OK);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_keys"), 2);

	/* Lotte loses password and recovery key: her key pair is gone. */
	CHECK_EQ_INT(sql_exec(path, "DELETE FROM user_keys WHERE user_id = (SELECT id FROM users WHERE email = 'lotte@example.org')"),
		     SQLITE_OK);

	/* Only a trustee asks, for a counsellor, to an active counsellor with a key. */
	int64_t req;
	CHECK_EQ_INT(escrow_request(vd, as(&next, p.sk_next), p.leaving, p.next, &req), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(escrow_request(vd, as(&admin, p.sk_admin), p.leaving, p.next, &req), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(escrow_request(vd, as(&t1, p.sk_t1), p.leaving, p.admin, &req), VD_ERR_INVALID);
	CHECK_EQ_INT(escrow_request(vd, as(&t1, p.sk_t1), p.leaving, p.leaving, &req), VD_ERR_INVALID);
	CHECK_EQ_INT(escrow_request(vd, as(&t1, p.sk_t1), p.t2, p.next, &req), VD_ERR_INVALID); /* not a counsellor */
	CHECK_EQ_INT(escrow_request(vd, as(&t1, p.sk_t1), p.leaving, p.next, &req), VD_OK);
	int64_t again;
	CHECK_EQ_INT(escrow_request(vd, as(&t2, p.sk_t2), p.leaving, p.next, &again), VD_ERR_EXISTS);

	/* One approval is not enough, and the same trustee twice is one. */
	bool done;
	int64_t moved, not_moved;
	CHECK_EQ_INT(escrow_approve(vd, as(&admin, p.sk_admin), req, &done, &moved, &not_moved), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(escrow_approve(vd, &t1, req, &done, &moved, &not_moved), VD_ERR_NOKEY); /* no key in the session */
	CHECK_EQ_INT(escrow_approve(vd, as(&t1, p.sk_t1), req, &done, &moved, &not_moved), VD_OK);
	CHECK(!done);
	CHECK_EQ_INT(escrow_approve(vd, as(&t1, p.sk_t1), req, &done, &moved, &not_moved), VD_ERR_DENIED);
	CHECK(!opens(vd, as(&next, p.sk_next), before) && !opens(vd, as(&next, p.sk_next), after));
	struct arena a;
	arena_init(&a, 0);
	struct escrow_view ev;
	CHECK_EQ_INT(escrow_get(vd, as(&next, p.sk_next), &a, &ev), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(escrow_get(vd, as(&t3, p.sk_t3), &a, &ev), VD_OK);
	CHECK(ev.n == 1 && ev.requests[0].approvals == 1 && !ev.requests[0].approved_by_me &&
	      strcmp(ev.requests[0].from_name, "Lotte") == 0 && strcmp(ev.requests[0].state, "open") == 0);
	/* A trustee with a wrong key opens nothing. */
	CHECK_EQ_INT(escrow_approve(vd, as(&t3, p.sk_t2), req, &done, &moved, &not_moved), VD_ERR_NOKEY);

	/* The second trustee carries it out: both cases go to Niek. */
	CHECK_EQ_INT(escrow_approve(vd, as(&t3, p.sk_t3), req, &done, &moved, &not_moved), VD_OK);
	CHECK(done && moved == 2 && not_moved == 0);
	CHECK(opens(vd, as(&next, p.sk_next), before) && opens(vd, as(&next, p.sk_next), after));
	CHECK(!opens(vd, as(&t1, p.sk_t1), before));
	CHECK_EQ_INT(audit_count_of(vd, "escrow.recover", "user", p.leaving), 1);
	CHECK_EQ_INT(audit_count(vd, "case.handover", before), 1);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_approvals"), 0); /* the left parts are gone */
	CHECK_EQ_INT(escrow_approve(vd, as(&t2, p.sk_t2), req, &done, &moved, &not_moved), VD_ERR_INVALID);
	CHECK_EQ_INT(escrow_get(vd, as(&t1, p.sk_t1), &a, &ev), VD_OK);
	CHECK(ev.n == 1 && strcmp(ev.requests[0].state, "done") == 0 && ev.requests[0].moved == 2);

	/* A request withdrawn by the one who made it, and only by them. */
	CHECK_EQ_INT(escrow_request(vd, as(&t2, p.sk_t2), p.next, p.t1, &req), VD_OK);
	CHECK_EQ_INT(escrow_cancel(vd, as(&t1, p.sk_t1), req), VD_ERR_DENIED);
	CHECK_EQ_INT(escrow_cancel(vd, as(&t2, p.sk_t2), req), VD_OK);
	CHECK_EQ_INT(escrow_cancel(vd, as(&t2, p.sk_t2), req), VD_ERR_INVALID);
	CHECK_EQ_INT(escrow_approve(vd, as(&t1, p.sk_t1), req, &done, &moved, &not_moved), VD_ERR_INVALID);
	CHECK_EQ_INT(escrow_approve(vd, as(&t1, p.sk_t1), req + 1000, &done, &moved, &not_moved), VD_ERR_NOTFOUND);

	/* The administrator's database holds no part in the clear: the parts are sealed. */
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_trustees WHERE length(parts) = 112"), 3);

	/* Niek leaves and hands everything to Tara at once. */
	CHECK_EQ_INT(case_handover_all(vd, as(&next, p.sk_next), p.t1, "holiday", &moved, &not_moved), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover_all(vd, as(&next, p.sk_next), p.t1, "leaving", &moved, &not_moved), VD_OK);
	CHECK(moved == 2 && not_moved == 0);
	CHECK(opens(vd, as(&t1, p.sk_t1), before) && opens(vd, as(&t1, p.sk_t1), after));
	CHECK(!opens(vd, as(&next, p.sk_next), before));
	arena_release(&a);
	crypto_wipe(&p, sizeof p);
	fixture_close(vd, path);
}

/* A fresh data directory with the people and the escrow of Tara, Timo and
 * Tess; NULL (and the directory removed) if any of it failed. */
static struct vd *with_escrow(char path[128], struct people *p)
{
	struct vd *vd = open_fresh(path);
	const char *trustees[3] = { "tara@example.org", "timo@example.org", "tess@example.org" };
	int bad;
	if (vd && people_make(vd, p) && escrow_init(vd, &principal_system, trustees, false, &bad) == VD_OK)
		return vd;
	if (vd)
		fixture_close(vd, path);
	return NULL;
}

/* Someone who can write the database but holds no trustee's password and
 * not the data directory's secret: a key of their own in the escrow's
 * place is refused, and so is an approved request changed afterwards. */
static void a_database_writer_gains_nothing(void)
{
	char path[128];
	struct people p;
	struct vd *vd = with_escrow(path, &p);
	CHECK(vd != NULL);
	struct principal leaving = actor(p.leaving, ROLE_COUNSELLOR), next = actor(p.next, ROLE_COUNSELLOR);
	struct principal t1 = actor(p.t1, ROLE_COUNSELLOR), t2 = actor(p.t2, ROLE_COMMITTEE);
	int64_t id;
	CHECK_EQ_INT(submit(vd, p.root, p.leaving, false, "tamper", &id, NULL), VD_OK);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_keys"), 1);

	/* An approved request redirected to someone else: the second approval
	 * finds the part left for it bound to the request as it was. */
	int64_t req;
	bool done;
	int64_t moved, not_moved;
	CHECK_EQ_INT(escrow_request(vd, as(&t1, p.sk_t1), p.leaving, p.next, &req), VD_OK);
	CHECK_EQ_INT(escrow_approve(vd, as(&t1, p.sk_t1), req, &done, &moved, &not_moved), VD_OK);
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE escrow_requests SET to_user = %lld WHERE id = %lld", (long long)p.t1,
		 (long long)req);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	CHECK(escrow_approve(vd, as(&t2, p.sk_t2), req, &done, &moved, &not_moved) != VD_OK);
	CHECK(!done && moved == 0);
	CHECK(!opens(vd, as(&t1, p.sk_t1), id));
	CHECK(opens(vd, as(&leaving, p.sk_leaving), id));
	/* Put back, it goes through. */
	snprintf(sql, sizeof sql, "UPDATE escrow_requests SET to_user = %lld, state = 'open' WHERE id = %lld",
		 (long long)p.next, (long long)req);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	CHECK_EQ_INT(escrow_approve(vd, as(&t2, p.sk_t2), req, &done, &moved, &not_moved), VD_OK);
	CHECK(done && moved == 1);
	CHECK(opens(vd, as(&next, p.sk_next), id));

	/* A public key of one's own in the escrow's place: nothing is sealed to it. */
	CHECK_EQ_INT(sql_exec(path, "UPDATE escrow SET public_key = zeroblob(32)"), SQLITE_OK);
	CHECK_EQ_INT(sql_exec(path, "DELETE FROM escrow_keys"), SQLITE_OK);
	int64_t id2, n = -1;
	CHECK_EQ_INT(submit(vd, p.root, p.next, false, "after the swap", &id2, NULL), VD_OK); /* taken all the same */
	CHECK_EQ_INT(escrow_cover(vd, as(&next, p.sk_next), &n), VD_ERR_STORE); /* refused, and logged */
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_keys"), 0);
	struct arena a;
	arena_init(&a, 0);
	struct escrow_view ev;
	CHECK(escrow_get(vd, as(&t1, p.sk_t1), &a, &ev) != VD_OK);
	arena_release(&a);
	crypto_wipe(&p, sizeof p);
	fixture_close(vd, path);
}

/* An open request lapses after 14 days, and the parts left with it go. */
static void an_open_request_lapses(void)
{
	char path[128];
	struct people p;
	struct vd *vd = with_escrow(path, &p);
	CHECK(vd != NULL);
	struct principal t1 = actor(p.t1, ROLE_COUNSELLOR), t2 = actor(p.t2, ROLE_COMMITTEE);
	int64_t req, moved, not_moved;
	bool done;
	CHECK_EQ_INT(escrow_request(vd, as(&t1, p.sk_t1), p.leaving, p.next, &req), VD_OK);
	CHECK_EQ_INT(escrow_approve(vd, as(&t1, p.sk_t1), req, &done, &moved, &not_moved), VD_OK);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_approvals"), 1);
	clock_set_offset(15 * 86400);
	CHECK_EQ_INT(escrow_approve(vd, as(&t2, p.sk_t2), req, &done, &moved, &not_moved), VD_ERR_INVALID);
	clock_set_offset(0);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_approvals"), 0);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM escrow_requests WHERE state = 'cancelled'"), 1);
	crypto_wipe(&p, sizeof p);
	fixture_close(vd, path);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(any_two_parts_and_no_one),
		TEST(two_trustees_move_the_cases),
		TEST(a_database_writer_gains_nothing),
		TEST(an_open_request_lapses),
	};
	return check_run("escrow", tests, sizeof tests / sizeof tests[0]);
}
