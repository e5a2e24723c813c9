/* Unit tests: case work (issue 4) — the phase table and moves, what the
 * phases ask for, consent gating conversations, forwarding to the committee,
 * hand-over, the confidentiality exception and the dashboard. */
#include <sqlite3.h>
#include <string.h>

#include "../../src/core/accounts.h"
#include "../../src/core/audit.h"
#include "../../src/core/cases.h"
#include "../../src/core/casework.h"
#include "../../src/core/exceptions.h"
#include "../../src/core/files.h"
#include "../../src/core/forward.h"
#include "../../src/core/handover.h"
#include "../../src/core/internal/casework.h"
#include "../../src/core/internal/throttle.h"
#include "../../src/core/units.h"
#include "../../src/core/workflow.h"
#include "../../src/util/buf.h"
#include "../../src/util/date.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

#define DAY (24 * 60 * 60)

/* ---- helpers ------------------------------------------------------------------ */

/* The stored phase of a case, from the store itself. */
static bool stored_phase_is(struct vd *vd, int64_t id, const char *phase)
{
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	bool ok = vd->store->ops->case_get(vd->store, &a, id, &rec) == VD_OK && strcmp(rec.phase, phase) == 0;
	arena_release(&a);
	return ok;
}

/* The case's consent to step in force, as the core decides it from the store's records. */
static bool in_force(struct vd *vd, struct arena *a, int64_t id, const char *step)
{
	struct consent_recs l;
	return vd->store->ops->consent_list(vd->store, a, id, WORK_LISTED, &l) == VD_OK && consent_in_force(&l, step);
}

/* The case's work record as stored. */
static struct case_work_rec stored_work(struct vd *vd, struct arena *a, int64_t id)
{
	struct case_work_rec w;
	memset(&w, 0, sizeof w);
	vd->store->ops->case_work_get(vd->store, a, id, &w);
	return w;
}

/* A day as the text a form sends ("" for none), in the arena. *//* ---- 1. the table --------------------------------------------------------------- */

static void phase_table_every_pair(void)
{
	static const bool allowed[PH_COUNT][PH_COUNT] = {
		[PH_NEW] = { [PH_INTAKE] = true, [PH_CLOSED] = true },
		[PH_INTAKE] = { [PH_CONSULTATION] = true, [PH_CLOSED] = true },
		[PH_CONSULTATION] = { [PH_EVALUATION] = true, [PH_CLOSED] = true },
		[PH_EVALUATION] = { [PH_AFTERCARE] = true, [PH_CONSULTATION] = true, [PH_CLOSED] = true },
		[PH_AFTERCARE] = { [PH_CLOSED] = true },
		[PH_CLOSED] = { [PH_CONSULTATION] = true },
	};
	/* the table's order, as the case page offers them */
	static const enum phase order[PH_COUNT][3] = {
		[PH_NEW] = { PH_INTAKE, PH_CLOSED },
		[PH_INTAKE] = { PH_CONSULTATION, PH_CLOSED },
		[PH_CONSULTATION] = { PH_EVALUATION, PH_CLOSED },
		[PH_EVALUATION] = { PH_AFTERCARE, PH_CONSULTATION, PH_CLOSED },
		[PH_AFTERCARE] = { PH_CLOSED },
		[PH_CLOSED] = { PH_CONSULTATION },
	};
	int total = 0;
	for (int from = 0; from < PH_COUNT; from++) {
		size_t expect = 0;
		for (int to = 0; to < PH_COUNT; to++) {
			CHECK_EQ_INT(phase_move_allowed((enum phase)from, (enum phase)to), allowed[from][to]);
			expect += allowed[from][to];
		}
		CHECK(!allowed[from][from]);
		CHECK(!phase_move_allowed((enum phase)from, (enum phase)from));
		enum phase out[PH_COUNT];
		size_t n = phase_moves((enum phase)from, out);
		CHECK_EQ_INT(n, expect);
		for (size_t i = 0; i < n; i++) {
			CHECK_EQ_INT(out[i], order[from][i]);
			CHECK(allowed[from][out[i]]);
		}
		total += (int)n;
	}
	CHECK_EQ_INT(total, 11);
	CHECK(!phase_move_allowed(PH_COUNT, PH_CLOSED) && !phase_move_allowed(PH_NEW, PH_COUNT));
	/* names round-trip; junk is no phase */
	const char *names[PH_COUNT] = { "new", "intake", "consultation", "evaluation", "aftercare", "closed" };
	for (int p = 0; p < PH_COUNT; p++) {
		CHECK_STR(phase_names[p], names[p]);
		CHECK_EQ_INT(phase_parse(phase_names[p]), p);
	}
	const char *junk[] = { "", "New", "closed ", " new", "aftercare2", "intak", "PH_NEW", "0" };
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		CHECK_EQ_INT(phase_parse(junk[i]), PH_COUNT);
	CHECK_EQ_INT(phase_parse(NULL), PH_COUNT);
}

/* ---- 2. moves on a real case ------------------------------------------------ */

static void case_move_follows_the_table(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c, o;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Otto", "o@example.org", ROLE_COUNSELLOR, root, "password of o", &o), VD_OK);
	int64_t id;
	CHECK_EQ_INT(submit(vd, root, c, false, "Iets gebeurd", &id, NULL), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(o, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	struct case_work_view w;
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.phase, PH_NEW);
	CHECK(w.work.phase_at == 0 && w.work.closed_at == 0);
	CHECK(stored_phase_is(vd, id, "new"));

	const enum phase walk[] = { PH_INTAKE, PH_CONSULTATION, PH_EVALUATION, PH_AFTERCARE, PH_CLOSED,
				    PH_CONSULTATION };
	for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++) {
		int64_t before = clock_now();
		enum phase from = i ? walk[i - 1] : PH_NEW;
		/* a page that thinks the case is elsewhere moves nothing */
		enum phase stale = from == PH_CLOSED ? PH_AFTERCARE : PH_CLOSED;
		CHECK_EQ_INT(case_move(vd, &me, id, stale, walk[i]), VD_ERR_INVALID);
		CHECK(stored_phase_is(vd, id, phase_names[from]));
		CHECK_EQ_INT(audit_count(vd, "case.phase", id), (int64_t)i);
		CHECK_EQ_INT(case_move(vd, &me, id, from, walk[i]), VD_OK);
		CHECK(stored_phase_is(vd, id, phase_names[walk[i]]));
		CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
		CHECK_EQ_INT(w.phase, walk[i]);
		CHECK(w.work.phase_at >= before && w.work.phase_at <= clock_now());
		if (walk[i] == PH_CLOSED)
			CHECK_EQ_INT(w.work.closed_at, w.work.phase_at);
		else
			CHECK_EQ_INT(w.work.closed_at, 0);
		/* one audit entry per move, the newest, by the counsellor */
		CHECK_EQ_INT(audit_count(vd, "case.phase", id), (int64_t)i + 1);
		struct audit_rec last;
		CHECK_EQ_INT(vd->store->ops->audit_last(vd->store, &a, &last), VD_OK);
		CHECK_STR(last.action, "case.phase");
		CHECK_STR(last.object_kind, "case");
		CHECK(last.object_id == id && last.actor_id == c);
	}
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM phase_moves WHERE case_id = %lld", (long long)id);
	CHECK_EQ_INT(sql_int(path, sql), 6);
	/* the phase history, newest first, dated and by whom */
	CHECK_EQ_INT(w.nmoves, 6);
	for (size_t i = 0; i < 6; i++) {
		size_t k = 5 - i; /* the k-th move */
		CHECK_EQ_INT(w.moves[i].to, walk[k]);
		CHECK_EQ_INT(w.moves[i].from, k ? walk[k - 1] : PH_NEW);
		CHECK_EQ_INT(w.moves[i].by, c);
		CHECK(w.moves[i].at > 0 && (i == 0 || w.moves[i].at <= w.moves[i - 1].at));
	}
	CHECK_EQ_INT(w.moves[0].at, w.work.phase_at);

	/* now in consultation: moves not in the table change nothing */
	int64_t phase_at = w.work.phase_at;
	const enum phase forbidden[] = { PH_AFTERCARE, PH_NEW, PH_INTAKE, PH_CONSULTATION, PH_COUNT };
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		CHECK_EQ_INT(case_move(vd, &me, id, PH_COUNT, forbidden[i]), VD_ERR_INVALID);
		CHECK_EQ_INT(case_move(vd, &me, id, PH_CONSULTATION, forbidden[i]), VD_ERR_INVALID);
		CHECK(stored_phase_is(vd, id, "consultation"));
		CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
		CHECK(w.phase == PH_CONSULTATION && w.work.phase_at == phase_at && w.work.closed_at == 0);
		CHECK_EQ_INT(w.nmoves, 6);
	}
	/* nobody but a reader, whatever the role */
	const struct principal committee_me = actor(c, ROLE_COMMITTEE);
	CHECK_EQ_INT(case_move(vd, &them, id, PH_COUNT, PH_EVALUATION), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_move(vd, &principal_system, id, PH_COUNT, PH_EVALUATION), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_move(vd, &committee_me, id, PH_COUNT, PH_EVALUATION), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_move(vd, &me, id + 1000, PH_COUNT, PH_EVALUATION), VD_ERR_NOTFOUND);
	CHECK(stored_phase_is(vd, id, "consultation"));
	CHECK_EQ_INT(audit_count(vd, "case.phase", id), 6);
	CHECK_EQ_INT(sql_int(path, sql), 6);
	/* and consultation -> closed from here is still fine */
	CHECK_EQ_INT(case_move(vd, &me, id, PH_INTAKE, PH_CLOSED), VD_ERR_INVALID); /* allowed, but not from there */
	CHECK(stored_phase_is(vd, id, "consultation"));
	CHECK_EQ_INT(case_move(vd, &me, id, PH_COUNT, PH_CLOSED), VD_OK);
	CHECK(stored_phase_is(vd, id, "closed"));
	CHECK_EQ_INT(audit_count(vd, "case.phase", id), 7);
	crypto_wipe(sk, sizeof sk);
	arena_release(&a);
	fixture_close(vd, path);
}

/* ---- 3. progress and outcome --------------------------------------------------- */

static void progress_and_outcome_validate(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c, o;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Otto", "o@example.org", ROLE_COUNSELLOR, root, "password of o", &o), VD_OK);
	int64_t id;
	CHECK_EQ_INT(submit(vd, root, c, false, "Iets gebeurd", &id, NULL), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN], sk_o[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	CHECK_EQ_INT(open_key(vd, o, "password of o", sk_o), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(o, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	char past[DATE_LEN + 1], future[DATE_LEN + 1];
	date_format(date_of(clock_now()) + (-3), past);
	date_format(date_of(clock_now()) + (30), future);
	const struct progress_input good = {
		.inventory = "INVENTORY-MARKER-3K: wat er speelt", .agreement_on = past, .follow_up = 1,
		.progress_evaluated = true, .legal_advice = false, .aftercare_offered = true, .aftercare_done = false,
		.aftercare_due = future, /* a due date may lie ahead */
	};
	char *too_long = repeat("a", INVENTORY_MAX_CHARS + 1);
	CHECK(too_long != NULL);
	struct {
		struct progress_input in;
		unsigned bits;
	} bad[12];
	size_t nbad = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		bad[i].in = good;
	bad[nbad].in.agreement_on = "2026-02-30", bad[nbad++].bits = 1u << PF_AGREEMENT;
	bad[nbad].in.agreement_on = "x", bad[nbad++].bits = 1u << PF_AGREEMENT;
	bad[nbad].in.agreement_on = "2026-2-3", bad[nbad++].bits = 1u << PF_AGREEMENT;
	bad[nbad].in.aftercare_due = "2026-02-30", bad[nbad++].bits = 1u << PF_AFTERCARE_DUE;
	bad[nbad].in.aftercare_due = "x", bad[nbad++].bits = 1u << PF_AFTERCARE_DUE;
	bad[nbad].in.follow_up = 3, bad[nbad++].bits = 1u << PF_FOLLOW_UP;
	bad[nbad].in.follow_up = -1, bad[nbad++].bits = 1u << PF_FOLLOW_UP;
	bad[nbad].in.inventory = too_long, bad[nbad++].bits = 1u << PF_INVENTORY;
	bad[nbad].in.inventory = "bad \xff byte", bad[nbad++].bits = 1u << PF_INVENTORY;
	bad[nbad].in.inventory = too_long, bad[nbad].in.agreement_on = "x", bad[nbad].in.follow_up = 7,
	bad[nbad].in.aftercare_due = "2026-13-01",
	bad[nbad++].bits = 1u << PF_INVENTORY | 1u << PF_AGREEMENT | 1u << PF_FOLLOW_UP | 1u << PF_AFTERCARE_DUE;
	field_errors e;
	struct case_work_view w;
	for (size_t i = 0; i < nbad; i++) {
		e = 0;
		CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), id, &bad[i].in, &e), VD_ERR_INVALID);
		CHECK_EQ_INT(e, bad[i].bits);
		CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
		CHECK(stored_work(vd, &a, id).inventory == NULL && strcmp(w.inventory, "") == 0);
		CHECK(w.work.agreement_day == 0 && w.work.aftercare_due_day == 0);
		CHECK(w.work.follow_up == 0 && !w.work.aftercare_offered && !w.work.progress_evaluated);
	}
	free(too_long);
	/* only a reader, and not with someone else's key */
	CHECK_EQ_INT(case_progress_save(vd, as(&them, sk_o), id, &good, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_progress_save(vd, as(&principal_system, sk), id, &good, &e), VD_ERR_NOTFOUND);
	CHECK(case_progress_save(vd, as(&me, sk_o), id, &good, &e) != VD_OK);
	CHECK_EQ_INT(audit_count(vd, "case.progress", id), 0);
	CHECK_EQ_INT(case_work_open(vd, as(&them, sk_o), &a, id, &w), VD_ERR_NOTFOUND);
	/* good input is stored, the inventory under the case key */
	CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), id, &good, &e), VD_OK);
	CHECK_EQ_INT(e, 0);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_STR(w.inventory, "INVENTORY-MARKER-3K: wat er speelt");
	CHECK(stored_work(vd, &a, id).inventory != NULL &&
	      stored_work(vd, &a, id).inventory_len == strlen(good.inventory) + CRYPTO_AEAD_OVERHEAD);
	CHECK_STR(dtext(&a, w.work.agreement_day), past);
	CHECK_STR(dtext(&a, w.work.aftercare_due_day), future);
	CHECK_EQ_INT(w.work.follow_up, 1);
	CHECK(w.work.progress_evaluated && !w.work.legal_advice && w.work.aftercare_offered && !w.work.aftercare_done);
	CHECK_EQ_INT(audit_count(vd, "case.progress", id), 1);
	/* the cap counts characters, not bytes */
	char *wide = repeat("\xc3\xa9", INVENTORY_MAX_CHARS); /* é */
	CHECK(wide != NULL);
	struct progress_input in = good;
	in.inventory = wide;
	in.follow_up = 2;
	in.agreement_on = "";
	in.aftercare_due = "";
	CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), id, &in, &e), VD_OK);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_STR(w.inventory, wide);
	CHECK(w.work.follow_up == 2 && w.work.agreement_day == 0 && w.work.aftercare_due_day == 0);
	free(wide);

	/* the outcome */
	struct {
		struct outcome_input in;
		unsigned bits;
	} bo[] = {
		{ { .route = "walk", .outcome = "" }, 1u << OF_ROUTE },
		{ { .route = "", .outcome = "won" }, 1u << OF_OUTCOME },
		{ { .route = "", .outcome = "", .referrals = (int64_t)1 << REF_COUNT }, 1u << OF_REFERRALS },
		{ { .route = "", .outcome = "", .referrals = -1 }, 1u << OF_REFERRALS },
		{ { .route = "Mediation", .outcome = "Referred", .referrals = (int64_t)1 << 40 },
		  1u << OF_ROUTE | 1u << OF_OUTCOME | 1u << OF_REFERRALS },
		/* a corrected classification must be whole and from the lists */
		{ { .route = "", .outcome = "", .stats = { 0, "volunteer", "manager", "meeting" } }, 1u << OF_BEHAVIOURS },
		{ { .route = "", .outcome = "", .stats = { -1, "volunteer", "manager", "meeting" } }, 1u << OF_BEHAVIOURS },
		{ { .route = "", .outcome = "", .stats = { (int64_t)1 << BEH_COUNT, "volunteer", "manager", "meeting" } },
		  1u << OF_BEHAVIOURS },
		{ { .route = "", .outcome = "", .stats = { (int64_t)1 << BEH_BULLYING, "boss", "manager", "meeting" } }, 1u << OF_TYPE },
		{ { .route = "", .outcome = "", .stats = { (int64_t)1 << BEH_BULLYING, "volunteer", "friend", "meeting" } }, 1u << OF_RELATION },
		{ { .route = "", .outcome = "", .stats = { (int64_t)1 << BEH_BULLYING, "volunteer", "manager", "moon" } }, 1u << OF_LOCATION },
		{ { .route = "", .outcome = "", .stats = { (int64_t)1 << BEH_BULLYING, NULL, NULL, NULL } },
		  1u << OF_TYPE | 1u << OF_RELATION | 1u << OF_LOCATION },
		{ { .route = "", .outcome = "", .stats = { 0, "", "", "meeting" } },
		  1u << OF_BEHAVIOURS | 1u << OF_TYPE | 1u << OF_RELATION },
	};
	for (size_t i = 0; i < sizeof bo / sizeof bo[0]; i++) {
		e = 0;
		CHECK_EQ_INT(case_outcome_save(vd, &me, id, &bo[i].in, &e), VD_ERR_INVALID);
		CHECK_EQ_INT(e, bo[i].bits);
		CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
		CHECK(strcmp(w.work.route, "") == 0 && strcmp(w.work.outcome, "") == 0 && w.work.referrals == 0);
		/* the classification as reported */
		CHECK(w.stats.behaviours == 1 && strcmp(w.stats.reporter_type, "member") == 0);
		CHECK(strcmp(w.stats.relation, "colleague") == 0 && strcmp(w.stats.location, "online") == 0);
	}
	const struct outcome_input out_good = { .route = "mediation", .outcome = "partly_solved",
						.referrals = (int64_t)1 << REF_POLICE | (int64_t)1 << REF_MEDIATOR };
	CHECK_EQ_INT(case_outcome_save(vd, &them, id, &out_good, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_outcome_save(vd, &principal_system, id, &out_good, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(audit_count(vd, "case.outcome", id), 0);
	CHECK_EQ_INT(case_outcome_save(vd, &me, id, &out_good, &e), VD_OK);
	CHECK_EQ_INT(e, 0);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_STR(w.work.route, "mediation");
	CHECK_STR(w.work.outcome, "partly_solved");
	CHECK_EQ_INT(w.work.referrals, out_good.referrals);
	CHECK(w.stats.behaviours == 1 && strcmp(w.stats.relation, "colleague") == 0); /* all zero: left alone */
	CHECK_EQ_INT(w.work.follow_up, 2); /* the outcome leaves the progress alone */
	CHECK(strlen(w.inventory) == 2 * INVENTORY_MAX_CHARS);
	/* and the progress leaves the outcome alone */
	CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), id, &good, &e), VD_OK);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK(strcmp(w.work.route, "mediation") == 0 && w.work.referrals == out_good.referrals);
	CHECK_STR(w.inventory, good.inventory);
	CHECK_EQ_INT(audit_count(vd, "case.outcome", id), 1);
	CHECK_EQ_INT(audit_count(vd, "case.progress", id), 3);
	/* every route, outcome and referral bit is taken */
	for (size_t i = 0; case_routes[i]; i++) {
		struct outcome_input oi = { .route = case_routes[i], .outcome = "" };
		CHECK_EQ_INT(case_outcome_save(vd, &me, id, &oi, &e), VD_OK);
	}
	for (size_t i = 0; case_outcomes[i]; i++) {
		struct outcome_input oi = { .route = "", .outcome = case_outcomes[i],
					    .referrals = ((int64_t)1 << REF_COUNT) - 1 };
		CHECK_EQ_INT(case_outcome_save(vd, &me, id, &oi, &e), VD_OK);
	}
	/* the counsellor corrects the classification: stored in the case itself, only by a reader */
	struct outcome_input fix = out_good;
	fix.stats = (struct case_stats){ (int64_t)1 << BEH_BULLYING | (int64_t)1 << BEH_EXCLUSION, "volunteer",
					 "manager", "meeting" };
	CHECK_EQ_INT(case_outcome_save(vd, &them, id, &fix, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.stats.behaviours, 1);
	CHECK_EQ_INT(case_outcome_save(vd, &me, id, &fix, &e), VD_OK);
	CHECK_EQ_INT(e, 0);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.stats.behaviours, fix.stats.behaviours);
	CHECK_STR(w.stats.reporter_type, "volunteer");
	CHECK_STR(w.stats.relation, "manager");
	CHECK_STR(w.stats.location, "meeting");
	CHECK_STR(w.work.route, "mediation");
	struct case_rec rec;
	CHECK_EQ_INT(vd->store->ops->case_get(vd->store, &a, id, &rec), VD_OK);
	CHECK(rec.behaviours == fix.stats.behaviours && strcmp(rec.reporter_type, "volunteer") == 0);
	CHECK(strcmp(rec.relation, "manager") == 0 && strcmp(rec.location, "meeting") == 0);
	app_close(vd);
	const char *markers[] = { "INVENTORY-MARKER-3K" };
	CHECK(!db_has_any(path, markers, 1));
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_o, sizeof sk_o);
	arena_release(&a);
	fixture_close(NULL, path);
}

/* ---- 4. consent and conversations ----------------------------------------------- */

static void consent_gates_contacts(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c, o;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Otto", "o@example.org", ROLE_COUNSELLOR, root, "password of o", &o), VD_OK);
	int64_t id;
	CHECK_EQ_INT(submit(vd, root, c, false, "Iets gebeurd", &id, NULL), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN], sk_o[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	CHECK_EQ_INT(open_key(vd, o, "password of o", sk_o), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(o, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	char today[DATE_LEN + 1], d5[DATE_LEN + 1], d4[DATE_LEN + 1], d3[DATE_LEN + 1], d2[DATE_LEN + 1],
		tomorrow[DATE_LEN + 1];
	date_format(date_of(clock_now()) + (0), today);
	date_format(date_of(clock_now()) + (-5), d5);
	date_format(date_of(clock_now()) + (-4), d4);
	date_format(date_of(clock_now()) + (-3), d3);
	date_format(date_of(clock_now()) + (-2), d2);
	date_format(date_of(clock_now()) + (1), tomorrow);
	field_errors e;
	struct case_work_view w;
	int64_t ncontacts = 0, nconsents = 0;

	/* the reporter: no consent needed */
	struct contact_input ci = { .on_date = d5, .way = "phone", .with_whom = "reporter",
				    .notes = "CONTACT-NOTE-MARKER-4K eerste gesprek", .minutes = 30 };
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &ci, &e), VD_OK);
	CHECK_EQ_INT(e, 0);
	ncontacts++;
	/* anyone else: refused until the reporter agreed to that step */
	const char *parties[] = { "other_party", "manager", "mediator" };
	const char *steps[] = { "contact_other_party", "inform_manager", "mediation" };
	for (size_t p = 0; p < 3; p++) {
		struct contact_input x = ci;
		x.with_whom = parties[p];
		x.notes = "";
		e = 0;
		CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &x, &e), VD_ERR_DENIED);
		CHECK_EQ_INT(e, 1u << CF_CONSENT);
	}
	/* consent to forwarding, or a refusal, opens none of them */
	struct consent_input fwd = { .step = "forward_committee", .how = "email", .on_date = today, .given = 1 };
	CHECK_EQ_INT(case_consent_record(vd, &me, id, &fwd, &e), VD_OK);
	nconsents++;
	struct consent_input refuse = { .step = "mediation", .how = "phone", .on_date = today, .given = 0 };
	CHECK_EQ_INT(case_consent_record(vd, &me, id, &refuse, &e), VD_OK);
	nconsents++;
	for (size_t p = 0; p < 3; p++) {
		struct contact_input x = ci;
		x.with_whom = parties[p];
		CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &x, &e), VD_ERR_DENIED);
	}
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.ncontacts, ncontacts);
	CHECK_EQ_INT(w.work.contacts, ncontacts);
	/* each consent opens its own party only */
	const char *dates[] = { d4, d3, d2 };
	for (size_t p = 0; p < 3; p++) {
		struct consent_input give = { .step = steps[p], .how = "in_person", .on_date = today, .given = 1 };
		e = 0;
		CHECK_EQ_INT(case_consent_record(vd, &me, id, &give, &e), VD_OK);
		CHECK_EQ_INT(e, 0);
		nconsents++;
		for (size_t q = p + 1; q < 3; q++) {
			struct contact_input x = ci;
			x.with_whom = parties[q];
			CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &x, &e), VD_ERR_DENIED);
		}
		struct contact_input x = ci;
		x.with_whom = parties[p];
		x.on_date = dates[p];
		x.way = p == 0 ? "video" : "in_person";
		x.notes = p == 0 ? "CONTACT-NOTE-MARKER-4K met de ander" : "";
		CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &x, &e), VD_OK);
		ncontacts++;
	}
	/* a later refusal withdraws it: the newest record decides */
	struct consent_input withdraw = { .step = "contact_other_party", .how = "mailbox", .on_date = today,
					  .given = 0 };
	CHECK_EQ_INT(case_consent_record(vd, &me, id, &withdraw, &e), VD_OK);
	nconsents++;
	struct contact_input other = ci;
	other.with_whom = "other_party";
	e = 0;
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &other, &e), VD_ERR_DENIED);
	CHECK_EQ_INT(e, 1u << CF_CONSENT);
	struct contact_input mgr = ci;
	mgr.with_whom = "manager";
	mgr.on_date = d2;
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &mgr, &e), VD_OK); /* the others stand */
	ncontacts++;
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK(!in_force(vd, &a, id, "contact_other_party"));
	CHECK(in_force(vd, &a, id, "inform_manager") && in_force(vd, &a, id, "mediation"));
	CHECK(in_force(vd, &a, id, "forward_committee"));
	CHECK_EQ_INT(w.nconsents, nconsents);
	/* asking the reporter again changes nothing until they answer: a
	 * consent in force stays so, a refusal stays one */
	struct consent_input ask = { .step = "inform_manager", .how = "", .on_date = "", .given = CONSENT_ASKED };
	CHECK_EQ_INT(case_consent_record(vd, &me, id, &ask, &e), VD_OK);
	ask.step = "contact_other_party";
	CHECK_EQ_INT(case_consent_record(vd, &me, id, &ask, &e), VD_OK);
	nconsents += 2;
	CHECK(in_force(vd, &a, id, "inform_manager") && !in_force(vd, &a, id, "contact_other_party"));
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK(w.nconsents == (size_t)nconsents && w.consents[0].asked && !w.consents[0].given);
	CHECK_STR(w.consents[0].how, "mailbox");
	CHECK_STR(w.consents[0].step, "contact_other_party"); /* newest first */
	CHECK_EQ_INT(w.consents[0].given, 0);
	CHECK_STR(w.consents[0].how, "mailbox");

	/* bad consent input is refused and stores nothing */
	struct {
		struct consent_input in;
		unsigned bits;
	} bc[] = {
		{ { "dance", "phone", today, 1 }, 1u << NF_STEP },
		{ { "", "phone", today, 1 }, 1u << NF_STEP },
		{ { NULL, "phone", today, 1 }, 1u << NF_STEP },
		{ { "mediation", "phone", tomorrow, 1 }, 1u << NF_DATE },
		{ { "mediation", "phone", "x", 1 }, 1u << NF_DATE },
		{ { "mediation", "phone", "2026-02-30", 1 }, 1u << NF_DATE },
		{ { "mediation", "pigeon", today, 1 }, 1u << NF_HOW },
		{ { "mediation", "", today, 1 }, 1u << NF_HOW },
		{ { "mediation", "phone", today, 3 }, 1u << NF_GIVEN },
		{ { "mediation", "phone", today, -1 }, 1u << NF_GIVEN },
		{ { "x", "y", "z", 5 }, 1u << NF_STEP | 1u << NF_HOW | 1u << NF_DATE | 1u << NF_GIVEN },
	};
	for (size_t i = 0; i < sizeof bc / sizeof bc[0]; i++) {
		e = 0;
		CHECK_EQ_INT(case_consent_record(vd, &me, id, &bc[i].in, &e), VD_ERR_INVALID);
		CHECK_EQ_INT(e, bc[i].bits);
	}
	struct consent_input give_other = { .step = "contact_other_party", .how = "letter", .on_date = today,
					    .given = 1 };
	CHECK_EQ_INT(case_consent_record(vd, &them, id, &give_other, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_consent_record(vd, &principal_system, id, &give_other, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.nconsents, nconsents);
	CHECK_EQ_INT(audit_count(vd, "case.consent", id), nconsents);

	/* conversation validation */
	struct {
		struct contact_input in;
		unsigned bits;
	} bk[] = {
		{ { tomorrow, "phone", "reporter", "", 30 }, 1u << CF_DATE },
		{ { "2026-02-30", "phone", "reporter", "", 30 }, 1u << CF_DATE },
		{ { "x", "phone", "reporter", "", 30 }, 1u << CF_DATE },
		{ { today, "fax", "reporter", "", 30 }, 1u << CF_WAY },
		{ { today, "phone", "boss", "", 30 }, 1u << CF_WITH },
		{ { today, "phone", "reporter", "", 0 }, 1u << CF_MINUTES },
		{ { today, "phone", "reporter", "", CONTACT_MAX_MINUTES + 1 }, 1u << CF_MINUTES },
		{ { today, "phone", "reporter", "", -5 }, 1u << CF_MINUTES },
		{ { today, "phone", "reporter", "bad \xff byte", 30 }, 1u << CF_NOTES },
		{ { tomorrow, "fax", "boss", "", 0 }, 1u << CF_DATE | 1u << CF_WAY | 1u << CF_WITH | 1u << CF_MINUTES },
	};
	for (size_t i = 0; i < sizeof bk / sizeof bk[0]; i++) {
		e = 0;
		CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &bk[i].in, &e), VD_ERR_INVALID);
		CHECK_EQ_INT(e, bk[i].bits);
	}
	struct contact_input longest = { today, "phone", "reporter", "", CONTACT_MAX_MINUTES };
	CHECK_EQ_INT(case_contact_add(vd, as(&them, sk_o), id, &longest, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_contact_add(vd, as(&principal_system, sk), id, &longest, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.ncontacts, ncontacts);
	CHECK_STR(dtext(&a, w.work.last_contact_day), d2);
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), id, &longest, &e), VD_OK);
	ncontacts++;

	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.ncontacts, ncontacts);
	CHECK_EQ_INT(w.work.contacts, ncontacts);
	CHECK_STR(dtext(&a, w.work.last_contact_day), today);
	CHECK_EQ_INT(audit_count(vd, "case.contact", id), ncontacts);
	/* newest first; notes decrypted; the facts as given */
	CHECK_STR(dtext(&a, w.contacts[0].on_day), today);
	CHECK_EQ_INT(w.contacts[0].minutes, CONTACT_MAX_MINUTES);
	CHECK_STR(w.contacts[0].notes, "");
	CHECK_STR(dtext(&a, w.contacts[ncontacts - 1].on_day), d5);
	CHECK_STR(w.contacts[ncontacts - 1].with_whom, "reporter");
	CHECK_STR(w.contacts[ncontacts - 1].notes, "CONTACT-NOTE-MARKER-4K eerste gesprek");
	size_t seen_other = 0;
	for (size_t i = 0; i < w.ncontacts; i++) {
		if (strcmp(w.contacts[i].with_whom, "other_party") == 0) {
			seen_other++;
			CHECK_STR(dtext(&a, w.contacts[i].on_day), d4);
			CHECK_STR(w.contacts[i].way, "video");
			CHECK_STR(w.contacts[i].notes, "CONTACT-NOTE-MARKER-4K met de ander");
			CHECK_EQ_INT(w.contacts[i].by, c);
		}
	}
	CHECK_EQ_INT(seen_other, 1);
	app_close(vd);
	const char *markers[] = { "CONTACT-NOTE-MARKER-4K" };
	CHECK(!db_has_any(path, markers, 1));
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_o, sizeof sk_o);
	arena_release(&a);
	fixture_close(NULL, path);
}

/* ---- 5. forwarding to the committee ------------------------------------------- */

/* The complaint's texts as a committee member opens them (8 on success). */
static int complaint_open(struct vd *vd, const char *dir, struct arena *a, int64_t complaint, int64_t case_id,
			  int64_t member, const unsigned char sk[CRYPTO_SK_LEN], const char *texts[8],
			  unsigned char **plain_out, size_t *plain_len)
{
	char sql[200];
	size_t n, cn;
	snprintf(sql, sizeof sql, "SELECT sealed_key FROM complaint_keys WHERE complaint_id = %lld AND user_id = %lld",
		 (long long)complaint, (long long)member);
	unsigned char *sealed = sql_blob(dir, sql, &n);
	snprintf(sql, sizeof sql, "SELECT content FROM complaints WHERE id = %lld", (long long)complaint);
	unsigned char *content = sql_blob(dir, sql, &cn);
	struct user_key_rec uk;
	unsigned char key[CRYPTO_KEY_LEN];
	int got = 0;
	*plain_out = NULL;
	if (sealed && content && n == CRYPTO_KEY_LEN + CRYPTO_SEAL_OVERHEAD && cn > CRYPTO_AEAD_OVERHEAD &&
	    vd->store->ops->user_key_get(vd->store, member, &uk) == VD_OK &&
	    crypto_unseal(uk.public_key, sk, sealed, n, key) == VD_OK) {
		char ad[64];
		snprintf(ad, sizeof ad, "complaint from case %lld", (long long)case_id);
		unsigned char *plain = malloc(cn - CRYPTO_AEAD_OVERHEAD + 1);
		if (plain && crypto_decrypt(key, ad, content, cn, plain) == VD_OK) {
			const unsigned char *p = plain, *end = plain + cn - CRYPTO_AEAD_OVERHEAD;
			while (got < 8 && lp_read(a, &p, end, &texts[got]) == VD_OK)
				got++;
			if (p != end)
				got = -1; /* more than the eight texts */
			*plain_out = plain;
			*plain_len = cn - CRYPTO_AEAD_OVERHEAD;
		} else {
			free(plain);
		}
	}
	crypto_wipe(key, sizeof key);
	free(sealed);
	free(content);
	return got;
}

static void forward_needs_consent_and_shares_only_what_was_agreed(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), p1 = add_unit(vd, "P1", root), p2 = add_unit(vd, "P2", root);
	CHECK(root && p1 && p2);
	int64_t c, o;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, p1, "password of c", &c), VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Otto", "o@example.org", ROLE_COUNSELLOR, p1, "password of o", &o), VD_OK);
	int64_t named, anon;
	CHECK_EQ_INT(submit(vd, p1, c, true, "FWD-ACCOUNT-MARKER-5R wat er gebeurde", &named, NULL), VD_OK);
	CHECK_EQ_INT(submit(vd, p1, c, false, "FWD-ANON-MARKER-5R", &anon, NULL), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(o, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	char today[DATE_LEN + 1];
	date_format(date_of(clock_now()) + (0), today);
	field_errors e;
	/* what must never cross: the counsellor's notes and conversations */
	CHECK_EQ_INT(case_post(vd, as(&me, sk), named, "note", "FWD-NOTE-MARKER-5R eigen notitie", NULL, 0), VD_OK);
	struct contact_input ci = { today, "phone", "reporter", "FWD-CONTACT-MARKER-5R gesprek", 20 };
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), named, &ci, &e), VD_OK);
	struct progress_input pi = { .inventory = "FWD-INVENTORY-MARKER-5R", .follow_up = 0 };
	CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), named, &pi, &e), VD_OK);

	struct forward_input fi = { .share_account = false, .share_when = true, .share_hopes = false,
				    .summary = "FWD-SUMMARY-5R samen opgesteld" };
	int64_t complaint = 0;
	char sql[200];
	/* no consent */
	e = 0;
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), named, &fi, &e, &complaint), VD_ERR_DENIED);
	CHECK_EQ_INT(e, 1u << FF_CONSENT);
	/* consent to another step, or a refusal, is no consent */
	struct consent_input other = { .step = "mediation", .how = "phone", .on_date = today, .given = 1 };
	CHECK_EQ_INT(case_consent_record(vd, &me, named, &other, &e), VD_OK);
	struct consent_input no = { .step = "forward_committee", .how = "phone", .on_date = today, .given = 0 };
	CHECK_EQ_INT(case_consent_record(vd, &me, named, &no, &e), VD_OK);
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), named, &fi, &e, &complaint), VD_ERR_DENIED);
	CHECK_EQ_INT(e, 1u << FF_CONSENT);
	struct consent_input yes = { .step = "forward_committee", .how = "in_person", .on_date = today, .given = 1 };
	CHECK_EQ_INT(case_consent_record(vd, &me, named, &yes, &e), VD_OK);
	CHECK_EQ_INT(case_consent_record(vd, &me, anon, &yes, &e), VD_OK);
	/* an anonymous report cannot go: the committee needs to know who complains */
	e = 0;
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), anon, &fi, &e, &complaint), VD_ERR_DENIED);
	CHECK_EQ_INT(e, 1u << FF_NAMED);
	/* nobody who can receive it: no committee at all, then only members who do not count */
	e = 0;
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), named, &fi, &e, &complaint), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << FF_COMMITTEE);
	int64_t m_sibling, m_nokeys, m_root, m_p1, cns_root;
	char act[ACTIVATION_PASSWORD_LEN + 1];
	CHECK_EQ_INT(user_with_keys(vd, "Sib", "sib@example.org", ROLE_COMMITTEE, p2, "password of sib", &m_sibling),
		     VD_OK);
	m_nokeys = add_account(vd, "Nok", "nok@example.org", ROLE_COMMITTEE, p1, act);
	CHECK(m_nokeys > 0);
	CHECK_EQ_INT(user_with_keys(vd, "Cns", "cns@example.org", ROLE_COUNSELLOR, root, "password of cns", &cns_root),
		     VD_OK);
	e = 0;
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), named, &fi, &e, &complaint), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << FF_COMMITTEE);
	/* a summary over the cap */
	char *long_summary = repeat("s", FORWARD_SUMMARY_MAX_CHARS + 1);
	CHECK(long_summary != NULL);
	struct forward_input fl = fi;
	fl.summary = long_summary;
	e = 0;
	int rc = case_forward(vd, as(&me, sk), named, &fl, &e, &complaint);
	free(long_summary);
	CHECK_EQ_INT(rc, VD_ERR_INVALID);
	CHECK(e & 1u << FF_SUMMARY);
	/* a non-reader gets nowhere */
	CHECK_EQ_INT(case_forward(vd, as(&them, sk), named, &fi, &e, &complaint), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_forward(vd, as(&principal_system, sk), named, &fi, &e, &complaint), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM complaints"), 0);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM complaint_keys"), 0);
	CHECK_EQ_INT(audit_count(vd, "case.forward", named), 0);
	struct case_work_view w;
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, named, &w), VD_OK);
	CHECK_EQ_INT(w.work.referrals & (1 << REF_COMMITTEE), 0);

	/* a committee member of the unit above */
	CHECK_EQ_INT(user_with_keys(vd, "Mem", "mem@example.org", ROLE_COMMITTEE, root, "password of mem", &m_root),
		     VD_OK);
	e = 0;
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), named, &fi, &e, &complaint), VD_OK);
	CHECK_EQ_INT(e, 0);
	CHECK(complaint > 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaints WHERE id = %lld AND case_id = %lld AND unit_id = %lld",
		 (long long)complaint, (long long)named, (long long)p1);
	CHECK_EQ_INT(sql_int(path, sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaint_keys WHERE complaint_id = %lld", (long long)complaint);
	CHECK_EQ_INT(sql_int(path, sql), 1);
	snprintf(sql, sizeof sql, "SELECT user_id FROM complaint_keys WHERE complaint_id = %lld", (long long)complaint);
	CHECK_EQ_INT(sql_int(path, sql), m_root);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, named, &w), VD_OK);
	CHECK(w.work.referrals & (1 << REF_COMMITTEE));
	CHECK_EQ_INT(audit_count(vd, "case.forward", named), 1);
	/* the member opens it: who complains, what was agreed, the summary; nothing else */
	unsigned char sk_m[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, m_root, "password of mem", sk_m), VD_OK);
	const char *t[8];
	unsigned char *plain = NULL;
	size_t plain_len = 0;
	CHECK_EQ_INT(complaint_open(vd, path, &a, complaint, named, m_root, sk_m, t, &plain, &plain_len), 8);
	CHECK_STR(t[0], "FWD-NAME-5R");
	CHECK_STR(t[1], "fwd-mail-5r@example.org");
	CHECK_STR(t[2], "0612345678");
	CHECK_STR(t[3], "FWD-PREF-5R");
	CHECK_STR(t[4], "");            /* the account was not agreed to */
	CHECK_STR(t[5], "FWD-WHEN-5R"); /* "when" was */
	CHECK_STR(t[6], "");
	CHECK_STR(t[7], "FWD-SUMMARY-5R samen opgesteld");
	const char *never[] = { "FWD-ACCOUNT-MARKER-5R", "FWD-NOTE-MARKER-5R", "FWD-CONTACT-MARKER-5R",
				"FWD-INVENTORY-MARKER-5R", "FWD-HOPES-5R" };
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
		CHECK(memmem(plain, plain_len, never[i], strlen(never[i])) == NULL);
	free(plain);
	plain = NULL;
	/* the counsellor's own key does not open it */
	CHECK(complaint_open(vd, path, &a, complaint, named, m_root, sk, t, &plain, &plain_len) <= 0);
	free(plain);
	plain = NULL;

	/* with the account shared, and a member of the case's own unit too */
	CHECK_EQ_INT(user_with_keys(vd, "Mep", "mep@example.org", ROLE_COMMITTEE, p1, "password of mep", &m_p1), VD_OK);
	int64_t named2, complaint2 = 0;
	CHECK_EQ_INT(submit(vd, p1, c, true, "FWD-ACCOUNT-MARKER-5R tweede", &named2, NULL), VD_OK);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), named2, "note", "FWD-NOTE-MARKER-5R tweede", NULL, 0), VD_OK);
	CHECK_EQ_INT(case_consent_record(vd, &me, named2, &yes, &e), VD_OK);
	struct forward_input all = { .share_account = true, .share_when = false, .share_hopes = true, .summary = "" };
	CHECK_EQ_INT(case_forward(vd, as(&me, sk), named2, &all, &e, &complaint2), VD_OK);
	CHECK(complaint2 > 0 && complaint2 != complaint);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaint_keys WHERE complaint_id = %lld", (long long)complaint2);
	CHECK_EQ_INT(sql_int(path, sql), 2);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM complaint_keys WHERE complaint_id = %lld AND user_id NOT IN (%lld, %lld)",
		 (long long)complaint2, (long long)m_root, (long long)m_p1);
	CHECK_EQ_INT(sql_int(path, sql), 0);
	unsigned char sk_p[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, m_p1, "password of mep", sk_p), VD_OK);
	CHECK_EQ_INT(complaint_open(vd, path, &a, complaint2, named2, m_p1, sk_p, t, &plain, &plain_len), 8);
	CHECK_STR(t[4], "FWD-ACCOUNT-MARKER-5R tweede");
	CHECK_STR(t[5], "");
	CHECK_STR(t[6], "FWD-HOPES-5R");
	CHECK_STR(t[7], "");
	CHECK(memmem(plain, plain_len, "FWD-NOTE-MARKER-5R", 18) == NULL);
	free(plain);
	plain = NULL;
	/* bound to its case: the wrong case id in the associated data does not open it */
	CHECK(complaint_open(vd, path, &a, complaint2, named, m_p1, sk_p, t, &plain, &plain_len) <= 0);
	free(plain);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM complaint_keys WHERE user_id IN (%lld, %lld, %lld)",
		 (long long)m_sibling, (long long)m_nokeys, (long long)cns_root);
	CHECK_EQ_INT(sql_int(path, sql), 0);
	app_close(vd);
	const char *markers[] = { "FWD-ACCOUNT-MARKER-5R", "FWD-SUMMARY-5R", "FWD-NAME-5R", "FWD-WHEN-5R" };
	CHECK(!db_has_any(path, markers, sizeof markers / sizeof markers[0]));
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_m, sizeof sk_m);
	crypto_wipe(sk_p, sizeof sk_p);
	arena_release(&a);
	fixture_close(NULL, path);
}

/* ---- 6. hand-over -------------------------------------------------------------- */

static bool has_handover_to(const struct case_view *v, const char *name)
{
	for (size_t i = 0; i < v->nmessages; i++)
		if (strcmp(v->messages[i].kind, "handover") == 0 && strcmp(v->messages[i].text, name) == 0)
			return true;
	return false;
}

static void handover_reseals(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), ca, cb, cc, inactive, comm, nokeys;
	CHECK_EQ_INT(user_with_keys(vd, "Anna Afscheid", "a@example.org", ROLE_COUNSELLOR, root, "password of a", &ca),
		     VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Bea Overdracht", "b@example.org", ROLE_COUNSELLOR, root, "password of b", &cb),
		     VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Cor Derde", "cc@example.org", ROLE_COUNSELLOR, root, "password of cc", &cc),
		     VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Ina Actief", "i@example.org", ROLE_COUNSELLOR, root, "password of i", &inactive),
		     VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Kees Commissie", "k@example.org", ROLE_COMMITTEE, root, "password of k", &comm),
		     VD_OK);
	char act[ACTIVATION_PASSWORD_LEN + 1];
	nokeys = add_account(vd, "Nina Nieuw", "n@example.org", ROLE_COUNSELLOR, root, act);
	CHECK(nokeys > 0);
	struct account_input off = { .name = "Ina Actief", .email = "i@example.org", .role = ROLE_COUNSELLOR,
				     .units = { &root, 1 }, .active = 0 };
	enum account_field bad;
	CHECK_EQ_INT(account_update(vd, &principal_system, inactive, &off, &bad), VD_OK);

	struct upload *up = upload_of(vd, "bijlage.txt", "HANDOVER-FILE-6T", 16);
	CHECK(up && up->finished);
	struct report_input in = {
		.unit_id = root, .counsellor_id = ca, .account = "Overdracht", .location = "online",
		.relation = "colleague", .reporter_type = "member", .behaviours = 1, .channel = "web",
		.files = &up, .nfiles = 1,
	};
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	CHECK_EQ_INT(report_submit(vd, &in, &id, code, &errs), VD_OK);
	upload_discard(vd, up);
	unsigned char ska[CRYPTO_SK_LEN], skb[CRYPTO_SK_LEN], skc[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, ca, "password of a", ska), VD_OK);
	CHECK_EQ_INT(open_key(vd, cb, "password of b", skb), VD_OK);
	CHECK_EQ_INT(open_key(vd, cc, "password of cc", skc), VD_OK);
	struct principal a_ = actor(ca, ROLE_COUNSELLOR), b_ = actor(cb, ROLE_COUNSELLOR), c_ = actor(cc, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	struct case_view v;
	CHECK_EQ_INT(case_open(vd, as(&a_, ska), &a, id, &v), VD_OK);
	CHECK_EQ_INT(v.nfiles, 1);
	char file_id[FILE_ID_LEN + 1];
	memcpy(file_id, v.files[0].file_id, sizeof file_id);
	CHECK_EQ_INT(case_open(vd, as(&b_, skb), &a, id, &v), VD_ERR_NOTFOUND);

	/* refused hand-overs leave it with A */
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, cb, "bored"), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, cb, ""), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, cb, NULL), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, ca, "leaving"), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, inactive, "leaving"), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, comm, "leaving"), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, nokeys, "leaving"), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, 99999, "leaving"), VD_ERR_INVALID);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, 0, "leaving"), VD_ERR_INVALID);
	/* only a reader can hand it over */
	CHECK_EQ_INT(case_handover(vd, as(&c_, skc), id, cb, "leaving"), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_handover(vd, as(&principal_system, ska), id, cb, "leaving"), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_open(vd, as(&a_, ska), &a, id, &v), VD_OK);
	CHECK_EQ_INT(v.nmessages, 0);
	CHECK_EQ_INT(case_open(vd, as(&b_, skb), &a, id, &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(audit_count(vd, "case.handover", id), 0);

	/* A leaves: B has it now, and only B */
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, cb, "leaving"), VD_OK);
	CHECK_EQ_INT(audit_count(vd, "case.handover", id), 1);
	CHECK_EQ_INT(case_open(vd, as(&a_, ska), &a, id, &v), VD_ERR_NOTFOUND);
	struct case_file f;
	struct file_reader *fr = NULL;
	CHECK_EQ_INT(case_file_open(vd, as(&a_, ska), &a, id, file_id, &f, &fr), VD_ERR_NOTFOUND);
	CHECK(fr == NULL);
	struct case_work_view w;
	CHECK_EQ_INT(case_work_open(vd, as(&a_, ska), &a, id, &w), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_move(vd, &a_, id, PH_COUNT, PH_INTAKE), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_handover(vd, as(&a_, ska), id, cc, "leaving"), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_open(vd, as(&b_, skb), &a, id, &v), VD_OK);
	CHECK_STR(v.text.account, "Overdracht");
	CHECK_EQ_INT(v.text.counsellor_id, cb);
	CHECK(has_handover_to(&v, "Bea Overdracht"));
	CHECK_EQ_INT(case_file_open(vd, as(&b_, skb), &a, id, file_id, &f, &fr), VD_OK);
	CHECK(fr != NULL);
	file_reader_close(fr);
	CHECK_EQ_INT(case_work_open(vd, as(&b_, skb), &a, id, &w), VD_OK);
	CHECK_EQ_INT(case_move(vd, &b_, id, PH_COUNT, PH_INTAKE), VD_OK);
	struct case_list list;
	bool more;
	struct case_cursor next;
	CHECK_EQ_INT(case_list_page(vd, &a_, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK_EQ_INT(list.n, 0);
	CHECK_EQ_INT(case_list_page(vd, &b_, &a, NULL, 25, &list, &more, &next), VD_OK);
	CHECK(list.n == 1 && list.items[0].id == id);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_keys WHERE case_id = %lld", (long long)id);
	CHECK_EQ_INT(sql_int(path, sql), 1);
	snprintf(sql, sizeof sql, "SELECT user_id FROM case_keys WHERE case_id = %lld", (long long)id);
	CHECK_EQ_INT(sql_int(path, sql), cb);
	/* the reporter reads who has it now */
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(report_view(vd, &a, code, "s", 1, &v, &res, &retry), VD_OK);
	CHECK_EQ_INT(res, CODE_OK);
	CHECK(has_handover_to(&v, "Bea Overdracht"));

	/* a conflict of interest is recorded once, for a reader only */
	CHECK_EQ_INT(case_declare_conflict(vd, &a_, id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_declare_conflict(vd, &c_, id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_declare_conflict(vd, &b_, id), VD_OK);
	CHECK_EQ_INT(case_declare_conflict(vd, &b_, id), VD_OK);
	CHECK_EQ_INT(case_work_open(vd, as(&b_, skb), &a, id, &w), VD_OK);
	CHECK_EQ_INT(w.conflicts.n, 1);
	CHECK_EQ_INT(w.conflicts.ids[0], cb);
	/* and B hands it on for that reason */
	CHECK_EQ_INT(case_handover(vd, as(&b_, skb), id, cc, "conflict_of_interest"), VD_OK);
	CHECK_EQ_INT(case_open(vd, as(&b_, skb), &a, id, &v), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_open(vd, as(&c_, skc), &a, id, &v), VD_OK);
	CHECK(has_handover_to(&v, "Bea Overdracht") && has_handover_to(&v, "Cor Derde"));
	CHECK_EQ_INT(case_work_open(vd, as(&c_, skc), &a, id, &w), VD_OK);
	CHECK(w.conflicts.n == 1 && w.conflicts.ids[0] == cb && w.phase == PH_INTAKE);
	crypto_wipe(ska, sizeof ska);
	crypto_wipe(skb, sizeof skb);
	crypto_wipe(skc, sizeof skc);
	arena_release(&a);
	fixture_close(vd, path);
}

/* ---- 7. the exception -------------------------------------------------------- */

static void exception_is_written_once(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c, o;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Otto", "o@example.org", ROLE_COUNSELLOR, root, "password of o", &o), VD_OK);
	int64_t id;
	CHECK_EQ_INT(submit(vd, root, c, false, "Ernstig", &id, NULL), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN], sk_o[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	CHECK_EQ_INT(open_key(vd, o, "password of o", sk_o), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), them = actor(o, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	char past[DATE_LEN + 1], tomorrow[DATE_LEN + 1];
	date_format(date_of(clock_now()) + (-1), past);
	date_format(date_of(clock_now()) + (1), tomorrow);
	const struct exception_input good = {
		.met = { 1, 1, 1, 1, 0, 1 },
		.why = { "EXC-WHY0-MARKER-7E", "EXC-WHY1-MARKER-7E", "EXC-WHY2-MARKER-7E", "EXC-WHY3-MARKER-7E",
			 "EXC-WHY4-MARKER-7E niet vooraf verteld", "EXC-WHY5-MARKER-7E" },
		.told_on = past,
		.informed = "EXC-INFORMED-MARKER-7E de politie",
	};
	struct exception_input bad[12];
	unsigned bits[12];
	size_t nbad = 0;
	for (size_t i = 0; i < 12; i++)
		bad[i] = good;
	bad[nbad].met[2] = -1, bits[nbad++] = 1u << EXC_SERIOUS_HARM;
	bad[nbad].met[1] = 2, bits[nbad++] = 1u << EXC_NO_OTHER_WAY;
	bad[nbad].why[4] = "", bits[nbad++] = 1u << EXC_PERSON_TOLD;
	bad[nbad].why[0] = " \t\n", bits[nbad++] = 1u << EXC_CONSENT_SOUGHT;
	bad[nbad].why[5] = NULL, bits[nbad++] = 1u << EXC_REFERRED;
	bad[nbad].told_on = tomorrow, bits[nbad++] = 1u << EXF_TOLD;
	bad[nbad].told_on = "2026-02-30", bits[nbad++] = 1u << EXF_TOLD;
	bad[nbad].informed = "", bits[nbad++] = 1u << EXF_INFORMED;
	bad[nbad].informed = NULL, bits[nbad++] = 1u << EXF_INFORMED;
	bad[nbad].informed = "  ", bits[nbad++] = 1u << EXF_INFORMED;
	bad[nbad].met[3] = -1, bad[nbad].why[3] = "", bad[nbad].told_on = "x", bad[nbad].informed = "",
	bits[nbad++] = 1u << EXC_HARM_PREVENTED | 1u << EXF_TOLD | 1u << EXF_INFORMED;
	field_errors e;
	struct exception_view *ev;
	size_t n;
	for (size_t i = 0; i < nbad; i++) {
		e = 0;
		CHECK_EQ_INT(case_exception_record(vd, as(&me, sk), id, &bad[i], &e), VD_ERR_INVALID);
		CHECK_EQ_INT(e, bits[i]);
	}
	CHECK_EQ_INT(case_exception_record(vd, as(&them, sk_o), id, &good, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_exception_record(vd, as(&principal_system, sk), id, &good, &e), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(case_exceptions(vd, as(&me, sk), &a, id, &ev, &n), VD_OK);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM exceptions"), 0);
	CHECK_EQ_INT(audit_count(vd, "case.exception", id), 0);

	/* a valid record, read back decrypted */
	int64_t before = clock_now();
	CHECK_EQ_INT(case_exception_record(vd, as(&me, sk), id, &good, &e), VD_OK);
	CHECK_EQ_INT(e, 0);
	CHECK_EQ_INT(audit_count(vd, "case.exception", id), 1);
	CHECK_EQ_INT(case_exceptions(vd, as(&me, sk), &a, id, &ev, &n), VD_OK);
	CHECK_EQ_INT(n, 1);
	int64_t met_bits = 1 << EXC_CONSENT_SOUGHT | 1 << EXC_NO_OTHER_WAY | 1 << EXC_SERIOUS_HARM |
			   1 << EXC_HARM_PREVENTED | 1 << EXC_REFERRED;
	CHECK_EQ_INT(ev[0].conditions, met_bits);
	CHECK_EQ_INT(ev[0].by, c);
	CHECK(ev[0].at >= before && ev[0].at <= clock_now());
	CHECK_STR(dtext(&a, ev[0].told_day), past);
	for (int k = 0; k < EXC_COUNT; k++)
		CHECK_STR(ev[0].why[k], good.why[k]);
	CHECK_STR(ev[0].informed, good.informed);
	CHECK_EQ_INT(case_exceptions(vd, as(&them, sk_o), &a, id, &ev, &n), VD_ERR_NOTFOUND);
	int64_t eid = sql_int(path, "SELECT id FROM exceptions");
	CHECK(eid > 0);

	/* the database itself refuses to change or remove it, for any client */
	app_close(vd);
	vd = NULL;
	char sql[300];
	snprintf(sql, sizeof sql, "UPDATE exceptions SET told_day = 10957 WHERE id = %lld", (long long)eid);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE exceptions SET conditions = 63 WHERE id = %lld", (long long)eid);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	snprintf(sql, sizeof sql, "DELETE FROM exceptions WHERE id = %lld", (long long)eid);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	CHECK(sql_exec(path, "DELETE FROM exceptions") != SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "INSERT OR REPLACE INTO exceptions(id, case_id, at, by, conditions, told_day, content)"
		 " VALUES(%lld, %lld, 0, 0, 0, 0, x'00')",
		 (long long)eid, (long long)id);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "REPLACE INTO exceptions(id, case_id, at, by, conditions, told_day, content)"
		 " VALUES(%lld, %lld, 0, 0, 0, 0, x'00')",
		 (long long)eid, (long long)id);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM exceptions"), 1);
	int64_t past_day = 0;
	CHECK(date_parse(past, &past_day));
	snprintf(sql, sizeof sql, "SELECT conditions FROM exceptions WHERE id = %lld AND told_day = %lld",
		 (long long)eid, (long long)past_day);
	CHECK_EQ_INT(sql_int(path, sql), met_bits);
	/* none of the explanations in the clear */
	const char *markers[] = { "EXC-WHY0-MARKER-7E", "EXC-WHY1-MARKER-7E", "EXC-WHY2-MARKER-7E",
				  "EXC-WHY3-MARKER-7E", "EXC-WHY4-MARKER-7E", "EXC-WHY5-MARKER-7E",
				  "EXC-INFORMED-MARKER-7E" };
	CHECK(!db_has_any(path, markers, sizeof markers / sizeof markers[0]));
	/* still readable afterwards */
	char err[200];
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(case_exceptions(vd, as(&me, sk), &a, id, &ev, &n), VD_OK);
	CHECK(n == 1 && strcmp(ev[0].informed, good.informed) == 0);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_o, sizeof sk_o);
	arena_release(&a);
	fixture_close(vd, path);
}

/* ---- 8. the dashboard ---------------------------------------------------------- */

/* A case for c that came in days ago (the clock moved back meanwhile). */
static int64_t case_from(struct vd *vd, int64_t unit, int64_t c, int days_ago)
{
	int64_t id = 0;
	clock_set_offset(-(int64_t)days_ago * DAY);
	int rc = submit(vd, unit, c, false, "Dashboard", &id, NULL);
	clock_set_offset(0);
	return rc == VD_OK ? id : 0;
}

static int walk_to(struct vd *vd, const struct principal *who, int64_t id, enum phase to)
{
	static const enum phase path[] = { PH_INTAKE, PH_CONSULTATION, PH_EVALUATION, PH_AFTERCARE };
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
		int rc = case_move(vd, who, id, i ? path[i - 1] : PH_NEW, path[i]);
		if (rc)
			return rc;
		if (path[i] == to)
			return VD_OK;
	}
	return VD_ERR_INVALID;
}

/* Is case id in the list, dated when (NULL: any date)? An item's date is its
 * day, or for a case never talked about the day it came in. */
static bool items_have(const struct dashboard_items *l, int64_t id, const char *when)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct dashboard_item *it = &l->items[i];
		char day[DATE_LEN + 1];
		date_format(it->day ? it->day : it->at ? date_of(it->at) : DATE_NONE, day);
		if (it->case_id == id)
			return !when || strcmp(day, when) == 0;
	}
	return false;
}

static void dashboard_counts(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	CHECK_EQ_INT(app_config(vd)->no_contact_weeks, 4);
	int64_t root = add_unit(vd, "Landelijk", 0), c, d;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	CHECK_EQ_INT(user_with_keys(vd, "Dirk", "d@example.org", ROLE_COUNSELLOR, root, "password of d", &d), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN], sk_d[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	CHECK_EQ_INT(open_key(vd, d, "password of d", sk_d), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR), dirk = actor(d, ROLE_COUNSELLOR);
	char today[DATE_LEN + 1], ago50[DATE_LEN + 1], ago60[DATE_LEN + 1], ago20[DATE_LEN + 1],
		in10[DATE_LEN + 1], yesterday[DATE_LEN + 1], in35[DATE_LEN + 1], ago8[DATE_LEN + 1];
	int64_t day = date_of(clock_now());
	date_format(day, today);
	date_format(day - 50, ago50);
	date_format(day - 60, ago60);
	date_format(day - 20, ago20);
	date_format(day + 10, in10);
	date_format(day - 1, yesterday);
	date_format(day + 35, in35);
	date_format(day - 8, ago8);
	field_errors e;

	/* old cases: one never spoken to, one spoken to long ago, one recently, one closed */
	int64_t quiet_none = case_from(vd, root, c, 60), quiet_old = case_from(vd, root, c, 60),
		recent = case_from(vd, root, c, 60), closed = case_from(vd, root, c, 60),
		recent20 = case_from(vd, root, c, 60);
	CHECK(quiet_none && quiet_old && recent && closed && recent20);
	CHECK_EQ_INT(case_move(vd, &me, quiet_old, PH_COUNT, PH_INTAKE), VD_OK);
	struct contact_input old_talk = { ago50, "phone", "reporter", "", 30 };
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), quiet_old, &old_talk, &e), VD_OK);
	CHECK_EQ_INT(walk_to(vd, &me, recent, PH_CONSULTATION), VD_OK);
	struct contact_input talk = { today, "video", "reporter", "", 45 };
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), recent, &talk, &e), VD_OK);
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), recent, &old_talk, &e), VD_OK); /* the newest counts */
	CHECK_EQ_INT(case_move(vd, &me, closed, PH_COUNT, PH_CLOSED), VD_OK);
	struct contact_input talk20 = { ago20, "phone", "reporter", "", 30 };   /* within four weeks */
	CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), recent20, &talk20, &e), VD_OK);
	/* a case that came in today, never spoken to: not quiet yet */
	int64_t fresh = case_from(vd, root, c, 0);
	CHECK(fresh);
	/* aftercare: offered and open without a date; with a date ahead; overdue; done */
	int64_t ac_open = case_from(vd, root, c, 0), ac_later = case_from(vd, root, c, 0),
		ac_overdue = case_from(vd, root, c, 0), ac_done = case_from(vd, root, c, 0);
	CHECK(ac_open && ac_later && ac_overdue && ac_done);
	struct {
		int64_t id;
		const char *due;
		bool done;
	} ac[] = { { ac_open, "", false }, { ac_later, in10, false }, { ac_overdue, yesterday, false },
		   { ac_done, "", true } };
	for (size_t i = 0; i < 4; i++) {
		CHECK_EQ_INT(walk_to(vd, &me, ac[i].id, PH_AFTERCARE), VD_OK);
		struct progress_input pi = { .inventory = "", .follow_up = 1, .aftercare_offered = true,
					     .aftercare_done = ac[i].done, .aftercare_due = ac[i].due };
		CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), ac[i].id, &pi, &e), VD_OK);
		CHECK_EQ_INT(case_contact_add(vd, as(&me, sk), ac[i].id, &talk, &e), VD_OK);
	}
	/* appointments: this week, next month, last week */
	struct appointment_input ap = { .date = today, .time = "10:00", .place = "APPT-PLACE-MARKER-8D kamer 2",
					.shared = true };
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), recent, &ap, &e), VD_OK);
	CHECK_EQ_INT(e, 0);
	struct appointment_input later = ap, before = ap;
	later.date = in35;
	before.date = ago8;
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), recent, &later, &e), VD_OK);
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), quiet_none, &before, &e), VD_OK);
	/* refused appointments */
	struct appointment_input wrong = ap;
	wrong.date = "2026-02-30";
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), recent, &wrong, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << AF_DATE);
	wrong = ap;
	wrong.time = "24:00";
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), recent, &wrong, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << AF_TIME);
	wrong = ap;
	wrong.place = "  ";
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), recent, &wrong, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << AF_PLACE);
	wrong.place = "two\nlines";
	CHECK_EQ_INT(case_appointment_add(vd, as(&me, sk), recent, &wrong, &e), VD_ERR_INVALID);
	CHECK_EQ_INT(e, 1u << AF_PLACE);
	CHECK_EQ_INT(case_appointment_add(vd, as(&dirk, sk_d), recent, &ap, &e), VD_ERR_NOTFOUND);
	/* someone else's cases count for them only */
	int64_t dirks = case_from(vd, root, d, 60);
	CHECK(dirks);
	CHECK_EQ_INT(case_appointment_add(vd, as(&dirk, sk_d), dirks, &ap, &e), VD_OK);

	struct arena a;
	arena_init(&a, 0);
	struct case_work_view w;
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, recent, &w), VD_OK);
	CHECK_EQ_INT(w.nappointments, 2);
	CHECK_STR(w.appointments[0].place, "APPT-PLACE-MARKER-8D kamer 2");

	struct dashboard_view dv;
	CHECK_EQ_INT(casework_dashboard(vd, &me, &a, &dv), VD_OK);
	CHECK_EQ_INT(dv.quiet_weeks, 4);
	CHECK_EQ_INT(dv.by_phase[PH_NEW], 3);          /* quiet_none, recent20, fresh */
	CHECK_EQ_INT(dv.by_phase[PH_INTAKE], 1);       /* quiet_old */
	CHECK_EQ_INT(dv.by_phase[PH_CONSULTATION], 1); /* recent */
	CHECK_EQ_INT(dv.by_phase[PH_EVALUATION], 0);
	CHECK_EQ_INT(dv.by_phase[PH_AFTERCARE], 4);
	CHECK_EQ_INT(dv.by_phase[PH_CLOSED], 1);
	/* this week's appointment only */
	CHECK_EQ_INT(dv.appointments.n, 1);
	CHECK_EQ_INT(dv.appointments.items[0].case_id, recent);
	CHECK_EQ_INT(dv.appointments.items[0].at, date_moment(day, 10 * 60));
	/* quiet: open and no conversation for four weeks (or none since it came in) */
	CHECK_EQ_INT(dv.quiet.n, 2);
	CHECK(items_have(&dv.quiet, quiet_none, ago60));
	CHECK(items_have(&dv.quiet, quiet_old, ago50));
	CHECK(!items_have(&dv.quiet, closed, NULL) && !items_have(&dv.quiet, fresh, NULL));
	CHECK(!items_have(&dv.quiet, recent, NULL) && !items_have(&dv.quiet, recent20, NULL));
	CHECK(!items_have(&dv.quiet, dirks, NULL));
	/* aftercare due: without a date or by today, not done */
	CHECK(items_have(&dv.aftercare, ac_open, ""));
	CHECK(items_have(&dv.aftercare, ac_overdue, yesterday));
	CHECK(!items_have(&dv.aftercare, ac_later, NULL) && !items_have(&dv.aftercare, ac_done, NULL));
	CHECK_EQ_INT(dv.aftercare.n, 2);
	/* Dirk sees his own */
	CHECK_EQ_INT(casework_dashboard(vd, &dirk, &a, &dv), VD_OK);
	CHECK_EQ_INT(dv.by_phase[PH_NEW], 1);
	CHECK_EQ_INT(dv.by_phase[PH_AFTERCARE], 0);
	CHECK(dv.appointments.n == 1 && dv.appointments.items[0].case_id == dirks);
	CHECK(dv.quiet.n == 1 && dv.quiet.items[0].case_id == dirks);
	CHECK_EQ_INT(dv.aftercare.n, 0);
	/* not for anyone else */
	const struct principal committee = actor(c, ROLE_COMMITTEE), reader = actor(c, ROLE_READER);
	CHECK_EQ_INT(casework_dashboard(vd, &principal_system, &a, &dv), VD_ERR_DENIED);
	CHECK_EQ_INT(casework_dashboard(vd, &committee, &a, &dv), VD_ERR_DENIED);
	CHECK_EQ_INT(casework_dashboard(vd, &reader, &a, &dv), VD_ERR_DENIED);
	app_close(vd);
	const char *markers[] = { "APPT-PLACE-MARKER-8D" };
	CHECK(!db_has_any(path, markers, 1));
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk_d, sizeof sk_d);
	arena_release(&a);
	fixture_close(NULL, path);
}

/* The dashboard's aftercare list: every case in the aftercare phase whose
 * aftercare is not done yet (offered or not: not yet offered is the more
 * urgent), once its due date (if any) has come; done aftercare leaves it. */
static void dashboard_aftercare_until_done(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR);
	int64_t offered = case_from(vd, root, c, 0), not_offered = case_from(vd, root, c, 0);
	CHECK(offered && not_offered);
	field_errors e;
	CHECK_EQ_INT(walk_to(vd, &me, offered, PH_AFTERCARE), VD_OK);
	CHECK_EQ_INT(walk_to(vd, &me, not_offered, PH_AFTERCARE), VD_OK);
	struct progress_input yes = { .inventory = "", .aftercare_offered = true, .aftercare_due = "" };
	struct progress_input no = { .inventory = "", .aftercare_offered = false, .aftercare_due = "" };
	CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), offered, &yes, &e), VD_OK);
	CHECK_EQ_INT(case_progress_save(vd, as(&me, sk), not_offered, &no, &e), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct dashboard_view dv;
	int rc = casework_dashboard(vd, &me, &a, &dv);
	bool listed_offered = rc == VD_OK && items_have(&dv.aftercare, offered, "");
	bool listed_not_offered = rc == VD_OK && items_have(&dv.aftercare, not_offered, NULL);
	int64_t in_aftercare = dv.by_phase[PH_AFTERCARE];
	/* aftercare given: off the list */
	struct progress_input done = { .inventory = "", .aftercare_offered = true, .aftercare_done = true,
				       .aftercare_due = "" };
	int rc2 = case_progress_save(vd, as(&me, sk), offered, &done, &e);
	struct dashboard_view dv2;
	int rc3 = casework_dashboard(vd, &me, &a, &dv2);
	bool listed_done = rc3 == VD_OK && items_have(&dv2.aftercare, offered, NULL);
	size_t n = dv2.aftercare.n;
	crypto_wipe(sk, sizeof sk);
	arena_release(&a);
	fixture_close(vd, path); /* before the checks: a failure leaks nothing */
	CHECK_EQ_INT(rc, VD_OK);
	CHECK_EQ_INT(rc2, VD_OK);
	CHECK_EQ_INT(rc3, VD_OK);
	CHECK_EQ_INT(in_aftercare, 2);
	CHECK(listed_offered);
	CHECK(listed_not_offered);
	CHECK(!listed_done);
	CHECK_EQ_INT(n, 1);
}

/* A phase this version does not know (a newer version wrote it, or a damaged
 * row) is an error, not an index: the work page, the moves and the phase
 * history refuse it, and nothing changes. (It used to be lost on the way,
 * and the page then read phase_names[PH_COUNT].) */
static void unknown_phase_is_refused(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	int64_t id, other;
	CHECK_EQ_INT(submit(vd, root, c, false, "Iets gebeurd", &id, NULL), VD_OK);
	CHECK_EQ_INT(submit(vd, root, c, false, "Iets anders", &other, NULL), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	struct case_work_view w;
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE cases SET phase = 'mediation2' WHERE id = %lld", (long long)id);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, id, &w), VD_ERR_STORE);
	for (int to = 0; to <= PH_COUNT; to++)
		CHECK_EQ_INT(case_move(vd, &me, id, PH_COUNT, (enum phase)to), VD_ERR_INVALID);
	CHECK(stored_phase_is(vd, id, "mediation2"));
	CHECK_EQ_INT(audit_count(vd, "case.phase", id), 0);
	/* the dashboard counts what it knows and leaves the rest out */
	struct dashboard_view dv;
	CHECK_EQ_INT(casework_dashboard(vd, &me, &a, &dv), VD_OK);
	int64_t counted = 0;
	for (int p = 0; p < PH_COUNT; p++)
		counted += dv.by_phase[p];
	CHECK_EQ_INT(counted, 1);
	/* an unknown phase in a case's history: the same */
	CHECK_EQ_INT(case_move(vd, &me, other, PH_NEW, PH_INTAKE), VD_OK);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, other, &w), VD_OK);
	CHECK(w.nmoves == 1 && w.moves[0].from == PH_NEW && w.moves[0].to == PH_INTAKE);
	snprintf(sql, sizeof sql, "UPDATE phase_moves SET from_phase = 'later' WHERE case_id = %lld", (long long)other);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	CHECK_EQ_INT(case_work_open(vd, as(&me, sk), &a, other, &w), VD_ERR_STORE);
	crypto_wipe(sk, sizeof sk);
	arena_release(&a);
	fixture_close(vd, path);
}

int main(void)
{
	if (crypto_init() != VD_OK)
		return 1;
	static const struct test tests[] = {
		TEST(phase_table_every_pair),
		TEST(case_move_follows_the_table),
		TEST(progress_and_outcome_validate),
		TEST(consent_gates_contacts),
		TEST(forward_needs_consent_and_shares_only_what_was_agreed),
		TEST(handover_reseals),
		TEST(exception_is_written_once),
		TEST(dashboard_counts),
		TEST(dashboard_aftercare_until_done),
		TEST(unknown_phase_is_refused),
	};
	int rc = check_run("casework", tests, sizeof tests / sizeof tests[0]);
	clock_set_offset(0);
	return rc;
}
