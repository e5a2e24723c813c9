/*
 * annual: see annual.h. One read of the year's case *stat* fields (grouped
 * by the store) and one of the register's, counted into one-way tables,
 * each then protected on its own (its total is the same in every table).
 */
#include "annual.h"

#include <string.h>

#include "../util/date.h"
#include "cases.h"
#include "casework.h"
#include "complaints.h"
#include "internal/app.h"
#include "internal/serving.h"
#include "terms.h"
#include "wb_clocks.h"
#include "whistle.h"
#include "workflow.h"

const char *const annual_table_names[AT_COUNT] = {
	"reporter_type", "relation", "location", "channel", "named", "phase", "route", "outcome",
	"behaviour", "referral", "wb_channel", "wb_category", "wb_ack", "wb_feedback",
	"complaint_channel", "complaint_admissible", "complaint_advice", "complaint_measures", "complaint_terms",
	"advice_asked", "advice_to",
};

static const char *const named_keys[] = { "named", "anonymous", NULL };
/* closed: the report was closed before the clock ran out, without it */
static const char *const clock_keys[] = { "in_time", "late", "running", "closed", NULL };
static const char *const admissible_keys[] = { "admissible", "not_admissible", "undecided", NULL };
static const char *const term_keys[] = { "in_time", "late", NULL };
static const char *const asked_keys[] = { "asked", "unasked", NULL };
static const char *const audience_keys[] = { "manager", "board", NULL };

/* A table of the categories in list (NULL-terminated, or the first n of
 * it), with a cell "" for what none of them is when additive. */
static void table_init(struct annual_table_view *t, enum annual_table kind, const char *const *list, size_t n,
		       bool additive)
{
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->additive = additive;
	for (size_t i = 0; (n ? i < n : list[i] != NULL) && t->n < ANNUAL_MAX_CELLS - 1; i++)
		t->keys[t->n++] = list[i];
	if (additive)
		t->keys[t->n++] = ""; /* not given, or a name this build does not know */
}

/* Counts k more in the cell of value (the last one, "", if none). */
static void count(struct annual_table_view *t, const char *value, int64_t k)
{
	size_t i = 0;
	while (i + 1 < t->n && strcmp(t->keys[i], value ? value : "") != 0)
		i++;
	t->cells[i].n += k;
	t->total += k;
}

/* A column of the store's counts into table t. */
static void count_column(struct annual_table_view *t, const struct stat_column_rec *c)
{
	for (size_t i = 0; i < c->n; i++)
		count(t, c->values[i].value, c->values[i].n);
}

/* A bit set's counts per bit (a case in several cells), of cases in all. */
static void count_bits(struct annual_table_view *t, const int64_t *per_bit, int64_t cases)
{
	for (size_t i = 0; i < t->n && i < 63; i++)
		t->cells[i].n = per_bit[i];
	t->total = cases;
}

static int case_tables(struct vd *vd, struct arena *a, const struct stat_query *q, struct annual_counts *out)
{
	struct annual_table_view *t = out->tables;
	table_init(&t[AT_REPORTER_TYPE], AT_REPORTER_TYPE, reporter_types, 0, true);
	table_init(&t[AT_RELATION], AT_RELATION, relations, 0, true);
	table_init(&t[AT_LOCATION], AT_LOCATION, locations, 0, true);
	table_init(&t[AT_CHANNEL], AT_CHANNEL, channels, 0, true);
	table_init(&t[AT_NAMED], AT_NAMED, named_keys, 0, true);
	table_init(&t[AT_PHASE], AT_PHASE, phase_names, PH_COUNT, true);
	table_init(&t[AT_ROUTE], AT_ROUTE, case_routes, 0, true);
	table_init(&t[AT_OUTCOME], AT_OUTCOME, case_outcomes, 0, true);
	table_init(&t[AT_BEHAVIOUR], AT_BEHAVIOUR, behaviour_names, BEH_COUNT, false);
	table_init(&t[AT_REFERRAL], AT_REFERRAL, referral_names, REF_COUNT, false);
	struct case_stat_counts_rec c;
	int rc = vd->store->ops->case_stat_counts(vd->store, a, q, &c);
	if (rc)
		return rc;
	count_column(&t[AT_REPORTER_TYPE], &c.reporter_type);
	count_column(&t[AT_RELATION], &c.relation);
	count_column(&t[AT_LOCATION], &c.location);
	count_column(&t[AT_CHANNEL], &c.channel);
	count(&t[AT_NAMED], "named", c.named);
	count(&t[AT_NAMED], "anonymous", c.cases - c.named);
	count_column(&t[AT_PHASE], &c.phase);
	count_column(&t[AT_ROUTE], &c.route);
	count_column(&t[AT_OUTCOME], &c.outcome);
	count_bits(&t[AT_BEHAVIOUR], c.behaviours, c.cases);
	count_bits(&t[AT_REFERRAL], c.referrals, c.cases);
	out->cases = c.cases;
	return VD_OK;
}

/* Met in time, late (met after its due day, or not met and past it while
 * open, or closed after it), still running, or closed before its end. */
static const char *clock_state(struct vd *vd, const struct term *t, int64_t met, const struct wb_stat_rec *r,
			       int64_t today)
{
	int64_t due = term_due(t, &vd->holidays);
	if (met)
		return met <= due ? "in_time" : "late";
	if (!r->open)
		return r->closed_day > due ? "late" : "closed";
	return today > due ? "late" : "running";
}

static int wb_tables(struct vd *vd, struct arena *a, const struct stat_query *q, struct annual_counts *out)
{
	struct annual_table_view *t = out->tables;
	table_init(&t[AT_WB_CHANNEL], AT_WB_CHANNEL, wb_channel_names, WC_COUNT, true);
	table_init(&t[AT_WB_CATEGORY], AT_WB_CATEGORY, wb_categories, 0, true);
	table_init(&t[AT_WB_ACK], AT_WB_ACK, clock_keys, 0, true);
	table_init(&t[AT_WB_FEEDBACK], AT_WB_FEEDBACK, clock_keys, 0, true);
	struct wb_stat_recs rows;
	int rc = vd->store->ops->wb_stat_rows(vd->store, a, q, &rows);
	int64_t today = date_of(clock_now());
	for (size_t i = 0; rc == VD_OK && i < rows.n; i++) {
		const struct wb_stat_rec *r = &rows.items[i];
		struct term ack, fb;
		wb_ack_term(r->received_day, &ack);
		wb_feedback_term(r->received_day, r->ack_day ? r->ack_day : DATE_NONE, &fb);
		count(&t[AT_WB_CHANNEL], r->channel, 1);
		count(&t[AT_WB_CATEGORY], r->category, 1);
		count(&t[AT_WB_ACK], clock_state(vd, &ack, r->ack_day, r, today), 1);
		count(&t[AT_WB_FEEDBACK], clock_state(vd, &fb, r->feedback_day, r, today), 1);
		out->wb_reports++;
	}
	return rc;
}

static int complaint_tables(struct vd *vd, struct arena *a, const struct stat_query *q, struct annual_counts *out)
{
	struct annual_table_view *t = out->tables;
	table_init(&t[AT_COMPLAINT_CHANNEL], AT_COMPLAINT_CHANNEL, complaint_channels, 0, true);
	table_init(&t[AT_COMPLAINT_ADMISSIBLE], AT_COMPLAINT_ADMISSIBLE, admissible_keys, 0, true);
	table_init(&t[AT_COMPLAINT_ADVICE], AT_COMPLAINT_ADVICE, complaint_advice_kinds, 0, true);
	table_init(&t[AT_COMPLAINT_MEASURES], AT_COMPLAINT_MEASURES, complaint_measure_names, MS_COUNT, false);
	table_init(&t[AT_COMPLAINT_TERMS], AT_COMPLAINT_TERMS, term_keys, 0, true);
	struct complaint_stat_recs rows;
	int rc = vd->store->ops->complaint_stat_rows(vd->store, a, q, &rows);
	int64_t per_measure[MS_COUNT] = { 0 };
	for (size_t i = 0; rc == VD_OK && i < rows.n; i++) {
		const struct complaint_stat_rec *r = &rows.items[i];
		count(&t[AT_COMPLAINT_CHANNEL], r->channel, 1);
		/* refused ones once admitted after all count as admitted */
		count(&t[AT_COMPLAINT_ADMISSIBLE], r->admitted ? "admissible" : r->refused ? "not_admissible" : "undecided",
		      1);
		count(&t[AT_COMPLAINT_ADVICE], r->advice, 1);
		for (int m = 0; m < MS_COUNT; m++)
			per_measure[m] += (r->measures >> m) & 1;
		count(&t[AT_COMPLAINT_TERMS], "in_time", r->terms_in_time);
		count(&t[AT_COMPLAINT_TERMS], "late", r->terms_late);
		out->complaints++;
	}
	count_bits(&t[AT_COMPLAINT_MEASURES], per_measure, out->complaints);
	return rc;
}

/* The counsellors' own log: advice about the units asked, and the training
 * and supervision of each counsellor attached to one of them (once each,
 * however many of them they are attached to). */
static int log_tables(struct vd *vd, struct arena *a, const struct stat_query *q, struct annual_counts *out)
{
	struct annual_table_view *t = out->tables;
	table_init(&t[AT_ADVICE_ASKED], AT_ADVICE_ASKED, asked_keys, 0, true);
	table_init(&t[AT_ADVICE_TO], AT_ADVICE_TO, audience_keys, 0, true);
	struct store *s = vd->store;
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < q->nunits; i++) {
		struct counsellor_log_totals_rec l;
		rc = s->ops->counsellor_log_totals(s, q->from_day, q->to_day, q->units[i], 0, &l);
		if (rc)
			break;
		count(&t[AT_ADVICE_ASKED], "asked", l.advice_asked);
		count(&t[AT_ADVICE_ASKED], "unasked", l.advice_unasked);
		count(&t[AT_ADVICE_TO], "manager", l.advice_manager);
		count(&t[AT_ADVICE_TO], "board", l.advice_board);
		out->advice += l.advice_asked + l.advice_unasked;
	}
	struct counsellor_recs cs;
	if (rc == VD_OK)
		rc = s->ops->counsellor_list(s, a, &cs);
	for (size_t i = 0; rc == VD_OK && i < cs.n; i++) {
		bool serves = false;
		for (size_t j = 0; j < cs.items[i].units.n && !serves; j++)
			for (size_t k = 0; k < q->nunits && !serves; k++)
				serves = cs.items[i].units.ids[j] == q->units[k];
		struct counsellor_log_totals_rec l;
		if (!serves)
			continue;
		rc = s->ops->counsellor_log_totals(s, q->from_day, q->to_day, 0, cs.items[i].user_id, &l);
		out->training_minutes += rc == VD_OK ? l.training_minutes : 0;
		out->supervision_sessions += rc == VD_OK ? l.supervision_sessions : 0;
		out->supervision_minutes += rc == VD_OK ? l.supervision_minutes : 0;
	}
	return rc;
}

int annual_counts_make(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit_id, int year,
		       struct annual_counts *out)
{
	memset(out, 0, sizeof *out);
	bool system = who == &principal_system;
	if (!system && who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	if (year < 2000 || year > 2999)
		return VD_ERR_INVALID;
	struct unit_list all;
	int rc = unit_list(vd, a, &all);
	if (rc == VD_OK && !unit_by_id(&all, unit_id))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK && !system) {
		/* a counsellor: of a unit they serve, or one below */
		struct unit_list ignored;
		struct id_list served;
		rc = served_units(vd, who, a, &ignored, &served);
		if (rc == VD_OK && !unit_served(&served, unit_id))
			rc = VD_ERR_DENIED;
	}
	if (rc)
		return rc;
	/* the unit and every unit below it */
	int64_t *units = arena_array(a, all.n ? all.n : 1, sizeof *units);
	size_t nunits = 0;
	if (!units)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < all.n; i++)
		if (unit_within(&all, all.items[i].id, unit_id))
			units[nunits++] = all.items[i].id;
	out->unit_id = unit_id;
	out->year = year;
	out->threshold = SMALL_NUMBERS_THRESHOLD;
	struct stat_query q = { .units = units, .nunits = nunits, .from_day = date_year_start(year),
				.to_day = date_year_start(year + 1), .limit = ANNUAL_WB_ROWS };
	rc = case_tables(vd, a, &q, out);
	if (rc == VD_OK)
		rc = wb_tables(vd, a, &q, out);
	if (rc == VD_OK)
		rc = complaint_tables(vd, a, &q, out);
	if (rc == VD_OK)
		rc = log_tables(vd, a, &q, out);
	for (int k = 0; rc == VD_OK && k < AT_COUNT; k++) {
		struct annual_table_view *t = &out->tables[k];
		small_numbers_protect(t->cells, t->n, t->total, out->threshold, t->additive, &t->whole);
		/* what is not shown is not handed on either: a page or a file
		 * made of these cannot show it by mistake */
		for (size_t i = 0; i < t->n; i++)
			if (t->cells[i].mark != SN_SHOWN)
				t->cells[i].n = 0;
	}
	return rc;
}
