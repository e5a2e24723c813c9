/* date: see date.h. */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY_SECONDS 86400

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* The epoch day of a civil date (the C library does the calendar). */
static int64_t day_of_civil(int y, int m, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm) / DAY_SECONDS;
}

static void civil_of_day(int64_t day, struct tm *tm)
{
	time_t t = (time_t)(day * DAY_SECONDS);
	gmtime_r(&t, tm);
}

bool date_parse(const char *s, int64_t *day)
{
	if (!s || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return false;
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < DATE_FIRST_YEAR || y > DATE_LAST_YEAR || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	int64_t n = day_of_civil(y, m, d);
	/* timegm normalises 31 April into 1 May: a real date comes back as itself */
	struct tm back;
	civil_of_day(n, &back);
	if (back.tm_mday != d || back.tm_mon != m - 1)
		return false;
	*day = n;
	return true;
}

bool date_valid(const char *s)
{
	int64_t day;
	return date_parse(s, &day);
}

void date_format(int64_t day, char out[DATE_LEN + 1])
{
	if (day == DATE_NONE) {
		out[0] = '\0';
		return;
	}
	struct tm tm;
	civil_of_day(day, &tm);
	unsigned y = (unsigned)(tm.tm_year + 1900) % 10000, m = (unsigned)(tm.tm_mon + 1) % 100,
		 d = (unsigned)tm.tm_mday % 100;
	snprintf(out, DATE_LEN + 1, "%04u-%02u-%02u", y, m, d);
}

int64_t date_year_start(int year)
{
	return day_of_civil(year, 1, 1);
}

bool time_parse(const char *s, int *minute)
{
	if (!s || strlen(s) != TIME_LEN || s[2] != ':' || !digits(s, 2) || !digits(s + 3, 2) || num(s, 2) > 23 ||
	    num(s + 3, 2) > 59)
		return false;
	*minute = num(s, 2) * 60 + num(s + 3, 2);
	return true;
}

int64_t date_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return day_of_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t date_moment(int64_t day, int minute)
{
	struct tm tm;
	civil_of_day(day, &tm);
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1; /* the zone's own rule for that day */
	return (int64_t)mktime(&tm);
}

int date_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday: Monday is 0 in (day + 3) % 7 */
	return (int)(((day + 3) % 7 + 7) % 7);
}

int64_t date_week_start(int64_t day)
{
	return day - date_weekday(day);
}

int64_t date_add_months(int64_t day, int months)
{
	struct tm tm;
	civil_of_day(day, &tm);
	int m = tm.tm_mon + months, y = tm.tm_year + 1900 + m / 12;
	m %= 12;
	/* the last day of the month: the day before the first of the next */
	int64_t last = day_of_civil(m == 11 ? y + 1 : y, m == 11 ? 1 : m + 2, 1) - 1;
	int64_t want = day_of_civil(y, m + 1, 1) + tm.tm_mday - 1;
	return want < last ? want : last;
}

int64_t date_add_years(int64_t day, int years)
{
	struct tm tm;
	civil_of_day(day, &tm);
	/* timegm normalises 29 February of a common year into 1 March */
	return day_of_civil(tm.tm_year + 1900 + years, tm.tm_mon + 1, tm.tm_mday);
}
