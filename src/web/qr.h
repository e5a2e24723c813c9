/*
 * qr: a QR code as SVG, drawn by the server (libqrencode makes the
 * modules; this draws them), so that setting up the second factor needs no
 * script and no image from elsewhere.
 */
#ifndef VD_QR_H
#define VD_QR_H

#include "../util/arena.h"

/* The QR code of text as an SVG element with a text alternative (alt),
 * in the arena; NULL when it cannot be made. The SVG holds the text's
 * secret: the page showing it must not be cached (as every staff page). */
const char *qr_svg(struct arena *a, const char *text, const char *alt);

#endif
