/* i18n: see i18n.h. A minimal, strict reader of the gettext PO subset we write. */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vd.h"
#include "../util/assets.h"
#include "../util/buf.h"

struct msg {
	char *key;
	char *text;
};

struct catalog {
	struct msg *msgs;
	size_t n;
};

static struct catalog cat_nl, cat_en;

static int cmp_msg(const void *a, const void *b)
{
	return strcmp(((const struct msg *)a)->key, ((const struct msg *)b)->key);
}

/* Appends the C-escaped string literal at *p (starting at '"') to b. */
static int read_literal(const char **p, struct buf *b)
{
	const char *s = *p;
	if (*s != '"')
		return VD_ERR_INVALID;
	for (s++; *s && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			s++;
			switch (*s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return VD_ERR_INVALID;
			}
		}
		if (buf_putc(b, c))
			return VD_ERR_NOMEM;
	}
	if (*s != '"')
		return VD_ERR_INVALID;
	*p = s + 1;
	return VD_OK;
}

static void catalog_free(struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->msgs[i].key);
		free(c->msgs[i].text);
	}
	free(c->msgs);
	c->msgs = NULL;
	c->n = 0;
}

static int catalog_load(struct catalog *c, const char *asset, char *err, size_t errlen)
{
	const struct asset *as = asset_find(asset);
	if (!as) {
		snprintf(err, errlen, "%s is missing", asset);
		return VD_ERR_INVALID;
	}
	size_t cap = 64;
	c->msgs = calloc(cap, sizeof *c->msgs);
	if (!c->msgs)
		return VD_ERR_NOMEM;
	struct buf id, str, *cur = NULL;
	buf_init(&id, 4096);
	buf_init(&str, 65536);
	const char *p = (const char *)as->data;
	int line = 0, rc = VD_OK, have = 0;
	while (*p && rc == VD_OK) {
		line++;
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char l[8192];
		if (n >= sizeof l) {
			rc = VD_ERR_INVALID;
			break;
		}
		memcpy(l, p, n);
		l[n] = '\0';
		p += n + (eol ? 1 : 0);
		const char *q = l;
		if (*q == '\0' || *q == '#')
			continue;
		if (strncmp(q, "msgid ", 6) == 0) {
			if (have == 2 && id.len) {
				if (c->n == cap) {
					cap *= 2;
					struct msg *grown = realloc(c->msgs, cap * sizeof *grown);
					if (!grown) {
						rc = VD_ERR_NOMEM;
						break;
					}
					c->msgs = grown;
				}
				c->msgs[c->n].key = strdup(id.data);
				c->msgs[c->n].text = strdup(str.data ? str.data : "");
				if (!c->msgs[c->n].key || !c->msgs[c->n].text) {
					rc = VD_ERR_NOMEM;
					break;
				}
				c->n++;
			}
			buf_reset(&id);
			buf_reset(&str);
			buf_puts(&str, "");
			buf_puts(&id, "");
			cur = &id;
			have = 1;
			q += 6;
		} else if (strncmp(q, "msgstr ", 7) == 0 && have == 1) {
			cur = &str;
			have = 2;
			q += 7;
		} else if (*q != '"' || !cur) {
			rc = VD_ERR_INVALID;
			break;
		}
		rc = read_literal(&q, cur);
		if (rc == VD_OK && *q != '\0')
			rc = VD_ERR_INVALID;
	}
	if (rc == VD_OK && have == 2 && id.len) {
		if (c->n == cap) {
			struct msg *grown = realloc(c->msgs, (cap + 1) * sizeof *grown);
			if (grown)
				c->msgs = grown;
			else
				rc = VD_ERR_NOMEM;
		}
		if (rc == VD_OK) {
			c->msgs[c->n].key = strdup(id.data);
			c->msgs[c->n].text = strdup(str.data ? str.data : "");
			if (c->msgs[c->n].key && c->msgs[c->n].text)
				c->n++;
			else
				rc = VD_ERR_NOMEM;
		}
	}
	buf_release(&id);
	buf_release(&str);
	if (rc) {
		snprintf(err, errlen, "%s:%d: cannot read this line", asset, line);
		catalog_free(c);
		return rc;
	}
	qsort(c->msgs, c->n, sizeof *c->msgs, cmp_msg);
	return VD_OK;
}

int i18n_load(char *err, size_t errlen)
{
	i18n_unload();
	int rc = catalog_load(&cat_nl, "po/nl.po", err, errlen);
	if (rc == VD_OK)
		rc = catalog_load(&cat_en, "po/en.po", err, errlen);
	if (rc)
		i18n_unload();
	return rc;
}

void i18n_unload(void)
{
	catalog_free(&cat_nl);
	catalog_free(&cat_en);
}

const char *i18n_lang(const char *requested)
{
	return requested && strcmp(requested, "en") == 0 ? "en" : "nl";
}

static const char *lookup(const struct catalog *c, const char *key, size_t keylen)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strncmp(c->msgs[mid].key, key, keylen);
		if (d == 0 && c->msgs[mid].key[keylen] != '\0')
			d = 1;
		if (d == 0)
			return c->msgs[mid].text;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *i18n_get_n(const char *lang, const char *key, size_t keylen)
{
	const char *s = NULL;
	if (lang && strcmp(lang, "en") == 0)
		s = lookup(&cat_en, key, keylen);
	if (!s || !*s)
		s = lookup(&cat_nl, key, keylen);
	if (!s) {
		/* Missing key: show the key (a unit test makes sure none is missing). */
		static __thread char missing[128];
		snprintf(missing, sizeof missing, "%.*s", (int)(keylen < 100 ? keylen : 100), key);
		return missing;
	}
	return s;
}

const char *i18n_get(const char *lang, const char *key)
{
	return i18n_get_n(lang, key, strlen(key));
}

const char *i18n_choice(const char *lang, const char *prefix, const char *value)
{
	char key[96];
	snprintf(key, sizeof key, "%s.%s", prefix, value ? value : "");
	return i18n_get(lang, key);
}

int i18n_has(const char *lang, const char *key)
{
	const struct catalog *c = lang && strcmp(lang, "en") == 0 ? &cat_en : &cat_nl;
	return lookup(c, key, strlen(key)) != NULL;
}
