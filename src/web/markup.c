/* markup: see markup.h. */
#include "markup.h"

#include <string.h>

#include "../core/vd.h"
#include "html.h"

/* One line without its end-of-line characters. */
struct line {
	const char *s;
	size_t n;
};

static struct line next_line(const char **p, const char *end)
{
	const char *s = *p;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	const char *e = nl ? nl : end;
	*p = nl ? nl + 1 : end;
	while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (struct line){ s, (size_t)(e - s) };
}

static int starts(struct line l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l.n >= n && memcmp(l.s, prefix, n) == 0;
}

int markup_render(const char *text, size_t n, struct buf *out)
{
	const char *p = text, *end = text + n;
	enum { NONE, PARA, LIST } open = NONE;
	int rc = VD_OK;
	while (p < end && rc == VD_OK) {
		struct line l = next_line(&p, end);
		if (l.n == 0) {
			if (open == PARA)
				rc = buf_puts(out, "</p>\n");
			else if (open == LIST)
				rc = buf_puts(out, "</ul>\n");
			open = NONE;
			continue;
		}
		int h = starts(l, "## ") ? 3 : starts(l, "# ") ? 2 : 0;
		int item = starts(l, "- ");
		if ((h || item) && open == PARA) {
			rc = buf_puts(out, "</p>\n");
			open = NONE;
		}
		if (!item && open == LIST) {
			rc = buf_puts(out, "</ul>\n");
			open = NONE;
		}
		if (rc)
			break;
		if (h) {
			size_t skip = (size_t)h; /* "# " is 2 bytes, "## " is 3 */
			rc = buf_printf(out, "<h%d>", h);
			if (rc == VD_OK)
				rc = html_escape(out, l.s + skip, l.n - skip);
			if (rc == VD_OK)
				rc = buf_printf(out, "</h%d>\n", h);
		} else if (item) {
			if (open != LIST)
				rc = buf_puts(out, "<ul>\n");
			open = LIST;
			if (rc == VD_OK)
				rc = buf_puts(out, "<li>");
			if (rc == VD_OK)
				rc = html_escape(out, l.s + 2, l.n - 2);
			if (rc == VD_OK)
				rc = buf_puts(out, "</li>\n");
		} else {
			if (open == PARA)
				rc = buf_putc(out, ' ');
			else
				rc = buf_puts(out, "<p>");
			open = PARA;
			if (rc == VD_OK)
				rc = html_escape(out, l.s, l.n);
		}
	}
	if (rc == VD_OK && open == PARA)
		rc = buf_puts(out, "</p>\n");
	if (rc == VD_OK && open == LIST)
		rc = buf_puts(out, "</ul>\n");
	return rc;
}
