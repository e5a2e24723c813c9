/*
 * cmd_report: `vertrouwd report DIR --unit ID --year YYYY` prints the
 * annual report's tables for a unit and the units below it (annual.h),
 * as protected against small numbers as the report itself: made from
 * *stat* fields alone, so it needs no key and no login. With --csv, one
 * CSV file per table into OUTDIR (made if missing), named after the table.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/annual.h"
#include "../core/app.h"
#include "../util/text.h"
#include "cli.h"

#define USAGE "usage: vertrouwd report DIR --unit ID --year YYYY [--csv OUTDIR]"

/* A count as the report may show it: 1 to threshold - 1 as "fewer than". */
static const char *count_text(int64_t n, int threshold, char buf[32])
{
	if (n == ANNUAL_NOT_SHOWN)
		snprintf(buf, 32, "not shown");
	else if (n > 0 && n < threshold)
		snprintf(buf, 32, "fewer than %d", threshold);
	else
		snprintf(buf, 32, "%lld", (long long)n);
	return buf;
}

static void print_table(const struct annual_table_view *t, int threshold)
{
	char b[32];
	printf("%s (%s%s)\n", annual_table_names[t->kind], count_text(t->total, threshold, b),
	       t->additive ? "" : "; one can count in several");
	if (t->whole) {
		printf("  too few to split: the total alone\n");
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		const char *key = *t->keys[i] ? t->keys[i] : "(not given)";
		if (t->cells[i].mark == SN_SMALL)
			printf("  %-28s fewer than %d\n", key, threshold);
		else if (t->cells[i].mark == SN_HIDDEN)
			printf("  %-28s not shown\n", key);
		else
			printf("  %-28s %lld\n", key, (long long)t->cells[i].n);
	}
}

/* annual_label_fn: the CLI's files name categories by their keys. */
static const char *key_label(enum annual_table kind, const char *key, const char *word, void *ctx)
{
	(void)kind, (void)ctx;
	if (key)
		return *key ? key : "not_given";
	if (strcmp(word, "fewer_than") == 0)
		return "fewer than";
	if (strcmp(word, "not_shown") == 0)
		return "not shown";
	return word;
}

/* Every table as OUTDIR/<table>.csv. */
static int write_csv(const struct annual_counts *c, const char *outdir)
{
	if (mkdir(outdir, 0700) != 0 && errno != EEXIST) {
		cli_fail("cannot make %s: %s", outdir, strerror(errno));
		return VD_ERR_IO;
	}
	for (int k = 0; k < AT_COUNT; k++) {
		char path[4096];
		struct buf b;
		buf_init(&b, 1 << 20);
		int rc = annual_table_csv(&c->tables[k], NULL, c->threshold, c->threshold, key_label, NULL, &b);
		snprintf(path, sizeof path, "%s/%s.csv", outdir, annual_table_names[k]);
		FILE *f = rc == VD_OK ? fopen(path, "w") : NULL;
		bool ok = f && fwrite(b.data, 1, b.len, f) == b.len;
		ok = (f && fclose(f) == 0) && ok;
		buf_release(&b);
		if (!ok) {
			cli_fail("cannot write %s", path);
			return VD_ERR_IO;
		}
	}
	printf("wrote %d CSV files to %s\n", AT_COUNT, outdir);
	return VD_OK;
}

int cmd_report(int argc, char **argv)
{
	const char *dir = NULL, *unit_s = NULL, *year_s = NULL, *csv = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc)
			unit_s = argv[++i];
		else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc)
			year_s = argv[++i];
		else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
			csv = argv[++i];
		else if (!dir && argv[i][0] != '-')
			dir = argv[i];
		else {
			cli_fail(USAGE);
			return 2;
		}
	}
	int64_t unit = 0, year = 0;
	if (!dir || !unit_s || !year_s || text_parse_i64(unit_s, 1, INT64_MAX, &unit) != VD_OK ||
	    text_parse_i64(year_s, 2000, 2999, &year) != VD_OK) {
		cli_fail(USAGE);
		return 2;
	}
	struct vd *vd;
	char err[256];
	if (app_open(dir, 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		return 1;
	}
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	int rc = annual_counts_make(vd, &principal_system, &a, unit, (int)year, &c);
	if (rc == VD_ERR_NOTFOUND) {
		cli_fail("no unit %lld", (long long)unit);
	} else if (rc) {
		cli_fail("cannot make the report: %s", vd_strerror(rc));
	} else {
		printf("annual report counts: unit %lld and below, %lld, threshold %d\n", (long long)unit, (long long)year,
		       c.threshold);
		char b1[32], b2[32], b3[32], b4[32];
		printf("cases: %s\nwhistleblower reports: %s\ncomplaints: %s\nadvice to managers and the board: %s\n",
		       count_text(c.cases, c.threshold, b1), count_text(c.wb_reports, c.threshold, b2),
		       count_text(c.complaints, c.threshold, b3), count_text(c.advice, c.threshold, b4));
		printf("short questions without a case: %s\ncases with a confidentiality exception: %s\n",
		       count_text(c.questions, c.threshold, b1), count_text(c.exceptions, c.threshold, b2));
		printf("training: %lld.%lld hours\npeer supervision: %lld sessions, %lld.%lld hours\n\n",
		       (long long)(c.training_minutes / 60), (long long)(c.training_minutes % 60 * 10 / 60),
		       (long long)c.supervision_sessions, (long long)(c.supervision_minutes / 60),
		       (long long)(c.supervision_minutes % 60 * 10 / 60));
		for (int k = 0; k < AT_COUNT; k++)
			print_table(&c.tables[k], c.threshold);
		if (csv)
			rc = write_csv(&c, csv);
	}
	arena_release(&a);
	app_close(vd);
	return rc == VD_OK ? 0 : 1;
}
