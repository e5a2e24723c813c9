/*
 * calendar: which days are working days for the terms (terms.h): not a
 * Saturday, not a Sunday and not a public holiday of the Algemene
 * termijnenwet (Atw art. 3).
 *
 * The holidays the law names (lid 1 and Good Friday, lid 2) are built in
 * from data/holidays/nl.txt, which tools/holidays.py generates (2020-2050:
 * run it again before then). Days the government sets equal to them by
 * decree (lid 3, published in the Staatscourant every few years, such as
 * the Friday after Ascension Day) cannot be computed: the administrator adds them to holidays.txt in the
 * data directory, in the same format, read at start like vertrouwd.conf.
 * A file rather than a page because the decree is rare, applies to the
 * whole installation and belongs with its configuration; a missing day
 * only ever makes a term end earlier, the safe side for the committee.
 */
#ifndef VD_CALENDAR_H
#define VD_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VD_HOLIDAYS_FILE "holidays.txt"
#define HOLIDAYS_ASSET "data/holidays/nl.txt"

/* Epoch days, ascending, each once. Zero-initialise, then add text. */
struct holidays {
	int64_t *days;
	size_t n;
};

/*
 * Adds the days of text: a line is "YYYY-MM-DD", optionally followed by
 * white space and a name; blank lines and lines starting with # are
 * skipped. On a line that is neither, returns VD_ERR_INVALID with *bad_line
 * its number (1-based) and h unchanged.
 */
int holidays_add_text(struct holidays *h, const char *text, size_t len, int *bad_line);
void holidays_free(struct holidays *h);

/* The built-in holidays, then dir's holidays.txt if there is one. On an
 * error err says which file and line, and h is empty. */
int holidays_load(struct holidays *h, const char *dir, char *err, size_t errlen);

bool holiday_is(const struct holidays *h, int64_t day);
/* Not a Saturday, a Sunday or a holiday. */
bool day_is_working(const struct holidays *h, int64_t day);
/* The working days d with after < d <= upto (0 when upto <= after). */
int working_days_between(const struct holidays *h, int64_t after, int64_t upto);

#endif
