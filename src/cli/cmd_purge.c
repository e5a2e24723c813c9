/*
 * cmd_purge: `vertrouwd purge DIR [--dry-run]` destroys the records whose
 * retention term is over (retention.h) and says what it did; --dry-run
 * only counts them. `serve` runs the same once a day.
 */
#include <stdio.h>
#include <string.h>

#include "../core/app.h"
#include "../core/retention.h"
#include "../util/errors.h"
#include "cli.h"

#define USAGE "usage: vertrouwd purge DIR [--dry-run]"

static void draw_records(void *ctx, int64_t done, int64_t total)
{
	cli_bar_draw(ctx, (uint64_t)done, (uint64_t)total);
}

static void print_terms(const struct config *c)
{
	printf("terms (years after closing): cases %lld, cases with an exception record %lld, complaints %lld,"
	       " reports of wrongdoing %lld, log subjects %lld\n",
	       (long long)c->retention_case_years, (long long)c->retention_exception_years,
	       (long long)c->retention_complaint_years, (long long)c->retention_wb_years,
	       (long long)c->retention_log_years);
}

int cmd_purge(int argc, char **argv)
{
	bool dry = argc == 2 && strcmp(argv[1], "--dry-run") == 0;
	if (argc != 1 && !dry) {
		cli_fail(USAGE);
		return 2;
	}
	struct vd *vd = NULL;
	char err[512] = "";
	if (app_open(argv[0], 0, &vd, err, sizeof err) != 0) {
		cli_fail("%s", err);
		return 1;
	}
	print_terms(app_config(vd));
	struct retention_summary sum;
	struct cli_bar bar = { .what = "purge", .last_permille = -1 };
	struct retention_progress p = { .report = draw_records, .ctx = &bar };
	int rc = dry ? retention_due(vd, &principal_system, &sum)
		     : retention_purge(vd, &principal_system, 0, cli_bar_wanted() ? &p : NULL, &sum);
	cli_bar_end(&bar);
	app_close(vd);
	if (dry)
		printf("due now: %lld cases, %lld complaints, %lld reports of wrongdoing, %lld integrity declarations"
		       " (nothing was destroyed)\n",
		       (long long)sum.cases, (long long)sum.complaints, (long long)sum.wb_reports,
		       (long long)sum.declarations);
	else
		printf("destroyed: %lld cases, %lld complaints, %lld reports of wrongdoing, %lld integrity declarations,"
		       " %lld files; %lld log subjects emptied; their counts for the annual report are kept\n",
		       (long long)sum.cases, (long long)sum.complaints, (long long)sum.wb_reports,
		       (long long)sum.declarations, (long long)sum.files, (long long)sum.log_entries);
	if (!dry && sum.compact_later)
		printf("a reader kept the database's write-ahead log from being cleared: the next run clears it\n");
	if (rc == 0 && sum.failed) {
		cli_fail("%lld could not be destroyed now (see the log above); run it again", (long long)sum.failed);
		return 1;
	}
	if (rc != 0) {
		cli_fail("stopped by an error (%s); what is above was done, run it again for the rest", vd_strerror(rc));
		return 1;
	}
	return 0;
}
