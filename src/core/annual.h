/*
 * annual: the counts of the anonymised annual report (issue 11, DESIGN.md
 * §3), for a unit (and every unit below it) and a year, made from *stat*
 * fields alone: no case, complaint or report key is opened, and none is
 * needed. Every table is protected against small numbers
 * (small_numbers.h, docs/annual-report.md) before anyone sees it.
 *
 * The tables: the counsellors' cases, the complaints, the whistleblower
 * register and the counsellors' own log (advice, training, supervision and
 * short questions without a case). A unit whose report of the year has been
 * published is counted there and not again above it (covers), so that no
 * two published reports count the same record and none can be subtracted
 * from another; annual_report.h writes, reviews and publishes them.
 */
#ifndef VD_ANNUAL_H
#define VD_ANNUAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "app.h"
#include "small_numbers.h"

enum annual_table {
	AT_REPORTER_TYPE, AT_RELATION, AT_LOCATION, AT_CHANNEL, AT_NAMED, AT_PHASE, AT_ROUTE, AT_OUTCOME,
	AT_BEHAVIOUR, AT_REFERRAL, /* a case can count in several: not additive */
	AT_CONTACTS, AT_FIRST_CONTACT, AT_CLOSURE, /* conversations, and days to the first and to closing */
	AT_WB_CHANNEL, AT_WB_CATEGORY, AT_WB_ACK, AT_WB_FEEDBACK,
	AT_COMPLAINT_CHANNEL, AT_COMPLAINT_ADMISSIBLE, AT_COMPLAINT_ADVICE,
	AT_COMPLAINT_MEASURES, /* a decision can take several: not additive */
	AT_COMPLAINT_TERMS,    /* of the terms, not the complaints */
	AT_ADVICE_ASKED, AT_ADVICE_TO, /* the counsellors' advice to managers and the board */
	AT_QUESTION_TYPE,              /* short questions without a case, by who asked */
	AT_COUNT
};
/* "reporter_type", ...: names for the CLI and translation keys. */
extern const char *const annual_table_names[AT_COUNT];

#define ANNUAL_MAX_CELLS 16
#define ANNUAL_NOT_SHOWN (-1) /* a figure that is not shown */
#define ANNUAL_WB_ROWS 100000 /* a year's reports of wrongdoing read at most */
#define ANNUAL_REPORTS_MAX 10000 /* reports of one year (units) read at most */

struct annual_table_view {
	enum annual_table kind;
	const char *keys[ANNUAL_MAX_CELLS]; /* each cell's category ("" for none given: "unknown") */
	struct sn_cell cells[ANNUAL_MAX_CELLS];
	size_t n;
	int64_t total;  /* the records counted (cases, or reports) */
	bool additive;  /* the cells add up to the total */
	bool whole;     /* shown by its total alone */
};

struct annual_counts {
	int64_t unit_id;
	int year, threshold;
	int64_t cases, wb_reports, complaints, advice;
	int64_t exceptions; /* of the cases: with a confidentiality exception recorded
			       (ANNUAL_NOT_SHOWN: so many that the others would be few) */
	int64_t questions;  /* short questions answered without a case */
	const int64_t *covers; /* the units counted: unit_id and below, less those with a report of their own */
	size_t ncovers;
	/* the counsellors attached to the unit or one below: their training and
	 * peer supervision that year (figures of time, not of people) */
	int64_t training_minutes, supervision_sessions, supervision_minutes;
	struct annual_table_view tables[AT_COUNT];
};

/* The counts of unit_id and below for year (1 January to 31 December),
 * protected, leaving out the units that a published report of that year
 * of another unit counts. For the system (the CLI) and for
 * a counsellor who serves the unit or one above it; VD_ERR_DENIED for
 * anyone else, VD_ERR_NOTFOUND for no such unit, VD_ERR_INVALID for a year
 * outside 2000..2999. */
int annual_counts_make(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit_id, int year,
		       struct annual_counts *out);

/* Whether covers (a published report's units, "1,4,5") lists unit u. */
bool annual_covers_unit(const char *covers, int64_t u);

/* The records counted in all (cases, complaints, reports, questions). */
int64_t annual_counts_population(const struct annual_counts *c);

/* The counts as text, to keep what was published (annual_snapshot.c), and
 * back: VD_ERR_INVALID for a text this build did not write. */
int annual_counts_write(const struct annual_counts *c, struct buf *out);
int annual_counts_read(struct arena *a, const char *text, struct annual_counts *out);

/* One table as CSV (RFC 4180, CRLF): a heading line, then a line per cell
 * with its category, the count as shown ("fewer than 5" and "not shown"
 * as label gives them) and, with before, the year before's (with its own
 * threshold). label(kind,
 * key, ctx) names a category ("" for the one of no category given), and
 * label(..., NULL, ctx) the column headings' words and marks: see
 * annual_csv.c. */
typedef const char *(*annual_label_fn)(enum annual_table kind, const char *key, const char *word, void *ctx);
int annual_table_csv(const struct annual_table_view *t, const struct annual_table_view *before, int threshold,
		     int before_threshold, annual_label_fn label, void *ctx, struct buf *out);

#endif
