/*
 * annual_snapshot: the counts of a published annual report as text, so the
 * report reads the same for ever (counts made again later would differ: a
 * case's phase moves on, a late entry comes in, and two versions of one
 * table could be subtracted). Hidden cells are already 0 (annual.c); the
 * totals and figures are kept as counted, and shown by the same rule
 * ("fewer than 5") whenever they are read. One record per line:
 *
 *   vertrouwd annual 1
 *   unit ID year YYYY threshold T
 *   totals CASES WB COMPLAINTS ADVICE EXCEPTIONS QUESTIONS TRAINING_MIN SESSIONS SUPERVISION_MIN
 *   covers ID ID ...
 *   table NAME TOTAL ADDITIVE WHOLE CELLS
 *   cell MARK N KEY           (KEY "-" for the cell of no category given)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annual.h"

/* The tables' names: the snapshot's keys (and the CLI's, the CSV files'). */
const char *const annual_table_names[AT_COUNT] = {
	"reporter_type", "relation", "location", "channel", "named", "phase", "route", "outcome",
	"behaviour", "referral", "contacts", "first_contact", "closure", "wb_channel", "wb_category", "wb_ack", "wb_feedback",
	"complaint_channel", "complaint_admissible", "complaint_advice", "complaint_measures", "complaint_terms",
	"advice_asked", "advice_to", "question_type",
};

#define SNAPSHOT_HEAD "vertrouwd annual 1\n"
#define COUNT_MAX 1000000000000LL /* more than any count could be: a text that says more is not ours */

int annual_counts_write(const struct annual_counts *c, struct buf *out)
{
	int rc = buf_puts(out, SNAPSHOT_HEAD);
	rc |= buf_printf(out, "unit %lld year %d threshold %d\n", (long long)c->unit_id, c->year, c->threshold);
	rc |= buf_printf(out, "totals %lld %lld %lld %lld %lld %lld %lld %lld %lld\n", (long long)c->cases,
			 (long long)c->wb_reports, (long long)c->complaints, (long long)c->advice,
			 (long long)c->exceptions, (long long)c->questions, (long long)c->training_minutes,
			 (long long)c->supervision_sessions, (long long)c->supervision_minutes);
	rc |= buf_puts(out, "covers");
	for (size_t i = 0; i < c->ncovers; i++)
		rc |= buf_printf(out, " %lld", (long long)c->covers[i]);
	rc |= buf_putc(out, '\n');
	for (int k = 0; k < AT_COUNT; k++) {
		const struct annual_table_view *t = &c->tables[k];
		rc |= buf_printf(out, "table %s %lld %d %d %zu\n", annual_table_names[k], (long long)t->total,
				 t->additive, t->whole, t->n);
		for (size_t i = 0; i < t->n; i++)
			rc |= buf_printf(out, "cell %d %lld %s\n", (int)t->cells[i].mark, (long long)t->cells[i].n,
					 *t->keys[i] ? t->keys[i] : "-");
	}
	return rc ? VD_ERR_NOMEM : VD_OK;
}

/* The next line of *p (without its newline) into line, at most max - 1
 * characters; false at the end or for a longer one. */
static bool next_line(const char **p, char *line, size_t max)
{
	const char *end = strchr(*p, '\n');
	if (!end || (size_t)(end - *p) >= max)
		return false;
	memcpy(line, *p, (size_t)(end - *p));
	line[end - *p] = '\0';
	*p = end + 1;
	return true;
}

static int table_kind(const char *name)
{
	for (int k = 0; k < AT_COUNT; k++)
		if (strcmp(annual_table_names[k], name) == 0)
			return k;
	return -1;
}

/* The "covers" line's ids. */
static bool read_covers(struct arena *a, const char *line, struct annual_counts *out)
{
	size_t room = 1;
	for (const char *q = line; *q; q++)
		room += *q == ' ';
	int64_t *ids = arena_array(a, room, sizeof *ids);
	if (!ids || strncmp(line, "covers", 6) != 0)
		return false;
	const char *q = line + 6;
	while (*q == ' ') {
		char *end;
		long long id = strtoll(q + 1, &end, 10);
		if (end == q + 1 || id < 1 || out->ncovers == room)
			return false;
		ids[out->ncovers++] = id;
		q = end;
	}
	out->covers = ids;
	return *q == '\0';
}

static bool read_table(struct arena *a, const char **p, struct annual_counts *out)
{
	char line[128], name[48];
	long long total;
	int additive, whole, used;
	size_t n;
	if (!next_line(p, line, sizeof line) ||
	    sscanf(line, "table %47s %lld %d %d %zu%n", name, &total, &additive, &whole, &n, &used) != 5 ||
	    line[used] != '\0' || n > ANNUAL_MAX_CELLS || total < 0 || total > COUNT_MAX)
		return false;
	int k = table_kind(name);
	if (k < 0)
		return false;
	struct annual_table_view *t = &out->tables[k];
	*t = (struct annual_table_view){ .kind = (enum annual_table)k, .total = total, .additive = additive != 0,
					 .whole = whole != 0, .n = n };
	for (size_t i = 0; i < n; i++) {
		char key[48];
		int mark;
		long long v;
		if (!next_line(p, line, sizeof line) ||
		    sscanf(line, "cell %d %lld %47s%n", &mark, &v, key, &used) != 3 || line[used] != '\0' ||
		    mark < SN_SHOWN || mark > SN_HIDDEN || v < 0 || v > COUNT_MAX)
			return false;
		t->cells[i] = (struct sn_cell){ v, (enum sn_mark)mark };
		t->keys[i] = strcmp(key, "-") == 0 ? "" : arena_strdup(a, key);
		if (!t->keys[i])
			return false;
	}
	return true;
}

int annual_counts_read(struct arena *a, const char *text, struct annual_counts *out)
{
	memset(out, 0, sizeof *out);
	const char *p = text;
	/* a line is at most the whole text (the covers line can be long) */
	size_t max = strlen(text) + 1;
	char *line = arena_alloc(a, max);
	long long unit, v[9];
	int used;
	if (!line)
		return VD_ERR_NOMEM;
	if (strncmp(p, SNAPSHOT_HEAD, strlen(SNAPSHOT_HEAD)) != 0)
		return VD_ERR_INVALID;
	p += strlen(SNAPSHOT_HEAD);
	if (!next_line(&p, line, max) ||
	    sscanf(line, "unit %lld year %d threshold %d%n", &unit, &out->year, &out->threshold, &used) != 3 ||
	    line[used] != '\0' || unit < 1 || out->year < 2000 || out->year > 2999 || out->threshold < 2 ||
	    out->threshold > 1000)
		return VD_ERR_INVALID;
	out->unit_id = unit;
	if (!next_line(&p, line, max) ||
	    sscanf(line, "totals %lld %lld %lld %lld %lld %lld %lld %lld %lld%n", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5], &v[6], &v[7], &v[8], &used) != 9 ||
	    line[used] != '\0')
		return VD_ERR_INVALID;
	for (int i = 0; i < 9; i++)
		if (v[i] < (i == 4 ? ANNUAL_NOT_SHOWN : 0) || v[i] > COUNT_MAX)
			return VD_ERR_INVALID;
	out->cases = v[0], out->wb_reports = v[1], out->complaints = v[2], out->advice = v[3];
	out->exceptions = v[4], out->questions = v[5], out->training_minutes = v[6];
	out->supervision_sessions = v[7], out->supervision_minutes = v[8];
	if (!next_line(&p, line, max) || !read_covers(a, line, out))
		return VD_ERR_INVALID;
	bool seen[AT_COUNT] = { false };
	while (*p) {
		const char *before = p;
		if (!read_table(a, &p, out))
			return VD_ERR_INVALID;
		char name[48];
		sscanf(before, "table %47s", name);
		int k = table_kind(name);
		if (seen[k])
			return VD_ERR_INVALID;
		seen[k] = true;
	}
	/* a table this build has and the text had not (written before it
	 * existed) stays empty: counted as nothing */
	for (int k = 0; k < AT_COUNT; k++)
		if (!seen[k])
			out->tables[k].kind = (enum annual_table)k;
	return VD_OK;
}
