/*
 * form: parsers for what a browser sends — application/x-www-form-urlencoded
 * bodies and query strings, and the Cookie header.
 *
 * Strict and bounded: at most FORM_MAX_FIELDS fields, names of at most
 * FORM_MAX_NAME bytes, values must be valid UTF-8 after decoding, a bad
 * percent escape is an error (not passed through). Results live in the arena.
 */
#ifndef VD_FORM_H
#define VD_FORM_H

#include <stddef.h>

#include "../util/arena.h"

#define FORM_MAX_FIELDS 200
#define FORM_MAX_NAME 64
#define COOKIE_MAX_PAIRS 32

struct kv {
	const char *name;
	const char *value;
	size_t len; /* value length in bytes */
};

struct kv_list {
	struct kv *items;
	size_t n;
};

/* Parses "a=1&b=2". VD_ERR_INVALID on malformed input, VD_ERR_TOOBIG past the caps. */
int form_parse(struct arena *a, const char *s, size_t n, struct kv_list *out);

/* Parses a Cookie header "a=1; b=2". Malformed pairs are skipped (browsers send
 * what other sites set); VD_ERR_TOOBIG past the cap. Values are not decoded. */
int cookie_parse(struct arena *a, const char *s, size_t n, struct kv_list *out);

/* Splits a raw request target ("/path?query") into its percent-decoded path
 * (valid UTF-8, no NUL, no control characters, at most 2048 bytes) and its
 * parsed query (form_parse rules, at most FORM_MAX_QUERY fields).
 * VD_ERR_TOOBIG for a path over URI_MAX_PATH, VD_ERR_INVALID for anything else. */
#define FORM_MAX_QUERY 20
#define URI_MAX_PATH 2048
int uri_parse(struct arena *a, const char *uri, const char **path, struct kv_list *query);

/* First value of name, or NULL. */
const char *kv_get(const struct kv_list *l, const char *name);
/* Number of fields named name (for checkbox groups). */
size_t kv_count(const struct kv_list *l, const char *name);

#endif
