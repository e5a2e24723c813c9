/*
 * fuzz_template: the template engine (src/web/template.h).
 *
 * tpl_compile on arbitrary text; when it compiles, tpl_render with a few
 * variables (some holding HTML-special characters), a raw variable and two
 * lists, once with those variables and once with none. The translation
 * catalogs are loaded once if they can be, so {{t key}} exercises the real
 * lookup (without them i18n_get returns the key itself, which is fine too).
 *
 * Invariants: a failed compile says why (err is set); rendering fails only for
 * the output cap; and escaping holds: every '<' in the output comes from the
 * template text itself or from the one raw variable ("<b>vet</b>"), never from
 * an escaped variable or a translation.
 *
 * Lists are set up so nested {{#each}} blocks stay bounded: an item of
 * "items" hides "items", an item of "rows" hides both lists (a template that
 * nests the same list 32 deep would otherwise render 3^32 times; templates are
 * our own files, so that is not an attack, just a fuzzer time-out).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/vd.h"
#include "util/arena.h"
#include "util/buf.h"
#include "web/i18n.h"
#include "web/template.h"

#include "fuzz_common.h"

#define RAW_VALUE "<b>vet</b>"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256] = "";
	if (i18n_load(err, sizeof err) != VD_OK)
		fprintf(stderr, "fuzz_template: no catalogs (%s); {{t key}} shows the key\n", err);
	return 0;
}

static struct tvars *make_vars(struct arena *a)
{
	struct tvars *v = tv_new(a, NULL);
	CHECK(v != NULL);
	tv_set(v, "title", "Titel & <script>alert('x')</script>");
	tv_set(v, "name", "Jan \"de\" Vries");
	tv_set(v, "error", "<img src=x onerror=alert(1)>");
	tv_set(v, "empty", "");
	tv_set(v, "csrf", "q1w2e3r4t5y6");
	tv_set(v, "html", RAW_VALUE);
	tv_set_bool(v, "is_admin", true);
	tv_set_bool(v, "off", false);
	tv_set_int(v, "count", 3);
	for (int k = 0; k < 3; k++) {
		struct tvars *it = tv_add(v, "items");
		CHECK(it != NULL);
		tv_set_int(it, "id", k + 1);
		tv_set(it, "name", k == 1 ? "<i>item</i>" : "item & co");
		tv_set_bool(it, "inactive", k == 1);
		tv_set(it, "items", ""); /* hides the list inside its own items */
	}
	for (int k = 0; k < 2; k++) {
		struct tvars *r = tv_add(v, "rows");
		CHECK(r != NULL);
		tv_setf(r, "email", "p%d@example.org", k);
		tv_set(r, "rows", "");
		tv_set(r, "items", "");
	}
	CHECK(!tv_failed(v));
	return v;
}

/* Every '<' in out must be in the template text or start the raw value. */
static void check_escaping(const struct buf *out, const uint8_t *data, size_t size)
{
	if (memchr(data, '<', size))
		return; /* the template has its own markup: nothing to tell apart */
	/* {{raw name}} is the template author's promise that name holds HTML; only
	 * "html" does here, so a raw use of any other variable voids the check. */
	static const char tag[] = "{{raw ", ok[] = "html}}";
	const size_t tl = sizeof tag - 1, ol = sizeof ok - 1;
	for (size_t i = 0; i + tl <= size; i++)
		if (memcmp(data + i, tag, tl) == 0 &&
		    (size - i - tl < ol || memcmp(data + i + tl, ok, ol) != 0))
			return;
	for (size_t i = 0; i < out->len; i++) {
		if (out->data[i] != '<')
			continue;
		bool raw = out->len - i >= 3 && memcmp(out->data + i, "<b>", 3) == 0;
		raw = raw || (out->len - i >= 4 && memcmp(out->data + i, "</b>", 4) == 0);
		if (!raw) {
			fprintf(stderr, "unescaped '<' at output offset %zu: %.40s\n", i, out->data + i);
			abort();
		}
	}
}

static void render(const struct tpl *t, const struct tvars *v, const char *lang,
		   const uint8_t *data, size_t size)
{
	struct buf out;
	buf_init(&out, 4u << 20);
	int rc = tpl_render(t, v, lang, &out);
	CHECK(rc == VD_OK || rc == VD_ERR_TOOBIG);
	check_escaping(&out, data, size);
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_exact(data, size);
	char err[256] = "";
	struct tpl *t = tpl_compile("fuzz.html", text, size, err, sizeof err);
	free(text); /* the template keeps its own copy */
	if (!t) {
		CHECK(err[0] != '\0');
		return 0;
	}
	const char *lang = (size & 1) ? "en" : "nl";
	struct arena a;
	arena_init(&a, 0);
	render(t, make_vars(&a), lang, data, size);
	struct tvars *none = tv_new(&a, NULL);
	CHECK(none != NULL);
	render(t, none, lang, data, size);
	arena_release(&a);
	tpl_free(t);
	return 0;
}
