/* Unit tests: the calendar of working days, the terms engine against worked
 * examples, and the complaint procedure's table. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../src/core/calendar.h"
#include "../../src/core/complaint_flow.h"
#include "../../src/core/terms.h"
#include "../../src/core/wb_clocks.h"
#include "../../src/util/assets.h"
#include "../../src/util/date.h"
#include "../../src/util/errors.h"
#include "check.h"
#include "fixture.h"

static struct holidays nl;

static int64_t D(const char *s)
{
	int64_t d = DATE_NONE;
	if (!date_parse(s, &d))
		fprintf(stderr, "bad date in a test: %s\n", s);
	return d;
}

static bool load_builtin(void)
{
	if (nl.n)
		return true;
	const struct asset *as = asset_find(HOLIDAYS_ASSET);
	int line = 0;
	return as && holidays_add_text(&nl, (const char *)as->data, as->len, &line) == VD_OK;
}

static void builtin_holidays_are_the_atw_days(void)
{
	CHECK(load_builtin());
	/* 2026: Easter is 5 April */
	const char *days[] = { "2026-01-01", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05",
			       "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26" };
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
		CHECK(holiday_is(&nl, D(days[i])));
	CHECK(!holiday_is(&nl, D("2026-04-05"))); /* Easter Sunday: a Sunday anyway */
	CHECK(!holiday_is(&nl, D("2026-05-15"))); /* the Friday after Ascension: by decree only */
	/* King's Day on a Sunday moves to the Saturday before: 2025-04-26 */
	CHECK(holiday_is(&nl, D("2025-04-26")));
	CHECK(!holiday_is(&nl, D("2025-04-27")));
	CHECK(!day_is_working(&nl, D("2026-04-27")));
	CHECK(!day_is_working(&nl, D("2026-04-25"))); /* Saturday */
	CHECK(day_is_working(&nl, D("2026-04-28")));
	CHECK(nl.n >= 9 * 31);
	for (size_t i = 1; i < nl.n; i++)
		CHECK(nl.days[i - 1] < nl.days[i]);
}

static void holiday_text_parses_strictly(void)
{
	struct holidays h = { 0 };
	int line = -1;
	const char *good = "# decree of the Staatscourant\n\n2026-05-15 vrijdag na Hemelvaart\n  2026-05-15\t(twice)\r\n"
			   "2025-12-31\n";
	CHECK_EQ_INT(holidays_add_text(&h, good, strlen(good), &line), VD_OK);
	CHECK_EQ_INT(h.n, 2);
	CHECK(h.days[0] == D("2025-12-31") && h.days[1] == D("2026-05-15"));
	const char *bad[] = { "2026-13-01 x\n", "2026-02-30\n", "15-05-2026\n", "2026-05-15x\n", "tomorrow\n",
			      "2026-05-1\n" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[64];
		int n = snprintf(text, sizeof text, "2026-01-02\n%s", bad[i]);
		CHECK_EQ_INT(holidays_add_text(&h, text, (size_t)n, &line), VD_ERR_INVALID);
		CHECK_EQ_INT(line, 2);
		CHECK_EQ_INT(h.n, 2); /* unchanged */
	}
	const char nul[] = "2026-01-02 a\0b\n";
	CHECK_EQ_INT(holidays_add_text(&h, nul, sizeof nul - 1, &line), VD_ERR_INVALID);
	CHECK_EQ_INT(holidays_add_text(&h, "", 0, &line), VD_OK);
	CHECK_EQ_INT(h.n, 2);
	holidays_free(&h);
}

/* The data directory's holidays.txt extends the built-in days; a bad one
 * stops vertrouwd from starting, naming the line. */
static void data_directory_adds_decree_days(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	CHECK(!holiday_is(app_holidays(vd), D("2026-05-15")));
	CHECK(holiday_is(app_holidays(vd), D("2026-05-14")));
	app_close(vd);
	CHECK(fixture_append(path, VD_HOLIDAYS_FILE, "# gelijkgesteld bij besluit\n2026-05-15 vrijdag na Hemelvaartsdag\n"));
	char err[300] = "";
	vd = NULL;
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	CHECK(holiday_is(app_holidays(vd), D("2026-05-15")));
	CHECK(holiday_is(app_holidays(vd), D("2026-05-14")));
	app_close(vd);
	CHECK(fixture_append(path, VD_HOLIDAYS_FILE, "15 mei 2026\n"));
	vd = NULL;
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_ERR_INVALID);
	CHECK(vd == NULL);
	CHECK(strstr(err, "holidays.txt line 3") != NULL);
	char file[200];
	snprintf(file, sizeof file, "%s/%s", path, VD_HOLIDAYS_FILE);
	CHECK(remove(file) == 0);
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	fixture_close(vd, path);
}

struct example {
	const char *what, *start;
	int length;
	enum term_unit unit;
	bool atw;
	const char *pause_from, *pause_to; /* NULL: none; pause_to "": not ended */
	int64_t ext1, ext2;                /* extension days (notice, then consent) */
	const char *due;                   /* "": none */
};

static const struct example examples[] = {
	{ "14 days from 12 December end on Boxing Day: the 27th", "2024-12-12", 14, TU_DAYS, true, NULL, NULL, 0, 0,
	  "2024-12-27" },
	{ "the same without the Atw", "2024-12-12", 14, TU_DAYS, false, NULL, NULL, 0, 0, "2024-12-26" },
	{ "8 days from 24 December end on New Year's Day: the 2nd", "2024-12-24", 8, TU_DAYS, true, NULL, NULL, 0, 0,
	  "2025-01-02" },
	{ "3 working days from 23 December skip Christmas and the weekend", "2024-12-23", 3, TU_WORKING_DAYS, true,
	  NULL, NULL, 0, 0, "2024-12-30" },
	{ "14 days from 23 December end on 6 January, a Monday", "2024-12-23", 14, TU_DAYS, true, NULL, NULL, 0, 0,
	  "2025-01-06" },
	{ "14 working days over Good Friday and Easter Monday", "2026-04-01", 14, TU_WORKING_DAYS, true, NULL, NULL,
	  0, 0, "2026-04-23" },
	{ "14 working days over King's Day and Liberation Day", "2026-04-20", 14, TU_WORKING_DAYS, true, NULL, NULL,
	  0, 0, "2026-05-12" },
	{ "14 days ending on King's Day end the day after", "2026-04-13", 14, TU_DAYS, true, NULL, NULL, 0, 0,
	  "2026-04-28" },
	{ "3 days over Easter hold two working days (Atw art. 2)", "2026-04-02", 3, TU_DAYS, true, NULL, NULL, 0, 0,
	  "2026-04-08" },
	{ "2 days are too short for art. 2, art. 1 still moves them", "2026-04-02", 2, TU_DAYS, true, NULL, NULL, 0,
	  0, "2026-04-07" },
	{ "8 days ending on a Saturday end on Monday", "2026-03-06", 8, TU_DAYS, true, NULL, NULL, 0, 0,
	  "2026-03-16" },
	{ "a week of mediation adds a week", "2026-03-02", 14, TU_DAYS, true, "2026-03-05", "2026-03-12", 0, 0,
	  "2026-03-23" },
	{ "10 weeks ending on Whit Monday end on Tuesday", "2026-03-16", 10, TU_WEEKS, true, NULL, NULL, 0, 0,
	  "2026-05-26" },
	{ "10 weeks and 4 weeks' extension on notice", "2026-03-16", 10, TU_WEEKS, true, NULL, NULL, 28, 0,
	  "2026-06-22" },
	{ "and 3 more days with consent", "2026-03-16", 10, TU_WEEKS, true, NULL, NULL, 28, 3, "2026-06-25" },
	{ "10 weeks with two weeks of mediation", "2026-03-16", 10, TU_WEEKS, true, "2026-04-01", "2026-04-15", 0, 0,
	  "2026-06-08" },
	{ "mediation not ended: no due day", "2026-03-16", 10, TU_WEEKS, true, "2026-04-01", "", 0, 0, "" },
	{ "mediation that began after the end changes nothing", "2026-03-16", 10, TU_WEEKS, true, "2026-06-01", "",
	  0, 0, "2026-05-26" },
	{ "3 months from 3 April: 3 July", "2026-04-03", 3, TU_MONTHS, true, NULL, NULL, 0, 0, "2026-07-03" },
	{ "3 months from 30 November: the last of February, a Sunday, so 1 March", "2026-11-30", 3, TU_MONTHS, true,
	  NULL, NULL, 0, 0, "2027-03-01" },
	{ "the same without the Atw: 28 February", "2026-11-30", 3, TU_MONTHS, false, NULL, NULL, 0, 0, "2027-02-28" },
	{ "3 months from 31 August: 30 November", "2026-08-31", 3, TU_MONTHS, true, NULL, NULL, 0, 0, "2026-11-30" },
	{ "into a leap year: 29 February 2028, a Tuesday", "2027-11-29", 3, TU_MONTHS, true, NULL, NULL, 0, 0,
	  "2028-02-29" },
	{ "3 months ending on Boxing Day 2026 (a Saturday): Monday 28 December", "2026-09-26", 3, TU_MONTHS, true, NULL,
	  NULL, 0, 0, "2026-12-28" },
};

static void fill(const struct example *e, struct term *t, struct term_pause *p, struct term_extension x[2])
{
	memset(t, 0, sizeof *t);
	t->start = D(e->start);
	t->length = e->length;
	t->unit = e->unit;
	t->atw = e->atw;
	t->met = DATE_NONE;
	if (e->pause_from) {
		p->from = D(e->pause_from);
		p->to = *e->pause_to ? D(e->pause_to) : DATE_NONE;
		t->pauses = p;
		t->npauses = 1;
	}
	x[0] = (struct term_extension){ e->ext1, TB_NOTICE };
	x[1] = (struct term_extension){ e->ext2, TB_CONSENT };
	t->extensions = x;
	t->nextensions = e->ext2 ? 2 : e->ext1 ? 1 : 0;
}

static void worked_examples(void)
{
	CHECK(load_builtin());
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		const struct example *e = &examples[i];
		struct term t;
		struct term_pause p;
		struct term_extension x[2];
		fill(e, &t, &p, x);
		CHECK_EQ_INT(term_valid(&t), VD_OK);
		char got[DATE_LEN + 1];
		date_format(term_due(&t, &nl), got);
		if (strcmp(got, e->due) != 0) {
			fprintf(stderr, "%s: due %s, expected %s\n", e->what, got[0] ? got : "none", e->due);
			CHECK(strcmp(got, e->due) == 0);
		}
	}
}

static void states_and_days_left(void)
{
	CHECK(load_builtin());
	/* 14 working days from 2026-04-01: due Thursday 2026-04-23 */
	struct term t = { .start = D("2026-04-01"), .length = 14, .unit = TU_WORKING_DAYS, .atw = true, .met = DATE_NONE };
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-04-02")), TS_RUNNING);
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-04-23")), TS_RUNNING);
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-04-24")), TS_OVERDUE);
	CHECK_EQ_INT(term_working_days_left(&t, &nl, D("2026-04-20")), 3);  /* the reminder's day */
	CHECK_EQ_INT(term_working_days_left(&t, &nl, D("2026-04-17")), 4);  /* Friday: the weekend does not count */
	CHECK_EQ_INT(term_working_days_left(&t, &nl, D("2026-04-23")), 0);
	CHECK_EQ_INT(term_working_days_left(&t, &nl, D("2026-05-01")), 0);
	/* read at once, the same three answers */
	struct term_reading rd;
	term_read(&t, &nl, D("2026-04-20"), &rd);
	CHECK(rd.due == D("2026-04-23") && rd.state == TS_RUNNING && rd.working_days_left == 3);
	term_read(&t, &nl, D("2026-04-24"), &rd);
	CHECK(rd.due == D("2026-04-23") && rd.state == TS_OVERDUE && rd.working_days_left == 0);
	t.met = D("2026-04-23");
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-06-01")), TS_MET);
	t.met = D("2026-04-24");
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-06-01")), TS_MET_LATE);
	/* a pause: paused inside it, running after it, no due day while open */
	struct term_pause p = { D("2026-04-10"), D("2026-04-17") };
	t.met = DATE_NONE;
	t.pauses = &p;
	t.npauses = 1;
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-04-12")), TS_PAUSED);
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-04-24")), TS_RUNNING);
	CHECK(term_due(&t, &nl) == D("2026-05-01")); /* five working days later */
	p.to = DATE_NONE;
	CHECK(term_due(&t, &nl) == DATE_NONE);
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-05-30")), TS_PAUSED);
	CHECK_EQ_INT(term_working_days_left(&t, &nl, D("2026-04-12")), -1);
	/* a pause begun after the end: overdue, not paused */
	struct term_pause late = { D("2026-04-27"), DATE_NONE };
	t.pauses = &late;
	CHECK(term_due(&t, &nl) == D("2026-04-23"));
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-04-30")), TS_OVERDUE);
	t.pauses = &p;
	t.met = D("2026-05-30"); /* withdrawn during mediation: met, not late */
	CHECK_EQ_INT(term_state(&t, &nl, D("2026-06-01")), TS_MET);
}

static void extensions_follow_awb_9_11(void)
{
	struct term t = { .start = D("2026-03-16"), .length = 10, .unit = TU_WEEKS, .atw = true, .met = DATE_NONE };
	const int64_t notice = 28;
	struct term_extension four_weeks = { 28, TB_NOTICE }, five_weeks = { 35, TB_NOTICE };
	struct term_extension more = { 7, TB_NOTICE }, consented = { 7, TB_CONSENT }, zero = { 0, TB_NOTICE };
	CHECK_EQ_INT(term_extension_check(&t, &four_weeks, notice), VD_OK);
	CHECK_EQ_INT(term_extension_check(&t, &five_weeks, notice), VD_ERR_DENIED);
	CHECK_EQ_INT(term_extension_check(&t, &zero, notice), VD_ERR_INVALID);
	struct term_extension done[1] = { four_weeks };
	t.extensions = done;
	t.nextensions = 1;
	/* a further delay without the complainant's consent is refused */
	CHECK_EQ_INT(term_extension_check(&t, &more, notice), VD_ERR_DENIED);
	CHECK_EQ_INT(term_extension_check(&t, &consented, notice), VD_OK);
	/* a term without a notice extension: consent only */
	struct term a = { .start = D("2026-03-16"), .length = 14, .unit = TU_DAYS, .atw = true, .met = DATE_NONE };
	CHECK_EQ_INT(term_extension_check(&a, &more, 0), VD_ERR_DENIED);
	CHECK_EQ_INT(term_extension_check(&a, &consented, 0), VD_OK);
	a.met = D("2026-03-20");
	CHECK_EQ_INT(term_extension_check(&a, &consented, 0), VD_ERR_INVALID);
}

static void broken_terms_are_refused(void)
{
	struct term t = { .start = D("2026-03-16"), .length = 14, .unit = TU_DAYS, .met = DATE_NONE };
	CHECK_EQ_INT(term_valid(&t), VD_OK);
	t.length = 0;
	CHECK_EQ_INT(term_valid(&t), VD_ERR_INVALID);
	CHECK(term_due(&t, NULL) == DATE_NONE);
	t.length = TERM_MAX_LENGTH + 1;
	CHECK_EQ_INT(term_valid(&t), VD_ERR_INVALID);
	t.length = 14;
	t.unit = TU_COUNT;
	CHECK_EQ_INT(term_valid(&t), VD_ERR_INVALID);
	t.unit = TU_DAYS;
	struct term_pause backwards = { D("2026-03-20"), D("2026-03-18") };
	t.pauses = &backwards;
	t.npauses = 1;
	CHECK_EQ_INT(term_valid(&t), VD_ERR_INVALID);
	t.npauses = 0;
	struct term_extension huge = { TERM_MAX_EXTENSION_DAYS + 1, TB_CONSENT };
	t.extensions = &huge;
	t.nextensions = 1;
	CHECK_EQ_INT(term_valid(&t), VD_ERR_INVALID);
	CHECK_EQ_INT(term_extension_check(&t, &huge, 28), VD_ERR_INVALID);
	/* the longest valid term still ends, without holidays too */
	struct term_extension longest = { TERM_MAX_EXTENSION_DAYS, TB_CONSENT };
	t.extensions = &longest;
	t.length = TERM_MAX_LENGTH;
	t.unit = TU_WEEKS;
	CHECK(term_due(&t, NULL) == D("2026-03-16") + 7 * TERM_MAX_LENGTH + TERM_MAX_EXTENSION_DAYS);
}

/* Every pair of steps: allowed exactly when listed here. */
static void complaint_moves_are_the_table(void)
{
	static const char *const allowed[] = {
		"received>incomplete",         "received>admissible",       "received>not_admissible",
		"received>mediation",          "received>withdrawn",        "incomplete>admissible",
		"incomplete>not_admissible",   "incomplete>withdrawn",      "admissible>accused_informed",
		"admissible>mediation",        "admissible>withdrawn",      "not_admissible>closed",
		"accused_informed>hearings",   "accused_informed>mediation", "accused_informed>withdrawn",
		"hearings>advice",             "hearings>mediation",        "hearings>withdrawn",
		"advice>decided",              "advice>withdrawn",          "decided>closed",
		"withdrawn>closed",            "mediation>withdrawn",
	};
	size_t seen = 0;
	for (int f = 0; f < CS_COUNT; f++)
		for (int to = 0; to < CS_COUNT; to++) {
			char pair[64];
			snprintf(pair, sizeof pair, "%s>%s", complaint_step_names[f], complaint_step_names[to]);
			bool want = false;
			for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
				want = want || strcmp(allowed[i], pair) == 0;
			seen += want;
			if (complaint_move_allowed((enum complaint_step)f, (enum complaint_step)to, CS_COUNT) != want)
				fprintf(stderr, "move %s\n", pair);
			CHECK(complaint_move_allowed((enum complaint_step)f, (enum complaint_step)to, CS_COUNT) == want);
		}
	CHECK_EQ_INT(seen, sizeof allowed / sizeof allowed[0]);
	/* the offered moves are the allowed ones */
	enum complaint_step out[CS_COUNT];
	size_t n = complaint_moves(CS_RECEIVED, CS_COUNT, out);
	CHECK_EQ_INT(n, 5);
	for (size_t i = 0; i < n; i++)
		CHECK(complaint_move_allowed(CS_RECEIVED, out[i], CS_COUNT));
	CHECK_EQ_INT(complaint_moves(CS_CLOSED, CS_COUNT, out), 0);
	CHECK(!complaint_move_allowed(CS_RECEIVED, CS_COUNT, CS_COUNT));
	CHECK(!complaint_move_allowed(CS_COUNT, CS_CLOSED, CS_COUNT));
}

/* Mediation returns only to the step it interrupted. */
static void mediation_returns_where_it_came_from(void)
{
	const enum complaint_step can[] = { CS_RECEIVED, CS_ADMISSIBLE, CS_ACCUSED_INFORMED, CS_HEARINGS };
	for (size_t i = 0; i < sizeof can / sizeof can[0]; i++) {
		CHECK(complaint_move_allowed(can[i], CS_MEDIATION, CS_COUNT));
		for (int to = 0; to < CS_COUNT; to++)
			CHECK(complaint_move_allowed(CS_MEDIATION, (enum complaint_step)to, can[i]) ==
			      (to == (int)can[i] || to == CS_WITHDRAWN));
		enum complaint_step out[CS_COUNT];
		size_t n = complaint_moves(CS_MEDIATION, can[i], out);
		CHECK(n == 2 && out[0] == can[i] && out[1] == CS_WITHDRAWN);
	}
	/* not into a step mediation cannot interrupt, however it is asked */
	CHECK(!complaint_move_allowed(CS_MEDIATION, CS_DECIDED, CS_DECIDED));
	CHECK(!complaint_move_allowed(CS_MEDIATION, CS_CLOSED, CS_CLOSED));
	CHECK(!complaint_move_allowed(CS_MEDIATION, CS_ADVICE, CS_COUNT));
	CHECK(complaint_step_pauses(CS_MEDIATION) && complaint_step_pauses(CS_INCOMPLETE));
	CHECK(!complaint_step_pauses(CS_HEARINGS));
}

static void complaint_steps_and_terms(void)
{
	for (int s = 0; s < CS_COUNT; s++)
		CHECK_EQ_INT(complaint_step_parse(complaint_step_names[s]), s);
	CHECK_EQ_INT(complaint_step_parse("Received"), CS_COUNT);
	CHECK_EQ_INT(complaint_step_parse(NULL), CS_COUNT);
	CHECK(complaint_step_open(CS_MEDIATION) && !complaint_step_open(CS_CLOSED) &&
	      !complaint_step_open(CS_WITHDRAWN) && !complaint_step_open(CS_COUNT));
	enum complaint_term kinds[CT_COUNT];
	CHECK_EQ_INT(complaint_step_terms(CS_RECEIVED, kinds), 2);
	CHECK(kinds[0] == CT_ADMISSIBILITY && kinds[1] == CT_DECISION);
	CHECK_EQ_INT(complaint_step_terms(CS_INCOMPLETE, kinds), 1);
	CHECK(kinds[0] == CT_COMPLETE);
	CHECK_EQ_INT(complaint_step_terms(CS_HEARINGS, kinds), 0);

	/* the regulation's defaults, and an organisation's own */
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	const struct config *c = app_config(vd);
	struct term t;
	int64_t notice = -1;
	complaint_term_rule(c, CT_DECISION, &t, &notice);
	CHECK(t.length == 10 && t.unit == TU_WEEKS && t.atw && notice == 28);
	complaint_term_rule(c, CT_MINUTES, &t, &notice);
	CHECK(t.length == 8 && t.unit == TU_DAYS && notice == 0);
	complaint_term_rule(c, CT_COMPLETE, &t, &notice);
	CHECK(t.length == 14 && t.unit == TU_DAYS);
	complaint_term_rule(c, CT_ADMISSIBILITY, &t, &notice);
	CHECK(t.length == 14 && t.unit == TU_DAYS);
	app_close(vd);
	CHECK(fixture_append(path, "vertrouwd.conf",
			     "complaint_decision_weeks = 12\ncomplaint_extension_weeks = 0\nminutes_approval_days = 10\n"));
	char err[300];
	vd = NULL;
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	complaint_term_rule(app_config(vd), CT_DECISION, &t, &notice);
	CHECK(t.length == 12 && notice == 0);
	complaint_term_rule(app_config(vd), CT_MINUTES, &t, &notice);
	CHECK(t.length == 10);
	app_close(vd);
	CHECK(fixture_append(path, "vertrouwd.conf", "complaint_decision_weeks = 0\n"));
	vd = NULL;
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_ERR_INVALID);
	CHECK(strstr(err, "complaint_decision_weeks") != NULL);
	CHECK(vd == NULL);
	CHECK_EQ_INT(app_open(path, 1, &vd, err, sizeof err), VD_ERR_INVALID);
	fixture_close(NULL, path);
}

static void late_complaints_are_flagged(void)
{
	CHECK(!complaint_filed_late(D("2025-03-10"), D("2026-03-10")));
	CHECK(complaint_filed_late(D("2025-03-10"), D("2026-03-11")));
	CHECK(!complaint_filed_late(D("2024-02-29"), D("2025-03-01")));
	CHECK(complaint_filed_late(D("2024-02-29"), D("2025-03-02")));
	CHECK(!complaint_filed_late(DATE_NONE, D("2026-03-11"))); /* no date given */
}

/* The whistleblower's clocks: 7 days to acknowledge, then 3 months to give
 * feedback from the acknowledgement, or from day 7 when none was sent. */
static void whistleblower_clocks(void)
{
	CHECK(load_builtin());
	static const struct {
		const char *what, *received, *acknowledged, *ack_due, *feedback_due;
	} ex[] = {
		{ "received on a Wednesday, acknowledged on Friday", "2026-04-01", "2026-04-03", "2026-04-08",
		  "2026-07-03" },
		{ "no acknowledgement: feedback from day 7", "2026-04-01", "", "2026-04-08", "2026-07-08" },
		{ "received 18 December: day 7 is Christmas, then Boxing Day and a Sunday", "2026-12-18", "",
		  "2026-12-28", "2027-03-25" },
		{ "received 29 November, acknowledged the next day", "2026-11-29", "2026-11-30", "2026-12-07",
		  "2027-03-01" },
		{ "received on King's Eve: day 7 is 3 May, a Sunday", "2026-04-26", "2026-04-27", "2026-05-04",
		  "2026-07-27" },
	};
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		struct term ack, fb;
		wb_ack_term(D(ex[i].received), &ack);
		wb_feedback_term(D(ex[i].received), *ex[i].acknowledged ? D(ex[i].acknowledged) : DATE_NONE, &fb);
		char a[DATE_LEN + 1], f[DATE_LEN + 1];
		date_format(term_due(&ack, &nl), a);
		date_format(term_due(&fb, &nl), f);
		if (strcmp(a, ex[i].ack_due) != 0 || strcmp(f, ex[i].feedback_due) != 0)
			fprintf(stderr, "%s: acknowledgement %s (want %s), feedback %s (want %s)\n", ex[i].what, a,
				ex[i].ack_due, f, ex[i].feedback_due);
		CHECK_STR(a, ex[i].ack_due);
		CHECK_STR(f, ex[i].feedback_due);
	}
}

int main(void)
{
	static const struct test tests[] = {
		TEST(builtin_holidays_are_the_atw_days), TEST(holiday_text_parses_strictly),
		TEST(data_directory_adds_decree_days),  TEST(worked_examples),
		TEST(states_and_days_left),              TEST(extensions_follow_awb_9_11),
		TEST(broken_terms_are_refused),          TEST(complaint_moves_are_the_table),
		TEST(mediation_returns_where_it_came_from), TEST(complaint_steps_and_terms),
		TEST(late_complaints_are_flagged),      TEST(whistleblower_clocks),
	};
	if (app_library_init() != 0)
		return 1;
	int rc = check_run("terms", tests, sizeof tests / sizeof tests[0]);
	holidays_free(&nl);
	return rc;
}
