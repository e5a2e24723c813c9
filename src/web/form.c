/* form: see form.h. */
#include "form.h"

#include <stdbool.h>
#include <string.h>

#include "../core/vd.h"
#include "../util/text.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n) into a new arena string; in a form '+' is a space,
 * in a path it is a plus. A bad escape is an error, never passed through. */
static int pct_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out,
		      size_t *outlen)
{
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return VD_ERR_NOMEM;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+' && plus_is_space) {
			d[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return VD_ERR_INVALID;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return VD_ERR_INVALID;
			d[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			d[o++] = s[i];
		}
	}
	d[o] = '\0';
	*out = d;
	*outlen = o;
	return VD_OK;
}

/* A form name or value: decoded, and valid text (line breaks allowed). */
static int url_decode(struct arena *a, const char *s, size_t n, const char **out, size_t *outlen)
{
	char *d;
	int rc = pct_decode(a, s, n, true, &d, outlen);
	if (rc == VD_OK && !text_valid_utf8(d, *outlen))
		rc = VD_ERR_INVALID;
	*out = d;
	return rc;
}

int form_parse(struct arena *a, const char *s, size_t n, struct kv_list *out)
{
	out->n = 0;
	out->items = NULL;
	if (n == 0)
		return VD_OK;
	size_t fields = 1;
	for (size_t i = 0; i < n; i++)
		fields += s[i] == '&';
	if (fields > FORM_MAX_FIELDS)
		return VD_ERR_TOOBIG;
	out->items = arena_alloc(a, fields * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	size_t i = 0;
	while (i <= n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) { /* empty pieces ("a=1&&b=2") are skipped, as browsers do */
			const char *eq = memchr(s + i, '=', end - i);
			size_t nlen = eq ? (size_t)(eq - (s + i)) : end - i;
			const char *name, *value;
			size_t name_len, vlen;
			int rc = url_decode(a, s + i, nlen, &name, &name_len);
			if (rc)
				return rc;
			if (name_len == 0 || name_len > FORM_MAX_NAME || strlen(name) != name_len)
				return VD_ERR_INVALID;
			if (eq)
				rc = url_decode(a, eq + 1, (size_t)(s + end - eq - 1), &value, &vlen);
			else
				rc = url_decode(a, "", 0, &value, &vlen);
			if (rc)
				return rc;
			out->items[out->n++] = (struct kv){ name, value, vlen };
		}
		i = end + 1;
	}
	return VD_OK;
}

int uri_parse(struct arena *a, const char *uri, const char **path, struct kv_list *query)
{
	query->n = 0;
	query->items = NULL;
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	if (plen == 0 || uri[0] != '/' || plen > URI_MAX_PATH)
		return plen > URI_MAX_PATH ? VD_ERR_TOOBIG : VD_ERR_INVALID;
	char *d;
	size_t o;
	int rc = pct_decode(a, uri, plen, false, &d, &o);
	if (rc)
		return rc;
	if (!text_valid_line(d, o))
		return VD_ERR_INVALID;
	*path = d;
	if (!q)
		return VD_OK;
	size_t fields = 1;
	for (const char *c = q + 1; *c; c++)
		fields += *c == '&';
	if (fields > FORM_MAX_QUERY)
		return VD_ERR_INVALID;
	return form_parse(a, q + 1, strlen(q + 1), query);
}

int cookie_parse(struct arena *a, const char *s, size_t n, struct kv_list *out)
{
	out->n = 0;
	out->items = arena_alloc(a, COOKIE_MAX_PAIRS * sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == ';'))
			i++;
		size_t start = i;
		while (i < n && s[i] != ';')
			i++;
		size_t end = i;
		while (end > start && s[end - 1] == ' ')
			end--;
		if (end == start)
			continue;
		const char *eq = memchr(s + start, '=', end - start);
		if (!eq || eq == s + start)
			continue;
		size_t nlen = (size_t)(eq - (s + start)), vlen = (size_t)(s + end - eq - 1);
		const char *v = eq + 1;
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (nlen > FORM_MAX_NAME || !text_valid_line(s + start, nlen) || !text_valid_line(v, vlen))
			continue;
		if (out->n == COOKIE_MAX_PAIRS)
			return VD_ERR_TOOBIG;
		const char *name = arena_strndup(a, s + start, nlen);
		const char *value = arena_strndup(a, v, vlen);
		if (!name || !value)
			return VD_ERR_NOMEM;
		out->items[out->n++] = (struct kv){ name, value, vlen };
	}
	return VD_OK;
}

const char *kv_get(const struct kv_list *l, const char *name)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

size_t kv_count(const struct kv_list *l, const char *name)
{
	size_t c = 0;
	for (size_t i = 0; l && i < l->n; i++)
		c += strcmp(l->items[i].name, name) == 0;
	return c;
}
