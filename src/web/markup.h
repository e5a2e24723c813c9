/*
 * markup: turns the administrator's plain-text documents into safe HTML.
 *
 * Blocks are separated by a blank line. "# " starts a heading (h2), "## " a
 * sub-heading (h3), lines starting with "- " form a bullet list, anything else
 * is a paragraph. There is no way to write HTML: every character is escaped,
 * so the editor cannot put markup, scripts or links on a public page.
 */
#ifndef VD_MARKUP_H
#define VD_MARKUP_H

#include <stddef.h>

#include "../util/buf.h"

int markup_render(const char *text, size_t n, struct buf *out);

#endif
