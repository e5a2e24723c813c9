/*
 * terms: every deadline of a procedure as a dated clock (issue 8; the
 * whistleblower channel uses it too). A term has a start event, a length
 * in calendar days, working days, weeks or months, pauses (mediation stops the
 * clock), extensions, and a state.
 *
 * How a term is counted, the way the Awb and the Algemene termijnenwet
 * (Atw) count:
 *  - it begins the day after its start event (a complaint received on
 *    Monday with 14 days to go: Tuesday is day 1);
 *  - a day inside a pause is not counted;
 *  - working days are the days calendar.h calls working days;
 *  - extensions add calendar days after the term's own length;
 *  - where the Atw applies: a term of at least three days is lengthened
 *    until it holds two working days (art. 2), and a term that ends on a
 *    Saturday, Sunday or holiday ends on the next working day (art. 1).
 *
 * The functions are pure: the caller passes the term's record and today,
 * and stores the due day next to the record so that lists can sort and
 * filter on it without counting again.
 */
#ifndef VD_TERMS_H
#define VD_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

/* A term in months (the whistleblower's feedback: three months) ends on the
 * same date that many months after its start, or on the last day of a
 * shorter month; pauses and the Atw then apply as to any other term. */
enum term_unit { TU_DAYS, TU_WORKING_DAYS, TU_WEEKS, TU_MONTHS, TU_COUNT };

/* "days", "working_days", "weeks", "months": as stored and as translation keys. */
extern const char *const term_unit_names[TU_COUNT];

/* Longest term, in units, and longest single extension, in days. */
#define TERM_MAX_LENGTH 366
#define TERM_MAX_EXTENSION_DAYS 366

/* The clock stands still from the day from up to, not including, the day
 * to (the day the mediation ended counts again); to is DATE_NONE while the
 * pause lasts. */
struct term_pause {
	int64_t from, to;
};

/* On what an extension rests: a notice to both parties, or the
 * complainant's recorded written consent (Awb 9:11(3)). */
enum term_basis { TB_NOTICE, TB_CONSENT };

struct term_extension {
	int64_t days;
	enum term_basis basis;
};

struct term {
	int64_t start;       /* the day of the start event */
	int length;          /* 1 .. TERM_MAX_LENGTH units */
	enum term_unit unit;
	bool atw;            /* the Algemene termijnenwet applies */
	const struct term_pause *pauses;
	size_t npauses;
	const struct term_extension *extensions;
	size_t nextensions;
	int64_t met;         /* the day the step was taken; DATE_NONE while open */
};

enum term_state {
	TS_RUNNING,
	TS_PAUSED,   /* inside a pause today, or in one that has not ended (and not past its end) */
	TS_MET,      /* taken on or before the due day */
	TS_MET_LATE, /* taken after it */
	TS_OVERDUE,  /* open and past the due day */
	TS_COUNT
};

extern const char *const term_state_names[TS_COUNT];

/* VD_OK, or VD_ERR_INVALID for a term no procedure could have: a bad unit
 * or length, a pause ending before it begins, a bad extension. */
int term_valid(const struct term *t);

/* The last day on which the term is met in time; DATE_NONE while a pause
 * that has not ended stops it before its end (or for an invalid term). */
int64_t term_due(const struct term *t, const struct holidays *h);

enum term_state term_state(const struct term *t, const struct holidays *h, int64_t today);

/* Working days after today up to and including the due day, paused days
 * not counted: 0 on the due day and after it, -1 when there is no due day.
 * The committee is reminded when this is 3. */
int term_working_days_left(const struct term *t, const struct holidays *h, int64_t today);

/* The three at once, counting the term once (for a page that shows them). */
struct term_reading {
	int64_t due;
	enum term_state state;
	int working_days_left;
};
void term_read(const struct term *t, const struct holidays *h, int64_t today, struct term_reading *out);

/*
 * May t be extended by e? VD_OK; VD_ERR_INVALID for a bad number of days
 * or a term already met; VD_ERR_DENIED when it needs the complainant's
 * consent and e rests on a notice only: once a term has been extended, or
 * when e is longer than max_notice_days (0: this term can only be
 * extended with consent).
 */
int term_extension_check(const struct term *t, const struct term_extension *e, int64_t max_notice_days);

#endif
