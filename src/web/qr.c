/* qr: see qr.h. */
#include "qr.h"

#include <qrencode.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/wipe.h"
#include "html.h"

const char *qr_svg(struct arena *a, const char *text, const char *alt)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	const int quiet = 4, size = q->width + 2 * quiet;
	struct buf b;
	buf_init(&b, 512 * 1024);
	b.secret = true;
	int rc = buf_printf(&b, "<svg class=\"qr\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", size, size);
	rc |= html_escape(&b, alt, strlen(alt));
	rc |= buf_puts(&b, "\" xmlns=\"http://www.w3.org/2000/svg\" shape-rendering=\"crispEdges\">"
			   "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
	/* one path of unit squares: the dark modules (bit 0 of each byte) */
	for (int y = 0; rc == 0 && y < q->width; y++)
		for (int x = 0; rc == 0 && x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				rc |= buf_printf(&b, "M%d %dh1v1h-1z", x + quiet, y + quiet);
	rc |= buf_puts(&b, "\"/></svg>");
	wipe(q->data, (size_t)q->width * (size_t)q->width);
	QRcode_free(q);
	const char *out = rc == 0 && b.data ? arena_strndup(a, b.data, b.len) : NULL;
	buf_release_wipe(&b);
	return out;
}
