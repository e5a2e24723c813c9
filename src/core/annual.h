/*
 * annual: the counts of the anonymised annual report (issue 11, DESIGN.md
 * §3), for a unit (and every unit below it) and a year, made from *stat*
 * fields alone: no case, complaint or report key is opened, and none is
 * needed. Every table is protected against small numbers
 * (small_numbers.h, docs/annual-report.md) before anyone sees it.
 *
 * This part makes the tables of the counsellors' cases, the complaints,
 * the whistleblower register and the counsellors' own log; the written
 * part and publishing to the readers are still to come.
 */
#ifndef VD_ANNUAL_H
#define VD_ANNUAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "app.h"
#include "small_numbers.h"

enum annual_table {
	AT_REPORTER_TYPE, AT_RELATION, AT_LOCATION, AT_CHANNEL, AT_NAMED, AT_PHASE, AT_ROUTE, AT_OUTCOME,
	AT_BEHAVIOUR, AT_REFERRAL, /* a case can count in several: not additive */
	AT_WB_CHANNEL, AT_WB_CATEGORY, AT_WB_ACK, AT_WB_FEEDBACK,
	AT_COMPLAINT_CHANNEL, AT_COMPLAINT_ADMISSIBLE, AT_COMPLAINT_ADVICE,
	AT_COMPLAINT_MEASURES, /* a decision can take several: not additive */
	AT_COMPLAINT_TERMS,    /* of the terms, not the complaints */
	AT_ADVICE_ASKED, AT_ADVICE_TO, /* the counsellors' advice to managers and the board */
	AT_COUNT
};
/* "reporter_type", ...: names for the CLI and translation keys. */
extern const char *const annual_table_names[AT_COUNT];

#define ANNUAL_MAX_CELLS 16
#define ANNUAL_WB_ROWS 100000 /* a year's reports of wrongdoing read at most */

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
	/* the counsellors attached to the unit or one below: their training and
	 * peer supervision that year (figures of time, not of people) */
	int64_t training_minutes, supervision_sessions, supervision_minutes;
	struct annual_table_view tables[AT_COUNT];
};

/* The counts of unit_id and below for year (1 January to 31 December),
 * protected. For the system (the CLI) and for a counsellor who serves the
 * unit or one above it; VD_ERR_DENIED for anyone else, VD_ERR_NOTFOUND for
 * no such unit, VD_ERR_INVALID for a year outside 2000..2999. */
int annual_counts_make(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit_id, int year,
		       struct annual_counts *out);

#endif
