/* Unit tests: the annual report's counts (issue 11) — every case and
 * whistleblower table against a hand-counted fixture, only the unit asked
 * and the units below it and only the year asked, small numbers protected,
 * who may make it, and made with every key gone. */
#include <stdio.h>
#include <string.h>

#include "../../src/core/annual.h"
#include "../../src/core/complaints.h"
#include "../../src/core/counsellor_log.h"
#include "../../src/core/whistle.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

struct world {
	char path[128];
	struct vd *vd;
	int64_t root, utrecht, gelderland, counsellor, officer, reader, member;
};

static int report_as(struct world *w, int64_t unit, const char *type, const char *relation, const char *location,
		     int64_t behaviours, bool named)
{
	struct report_input in = { .unit_id = unit, .named = named, .name = named ? "Iemand" : "",
				   .email = named ? "iemand@example.org" : "", .account = "Wat er gebeurde",
				   .location = location, .relation = relation, .reporter_type = type,
				   .behaviours = behaviours, .channel = "web" };
	int64_t id;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	int rc = report_submit(w->vd, &in, &id, code, &errs);
	crypto_wipe(code, sizeof code);
	return rc;
}

/* Utrecht in 2026: 8 members (3 of them named), 2 employees, 1 volunteer;
 * bullying in 9, exclusion in 4 (2 of them with bullying), threats in 1.
 * Gelderland in 2026: 6 members. Utrecht in 2025: 5 members. Two reports
 * of wrongdoing about Utrecht in 2026, one acknowledged in time. */
static bool make_world(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->vd = open_fresh(w->path);
	if (!w->vd)
		return false;
	w->root = add_unit(w->vd, "Landelijk", 0);
	w->utrecht = add_unit(w->vd, "Utrecht", w->root);
	w->gelderland = add_unit(w->vd, "Gelderland", w->root);
	if (user_with_keys(w->vd, "Cas", "cas@example.org", ROLE_COUNSELLOR, w->root, "password of cas", &w->counsellor) ||
	    user_with_keys(w->vd, "Ivo", "ivo@example.org", ROLE_INTEGRITY, w->root, "password of ivo", &w->officer) ||
	    user_with_keys(w->vd, "Rea", "rea@example.org", ROLE_READER, w->root, "password of rea", &w->reader) ||
	    user_with_keys(w->vd, "Mem", "mem@example.org", ROLE_COMMITTEE, w->root, "password of mem", &w->member))
		return false;
	int64_t bullying = 1 << BEH_BULLYING, exclusion = 1 << BEH_EXCLUSION, threats = 1 << BEH_THREATS;
	int rc = VD_OK;
	on("2025-06-01");
	for (int i = 0; rc == VD_OK && i < 5; i++)
		rc = report_as(w, w->utrecht, "member", "colleague", "meeting", bullying, false);
	on("2026-03-10");
	for (int i = 0; rc == VD_OK && i < 8; i++)
		rc = report_as(w, w->utrecht, "member", i < 6 ? "colleague" : "manager", i < 7 ? "meeting" : "online",
			       i < 7 ? bullying | (i < 2 ? exclusion : 0) : exclusion, i < 3);
	for (int i = 0; rc == VD_OK && i < 2; i++)
		rc = report_as(w, w->utrecht, "employee", "manager", "office", bullying | (i ? 0 : exclusion), false);
	if (rc == VD_OK)
		rc = report_as(w, w->utrecht, "volunteer", "colleague", "event", threats, false);
	for (int i = 0; rc == VD_OK && i < 6; i++)
		rc = report_as(w, w->gelderland, "member", "colleague", "meeting", bullying, false);
	/* the register: one acknowledged on day 2, one never */
	struct wb_input wb = { .unit_id = w->utrecht, .relation = "employee", .what = "Iets" };
	field_errors e = 0;
	int64_t id, wait;
	char code[RECEIPT_TEXT_LEN + 1];
	unsigned char sk[CRYPTO_SK_LEN];
	if (rc == VD_OK)
		rc = wb_submit(w->vd, &wb, "s1", 2, &e, &id, code, &wait);
	if (rc == VD_OK)
		rc = open_key(w->vd, w->officer, "password of ivo", sk);
	on("2026-03-12");
	if (rc == VD_OK) {
		struct principal o = actor(w->officer, ROLE_INTEGRITY);
		rc = wb_acknowledge(w->vd, as(&o, sk), id, "", &e);
	}
	wb.category = "fraud";
	if (rc == VD_OK)
		rc = wb_submit(w->vd, &wb, "s1", 2, &e, &id, code, &wait);
	/* two complaints about Utrecht through the form; the counsellor's log:
	 * advice asked to a manager about Utrecht, 90 minutes of training, 2
	 * supervision sessions of an hour, and advice about Gelderland */
	struct complaint_entry ce = { .unit_id = w->utrecht, .name = "Noor", .email = "noor@example.org",
				      .phone = "", .accused = "Bram", .account = "Wat er gebeurde", .when = "",
				      .last_incident = "", .asks = "" };
	for (int i = 0; rc == VD_OK && i < 2; i++)
		rc = complaint_file_public(w->vd, &ce, "s1", 2, &e, &id, code, &wait);

	unsigned char csk[CRYPTO_SK_LEN];
	on("2026-12-03"); /* a log entry is dated up to today */
	if (rc == VD_OK)
		rc = open_key(w->vd, w->counsellor, "password of cas", csk);
	struct principal cp = actor(w->counsellor, ROLE_COUNSELLOR);
	const struct counsellor_log_input entries[] = {
		{ .kind = "advice", .on_date = "2026-03-12", .unit_id = w->utrecht, .asked = 1, .audience = "manager",
		  .subject = "Over de sfeer" },
		{ .kind = "advice", .on_date = "2026-03-12", .unit_id = w->gelderland, .asked = 0, .audience = "board",
		  .subject = "Elders" },
		{ .kind = "training", .on_date = "2026-04-01", .minutes = 90, .subject = "" },
		{ .kind = "supervision", .on_date = "2026-05-01", .minutes = 60 },
		{ .kind = "supervision", .on_date = "2026-06-01", .minutes = 60 },
		/* short questions about Utrecht: 5 from members, 1 from an employee */
		{ .kind = "question", .on_date = "2026-02-01", .unit_id = w->utrecht, .reporter_type = "member" },
		{ .kind = "question", .on_date = "2026-02-02", .unit_id = w->utrecht, .reporter_type = "member" },
		{ .kind = "question", .on_date = "2026-02-03", .unit_id = w->utrecht, .reporter_type = "member", .minutes = 15 },
		{ .kind = "question", .on_date = "2026-02-04", .unit_id = w->utrecht, .reporter_type = "member" },
		{ .kind = "question", .on_date = "2026-02-05", .unit_id = w->utrecht, .reporter_type = "member" },
		{ .kind = "question", .on_date = "2026-02-06", .unit_id = w->utrecht, .reporter_type = "employee" },
		{ .kind = "question", .on_date = "2025-12-31", .unit_id = w->utrecht, .reporter_type = "employee" },
	};
	for (size_t i = 0; rc == VD_OK && i < sizeof entries / sizeof entries[0]; i++) {
		struct counsellor_log_errors le;
		int64_t lid;
		rc = counsellor_log_add(w->vd, as(&cp, csk), &entries[i], &lid, &le);

	}
	crypto_wipe(csk, sizeof csk);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(code, sizeof code);
	on("2026-12-03");
	return rc == VD_OK;
}

static const struct annual_table_view *table(const struct annual_counts *c, enum annual_table k)
{
	return &c->tables[k];
}

/* The cell of key, as "n", "<" (fewer than), "-" (not shown). */
static const char *cell(const struct annual_table_view *t, const char *key)
{
	static char out[32];
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0) {
			if (t->cells[i].mark == SN_SMALL)
				return "<";
			if (t->cells[i].mark == SN_HIDDEN)
				return "-";
			snprintf(out, sizeof out, "%lld", (long long)t->cells[i].n);
			return out;
		}
	return "?";
}

static void utrecht_by_hand(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.utrecht, 2026, &c), VD_OK);
	CHECK_EQ_INT(c.cases, 11);
	CHECK_EQ_INT(c.wb_reports, 2);
	/* a small cell in a table of many categories and 11 cases: the total alone
	 * (some table of 10 cells and 11 would have a small cell narrowed) */
	const struct annual_table_view *t = table(&c, AT_REPORTER_TYPE);
	CHECK(t->total == 11 && t->whole);
	CHECK(table(&c, AT_NAMED)->whole && table(&c, AT_RELATION)->whole && table(&c, AT_LOCATION)->whole);
	for (size_t i = 0; i < t->n; i++)
		CHECK(t->cells[i].mark == SN_HIDDEN && t->cells[i].n == 0);
	/* behaviours (several per case): bullying 7 + 2 = 9 (all but 2 of 11), exclusion
	 * 2 + 1 + 1 = 4, threats 1 */
	t = table(&c, AT_BEHAVIOUR);
	CHECK(!t->additive && strcmp(cell(t, "bullying"), "-") == 0 && strcmp(cell(t, "exclusion"), "<") == 0);
	CHECK(strcmp(cell(t, "threats"), "<") == 0 && strcmp(cell(t, "stalking"), "0") == 0);
	/* what is not shown is not handed on */
	for (size_t i = 0; i < t->n; i++)
		CHECK(t->cells[i].mark == SN_SHOWN || t->cells[i].n == 0);
	/* every case web, every phase new, no route yet */
	CHECK_STR(cell(table(&c, AT_CHANNEL), "web"), "11");
	CHECK_STR(cell(table(&c, AT_PHASE), "new"), "11");
	CHECK_STR(cell(table(&c, AT_ROUTE), ""), "11");
	/* the register: 2 written; acknowledged in time once, the other late
	 * (due 17 March); feedback running for both: all small, one equation
	 * leaves "1 and 1" or "2 and 0"... too few to split */
	t = table(&c, AT_WB_CHANNEL);
	CHECK(t->total == 2 && t->whole);
	CHECK(table(&c, AT_WB_ACK)->whole);
	/* complaints: 2 through the form, admissibility undecided: too few to split */
	CHECK_EQ_INT(c.complaints, 2);
	t = table(&c, AT_COMPLAINT_CHANNEL);
	CHECK(t->total == 2 && t->whole);
	/* the log: one advice about Utrecht; the counsellor belongs to the
	 * national unit, so their training counts there, not in Utrecht's */
	CHECK_EQ_INT(c.advice, 1);
	CHECK(table(&c, AT_ADVICE_ASKED)->whole);
	CHECK(c.training_minutes == 0 && c.supervision_sessions == 0);
	/* no conversation yet in any of the 11, none closed, no exception */
	CHECK_STR(cell(table(&c, AT_CONTACTS), "0"), "11");
	CHECK_STR(cell(table(&c, AT_CONTACTS), "1"), "0");
	CHECK_STR(cell(table(&c, AT_FIRST_CONTACT), "none"), "11");
	CHECK_STR(cell(table(&c, AT_CLOSURE), "open"), "11");
	CHECK_EQ_INT(c.exceptions, 0);
	/* the short questions of 2026: 6, one of them from an employee (small) */
	CHECK_EQ_INT(c.questions, 6);
	t = table(&c, AT_QUESTION_TYPE);
	CHECK(t->total == 6 && (t->whole || strcmp(cell(t, "employee"), "<") == 0));
	/* the whole organisation: Gelderland's 6 members too */
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.root, 2026, &c), VD_OK);
	CHECK_EQ_INT(c.cases, 17);
	CHECK(c.advice == 2 && c.complaints == 2);
	CHECK(c.training_minutes == 90 && c.supervision_sessions == 2 && c.supervision_minutes == 120);
	CHECK(table(&c, AT_REPORTER_TYPE)->whole);
	CHECK_STR(cell(table(&c, AT_BEHAVIOUR), "bullying"), "-");
	/* and 2025: Utrecht's 5 */
	int rc25 = annual_counts_make(w.vd, &principal_system, &a, w.utrecht, 2025, &c);
	CHECK_EQ_INT(rc25, VD_OK);
	CHECK_EQ_INT(c.cases, 5);
	CHECK_STR(cell(table(&c, AT_REPORTER_TYPE), "member"), "5");
	CHECK_EQ_INT(c.wb_reports, 0);
	CHECK_EQ_INT(c.questions, 1);
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}


/* The conversations and the days to the first one and to closing, by hand:
 * 25 cases of a unit of their own, 5 in each bucket, their conversations
 * and closing written straight into the store. */
static void conversations_and_days_by_hand(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t u = add_unit(w.vd, "Gesprekken", w.root);
	on("2026-03-10");
	for (int i = 0; i < 25; i++)
		CHECK_EQ_INT(report_as(&w, u, "member", "colleague", "meeting", 1 << BEH_BULLYING, false), VD_OK);
	on("2026-12-03");
	char sql[2048];
	/* the i-th case (0..24) of the unit: conversations 0, 1, 2, 4 or 10 (by
	 * i / 5), the first one 0, 1, 7, 8 or 31 days in; closed 30, 31, 91, 92
	 * or 366 days in, except the first five */
	snprintf(sql, sizeof sql,
		 "CREATE TEMP TABLE k AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, created_day AS d,"
		 " created_at AS t FROM cases WHERE unit_id = %lld;"
		 "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 9)"
		 " INSERT INTO contacts(case_id, on_day, way, with_whom, minutes, by, created_at)"
		 " SELECT k.id, k.d + (CASE k.i / 5 WHEN 1 THEN 1 WHEN 2 THEN 7 WHEN 3 THEN 8 ELSE 31 END) + n.x,"
		 " 'phone', 'reporter', 30, 1, k.t FROM k JOIN n"
		 " ON n.x < (CASE k.i / 5 WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 4 ELSE 10 END);"
		 "UPDATE cases SET phase = 'closed' WHERE id IN (SELECT id FROM k WHERE i >= 5);"
		 "INSERT OR REPLACE INTO case_work(case_id, closed_at) SELECT id, t + 86400 *"
		 " (CASE i / 5 WHEN 1 THEN 30 WHEN 2 THEN 31 WHEN 3 THEN 92 ELSE 366 END) FROM k WHERE i >= 5;",
		 (long long)u);
	CHECK_EQ_INT(sql_exec(w.path, sql), SQLITE_OK);
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, u, 2026, &c), VD_OK);
	CHECK_EQ_INT(c.cases, 25);
	const struct annual_table_view *t = table(&c, AT_CONTACTS);
	CHECK_STR(cell(t, "0"), "5");
	CHECK_STR(cell(t, "1"), "5");
	CHECK_STR(cell(t, "2_3"), "5");
	CHECK_STR(cell(t, "4_9"), "5");
	CHECK_STR(cell(t, "10_more"), "5");
	t = table(&c, AT_FIRST_CONTACT);
	CHECK_STR(cell(t, "none"), "5");
	CHECK_STR(cell(t, "days_0_1"), "5");
	CHECK_STR(cell(t, "days_2_7"), "5");
	CHECK_STR(cell(t, "days_8_30"), "5");
	CHECK_STR(cell(t, "days_31_more"), "5");
	t = table(&c, AT_CLOSURE);
	CHECK_STR(cell(t, "open"), "5");
	CHECK_STR(cell(t, "months_0_1"), "5");
	CHECK_STR(cell(t, "months_1_3"), "5");
	CHECK_STR(cell(t, "months_3_12"), "5");
	CHECK_STR(cell(t, "years_1_more"), "5");
	CHECK_STR(cell(table(&c, AT_PHASE), "closed"), "20");
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}


/* Linked tables are protected together: 10 cases, 5 without a conversation
 * and 5 with one, 3 of those the first day and 2 within the week. The
 * conversations alone (5 and 5) would tell the first-contact table's "none"
 * and narrow its small cells: both are hidden. */
static void linked_tables_hide_together(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t u = add_unit(w.vd, "Gekoppeld", w.root);
	on("2026-03-10");
	for (int i = 0; i < 10; i++)
		CHECK_EQ_INT(report_as(&w, u, "member", "colleague", "meeting", 1 << BEH_BULLYING, false), VD_OK);
	on("2026-12-03");
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "CREATE TEMP TABLE k AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, created_day AS d,"
		 " created_at AS t FROM cases WHERE unit_id = %lld;"
		 "INSERT INTO contacts(case_id, on_day, way, with_whom, minutes, by, created_at)"
		 " SELECT id, d + CASE WHEN i < 8 THEN 0 ELSE 5 END, 'phone', 'reporter', 30, 1, t FROM k WHERE i >= 5;",
		 (long long)u);
	CHECK_EQ_INT(sql_exec(w.path, sql), SQLITE_OK);
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, u, 2026, &c), VD_OK);
	const struct annual_table_view *f = table(&c, AT_FIRST_CONTACT), *k = table(&c, AT_CONTACTS);
	CHECK(f->whole || strcmp(cell(f, "days_0_1"), "<") == 0);
	CHECK_STR(cell(k, "0"), "-");
	CHECK_STR(cell(k, "1"), "-");
	CHECK_STR(cell(k, "10_more"), "0");
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}

/* The counts need no key: with every key gone (the cases' and the users'),
 * the same tables come out. */
static void made_without_any_key(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts before, after;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.root, 2026, &before), VD_OK);
	static const char shred[] = "DELETE FROM case_keys; DELETE FROM wb_report_keys; DELETE FROM user_keys;"
				    " UPDATE cases SET key_by_receipt = zeroblob(72), content = x'00';"
				    " UPDATE wb_reports SET content = x'00', identity = NULL;";
	CHECK_EQ_INT(sql_exec(w.path, shred), SQLITE_OK);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM case_keys") + sql_int(w.path, "SELECT count(*) FROM user_keys"), 0);
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.root, 2026, &after), VD_OK);
	CHECK(before.cases == after.cases && before.wb_reports == after.wb_reports);
	for (int k = 0; k < AT_COUNT; k++) {
		CHECK(before.tables[k].n == after.tables[k].n && before.tables[k].whole == after.tables[k].whole);
		for (size_t i = 0; i < before.tables[k].n; i++)
			CHECK(before.tables[k].cells[i].n == after.tables[k].cells[i].n &&
			      before.tables[k].cells[i].mark == after.tables[k].cells[i].mark);
	}
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}

static void who_may_make_it(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	struct principal counsellor = actor(w.counsellor, ROLE_COUNSELLOR), reader = actor(w.reader, ROLE_READER),
			 officer = actor(w.officer, ROLE_INTEGRITY);
	CHECK_EQ_INT(annual_counts_make(w.vd, &counsellor, &a, w.utrecht, 2026, &c), VD_OK);
	CHECK_EQ_INT(annual_counts_make(w.vd, &reader, &a, w.utrecht, 2026, &c), VD_ERR_DENIED);
	CHECK_EQ_INT(annual_counts_make(w.vd, &officer, &a, w.utrecht, 2026, &c), VD_ERR_DENIED);
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, 999, 2026, &c), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.utrecht, 1999, &c), VD_ERR_INVALID);
	/* a counsellor of Gelderland only: not Utrecht's, not the whole */
	int64_t g;
	CHECK_EQ_INT(user_with_keys(w.vd, "Gea", "gea@example.org", ROLE_COUNSELLOR, w.gelderland, "password of gea", &g),
		     VD_OK);
	struct principal gp = actor(g, ROLE_COUNSELLOR);
	CHECK_EQ_INT(annual_counts_make(w.vd, &gp, &a, w.gelderland, 2026, &c), VD_OK);
	CHECK_EQ_INT(annual_counts_make(w.vd, &gp, &a, w.utrecht, 2026, &c), VD_ERR_DENIED);
	CHECK_EQ_INT(annual_counts_make(w.vd, &gp, &a, w.root, 2026, &c), VD_ERR_DENIED);
	arena_release(&a);
	fixture_close(w.vd, w.path);
	clock_freeze(0);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(utrecht_by_hand),
		TEST(conversations_and_days_by_hand),
		TEST(linked_tables_hide_together),
		TEST(made_without_any_key),
		TEST(who_may_make_it),
	};
	return check_run("annual", tests, sizeof tests / sizeof tests[0]);
}
