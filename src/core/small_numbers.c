/* small_numbers: see small_numbers.h and docs/annual-report.md. */
#include "small_numbers.h"

/* What a mark tells a reader about a hidden cell. */
static void label_range(enum sn_mark m, int64_t total, int threshold, int64_t *lo, int64_t *hi)
{
	if (m == SN_SMALL) {
		*lo = 1;
		*hi = threshold - 1 < total ? threshold - 1 : total;
	} else {
		*lo = threshold;
		*hi = total;
	}
}

void small_numbers_bounds(const struct sn_cell *cells, size_t n, int64_t total, int threshold, size_t i,
			  int64_t *lo, int64_t *hi)
{
	if (cells[i].mark == SN_SHOWN) {
		*lo = *hi = cells[i].n;
		return;
	}
	/* the hidden cells share what the shown ones leave of the total */
	int64_t left = total, others_lo = 0, others_hi = 0;
	for (size_t j = 0; j < n; j++) {
		if (cells[j].mark == SN_SHOWN) {
			left -= cells[j].n;
		} else if (j != i) {
			int64_t l, h;
			label_range(cells[j].mark, total, threshold, &l, &h);
			others_lo += l;
			others_hi += h;
		}
	}
	label_range(cells[i].mark, total, threshold, lo, hi);
	if (left - others_hi > *lo)
		*lo = left - others_hi;
	if (left - others_lo < *hi)
		*hi = left - others_lo;
}

/* With k small and h hidden cells (the rest 0) adding up to total, does a
 * small cell still read as "1 to t - 1", no narrower? small_numbers_bounds
 * for such a table, in numbers. */
static bool marks_protect(int64_t k, int64_t h, int64_t total, int t)
{
	int64_t top = t - 1 < total ? t - 1 : total;
	int64_t others_lo = (k - 1) + h * t, others_hi = (k - 1) * top + h * total;
	int64_t lo = total - others_hi > 1 ? total - others_hi : 1;
	int64_t hi = total - others_lo < top ? total - others_lo : top;
	return lo <= 1 && hi >= t - 1;
}

/* Could any table of n cells with this total and a small cell be marked
 * so that a small cell reads narrower? Then every such table is shown by
 * its total alone: which ones are must not tell anything either. (Not the
 * cells that are not zero: deciding by them told a reader how many there
 * were, and so narrowed them; tests/unit/test_small_numbers.c tries.) */
static bool total_too_small(size_t n, int64_t total, int t)
{
	for (int64_t k = 1; k <= (int64_t)n; k++)
		for (int64_t h = 0; k + h <= (int64_t)n; h++) {
			int64_t top = t - 1 < total ? t - 1 : total;
			bool fits = k + h * t <= total && (h > 0 || k * top >= total);
			if (fits && !marks_protect(k, h, total, t))
				return true;
		}
	return false;
}

static void all_hidden(struct sn_cell *cells, size_t n, bool *whole)
{
	for (size_t i = 0; i < n; i++)
		cells[i].mark = SN_HIDDEN;
	*whole = true;
}

void small_numbers_protect(struct sn_cell *cells, size_t n, int64_t total, int threshold, bool additive,
			   bool *whole)
{
	*whole = false;
	/* a population of fewer than threshold: not split at all */
	if (total > 0 && total < threshold) {
		all_hidden(cells, n, whole);
		return;
	}
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		cells[i].mark = cells[i].n > 0 && cells[i].n < threshold ? SN_SMALL : SN_SHOWN;
		any |= cells[i].mark == SN_SMALL;
	}
	if (!additive) {
		/* each cell against the rest of the total: with X, and without */
		if (any && total < 2 * (int64_t)threshold - 1) {
			all_hidden(cells, n, whole);
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (cells[i].mark == SN_SHOWN && cells[i].n > 0 && total - cells[i].n > 0 &&
			    total - cells[i].n < threshold)
				cells[i].mark = SN_HIDDEN; /* all but a few */
	}
	if (!any)
		return;
	/* Which cells are hidden must not depend on their values, or a reader
	 * who replays the method learns from the choice: so every cell of
	 * threshold or more goes. */
	for (size_t i = 0; i < n; i++)
		if (cells[i].mark == SN_SHOWN && cells[i].n >= threshold)
			cells[i].mark = SN_HIDDEN;
	if (additive && total_too_small(n, total, threshold))
		all_hidden(cells, n, whole);
}
