/*
 * bench/annual: how long the annual report's counts take (issue 11: "the
 * report over 1,000,000 cases in under 1 second, and its cost with 100,000
 * cases for comparison").
 *
 * Usage: bench_annual DIR
 * Makes a data directory in DIR (which must not exist) with a national
 * unit and two below it, and fills the store with cases of this year
 * whose *stat* fields vary as real ones do (random, with every category
 * used, and half of them with 1 to 3 conversations) — first 100,000,
 * then 1,000,000 — timing annual_counts_make for
 * the national unit each time. The rows go in through the store with
 * random bytes where the ciphertext would be and no keys: the report reads
 * none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "core/annual.h"
#include "core/cases.h"
#include "core/casework.h"
#include "core/internal/app.h" /* the store, to fill it fast: a benchmark of the core may */
#include "core/units.h"
#include "core/workflow.h"
#include "util/date.h"

static size_t len_of(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

static int fill(struct vd *vd, const int64_t *units, int from, int to, int64_t year_start)
{
	struct store *s = vd->store;
	static unsigned char content[300];
	crypto_random(content, sizeof content);
	size_t nt = len_of(reporter_types), nr = len_of(relations), nl = len_of(locations), nc = len_of(channels);
	int rc = s->ops->begin(s);
	for (int i = from; rc == VD_OK && i < to; i++) {
		char locator[32];
		snprintf(locator, sizeof locator, "B%09d", i);
		unsigned r = (unsigned)rand();
		struct case_rec c = { .locator = locator, .unit_id = units[i % 3], .channel = channels[r % nc],
				      .reporter_type = reporter_types[(r >> 3) % nt], .relation = relations[(r >> 6) % nr],
				      .location = locations[(r >> 9) % nl], .behaviours = 1 + (r >> 12) % 15,
				      .named = (r >> 16) & 1, .phase = phase_names[(r >> 17) % PH_COUNT],
				      .created_at = (year_start + i % 360) * 86400, .created_day = year_start + i % 360,
				      .content = content, .content_len = sizeof content };
		crypto_random(c.receipt_salt, sizeof c.receipt_salt);
		int64_t id;
		rc = s->ops->case_insert(s, &c, NULL, 0, &id);
		/* half the cases have had 1 to 3 conversations (the report counts
		 * them and the days to the first one, per case) */
		for (unsigned k = 0; rc == VD_OK && (r >> 20) & 1 && k < 1 + (r >> 21) % 3; k++) {
			struct contact_rec t = { .case_id = id, .on_day = c.created_day + k * 7, .way = "phone",
						 .with_whom = "reporter", .minutes = 30, .created_at = c.created_at };
			int64_t tid;
			rc = s->ops->contact_insert(s, &t, &tid);
		}
	}
	return app_end(vd, rc, 0);
}

static double time_report(struct vd *vd, int64_t unit, int year, int rounds, int64_t *cases)
{
	double t0 = now_ms();
	for (int i = 0; i < rounds; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct annual_counts c;
		if (annual_counts_make(vd, &principal_system, &a, unit, year, &c) != VD_OK) {
			fprintf(stderr, "bench: the report failed\n");
			exit(1);
		}
		*cases = c.cases;
		arena_release(&a);
	}
	return (now_ms() - t0) / rounds;
}

int main(int argc, char **argv)
{
	if (argc != 2 || app_library_init() != VD_OK) {
		fprintf(stderr, "usage: bench_annual DIR\n");
		return 2;
	}
	char err[256];
	struct vd *vd;
	if (app_init_dir(argv[1], NULL, err, sizeof err) != VD_OK || app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	int64_t units[3];
	if (unit_add(vd, &principal_system, "Landelijk", "national", 0, &units[0]) != VD_OK ||
	    unit_add(vd, &principal_system, "Provincie A", "province", units[0], &units[1]) != VD_OK ||
	    unit_add(vd, &principal_system, "Provincie B", "province", units[0], &units[2]) != VD_OK)
		return 1;
	srand(11);
	int year = 2026;
	int64_t year_start = date_year_start(year);
	const int sizes[] = { 100000, 1000000 };
	double ms[2];
	int have = 0;
	for (int k = 0; k < 2; k++) {
		double t0 = now_ms();
		if (fill(vd, units, have, sizes[k], year_start) != VD_OK) {
			fprintf(stderr, "bench: filling failed\n");
			return 1;
		}
		fprintf(stderr, "bench: %d cases stored in %.1f s\n", sizes[k] - have, (now_ms() - t0) / 1000);
		have = sizes[k];
		int64_t counted = 0;
		time_report(vd, units[0], year, 1, &counted); /* warm the cache */
		ms[k] = time_report(vd, units[0], year, 3, &counted);
		printf("cases=%-7d  the report: %.1f ms (counted %lld)\n", have, ms[k], (long long)counted);
	}
	printf("bench: annual report_ms_100k=%.1f report_ms_1m=%.1f ratio=%.2f target=\"1m under 1000 ms\"\n", ms[0],
	       ms[1], ms[1] / ms[0]);
	app_close(vd);
	return 0;
}
