/* terms: see terms.h. */
#include "terms.h"

#include "../util/date.h"
#include "../util/errors.h"

const char *const term_unit_names[TU_COUNT] = { "days", "working_days", "weeks", "months" };
const char *const term_state_names[TS_COUNT] = { "running", "paused", "met", "met_late", "overdue" };

/* However long a term with its pauses and extensions, counting stops here:
 * a term that long is a broken record, not a deadline. */
#define COUNT_LIMIT_DAYS (20 * 366)

enum pause_kind { NOT_PAUSED, PAUSED_UNTIL_KNOWN, PAUSED_OPEN };

static enum pause_kind paused(const struct term *t, int64_t day)
{
	for (size_t i = 0; i < t->npauses; i++) {
		const struct term_pause *p = &t->pauses[i];
		if (day >= p->from && p->to == DATE_NONE)
			return PAUSED_OPEN;
		if (day >= p->from && day < p->to)
			return PAUSED_UNTIL_KNOWN;
	}
	return NOT_PAUSED;
}

int term_valid(const struct term *t)
{
	if (!t || t->start == DATE_NONE || (unsigned)t->unit >= TU_COUNT || t->length < 1 ||
	    t->length > TERM_MAX_LENGTH)
		return VD_ERR_INVALID;
	for (size_t i = 0; i < t->npauses; i++)
		if (t->pauses[i].from == DATE_NONE ||
		    (t->pauses[i].to != DATE_NONE && t->pauses[i].to < t->pauses[i].from))
			return VD_ERR_INVALID;
	for (size_t i = 0; i < t->nextensions; i++)
		if (t->extensions[i].days < 1 || t->extensions[i].days > TERM_MAX_EXTENSION_DAYS ||
		    (t->extensions[i].basis != TB_NOTICE && t->extensions[i].basis != TB_CONSENT))
			return VD_ERR_INVALID;
	return VD_OK;
}

/* A walk over the days the term counts: next() moves *day to the next day
 * that is not paused, or fails at a pause that has not ended. */
struct walk {
	const struct term *t;
	int64_t day;
};

static bool next(struct walk *w)
{
	for (;;) {
		w->day++;
		if (w->day - w->t->start > COUNT_LIMIT_DAYS)
			return false;
		enum pause_kind k = paused(w->t, w->day);
		if (k == PAUSED_OPEN)
			return false;
		if (k == NOT_PAUSED)
			return true;
	}
}

int64_t term_due(const struct term *t, const struct holidays *h)
{
	if (term_valid(t) != VD_OK)
		return DATE_NONE;
	struct walk w = { t, t->start };
	int64_t want = t->unit == TU_WEEKS    ? 7 * (int64_t)t->length
		       : t->unit == TU_MONTHS ? date_add_months(t->start, t->length) - t->start
					      : t->length;
	int64_t working = 0; /* working days inside the term, for Atw art. 2 */
	for (int64_t counted = 0; counted < want;) {
		if (!next(&w))
			return DATE_NONE;
		bool wd = day_is_working(h, w.day);
		working += wd;
		if (t->unit != TU_WORKING_DAYS || wd)
			counted++;
	}
	for (size_t i = 0; i < t->nextensions; i++)
		for (int64_t d = 0; d < t->extensions[i].days; d++) {
			if (!next(&w))
				return DATE_NONE;
			working += day_is_working(h, w.day);
		}
	if (!t->atw)
		return w.day;
	/* art. 2: a term of three days or more holds at least two working days */
	if (t->unit != TU_WORKING_DAYS && want >= 3)
		while (working < 2) {
			if (!next(&w))
				return DATE_NONE;
			working += day_is_working(h, w.day);
		}
	/* art. 1: it does not end on a Saturday, Sunday or holiday */
	while (!day_is_working(h, w.day))
		if (!next(&w))
			return DATE_NONE;
	return w.day;
}

/* The state of t today, once its due day (DATE_NONE: stopped) is known. */
static enum term_state state_with(const struct term *t, int64_t due, int64_t today)
{
	if (t->met != DATE_NONE)
		return due == DATE_NONE || t->met <= due ? TS_MET : TS_MET_LATE;
	/* past its end, a pause begun since does not make it less late */
	if (due != DATE_NONE && today > due)
		return TS_OVERDUE;
	return due == DATE_NONE || paused(t, today) != NOT_PAUSED ? TS_PAUSED : TS_RUNNING;
}

static int days_left_with(const struct term *t, const struct holidays *h, int64_t due, int64_t today)
{
	if (due == DATE_NONE)
		return -1;
	int left = 0;
	for (int64_t d = today + 1; d <= due; d++)
		left += day_is_working(h, d) && paused(t, d) == NOT_PAUSED;
	return left;
}

enum term_state term_state(const struct term *t, const struct holidays *h, int64_t today)
{
	return state_with(t, term_due(t, h), today);
}

int term_working_days_left(const struct term *t, const struct holidays *h, int64_t today)
{
	return days_left_with(t, h, term_due(t, h), today);
}

void term_read(const struct term *t, const struct holidays *h, int64_t today, struct term_reading *out)
{
	out->due = term_due(t, h);
	out->state = state_with(t, out->due, today);
	out->working_days_left = days_left_with(t, h, out->due, today);
}

int term_extension_check(const struct term *t, const struct term_extension *e, int64_t max_notice_days)
{
	if (term_valid(t) != VD_OK || t->met != DATE_NONE || e->days < 1 || e->days > TERM_MAX_EXTENSION_DAYS ||
	    (e->basis != TB_NOTICE && e->basis != TB_CONSENT))
		return VD_ERR_INVALID;
	if (e->basis == TB_CONSENT)
		return VD_OK;
	/* Awb 9:11(2)-(3): one extension on notice; any further delay, or a
	 * longer one, only with the complainant's written consent */
	if (t->nextensions > 0 || e->days > max_notice_days)
		return VD_ERR_DENIED;
	return VD_OK;
}
