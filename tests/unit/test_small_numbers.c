/* Unit tests: small numbers in the annual report (issue 11) — the cells a
 * table hides, against hand-worked examples, and a reader who knows the
 * method: who tries every table of the same total, keeps those the method
 * marks exactly as published, and still learns nothing about a small cell
 * beyond "1 to threshold - 1". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/small_numbers.h"
#include "check.h"

#define MAXC 6

static int64_t sum(const int64_t *v, size_t n)
{
	int64_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += v[i];
	return t;
}

static void protect(struct sn_cell *c, const int64_t *v, size_t n, int64_t total, int t, bool additive, bool *whole)
{
	for (size_t i = 0; i < n; i++)
		c[i] = (struct sn_cell){ .n = v[i] };
	small_numbers_protect(c, n, total, t, additive, whole);
}

static bool marks_are(const struct sn_cell *c, const char *want)
{
	for (size_t i = 0; want[i]; i++)
		if ((want[i] == 's' && c[i].mark != SN_SMALL) || (want[i] == 'h' && c[i].mark != SN_HIDDEN) ||
		    (want[i] == '=' && c[i].mark != SN_SHOWN))
			return false;
	return true;
}

#define ADD(...) ((int64_t[]){ __VA_ARGS__ })
#define N(...) (sizeof ADD(__VA_ARGS__) / sizeof(int64_t))

static void worked_examples(void)
{
	struct sn_cell c[MAXC];
	bool whole;
	/* a small cell: every cell of 5 or more goes with it */
	protect(c, ADD(3, 10, 12), 3, 25, 5, true, &whole);
	CHECK(!whole && marks_are(c, "shh"));
	protect(c, ADD(2, 3, 0, 30), 4, 35, 5, true, &whole);
	CHECK(!whole && marks_are(c, "ss=h"));
	protect(c, ADD(1, 1, 20), 3, 22, 5, true, &whole);
	CHECK(!whole && marks_are(c, "ssh"));
	/* 7 in two cells with a small one: 1 + 6 would tell the 1 is at most 2 */
	protect(c, ADD(3, 4), 2, 7, 5, true, &whole);
	CHECK(whole && marks_are(c, "hh"));
	protect(c, ADD(1, 6), 2, 7, 5, true, &whole);
	CHECK(whole);
	/* ... but 7 with nothing small is shown */
	protect(c, ADD(0, 7), 2, 7, 5, true, &whole);
	CHECK(!whole && marks_are(c, "=="));
	/* five cells of 20: (4, 4, 4, 4, 4) would be told, so no table of five
	 * cells of 20 with a small one is split, zeros or not; 25 is enough */
	protect(c, ADD(4, 4, 4, 4, 4), 5, 20, 5, true, &whole);
	CHECK(whole);
	protect(c, ADD(1, 3, 4, 4, 8), 5, 20, 5, true, &whole);
	CHECK(whole);
	protect(c, ADD(1, 19, 0, 0, 0), 5, 20, 5, true, &whole);
	CHECK(whole);
	protect(c, ADD(1, 24, 0, 0, 0), 5, 25, 5, true, &whole);
	CHECK(!whole && marks_are(c, "sh==="));
	/* fewer than 5 in all: not split, whatever the cells */
	protect(c, ADD(0, 4), 2, 4, 5, true, &whole);
	CHECK(whole);
	/* nothing small: everything shown, zeros too */
	protect(c, ADD(0, 5, 9), 3, 14, 5, true, &whole);
	CHECK(!whole && marks_are(c, "==="));
	/* not additive (a case in several cells, 12 cases): each against the rest */
	protect(c, ADD(3, 10), 2, 12, 5, false, &whole);
	CHECK(!whole && marks_are(c, "sh"));
	protect(c, ADD(18, 0, 6), 3, 20, 5, false, &whole);
	CHECK(!whole && marks_are(c, "h==")); /* 18 of 20: all but 2 */
	protect(c, ADD(1, 8), 2, 8, 5, false, &whole);
	CHECK(whole); /* with 8 in all, "fewer than 5" of 8 could be pinned by the rest */
	/* another threshold */
	protect(c, ADD(9, 10, 30), 3, 49, 10, true, &whole);
	CHECK(!whole && marks_are(c, "shh"));
}

/* Every table of n cells adding up to total; for each the method marks
 * exactly as published (same marks, same shown numbers, same whole), each
 * cell's least and greatest value. */
static void replay(const struct sn_cell *pub, bool pub_whole, size_t n, int64_t total, int t, bool additive,
		   size_t i, int64_t left, int64_t *v, int64_t *lo, int64_t *hi, long *found)
{
	if (i == n - 1) {
		v[i] = left;
		struct sn_cell c[MAXC];
		bool whole;
		protect(c, v, n, total, t, additive, &whole);
		if (whole != pub_whole)
			return;
		for (size_t j = 0; j < n; j++)
			if (c[j].mark != pub[j].mark || (c[j].mark == SN_SHOWN && c[j].n != pub[j].n))
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
	for (int64_t x = 0; x <= left; x++) {
		v[i] = x;
		replay(pub, pub_whole, n, total, t, additive, i + 1, left - x, v, lo, hi, found);
	}
}

static void a_reader_who_replays_the_method_learns_nothing(void)
{
	srand(20261203);
	int checked = 0, wholes = 0;
	for (int round = 0; round < 500; round++) {
		size_t n = 2 + (size_t)(rand() % 3);
		int t = round % 4 == 0 ? 3 : 5;
		int64_t v[MAXC];
		for (size_t i = 0; i < n; i++)
			v[i] = rand() % 3 == 0 ? rand() % t : rand() % 10;
		int64_t total = sum(v, n);
		if (total == 0)
			continue;
		struct sn_cell c[MAXC];
		bool whole;
		protect(c, v, n, total, t, true, &whole);
		for (size_t i = 0; i < n; i++) {
			CHECK(c[i].mark != SN_SHOWN || c[i].n == 0 || c[i].n >= t);
			CHECK(c[i].mark != SN_HIDDEN || whole || c[i].n >= t);
		}
		int64_t lo[MAXC], hi[MAXC], tmp[MAXC];
		for (size_t i = 0; i < n; i++) {
			lo[i] = INT64_MAX;
			hi[i] = INT64_MIN;
		}
		long found = 0;
		replay(c, whole, n, total, t, true, 0, total, tmp, lo, hi, &found);
		CHECK(found >= 1); /* the truth is one of them */
		/* every cell that is really small could be anything from 1 to t - 1
		 * (or, in a population under t, whose total the report shows as
		 * "fewer than t" itself, anything up to that total) */
		int64_t top = total < t - 1 ? total : t - 1;
		for (size_t i = 0; i < n; i++)
			if (v[i] >= 1 && v[i] < t && !(lo[i] <= 1 && hi[i] >= top)) {
				fprintf(stderr, "t=%d whole=%d total=%lld:", t, whole, (long long)total);
				for (size_t j = 0; j < n; j++)
					fprintf(stderr, " %lld[%lld..%lld]", (long long)v[j], (long long)lo[j], (long long)hi[j]);
				fprintf(stderr, "\n");
				CHECK(lo[i] <= 1 && hi[i] >= top);
			}
		wholes += whole;
		checked++;
	}
	CHECK(checked > 400 && wholes > 10);
}

/* Every table of three cells up to a total of 16: the same reader. */
static void every_small_table_of_three(void)
{
	int t = 5;
	for (int64_t total = 1; total <= 16; total++)
		for (int64_t a = 0; a <= total; a++)
			for (int64_t b = 0; a + b <= total; b++) {
				int64_t v[3] = { a, b, total - a - b }, lo[3], hi[3], tmp[3];
				struct sn_cell c[3];
				bool whole;
				protect(c, v, 3, total, t, true, &whole);
				for (size_t i = 0; i < 3; i++) {
					lo[i] = INT64_MAX;
					hi[i] = INT64_MIN;
				}
				long found = 0;
				replay(c, whole, 3, total, t, true, 0, total, tmp, lo, hi, &found);
				CHECK(found >= 1);
				int64_t top = total < t - 1 ? total : t - 1;
				for (size_t i = 0; i < 3; i++)
					if (v[i] >= 1 && v[i] < t && !(lo[i] <= 1 && hi[i] >= top)) {
						fprintf(stderr, "total %lld: %lld %lld %lld whole=%d cell %zu in %lld..%lld\n",
							(long long)total, (long long)v[0], (long long)v[1], (long long)v[2],
							whole, i, (long long)lo[i], (long long)hi[i]);
						CHECK(lo[i] <= 1 && hi[i] >= top);
					}
			}
}

/* The bounds the docs describe: exact for a table as marked, against
 * trying every assignment the labels allow. */
static void the_bounds_are_exact(void)
{
	struct sn_cell c[] = { { 2, SN_SMALL }, { 3, SN_SMALL }, { 12, SN_HIDDEN }, { 0, SN_SHOWN } };
	int64_t total = 17;
	for (size_t i = 0; i < 4; i++) {
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		for (int64_t a = 1; a <= 4; a++)
			for (int64_t b = 1; b <= 4; b++) {
				int64_t h = total - a - b;
				if (h < 5)
					continue;
				int64_t v[] = { a, b, h, 0 };
				lo = v[i] < lo ? v[i] : lo;
				hi = v[i] > hi ? v[i] : hi;
			}
		int64_t blo, bhi;
		small_numbers_bounds(c, 4, total, 5, i, &blo, &bhi);
		CHECK(blo == lo && bhi == hi);
	}
}

int main(void)
{
	static const struct test tests[] = {
		TEST(worked_examples),
		TEST(a_reader_who_replays_the_method_learns_nothing),
		TEST(every_small_table_of_three),
		TEST(the_bounds_are_exact),
	};
	return check_run("small_numbers", tests, sizeof tests / sizeof tests[0]);
}
