/*
 * annual_csv: one table of the annual report as CSV (annual.h), for the
 * readers' downloads and `vertrouwd report --csv`. A count is written as
 * the page shows it: a number, "fewer than 5" or "not shown", so a file
 * tells no more than the page.
 */
#include <stdio.h>
#include <string.h>

#include "annual.h"

/* A field, quoted when it holds a separator, a quote or a line break; one
 * that a spreadsheet would read as a formula gets a leading quote mark. */
static int csv_field(struct buf *out, const char *s, bool first)
{
	int rc = first ? 0 : buf_putc(out, ',');
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (s[0] && strchr("=+-@\t\r", s[0]))
		rc |= buf_putc(out, '\'');
	if (!quote)
		return rc | buf_puts(out, s);
	rc |= buf_putc(out, '"');
	for (const char *p = s; *p; p++)
		rc |= *p == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *p);
	return rc | buf_putc(out, '"');
}

/* "fewer than 5" as a field. */
static int csv_fewer(struct buf *out, const char *fewer, int threshold)
{
	char f[128];
	snprintf(f, sizeof f, "%s %d", fewer, threshold);
	return csv_field(out, f, false);
}

/* A cell's count as shown. */
static int csv_count(struct buf *out, const struct annual_table_view *t, size_t i, int threshold,
		     annual_label_fn label, void *ctx)
{
	char n[48];
	if (t->whole || t->cells[i].mark == SN_HIDDEN)
		return csv_field(out, label(t->kind, NULL, "not_shown", ctx), false);
	if (t->cells[i].mark == SN_SMALL)
		return csv_fewer(out, label(t->kind, NULL, "fewer_than", ctx), threshold);
	snprintf(n, sizeof n, "%lld", (long long)t->cells[i].n);
	return csv_field(out, n, false);
}

/* The cell of key in t, or -1. */
static long cell_of(const struct annual_table_view *t, const char *key)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0)
			return (long)i;
	return -1;
}

static int csv_total(struct buf *out, int64_t total, int threshold, const char *fewer)
{
	if (total > 0 && total < threshold)
		return csv_fewer(out, fewer, threshold);
	return buf_printf(out, ",%lld", (long long)total);
}

int annual_table_csv(const struct annual_table_view *t, const struct annual_table_view *before, int threshold,
		     int before_threshold, annual_label_fn label, void *ctx, struct buf *out)
{
	int rc = csv_field(out, label(t->kind, NULL, "category", ctx), true);
	rc |= csv_field(out, label(t->kind, NULL, "count", ctx), false);
	if (before)
		rc |= csv_field(out, label(t->kind, NULL, "before", ctx), false);
	rc |= buf_puts(out, "\r\n");
	for (size_t i = 0; i < t->n; i++) {
		rc |= csv_field(out, label(t->kind, t->keys[i], NULL, ctx), true);
		rc |= csv_count(out, t, i, threshold, label, ctx);
		if (before) {
			long j = cell_of(before, t->keys[i]);
			rc |= j < 0 ? buf_putc(out, ',') : csv_count(out, before, (size_t)j, before_threshold, label, ctx);
		}
		rc |= buf_puts(out, "\r\n");
	}
	const char *fewer = label(t->kind, NULL, "fewer_than", ctx);
	rc |= csv_field(out, label(t->kind, NULL, "total", ctx), true);
	rc |= csv_total(out, t->total, threshold, fewer);
	if (before)
		rc |= csv_total(out, before->total, before_threshold, fewer);
	rc |= buf_puts(out, "\r\n");
	return rc ? VD_ERR_NOMEM : VD_OK;
}
