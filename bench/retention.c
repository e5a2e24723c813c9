/*
 * bench/retention: how fast records whose term is over are destroyed
 * (issue 12), and that the annual report's counts stay the same.
 *
 * Usage: bench_retention DIR [N]
 * Makes a data directory in DIR (which must not exist) and fills the store
 * with N cases (default 5,000) closed six years ago, each with a reader's
 * sealed key, two messages, a conversation and a file row, plus as many
 * open cases that must stay. Then times retention_purge over all of it
 * (each record its own transaction with its audit entry, synchronous=FULL
 * as in production) and prints records per second. The files' rows name
 * no file on disk: removing them costs an unlink each, not measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "core/annual.h"
#include "core/internal/app.h" /* the store, to fill it fast: a benchmark of the core may */
#include "core/retention.h"
#include "core/units.h"
#include "util/clock.h"
#include "util/buf.h"
#include "util/date.h"

static int fill(struct vd *vd, int64_t unit, int64_t reader, int n, int64_t closed_at)
{
	struct store *s = vd->store;
	static unsigned char blob[300];
	crypto_random(blob, sizeof blob);
	int rc = s->ops->begin(s);
	for (int i = 0; rc == VD_OK && i < 2 * n; i++) {
		char locator[32], file_id[40];
		snprintf(locator, sizeof locator, "R%09d", i);
		snprintf(file_id, sizeof file_id, "%032x", i);
		int64_t day = date_of(closed_at) - 30;
		struct case_rec c = { .locator = locator, .unit_id = unit, .channel = "web", .reporter_type = "member",
				      .relation = "colleague", .location = "online", .behaviours = 1 + i % 15,
				      .phase = "closed", .created_at = day * 86400, .created_day = day, .content = blob,
				      .content_len = sizeof blob };
		struct case_key_rec k = { .user_id = reader };
		memcpy(k.sealed_key, blob, sizeof k.sealed_key);
		int64_t id, mid;
		rc = s->ops->case_insert(s, &c, &k, 1, &id);
		struct case_work_rec w = { .case_id = id, .closed_at = i < n ? closed_at : 0, .route = "",
					   .outcome = i < n ? "resolved" : "" };
		struct message_rec m = { .case_id = id, .kind = "reporter", .created_at = c.created_at, .body = blob,
					 .body_len = 200 };
		struct contact_rec t = { .case_id = id, .on_day = day, .way = "phone", .with_whom = "reporter",
					 .minutes = 30, .created_at = c.created_at, .notes = blob, .notes_len = 100 };
		struct attachment_rec f = { .case_id = id, .kind = "report", .file_id = file_id,
					    .created_at = c.created_at, .meta = blob, .meta_len = 80 };
		if (rc == VD_OK)
			rc = s->ops->case_work_put(s, &w);
		for (int j = 0; rc == VD_OK && j < 2; j++)
			rc = s->ops->message_insert(s, &m, &mid);
		if (rc == VD_OK)
			rc = s->ops->contact_insert(s, &t, &mid);
		if (rc == VD_OK)
			rc = s->ops->attachment_insert(s, &f, &mid);
	}
	return app_end(vd, rc, 0);
}

static int year_of(int64_t day)
{
	int y = 1970;
	while (date_year_start(y + 1) <= day)
		y++;
	return y;
}

static char *counts(struct vd *vd, int64_t unit, int year)
{
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	struct buf b;
	buf_init(&b, 1 << 20);
	size_t n;
	char *text = annual_counts_make(vd, &principal_system, &a, unit, year, &c) == VD_OK &&
				     annual_counts_write(&c, &b) == VD_OK
			     ? buf_take(&b, &n)
			     : NULL;
	buf_release(&b);
	arena_release(&a);
	return text;
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 5000;
	if ((argc != 2 && argc != 3) || n <= 0 || app_library_init() != VD_OK) {
		fprintf(stderr, "usage: bench_retention DIR [N]\n");
		return 2;
	}
	char err[256];
	struct vd *vd;
	if (app_init_dir(argv[1], NULL, err, sizeof err) != VD_OK || app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	int64_t unit, reader;
	struct user_rec u = { .email = "r@example.org", .name = "R", .role = "counsellor", .password_hash = "!",
			      .active = 1, .created_at = 1 };
	if (unit_add(vd, &principal_system, "Landelijk", "national", 0, &unit) != VD_OK ||
	    vd->store->ops->user_insert(vd->store, &u, &reader) != VD_OK)
		return 1;
	int64_t closed_at = clock_now() - 6 * 366 * 86400LL;
	int year = year_of(date_of(closed_at) - 30);
	double t0 = now_ms();
	if (fill(vd, unit, reader, n, closed_at) != VD_OK) {
		fprintf(stderr, "bench: filling failed\n");
		return 1;
	}
	fprintf(stderr, "bench: %d closed and %d open cases stored in %.1f s\n", n, n, (now_ms() - t0) / 1000);
	char *before = counts(vd, unit, year);
	t0 = now_ms();
	struct retention_summary sum;
	int rc = retention_purge(vd, &principal_system, 0, NULL, &sum);
	double ms = now_ms() - t0;
	char *after = counts(vd, unit, year);
	bool same = before && after && strcmp(before, after) == 0;
	printf("bench: retention destroyed=%lld of %d in %.0f ms (%.0f records/s, %.2f ms each); open kept=%s;"
	       " annual counts unchanged=%s\n",
	       (long long)sum.cases, n, ms, sum.cases ? sum.cases * 1000.0 / ms : 0.0, sum.cases ? ms / sum.cases : 0.0,
	       rc == VD_OK && sum.cases == n ? "yes" : "no", same ? "yes" : "NO");
	free(before);
	free(after);
	app_close(vd);
	return rc == VD_OK && same && sum.cases == n ? 0 : 1;
}
