/*
 * fuzz_form_parse: form_parse (src/web/form.h) on arbitrary
 * application/x-www-form-urlencoded bodies.
 *
 * Invariants on success: at most FORM_MAX_FIELDS fields; every name is
 * 1..FORM_MAX_NAME bytes of valid UTF-8 without NUL; every value is valid
 * UTF-8 (text_valid_utf8) of the stated length; kv_get/kv_count agree with the
 * list; and re-encoding the fields and parsing them again gives the same list.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/vd.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/text.h"
#include "web/form.h"

#include "fuzz_common.h"

/* Percent-encodes everything but unreserved characters. */
static void encode(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			CHECK(buf_putc(b, (char)c) == VD_OK);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			CHECK(buf_append(b, e, 3) == VD_OK);
		}
	}
}

static void check_list(const struct kv_list *l)
{
	CHECK(l->n <= FORM_MAX_FIELDS);
	CHECK(l->n == 0 || l->items != NULL);
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *kv = &l->items[i];
		CHECK(kv->name && kv->value);
		size_t nl = strlen(kv->name);
		CHECK(nl >= 1 && nl <= FORM_MAX_NAME);
		CHECK(text_valid_utf8(kv->name, nl));
		CHECK(text_valid_utf8(kv->value, kv->len));
		CHECK(strlen(kv->value) == kv->len); /* no NUL hidden inside */
		CHECK(kv_get(l, kv->name) != NULL);
		CHECK(kv_count(l, kv->name) >= 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_exact(data, size);
	struct arena a;
	arena_init(&a, 0);
	struct kv_list l;
	int rc = form_parse(&a, s, size, &l);
	CHECK(rc == VD_OK || rc == VD_ERR_INVALID || rc == VD_ERR_TOOBIG);
	if (rc == VD_OK) {
		check_list(&l);

		/* Round trip: encode what we got and parse it again. */
		struct buf b;
		buf_init(&b, 1u << 20);
		for (size_t i = 0; i < l.n; i++) {
			if (i)
				CHECK(buf_putc(&b, '&') == VD_OK);
			encode(&b, l.items[i].name, strlen(l.items[i].name));
			CHECK(buf_putc(&b, '=') == VD_OK);
			encode(&b, l.items[i].value, l.items[i].len);
		}
		struct kv_list l2;
		int rc2 = form_parse(&a, b.data ? b.data : "", b.len, &l2);
		CHECK(rc2 == VD_OK);
		CHECK(l2.n == l.n);
		for (size_t i = 0; i < l.n; i++) {
			CHECK(strcmp(l.items[i].name, l2.items[i].name) == 0);
			CHECK(l.items[i].len == l2.items[i].len);
			CHECK(memcmp(l.items[i].value, l2.items[i].value, l.items[i].len) == 0);
		}
		buf_release(&b);
	}
	arena_release(&a);
	free(s);
	return 0;
}
