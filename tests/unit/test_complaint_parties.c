/* Unit tests: the parties to a complaint (issue 8) — a complaint through
 * the public form, the accused with a code of their own, hearings heard
 * separately unless asked, minutes that count as approved when nobody
 * reacted within their term, and who sees what. */
#include <stdio.h>
#include <string.h>

#include "../../src/core/complaints.h"
#include "../../src/core/internal/codes.h"
#include "../../src/core/internal/complaints.h"
#include "../../src/core/internal/sealed.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

struct world {
	char path[128];
	struct vd *vd;
	int64_t unit, member, counsellor, other;
	unsigned char sk_m[CRYPTO_SK_LEN], sk_c[CRYPTO_SK_LEN], sk_o[CRYPTO_SK_LEN];
	int64_t complaint, complainant, accused, supporter;
	char ccode[RECEIPT_TEXT_LEN + 1], acode[RECEIPT_TEXT_LEN + 1];
};

/* The committee member, holding their key. */
static void member_of(struct world *w, struct principal *p)
{
	struct principal bare = actor(w->member, ROLE_COMMITTEE);
	*p = *as(&bare, w->sk_m);
}

static int step(struct world *w, enum complaint_step from, enum complaint_step to, const char *reason, bool share)
{
	struct principal m;
	member_of(w, &m);
	field_errors e = 0;
	struct complaint_move_input in = { from, to, reason, "", 0, share };
	return complaint_move(w->vd, as(&m, w->sk_m), w->complaint, &in, &e);
}

static int64_t party_id(struct world *w, const char *role)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM complaint_parties WHERE complaint_id = %lld"
		 " AND role = '%s'", (long long)w->complaint, role);
	return sql_int(w->path, sql);
}

/* A complaint filed through the form on Wednesday 1 April 2026, with the
 * accused and a supporting counsellor added, at the hearings step. */
static bool make_world(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->vd = open_fresh(w->path);
	if (!w->vd)
		return false;
	on("2026-04-01");
	w->unit = add_unit(w->vd, "Landelijk", 0);
	if (user_with_keys(w->vd, "Mem", "m@example.org", ROLE_COMMITTEE, w->unit, "password of m", &w->member) ||
	    user_with_keys(w->vd, "Cas", "c@example.org", ROLE_COUNSELLOR, w->unit, "password of c", &w->counsellor) ||
	    user_with_keys(w->vd, "Oth", "o@example.org", ROLE_COUNSELLOR, w->unit, "password of o", &w->other) ||
	    open_key(w->vd, w->member, "password of m", w->sk_m) || open_key(w->vd, w->counsellor, "password of c", w->sk_c) ||
	    open_key(w->vd, w->other, "password of o", w->sk_o))
		return false;
	struct complaint_entry in = { .unit_id = w->unit, .name = "Noor PTY-NAME-MARKER-8Q", .email = "noor@example.org",
				      .phone = "0612345678", .accused = "Bram", .account = "PTY-ACCOUNT-MARKER-8Q",
				      .when = "mei", .last_incident = "", .asks = "Excuses" };
	field_errors e = 0;
	int64_t wait = 0;
	if (complaint_file_public(w->vd, &in, "s1", 2, &e, &w->complaint, w->ccode, &wait))
		return false;
	struct principal m;
	member_of(w, &m);
	struct party_input acc = { .role = PR_ACCUSED, .name = "Bram PTY-ACCUSED-MARKER-8Q", .email = "", .phone = "" };
	struct party_input sup = { .role = PR_SUPPORTER, .counsellor_id = w->counsellor };
	char none[RECEIPT_TEXT_LEN + 1];
	if (step(w, CS_RECEIVED, CS_ADMISSIBLE, "", false) ||
	    complaint_party_add(w->vd, &m, w->complaint, &acc, &e, w->acode) ||
	    complaint_party_add(w->vd, &m, w->complaint, &sup, &e, none) ||
	    step(w, CS_ADMISSIBLE, CS_ACCUSED_INFORMED, "", false) || step(w, CS_ACCUSED_INFORMED, CS_HEARINGS, "", false))
		return false;
	w->complainant = party_id(w, "complainant");
	w->accused = party_id(w, "accused");
	w->supporter = party_id(w, "supporter");
	return w->complainant && w->accused && w->supporter && !*none;
}

static void end_world(struct world *w)
{
	crypto_wipe(w->sk_m, sizeof w->sk_m);
	crypto_wipe(w->sk_c, sizeof w->sk_c);
	crypto_wipe(w->sk_o, sizeof w->sk_o);
	crypto_wipe(w->ccode, sizeof w->ccode);
	crypto_wipe(w->acode, sizeof w->acode);
	fixture_close(w->vd, w->path);
	clock_freeze(0);
}

static int hearing(struct world *w, const char *day, const int64_t *heard, size_t n, bool jointly, field_errors *e,
		   int64_t *id)
{
	struct principal m;
	member_of(w, &m);
	struct hearing_input in = { .day = day, .time = "10:00", .place = "Zaal 2", .heard = heard, .nheard = n,
				    .jointly = jointly, .witnesses = "", .supporters = "" };
	return complaint_hearing_add(w->vd, &m, w->complaint, &in, e, id);
}

static const struct hearing_view *my_hearing(const struct party_mailbox *mb, int64_t id)
{
	for (size_t i = 0; i < mb->nhearings; i++)
		if (mb->hearings[i].id == id)
			return &mb->hearings[i];
	return NULL;
}

static const char *approval(struct world *w, const char *code, int64_t hearing_id)
{
	static struct arena a;
	arena_release(&a);
	arena_init(&a, 0);
	struct party_mailbox mb;
	enum code_result res;
	int64_t retry;
	if (complaint_mailbox_view(w->vd, &a, code, "s1", 2, &mb, &res, &retry) || res != CODE_OK)
		return "(no mailbox)";
	const struct hearing_view *h = my_hearing(&mb, hearing_id);
	return h && h->nheard ? h->heard[0].approval : "(no hearing)";
}

static void hearings_are_separate_unless_asked(void)
{
	struct world w;
	CHECK(make_world(&w));
	field_errors e = 0;
	int64_t id = 0;
	const int64_t both[] = { w.complainant, w.accused }, sup[] = { w.supporter }, twice[] = { w.accused, w.accused };
	CHECK_EQ_INT(hearing(&w, "2026-04-10", both, 2, false, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << HF_JOINTLY);
	CHECK_EQ_INT(hearing(&w, "2026-04-10", sup, 1, false, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << HF_HEARD);
	CHECK_EQ_INT(hearing(&w, "2026-04-10", twice, 2, true, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << HF_HEARD);
	CHECK_EQ_INT(hearing(&w, "2026-04-10", NULL, 0, false, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << HF_HEARD);
	CHECK_EQ_INT(hearing(&w, "10 april", both, 1, false, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << HF_DAY);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_hearings"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_letters WHERE kind = 'invitation'"), 0);
	CHECK_EQ_INT(hearing(&w, "2026-04-10", both, 2, true, &e, &id), VD_OK);
	/* each heard is invited, and the supporter with the complainant */
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_letters WHERE kind = 'invitation'"), 3);
	/* after the hearings step, no more */
	CHECK_EQ_INT(step(&w, CS_HEARINGS, CS_WITHDRAWN, "", false), VD_OK);
	CHECK_EQ_INT(hearing(&w, "2026-04-10", both, 1, false, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << HF_STEP);
	end_world(&w);
}

static void minutes_count_as_approved_after_their_term(void)
{
	struct world w;
	CHECK(make_world(&w));
	field_errors e = 0;
	int64_t hc = 0, ha = 0;
	const int64_t c[] = { w.complainant }, a[] = { w.accused };
	on("2026-04-08");
	CHECK_EQ_INT(hearing(&w, "2026-04-10", c, 1, false, &e, &hc), VD_OK);
	CHECK_EQ_INT(hearing(&w, "2026-04-10", a, 1, false, &e, &ha), VD_OK);
	struct principal m;
	member_of(&w, &m);
	on("2026-04-14");
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, hc, "", &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << MN_TEXT);
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, 999999, "Verslag", &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << MN_HEARING);
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, hc, "PTY-MINUTES-MARKER-8Q", &e), VD_OK);
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, hc, "Nog eens", &e), VD_ERR_INVALID);
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, ha, "Verslag van de beklaagde", &e), VD_OK);
	/* 8 days from 14 April: Wednesday 22 April */
	const char *due = "SELECT due_day FROM complaint_terms WHERE kind = 'minutes' AND hearing_id = %lld";
	char sql[160];
	snprintf(sql, sizeof sql, due, (long long)hc);
	CHECK(sql_int(w.path, sql) == D("2026-04-22"));
	CHECK_STR(approval(&w, w.ccode, hc), "pending");
	/* the accused reacts in time: their term is met that day */
	struct arena ar;
	arena_init(&ar, 0);
	enum code_result res;
	int64_t retry;
	on("2026-04-15");
	CHECK_EQ_INT(complaint_mailbox_react(w.vd, &ar, w.acode, "s1", 2, hc, true, "", &e, &res, &retry),
		     VD_ERR_INVALID); /* not the accused's hearing */
	CHECK_EQ_INT(e, 1u << RX_HEARING);
	CHECK_EQ_INT(complaint_mailbox_react(w.vd, &ar, w.acode, "s1", 2, ha, false, " ", &e, &res, &retry),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << RX_REMARKS);
	CHECK_EQ_INT(complaint_mailbox_react(w.vd, &ar, w.acode, "s1", 2, ha, true, "", &e, &res, &retry), VD_OK);
	CHECK_STR(approval(&w, w.acode, ha), "approved");
	snprintf(sql, sizeof sql, "SELECT met_day FROM complaint_terms WHERE kind = 'minutes' AND hearing_id = %lld",
		 (long long)ha);
	CHECK(sql_int(w.path, sql) == D("2026-04-15"));
	CHECK_EQ_INT(complaint_mailbox_react(w.vd, &ar, w.acode, "s1", 2, ha, true, "", &e, &res, &retry),
		     VD_ERR_INVALID); /* once */
	/* the complainant does not: on the due day nothing lapses yet */
	on("2026-04-22");
	CHECK_EQ_INT(complaints_minutes_lapse(w.vd), VD_OK);
	CHECK_STR(approval(&w, w.ccode, hc), "pending");
	on("2026-04-23");
	/* read as approved at once, stored so by the housekeeping */
	CHECK_STR(approval(&w, w.ccode, hc), "deemed");
	CHECK_EQ_INT(complaint_mailbox_react(w.vd, &ar, w.ccode, "s1", 2, hc, false, "Te laat", &e, &res, &retry),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << RX_HEARING);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_heard WHERE approval = 'deemed'"), 0);
	CHECK_EQ_INT(complaints_minutes_lapse(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_heard WHERE approval = 'deemed'"), 1);
	snprintf(sql, sizeof sql, "SELECT met_day FROM complaint_terms WHERE kind = 'minutes' AND hearing_id = %lld",
		 (long long)hc);
	CHECK(sql_int(w.path, sql) == D("2026-04-22"));
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.minutes_deemed", "complaint", w.complaint), 1);
	arena_release(&ar);
	end_world(&w);
}

static void each_party_sees_their_part(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct party_mailbox mb;
	enum code_result res;
	int64_t retry;
	/* the accused got the complaint with the name, not the contact details */
	CHECK_EQ_INT(complaint_mailbox_view(w.vd, &a, w.acode, "s1", 2, &mb, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	CHECK_EQ_INT(mb.role, PR_ACCUSED);
	CHECK_STR(mb.account, ""); /* not their complaint */
	bool copy = false;
	for (size_t i = 0; i < mb.nletters; i++)
		if (mb.letters[i].kind == LK_COMPLAINT) {
			copy = true;
			CHECK_STR(mb.letters[i].copy.account, "PTY-ACCOUNT-MARKER-8Q");
			CHECK_STR(mb.letters[i].copy.name, "Noor PTY-NAME-MARKER-8Q");
			CHECK_STR(mb.letters[i].copy.email, "");
			CHECK_STR(mb.letters[i].copy.phone, "");
		}
	CHECK(copy);
	/* the complainant: their complaint, the receipt, the steps; never the copy */
	CHECK_EQ_INT(complaint_mailbox_view(w.vd, &a, w.ccode, "s1", 2, &mb, &res, &retry), VD_OK);
	CHECK_EQ_INT(mb.role, PR_COMPLAINANT);
	CHECK_STR(mb.account, "PTY-ACCOUNT-MARKER-8Q");
	CHECK(mb.nletters >= 3 && mb.letters[0].kind == LK_RECEIPT);
	for (size_t i = 0; i < mb.nletters; i++)
		CHECK(mb.letters[i].kind != LK_COMPLAINT);
	/* the supporter: only the supporter, and only their letters */
	struct principal c = actor(w.counsellor, ROLE_COUNSELLOR), o = actor(w.other, ROLE_COUNSELLOR);
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	CHECK_EQ_INT(complaint_support_view(w.vd, as(&c, w.sk_c), &a, w.complaint, &mb), VD_OK);
	CHECK_EQ_INT(mb.role, PR_SUPPORTER);
	CHECK_STR(mb.account, "");
	CHECK_EQ_INT(mb.nletters, 0); /* the steps so far are the complainant's to share */
	CHECK_EQ_INT(complaint_support_view(w.vd, as(&o, w.sk_o), &a, w.complaint, &mb), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_support_view(w.vd, as(&m, w.sk_m), &a, w.complaint, &mb), VD_ERR_NOTFOUND);
	struct id_list ids;
	CHECK_EQ_INT(complaint_supported(w.vd, as(&c, w.sk_c), &a, &ids), VD_OK);
	CHECK(ids.n == 1 && ids.ids[0] == w.complaint);
	CHECK_EQ_INT(complaint_supported(w.vd, as(&o, w.sk_o), &a, &ids), VD_OK);
	CHECK_EQ_INT(ids.n, 0);
	/* the supporter is not a committee member: the file stays shut */
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&c, w.sk_c), &a, w.complaint, &f), VD_ERR_NOTFOUND);
	/* the decision reaches all three */
	CHECK_EQ_INT(step(&w, CS_HEARINGS, CS_WITHDRAWN, "PTY-WITHDRAWN-MARKER-8Q", false), VD_OK);
	CHECK_EQ_INT(complaint_support_view(w.vd, as(&c, w.sk_c), &a, w.complaint, &mb), VD_OK);
	CHECK(mb.nletters == 1 && mb.letters[0].kind == LK_STEP && mb.letters[0].step == CS_WITHDRAWN);
	CHECK_STR(mb.letters[0].text, "PTY-WITHDRAWN-MARKER-8Q");
	/* a wrong code opens nothing, and says so like a report's */
	char wrong[RECEIPT_TEXT_LEN + 1];
	memcpy(wrong, w.ccode, sizeof wrong);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	CHECK_EQ_INT(complaint_mailbox_view(w.vd, &a, wrong, "s1", 2, &mb, &res, &retry), VD_OK);
	CHECK(res == CODE_TYPO || res == CODE_UNKNOWN);
	arena_release(&a);
	end_world(&w);
}

static void nothing_readable_in_the_database(void)
{
	struct world w;
	CHECK(make_world(&w));
	field_errors e = 0;
	int64_t h = 0;
	const int64_t c[] = { w.complainant };
	CHECK_EQ_INT(hearing(&w, "2026-04-10", c, 1, false, &e, &h), VD_OK);
	struct principal m;
	member_of(&w, &m);
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, h, "PTY-MINUTES-MARKER-8Q", &e), VD_OK);
	CHECK_EQ_INT(complaint_letter_send(w.vd, &m, w.complaint, w.accused, "PTY-LETTER-MARKER-8Q", &e), VD_OK);
	CHECK_EQ_INT(complaint_letter_send(w.vd, &m, w.complaint, 999999, "Brief", &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << LF_PARTY);
	app_close(w.vd);
	w.vd = NULL;
	const char *markers[] = { "PTY-NAME-MARKER", "PTY-ACCOUNT-MARKER", "PTY-ACCUSED-MARKER", "PTY-MINUTES-MARKER",
				  "PTY-LETTER-MARKER", "noor@example.org", "0612345678", "Zaal 2" };
	const char *files[] = { "vertrouwd.db", "vertrouwd.db-wal", "vertrouwd.conf", "secret.key" };
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char p[200];
		snprintf(p, sizeof p, "%s/%s", w.path, files[f]);
		for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
			CHECK(!file_has(p, markers[i]));
	}
	char err[256];
	CHECK_EQ_INT(app_open(w.path, 0, &w.vd, err, sizeof err), VD_OK);
	end_world(&w);
}

/* The key a party's code opens, as the core opens it. */
static bool party_key_of_code(struct world *w, struct arena *a, const char *code, struct complaint_party_rec *p,
			      unsigned char key[CRYPTO_KEY_LEN])
{
	struct receipt r;
	unsigned char kek[CRYPTO_KEY_LEN], verifier[CRYPTO_KEY_LEN];
	bool ok = receipt_parse(code, &r) == VD_OK &&
		  w->vd->store->ops->complaint_party_find_locator(w->vd->store, a, r.locator, p) == VD_OK &&
		  receipt_keys(w->vd, r.secret, p->receipt_salt, p->receipt_ops, p->receipt_mem_kib, verifier, kek) == VD_OK &&
		  complaint_party_key_by_code(p, kek, key) == VD_OK;
	crypto_wipe(&r, sizeof r);
	crypto_wipe(kek, sizeof kek);
	return ok;
}

/* With a copy of the database and their own code, a party reads their own
 * letters and nothing else: the complaint key is not theirs, nor any other
 * party's letters. */
static void a_code_opens_its_own_letters_only(void)
{
	struct world w;
	CHECK(make_world(&w));
	field_errors e = 0;
	int64_t h = 0;
	const int64_t c[] = { w.complainant };
	CHECK_EQ_INT(hearing(&w, "2026-04-10", c, 1, false, &e, &h), VD_OK);
	struct principal m;
	member_of(&w, &m);
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, h, "PTY-MINUTES-MARKER-8Q", &e), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct complaint_party_rec pa, pc;
	unsigned char ka[CRYPTO_KEY_LEN], kc[CRYPTO_KEY_LEN], kcomplaint[CRYPTO_KEY_LEN];
	struct complaint_rec rec;
	CHECK(party_key_of_code(&w, &a, w.acode, &pa, ka));
	CHECK(party_key_of_code(&w, &a, w.ccode, &pc, kc));
	CHECK_EQ_INT(complaint_member_key(w.vd, &m, &a, w.complaint, &rec, kcomplaint), VD_OK);
	CHECK(memcmp(ka, kcomplaint, sizeof ka) != 0 && memcmp(kc, kcomplaint, sizeof kc) != 0 &&
	      memcmp(ka, kc, sizeof ka) != 0);
	/* the complaint's content (the complainant's contact details) opens with neither */
	char ad[64];
	complaint_content_ad(&rec, ad);
	const char *name = NULL;
	const char **const fields[] = { &name };
	CHECK(sealed_texts_open(&a, ka, ad, rec.content, rec.content_len, fields, 1, 1) != VD_OK);
	CHECK(sealed_texts_open(&a, kc, ad, rec.content, rec.content_len, fields, 1, 1) != VD_OK);
	CHECK_EQ_INT(sealed_texts_open(&a, kcomplaint, ad, rec.content, rec.content_len, fields, 1, 1), VD_OK);
	/* each letter opens with its own party's key and no other */
	struct complaint_letter_recs ls;
	CHECK_EQ_INT(w.vd->store->ops->complaint_letter_list(w.vd->store, &a, w.complaint, 0, 100, &ls), VD_OK);
	size_t mine_a = 0, mine_c = 0;
	for (size_t i = 0; i < ls.n; i++) {
		const struct complaint_letter_rec *l = &ls.items[i];
		char lad[128];
		complaint_letter_ad(l, lad);
		const char *text = NULL;
		const char **const f[] = { &text };
		bool with_a = sealed_texts_open(&a, ka, lad, l->body, l->body_len, f, 1, 1) == VD_OK;
		bool with_c = sealed_texts_open(&a, kc, lad, l->body, l->body_len, f, 1, 1) == VD_OK;
		CHECK(with_a == (l->party_id == pa.id));
		CHECK(with_c == (l->party_id == pc.id));
		CHECK(sealed_texts_open(&a, kcomplaint, lad, l->body, l->body_len, f, 1, 1) != VD_OK);
		mine_a += with_a;
		mine_c += with_c;
	}
	CHECK(mine_a >= 1 && mine_c >= 3); /* the copy; the receipt, the steps, the invitation, the minutes */
	crypto_wipe(ka, sizeof ka);
	crypto_wipe(kc, sizeof kc);
	crypto_wipe(kcomplaint, sizeof kcomplaint);
	arena_release(&a);
	end_world(&w);
}

/* An accused added after the complaint went to the accused gets it at
 * once. Minutes are the heard person's to react to, mediation or not. */
static void the_accused_hears_once_informed(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal m;
	member_of(&w, &m);
	field_errors e = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	struct party_input late = { .role = PR_ACCUSED, .name = "Kees Later", .email = "", .phone = "" };
	CHECK_EQ_INT(complaint_party_add(w.vd, &m, w.complaint, &late, &e, code), VD_OK);
	int64_t kees = sql_int(w.path, "SELECT max(id) FROM complaint_parties WHERE role = 'accused'");
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaint_letters WHERE party_id = %lld AND kind = 'complaint'",
		 (long long)kees);
	CHECK_EQ_INT(sql_int(w.path, sql), 1); /* at the hearings step: the complaint at once */
	/* the minutes term does not stop for mediation */
	int64_t h = 0;
	const int64_t c[] = { w.complainant };
	CHECK_EQ_INT(hearing(&w, "2026-04-10", c, 1, false, &e, &h), VD_OK);
	on("2026-04-14");
	CHECK_EQ_INT(complaint_minutes_send(w.vd, &m, w.complaint, h, "Verslag", &e), VD_OK);
	CHECK_EQ_INT(step(&w, CS_HEARINGS, CS_MEDIATION, "", false), VD_OK);
	on("2026-04-16");
	struct arena a;
	arena_init(&a, 0);
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(complaint_mailbox_react(w.vd, &a, w.ccode, "s1", 2, h, true, "", &e, &res, &retry), VD_OK);
	CHECK_STR(approval(&w, w.ccode, h), "approved");
	arena_release(&a);
	end_world(&w);
}

/* An accused added before they are informed hears nothing yet: not even
 * of an extension of the decision term. */
static void an_uninformed_accused_gets_no_notice(void)
{
	struct world w;
	memset(&w, 0, sizeof w);
	w.vd = open_fresh(w.path);
	CHECK(w.vd != NULL);
	on("2026-04-01");
	w.unit = add_unit(w.vd, "Landelijk", 0);
	CHECK_EQ_INT(user_with_keys(w.vd, "Mem", "m@example.org", ROLE_COMMITTEE, w.unit, "password of m", &w.member),
		     VD_OK);
	CHECK_EQ_INT(open_key(w.vd, w.member, "password of m", w.sk_m), VD_OK);
	struct complaint_entry in = { .unit_id = w.unit, .name = "Noor", .email = "noor@example.org", .accused = "Bram",
				      .account = "Wat er gebeurde", .when = "", .last_incident = "", .asks = "" };
	field_errors e = 0;
	int64_t wait = 0;
	CHECK_EQ_INT(complaint_file_public(w.vd, &in, "s1", 2, &e, &w.complaint, w.ccode, &wait), VD_OK);
	struct principal m;
	member_of(&w, &m);
	struct party_input acc = { .role = PR_ACCUSED, .name = "Bram", .email = "", .phone = "" };
	CHECK_EQ_INT(complaint_party_add(w.vd, &m, w.complaint, &acc, &e, w.acode), VD_OK);
	int64_t decision = sql_int(w.path, "SELECT id FROM complaint_terms WHERE kind = 'decision'");
	struct extension_input four = { "28", "notice", "" };
	CHECK_EQ_INT(complaint_extend(w.vd, &m, w.complaint, decision, &four, &e), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_letters WHERE kind = 'extension'"), 1);
	w.accused = sql_int(w.path, "SELECT id FROM complaint_parties WHERE role = 'accused'");
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaint_letters WHERE party_id = %lld", (long long)w.accused);
	CHECK_EQ_INT(sql_int(w.path, sql), 0);
	end_world(&w);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(hearings_are_separate_unless_asked), TEST(minutes_count_as_approved_after_their_term),
		TEST(each_party_sees_their_part), TEST(nothing_readable_in_the_database),
		TEST(a_code_opens_its_own_letters_only), TEST(the_accused_hears_once_informed),
		TEST(an_uninformed_accused_gets_no_notice),
	};
	return check_run("complaint_parties", tests, sizeof tests / sizeof tests[0]);
}
