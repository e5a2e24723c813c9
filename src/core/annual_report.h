/*
 * annual_report: a unit's anonymised annual report of a year (issue 11,
 * DESIGN.md §3) from draft to published. The counsellors who serve the unit
 * (or one above it) write the trends and recommendations part; one of them
 * sends it for review, and another one publishes it: four eyes, so that
 * no one alone decides what the board reads. Publishing keeps the counts
 * as they were shown (annual_snapshot.c) and the units they cover; from
 * then on the report never changes, and the report readers of the unit
 * (or of a unit above it, or of a unit it covers) can read it.
 *
 * A unit may not publish a report of its own when:
 *  - its year is not over (the counts would be of part of it);
 *  - it has 1 to threshold - 1 records: too few to split, so it is counted
 *    in the report of the unit above it instead ("merged upwards");
 *  - a published report of another unit (above it, or above it when that
 *    was published) already counts it.
 * The written part is stored in the clear: it is written to be published,
 * and the page asks not to name or point at anyone.
 */
#ifndef VD_ANNUAL_REPORT_H
#define VD_ANNUAL_REPORT_H

#include "annual.h"
#include "units.h"

#define ANNUAL_TRENDS_MAX_CHARS 20000
#define ANNUAL_LIST_YEARS 10 /* the list of every year: this year and the nine before */

enum annual_state { AR_NONE, AR_DRAFT, AR_REVIEW, AR_PUBLISHED };

/* Why a report cannot be published now (AR_CAN for it can). */
enum annual_block {
	AR_CAN,
	AR_BLOCK_YEAR_OPEN,    /* the year is not over */
	AR_BLOCK_TOO_SMALL,    /* 1..t-1 records: counted in the report above */
	AR_BLOCK_COUNTED_ELSEWHERE, /* a published report of another unit counts it */
	AR_BLOCK_NOT_IN_REVIEW, /* not sent for review yet */
	AR_BLOCK_OWN_TEXT,     /* who wrote the text last (someone else reviews) */
	AR_BLOCK_PUBLISHED,    /* published already */
	AR_BLOCK_CHANGED,      /* text or counts changed since the reviewer opened it */
};

struct annual_report {
	int64_t unit_id;
	int year;
	enum annual_state state;
	const char *trends;          /* "" when none yet */
	int64_t written_by, written_at, reviewed_by, published_at;
	struct annual_counts counts; /* published: as published; before: as they stand now */
	bool has_before;             /* the unit's published report of the year before */
	struct annual_counts before;
	enum annual_block block;     /* for who: what stands in the way of publishing */
	int64_t counted_in;          /* AR_BLOCK_TOO_SMALL: the unit above; AR_BLOCK_COUNTED_ELSEWHERE: its unit */
	uint64_t version;            /* what is shown (text and counts): publish only what was seen */
};

/* A report in a list. */
struct annual_report_item {
	int64_t unit_id;
	int year;
	enum annual_state state;
	int64_t published_at;
};

/*
 * The report of unit_id and year. A counsellor who serves the unit sees it
 * in any state (the counts as they stand until it is published); a report
 * reader only a published one of a unit they may read (VD_ERR_NOTFOUND
 * otherwise, as if it did not exist); VD_ERR_DENIED for other roles,
 * VD_ERR_NOTFOUND for no such unit, VD_ERR_INVALID for a year outside
 * 2000..2999.
 */
int annual_report_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit_id, int year,
		       struct annual_report *out);

/*
 * A counsellor who serves the unit saves the written part (valid UTF-8, at
 * most ANNUAL_TRENDS_MAX_CHARS) and, with submit, sends it for review; a
 * change after that takes it back to a draft. VD_ERR_INVALID for a bad
 * text or a year to come, VD_ERR_EXISTS when it is published. Audited ("annual.write",
 * "annual.submit").
 */
int annual_report_write(struct vd *vd, const struct principal *who, int64_t unit_id, int year, const char *trends,
			bool submit);

/*
 * Another counsellor who serves the unit publishes the report in review,
 * as they saw it: seen is the version annual_report_open gave them, and a
 * text or counts changed since is not published. VD_ERR_DENIED with
 * *block saying why not (enum annual_block). Audited ("annual.publish").
 */
int annual_report_publish(struct vd *vd, const struct principal *who, int64_t unit_id, int year, uint64_t seen,
			  enum annual_block *block);

/* This year (the server's clock and time zone). */
int annual_current_year(void);

/* The units who may make reports of (a counsellor) or read reports of (a
 * reader): those they are attached to and below, in tree order. */
int annual_report_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *tree,
			int **depth);

/* The reports who may see: a counsellor every one of the units they serve
 * (of year, or with 0 of the last ANNUAL_LIST_YEARS), a reader the
 * published ones they may read; newest year first. *out is NULL when *n
 * is 0. */
int annual_report_list(struct vd *vd, const struct principal *who, struct arena *a, int year,
		       struct annual_report_item **out, size_t *n);

#endif
