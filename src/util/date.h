/*
 * date: calendar dates and times as forms send them and the store keeps
 * them: "YYYY-MM-DD" and "HH:MM", which sort as text in time order.
 * Dates are the organisation's local dates (the server's time zone).
 */
#ifndef VD_DATE_H
#define VD_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define DATE_LEN 10 /* "YYYY-MM-DD" */
#define TIME_LEN 5  /* "HH:MM" */

/* A real calendar date between 2000-01-01 and 2999-12-31. */
bool date_valid(const char *s);
/* A time of day 00:00..23:59. */
bool time_valid(const char *s);
/* The local date of t, plus days (which may be negative). */
void date_of(int64_t t, int days, char out[DATE_LEN + 1]);
/* The Monday of the week of t's local date. */
void date_week_start(int64_t t, char out[DATE_LEN + 1]);
/* out = s plus days (s must be valid). */
void date_add(const char *s, int days, char out[DATE_LEN + 1]);

#endif
