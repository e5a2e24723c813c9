/*
 * small_numbers: what the annual report may show of a table of counts, so
 * that no person can be recognised (issue 11, DESIGN.md §3 "Annual report";
 * the method is written out in docs/annual-report.md).
 *
 * A table here is one-way: a count per category (cases by reporter type,
 * say), with its total published. Additive tables count every record in
 * exactly one category, so the cells add up to the total. The rule:
 *
 *  - a population of 1 to threshold - 1 records is not split: every cell
 *    hidden (*whole);
 *  - a cell of 1 to threshold - 1 is shown as "fewer than <threshold>"
 *    (SN_SMALL); a zero as 0;
 *  - once a table has a small cell, every cell of threshold or more is
 *    "not shown" (SN_HIDDEN): which cells are hidden then depends on the
 *    labels alone, so a reader who replays the method learns nothing from
 *    the choice;
 *  - an additive table with a small cell whose total is so low that some
 *    table of as many cells and this total would have a small cell
 *    narrowed below "1 to threshold - 1" is shown by its total alone
 *    (*whole): that depends on the number of cells and the total alone;
 *  - a table that is not additive (a case with several behaviours counts
 *    in several) is read cell by cell against the total, "with" and
 *    "without": a cell whose complement is small is hidden, and a table
 *    with a small cell and a total under 2 * threshold - 1 is not split.
 */
#ifndef VD_SMALL_NUMBERS_H
#define VD_SMALL_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMALL_NUMBERS_THRESHOLD 5 /* the default: "fewer than 5" */

enum sn_mark {
	SN_SHOWN,  /* the number itself */
	SN_SMALL,  /* "fewer than <threshold>": 1 .. threshold - 1 */
	SN_HIDDEN, /* "not shown": hidden so that no small cell can be worked out */
};

struct sn_cell {
	int64_t n;
	enum sn_mark mark; /* set by small_numbers_protect */
};

/*
 * Marks the n cells of a table with the given threshold (at least 2), whose
 * total is published; additive: the cells add up to the total. *whole is
 * set when the table can only be shown by its total.
 */
void small_numbers_protect(struct sn_cell *cells, size_t n, int64_t total, int threshold, bool additive,
			   bool *whole);

/*
 * What a reader can work out of a marked additive table with this total:
 * for cell i the least and the greatest value consistent with every
 * published number and the meaning of the marks (SN_SMALL: 1 .. t - 1;
 * SN_HIDDEN: threshold up to the total). For the tests and the docs' claim;
 * exact, as a one-way table gives one equation.
 */
void small_numbers_bounds(const struct sn_cell *cells, size_t n, int64_t total, int threshold, size_t i,
			  int64_t *lo, int64_t *hi);

#endif
