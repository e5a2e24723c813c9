/*
 * small_numbers: what the annual report may show of a table of counts, so
 * that no person can be recognised (issue 11, DESIGN.md §3 "Annual report";
 * the method is written out in docs/annual-report.md).
 *
 * A table here is one-way: a count per category (cases by reporter type,
 * say). Additive tables count every case in exactly one category, so the
 * cells add up to the total, and the total is published (it is the same
 * number in every table of the report, so hiding it in one would hide
 * nothing). A cell with 1 to threshold - 1 cases is shown as "fewer than
 * <threshold>" (SN_SMALL); a zero is shown as 0. Because the cells add up
 * to the total, one small cell could be worked out from the others: so
 * more cells are hidden (SN_HIDDEN: "not shown"; always cells of threshold
 * or more, never a zero), the fewest and smallest that leave a reader who
 * knows every published number, the labels' meaning and this method
 * nothing more about any small cell than that it lies between 1 and
 * threshold - 1. When no choice of cells achieves that,
 * the table is shown by its total alone (every cell SN_HIDDEN, *whole).
 *
 * A table that is not additive (a case with several behaviours counts in
 * several) gives no equation to work with: its small cells alone are
 * hidden.
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
void small_numbers_protect(struct sn_cell *cells, size_t n, int threshold, bool additive, bool *whole);

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
