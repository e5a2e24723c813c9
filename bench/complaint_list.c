/*
 * bench/complaint_list: how the committee's complaint list scales (issue 8:
 * "the first page and the overdue view must cost about the same with
 * 100,000 complaints as with 1,000").
 *
 * Usage: bench_complaint_list DIR
 * Makes a data directory in DIR (which must not exist), one committee
 * member, and fills the store with complaints sealed to them, with their
 * clocks (two terms each; one in ten overdue, one in twenty stopped by
 * mediation) — first 1,000, then 100,000 — timing the first page of the
 * open list and of the overdue view each time. The rows go in through the
 * store (random bytes where the ciphertext would be): this measures the
 * list, not encryption.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "core/accounts.h"
#include "core/complaints.h"
#include "core/internal/app.h" /* the store, to fill it fast: a benchmark of the core may */
#include "core/units.h"
#include "util/date.h"

static int fill(struct vd *vd, int64_t unit, int64_t member, int from, int to, int64_t today)
{
	struct store *s = vd->store;
	static unsigned char content[400];
	crypto_random(content, sizeof content);
	int rc = s->ops->begin(s);
	for (int i = from; rc == VD_OK && i < to; i++) {
		/* received over the last 300 days; due 14 days on, or stopped */
		int64_t received = today - 300 + i % 300;
		int64_t due = i % 20 == 0 ? 0 : i % 10 == 1 ? today - 1 - i % 5 : today + 1 + i % 70;
		struct complaint_rec c = { .case_id = 0, .unit_id = unit, .created_at = received * 86400,
					   .content = content, .content_len = sizeof content,
					   .channel = "email", .step = i % 20 == 0 ? "mediation" : "received", .step_before = "",
					   .step_at = received * 86400, .open = 1, .received_day = received,
					   .next_due_day = due };
		struct case_key_rec k = { .user_id = member };
		crypto_random(k.sealed_key, sizeof k.sealed_key);
		int64_t id, tid;
		rc = s->ops->complaint_insert(s, &c, &k, 1, &id);
		struct complaint_term_rec t = { .complaint_id = id, .kind = "admissibility", .start_day = received,
						.length = 14, .unit = "days", .atw = 1, .due_day = due };
		if (rc == VD_OK)
			rc = s->ops->complaint_term_insert(s, &t, &tid);
		t.kind = "decision";
		t.length = 10;
		t.unit = "weeks";
		t.max_notice_days = 28;
		t.due_day = due ? received + 70 : 0;
		if (rc == VD_OK)
			rc = s->ops->complaint_term_insert(s, &t, &tid);
	}
	return app_end(vd, rc, 0);
}

/* Average milliseconds of the first page of kind, over rounds calls. */
static double time_page(struct vd *vd, const struct principal *who, enum complaint_list_kind kind, int rounds)
{
	double t0 = now_ms();
	for (int i = 0; i < rounds; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct complaint_lines l;
		if (complaint_list(vd, who, &a, kind, 0, &l) != VD_OK || l.n == 0) {
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
		fprintf(stderr, "usage: bench_complaint_list DIR\n");
		return 2;
	}
	char err[256];
	struct vd *vd;
	if (app_init_dir(argv[1], NULL, err, sizeof err) != VD_OK || app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	int64_t unit, member;
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	enum account_field bad;
	if (unit_add(vd, &principal_system, "Landelijk", "national", 0, &unit) != VD_OK)
		return 1;
	struct account_input in = { .name = "Bench", .email = "bench@example.org", .role = ROLE_COMMITTEE,
				    .units = { &unit, 1 }, .active = 1 };
	if (account_create(vd, &principal_system, &in, &member, pw, &bad) != VD_OK)
		return 1;
	struct principal who;
	principal_init(&who, member, ROLE_COMMITTEE, NULL);
	int64_t today = date_of(clock_now());
	const int sizes[] = { 1000, 100000 };
	double open[2], overdue[2];
	int have = 0;
	for (int k = 0; k < 2; k++) {
		double t0 = now_ms();
		if (fill(vd, unit, member, have, sizes[k], today) != VD_OK) {
			fprintf(stderr, "bench: filling failed\n");
			return 1;
		}
		fprintf(stderr, "bench: %d complaints stored in %.1f s\n", sizes[k] - have, (now_ms() - t0) / 1000);
		have = sizes[k];
		time_page(vd, &who, CL_OPEN, 5); /* warm the cache */
		open[k] = time_page(vd, &who, CL_OPEN, 200);
		overdue[k] = time_page(vd, &who, CL_OVERDUE, 200);
		printf("complaints=%-6d  first page: %.3f ms   overdue view: %.3f ms\n", have, open[k], overdue[k]);
	}
	printf("bench: complaint_list first_page_ms_1k=%.3f first_page_ms_100k=%.3f ratio=%.2f"
	       " overdue_ms_1k=%.3f overdue_ms_100k=%.3f ratio=%.2f target=\"about the same\"\n",
	       open[0], open[1], open[1] / open[0], overdue[0], overdue[1], overdue[1] / overdue[0]);
	app_close(vd);
	return 0;
}
