/*
 * fuzz_uri_parse: uri_parse (src/web/form.h) on arbitrary raw request targets
 * such as "/path?query" (a C string, as libmicrohttpd hands it over).
 *
 * Invariants on success: the path starts with '/', is at most URI_MAX_PATH
 * bytes of one-line valid UTF-8 (text_valid_line); the query has at most
 * FORM_MAX_QUERY fields, each with a 1..FORM_MAX_NAME byte name and a valid
 * UTF-8 value of the stated length.
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
	char *s = fuzz_cstr(data, size);
	struct arena a;
	arena_init(&a, 0);
	const char *path = NULL;
	struct kv_list q;
	int rc = uri_parse(&a, s, &path, &q);
	CHECK(rc == VD_OK || rc == VD_ERR_INVALID || rc == VD_ERR_TOOBIG);
	if (rc == VD_OK) {
		CHECK(path != NULL);
		size_t pl = strlen(path);
		CHECK(pl >= 1 && pl <= URI_MAX_PATH);
		CHECK(path[0] == '/');
		CHECK(text_valid_line(path, pl));
		/* Decoding never makes the path longer than the raw one. */
		const char *qm = strchr(s, '?');
		CHECK(pl <= (qm ? (size_t)(qm - s) : strlen(s)));
		CHECK(q.n <= FORM_MAX_QUERY);
		CHECK(q.n == 0 || q.items != NULL);
		CHECK(q.n == 0 || qm != NULL);
		for (size_t i = 0; i < q.n; i++) {
			const struct kv *kv = &q.items[i];
			CHECK(kv->name && kv->value);
			size_t nl = strlen(kv->name);
			CHECK(nl >= 1 && nl <= FORM_MAX_NAME);
			CHECK(text_valid_utf8(kv->name, nl));
			CHECK(text_valid_utf8(kv->value, kv->len));
			CHECK(strlen(kv->value) == kv->len);
		}
	}
	arena_release(&a);
	free(s);
	return 0;
}
