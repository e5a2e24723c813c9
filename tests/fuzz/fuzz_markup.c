/*
 * fuzz_markup: markup_render (src/web/markup.h) on arbitrary documents.
 *
 * Invariants: rendering succeeds (the output cap is far above what 4 KB of
 * input can produce); the output never contains '<' except in the tags the
 * renderer itself emits (<p> </p> <h2> </h2> <h3> </h3> <ul> </ul> <li> </li>);
 * each of those is opened as often as it is closed; and no raw '>' or '"'
 * from the text survives outside those tags.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/vd.h"
#include "util/buf.h"
#include "web/markup.h"

#include "fuzz_common.h"

static const char *const tags[] = { "p", "h2", "h3", "ul", "li" };
#define NTAGS (sizeof tags / sizeof tags[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_exact(data, size);
	struct buf out;
	buf_init(&out, 1u << 22);
	int rc = markup_render(text, size, &out);
	CHECK(rc == VD_OK);

	long open[NTAGS] = { 0 };
	const char *o = out.data ? out.data : "";
	for (size_t i = 0; i < out.len; i++) {
		if (o[i] == '>' || o[i] == '"' || o[i] == '\'') {
			fprintf(stderr, "raw '%c' outside a tag at output offset %zu\n", o[i], i);
			abort();
		}
		if (o[i] != '<')
			continue;
		bool close = i + 1 < out.len && o[i + 1] == '/';
		size_t name = i + 1 + close;
		bool known = false;
		for (size_t k = 0; k < NTAGS && !known; k++) {
			size_t tl = strlen(tags[k]);
			if (out.len - name >= tl + 1 && memcmp(o + name, tags[k], tl) == 0 &&
			    o[name + tl] == '>') {
				known = true;
				open[k] += close ? -1 : 1;
				CHECK(open[k] >= 0 && open[k] <= 1); /* never nested in itself */
				i = name + tl;                       /* skip to the '>' */
			}
		}
		if (!known) {
			fprintf(stderr, "unexpected '<' at output offset %zu: %.40s\n", i, o + i);
			abort();
		}
	}
	for (size_t k = 0; k < NTAGS; k++)
		CHECK(open[k] == 0);

	buf_release(&out);
	free(text);
	return 0;
}
