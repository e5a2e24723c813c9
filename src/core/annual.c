/*
 * annual: see annual.h. One read of the year's case *stat* fields (grouped
 * by the store) and one of the register's, counted into one-way tables,
 * each then protected on its own (its total is the same in every table).
 */
#include "annual.h"

#include <stdio.h>
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


static const char *const named_keys[] = { "named", "anonymous", NULL };
/* closed: the report was closed before the clock ran out, without it */
static const char *const clock_keys[] = { "in_time", "late", "running", "closed", NULL };
static const char *const admissible_keys[] = { "admissible", "not_admissible", "undecided", NULL };
static const char *const term_keys[] = { "in_time", "late", NULL };
/* Buckets of a histogram: each key takes the values up to its bound; with
 * none, the histogram's last cell is the last key's (no conversation yet,
 * still open). */
struct buckets {
	const char *keys[6];
	int64_t upper[6];
	bool none;
};
static const struct buckets contact_buckets = { { "0", "1", "2_3", "4_9", "10_more", NULL },
						{ 0, 1, 3, 9, INT64_MAX }, false };
static const struct buckets first_contact_buckets = { { "days_0_1", "days_2_7", "days_8_30", "days_31_more", "none",
							NULL },
						      { 1, 7, 30, INT64_MAX }, true };
static const struct buckets closure_buckets = { { "months_0_1", "months_1_3", "months_3_12", "years_1_more", "open",
						  NULL },
						{ 30, 91, 365, INT64_MAX }, true };
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

/* A histogram (hist[d]: records with value d) into its buckets. */
static void count_buckets(struct annual_table_view *t, enum annual_table kind, const struct buckets *b,
			  const int64_t *hist, size_t n)
{
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->additive = true;
	while (b->keys[t->n])
		t->keys[t->n] = b->keys[t->n], t->n++;
	for (size_t d = 0; d < n; d++) {
		size_t i = 0;
		if (b->none && d == n - 1)
			i = t->n - 1;
		else
			while ((int64_t)d > b->upper[i])
				i++;
		t->cells[i].n += hist[d];
		t->total += hist[d];
	}
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
	count_buckets(&t[AT_CONTACTS], AT_CONTACTS, &contact_buckets, c.contacts, STAT_CONTACTS_MAX + 1);
	count_buckets(&t[AT_FIRST_CONTACT], AT_FIRST_CONTACT, &first_contact_buckets, c.first_contact_days,
		      STAT_DAYS_MAX + 2);
	count_buckets(&t[AT_CLOSURE], AT_CLOSURE, &closure_buckets, c.closed_days, STAT_DAYS_MAX + 2);
	out->cases = c.cases;
	out->exceptions = c.exceptions;
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
	table_init(&t[AT_QUESTION_TYPE], AT_QUESTION_TYPE, reporter_types, 0, true);
	struct stat_column_rec questions;
	if (rc == VD_OK)
		rc = s->ops->question_stat_counts(s, a, q, &questions);
	if (rc == VD_OK) {
		count_column(&t[AT_QUESTION_TYPE], &questions);
		out->questions = t[AT_QUESTION_TYPE].total;
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

/* Whether covers ("1,4,5", a published report's) lists unit u. */
bool annual_covers_unit(const char *covers, int64_t u)
{
	char want[24];
	snprintf(want, sizeof want, "%lld", (long long)u);
	size_t n = strlen(want);
	for (const char *p = covers; (p = strstr(p, want)) != NULL; p += n)
		if ((p == covers || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* The unit and every unit below it, but for those that a published report
 * of the year of another unit counts (as it was published: a unit moved
 * in the tree since stays where it was counted), so a record is counted
 * in one published report at most. */
static int coverage(struct vd *vd, struct arena *a, const struct unit_list *all, int64_t unit_id, int year,
		    int64_t **units, size_t *n)
{
	struct annual_report_recs published;
	int rc = vd->store->ops->annual_report_list(vd->store, a, year, true, ANNUAL_REPORTS_MAX, &published);
	if (rc)
		return rc;
	*n = 0;
	*units = arena_array(a, all->n ? all->n : 1, sizeof **units);
	if (!*units)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < all->n; i++) {
		int64_t u = all->items[i].id;
		bool counted = unit_within(all, u, unit_id);
		for (size_t j = 0; counted && j < published.n; j++)
			counted = published.items[j].unit_id == unit_id || !annual_covers_unit(published.items[j].covers, u);
		if (counted)
			(*units)[(*n)++] = u;
	}
	return VD_OK;
}

/*
 * Tables that the procedure links: a cell of one is a cell (or a sum of
 * cells) of the other, or bounds it. Cases without a conversation are the
 * cases with no first one; cases open are those not in the phase closed;
 * advice is only given on an admissible complaint; a whistleblower clock
 * closed before its end is so in both. A number shown in one table could
 * then narrow a small cell of the other, so a small cell (or a table shown
 * by its total alone) in one hides every cell of threshold or more in both,
 * as if it were one table: which cells are hidden still depends on labels
 * alone.
 */
static const enum annual_table linked[][2] = {
	{ AT_CONTACTS, AT_FIRST_CONTACT },
	{ AT_PHASE, AT_CLOSURE },
	{ AT_COMPLAINT_ADMISSIBLE, AT_COMPLAINT_ADVICE },
	{ AT_WB_ACK, AT_WB_FEEDBACK },
};

static bool has_small(const struct annual_table_view *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->cells[i].mark == SN_SMALL)
			return true;
	return t->whole;
}

static void protect_linked(struct annual_counts *c)
{
	for (size_t g = 0; g < sizeof linked / sizeof linked[0]; g++) {
		struct annual_table_view *a = &c->tables[linked[g][0]], *b = &c->tables[linked[g][1]];
		if (!has_small(a) && !has_small(b))
			continue;
		struct annual_table_view *both[] = { a, b };
		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < both[k]->n; i++)
				if (both[k]->cells[i].mark == SN_SHOWN && both[k]->cells[i].n >= c->threshold)
					both[k]->cells[i].mark = SN_HIDDEN;
	}
}

/* The cases with an exception are a cell against the cases without one:
 * protected as a table of two, so that "17 of 20" does not tell that 3
 * had none; ANNUAL_NOT_SHOWN when it may not be shown. */
static void protect_exceptions(struct annual_counts *c)
{
	struct sn_cell cells[2] = { { c->exceptions, SN_SHOWN }, { c->cases - c->exceptions, SN_SHOWN } };
	bool whole = false;
	small_numbers_protect(cells, 2, c->cases, c->threshold, true, &whole);
	if (c->exceptions > 0 && (whole || cells[0].mark == SN_HIDDEN))
		c->exceptions = ANNUAL_NOT_SHOWN;
}

int64_t annual_counts_population(const struct annual_counts *c)
{
	return c->cases + c->complaints + c->wb_reports + c->questions;
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
	int64_t *units;
	size_t nunits;
	rc = coverage(vd, a, &all, unit_id, year, &units, &nunits);
	if (rc)
		return rc;
	out->covers = units;
	out->ncovers = nunits;
	out->unit_id = unit_id;
	out->year = year;
	out->threshold = (int)vd->cfg.small_numbers;
	struct stat_query q = { .units = units, .nunits = nunits, .from_day = date_year_start(year),
				.to_day = date_year_start(year + 1), .limit = ANNUAL_WB_ROWS };
	rc = case_tables(vd, a, &q, out);
	if (rc == VD_OK)
		rc = wb_tables(vd, a, &q, out);
	if (rc == VD_OK)
		rc = complaint_tables(vd, a, &q, out);
	if (rc == VD_OK)
		rc = log_tables(vd, a, &q, out);
	if (rc == VD_OK)
		protect_exceptions(out);
	for (int k = 0; rc == VD_OK && k < AT_COUNT; k++) {
		struct annual_table_view *t = &out->tables[k];
		small_numbers_protect(t->cells, t->n, t->total, out->threshold, t->additive, &t->whole);
	}
	if (rc == VD_OK)
		protect_linked(out);
	/* what is not shown is not handed on either: a page or a file made of
	 * these cannot show it by mistake */
	for (int k = 0; rc == VD_OK && k < AT_COUNT; k++)
		for (size_t i = 0; i < out->tables[k].n; i++)
			if (out->tables[k].cells[i].mark != SN_SHOWN)
				out->tables[k].cells[i].n = 0;
	return rc;
}
