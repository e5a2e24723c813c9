/* small_numbers: see small_numbers.h and docs/annual-report.md. */
#include "small_numbers.h"

/* What a mark tells a reader about a hidden cell. */
static void label_range(enum sn_mark m, int64_t total, int threshold, int64_t *lo, int64_t *hi)
{
	if (m == SN_SMALL) {
		*lo = 1;
		*hi = threshold - 1;
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

static int64_t sum_of(const struct sn_cell *cells, size_t n)
{
	int64_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += cells[i].n;
	return t;
}

/* Does every small cell still read as "1 to threshold - 1", no narrower? */
static bool protected_enough(const struct sn_cell *cells, size_t n, int threshold)
{
	int64_t total = sum_of(cells, n);
	for (size_t i = 0; i < n; i++) {
		if (cells[i].mark != SN_SMALL)
			continue;
		int64_t lo, hi;
		small_numbers_bounds(cells, n, total, threshold, i, &lo, &hi);
		if (lo > 1 || hi < threshold - 1)
			return false;
	}
	return true;
}

void small_numbers_protect(struct sn_cell *cells, size_t n, int threshold, bool additive, bool *whole)
{
	*whole = false;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		cells[i].mark = cells[i].n > 0 && cells[i].n < threshold ? SN_SMALL : SN_SHOWN;
		any |= cells[i].mark == SN_SMALL;
	}
	if (!any || !additive)
		return; /* without an equation the small cells are all there is to hide */
	while (!protected_enough(cells, n, threshold)) {
		/* the smallest shown cell that is enough on its own; else the
		 * largest, and look again */
		size_t pick = n, largest = n;
		for (size_t i = 0; i < n; i++) {
			if (cells[i].mark != SN_SHOWN || cells[i].n < threshold)
				continue;
			if (largest == n || cells[i].n > cells[largest].n)
				largest = i;
			cells[i].mark = SN_HIDDEN;
			bool enough = protected_enough(cells, n, threshold);
			cells[i].mark = SN_SHOWN;
			if (enough && (pick == n || cells[i].n < cells[pick].n))
				pick = i;
		}
		if (pick == n)
			pick = largest;
		if (pick == n) {
			/* nothing left to hide: the table by its total alone */
			for (size_t i = 0; i < n; i++)
				cells[i].mark = SN_HIDDEN;
			*whole = true;
			return;
		}
		cells[pick].mark = SN_HIDDEN;
	}
}
