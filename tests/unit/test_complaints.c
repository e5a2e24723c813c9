/* Unit tests: the committee's complaints (issue 8) — who may open one, the
 * list with its next deadlines, the procedure's moves with their clocks,
 * extensions, the late flag, and what the database holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/casework.h"
#include "../../src/core/complaints.h"
#include "../../src/core/forward.h"
#include "../../src/core/internal/complaints.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

struct world {
	char path[128];
	struct vd *vd;
	int64_t root, p1, p2;
	int64_t counsellor, member, sibling, latecomer, admin, reader;
	unsigned char sk_c[CRYPTO_SK_LEN], sk_m[CRYPTO_SK_LEN], sk_s[CRYPTO_SK_LEN], sk_l[CRYPTO_SK_LEN];
	int64_t case_id, complaint;
};

/* A counsellor of P1 forwards a named report, with consent, on 2026-04-01;
 * a committee member of the national unit receives it; one of P2 and one
 * who joins later do not. */
static bool make_world(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->vd = open_fresh(w->path); /* which sets the clock going */
	if (!w->vd)
		return false;
	on("2026-04-01");
	struct vd *vd = w->vd;
	w->root = add_unit(vd, "Landelijk", 0);
	w->p1 = add_unit(vd, "P1", w->root);
	w->p2 = add_unit(vd, "P2", w->root);
	char act[ACTIVATION_PASSWORD_LEN + 1];
	if (user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, w->p1, "password of c", &w->counsellor) ||
	    user_with_keys(vd, "Mem", "m@example.org", ROLE_COMMITTEE, w->root, "password of m", &w->member) ||
	    user_with_keys(vd, "Sib", "s@example.org", ROLE_COMMITTEE, w->p2, "password of s", &w->sibling) ||
	    open_key(vd, w->counsellor, "password of c", w->sk_c) || open_key(vd, w->member, "password of m", w->sk_m) ||
	    open_key(vd, w->sibling, "password of s", w->sk_s))
		return false;
	w->admin = add_account(vd, "Adm", "a@example.org", ROLE_ADMIN, w->root, act);
	w->reader = add_account(vd, "Rea", "r@example.org", ROLE_READER, w->root, act);
	if (submit(vd, w->p1, w->counsellor, true, "CMP-ACCOUNT-MARKER-8Q", &w->case_id, NULL))
		return false;
	struct principal c = actor(w->counsellor, ROLE_COUNSELLOR);
	field_errors e;
	struct consent_input yes = { .step = "forward_committee", .how = "in_person", .on_date = "2026-04-01", .given = 1 };
	if (case_consent_record(vd, &c, w->case_id, &yes, &e))
		return false;
	struct forward_input fi = { .share_account = true, .summary = "CMP-SUMMARY-MARKER-8Q" };
	if (case_forward(vd, as(&c, w->sk_c), w->case_id, &fi, &e, &w->complaint))
		return false;
	/* a member who joins after it came in holds no key to it */
	return user_with_keys(vd, "Lat", "l@example.org", ROLE_COMMITTEE, w->root, "password of l", &w->latecomer) ==
		       VD_OK &&
	       open_key(vd, w->latecomer, "password of l", w->sk_l) == VD_OK;
}

static void end_world(struct world *w)
{
	crypto_wipe(w->sk_c, sizeof w->sk_c);
	crypto_wipe(w->sk_m, sizeof w->sk_m);
	crypto_wipe(w->sk_s, sizeof w->sk_s);
	crypto_wipe(w->sk_l, sizeof w->sk_l);
	fixture_close(w->vd, w->path);
	clock_freeze(0);
}

static const struct complaint_term_view *term(const struct complaint_file *f, enum complaint_term kind)
{
	for (size_t i = 0; i < f->nterms; i++)
		if (f->terms[i].kind == kind)
			return &f->terms[i];
	return NULL;
}

/* A move without the advice's and the decision's answers. */
static const struct complaint_move_input *mv(enum complaint_step from, enum complaint_step to, const char *reason)
{
	static struct complaint_move_input in;
	in = (struct complaint_move_input){ .from = from, .to = to, .reason = reason, .advice = "", .measures = 0 };
	return &in;
}

static int move(struct world *w, const char *day, enum complaint_step from, enum complaint_step to,
		const char *reason)
{
	on(day);
	struct principal m = actor(w->member, ROLE_COMMITTEE);
	field_errors e = 0;
	/* the advice says well-founded, the board takes a warning */
	struct complaint_move_input in = { from, to, reason, to == CS_ADVICE ? "well_founded" : "",
					   to == CS_DECIDED ? 1 << MS_WARNING : 0, false };
	return complaint_move(w->vd, as(&m, w->sk_m), w->complaint, &in, &e);
}

static void only_the_committee_of_the_unit_opens_it(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct complaint_file f;
	struct principal m = actor(w.member, ROLE_COMMITTEE), s = actor(w.sibling, ROLE_COMMITTEE),
			 l = actor(w.latecomer, ROLE_COMMITTEE), c = actor(w.counsellor, ROLE_COUNSELLOR),
			 ad = actor(w.admin, ROLE_ADMIN), rd = actor(w.reader, ROLE_READER);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK_STR(f.name, "FWD-NAME-5R");
	CHECK_STR(f.email, "fwd-mail-5r@example.org");
	CHECK_STR(f.account, "CMP-ACCOUNT-MARKER-8Q");
	CHECK_STR(f.when, "");  /* not agreed to */
	CHECK_STR(f.hopes, "");
	CHECK_STR(f.summary, "CMP-SUMMARY-MARKER-8Q");
	CHECK(f.case_id == w.case_id && f.unit_id == w.p1 && f.step == CS_RECEIVED && f.open);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.open", "complaint", w.complaint), 1);
	/* nobody else, whatever they hold: the forwarding counsellor neither */
	CHECK_EQ_INT(complaint_open(w.vd, as(&c, w.sk_c), &a, w.complaint, &f), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_open(w.vd, as(&s, w.sk_s), &a, w.complaint, &f), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_open(w.vd, as(&l, w.sk_l), &a, w.complaint, &f), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_open(w.vd, &ad, &a, w.complaint, &f), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_open(w.vd, &rd, &a, w.complaint, &f), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_open(w.vd, &principal_system, &a, w.complaint, &f), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint + 100, &f), VD_ERR_NOTFOUND);
	/* the member without the session's key, or with another's */
	CHECK_EQ_INT(complaint_open(w.vd, &m, &a, w.complaint, &f), VD_ERR_NOKEY);
	CHECK(complaint_open(w.vd, as(&m, w.sk_s), &a, w.complaint, &f) != VD_OK);
	/* a member moved to another unit no longer sees it, key or not */
	struct account_input moved = { .name = "Mem", .email = "m@example.org", .role = ROLE_COMMITTEE,
				       .units = { &w.p2, 1 }, .active = 1 };
	enum account_field bad;
	CHECK_EQ_INT(account_update(w.vd, &principal_system, w.member, &moved, &bad), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_ERR_NOTFOUND);
	struct complaint_lines lines;
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 0);
	/* the list is the committee's */
	CHECK_EQ_INT(complaint_list(w.vd, as(&c, w.sk_c), &a, CL_OPEN, 0, &lines), VD_ERR_DENIED);
	CHECK_EQ_INT(complaint_list(w.vd, &ad, &a, CL_OPEN, 0, &lines), VD_ERR_DENIED);
	CHECK_EQ_INT(complaint_list(w.vd, as(&s, w.sk_s), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 0); /* P2's member: not sealed to them */
	/* no move, extension or date for anyone but the member */
	field_errors e;
	CHECK_EQ_INT(complaint_move(w.vd, as(&c, w.sk_c), w.complaint, mv(CS_RECEIVED, CS_ADMISSIBLE, ""), &e),
		     VD_ERR_NOTFOUND);
	struct extension_input x = { "7", "notice", "" };
	CHECK_EQ_INT(complaint_extend(w.vd, &ad, w.complaint, 1, &x, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(complaint_set_last_incident(w.vd, as(&s, w.sk_s), w.complaint, "2026-01-01", &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.move", "complaint", w.complaint), 0);
	arena_release(&a);
	end_world(&w);
}

/* Received 2026-04-01: admissibility by 15 April, the decision 10 weeks on,
 * 10 June. The steps move the clocks as the regulation says. */
static void the_procedure_moves_its_clocks(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(f.received_day == D("2026-04-01"));
	CHECK_EQ_INT(f.nterms, 2);
	CHECK(term(&f, CT_ADMISSIBILITY)->due_day == D("2026-04-15"));
	CHECK(term(&f, CT_DECISION)->due_day == D("2026-06-10"));
	CHECK(term(&f, CT_DECISION)->extendable && !term(&f, CT_ADMISSIBILITY)->extendable);
	CHECK_EQ_INT(f.nnext, 5);
	struct complaint_lines lines;
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK(lines.n == 1 && lines.items[0].id == w.complaint && lines.items[0].forwarded);
	CHECK(lines.items[0].next_due_day == D("2026-04-15") && !lines.items[0].overdue);

	/* mediation from 3 to 10 April: six days stand still */
	CHECK_EQ_INT(move(&w, "2026-04-03", CS_RECEIVED, CS_MEDIATION, ""), VD_OK);
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK(lines.n == 1 && lines.items[0].next_due_day == 0); /* stopped */
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(f.paused && f.before == CS_RECEIVED);
	CHECK_EQ_INT(term(&f, CT_DECISION)->state, TS_PAUSED);
	/* it goes back only where it came from */
	CHECK_EQ_INT(move(&w, "2026-04-10", CS_MEDIATION, CS_ADMISSIBLE, ""), VD_ERR_INVALID);
	CHECK_EQ_INT(move(&w, "2026-04-10", CS_MEDIATION, CS_RECEIVED, ""), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(term(&f, CT_ADMISSIBILITY)->due_day == D("2026-04-21"));
	CHECK(term(&f, CT_DECISION)->due_day == D("2026-06-16"));
	CHECK_EQ_INT(f.nterms, 2); /* the same clocks again, not new ones */
	/* a page made before a move: refused, nothing changed */
	CHECK_EQ_INT(move(&w, "2026-04-10", CS_MEDIATION, CS_WITHDRAWN, ""), VD_ERR_INVALID);

	/* incomplete on 13 April: 14 days end on King's Day, so the 28th */
	CHECK_EQ_INT(move(&w, "2026-04-13", CS_RECEIVED, CS_INCOMPLETE, ""), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(term(&f, CT_COMPLETE)->due_day == D("2026-04-28"));
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK(lines.items[0].next_due_day == D("2026-04-28"));
	/* not admissible needs its reasons */
	int64_t moves_before = sql_int(w.path, "SELECT count(*) FROM complaint_moves");
	CHECK_EQ_INT(move(&w, "2026-04-20", CS_INCOMPLETE, CS_NOT_ADMISSIBLE, "  "), VD_ERR_INVALID);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_moves"), moves_before);
	/* completed on 20 April: admissible, in time */
	CHECK_EQ_INT(move(&w, "2026-04-20", CS_INCOMPLETE, CS_ADMISSIBLE, "CMP-REASON-MARKER-8Q"), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK_EQ_INT(term(&f, CT_COMPLETE)->state, TS_MET);
	CHECK_EQ_INT(term(&f, CT_ADMISSIBILITY)->state, TS_MET);
	CHECK(term(&f, CT_ADMISSIBILITY)->met_day == D("2026-04-20"));
	/* 16 June and the six days of the request to complete (14..19 April) */
	CHECK(term(&f, CT_DECISION)->due_day == D("2026-06-22"));
	CHECK_EQ_INT(f.nsteps, 4);
	CHECK_STR(f.steps[3].reason, "CMP-REASON-MARKER-8Q");
	CHECK(f.steps[3].from == CS_INCOMPLETE && f.steps[3].to == CS_ADMISSIBLE && f.steps[3].by == w.member);
	CHECK_STR(f.steps[0].reason, "");

	/* four weeks' extension on notice, then only with consent */
	struct principal mm = actor(w.member, ROLE_COMMITTEE);
	int64_t decision = term(&f, CT_DECISION)->id, admissibility = term(&f, CT_ADMISSIBILITY)->id;
	field_errors e = 0;
	struct extension_input notice = { "28", "notice", "" }, more = { "7", "notice", "" },
			       consent = { "7", "consent", "2026-04-20" }, later = { "7", "consent", "2026-04-21" },
			       zero = { "0", "notice", "" }, what = { "7", "maybe", "" }, nodate = { "7", "consent", "" };
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &zero, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_DAYS);
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &what, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_BASIS);
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &later, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_CONSENT_DAY); /* consent given tomorrow */
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &nodate, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_CONSENT_DAY);
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, admissibility, &notice, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_TERM); /* met already */
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, 999999, &notice, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_TERM);
	struct extension_input five = { "35", "notice", "" };
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &five, &e), VD_ERR_DENIED);
	CHECK_EQ_INT(e, 1u << XF_CONSENT);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_extensions"), 0);
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &notice, &e), VD_OK);
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &more, &e), VD_ERR_DENIED);
	CHECK_EQ_INT(e, 1u << XF_CONSENT);
	CHECK_EQ_INT(complaint_extend(w.vd, as(&mm, w.sk_m), w.complaint, decision, &consent, &e), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(term(&f, CT_DECISION)->due_day == D("2026-07-27")); /* 22 June + 28 + 7 */
	CHECK(term(&f, CT_DECISION)->nextensions == 2 && term(&f, CT_DECISION)->extended_days == 35);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.extend", "complaint", w.complaint), 2);

	/* on 28 July it is overdue, in the overdue list */
	on("2026-07-28");
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OVERDUE, 0, &lines), VD_OK);
	CHECK(lines.n == 1 && lines.items[0].overdue && lines.items[0].next_due_day == D("2026-07-27"));
	on("2026-07-27");
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OVERDUE, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 0);
	/* informing the accused needs them as a party */
	field_errors pe = 0;
	CHECK_EQ_INT(move(&w, "2026-07-28", CS_ADMISSIBLE, CS_ACCUSED_INFORMED, ""), VD_ERR_INVALID);
	char code[RECEIPT_TEXT_LEN + 1];
	struct party_input acc = { .role = PR_ACCUSED, .name = "Bram Beklaagd", .email = "", .phone = "" };
	CHECK_EQ_INT(complaint_party_add(w.vd, as(&m, w.sk_m), w.complaint, &acc, &pe, code), VD_OK);
	CHECK_EQ_INT(move(&w, "2026-07-28", CS_ADMISSIBLE, CS_ACCUSED_INFORMED, ""), VD_OK);
	CHECK_EQ_INT(move(&w, "2026-07-28", CS_ACCUSED_INFORMED, CS_HEARINGS, ""), VD_OK);
	CHECK_EQ_INT(move(&w, "2026-07-29", CS_HEARINGS, CS_ADVICE, ""), VD_ERR_INVALID);
	/* the advice says whether it is well-founded; the decision, the measures */
	struct complaint_move_input adv = { CS_HEARINGS, CS_ADVICE, "CMP-ADVICE-MARKER-8Q gegrond", "", 0, false };
	field_errors me = 0;
	on("2026-07-29");
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, &adv, &me), VD_ERR_INVALID);
	CHECK_EQ_INT(me, 1u << MF_ADVICE);
	adv.advice = "gegrond";
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, &adv, &me), VD_ERR_INVALID);
	CHECK_EQ_INT(me, 1u << MF_ADVICE);
	adv.advice = "partly_well_founded";
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, &adv, &me), VD_OK);
	struct complaint_move_input dec = { CS_ADVICE, CS_DECIDED, "CMP-DECISION-MARKER-8Q", "", 0, false };
	const int64_t bad_measures[] = { 0, 1 << MS_NONE | 1 << MS_WARNING, (int64_t)1 << MS_COUNT };
	for (size_t i = 0; i < sizeof bad_measures / sizeof bad_measures[0]; i++) {
		dec.measures = bad_measures[i];
		CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, &dec, &me), VD_ERR_INVALID);
		CHECK_EQ_INT(me, 1u << MF_MEASURES);
	}
	on("2026-07-30");
	dec.measures = 1 << MS_WARNING | 1 << MS_TRAINING;
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, &dec, &me), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK_STR(f.advice, "partly_well_founded");
	CHECK_EQ_INT(f.measures, 1 << MS_WARNING | 1 << MS_TRAINING);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaints WHERE id = %lld AND advice = 'partly_well_founded'"
		 " AND measures = %d", (long long)w.complaint, 1 << MS_WARNING | 1 << MS_TRAINING);
	CHECK_EQ_INT(sql_int(w.path, sql), 1); /* *stat*: in the clear for the annual report */
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK_EQ_INT(term(&f, CT_DECISION)->state, TS_MET_LATE);
	CHECK_EQ_INT(move(&w, "2026-07-30", CS_DECIDED, CS_CLOSED, ""), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(!f.open && f.nnext == 0 && f.step == CS_CLOSED);
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 0);
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_CLOSED, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 1);
	CHECK_EQ_INT(move(&w, "2026-07-30", CS_CLOSED, CS_RECEIVED, ""), VD_ERR_INVALID);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.move", "complaint", w.complaint), 9);
	/* the reasons are sealed: nothing readable in the database */
	app_close(w.vd);
	w.vd = NULL;
	const char *markers[] = { "CMP-REASON-MARKER-8Q", "CMP-ADVICE-MARKER-8Q", "CMP-DECISION-MARKER-8Q",
				  "CMP-SUMMARY-MARKER-8Q", "CMP-ACCOUNT-MARKER-8Q", "FWD-NAME-5R" };
	CHECK(!db_has_any(w.path, markers, sizeof markers / sizeof markers[0]));
	arena_release(&a);
	end_world(&w);
}

static void withdrawal_stops_every_clock(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	CHECK_EQ_INT(move(&w, "2026-04-02", CS_RECEIVED, CS_MEDIATION, ""), VD_OK);
	CHECK_EQ_INT(move(&w, "2026-04-09", CS_MEDIATION, CS_WITHDRAWN, "geschikt"), VD_OK);
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(!f.open && !f.paused && f.step == CS_WITHDRAWN);
	for (size_t i = 0; i < f.nterms; i++)
		CHECK(f.terms[i].met_day == D("2026-04-09"));
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_pauses WHERE to_day = 0"), 0);
	CHECK(f.nnext == 1 && f.next[0] == CS_CLOSED);
	arena_release(&a);
	end_world(&w);
}

/* A complaint not admissible has no clock left: nothing is shown as due or late. */
static void not_admissible_stops_every_clock(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	CHECK_EQ_INT(move(&w, "2026-04-10", CS_RECEIVED, CS_NOT_ADMISSIBLE, "te laat en zonder feiten"), VD_OK);
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	for (size_t i = 0; i < f.nterms; i++)
		CHECK(f.terms[i].met_day == D("2026-04-10") && f.terms[i].state == TS_MET);
	on("2026-09-01");
	struct complaint_lines lines;
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OVERDUE, 0, &lines), VD_OK);
	CHECK_EQ_INT(lines.n, 0);
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK(lines.n == 1 && lines.items[0].next_due_day == 0 && !lines.items[0].overdue);
	CHECK_EQ_INT(move(&w, "2026-09-01", CS_NOT_ADMISSIBLE, CS_CLOSED, ""), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	for (size_t i = 0; i < f.nterms; i++)
		CHECK_EQ_INT(f.terms[i].state, TS_MET);
	arena_release(&a);
	end_world(&w);
}

/* The regulation lets only the decision term be extended: the core refuses
 * the others whatever is posted, consent or not. */
static void only_the_decision_term_is_extended(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	field_errors e = 0;
	struct extension_input consent = { "7", "consent", "2026-04-01" }, before = { "7", "consent", "2026-03-31" };
	CHECK_EQ_INT(complaint_extend(w.vd, as(&m, w.sk_m), w.complaint, term(&f, CT_ADMISSIBILITY)->id, &consent, &e),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_TERM);
	/* consent before the complaint came in is no consent to its delay */
	CHECK_EQ_INT(complaint_extend(w.vd, as(&m, w.sk_m), w.complaint, term(&f, CT_DECISION)->id, &before, &e),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << XF_CONSENT_DAY);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_extensions"), 0);
	/* past a term's end, mediation begun since does not make it less late */
	CHECK_EQ_INT(move(&w, "2026-04-20", CS_RECEIVED, CS_MEDIATION, ""), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK_EQ_INT(term(&f, CT_ADMISSIBILITY)->state, TS_OVERDUE);
	CHECK_EQ_INT(term(&f, CT_DECISION)->state, TS_PAUSED);
	arena_release(&a);
	end_world(&w);
}

/* With mail set up, the committee's members get one content-free mail
 * when a term is three working days from its end, and one when it passed. */
static void reminders_go_out_once(void)
{
	struct world w;
	CHECK(make_world(&w));
	app_close(w.vd);
	w.vd = NULL;
	CHECK(fixture_append(w.path, "vertrouwd.conf", "smtp_url = smtp://127.0.0.1:9\n"));
	char err[256];
	CHECK_EQ_INT(app_open(w.path, 0, &w.vd, err, sizeof err), VD_OK);
	const char *mails = "SELECT count(*) FROM outbox WHERE kind = 'committee'";
	/* admissibility due Wednesday 15 April: on Thursday the 9th four working days are left */
	on("2026-04-09");
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 0);
	on("2026-04-10"); /* Friday: 13, 14 and 15 April are left */
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 1); /* the one member it is sealed to */
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	on("2026-04-15");
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 1);
	on("2026-04-16");
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 2);
	on("2026-04-20");
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 2);
	CHECK_EQ_INT(sql_int(w.path, "SELECT reminded FROM complaint_terms WHERE kind = 'admissibility'"),
		     REMIND_SOON | REMIND_LATE);
	/* a term met or stopped gets none: the decision term stopped by mediation */
	CHECK_EQ_INT(move(&w, "2026-05-20", CS_RECEIVED, CS_MEDIATION, ""), VD_OK);
	on("2026-06-09");
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, mails), 2);
	CHECK_EQ_INT(sql_int(w.path, "SELECT reminded FROM complaint_terms WHERE kind = 'decision'"), 0);
	end_world(&w);
}

/* Without mail nothing is marked as sent. */
static void no_mail_no_reminders(void)
{
	struct world w;
	CHECK(make_world(&w));
	on("2026-04-16");
	CHECK_EQ_INT(complaints_remind(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM outbox"), 0);
	end_world(&w);
}

static struct complaint_entry an_entry(int64_t unit)
{
	return (struct complaint_entry){ .unit_id = unit, .channel = "letter", .received_on = "2026-03-30",
					 .name = "ENT-NAME-8Q", .email = "ent-mail-8q@example.org", .phone = "",
					 .accused = "ENT-ACCUSED-8Q", .account = "ENT-ACCOUNT-8Q wat er gebeurde",
					 .when = "ENT-WHEN-8Q", .last_incident = "2025-03-01", .asks = "ENT-ASKS-8Q" };
}

/* The secretary enters a complaint that came by letter: sealed to the
 * committee of the unit, its terms from the day it came in. */
static void the_secretary_enters_a_letter(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct principal m = actor(w.member, ROLE_COMMITTEE), s = actor(w.sibling, ROLE_COMMITTEE),
			 c = actor(w.counsellor, ROLE_COUNSELLOR);
	struct complaint_entry in = an_entry(w.p1);
	field_errors e = 0;
	int64_t id = 0;
	int64_t before = sql_int(w.path, "SELECT count(*) FROM complaints");
	CHECK_EQ_INT(complaint_enter(w.vd, as(&c, w.sk_c), &in, &e, &id), VD_ERR_DENIED);
	CHECK_EQ_INT(complaint_enter(w.vd, as(&s, w.sk_s), &in, &e, &id), VD_ERR_INVALID); /* not P2's */
	CHECK_EQ_INT(e, 1u << EF_UNIT);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaints"), before);
	CHECK_EQ_INT(complaint_enter(w.vd, as(&m, w.sk_m), &in, &e, &id), VD_OK);
	CHECK(id > 0 && e == 0);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.create", "complaint", id), 1);
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, id, &f), VD_OK);
	CHECK_STR(f.name, "ENT-NAME-8Q");
	CHECK_STR(f.email, "ent-mail-8q@example.org");
	CHECK_STR(f.accused, "ENT-ACCUSED-8Q");
	CHECK_STR(f.account, "ENT-ACCOUNT-8Q wat er gebeurde");
	CHECK_STR(f.when, "ENT-WHEN-8Q");
	CHECK_STR(f.hopes, "ENT-ASKS-8Q");
	CHECK_STR(f.channel, "letter");
	CHECK(f.case_id == 0 && f.unit_id == w.p1 && f.received_day == D("2026-03-30"));
	CHECK(f.last_incident_day == D("2025-03-01") && f.filed_late);
	CHECK(term(&f, CT_ADMISSIBILITY)->start_day == D("2026-03-30"));
	CHECK(term(&f, CT_ADMISSIBILITY)->due_day == D("2026-04-13"));
	/* sealed to the committee of P1 and above: the member, not P2's */
	CHECK_EQ_INT(complaint_open(w.vd, as(&s, w.sk_s), &a, id, &f), VD_ERR_NOTFOUND);
	/* the forwarded one still reads as before: nobody named */
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK_STR(f.accused, "");
	CHECK_STR(f.channel, "forwarded");
	app_close(w.vd);
	w.vd = NULL;
	const char *markers[] = { "ENT-NAME-8Q", "ent-mail-8q", "ENT-ACCUSED-8Q", "ENT-ACCOUNT-8Q", "ENT-WHEN-8Q",
				  "ENT-ASKS-8Q" };
	CHECK(!db_has_any(w.path, markers, sizeof markers / sizeof markers[0]));
	arena_release(&a);
	end_world(&w);
}

/* Every field of the entry refused alone, with nothing stored. */
static void a_bad_entry_stores_nothing(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	char *long_account = repeat("a", ENTRY_ACCOUNT_MAX_CHARS + 1);
	CHECK(long_account != NULL);
	struct {
		enum entry_field field;
		struct complaint_entry in;
	} bad[20];
	size_t n = 0;
	struct complaint_entry base = an_entry(w.p1);
#define BAD(f, member, value)                    \
	do {                                     \
		bad[n].field = f;                \
		bad[n].in = base;                \
		bad[n].in.member = value;        \
		n++;                             \
	} while (0)
	BAD(EF_UNIT, unit_id, 0);
	BAD(EF_UNIT, unit_id, 999999);
	BAD(EF_CHANNEL, channel, "web");
	BAD(EF_CHANNEL, channel, "");
	BAD(EF_RECEIVED, received_on, "2026-04-02"); /* tomorrow */
	BAD(EF_RECEIVED, received_on, "2025-03-01"); /* more than a year back */
	BAD(EF_RECEIVED, received_on, "30-03-2026");
	BAD(EF_NAME, name, "  ");
	BAD(EF_NAME, name, "twee\nregels");
	BAD(EF_EMAIL, email, "geen-adres");
	BAD(EF_PHONE, phone, "0612345678901234567890123456789012345678901");
	BAD(EF_ACCUSED, accused, "");
	BAD(EF_ACCOUNT, account, " ");
	BAD(EF_ACCOUNT, account, long_account);
	BAD(EF_ACCOUNT, account, "\xc3\x28");
	BAD(EF_WHEN, when, "een\ntwee");
	BAD(EF_INCIDENT, last_incident, "2026-03-31"); /* after it came in */
	BAD(EF_INCIDENT, last_incident, "gisteren");
#undef BAD
	int64_t before = sql_int(w.path, "SELECT count(*) FROM complaints");
	for (size_t i = 0; i < n; i++) {
		field_errors e = 0;
		int64_t id = 0;
		CHECK_EQ_INT(complaint_enter(w.vd, as(&m, w.sk_m), &bad[i].in, &e, &id), VD_ERR_INVALID);
		if (e != 1u << bad[i].field)
			fprintf(stderr, "bad entry %zu: errors %x, want %x\n", i, e, 1u << bad[i].field);
		CHECK_EQ_INT(e, 1u << bad[i].field);
	}
	/* no way to reach the complainant: said once */
	struct complaint_entry none = base;
	none.email = "";
	none.phone = " ";
	field_errors e = 0;
	int64_t id = 0;
	CHECK_EQ_INT(complaint_enter(w.vd, as(&m, w.sk_m), &none, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << EF_CONTACT | 1u << EF_PHONE);
	none.phone = "";
	CHECK_EQ_INT(complaint_enter(w.vd, as(&m, w.sk_m), &none, &e, &id), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << EF_CONTACT);
	none.phone = "030 000 0000"; /* a phone alone will do */
	CHECK_EQ_INT(complaint_enter(w.vd, as(&m, w.sk_m), &none, &e, &id), VD_OK);
	free(long_account);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaints"), before + 1);
	end_world(&w);
}

static void bad_input_changes_nothing(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	field_errors e = 0;
	char *long_reason = repeat("r", COMPLAINT_REASON_MAX_CHARS + 1);
	CHECK(long_reason != NULL);
	int rc = complaint_move(w.vd, as(&m, w.sk_m), w.complaint, mv(CS_RECEIVED, CS_NOT_ADMISSIBLE, long_reason), &e);
	free(long_reason);
	CHECK_EQ_INT(rc, VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << MF_REASON);
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, mv(CS_RECEIVED, CS_NOT_ADMISSIBLE, "\xff\xfe"), &e),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, mv(CS_COUNT, CS_ADMISSIBLE, ""), &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << MF_STEP);
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, mv(CS_RECEIVED, CS_DECIDED, "x"), &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << MF_STEP | 1u << MF_MEASURES);
	CHECK_EQ_INT(complaint_move(w.vd, as(&m, w.sk_m), w.complaint, mv(CS_RECEIVED, (enum complaint_step)77, ""), &e),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_moves"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_pauses"), 0);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaints WHERE id = %lld AND step = 'received'",
		 (long long)w.complaint);
	CHECK_EQ_INT(sql_int(w.path, sql), 1);

	/* the day of the last incident: a date, not after the complaint came in */
	const char *bad[] = { "2026-02-30", "01-04-2026", "gisteren", "2026-04-02" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_EQ_INT(complaint_set_last_incident(w.vd, as(&m, w.sk_m), w.complaint, bad[i], &e), VD_ERR_INVALID);
		CHECK_EQ_INT(e, 1u << IF_DATE);
	}
	snprintf(sql, sizeof sql, "SELECT last_incident_day + filed_late FROM complaints WHERE id = %lld",
		 (long long)w.complaint);
	CHECK_EQ_INT(sql_int(w.path, sql), 0);
	CHECK_EQ_INT(complaint_set_last_incident(w.vd, as(&m, w.sk_m), w.complaint, "2025-04-01", &e), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct complaint_file f;
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(!f.filed_late && f.last_incident_day == D("2025-04-01")); /* a year to the day */
	CHECK_EQ_INT(complaint_set_last_incident(w.vd, as(&m, w.sk_m), w.complaint, "2025-03-31", &e), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(f.filed_late);
	struct complaint_lines lines;
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &lines), VD_OK);
	CHECK(lines.n == 1 && lines.items[0].filed_late);
	CHECK_EQ_INT(complaint_set_last_incident(w.vd, as(&m, w.sk_m), w.complaint, "", &e), VD_OK);
	CHECK_EQ_INT(complaint_open(w.vd, as(&m, w.sk_m), &a, w.complaint, &f), VD_OK);
	CHECK(!f.filed_late && f.last_incident_day == 0);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.incident", "complaint", w.complaint), 3);
	arena_release(&a);
	end_world(&w);
}

/* A complaint forwarded before the procedure existed gets its terms when
 * the server starts, counted from the day it came in. */
static void older_complaints_get_their_terms(void)
{
	struct world w;
	CHECK(make_world(&w));
	CHECK_EQ_INT(sql_exec(w.path, "DELETE FROM complaint_terms"), SQLITE_OK);
	CHECK_EQ_INT(sql_exec(w.path, "UPDATE complaints SET next_due_day = 0"), SQLITE_OK);
	on("2026-05-01");
	CHECK_EQ_INT(complaints_refresh(w.vd), VD_OK);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_terms"), 2);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT next_due_day FROM complaints WHERE id = %lld", (long long)w.complaint);
	CHECK(sql_int(w.path, sql) == D("2026-04-15"));
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.terms", "complaint", w.complaint), 1);
	CHECK_EQ_INT(complaints_refresh(w.vd), VD_OK); /* once */
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM complaint_terms"), 2);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.terms", "complaint", w.complaint), 1);
	end_world(&w);
}

/* A decree day added to holidays.txt moves the due days stored for the
 * list, once, when the server starts. */
static void a_new_holiday_moves_the_stored_due_days(void)
{
	struct world w;
	CHECK(make_world(&w));
	CHECK_EQ_INT(complaints_refresh(w.vd), VD_OK); /* counted with today's holidays */
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT next_due_day FROM complaints WHERE id = %lld", (long long)w.complaint);
	CHECK(sql_int(w.path, sql) == D("2026-04-15"));
	app_close(w.vd);
	w.vd = NULL;
	CHECK(fixture_append(w.path, VD_HOLIDAYS_FILE, "2026-04-15 a day set equal by decree (invented)\n"));
	char err[256];
	CHECK_EQ_INT(app_open(w.path, 0, &w.vd, err, sizeof err), VD_OK);
	on("2026-04-02");
	CHECK_EQ_INT(complaints_refresh(w.vd), VD_OK);
	CHECK(sql_int(w.path, sql) == D("2026-04-16"));
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.terms", "complaint", w.complaint), 1);
	CHECK_EQ_INT(complaints_refresh(w.vd), VD_OK);
	CHECK_EQ_INT(audit_count_of(w.vd, "complaint.terms", "complaint", w.complaint), 1);
	end_world(&w);
}

/* Many complaints: the list pages, by next deadline, those without one last. */
static void the_list_pages_by_deadline(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c = actor(w.counsellor, ROLE_COUNSELLOR), m = actor(w.member, ROLE_COMMITTEE);
	struct consent_input yes = { .step = "forward_committee", .how = "in_person", .on_date = "2026-04-01", .given = 1 };
	struct forward_input fi = { .summary = "" };
	field_errors e;
	int64_t last = 0;
	/* 60 more, one a day from 2 April: their admissibility days follow */
	for (int i = 0; i < 60; i++) {
		char day[DATE_LEN + 1];
		date_format(D("2026-04-02") + i, day);
		on(day);
		int64_t id, complaint;
		CHECK_EQ_INT(submit(w.vd, w.p1, w.counsellor, true, "x", &id, NULL), VD_OK);
		yes.on_date = day;
		CHECK_EQ_INT(case_consent_record(w.vd, &c, id, &yes, &e), VD_OK);
		CHECK_EQ_INT(case_forward(w.vd, as(&c, w.sk_c), id, &fi, &e, &complaint), VD_OK);
		last = complaint;
	}
	/* the newest in mediation before any of its terms ended: no deadline, last */
	w.complaint = last;
	CHECK_EQ_INT(move(&w, "2026-06-01", CS_RECEIVED, CS_MEDIATION, ""), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct complaint_lines p0, p1;
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 0, &p0), VD_OK);
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OPEN, 1, &p1), VD_OK);
	CHECK(p0.n == COMPLAINTS_PAGE && p0.more);
	CHECK(p1.n == 61 - COMPLAINTS_PAGE && !p1.more);
	for (size_t i = 1; i < p0.n; i++)
		CHECK(p0.items[i - 1].next_due_day <= p0.items[i].next_due_day);
	CHECK(p0.items[p0.n - 1].next_due_day <= p1.items[0].next_due_day);
	CHECK(p1.items[p1.n - 1].id == last && p1.items[p1.n - 1].next_due_day == 0);
	CHECK(p1.items[p1.n - 2].next_due_day > 0);
	/* on 1 June, everything due before it is overdue */
	CHECK_EQ_INT(complaint_list(w.vd, as(&m, w.sk_m), &a, CL_OVERDUE, 0, &p0), VD_OK);
	for (size_t i = 0; i < p0.n; i++)
		CHECK(p0.items[i].overdue && p0.items[i].next_due_day < D("2026-06-01"));
	CHECK(p0.n > 0);
	/* every running clock: two for each complaint but the one in mediation, soonest first */
	struct complaint_clocks k0, k1, k2;
	CHECK_EQ_INT(complaint_clock_list(w.vd, as(&m, w.sk_m), &a, 0, &k0), VD_OK);
	CHECK_EQ_INT(complaint_clock_list(w.vd, as(&m, w.sk_m), &a, 1, &k1), VD_OK);
	CHECK_EQ_INT(complaint_clock_list(w.vd, as(&m, w.sk_m), &a, 2, &k2), VD_OK);
	CHECK(k0.n == COMPLAINTS_PAGE && k0.more && k1.n == COMPLAINTS_PAGE && k1.more);
	CHECK(k0.n + k1.n + k2.n == 2 * 60 && !k2.more);
	CHECK(k0.items[0].overdue && k0.items[0].working_days_left == 0);
	for (size_t i = 1; i < k0.n; i++)
		CHECK(k0.items[i - 1].due_day <= k0.items[i].due_day);
	CHECK(k0.items[k0.n - 1].due_day <= k1.items[0].due_day);
	for (size_t i = 0; i < k2.n; i++)
		CHECK(k2.items[i].complaint_id != last && k2.items[i].kind == CT_DECISION && !k2.items[i].overdue &&
		      k2.items[i].working_days_left > 0);
	CHECK_EQ_INT(complaint_clock_list(w.vd, as(&c, w.sk_c), &a, 0, &k0), VD_ERR_DENIED);
	arena_release(&a);
	end_world(&w);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(only_the_committee_of_the_unit_opens_it), TEST(the_procedure_moves_its_clocks),
		TEST(withdrawal_stops_every_clock),            TEST(bad_input_changes_nothing),
		TEST(older_complaints_get_their_terms),        TEST(the_list_pages_by_deadline),
		TEST(a_new_holiday_moves_the_stored_due_days), TEST(not_admissible_stops_every_clock),
		TEST(only_the_decision_term_is_extended),      TEST(reminders_go_out_once), TEST(no_mail_no_reminders),
		TEST(the_secretary_enters_a_letter), TEST(a_bad_entry_stores_nothing),
	};
	return check_run("complaints", tests, sizeof tests / sizeof tests[0]);
}
