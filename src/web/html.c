/* html: see html.h. */
#include "html.h"

#include "../core/vd.h"

int html_escape(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	int rc = VD_OK;
	for (size_t i = 0; i < n && rc == VD_OK; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		rc = buf_append(out, s + start, i - start);
		if (rc == VD_OK)
			rc = buf_puts(out, rep);
		start = i + 1;
	}
	if (rc == VD_OK)
		rc = buf_append(out, s + start, n - start);
	return rc;
}
