/*
 * assets: files embedded into the binary at build time (tools/embed.py):
 * templates/, static/, po/, data/defaults/ and data/holidays/. Embedding keeps a deployment
 * to one file and means a page can never be served from a half-edited disk.
 */
#ifndef VD_ASSETS_H
#define VD_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name; /* path relative to the source root, e.g. "templates/layout.html" */
	const unsigned char *data; /* NUL-terminated for convenience */
	size_t len;
	const char *digest; /* 16 hex digits of BLAKE2b-64 over data, computed at build time */
};

extern const struct asset vd_assets[];
extern const size_t vd_asset_count;

/* NULL if there is no such asset. */
const struct asset *asset_find(const char *name);

#endif
