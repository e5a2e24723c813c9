/*
 * check: the unit-test harness. Each test is a function; CHECK stops the test
 * at the first failed condition and reports file, line and the condition.
 * Output is one line per test, "PASS: unit/<suite>/<name>" or
 * "FAIL: unit/<suite>/<name>: <where>", which tests/run counts.
 */
#ifndef VD_CHECK_H
#define VD_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

extern int check_failed;
extern char check_where[256];

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			check_failed = 1;                                                \
			snprintf(check_where, sizeof check_where, "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                                       \
			return;                                                          \
		}                                                                        \
	} while (0)

#define CHECK_EQ_INT(a, b) CHECK((long long)(a) == (long long)(b))
#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

struct test {
	const char *name;
	void (*fn)(void);
};

#define TEST(name) { #name, name }

/* Runs the tests in order (only the one named by VD_CHECK_ONLY when that is
 * set); returns the process exit status (0 if all pass). */
int check_run(const char *suite, const struct test *tests, size_t n);

#endif
