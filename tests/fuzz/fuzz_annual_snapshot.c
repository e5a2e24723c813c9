/*
 * fuzz_annual_snapshot: annual_counts_read (src/core/annual_snapshot.c), the
 * parser of a published annual report's kept counts, on arbitrary text.
 *
 * Invariants: it never crashes or reads past the text; what it accepts it
 * writes back (annual_counts_write) as a text that reads back to the same
 * counts, so a kept report always shows the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/annual.h"
#include "util/arena.h"
#include "util/buf.h"

#include "fuzz_common.h"

static bool same(const struct annual_counts *a, const struct annual_counts *b)
{
	if (a->unit_id != b->unit_id || a->year != b->year || a->threshold != b->threshold || a->cases != b->cases ||
	    a->exceptions != b->exceptions || a->questions != b->questions || a->ncovers != b->ncovers)
		return false;
	for (size_t i = 0; i < a->ncovers; i++)
		if (a->covers[i] != b->covers[i])
			return false;
	for (int k = 0; k < AT_COUNT; k++) {
		const struct annual_table_view *x = &a->tables[k], *y = &b->tables[k];
		if (x->n != y->n || x->total != y->total || x->whole != y->whole || x->additive != y->additive)
			return false;
		for (size_t i = 0; i < x->n; i++)
			if (strcmp(x->keys[i], y->keys[i]) || x->cells[i].n != y->cells[i].n ||
			    x->cells[i].mark != y->cells[i].mark)
				return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c, back;
	if (annual_counts_read(&a, text, &c) == VD_OK) {
		struct buf b;
		buf_init(&b, 1u << 22);
		CHECK(annual_counts_write(&c, &b) == VD_OK);
		CHECK(annual_counts_read(&a, b.data, &back) == VD_OK);
		CHECK(same(&c, &back));
		buf_release(&b);
	}
	arena_release(&a);
	free(text);
	return 0;
}
