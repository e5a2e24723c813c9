/* Unit tests: the whistleblower channel (issue 10) — the two clocks as the
 * register counts them, the three keys of a report (the reporter's code
 * opens no notes and no identity; the identity key is apart from the
 * report key), who reaches a report (the officers of its unit and above,
 * nobody else whatever their role), identity opened with a reason and
 * audited, the reminders sent once, and nothing readable in the database. */
#include <stdio.h>
#include <string.h>

#include "../../src/core/internal/sealed.h"
#include "../../src/core/internal/whistle.h"
#include "../../src/core/whistle.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

struct world {
	char path[128];
	struct vd *vd;
	int64_t root, utrecht;
	int64_t officer, local_officer, counsellor, member, admin, reader;
	unsigned char sk_o[CRYPTO_SK_LEN], sk_l[CRYPTO_SK_LEN], sk_c[CRYPTO_SK_LEN], sk_m[CRYPTO_SK_LEN],
		sk_a[CRYPTO_SK_LEN], sk_r[CRYPTO_SK_LEN];
};

static bool make_world(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->vd = open_fresh(w->path);
	if (!w->vd)
		return false;
	on("2026-12-18");
	w->root = add_unit(w->vd, "Landelijk", 0);
	w->utrecht = add_unit(w->vd, "Utrecht", w->root);
	struct {
		const char *name, *email, *pw;
		enum vd_role role;
		int64_t unit, *id;
		unsigned char *sk;
	} people[] = {
		{ "Ivo", "ivo@example.org", "password of ivo", ROLE_INTEGRITY, w->root, &w->officer, w->sk_o },
		{ "Lot", "lot@example.org", "password of lot", ROLE_INTEGRITY, w->utrecht, &w->local_officer, w->sk_l },
		{ "Cas", "cas@example.org", "password of cas", ROLE_COUNSELLOR, w->root, &w->counsellor, w->sk_c },
		{ "Mem", "mem@example.org", "password of mem", ROLE_COMMITTEE, w->root, &w->member, w->sk_m },
		{ "Adm", "adm@example.org", "password of adm", ROLE_ADMIN, w->root, &w->admin, w->sk_a },
		{ "Rea", "rea@example.org", "password of rea", ROLE_READER, w->root, &w->reader, w->sk_r },
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		if (!w->root || !w->utrecht ||
		    user_with_keys(w->vd, people[i].name, people[i].email, people[i].role, people[i].unit, people[i].pw,
				   people[i].id) ||
		    open_key(w->vd, *people[i].id, people[i].pw, people[i].sk))
			return false;
	return true;
}

static void end_world(struct world *w)
{
	unsigned char *keys[] = { w->sk_o, w->sk_l, w->sk_c, w->sk_m, w->sk_a, w->sk_r };
	for (size_t i = 0; i < 6; i++)
		crypto_wipe(keys[i], CRYPTO_SK_LEN);
	fixture_close(w->vd, w->path);
	clock_freeze(0);
}

static const struct principal *officer(struct world *w)
{
	struct principal p = actor(w->officer, ROLE_INTEGRITY);
	return as(&p, w->sk_o);
}

static int report(struct world *w, int64_t unit, const char *what, const char *name, int64_t *id,
		  char code[RECEIPT_TEXT_LEN + 1])
{
	struct wb_input in = { .unit_id = unit, .relation = "employee", .category = "", .what = what,
			       .name = name, .email = *name ? "melder@example.org" : "" };
	field_errors e = 0;
	int64_t wait = 0;
	return wb_submit(w->vd, &in, "s1", 2, &e, id, code, &wait);
}

/* Received on Friday 18 December 2026: the acknowledgement falls on
 * Christmas, so it is due Monday the 28th; feedback counts from day 7 (the
 * 25th itself) when none was sent, else from the acknowledgement. */
static void clocks_in_the_register(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t a, b;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(report(&w, w.root, "WB-CLOCK-A", "", &a, code), VD_OK);
	CHECK_EQ_INT(report(&w, w.root, "WB-CLOCK-B", "", &b, code), VD_OK);
	struct arena ar;
	arena_init(&ar, 0);
	struct wb_report r;
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &ar, a, &r), VD_OK);
	CHECK_EQ_INT(r.ack.due_day, D("2026-12-28"));
	CHECK_EQ_INT(r.feedback.due_day, D("2027-03-25"));
	CHECK(!r.ack.overdue && !r.ack.met_day);
	CHECK_EQ_INT(sql_int(w.path, "SELECT next_due_day FROM wb_reports WHERE id = 1"), D("2026-12-28"));
	/* late: overdue in the list, and in red on the report */
	on("2027-01-05");
	struct wb_lines lines;
	CHECK_EQ_INT(wb_list(w.vd, officer(&w), &ar, true, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 2);
	CHECK(lines.items[0].overdue && strcmp(lines.items[0].next_clock, "ack") == 0);
	field_errors e = 0;
	CHECK_EQ_INT(wb_acknowledge(w.vd, officer(&w), a, "", &e), VD_OK);
	CHECK_EQ_INT(wb_acknowledge(w.vd, officer(&w), a, "", &e), VD_ERR_INVALID); /* once */
	CHECK(e & (1u << WW_STATE));
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &ar, a, &r), VD_OK);
	CHECK_EQ_INT(r.ack.met_day, D("2027-01-05"));
	CHECK(r.ack.met_day > r.ack.due_day); /* met, but late */
	CHECK_EQ_INT(r.feedback.due_day, D("2027-04-05"));
	CHECK_EQ_INT(sql_int(w.path, "SELECT next_due_day FROM wb_reports WHERE id = 1"), D("2027-04-05"));
	/* the other report was never acknowledged: its feedback clock runs from day 7 */
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &ar, b, &r), VD_OK);
	CHECK_EQ_INT(r.feedback.due_day, D("2027-03-25"));
	on("2027-03-26");
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &ar, b, &r), VD_OK);
	CHECK(r.feedback.overdue);
	/* feedback meets the clock; nothing runs after it */
	CHECK_EQ_INT(wb_write(w.vd, officer(&w), a, WE_FEEDBACK, "Wat we deden", &e), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, "SELECT next_due_day FROM wb_reports WHERE id = 1"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT feedback_day FROM wb_reports WHERE id = 1"), D("2027-03-26"));
	arena_release(&ar);
	end_world(&w);
}

/* The mailbox key opens what the reporter shares, never the officers'
 * notes; the identity opens with its own key only. */
static void three_keys_apart(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(report(&w, w.root, "WB-KEYS-WHAT", "Wessel WB-KEYS-NAME", &id, code), VD_OK);
	field_errors e = 0;
	CHECK_EQ_INT(wb_write(w.vd, officer(&w), id, WE_NOTE, "WB-KEYS-NOTE", &e), VD_OK);
	CHECK_EQ_INT(wb_write(w.vd, officer(&w), id, WE_MESSAGE_OUT, "WB-KEYS-MESSAGE", &e), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	/* the reporter: the message, not the note */
	struct wb_report r;
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(wb_mailbox_view(w.vd, &a, code, "s1", 2, &r, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	CHECK_STR(r.what, "WB-KEYS-WHAT");
	CHECK_EQ_INT(r.nevents, 1);
	CHECK_STR(r.events[0].text, "WB-KEYS-MESSAGE");
	/* the officer: both */
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &a, id, &r), VD_OK);
	CHECK_EQ_INT(r.nevents, 2);
	CHECK_STR(r.events[0].text, "WB-KEYS-NOTE");
	/* and with the keys themselves: the note's blob does not open with the
	 * mailbox key, the identity neither with it nor with the report key */
	struct wb_report_rec rec;
	struct wb_keys k;
	CHECK_EQ_INT(wb_officer_open(w.vd, officer(&w), &a, id, false, true, &rec, &k), VD_OK);
	struct wb_event_recs ev;
	CHECK_EQ_INT(w.vd->store->ops->wb_event_list(w.vd->store, &a, id, 10, &ev), VD_OK);
	CHECK(ev.n == 2 && strcmp(ev.items[0].kind, "note") == 0);
	char ad[160]; /* whistle.c's event_ad: report, kind, moment, ref, by, day */
	snprintf(ad, sizeof ad, "wb event %lld note %lld 0 %lld 0", (long long)id, (long long)ev.items[0].at,
		 (long long)w.officer);
	const char *text = NULL;
	CHECK_EQ_INT(sealed_text_open(&a, k.report, ad, ev.items[0].body, ev.items[0].body_len, &text), VD_OK);
	CHECK_STR(text, "WB-KEYS-NOTE");
	CHECK(sealed_text_open(&a, k.mailbox, ad, ev.items[0].body, ev.items[0].body_len, &text) != VD_OK);
	struct wb_identity who;
	CHECK_EQ_INT(wb_identity_read(&a, &rec, &k, &who), VD_OK);
	CHECK_STR(who.name, "Wessel WB-KEYS-NAME");
	struct wb_keys wrong = k;
	memcpy(wrong.identity, k.report, CRYPTO_KEY_LEN);
	CHECK(wb_identity_read(&a, &rec, &wrong, &who) != VD_OK);
	memcpy(wrong.identity, k.mailbox, CRYPTO_KEY_LEN);
	CHECK(wb_identity_read(&a, &rec, &wrong, &who) != VD_OK);
	wb_keys_wipe(&wrong);
	wb_keys_wipe(&k);
	/* nothing of it in the database file */
	const char *markers[] = { "WB-KEYS-WHAT", "WB-KEYS-NAME", "WB-KEYS-NOTE", "WB-KEYS-MESSAGE", "melder@example.org" };
	CHECK(!db_has_any(w.path, markers, 5));
	arena_release_wipe(&a);
	end_world(&w);
}

/* The officers of the report's unit and the units above reach it; another
 * unit's officer and every other role get nothing, keys or not. */
static void only_its_officers(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t national, local;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(report(&w, w.root, "WB-ACCESS-NATIONAL", "", &national, code), VD_OK);
	CHECK_EQ_INT(report(&w, w.utrecht, "WB-ACCESS-LOCAL", "", &local, code), VD_OK);
	struct principal lp = actor(w.local_officer, ROLE_INTEGRITY);
	const struct principal *loc = as(&lp, w.sk_l);
	struct arena a;
	arena_init(&a, 0);
	struct wb_report r;
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &a, national, &r), VD_OK);
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &a, local, &r), VD_OK);
	CHECK_EQ_INT(wb_open(w.vd, as(&lp, w.sk_l), &a, local, &r), VD_OK);
	CHECK_EQ_INT(wb_open(w.vd, loc, &a, national, &r), VD_ERR_NOTFOUND);
	struct wb_lines lines;
	CHECK_EQ_INT(wb_list(w.vd, as(&lp, w.sk_l), &a, true, 0, &lines), VD_OK);
	CHECK(lines.n == 1 && lines.items[0].id == local);
	/* the identity key went only to the officers too */
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_report_keys WHERE report_id = 1"), 1);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_report_keys WHERE report_id = 2"), 2);
	struct {
		int64_t id;
		enum vd_role role;
		unsigned char *sk;
	} others[] = { { w.counsellor, ROLE_COUNSELLOR, w.sk_c }, { w.member, ROLE_COMMITTEE, w.sk_m },
		       { w.admin, ROLE_ADMIN, w.sk_a }, { w.reader, ROLE_READER, w.sk_r } };
	for (size_t i = 0; i < 4; i++) {
		struct principal p = actor(others[i].id, others[i].role);
		const struct principal *who = as(&p, others[i].sk);
		field_errors e = 0;
		struct wb_identity id;
		char c2[RECEIPT_TEXT_LEN + 1];
		int64_t nid;
		struct wb_input in = { .unit_id = w.root, .relation = "employee", .what = "x", .channel = "oral",
				       .received_on = "2026-12-18", .meeting_on = "2026-12-18", .minutes = "x" };
		CHECK_EQ_INT(wb_open(w.vd, who, &a, national, &r), VD_ERR_NOTFOUND);
		CHECK_EQ_INT(wb_list(w.vd, who, &a, true, 0, &lines), VD_ERR_DENIED);
		CHECK_EQ_INT(wb_enter(w.vd, who, &in, &e, &nid, c2), VD_ERR_DENIED);
		CHECK_EQ_INT(wb_write(w.vd, who, national, WE_NOTE, "x", &e), VD_ERR_NOTFOUND);
		CHECK_EQ_INT(wb_acknowledge(w.vd, who, national, "", &e), VD_ERR_NOTFOUND);
		CHECK_EQ_INT(wb_identity_open(w.vd, who, &a, national, "curious", &e, &id), VD_ERR_NOTFOUND);
		CHECK_EQ_INT(wb_close(w.vd, who, national, "referred", "", &e), VD_ERR_NOTFOUND);
	}
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_events"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_reports WHERE ack_day <> 0 OR open = 0"), 0);
	/* an officer without the key in the session: NOKEY, not the report */
	struct principal bare = actor(w.officer, ROLE_INTEGRITY);
	CHECK_EQ_INT(wb_open(w.vd, &bare, &a, national, &r), VD_ERR_NOKEY);
	arena_release(&a);
	end_world(&w);
}

/* A reason first, on record and in the audit log; none: nothing shown. */
static void identity_with_a_reason(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(report(&w, w.root, "WB-ID-WHAT", "Fenna Melder", &id, code), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	field_errors e = 0;
	struct wb_identity who;
	CHECK_EQ_INT(wb_identity_open(w.vd, officer(&w), &a, id, "  ", &e, &who), VD_ERR_INVALID);
	CHECK(e & (1u << WW_TEXT));
	CHECK_STR(who.name, "");
	CHECK_EQ_INT(audit_count_of(w.vd, "wb.identity", "wb_report", id), 0);
	CHECK_EQ_INT(wb_identity_open(w.vd, officer(&w), &a, id, "Terugbellen", &e, &who), VD_OK);
	CHECK_STR(who.name, "Fenna Melder");
	CHECK_STR(who.email, "melder@example.org");
	CHECK_EQ_INT(audit_count_of(w.vd, "wb.identity", "wb_report", id), 1);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_events WHERE kind = 'identity_opened'"), 1);
	/* disclosure needs consent given and in force */
	CHECK_EQ_INT(wb_consent_ask(w.vd, officer(&w), id, "Aan de onderzoeker", &e), VD_OK);
	int64_t q = sql_int(w.path, "SELECT max(id) FROM wb_events WHERE kind = 'consent_asked'");
	CHECK_EQ_INT(wb_disclose(w.vd, officer(&w), id, q, &e), VD_ERR_INVALID);
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(wb_mailbox_consent(w.vd, &a, code, "s1", 2, q, "give", &e, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	CHECK_EQ_INT(wb_disclose(w.vd, officer(&w), id, q, &e), VD_OK);
	CHECK_EQ_INT(wb_disclose(w.vd, officer(&w), id, q, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(wb_mailbox_consent(w.vd, &a, code, "s1", 2, q, "withdraw", &e, &res, &retry), VD_ERR_INVALID);
	arena_release_wipe(&a);
	end_world(&w);
}

/* Nobody to receive it: refused, nothing stored. */
static void no_officer_no_report(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t unit = add_unit(vd, "Landelijk", 0), id = 0, wait = 0;
	struct wb_input in = { .unit_id = unit, .relation = "employee", .what = "Niemand leest dit" };
	field_errors e = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(wb_submit(vd, &in, "s1", 2, &e, &id, code, &wait), VD_ERR_INVALID);
	CHECK(e & (1u << WF_OFFICER));
	CHECK_STR(code, "");
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM wb_reports"), 0);
	fixture_close(vd, path);
}

/* An acknowledgement due Monday 28 December: a reminder two working days
 * before (Wednesday the 23rd), one after it passed, each once. */
static void reminders_go_out_once(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(report(&w, w.root, "WB-REMIND", "", &id, code), VD_OK);
	app_close(w.vd);
	w.vd = NULL;
	CHECK(fixture_append(w.path, "vertrouwd.conf", "smtp_url = smtp://127.0.0.1:9\n"));
	char err[256];
	CHECK_EQ_INT(app_open(w.path, 0, &w.vd, err, sizeof err), VD_OK);
	const char *mails = "SELECT count(*) FROM outbox WHERE kind = 'wb_clock'";
	on("2026-12-22"); /* 23, 24 and 28 December are left */
	CHECK_EQ_INT(wb_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 0);
	on("2026-12-23"); /* 24 and 28 */
	CHECK_EQ_INT(wb_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 1);
	CHECK_EQ_INT(wb_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 1);
	on("2026-12-29");
	CHECK_EQ_INT(wb_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 2);
	CHECK_EQ_INT(wb_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 2);
	end_world(&w);
}

/* An officer who enters a report hands its code over: the reporter's
 * answers wait for a code of their own, which the old one no longer opens. */
static void a_handed_code_is_replaced_before_answers(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct wb_input in = { .unit_id = w.root, .relation = "employee", .what = "Per telefoon", .channel = "oral",
			       .received_on = "2026-12-18", .meeting_on = "2026-12-18", .minutes = "WB-RENEW-MINUTES" };
	field_errors e = 0;
	int64_t id;
	char handed[RECEIPT_TEXT_LEN + 1], own[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(wb_enter(w.vd, officer(&w), &in, &e, &id, handed), VD_OK);
	int64_t minutes = sql_int(w.path, "SELECT max(id) FROM wb_events WHERE kind = 'minutes'");
	CHECK(minutes > 0);
	struct arena a;
	arena_init(&a, 0);
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(wb_mailbox_minutes(w.vd, &a, handed, "s1", 2, minutes, true, "", &e, &res, &retry), VD_ERR_INVALID);
	CHECK(e & (1u << WW_CODE));
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_events"), 1);
	struct wb_report r;
	CHECK_EQ_INT(wb_mailbox_view(w.vd, &a, handed, "s1", 2, &r, &res, &retry), VD_OK);
	CHECK(res == CODE_OK && !r.code_own && r.pending_minutes);
	CHECK_EQ_INT(wb_mailbox_renew(w.vd, &a, handed, "s1", 2, own, &res, &retry), VD_OK);
	CHECK(res == CODE_OK && strcmp(own, handed) != 0);
	CHECK_EQ_INT(wb_mailbox_view(w.vd, &a, handed, "s1", 2, &r, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_UNKNOWN);
	CHECK_EQ_INT(wb_mailbox_view(w.vd, &a, own, "s1", 2, &r, &res, &retry), VD_OK);
	CHECK(res == CODE_OK && r.code_own);
	CHECK_EQ_INT(wb_mailbox_minutes(w.vd, &a, own, "s1", 2, minutes, true, "", &e, &res, &retry), VD_OK);
	CHECK_EQ_INT(audit_count_of(w.vd, "wb.code", "wb_report", id), 1);
	crypto_wipe(handed, sizeof handed);
	crypto_wipe(own, sizeof own);
	arena_release_wipe(&a);
	end_world(&w);
}

/* A report's timeline is read whole for every check of its state, so it
 * stops at WB_EVENTS_MAX: the one after is refused, nothing read in part. */
static void the_timeline_has_an_end(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(report(&w, w.root, "WB-CAP", "", &id, code), VD_OK);
	char sql[320];
	snprintf(sql, sizeof sql, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO wb_events(report_id, kind, ref_id, on_day, at, by, body) SELECT %lld, 'note', 0, 0, i, 1,"
		 " x'00' FROM n", WB_EVENTS_MAX - 1, (long long)id);
	CHECK_EQ_INT(sql_exec(w.path, sql), SQLITE_OK);
	field_errors e = 0;
	CHECK_EQ_INT(wb_write(w.vd, officer(&w), id, WE_NOTE, "the last one", &e), VD_OK);
	CHECK_EQ_INT(wb_write(w.vd, officer(&w), id, WE_NOTE, "one too many", &e), VD_ERR_TOOBIG);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM wb_events"), WB_EVENTS_MAX);
	/* and a made-up row (without the key) does not pass for ours */
	struct arena a;
	arena_init(&a, 0);
	struct wb_report r;
	CHECK_EQ_INT(wb_open(w.vd, officer(&w), &a, id, &r), VD_ERR_STORE);
	arena_release(&a);
	end_world(&w);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(clocks_in_the_register), TEST(three_keys_apart),	TEST(only_its_officers),
		TEST(identity_with_a_reason), TEST(no_officer_no_report), TEST(reminders_go_out_once),
		TEST(a_handed_code_is_replaced_before_answers), TEST(the_timeline_has_an_end),
	};
	return check_run("whistle", tests, sizeof tests / sizeof tests[0]);
}
