/* Unit tests: small numbers in the annual report (issue 11) — the cells a
 * table hides, against hand-worked examples, and a reader who tries every
 * assignment of the hidden cells that fits the published numbers and still
 * learns nothing about a small cell beyond "1 to threshold - 1". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/small_numbers.h"
#include "check.h"

#define MAXC 6

static void protect(struct sn_cell *c, const int64_t *v, size_t n, int t, bool additive, bool *whole)
{
	for (size_t i = 0; i < n; i++)
		c[i] = (struct sn_cell){ .n = v[i] };
	small_numbers_protect(c, n, t, additive, whole);
}

static bool marks_are(const struct sn_cell *c, const char *want)
{
	for (size_t i = 0; want[i]; i++)
		if ((want[i] == 's' && c[i].mark != SN_SMALL) || (want[i] == 'h' && c[i].mark != SN_HIDDEN) ||
		    (want[i] == '=' && c[i].mark != SN_SHOWN))
			return false;
	return true;
}

static void worked_examples(void)
{
	struct sn_cell c[MAXC];
	bool whole;
	/* one small cell: the smallest cell that covers it on its own */
	protect(c, (int64_t[]){ 3, 10, 12 }, 3, 5, true, &whole);
	CHECK(!whole && marks_are(c, "sh="));
	/* 5 would not do (1 + 5 = 6 leaves the small one at exactly 1): 40 does */
	protect(c, (int64_t[]){ 1, 5, 40 }, 3, 5, true, &whole);
	CHECK(!whole && marks_are(c, "s=h"));
	/* two small cells that cover each other: 2 + 3 could be 1 + 4 as well */
	protect(c, (int64_t[]){ 2, 3, 0, 30 }, 4, 5, true, &whole);
	CHECK(!whole && marks_are(c, "ss=="));
	/* two ones: "both small, 2 together" would tell both; a third cell hides it */
	protect(c, (int64_t[]){ 1, 1, 20 }, 3, 5, true, &whole);
	CHECK(!whole && marks_are(c, "ssh"));
	/* 3 + 4 of 7: each at least 3; nothing to hide them behind: the total alone */
	protect(c, (int64_t[]){ 3, 4 }, 2, 5, true, &whole);
	CHECK(whole && marks_are(c, "hh"));
	/* nothing small: everything shown, zeros too */
	protect(c, (int64_t[]){ 0, 5, 9 }, 3, 5, true, &whole);
	CHECK(!whole && marks_are(c, "==="));
	/* not additive (a case in several cells): the small cells alone */
	protect(c, (int64_t[]){ 3, 10 }, 2, 5, false, &whole);
	CHECK(!whole && marks_are(c, "s="));
	/* another threshold: 9 is small, 10 covers it (9 + 10 = 19 could be 1 + 18) */
	protect(c, (int64_t[]){ 9, 10, 30 }, 3, 10, true, &whole);
	CHECK(!whole && marks_are(c, "sh="));
}

/* Every assignment of the hidden cells that fits: shown cells as shown,
 * small ones 1 .. t-1, hidden ones t .. total, adding up to the total;
 * the least and greatest value each cell takes in them. */
static void search(const struct sn_cell *c, size_t n, int64_t total, int t, size_t i, int64_t sum, int64_t *v,
		   int64_t *lo, int64_t *hi, long *found)
{
	if (sum > total)
		return;
	if (i == n) {
		if (sum != total)
			return;
		(*found)++;
		for (size_t j = 0; j < n; j++) {
			if (v[j] < lo[j])
				lo[j] = v[j];
			if (v[j] > hi[j])
				hi[j] = v[j];
		}
		return;
	}
	int64_t from = c[i].mark == SN_SHOWN ? c[i].n : c[i].mark == SN_SMALL ? 1 : t;
	int64_t to = c[i].mark == SN_SHOWN ? c[i].n : c[i].mark == SN_SMALL ? t - 1 : total;
	for (int64_t x = from; x <= to && sum + x <= total; x++) {
		v[i] = x;
		search(c, n, total, t, i + 1, sum + x, v, lo, hi, found);
	}
}

/* Random tables, each checked by that reader: no small cell narrowed, the
 * hidden ones never small or zero, and small_numbers_bounds exact. */
static void a_reader_who_tries_everything_learns_nothing(void)
{
	srand(20261203);
	int checked = 0;
	for (int round = 0; round < 600; round++) {
		size_t n = 1 + (size_t)(rand() % 4);
		int t = round % 3 == 0 ? 3 : 5;
		int64_t v[MAXC], total = 0;
		for (size_t i = 0; i < n; i++) {
			v[i] = rand() % 3 == 0 ? rand() % t : rand() % 16;
			total += v[i];
		}
		struct sn_cell c[MAXC];
		bool whole;
		protect(c, v, n, t, true, &whole);
		for (size_t i = 0; i < n; i++) {
			CHECK(c[i].mark != SN_SHOWN || c[i].n == 0 || c[i].n >= t);
			CHECK(c[i].mark != SN_HIDDEN || whole || c[i].n >= t);
			CHECK(c[i].mark != SN_SMALL || (c[i].n >= 1 && c[i].n < t));
		}
		if (whole)
			continue;
		int64_t lo[MAXC], hi[MAXC], tmp[MAXC];
		for (size_t i = 0; i < n; i++) {
			lo[i] = INT64_MAX;
			hi[i] = INT64_MIN;
		}
		long found = 0;
		search(c, n, total, t, 0, 0, tmp, lo, hi, &found);
		CHECK(found >= 1); /* the truth is one of them */
		for (size_t i = 0; i < n; i++) {
			if (c[i].mark == SN_SMALL)
				CHECK(lo[i] == 1 && hi[i] == t - 1);
			int64_t blo, bhi;
			small_numbers_bounds(c, n, total, t, i, &blo, &bhi);
			CHECK(blo == lo[i] && bhi == hi[i]);
		}
		checked++;
	}
	CHECK(checked > 300);
}

int main(void)
{
	static const struct test tests[] = {
		TEST(worked_examples),
		TEST(a_reader_who_tries_everything_learns_nothing),
	};
	return check_run("small_numbers", tests, sizeof tests / sizeof tests[0]);
}
