/* check: see check.h. */
#include <string.h>

#include "check.h"

int check_failed;
char check_where[256];

int check_run(const char *suite, const struct test *tests, size_t n)
{
	int failed = 0;
	const char *only = getenv("VD_CHECK_ONLY"); /* one test by name, for a developer */
	for (size_t i = 0; i < n; i++) {
		if (only && *only && strcmp(only, tests[i].name) != 0)
			continue;
		check_failed = 0;
		check_where[0] = '\0';
		tests[i].fn();
		if (check_failed) {
			failed++;
			printf("FAIL: unit/%s/%s: %s\n", suite, tests[i].name, check_where);
		} else {
			printf("PASS: unit/%s/%s\n", suite, tests[i].name);
		}
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
