/*
 * bench/case_list: how the counsellor's case list scales (issue: "the case
 * list's cost grows with the page size, not with the number of cases").
 *
 * Usage: bench_case_list DIR
 * Makes a data directory in DIR (which must not exist), one counsellor, and
 * fills the store with cases addressed to them — first 1,000, then 100,000 —
 * timing the first page, a middle page and the last page of their list each
 * time. The cases are inserted directly through the store (random bytes where
 * the ciphertext would be): this measures the list, not encryption.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "core/accounts.h"
#include "core/cases.h"
#include "core/internal/app.h" /* the store, to fill it fast: a benchmark of the core may */
#include "core/units.h"

static int fill(struct vd *vd, int64_t unit, int64_t counsellor, int from, int to)
{
	struct store *s = vd->store;
	static unsigned char content[600];
	crypto_random(content, sizeof content);
	int rc = s->ops->begin(s);
	for (int i = from; rc == VD_OK && i < to; i++) {
		char locator[16];
		snprintf(locator, sizeof locator, "B%09d", i);
		struct case_rec c = {
			.locator = locator, .unit_id = unit, .counsellor_id = counsellor, .channel = "web",
			.reporter_type = "member", .relation = "colleague", .location = "online",
			.behaviours = 1 << (i % BEH_COUNT), .named = i % 2, .phase = "new",
			.created_at = 1700000000 + i, .created_day = 19675 + i / 86400, .content = content,
			.content_len = sizeof content,
		};
		struct case_key_rec k = { .user_id = counsellor };
		crypto_random(k.sealed_key, sizeof k.sealed_key);
		int64_t id;
		rc = s->ops->case_insert(s, &c, &k, 1, &id);
		/* open every third case, so the list mixes new and read ones */
		if (rc == VD_OK && i % 3 == 0)
			rc = s->ops->case_mark_opened(s, id, counsellor, c.created_at + 60);
	}
	return app_end(vd, rc, 0);
}

/* Average milliseconds of one list page, over rounds calls; after NULL is the first page. */
static double time_page(struct vd *vd, const struct principal *who, const struct case_cursor *after, int rounds)
{
	double t0 = now_ms();
	for (int i = 0; i < rounds; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct case_list l;
		struct case_cursor next;
		bool more;
		if (case_list_page(vd, who, &a, after, 25, &l, &more, &next) != VD_OK || l.n == 0) {
			fprintf(stderr, "bench: listing failed\n");
			exit(1);
		}
		arena_release(&a);
	}
	return (now_ms() - t0) / rounds;
}

int main(int argc, char **argv)
{
	if (argc != 2 || app_library_init() != VD_OK) {
		fprintf(stderr, "usage: bench_case_list DIR\n");
		return 2;
	}
	char err[256];
	if (app_init_dir(argv[1], NULL, err, sizeof err) != VD_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	struct vd *vd;
	if (app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	int64_t unit, counsellor;
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	enum account_field bad;
	if (unit_add(vd, &principal_system, "Landelijk", "national", 0, &unit) != VD_OK)
		return 1;
	struct account_input in = { .name = "Bench", .email = "bench@example.org", .role = ROLE_COUNSELLOR,
				    .units = { &unit, 1 }, .active = 1 };
	if (account_create(vd, &principal_system, &in, &counsellor, pw, &bad) != VD_OK)
		return 1;
	struct principal who;
	principal_init(&who, counsellor, ROLE_COUNSELLOR, NULL);
	const int sizes[] = { 1000, 100000 };
	double first[2], middle[2], last[2];
	int have = 0;
	for (int k = 0; k < 2; k++) {
		double t0 = now_ms();
		if (fill(vd, unit, counsellor, have, sizes[k]) != VD_OK) {
			fprintf(stderr, "bench: filling failed\n");
			return 1;
		}
		fprintf(stderr, "bench: %d cases stored in %.1f s\n", sizes[k] - have, (now_ms() - t0) / 1000);
		have = sizes[k];
		/* cursors in the middle and near the end of the list: read cases, by age */
		struct case_cursor mid = { 0, 1700000000 + have / 2, 1 + have / 2 };
		struct case_cursor end = { 0, 1700000000 + 40, 41 };
		time_page(vd, &who, NULL, 5); /* warm the cache */
		first[k] = time_page(vd, &who, NULL, 200);
		middle[k] = time_page(vd, &who, &mid, 200);
		last[k] = time_page(vd, &who, &end, 200);
		printf("cases=%-6d  first page: %.3f ms   a middle page: %.3f ms   a page near the end: %.3f ms\n",
		       have, first[k], middle[k], last[k]);
	}
	printf("bench: case_list first_page_ms_1k=%.3f first_page_ms_100k=%.3f ratio=%.2f target=\"not much slower\"\n",
	       first[0], first[1], first[1] / first[0]);
	printf("bench: case_list middle_page_ms_1k=%.3f middle_page_ms_100k=%.3f end_page_ms_1k=%.3f end_page_ms_100k=%.3f\n",
	       middle[0], middle[1], last[0], last[1]);
	app_close(vd);
	return 0;
}
