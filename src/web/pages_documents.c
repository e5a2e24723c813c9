/*
 * pages_documents: the organisation's documents (core/documents.h). Anyone
 * reads the current version and every earlier one; the administrator
 * records a new version with who adopted it and when.
 *
 * The public pages are the same for everyone, so they are cached like the
 * other public pages (server.c); adopting a version changes the content
 * generation, which renders them again.
 */
#include <stdio.h>
#include <string.h>

#include "../core/documents.h"
#include "../core/units.h"
#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "i18n.h"
#include "markup.h"
#include "pages.h"
#include "web.h"

/* The public slug of each kind (a Dutch word: the addresses are Dutch). */
static const char *const public_slugs[DOC_COUNT] = {
	[DOC_CODE_OF_CONDUCT] = "gedragscode",
	[DOC_COMPLAINTS] = "klachtenregeling",
	[DOC_WHISTLEBLOWER] = "klokkenluidersregeling",
	[DOC_INTEGRITY] = "integriteitsbeleid",
};

static int public_kind(const char *slug, enum doc_kind *k)
{
	for (int i = 0; i < DOC_COUNT; i++) {
		if (slug && strcmp(slug, public_slugs[i]) == 0) {
			*k = (enum doc_kind)i;
			return VD_OK;
		}
	}
	return VD_ERR_NOTFOUND;
}

static const char *kind_title(struct req *r, enum doc_kind k)
{
	return i18n_choice(r->lang, "doc", document_kind_name(k));
}

/* The unit's name, "the whole organisation" for 0, "a removed unit" for
 * one no longer there. */
static const char *unit_text(struct req *r, const struct unit_list *units, int64_t id)
{
	if (id == 0)
		return i18n_get(r->lang, "documents.whole");
	const struct unit *u = unit_by_id(units, id);
	return u ? u->name : i18n_get(r->lang, "documents.unit_gone");
}

/* "Version 3, adopted by the party board on 01-02-2026" (or "the default
 * text" for a version nobody adopted: the one installed with the server). */
static void version_vars(struct req *r, struct tvars *v, const struct document *d)
{
	tv_set_int(v, "version_id", d->id);
	tv_set_int(v, "number", d->number);
	tv_set(v, "adopted_on", req_day_text(r, d->adopted_on));
	/* nobody adopted the built-in text; a text saved before versions were
	 * kept has no adopter recorded */
	bool unknown = d->adopted_by[0] == '\0' && d->recorded_by != 0;
	tv_set(v, "adopted_by", unknown ? i18n_get(r->lang, "documents.adopter_unknown") : d->adopted_by);
	tv_set_bool(v, "is_default", d->adopted_by[0] == '\0' && d->recorded_by == 0);
	tv_set_bool(v, "current", d->current);
	tv_set(v, "recorded_at", req_time_text(r, d->recorded_at));
}

/* The history of one unit's document: every version, newest first. */
static void history_vars(struct req *r, struct tvars *v, const struct document_list *all, int64_t unit_id,
			 int64_t shown_id)
{
	for (size_t i = 0; i < all->n; i++) {
		if (all->items[i].unit_id != unit_id)
			continue;
		struct tvars *h = tv_add(v, "history");
		version_vars(r, h, &all->items[i]);
		tv_set_bool(h, "shown", all->items[i].id == shown_id);
	}
}

/* Renders a version's markup as the page's content; false on failure (the
 * page has then answered). */
static bool content_vars(struct req *r, struct tvars *v, const struct document *d)
{
	struct buf html;
	buf_init(&html, 4 * 1024 * 1024);
	int rc = markup_render(d->body, strlen(d->body), &html);
	if (rc == VD_OK)
		tv_set(v, "content", arena_strdup(&r->arena, html.data ? html.data : ""));
	tv_set_bool(v, "empty", rc == VD_OK && html.len == 0);
	buf_release(&html);
	if (rc)
		req_error(r, 500);
	return rc == VD_OK;
}

static void document_page(struct req *r, enum doc_kind k, int64_t version_id)
{
	struct document d;
	struct document_list all;
	struct unit_list units;
	int rc = version_id ? document_version(r->vd, &r->arena, version_id, r->lang, &d)
			    : document_current(r->vd, &r->arena, k, 0, r->lang, &d);
	if (rc == VD_OK && d.kind != k)
		rc = VD_ERR_NOTFOUND; /* a version of another document under this one's address */
	struct tvars *v = page_vars(r);
	if (rc == VD_ERR_NOTFOUND && !version_id) {
		tv_set_bool(v, "empty", true); /* never adopted: say so */
		page_render_title(r, "document", v, kind_title(r, k));
		r->no_store = false;
		r->cacheable = true;
		return;
	}
	if (rc == VD_ERR_NOTFOUND || rc == VD_ERR_INVALID) {
		req_error(r, 404);
		return;
	}
	if (rc == VD_OK)
		rc = document_history(r->vd, &r->arena, k, &all);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc) {
		req_error(r, 500);
		return;
	}
	if (!content_vars(r, v, &d))
		return;
	version_vars(r, v, &d);
	tv_set_bool(v, "has_version", true);
	tv_set_bool(v, "untranslated", !d.translated);
	tv_set(v, "slug", public_slugs[k]);
	tv_set(v, "unit", unit_text(r, &units, d.unit_id));
	tv_set_bool(v, "own_unit", d.unit_id != 0);
	tv_set_bool(v, "old", version_id && !d.current);
	history_vars(r, v, &all, d.unit_id, d.id);
	for (size_t i = 0; i < all.n; i++)
		if (all.items[i].unit_id == d.unit_id && all.items[i].current)
			tv_set_int(v, "current_id", all.items[i].id);
	/* the units with a document of their own: their current versions */
	for (size_t i = 0; d.unit_id == 0 && i < all.n; i++) {
		if (all.items[i].unit_id == 0 || !all.items[i].current)
			continue;
		struct tvars *o = tv_add(v, "own");
		tv_set_int(o, "version_id", all.items[i].id);
		tv_set(o, "unit", unit_text(r, &units, all.items[i].unit_id));
		tv_set_int(o, "number", all.items[i].number);
	}
	const char *title = kind_title(r, k);
	if (version_id)
		title = arena_printf(&r->arena, "%s (%s %lld)", title, i18n_get(r->lang, "documents.version_word"),
				     (long long)d.number);
	page_render_title(r, "document", v, title);
	r->no_store = false;
	r->cacheable = true;
}

void h_document(struct req *r)
{
	enum doc_kind k;
	if (public_kind(r->slug, &k)) {
		req_error(r, 404);
		return;
	}
	document_page(r, k, 0);
}

void h_document_version(struct req *r)
{
	enum doc_kind k;
	if (public_kind(r->slug, &k)) {
		req_error(r, 404);
		return;
	}
	document_page(r, k, r->id);
}

/* ---- the administrator's pages --------------------------------------------- */

void h_documents(struct req *r)
{
	struct tvars *v = page_vars(r);
	for (int k = 0; k < DOC_COUNT; k++) {
		struct document d;
		struct tvars *o = tv_add(v, "documents");
		tv_set(o, "title", kind_title(r, (enum doc_kind)k));
		tv_set(o, "slug", document_kind_name((enum doc_kind)k));
		if (document_current(r->vd, &r->arena, (enum doc_kind)k, 0, r->lang, &d) == VD_OK) {
			tv_set_bool(o, "has_version", true);
			version_vars(r, o, &d);
		}
	}
	page_render(r, "admin_documents", v, "documents.title");
}

static int admin_kind(const char *slug, enum doc_kind *k)
{
	return document_kind_parse(slug, k) == VD_OK ? VD_OK : VD_ERR_NOTFOUND;
}

/* Each field the form can refuse: its name and what to say. */
static const struct {
	const char *field, *key;
} adopt_errors[] = {
	[DF_UNIT] = { "unit", "documents.error.unit" },
	[DF_BODY_NL] = { "body_nl", "documents.error.body_nl" },
	[DF_BODY_EN] = { "body_en", "documents.error.body_en" },
	[DF_ADOPTER] = { "adopted_by", "documents.error.adopted_by" },
	[DF_DAY] = { "adopted_on", "documents.error.adopted_on" },
};

/* The kind's page: its history for every unit and the form for a new
 * version. After a refused form, what was sent comes back with the error;
 * otherwise the form starts from the current text of the unit asked for
 * (?eenheid=), so a change is an edit of what is in force. */
static void document_admin_page(struct req *r, enum doc_kind k, unsigned errs, bool too_big)
{
	struct document_list all;
	struct unit_list units, tree;
	int *depth;
	int rc = document_history(r->vd, &r->arena, k, &all);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc == VD_OK)
		rc = unit_tree(&r->arena, &units, &tree, &depth);
	if (rc) {
		req_error(r, 500);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set(v, "doc_title", kind_title(r, k));
	tv_set(v, "slug", document_kind_name(k));
	tv_set(v, "public_slug", public_slugs[k]);
	tv_set_int(v, "max_kb", DOCUMENT_MAX_BYTES / 1024);
	for (size_t i = 0; i < all.n; i++) {
		struct tvars *h = tv_add(v, "history");
		version_vars(r, h, &all.items[i]);
		tv_set(h, "unit", unit_text(r, &units, all.items[i].unit_id));
	}
	int64_t unit = 0;
	if (r->method == M_POST) {
		tv_set(v, "f_adopted_by", form_str(r, "adopted_by"));
		tv_set(v, "f_adopted_on", form_str(r, "adopted_on"));
		tv_set(v, "f_body_nl", form_text(r, "body_nl"));
		tv_set(v, "f_body_en", form_text(r, "body_en"));
		unit = form_record_id(r, "unit");
		for (size_t f = 1; f < sizeof adopt_errors / sizeof adopt_errors[0]; f++) {
			if (!(errs & (1u << f)))
				continue;
			bool size = too_big && (f == DF_BODY_NL || f == DF_BODY_EN);
			const char *text = i18n_get(r->lang, size ? "documents.too_big" : adopt_errors[f].key);
			struct tvars *e = tv_add(v, "errors");
			tv_set(e, "message", text);
			tv_set(e, "target", adopt_errors[f].field);
			tv_set(v, arena_printf(&r->arena, "err_%s", adopt_errors[f].field), text);
			tv_set_bool(v, "has_errors", true);
		}
	} else {
		const char *q = kv_get(&r->query, "eenheid");
		if (q && (text_parse_i64(q, 1, INT64_MAX, &unit) || !unit_by_id(&units, unit)))
			unit = 0;
		struct document nl, en;
		if (document_current(r->vd, &r->arena, k, unit, "nl", &nl) == VD_OK &&
		    document_current(r->vd, &r->arena, k, unit, "en", &en) == VD_OK) {
			tv_set(v, "f_body_nl", nl.body);
			tv_set(v, "f_body_en", en.translated ? en.body : "");
		}
		tv_set(v, "f_adopted_on", req_day_value(r, date_of(clock_now())));
	}
	tv_set_bool(v, "whole_selected", unit == 0);
	for (size_t i = 0; i < tree.n; i++) {
		struct tvars *o = tv_add(v, "units");
		tv_set_int(o, "id", tree.items[i].id);
		tv_setf(o, "label", "%.*s%s", depth[i] * 4, "– – – – – – ", tree.items[i].name);
		tv_set_bool(o, "selected", tree.items[i].id == unit);
	}
	if (kv_get(&r->query, "klaar"))
		tv_set_bool(v, "saved", true);
	page_render_title(r, "admin_document", v, kind_title(r, k));
}

void h_document_form(struct req *r)
{
	enum doc_kind k;
	if (admin_kind(r->slug, &k)) {
		req_error(r, 404);
		return;
	}
	document_admin_page(r, k, 0, false);
}

void h_document_save(struct req *r)
{
	enum doc_kind k;
	if (admin_kind(r->slug, &k)) {
		req_error(r, 404);
		return;
	}
	struct document_adoption in = {
		.kind = k,
		.body_nl = form_text(r, "body_nl"),
		.body_en = form_text(r, "body_en"),
		.adopted_by = form_str(r, "adopted_by"),
	};
	unsigned errs = 0;
	const char *unit = form_str(r, "unit");
	if (strcmp(unit, "0") != 0 && !(in.unit_id = form_record_id(r, "unit")))
		errs |= 1u << DF_UNIT;
	if (!date_parse(form_str(r, "adopted_on"), &in.adopted_on))
		errs |= 1u << DF_DAY;
	int rc = VD_ERR_INVALID;
	enum document_field bad = DF_NONE;
	int64_t id = 0;
	if (!errs)
		rc = document_adopt(r->vd, r->who, &in, &id, &bad);
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc == VD_ERR_INVALID || rc == VD_ERR_TOOBIG) {
		r->status = 400;
		document_admin_page(r, k, errs | (bad ? 1u << bad : 0), rc == VD_ERR_TOOBIG);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "document-adopted", LF_USER, (long long)r->user->id, LF_WHAT, document_kind_name(k),
		  LF_END);
	req_redirect(r, arena_printf(&r->arena, "/beheer/documenten/%s?klaar=1", document_kind_name(k)));
}
