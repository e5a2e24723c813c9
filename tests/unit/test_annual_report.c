/* Unit tests: the annual report from draft to published (issue 11) — four
 * eyes, the year over, a unit too small merged upwards, a unit counted in
 * one published report only, who reads what, the published counts kept as
 * they were, the snapshot and CSV as shown, and the threshold setting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/annual_report.h"
#include "../../src/core/cases.h"
#include "../../src/core/counsellor_log.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

struct world {
	char path[128];
	struct vd *vd;
	int64_t root, utrecht, gelderland, small, c1, c2, reader_u, reader_g, member;
};

static int cases_in(struct world *w, int64_t unit, int n, const char *type)
{
	int rc = VD_OK;
	for (int i = 0; rc == VD_OK && i < n; i++) {
		struct report_input in = { .unit_id = unit, .account = "Wat er gebeurde", .location = "meeting",
					   .relation = "colleague", .reporter_type = type, .behaviours = 1 << BEH_BULLYING,
					   .channel = "web" };
		int64_t id;
		char code[RECEIPT_TEXT_LEN + 1];
		struct report_errors errs;
		rc = report_submit(w->vd, &in, &id, code, &errs);
		crypto_wipe(code, sizeof code);
	}
	return rc;
}

/* 2025: Utrecht 6 members and 5 employees, Gelderland 7 members, the small
 * unit below Gelderland 2 members, the national unit 5 members. Two
 * counsellors of the national unit; a reader of Utrecht, one of Gelderland. */
static bool make_world(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->vd = open_fresh(w->path);
	if (!w->vd)
		return false;
	w->root = add_unit(w->vd, "Landelijk", 0);
	w->utrecht = add_unit(w->vd, "Utrecht", w->root);
	w->gelderland = add_unit(w->vd, "Gelderland", w->root);
	w->small = add_unit(w->vd, "Klein", w->gelderland);
	if (user_with_keys(w->vd, "Cas", "cas@example.org", ROLE_COUNSELLOR, w->root, "password of cas", &w->c1) ||
	    user_with_keys(w->vd, "Dirk", "dirk@example.org", ROLE_COUNSELLOR, w->root, "password of dirk", &w->c2) ||
	    user_with_keys(w->vd, "Rea", "rea@example.org", ROLE_READER, w->utrecht, "password of rea", &w->reader_u) ||
	    user_with_keys(w->vd, "Gea", "gea@example.org", ROLE_READER, w->gelderland, "password of gea", &w->reader_g) ||
	    user_with_keys(w->vd, "Mem", "mem@example.org", ROLE_COMMITTEE, w->root, "password of mem", &w->member))
		return false;
	on("2025-04-01");
	int rc = cases_in(w, w->utrecht, 6, "member");
	if (rc == VD_OK)
		rc = cases_in(w, w->utrecht, 5, "employee");
	if (rc == VD_OK)
		rc = cases_in(w, w->gelderland, 7, "member");
	if (rc == VD_OK)
		rc = cases_in(w, w->small, 2, "member");
	if (rc == VD_OK)
		rc = cases_in(w, w->root, 5, "member");
	on("2026-02-01");
	return rc == VD_OK;
}

static void done(struct world *w)
{
	fixture_close(w->vd, w->path);
	clock_freeze(0);
}

static const char *cell(const struct annual_table_view *t, const char *key)
{
	static char out[32];
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0) {
			if (t->cells[i].mark != SN_SHOWN)
				return t->cells[i].mark == SN_SMALL ? "<" : "-";
			snprintf(out, sizeof out, "%lld", (long long)t->cells[i].n);
			return out;
		}
	return "?";
}

/* Publishes as who, after opening it as a reviewer does (the version seen). */
static int publish(struct vd *vd, const struct principal *who, int64_t unit, int year, enum annual_block *block)
{
	struct arena a;
	arena_init(&a, 0);
	struct annual_report r;
	int rc = annual_report_open(vd, who, &a, unit, year, &r);
	arena_release(&a);
	return rc ? rc : annual_report_publish(vd, who, unit, year, r.version, block);
}

static void publish_needs_another_counsellor(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct principal ru = actor(w.reader_u, ROLE_READER), rg = actor(w.reader_g, ROLE_READER);
	struct principal m = actor(w.member, ROLE_COMMITTEE);
	struct arena a;
	arena_init(&a, 0);
	struct annual_report r;
	enum annual_block block;
	/* nothing yet: a counsellor sees the counts as they stand, a reader nothing */
	CHECK_EQ_INT(annual_report_open(w.vd, &c1, &a, w.utrecht, 2025, &r), VD_OK);
	CHECK(r.state == AR_NONE && r.counts.cases == 11 && r.block == AR_BLOCK_NOT_IN_REVIEW);
	CHECK_EQ_INT(annual_report_open(w.vd, &ru, &a, w.utrecht, 2025, &r), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(annual_report_open(w.vd, &m, &a, w.utrecht, 2025, &r), VD_ERR_DENIED);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_NOT_IN_REVIEW);
	/* bad text, and the reader or a committee member writing: nothing stored */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "bad \x01 text", false), VD_ERR_INVALID);
	char *long_text = repeat("a", ANNUAL_TRENDS_MAX_CHARS + 1);
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, long_text, false), VD_ERR_INVALID);
	free(long_text);
	CHECK_EQ_INT(annual_report_write(w.vd, &ru, w.utrecht, 2025, "Trends", false), VD_ERR_DENIED);
	CHECK_EQ_INT(annual_report_write(w.vd, &m, w.utrecht, 2025, "Trends", false), VD_ERR_DENIED);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM annual_reports"), 0);
	/* written and sent for review by one: the other publishes */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "Meer meldingen over de toon.", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c1, w.utrecht, 2025, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_OWN_TEXT);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_OK);
	CHECK_EQ_INT(audit_count_of(w.vd, "annual.publish", "annual_report", 1), 1);
	CHECK_EQ_INT(audit_count_of(w.vd, "annual.submit", "annual_report", 1), 1);
	/* the reader of Utrecht reads it; the one of Gelderland does not see it */
	CHECK_EQ_INT(annual_report_open(w.vd, &ru, &a, w.utrecht, 2025, &r), VD_OK);
	CHECK(r.state == AR_PUBLISHED && r.counts.cases == 11 && strcmp(r.trends, "Meer meldingen over de toon.") == 0);
	CHECK_STR(cell(&r.counts.tables[AT_REPORTER_TYPE], "member"), "6");
	CHECK_STR(cell(&r.counts.tables[AT_REPORTER_TYPE], "employee"), "5");
	CHECK_EQ_INT(annual_report_open(w.vd, &rg, &a, w.utrecht, 2025, &r), VD_ERR_NOTFOUND);
	struct annual_report_item *items;
	size_t n;
	CHECK_EQ_INT(annual_report_list(w.vd, &ru, &a, 0, &items, &n), VD_OK);
	CHECK(n == 1 && items[0].unit_id == w.utrecht && items[0].state == AR_PUBLISHED);
	CHECK_EQ_INT(annual_report_list(w.vd, &rg, &a, 0, &items, &n), VD_OK);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(annual_report_list(w.vd, &m, &a, 0, &items, &n), VD_ERR_DENIED);
	/* published: it does not change, not by a text, not by a late case */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "Anders", false), VD_ERR_EXISTS);
	on("2025-12-30");
	CHECK_EQ_INT(cases_in(&w, w.utrecht, 1, "volunteer"), VD_OK);
	on("2026-02-02");
	CHECK_EQ_INT(annual_report_open(w.vd, &ru, &a, w.utrecht, 2025, &r), VD_OK);
	CHECK(r.counts.cases == 11 && strcmp(r.trends, "Meer meldingen over de toon.") == 0);
	struct annual_counts now;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.utrecht, 2025, &now), VD_OK);
	CHECK_EQ_INT(now.cases, 12);
	arena_release(&a);
	done(&w);
}

static void not_before_the_year_is_over_and_not_too_small(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	enum annual_block block;
	struct annual_report r;
	/* this year: not before 1 January */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2026, "Halverwege", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2026, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_YEAR_OPEN);
	/* 2 records: too few for a report of its own, merged into Gelderland's */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.small, 2025, "Klein", true), VD_OK);
	CHECK_EQ_INT(annual_report_open(w.vd, &c2, &a, w.small, 2025, &r), VD_OK);
	CHECK(r.block == AR_BLOCK_TOO_SMALL && r.counted_in == w.gelderland);
	CHECK_EQ_INT(publish(w.vd, &c2, w.small, 2025, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_TOO_SMALL);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM annual_reports WHERE state = 'published'"), 0);
	/* Gelderland's report counts the small unit's 2 with its own 7 */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.gelderland, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.gelderland, 2025, &block), VD_OK);
	CHECK_EQ_INT(annual_report_open(w.vd, &c2, &a, w.gelderland, 2025, &r), VD_OK);
	CHECK(r.counts.cases == 9 && r.counts.ncovers == 2);
	/* a reader of the small unit would read Gelderland's: it counts their unit */
	int64_t rs;
	CHECK_EQ_INT(user_with_keys(w.vd, "Sam", "sam@example.org", ROLE_READER, w.small, "password of sam", &rs), VD_OK);
	struct principal reader_small = actor(rs, ROLE_READER);
	CHECK_EQ_INT(annual_report_open(w.vd, &reader_small, &a, w.gelderland, 2025, &r), VD_OK);
	/* and the small unit is now counted above: no report of its own */
	CHECK_EQ_INT(annual_report_open(w.vd, &c2, &a, w.small, 2025, &r), VD_OK);
	CHECK(r.block == AR_BLOCK_TOO_SMALL || r.block == AR_BLOCK_COUNTED_ELSEWHERE);
	arena_release(&a);
	done(&w);
}

/* A record is counted in one published report at most: a unit below with
 * its own report is left out above it; a unit counted above cannot publish
 * one of its own. */
static void one_record_in_one_report(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	enum annual_block block;
	struct annual_counts c;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.root, 2025, &c), VD_OK);
	CHECK(c.cases == 25 && c.ncovers == 4);
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_OK);
	/* the national report now counts the national unit and Gelderland (and below) */
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.root, 2025, &c), VD_OK);
	CHECK(c.cases == 14 && c.ncovers == 3);
	for (size_t i = 0; i < c.ncovers; i++)
		CHECK(c.covers[i] != w.utrecht);
	CHECK_EQ_INT(annual_report_write(w.vd, &c2, w.root, 2025, "Landelijk", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c1, w.root, 2025, &block), VD_OK);
	/* Gelderland is counted there: no second report of it */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.gelderland, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.gelderland, 2025, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_COUNTED_ELSEWHERE);
	/* the reader of Gelderland reads the national report, which counts their unit */
	struct principal rg = actor(w.reader_g, ROLE_READER);
	struct annual_report r;
	CHECK_EQ_INT(annual_report_open(w.vd, &rg, &a, w.root, 2025, &r), VD_OK);
	CHECK_EQ_INT(r.counts.cases, 14);
	arena_release(&a);
	done(&w);
}

/* The year before: its published report beside this one. */
static void the_year_before_beside_it(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct principal ru = actor(w.reader_u, ROLE_READER);
	struct arena a;
	arena_init(&a, 0);
	enum annual_block block;
	on("2026-05-01");
	CHECK_EQ_INT(cases_in(&w, w.utrecht, 8, "member"), VD_OK);
	on("2027-01-04");
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_OK);
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2026, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2026, &block), VD_OK);
	struct annual_report r;
	CHECK_EQ_INT(annual_report_open(w.vd, &ru, &a, w.utrecht, 2026, &r), VD_OK);
	CHECK(r.has_before && r.before.year == 2025 && r.before.cases == 11 && r.counts.cases == 8);
	CHECK_STR(cell(&r.before.tables[AT_REPORTER_TYPE], "member"), "6");
	CHECK_STR(cell(&r.counts.tables[AT_REPORTER_TYPE], "member"), "8");
	arena_release(&a);
	done(&w);
}


/* The reviewer publishes what they read: a text changed since is refused. */
static void publish_what_was_read(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	enum annual_block block;
	struct annual_report seen;
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "Versie een", true), VD_OK);
	CHECK_EQ_INT(annual_report_open(w.vd, &c2, &a, w.utrecht, 2025, &seen), VD_OK);
	CHECK_EQ_INT(seen.block, AR_CAN);
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "Versie twee", true), VD_OK);
	CHECK_EQ_INT(annual_report_publish(w.vd, &c2, w.utrecht, 2025, seen.version, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_CHANGED);
	/* a late case changes the counts: refused too */
	CHECK_EQ_INT(annual_report_open(w.vd, &c2, &a, w.utrecht, 2025, &seen), VD_OK);
	on("2025-11-11");
	CHECK_EQ_INT(cases_in(&w, w.utrecht, 1, "member"), VD_OK);
	on("2026-02-02");
	CHECK_EQ_INT(annual_report_publish(w.vd, &c2, w.utrecht, 2025, seen.version, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_CHANGED);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_OK);
	/* and no year to come can be written */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2027, "Later", false), VD_ERR_INVALID);
	arena_release(&a);
	done(&w);
}

/* A unit moved in the tree after a report that counts it was published is
 * not counted again: not in a report of its own, not in its new parent's. */
static void moved_units_stay_where_they_were_counted(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct arena a;
	arena_init(&a, 0);
	enum annual_block block;
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.gelderland, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.gelderland, 2025, &block), VD_OK); /* Gelderland and Klein: 9 */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.root, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.root, 2025, &block), VD_OK); /* national and Utrecht: 16 */
	/* Klein moves below Utrecht, Utrecht below Gelderland */
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE units SET parent_id = %lld WHERE id = %lld;"
		 "UPDATE units SET parent_id = %lld WHERE id = %lld;", (long long)w.utrecht, (long long)w.small,
		 (long long)w.gelderland, (long long)w.utrecht);
	CHECK_EQ_INT(sql_exec(w.path, sql), SQLITE_OK);
	struct annual_report r;
	CHECK_EQ_INT(annual_report_open(w.vd, &c2, &a, w.utrecht, 2025, &r), VD_OK);
	CHECK(r.block == AR_BLOCK_COUNTED_ELSEWHERE && r.counted_in == w.root);
	CHECK_EQ_INT(r.counts.cases, 0); /* Utrecht's 11 are the national report's, Klein's 2 Gelderland's */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_ERR_DENIED);
	CHECK_EQ_INT(block, AR_BLOCK_COUNTED_ELSEWHERE);
	arena_release(&a);
	done(&w);
}

/* The year before is shown to a reader only when they may read it. */
static void the_year_before_only_if_readable(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct principal c1 = actor(w.c1, ROLE_COUNSELLOR), c2 = actor(w.c2, ROLE_COUNSELLOR);
	struct principal ru = actor(w.reader_u, ROLE_READER);
	struct arena a;
	arena_init(&a, 0);
	enum annual_block block;
	on("2027-01-04");
	/* 2025: Utrecht's own report, then the national one for the rest */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.utrecht, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.utrecht, 2025, &block), VD_OK);
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.root, 2025, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.root, 2025, &block), VD_OK);
	/* 2026: the national one counts Utrecht too */
	CHECK_EQ_INT(annual_report_write(w.vd, &c1, w.root, 2026, "", true), VD_OK);
	CHECK_EQ_INT(publish(w.vd, &c2, w.root, 2026, &block), VD_OK);
	struct annual_report r;
	CHECK_EQ_INT(annual_report_open(w.vd, &ru, &a, w.root, 2025, &r), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(annual_report_open(w.vd, &ru, &a, w.root, 2026, &r), VD_OK);
	CHECK(!r.has_before);
	CHECK_EQ_INT(annual_report_open(w.vd, &c1, &a, w.root, 2026, &r), VD_OK);
	CHECK(r.has_before && r.before.cases == 14);
	arena_release(&a);
	done(&w);
}


/* A short question counts in its unit's report: only about a unit one serves. */
static void questions_only_about_served_units(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t g;
	CHECK_EQ_INT(user_with_keys(w.vd, "Gijs", "gijs@example.org", ROLE_COUNSELLOR, w.gelderland, "password of gijs",
				    &g), VD_OK);
	struct principal gp = actor(g, ROLE_COUNSELLOR);
	struct counsellor_log_input in = { .kind = "question", .on_date = "2026-01-10", .unit_id = w.utrecht, .asked = -1,
					   .reporter_type = "member" };
	struct counsellor_log_errors errs;
	int64_t id;
	CHECK_EQ_INT(counsellor_log_add(w.vd, &gp, &in, &id, &errs), VD_ERR_INVALID);
	CHECK(errs.bad[CLF_UNIT]);
	in.unit_id = w.small; /* below Gelderland: served */
	CHECK_EQ_INT(counsellor_log_add(w.vd, &gp, &in, &id, &errs), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	struct unit_list tree;
	int *depth;
	CHECK_EQ_INT(counsellor_log_question_units(w.vd, &gp, &a, &tree, &depth), VD_OK);
	CHECK(tree.n == 2 && tree.items[0].id == w.gelderland && tree.items[1].id == w.small);
	arena_release(&a);
	done(&w);
}

/* What is kept of a published report reads back as it was written; a
 * text this build did not write is refused. */
static void snapshot_reads_back(void)
{
	struct world w;
	CHECK(make_world(&w));
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c, back;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, w.root, 2025, &c), VD_OK);
	struct buf b;
	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(annual_counts_write(&c, &b), VD_OK);
	CHECK_EQ_INT(annual_counts_read(&a, b.data, &back), VD_OK);
	CHECK(back.unit_id == c.unit_id && back.year == c.year && back.threshold == c.threshold);
	CHECK(back.cases == c.cases && back.questions == c.questions && back.ncovers == c.ncovers);
	for (size_t i = 0; i < c.ncovers; i++)
		CHECK(back.covers[i] == c.covers[i]);
	for (int k = 0; k < AT_COUNT; k++) {
		CHECK(back.tables[k].n == c.tables[k].n && back.tables[k].total == c.tables[k].total);
		CHECK(back.tables[k].whole == c.tables[k].whole && back.tables[k].additive == c.tables[k].additive);
		for (size_t i = 0; i < c.tables[k].n; i++) {
			CHECK_STR(back.tables[k].keys[i], c.tables[k].keys[i]);
			CHECK(back.tables[k].cells[i].n == c.tables[k].cells[i].n &&
			      back.tables[k].cells[i].mark == c.tables[k].cells[i].mark);
		}
	}
	static const char *const bad[] = {
		"", "vertrouwd annual 2\n", "vertrouwd annual 1\nunit x year 2025 threshold 5\n",
		"vertrouwd annual 1\nunit 1 year 2025 threshold 5\ntotals 1 2 3\n",
		"vertrouwd annual 1\nunit 1 year 2025 threshold 5\ntotals 0 0 0 0 0 0 0 0 0\ncovers 1\ntable nope 0 1 0 0\n",
		"vertrouwd annual 1\nunit 1 year 2025 threshold 5\ntotals 0 0 0 0 0 0 0 0 0\ncovers 1\n"
		"table named 3 1 0 1\ncell 7 3 named\n",
		"vertrouwd annual 1\nunit 1 year 2025 threshold 5\ntotals 0 0 0 0 0 0 0 0 0\ncovers 1\n"
		"table named 3 1 0 2\ncell 0 3 named\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ_INT(annual_counts_read(&a, bad[i], &back), VD_ERR_INVALID);
	buf_release(&b);
	arena_release(&a);
	done(&w);
}

static const char *words(enum annual_table kind, const char *key, const char *word, void *ctx)
{
	(void)kind, (void)ctx;
	return key ? (*key ? key : "none") : word;
}

/* A table as CSV says what the page says, and no more. */
static void csv_as_shown(void)
{
	struct annual_table_view t = { .kind = AT_NAMED, .keys = { "named", "anonymous", "" }, .n = 3, .total = 9,
				       .additive = true };
	t.cells[0] = (struct sn_cell){ 0, SN_HIDDEN };
	t.cells[1] = (struct sn_cell){ 0, SN_SMALL };
	t.cells[2] = (struct sn_cell){ 5, SN_SHOWN };
	struct annual_table_view before = t;
	before.n = 1;
	before.total = 3;
	before.cells[0] = (struct sn_cell){ 3, SN_SHOWN };
	struct buf b;
	buf_init(&b, 4096);
	CHECK_EQ_INT(annual_table_csv(&t, &before, 5, 5, words, NULL, &b), VD_OK);
	CHECK_STR(b.data, "category,count,before\r\nnamed,not_shown,3\r\nanonymous,fewer_than 5,\r\nnone,5,\r\n"
			  "total,9,fewer_than 5\r\n");
	buf_reset(&b);
	t.whole = true;
	CHECK_EQ_INT(annual_table_csv(&t, NULL, 5, 5, words, NULL, &b), VD_OK);
	CHECK_STR(b.data, "category,count\r\nnamed,not_shown\r\nanonymous,not_shown\r\nnone,not_shown\r\ntotal,9\r\n");
	buf_release(&b);
}

/* The threshold is a setting: with 3, a count of 3 is shown; below 3 the
 * configuration is refused. */
static void the_threshold_is_a_setting(void)
{
	struct world w;
	CHECK(make_world(&w));
	int64_t u = add_unit(w.vd, "Drie", w.root);
	on("2025-06-01");
	CHECK(u && cases_in(&w, u, 3, "employee") == VD_OK && cases_in(&w, u, 6, "member") == VD_OK);
	on("2026-02-01");
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, u, 2025, &c), VD_OK);
	CHECK(c.threshold == 5 && strcmp(cell(&c.tables[AT_LOCATION], "meeting"), "9") == 0);
	CHECK(c.tables[AT_REPORTER_TYPE].whole || strcmp(cell(&c.tables[AT_REPORTER_TYPE], "employee"), "<") == 0);
	char err[256];
	app_close(w.vd);
	CHECK(fixture_append(w.path, "vertrouwd.conf", "small_numbers = 3\n"));
	CHECK_EQ_INT(app_open(w.path, 0, &w.vd, err, sizeof err), VD_OK);
	CHECK_EQ_INT(annual_counts_make(w.vd, &principal_system, &a, u, 2025, &c), VD_OK);
	CHECK_EQ_INT(c.threshold, 3);
	CHECK_STR(cell(&c.tables[AT_REPORTER_TYPE], "employee"), "3");
	CHECK_STR(cell(&c.tables[AT_REPORTER_TYPE], "member"), "6");
	app_close(w.vd);
	CHECK(fixture_append(w.path, "vertrouwd.conf", "small_numbers = 2\n"));
	w.vd = NULL;
	CHECK(app_open(w.path, 0, &w.vd, err, sizeof err) != VD_OK);
	CHECK(strstr(err, "small_numbers") != NULL || strstr(err, "line") != NULL);
	w.vd = NULL;
	arena_release(&a);
	done(&w);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(publish_needs_another_counsellor),
		TEST(not_before_the_year_is_over_and_not_too_small),
		TEST(one_record_in_one_report),
		TEST(the_year_before_beside_it),
		TEST(publish_what_was_read),
		TEST(moved_units_stay_where_they_were_counted),
		TEST(the_year_before_only_if_readable),
		TEST(questions_only_about_served_units),
		TEST(snapshot_reads_back),
		TEST(csv_as_shown),
		TEST(the_threshold_is_a_setting),
	};
	return check_run("annual_report", tests, sizeof tests / sizeof tests[0]);
}
