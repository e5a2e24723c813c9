/* calendar: see calendar.h. */
#include "calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/assets.h"
#include "../util/date.h"
#include "../util/errors.h"

#define LINE_MAX_CHARS 200
#define FILE_MAX_BYTES (256 * 1024)

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* One line (without its newline) into *day; 0 if it holds no date, -1 if bad. */
static int parse_line(const char *s, size_t n, int64_t *day)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0 || *s == '#')
		return 0;
	if (n > LINE_MAX_CHARS || n < DATE_LEN || (n > DATE_LEN && s[DATE_LEN] != ' ' && s[DATE_LEN] != '\t'))
		return -1;
	char date[DATE_LEN + 1];
	memcpy(date, s, DATE_LEN);
	date[DATE_LEN] = '\0';
	return date_parse(date, day) ? 1 : -1;
}

int holidays_add_text(struct holidays *h, const char *text, size_t len, int *bad_line)
{
	*bad_line = 0;
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	int64_t *all = malloc((h->n + lines) * sizeof *all);
	if (!all)
		return VD_ERR_NOMEM;
	if (h->n)
		memcpy(all, h->days, h->n * sizeof *all);
	size_t n = h->n, at = 0;
	for (int line = 1; at <= len; line++) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		int64_t day = 0;
		int r = parse_line(text + at, end - at, &day);
		if (r < 0 || memchr(text + at, '\0', end - at)) {
			free(all);
			*bad_line = line;
			return VD_ERR_INVALID;
		}
		if (r > 0)
			all[n++] = day;
		if (!nl)
			break;
		at = end + 1;
	}
	qsort(all, n, sizeof *all, cmp_day);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (kept == 0 || all[kept - 1] != all[i])
			all[kept++] = all[i];
	free(h->days);
	h->days = all;
	h->n = kept;
	return VD_OK;
}

void holidays_free(struct holidays *h)
{
	free(h->days);
	h->days = NULL;
	h->n = 0;
}

bool holiday_is(const struct holidays *h, int64_t day)
{
	return h && h->n && bsearch(&day, h->days, h->n, sizeof day, cmp_day) != NULL;
}

bool day_is_working(const struct holidays *h, int64_t day)
{
	return date_weekday(day) < 5 && !holiday_is(h, day);
}

int working_days_between(const struct holidays *h, int64_t after, int64_t upto)
{
	int n = 0;
	for (int64_t d = after + 1; d <= upto; d++)
		n += day_is_working(h, d);
	return n;
}

/* dir's holidays.txt into a malloc'd buffer; *text NULL when there is none. */
static int read_extra(const char *path, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? VD_OK : VD_ERR_IO;
	char *buf = malloc(FILE_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, FILE_MAX_BYTES + 1, f) : 0;
	int bad = !buf || ferror(f) || n > FILE_MAX_BYTES;
	fclose(f);
	if (bad) {
		free(buf);
		return buf ? VD_ERR_TOOBIG : VD_ERR_NOMEM;
	}
	*text = buf;
	*len = n;
	return VD_OK;
}

int holidays_load(struct holidays *h, const char *dir, char *err, size_t errlen)
{
	holidays_free(h);
	const struct asset *as = asset_find(HOLIDAYS_ASSET);
	int line = 0;
	if (!as || holidays_add_text(h, (const char *)as->data, as->len, &line) != VD_OK) {
		snprintf(err, errlen, "the built-in holidays are damaged (line %d)", line);
		return VD_ERR_INVALID;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, VD_HOLIDAYS_FILE);
	char *text = NULL;
	size_t len = 0;
	int rc = read_extra(path, &text, &len);
	if (rc == VD_OK && text)
		rc = holidays_add_text(h, text, len, &line);
	free(text);
	if (rc == VD_ERR_INVALID)
		snprintf(err, errlen, "%s line %d: expected a date YYYY-MM-DD, then its name", path, line);
	else if (rc == VD_ERR_TOOBIG)
		snprintf(err, errlen, "%s: larger than %d KiB", path, FILE_MAX_BYTES / 1024);
	else if (rc)
		snprintf(err, errlen, "%s: cannot read it", path);
	if (rc)
		holidays_free(h);
	return rc;
}
