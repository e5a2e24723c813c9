/*
 * date: calendar dates as epoch days and times of day, between the text
 * forms send ("YYYY-MM-DD", "HH:MM") and the numbers the store keeps.
 *
 * An epoch day is the number of days since 1970-01-01: dates cross the
 * store's interface as these, so that they sort, compare and count as plain
 * integers and no query needs a calendar. A moment is seconds since the
 * epoch. Dates are the organisation's local dates (the server's time zone),
 * and turning a date and a time into a moment, or a moment into a date, is
 * the C library's (mktime, localtime_r); from a date to its text and back
 * the C library's too (timegm, gmtime_r), since an epoch day has no zone.
 */
#ifndef VD_DATE_H
#define VD_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define DATE_LEN 10   /* "YYYY-MM-DD" */
#define TIME_LEN 5    /* "HH:MM" */
#define DATE_NONE 0   /* no date: every valid date lies in 2000..2999 */
#define DATE_FIRST_YEAR 2000
#define DATE_LAST_YEAR 2999

/* A real calendar date "YYYY-MM-DD" between 2000-01-01 and 2999-12-31 into
 * *day; false (and *day untouched) for anything else. */
bool date_parse(const char *s, int64_t *day);
/* True if date_parse would take s. */
bool date_valid(const char *s);
/* day as "YYYY-MM-DD"; "" for DATE_NONE. */
void date_format(int64_t day, char out[DATE_LEN + 1]);
/* January 1st of year. */
int64_t date_year_start(int year);

/* A time of day "HH:MM", 00:00..23:59, into minutes after midnight. */
bool time_parse(const char *s, int *minute);

/* The local date of moment t. */
int64_t date_of(int64_t t);
/* The moment day begins locally, plus minute minutes (local wall time). */
int64_t date_moment(int64_t day, int minute);
/* The Monday of day's week. */
int64_t date_week_start(int64_t day);
/* 0 for Monday .. 6 for Sunday. */
int date_weekday(int64_t day);
/* The same date years later (29 February: 1 March if that year has none). */
int64_t date_add_years(int64_t day, int years);
/* The same date months later, or the last day of that month when it is
 * shorter (30 November + 3 months: 28 or 29 February). */
int64_t date_add_months(int64_t day, int months);

#endif
