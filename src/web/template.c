/* template: see template.h. Compiles to a flat node array with jump indexes. */
#include "template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vd.h"
#include "../util/assets.h"
#include "html.h"
#include "i18n.h"

enum node_kind { N_TEXT, N_VAR, N_RAW, N_TRANS, N_IF, N_UNLESS, N_EACH, N_ELSE, N_END };

struct node {
	enum node_kind kind;
	const char *s; /* text, variable name or key (points into the template's copy) */
	size_t len;
	size_t jump;   /* IF/UNLESS: the ELSE or END; ELSE: the END; EACH: the END */
	enum node_kind block; /* ELSE: the kind of block it belongs to (IF or UNLESS) */
};

struct tpl {
	char *name;
	char *text; /* owned copy; nodes point into it */
	struct node *nodes;
	size_t n;
};

/* ---- variables --------------------------------------------------------- */

struct tvar {
	const char *name;
	const char *value;         /* for a string */
	struct tvars **items;      /* for a list */
	size_t nitems, capitems;
	struct tvar *next;
};

struct tvars {
	struct arena *arena;
	const struct tvars *parent;
	struct tvar *head;
	bool *failed; /* shared by the whole tree */
};

struct tvars *tv_new(struct arena *a, const struct tvars *parent)
{
	struct tvars *v = arena_alloc(a, sizeof *v);
	if (!v)
		return NULL;
	v->arena = a;
	v->parent = parent;
	v->failed = parent ? parent->failed : arena_alloc(a, sizeof(bool));
	if (!v->failed)
		return NULL;
	return v;
}

static struct tvar *tv_find_local(const struct tvars *v, const char *name, size_t len)
{
	for (struct tvar *t = v->head; t; t = t->next)
		if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

static const struct tvar *tv_lookup(const struct tvars *v, const char *name, size_t len)
{
	for (; v; v = v->parent) {
		const struct tvar *t = tv_find_local(v, name, len);
		if (t)
			return t;
	}
	return NULL;
}

static struct tvar *tv_slot(struct tvars *v, const char *name)
{
	if (!v)
		return NULL;
	struct tvar *t = tv_find_local(v, name, strlen(name));
	if (t)
		return t;
	t = arena_alloc(v->arena, sizeof *t);
	if (!t) {
		*v->failed = true;
		return NULL;
	}
	t->name = name;
	t->next = v->head;
	v->head = t;
	return t;
}

void tv_set(struct tvars *v, const char *name, const char *value)
{
	struct tvar *t = tv_slot(v, name);
	if (t)
		t->value = value;
}

void tv_setf(struct tvars *v, const char *name, const char *fmt, ...)
{
	if (!v)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = n >= 0 ? arena_alloc(v->arena, (size_t)n + 1) : NULL;
	if (!p) {
		*v->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tv_set(v, name, p);
}

void tv_set_int(struct tvars *v, const char *name, long long n)
{
	tv_setf(v, name, "%lld", n);
}

void tv_set_bool(struct tvars *v, const char *name, bool on)
{
	tv_set(v, name, on ? "1" : NULL);
}

struct tvars *tv_add(struct tvars *v, const char *name)
{
	struct tvar *t = tv_slot(v, name);
	if (!t)
		return NULL;
	if (t->nitems == t->capitems) {
		size_t cap = t->capitems ? t->capitems * 2 : 8;
		struct tvars **items = arena_alloc(v->arena, cap * sizeof *items);
		if (!items) {
			*v->failed = true;
			return NULL;
		}
		if (t->nitems)
			memcpy(items, t->items, t->nitems * sizeof *items);
		t->items = items;
		t->capitems = cap;
	}
	struct tvars *item = tv_new(v->arena, v);
	if (!item) {
		*v->failed = true;
		return NULL;
	}
	t->items[t->nitems++] = item;
	return item;
}

void tv_set_failed(struct tvars *v)
{
	if (v)
		*v->failed = true;
}

bool tv_failed(const struct tvars *v)
{
	return !v || *v->failed;
}

/* ---- compiling ---------------------------------------------------------- */

static bool is_name(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static size_t line_of(const char *text, const char *at)
{
	size_t line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Matches "word " at the start of s[0..n); returns the rest's offset or 0. */
static size_t keyword(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	return (n > w && memcmp(s, word, w) == 0 && s[w] == ' ') ? w + 1 : 0;
}

void tpl_free(struct tpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->text);
	free(t->nodes);
	free(t);
}

struct tpl *tpl_compile(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct tpl *t = calloc(1, sizeof *t);
	size_t cap = 64, stack[32], depth = 0;
	if (!t)
		goto nomem;
	t->name = strdup(name);
	t->text = malloc(len + 1);
	t->nodes = malloc(cap * sizeof *t->nodes);
	if (!t->name || !t->text || !t->nodes)
		goto nomem;
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	const char *p = t->text, *end = t->text + len;
	while (p < end) {
		if (t->n + 1 >= cap) {
			cap *= 2;
			struct node *grown = realloc(t->nodes, cap * sizeof *grown);
			if (!grown)
				goto nomem;
			t->nodes = grown;
		}
		const char *open = strstr(p, "{{");
		if (!open || open >= end) {
			t->nodes[t->n++] = (struct node){ N_TEXT, p, (size_t)(end - p), 0, N_TEXT };
			break;
		}
		if (open > p)
			t->nodes[t->n++] = (struct node){ N_TEXT, p, (size_t)(open - p), 0, N_TEXT };
		const char *close = strstr(open + 2, "}}");
		if (!close) {
			snprintf(err, errlen, "%s:%zu: '{{' without '}}'", name, line_of(t->text, open));
			goto fail;
		}
		const char *in = open + 2;
		size_t n = (size_t)(close - in), k;
		struct node nd = { N_VAR, in, n, 0, N_VAR };
		if ((k = keyword(in, n, "raw")))
			nd.kind = N_RAW;
		else if ((k = keyword(in, n, "t")))
			nd.kind = N_TRANS;
		else if ((k = keyword(in, n, "#if")))
			nd.kind = N_IF;
		else if ((k = keyword(in, n, "#unless")))
			nd.kind = N_UNLESS;
		else if ((k = keyword(in, n, "#each")))
			nd.kind = N_EACH;
		else if (n == 4 && memcmp(in, "else", 4) == 0)
			nd.kind = N_ELSE;
		else if (n == 3 && (memcmp(in, "/if", 3) == 0)) {
			nd.kind = N_END;
		} else if ((n == 5 && memcmp(in, "/each", 5) == 0) || (n == 7 && memcmp(in, "/unless", 7) == 0))
			nd.kind = N_END;
		nd.s = in + k;
		nd.len = n - k;
		size_t idx = t->n;
		if (nd.kind == N_ELSE || nd.kind == N_END) {
			if (!depth) {
				snprintf(err, errlen, "%s:%zu: '{{%.*s}}' without an opening block", name,
					 line_of(t->text, open), (int)n, in);
				goto fail;
			}
			struct node *opener = &t->nodes[stack[depth - 1]];
			char want = in[1]; /* 'i', 'e' or 'u' for /if, /each, /unless */
			/* An ELSE stands in for its IF/UNLESS on the stack and remembers which. */
			enum node_kind block = opener->kind == N_ELSE ? opener->block : opener->kind;
			bool ok = nd.kind == N_ELSE ? (opener->kind == N_IF || opener->kind == N_UNLESS)
						    : (block == N_IF && want == 'i') ||
							      (block == N_UNLESS && want == 'u') ||
							      (block == N_EACH && want == 'e');
			if (nd.kind == N_ELSE)
				nd.block = opener->kind;
			if (!ok) {
				snprintf(err, errlen, "%s:%zu: '{{%.*s}}' does not match its block", name,
					 line_of(t->text, open), (int)n, in);
				goto fail;
			}
			opener->jump = idx;
			depth--;
			if (nd.kind == N_ELSE)
				stack[depth++] = idx;
		} else if (!is_name(nd.s, nd.len)) {
			snprintf(err, errlen, "%s:%zu: bad tag '{{%.*s}}'", name, line_of(t->text, open), (int)n, in);
			goto fail;
		}
		if (nd.kind == N_IF || nd.kind == N_UNLESS || nd.kind == N_EACH) {
			if (depth == sizeof stack / sizeof stack[0]) {
				snprintf(err, errlen, "%s: blocks nested too deep", name);
				goto fail;
			}
			stack[depth++] = idx;
		}
		t->nodes[t->n++] = nd;
		p = close + 2;
	}
	if (depth) {
		snprintf(err, errlen, "%s: a block is not closed", name);
		goto fail;
	}
	return t;
nomem:
	snprintf(err, errlen, "%s: out of memory", name);
fail:
	tpl_free(t);
	return NULL;
}

/* ---- rendering ----------------------------------------------------------- */

static bool truthy(const struct tvar *t)
{
	return t && ((t->value && *t->value) || t->nitems);
}

static int render_range(const struct tpl *t, size_t from, size_t to, const struct tvars *v,
			const char *lang, struct buf *out)
{
	int rc = VD_OK;
	for (size_t i = from; i < to && rc == VD_OK; i++) {
		const struct node *nd = &t->nodes[i];
		const struct tvar *var;
		switch (nd->kind) {
		case N_TEXT:
			rc = buf_append(out, nd->s, nd->len);
			break;
		case N_VAR:
		case N_RAW:
			var = tv_lookup(v, nd->s, nd->len);
			if (var && var->value)
				rc = nd->kind == N_RAW ? buf_puts(out, var->value)
						       : html_escape(out, var->value, strlen(var->value));
			break;
		case N_TRANS: {
			const char *s = i18n_get_n(lang, nd->s, nd->len);
			rc = html_escape(out, s, strlen(s));
			break;
		}
		case N_IF:
		case N_UNLESS: {
			bool on = truthy(tv_lookup(v, nd->s, nd->len)) == (nd->kind == N_IF);
			size_t mid = nd->jump;
			bool has_else = t->nodes[mid].kind == N_ELSE;
			size_t stop = has_else ? t->nodes[mid].jump : mid;
			if (on)
				rc = render_range(t, i + 1, mid, v, lang, out);
			else if (has_else)
				rc = render_range(t, mid + 1, stop, v, lang, out);
			i = stop;
			break;
		}
		case N_EACH:
			var = tv_lookup(v, nd->s, nd->len);
			for (size_t k = 0; var && k < var->nitems && rc == VD_OK; k++)
				rc = render_range(t, i + 1, nd->jump, var->items[k], lang, out);
			i = nd->jump;
			break;
		case N_ELSE:
		case N_END:
			break;
		}
	}
	return rc;
}

int tpl_render(const struct tpl *t, const struct tvars *v, const char *lang, struct buf *out)
{
	if (!t || tv_failed(v))
		return VD_ERR_NOMEM;
	return render_range(t, 0, t->n, v, lang, out);
}

/* ---- the embedded set ---------------------------------------------------- */

static struct tpl **loaded;
static size_t nloaded;

static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct tpl *const *)a)->name, (*(struct tpl *const *)b)->name);
}

int tpl_load_all(char *err, size_t errlen)
{
	tpl_unload_all();
	loaded = calloc(vd_asset_count ? vd_asset_count : 1, sizeof *loaded);
	if (!loaded)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < vd_asset_count; i++) {
		const struct asset *as = &vd_assets[i];
		size_t nl = strlen(as->name);
		if (strncmp(as->name, "templates/", 10) != 0 || nl < 15 || strcmp(as->name + nl - 5, ".html"))
			continue;
		struct tpl *t = tpl_compile(as->name, (const char *)as->data, as->len, err, errlen);
		if (!t) {
			tpl_unload_all();
			return VD_ERR_INVALID;
		}
		loaded[nloaded++] = t;
	}
	/* sorted by name: every page looks up two templates (bench/README.md) */
	qsort(loaded, nloaded, sizeof *loaded, by_name);
	return VD_OK;
}

void tpl_unload_all(void)
{
	for (size_t i = 0; i < nloaded; i++)
		tpl_free(loaded[i]);
	free(loaded);
	loaded = NULL;
	nloaded = 0;
}

static const struct tpl *find(const char *full)
{
	size_t lo = 0, hi = nloaded;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(loaded[mid]->name, full);
		if (d == 0)
			return loaded[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct tpl *tpl_get(const char *name, const char *lang)
{
	char full[160];
	snprintf(full, sizeof full, "templates/%s.%s.html", name, lang);
	const struct tpl *t = find(full);
	if (t)
		return t;
	snprintf(full, sizeof full, "templates/%s.html", name);
	return find(full);
}
