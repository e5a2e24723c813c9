/* Unit tests: arena, buf, text, log. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/util/errors.h"
#include "../../src/util/arena.h"
#include "../../src/util/buf.h"
#include "../../src/util/date.h"
#include "../../src/util/log.h"
#include "../../src/util/text.h"
#include "../../src/util/workers.h"
#include "check.h"

static void arena_zeroed_and_aligned(void)
{
	struct arena a;
	arena_init(&a, 0);
	for (int i = 1; i < 2000; i += 37) {
		unsigned char *p = arena_alloc(&a, (size_t)i);
		CHECK(p != NULL);
		CHECK(((uintptr_t)p % _Alignof(max_align_t)) == 0);
		for (int j = 0; j < i; j++)
			CHECK(p[j] == 0);
		memset(p, 0xAB, (size_t)i);
	}
	char *big = arena_alloc(&a, 3 * 1024 * 1024);
	CHECK(big != NULL);
	CHECK(big[3 * 1024 * 1024 - 1] == 0);
	arena_release(&a);
}

static void arena_cap_refuses(void)
{
	struct arena a;
	arena_init(&a, 1000);
	CHECK(arena_alloc(&a, 900) != NULL);
	CHECK(arena_alloc(&a, 200) == NULL);
	CHECK(arena_alloc(&a, SIZE_MAX) == NULL);
	arena_release(&a);
}

static void arena_arrays(void)
{
	struct arena a;
	arena_init(&a, 0);
	int64_t *none = arena_array(&a, 0, sizeof *none); /* an empty list still has a pointer */
	CHECK(none != NULL && none[0] == 0);
	int64_t *ten = arena_array(&a, 10, sizeof *ten);
	CHECK(ten != NULL);
	for (int i = 0; i < 10; i++)
		CHECK(ten[i] == 0);
	CHECK(arena_array(&a, SIZE_MAX / 4, 8) == NULL); /* n * size would overflow */
	arena_release(&a);
}

static void arena_strings(void)
{
	struct arena a;
	arena_init(&a, 0);
	CHECK_STR(arena_strndup(&a, "hello world", 5), "hello");
	CHECK_STR(arena_printf(&a, "%d-%s", 42, "x"), "42-x");
	arena_release(&a);
}

static void buf_caps_and_leaves_unchanged(void)
{
	struct buf b;
	buf_init(&b, 10);
	CHECK_EQ_INT(buf_puts(&b, "12345"), VD_OK);
	CHECK_EQ_INT(buf_puts(&b, "678901"), VD_ERR_TOOBIG);
	CHECK_EQ_INT(b.len, 5);
	CHECK_STR(b.data, "12345");
	CHECK_EQ_INT(buf_printf(&b, "%s", "abcdef"), VD_ERR_TOOBIG);
	CHECK_EQ_INT(buf_printf(&b, "%d", 12345), VD_OK);
	CHECK_STR(b.data, "1234512345");
	CHECK_EQ_INT(buf_putc(&b, 'x'), VD_ERR_TOOBIG);
	buf_release_wipe(&b);
	CHECK(b.data == NULL);
}

static void parse_i64_strict(void)
{
	int64_t v = 0;
	CHECK_EQ_INT(text_parse_i64("42", 0, 100, &v), VD_OK);
	CHECK_EQ_INT(v, 42);
	CHECK_EQ_INT(text_parse_i64("-5", -10, 10, &v), VD_OK);
	CHECK_EQ_INT(v, -5);
	const char *bad[] = { "", " 1", "+1", "1 ", "1x", "0x10", "101", "99999999999999999999", "--1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ_INT(text_parse_i64(bad[i], -100, 100, &v), VD_ERR_INVALID);
	CHECK_EQ_INT(text_parse_i64(NULL, 0, 1, &v), VD_ERR_INVALID);
}

static void utf8_validation(void)
{
	CHECK(text_valid_utf8("héllo\nwereld", strlen("héllo\nwereld")));
	CHECK(!text_valid_line("a\nb", 3));
	CHECK(text_valid_line("Zoë €", strlen("Zoë €")));
	CHECK(!text_valid_utf8("\xff", 1));
	CHECK(!text_valid_utf8("\xc0\xaf", 2));         /* overlong '/' */
	CHECK(!text_valid_utf8("\xed\xa0\x80", 3));     /* surrogate */
	CHECK(!text_valid_utf8("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	CHECK(!text_valid_utf8("a\0b", 3));
	CHECK(!text_valid_utf8("\x1b[31m", 5));          /* terminal escape */
	CHECK(!text_valid_utf8("\xe2\x82", 2));         /* truncated */
	CHECK_EQ_INT(text_utf8_len("Zoë", 4), 3);
}

static void email_validation(void)
{
	CHECK(text_valid_email("anouk@example.org"));
	CHECK(text_valid_email("a.b+c@sub.example.nl"));
	const char *bad[] = { "", "a", "@example.org", "a@", "a@b", "a@@b.nl", "a b@c.nl",
			      "a@b.", "<a@b.nl>", "a@b.nl\n",
			      "anouk@example.org?bcc=spy%40evil.example", "a@b.nl&x=1", "a:b@c.nl",
			      "a/b@c.nl", "a@.nl" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!text_valid_email(bad[i]));
}

static void trim_and_ieq(void)
{
	char s[] = "  \t hallo daar \r\n";
	CHECK_STR(text_trim(s), "hallo daar");
	CHECK(text_ieq("Beheer@Example.ORG", "beheer@example.org"));
	CHECK(!text_ieq("a", "ab"));
}

static void b64url_roundtrip(void)
{
	unsigned char in[32], out[32];
	for (int i = 0; i < 32; i++)
		in[i] = (unsigned char)(i * 7 + 3);
	char enc[64];
	text_b64url_encode(in, sizeof in, enc);
	CHECK_EQ_INT(strlen(enc), 43);
	CHECK(strchr(enc, '=') == NULL && strchr(enc, '+') == NULL && strchr(enc, '/') == NULL);
	CHECK_EQ_INT(text_b64url_decode(enc, out, sizeof out), VD_OK);
	CHECK(memcmp(in, out, 32) == 0);
	CHECK_EQ_INT(text_b64url_decode("short", out, sizeof out), VD_ERR_INVALID);
	enc[5] = '*';
	CHECK_EQ_INT(text_b64url_decode(enc, out, sizeof out), VD_ERR_INVALID);
}

/* The log encodes strings so that nothing can forge a line or a field. */
static void log_encodes_fields(void)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	CHECK(f != NULL);
	log_setup(f, LOG_INFO);
	log_event(LOG_DEBUG, "hidden", LF_END);
	log_event(LOG_INFO, "request", LF_METHOD, "GET", LF_ROUTE, "/x\n\"y\" level=error",
		  LF_STATUS, 404, LF_BYTES, 12LL, LF_ERROR, VD_ERR_DENIED, LF_END);
	fclose(f);
	log_setup(NULL, LOG_INFO);
	CHECK(mem != NULL);
	CHECK(strstr(mem, "hidden") == NULL);
	CHECK(strstr(mem, "route=\"/x\\x0a\\x22y\\x22 level=error\"") != NULL);
	CHECK(strstr(mem, "status=404 bytes=12 error=\"not allowed\"") != NULL);
	/* exactly one line */
	CHECK(strchr(mem, '\n') == mem + len - 1);
	free(mem);
}

/* ---- dates ---------------------------------------------------------------------- */

static void dates_parse_strictly(void)
{
	int64_t d = -1;
	CHECK(date_parse("1970-01-01", &d) == false && d == -1); /* before 2000: no date of ours */
	CHECK(date_parse("2000-01-01", &d) && d == 10957);
	CHECK(date_parse("2024-01-01", &d) && d == 19723);
	CHECK(date_parse("2024-02-29", &d) && d == 19782);
	CHECK(date_parse("2999-12-31", &d) && d == 376199);
	const char *bad[] = { "2026-02-30", "2023-02-29", "1900-02-29", "1999-12-31", "3000-01-01", "2024-13-01",
			      "2024-00-10", "2024-04-31", "2024-04-00", "2024-4-01", "24-04-01", "2024/04/01",
			      "2024-04-01 ", " 2024-04-01", "20240401", "2024-04-0a", "2024-04-+1", "", "14-03-2026" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		d = -1;
		CHECK(!date_parse(bad[i], &d) && d == -1);
		CHECK(!date_valid(bad[i]));
	}
	CHECK(!date_parse(NULL, &d) && !date_valid(NULL));
	/* and back: every day of four years, leap day included */
	char s[DATE_LEN + 1];
	for (int64_t day = 19723 - 365; day < 19723 + 3 * 365; day++) {
		date_format(day, s);
		int64_t back = 0;
		CHECK(date_parse(s, &back) && back == day);
	}
	date_format(DATE_NONE, s);
	CHECK_STR(s, "");
	CHECK_EQ_INT(date_year_start(2024), 19723);
	CHECK_EQ_INT(date_year_start(2025) - date_year_start(2024), 366);
	int m = -1;
	CHECK(time_parse("00:00", &m) && m == 0);
	CHECK(time_parse("23:59", &m) && m == 23 * 60 + 59);
	const char *bad_times[] = { "24:00", "12:60", "7:30", "07:3", "07-30", "", "07:30 " };
	for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++)
		CHECK(!time_parse(bad_times[i], &m));
}

/* In a zone with summer time, a local date and time and a moment turn into
 * each other as the calendar on the wall says, also on the days the clocks
 * move. */
static void dates_follow_the_local_calendar(void)
{
	const char *was = getenv("TZ");
	char saved[64] = "";
	if (was)
		snprintf(saved, sizeof saved, "%s", was);
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1); /* the Netherlands' rule, without tzdata */
	tzset();
	int64_t spring = 0, autumn = 0, day = 0;
	bool ok = date_parse("2024-03-31", &spring) && date_parse("2024-10-27", &autumn);
	/* noon on the day the clocks go forward is 10:00 UTC (CEST, +2) */
	int64_t noon = date_moment(spring, 12 * 60);
	bool spring_ok = noon == 1711879200 && date_of(noon) == spring && date_of(date_moment(spring, 0)) == spring &&
			 date_of(date_moment(spring, 23 * 60 + 59)) == spring;
	/* the day before, noon is 11:00 UTC (CET, +1) */
	bool before_ok = date_moment(spring - 1, 12 * 60) == 1711796400;
	/* a day of 25 hours: its midnights are 25 hours apart */
	bool autumn_ok = date_moment(autumn + 1, 0) - date_moment(autumn, 0) == 25 * 3600;
	/* 23:30 local on 31 December is still that day, though it is 22:30 UTC */
	ok = ok && date_parse("2024-12-31", &day);
	bool late_ok = date_of(date_moment(day, 23 * 60 + 30)) == day;
	/* weeks start on Monday: 2024-03-31 was a Sunday */
	int64_t monday = 0;
	ok = ok && date_parse("2024-03-25", &monday);
	bool week_ok = date_week_start(spring) == monday && date_week_start(monday) == monday &&
		       date_week_start(monday + 6) == monday && date_week_start(monday + 7) == monday + 7;
	if (was)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	CHECK(ok);
	CHECK(spring_ok);
	CHECK(before_ok);
	CHECK(autumn_ok);
	CHECK(late_ok);
	CHECK(week_ok);
}

static void weekdays_and_years(void)
{
	int64_t d = 0, leap = 0, want = 0;
	CHECK(date_parse("2026-04-27", &d));
	CHECK_EQ_INT(date_weekday(d), 0);     /* a Monday */
	CHECK_EQ_INT(date_weekday(d + 5), 5); /* Saturday */
	CHECK_EQ_INT(date_weekday(d + 6), 6); /* Sunday */
	CHECK_EQ_INT(date_weekday(d - 1), 6);
	CHECK(date_parse("2027-04-27", &want));
	CHECK_EQ_INT(date_add_years(d, 1), want);
	CHECK(date_parse("2024-02-29", &leap) && date_parse("2025-03-01", &want));
	CHECK_EQ_INT(date_add_years(leap, 1), want);
	CHECK(date_parse("2028-02-29", &want));
	CHECK_EQ_INT(date_add_years(leap, 4), want);
}

/* Every job handed over runs exactly once, in order on one thread, and
 * stopping runs what is still queued before it ends the threads. */
struct tally {
	pthread_mutex_t lock;
	int order[64];
	int n;
};
struct counted_job {
	struct worker_job job;
	struct tally *t;
	int id;
};
static void count_one(void *arg)
{
	struct counted_job *j = arg;
	pthread_mutex_lock(&j->t->lock);
	j->t->order[j->t->n++] = j->id;
	pthread_mutex_unlock(&j->t->lock);
}

static void workers_run_every_job_once(void)
{
	for (unsigned threads = 1; threads <= 3; threads += 2) {
		struct tally t = { .n = 0 };
		pthread_mutex_init(&t.lock, NULL);
		struct counted_job jobs[64];
		struct workers *w = workers_start(threads);
		CHECK(w != NULL);
		for (int i = 0; i < 64 && w; i++) {
			jobs[i] = (struct counted_job){ .job = { .run = count_one, .arg = &jobs[i] }, .t = &t, .id = i };
			workers_submit(w, &jobs[i].job);
		}
		workers_stop(w);
		CHECK_EQ_INT(t.n, 64);
		int seen[64] = { 0 };
		for (int i = 0; i < t.n; i++)
			seen[t.order[i]]++;
		for (int i = 0; i < 64; i++)
			CHECK_EQ_INT(seen[i], 1);
		if (threads == 1)
			for (int i = 0; i < 64; i++)
				CHECK_EQ_INT(t.order[i], i);
		pthread_mutex_destroy(&t.lock);
	}
	CHECK(workers_start(0) == NULL);
	workers_stop(NULL);
}

int main(void)
{
	static const struct test tests[] = {
		TEST(arena_zeroed_and_aligned), TEST(arena_cap_refuses), TEST(arena_strings), TEST(arena_arrays),
		TEST(buf_caps_and_leaves_unchanged), TEST(parse_i64_strict), TEST(utf8_validation),
		TEST(email_validation), TEST(trim_and_ieq), TEST(b64url_roundtrip),
		TEST(log_encodes_fields), TEST(dates_parse_strictly), TEST(dates_follow_the_local_calendar),
		TEST(weekdays_and_years), TEST(workers_run_every_job_once),
	};
	return check_run("util", tests, sizeof tests / sizeof tests[0]);
}
