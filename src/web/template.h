/*
 * template: HTML templates, escaped by default.
 *
 *   {{name}}            the variable, HTML-escaped
 *   {{raw name}}        the variable as is: only for HTML we made ourselves
 *                       (a rendered fragment, markup output); must be asked for by name
 *   {{t key}}           the translation of key in the page's language, escaped
 *   {{#if name}}..{{else}}..{{/if}}      name is set and not empty
 *   {{#unless name}}..{{/unless}}
 *   {{#each name}}..{{/each}}            once per item of a list
 *
 * Templates are compiled once at start-up from the embedded assets; a syntax
 * error stops the server from starting (and fails a unit test), never a page.
 * Variables are looked up in the innermost scope first, then outwards.
 */
#ifndef VD_TEMPLATE_H
#define VD_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/buf.h"

struct tpl;
struct tvars;

/* Compiles text; on error returns NULL and writes a reason with the line. */
struct tpl *tpl_compile(const char *name, const char *text, size_t len, char *err, size_t errlen);
void tpl_free(struct tpl *t);

/* Compiles every embedded templates/ asset. 0, or VD_ERR_INVALID with err set. */
int tpl_load_all(char *err, size_t errlen);
void tpl_unload_all(void);
/* The template "templates/<name>.<lang>.html", else "templates/<name>.html". */
const struct tpl *tpl_get(const char *name, const char *lang);

/* Renders into out. lang selects translations. */
int tpl_render(const struct tpl *t, const struct tvars *v, const char *lang, struct buf *out);

/* ---- variables (all memory in the arena) ---- */
struct tvars *tv_new(struct arena *a, const struct tvars *parent);
/* The value pointer is kept, not copied: it must live as long as the arena. */
void tv_set(struct tvars *v, const char *name, const char *value);
void tv_setf(struct tvars *v, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tv_set_int(struct tvars *v, const char *name, long long n);
void tv_set_bool(struct tvars *v, const char *name, bool on);
/* Appends an item to list name and returns its scope (whose parent is v). */
struct tvars *tv_add(struct tvars *v, const char *name);
/* Marks v as failed: rendering it then fails (and the page becomes a 500). */
void tv_set_failed(struct tvars *v);
/* True if an allocation failed at any point: render then fails too. */
bool tv_failed(const struct tvars *v);

#endif
