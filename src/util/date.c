/* date: see date.h. */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

bool date_valid(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return false;
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

bool time_valid(const char *s)
{
	return s && strlen(s) == TIME_LEN && s[2] == ':' && digits(s, 2) && digits(s + 3, 2) && num(s, 2) < 24 &&
	       num(s + 3, 2) < 60;
}

static void format(struct tm *tm, char out[DATE_LEN + 1])
{
	tm->tm_isdst = -1;
	time_t t = mktime(tm); /* normalises days out of range */
	struct tm n;
	localtime_r(&t, &n);
	unsigned y = (unsigned)(n.tm_year + 1900) % 10000, m = (unsigned)(n.tm_mon + 1) % 100, d = (unsigned)n.tm_mday % 100;
	snprintf(out, DATE_LEN + 1, "%04u-%02u-%02u", y, m, d);
}

void date_of(int64_t t, int days, char out[DATE_LEN + 1])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	tm.tm_mday += days;
	tm.tm_hour = 12; /* clear of daylight-saving edges */
	format(&tm, out);
}

void date_week_start(int64_t t, char out[DATE_LEN + 1])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	int back = (tm.tm_wday + 6) % 7; /* Monday 0 .. Sunday 6 */
	date_of(t, -back, out);
}

void date_add(const char *s, int days, char out[DATE_LEN + 1])
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = num(s, 4) - 1900;
	tm.tm_mon = num(s + 5, 2) - 1;
	tm.tm_mday = num(s + 8, 2) + days;
	tm.tm_hour = 12;
	format(&tm, out);
}
