/* html: the one place where text becomes HTML. Escapes & < > " ' so the result
 * is safe both as element content and inside a quoted attribute. */
#ifndef VD_HTML_H
#define VD_HTML_H

#include <stddef.h>

#include "../util/buf.h"

int html_escape(struct buf *out, const char *s, size_t n);

#endif
