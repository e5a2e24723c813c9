/*
 * fuzz_cookie_parse: cookie_parse (src/web/form.h) on arbitrary Cookie headers.
 *
 * Invariants (on success and on VD_ERR_TOOBIG, where the list holds what was
 * read so far): at most COOKIE_MAX_PAIRS pairs; every name is 1..FORM_MAX_NAME
 * bytes of one-line valid UTF-8 without '=' or ';'; every value is one-line
 * valid UTF-8 of the stated length without ';'.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/vd.h"
#include "util/arena.h"
#include "util/text.h"
#include "web/form.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_exact(data, size);
	struct arena a;
	arena_init(&a, 0);
	struct kv_list l;
	int rc = cookie_parse(&a, s, size, &l);
	CHECK(rc == VD_OK || rc == VD_ERR_TOOBIG);
	CHECK(l.n <= COOKIE_MAX_PAIRS);
	CHECK(rc != VD_ERR_TOOBIG || l.n == COOKIE_MAX_PAIRS);
	for (size_t i = 0; i < l.n; i++) {
		const struct kv *kv = &l.items[i];
		CHECK(kv->name && kv->value);
		size_t nl = strlen(kv->name);
		CHECK(nl >= 1 && nl <= FORM_MAX_NAME);
		CHECK(text_valid_line(kv->name, nl));
		CHECK(!strchr(kv->name, '=') && !strchr(kv->name, ';'));
		CHECK(strlen(kv->value) == kv->len);
		CHECK(kv->len <= size);
		CHECK(text_valid_line(kv->value, kv->len));
		CHECK(!strchr(kv->value, ';'));
		CHECK(kv_get(&l, kv->name) != NULL);
	}
	arena_release(&a);
	free(s);
	return 0;
}
