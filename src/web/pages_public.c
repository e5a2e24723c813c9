/*
 * pages_public: what anyone can read without logging in — home, the
 * counsellor directory and profiles, confidentiality — plus the language
 * switch and the stylesheet. The documents are in pages_documents.c.
 *
 * These pages show the same to everyone (no session is read), so the server
 * renders each once per language and serves it from memory until the
 * administrator changes what they show (server.c, the page cache).
 */
#include <stdio.h>
#include <string.h>

#include "../core/profiles.h"
#include "../core/units.h"
#include "../util/assets.h"
#include "../util/text.h"
#include "web.h"

/* ---- static files ---------------------------------------------------------- */

static char css_path[64] = "/static/style.css";
static const struct asset *css_asset;

int static_init(void)
{
	css_asset = asset_find("static/style.css");
	if (!css_asset)
		return VD_ERR_NOTFOUND;
	/* A content hash in the name lets browsers cache it for a year. */
	snprintf(css_path, sizeof css_path, "/static/style-%s.css", css_asset->digest);
	return VD_OK;
}

const char *static_css_path(void)
{
	return css_path;
}

void h_static(struct req *r)
{
	if (!css_asset || strcmp(r->path, css_path) != 0) {
		req_error(r, 404);
		return;
	}
	r->content_type = "text/css; charset=utf-8";
	r->no_store = false;
	req_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	buf_append(&r->out, css_asset->data, css_asset->len);
}

/* ---- language switch -------------------------------------------------------- */

/* Only a local path made of plain characters may be returned to. */
static bool safe_return_path(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 200)
		return false;
	for (const char *c = p; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      strchr("/-_.?=&", *c)))
			return false;
	return true;
}

void h_lang(struct req *r)
{
	if (strcmp(r->slug, "nl") != 0 && strcmp(r->slug, "en") != 0) {
		req_error(r, 404);
		return;
	}
	req_cookie(r, "vd_lang", r->slug, 365L * 86400);
	const char *back = kv_get(&r->query, "terug");
	req_redirect(r, safe_return_path(back) ? back : "/");
}

/* ---- content pages -------------------------------------------------------- */

static void content_page(struct req *r, const char *tpl, const char *title_key)
{
	struct tvars *v = page_vars(r);
	page_render(r, tpl, v, title_key);
	r->no_store = false;
	r->cacheable = true;
}

void h_home(struct req *r)
{
	content_page(r, "pages/home", "home.title");
}

/* A term as the page says it: "5 jaar", "1 year", "5 years". */
static void term(struct req *r, struct tvars *v, const char *name, int64_t years)
{
	if (strcmp(r->lang, "nl") == 0)
		tv_setf(v, name, "%lld jaar", (long long)years);
	else
		tv_setf(v, name, "%lld year%s", (long long)years, years == 1 ? "" : "s");
}

/* The retention terms come from the config, so the page says what the
 * server does (retention.h), not what some default once was. */
void h_confidentiality(struct req *r)
{
	struct tvars *v = page_vars(r);
	const struct config *c = app_config(r->vd);
	term(r, v, "case_term", c->retention_case_years);
	term(r, v, "exception_term", c->retention_exception_years);
	term(r, v, "complaint_term", c->retention_complaint_years);
	term(r, v, "wb_term", c->retention_wb_years);
	page_render(r, "pages/confidentiality", v, "confidentiality.title");
	r->no_store = false;
	r->cacheable = true;
}

/* ---- counsellors ---------------------------------------------------------- */

/* Names of the units a counsellor is attached to, for display. */
static void set_units(struct tvars *item, const struct unit_list *units, const struct id_list *ids)
{
	for (size_t j = 0; j < ids->n; j++) {
		const struct unit *u = unit_by_id(units, ids->ids[j]);
		if (u)
			tv_set(tv_add(item, "units"), "name", u->name);
	}
}

static void set_counsellor(struct tvars *item, const struct counsellor *c, const struct unit_list *units)
{
	tv_set_int(item, "id", c->user_id);
	tv_set(item, "name", c->name);
	tv_set_bool(item, "external", c->profile.external);
	tv_set(item, "region", c->profile.region);
	tv_set(item, "phone", c->profile.phone);
	tv_set(item, "email", c->profile.public_email);
	tv_set(item, "languages", c->profile.languages);
	tv_set(item, "intro", c->profile.intro);
	set_units(item, units, &c->units);
}

void h_directory(struct req *r)
{
	struct unit_list units, tree;
	int *depth;
	int64_t unit_id = 0;
	const char *q = kv_get(&r->query, "eenheid");
	if (unit_list(r->vd, &r->arena, &units) || unit_tree(&r->arena, &units, &tree, &depth)) {
		req_error(r, 500);
		return;
	}
	if (q && *q && (text_parse_i64(q, 1, INT64_MAX, &unit_id) || !unit_by_id(&units, unit_id))) {
		req_error(r, 404);
		return;
	}
	struct counsellor_list list;
	if (directory_list(r->vd, &r->arena, unit_id, &list)) {
		req_error(r, 500);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < tree.n; i++) {
		struct tvars *u = tv_add(v, "unit_options");
		tv_set_int(u, "id", tree.items[i].id);
		/* Depth shown with dashes: browsers drop leading spaces in options. */
		tv_setf(u, "label", "%.*s%s", depth[i] * 4, "– – – – – – ",
			tree.items[i].name);
		tv_set_bool(u, "selected", tree.items[i].id == unit_id);
	}
	if (unit_id)
		tv_set(v, "unit_name", unit_by_id(&units, unit_id)->name);
	for (size_t i = 0; i < list.n; i++)
		set_counsellor(tv_add(v, "counsellors"), &list.items[i], &units);
	tv_set_bool(v, "none", list.n == 0);
	page_render(r, "directory", v, "directory.title");
	r->no_store = false;
	r->cacheable = true;
}

void h_counsellor(struct req *r)
{
	struct counsellor c;
	struct unit_list units;
	int rc = directory_get(r->vd, &r->arena, r->id, &c);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc) {
		req_error(r, rc == VD_ERR_NOTFOUND ? 404 : 500);
		return;
	}
	struct tvars *v = page_vars(r);
	set_counsellor(v, &c, &units);
	page_render_title(r, "counsellor", v, c.name);
	r->no_store = false;
	r->cacheable = true;
}
