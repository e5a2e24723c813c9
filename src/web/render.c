/*
 * render: building answers — headers, cookies, redirects, error pages, and
 * pages wrapped in the shared layout.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "i18n.h"
#include "web.h"

void req_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders < REQ_MAX_HEADERS) {
		r->headers[r->nheaders++] = (struct header){ name, value };
		return;
	}
	/* A lost header (say, a cookie that ends a session) must not go unnoticed. */
	log_event(LOG_ERROR, "too-many-headers", LF_WHAT, name, LF_END);
	r->status = 500;
}

const char *req_cookie_name(const struct req *r, const char *base)
{
	/* Behind TLS the "__Host-" prefix makes browsers refuse these cookies from
	 * a sibling subdomain or without Secure, so nobody else can plant them. */
	static const char *const names[][2] = {
		{ "vd_session", "__Host-vd_session" },
		{ "vd_pre", "__Host-vd_pre" },
		{ "vd_device", "__Host-vd_device" },
	};
	if (!req_config(r)->secure_cookies)
		return base;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(base, names[i][0]) == 0)
			return names[i][1];
	return base;
}

void req_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	char *c = arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", name, value,
			       req_config(r)->secure_cookies ? "; Secure" : "");
	if (c && max_age >= 0)
		c = arena_printf(&r->arena, "%s; Max-Age=%ld", c, max_age);
	if (c)
		req_header(r, "Set-Cookie", c);
}

void req_redirect(struct req *r, const char *path)
{
	r->status = 303;
	buf_reset(&r->out);
	req_header(r, "Location", path);
}

void tv_refused_form(struct req *r, struct tvars *v, const char *form, unsigned errs, const char *const *keys,
		     size_t nkeys)
{
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.items[i].name, "csrf") == 0)
			continue;
		char name[FORM_MAX_NAME + 48];
		snprintf(name, sizeof name, "k_%s_%s", form, r->form.items[i].name);
		tv_set(v, arena_strdup(&r->arena, name), r->form.items[i].value);
	}
	for (size_t b = 0; b < nkeys; b++) {
		const char *field = keys[b] ? strrchr(keys[b], '.') : NULL;
		if (!(errs & (1u << b)) || !field)
			continue;
		char name[64];
		snprintf(name, sizeof name, "e_%s_%s", form, field + 1);
		tv_set(v, arena_strdup(&r->arena, name), i18n_get(r->lang, keys[b]));
	}
}

void tv_choices(struct req *r, struct tvars *v, const char *list_name, const char *prefix,
		const char *const *values, const char *selected)
{
	for (size_t i = 0; values[i]; i++) {
		struct tvars *o = tv_add(v, list_name);
		tv_set(o, "value", values[i]);
		tv_set(o, "label", i18n_choice(r->lang, prefix, values[i]));
		tv_set_bool(o, "selected", selected && strcmp(selected, values[i]) == 0);
	}
}

const char *req_time_text(struct req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	localtime_r(&tt, &tm);
	strftime(s, sizeof s, "%d-%m-%Y %H:%M", &tm);
	return arena_strdup(&r->arena, s);
}

const char *req_day_value(struct req *r, int64_t day)
{
	char ymd[DATE_LEN + 1];
	date_format(day, ymd);
	return arena_strdup(&r->arena, ymd);
}

const char *req_day_text(struct req *r, int64_t day)
{
	char ymd[DATE_LEN + 1];
	date_format(day, ymd);
	if (!*ymd)
		return "";
	return arena_printf(&r->arena, "%.2s-%.2s-%.4s", ymd + 8, ymd + 5, ymd);
}

bool form_bits(struct req *r, const char *name, const char *const *names, int count, int64_t *set)
{
	bool ok = true;
	*set = 0;
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.items[i].name, name) != 0)
			continue;
		int found = -1;
		for (int b = 0; b < count; b++)
			if (strcmp(r->form.items[i].value, names[b]) == 0)
				found = b;
		if (found < 0)
			ok = false;
		else
			*set |= (int64_t)1 << found;
	}
	return ok;
}

const char *form_text(const struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	return v ? v : "";
}

const char *form_str(struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	if (!v)
		return "";
	char *copy = arena_strdup(&r->arena, v);
	return copy ? text_trim(copy) : "";
}

int64_t form_record_id(struct req *r, const char *name)
{
	int64_t id = 0;
	return text_parse_i64(form_str(r, name), 1, INT64_MAX, &id) == VD_OK ? id : 0;
}

const struct config *req_config(const struct req *r)
{
	return app_config(r->vd);
}

struct tvars *page_vars(struct req *r)
{
	struct tvars *v = tv_new(&r->arena, NULL);
	if (!v)
		return NULL;
	tv_set(v, "lang", r->lang);
	tv_set(v, "org", req_config(r)->org_name);
	tv_set(v, "css", static_css_path());
	/* Where the language switch returns to: this page, with the directory's
	 * unit filter (the only query a page keeps). */
	const char *unit = kv_get(&r->query, "eenheid");
	if (unit && *unit && strspn(unit, "0123456789") == strlen(unit) && strlen(unit) < 20)
		tv_set(v, "path", arena_printf(&r->arena, "%s%%3Feenheid%%3D%s", r->path, unit));
	else
		tv_set(v, "path", r->path);
	tv_set_bool(v, "is_en", strcmp(r->lang, "en") == 0);
	if (r->user) {
		tv_set(v, "user_name", r->user->name);
		tv_set_bool(v, "logged_in", true);
		tv_set_bool(v, "is_admin", r->user->role == ROLE_ADMIN);
		tv_set_bool(v, "is_counsellor", r->user->role == ROLE_COUNSELLOR);
		tv_set_bool(v, "is_committee", r->user->role == ROLE_COMMITTEE);
		tv_set_bool(v, "is_integrity", r->user->role == ROLE_INTEGRITY);
		tv_set_bool(v, "is_reader", r->user->role == ROLE_READER);
		tv_set_bool(v, "is_candidate_committee", r->user->role == ROLE_CANDIDATE_COMMITTEE);
		tv_set_bool(v, "is_candidate", r->user->role == ROLE_CANDIDATE);
	}
	/* Only pages with forms need a token; public cached pages have none. */
	if (!(r->route && (r->route->flags & R_CACHE)))
		tv_set(v, "csrf", csrf_token(r));
	return v;
}

static void render_error_page(struct req *r, int status, const char *key);

void page_render_title(struct req *r, const char *name, struct tvars *v, const char *title)
{
	struct buf body;
	buf_init(&body, r->out.max);
	body.secret = true; /* may be a case page */
	const struct tpl *t = tpl_get(name, r->lang);
	const struct tpl *layout = tpl_get("layout", r->lang);
	int rc = (!t || !layout || !v) ? VD_ERR_NOTFOUND : tpl_render(t, v, r->lang, &body);
	if (rc == VD_OK) {
		tv_set(v, "title", title);
		tv_set(v, "body", body.data ? body.data : "");
		buf_reset(&r->out);
		rc = tpl_render(layout, v, r->lang, &r->out);
		tv_set(v, "body", NULL); /* body is freed below */
	}
	buf_release_wipe(&body);
	if (rc) {
		log_event(LOG_ERROR, "render", LF_WHAT, name, LF_ERROR, rc, LF_END);
		render_error_page(r, 500, NULL);
	}
}

const char *render_fragment(struct req *r, const char *name, struct tvars *v)
{
	/* A fragment may hold a whole conversation: the page's own cap, and
	 * wiped, since it is case content in the clear. */
	struct buf b;
	buf_init(&b, r->out.max);
	b.secret = true;
	const struct tpl *t = tpl_get(name, r->lang);
	int rc = t ? tpl_render(t, v, r->lang, &b) : VD_ERR_NOTFOUND;
	const char *s = rc == VD_OK ? arena_strdup(&r->arena, b.data ? b.data : "") : NULL;
	buf_release_wipe(&b);
	if (!s)
		log_event(LOG_ERROR, "render", LF_WHAT, name, LF_ERROR, rc ? rc : VD_ERR_NOMEM, LF_END);
	return s;
}

void page_render(struct req *r, const char *name, struct tvars *v, const char *title_key)
{
	page_render_title(r, name, v, i18n_get(r->lang, title_key));
}

/* A minimal page that cannot fail to render: the last resort. */
static void fallback(struct req *r, int status)
{
	buf_reset(&r->out);
	buf_printf(&r->out, "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>%d</title>"
			    "<p>Er ging iets mis (%d). Probeer het later opnieuw.</p></html>",
		   status, status);
}

static void render_error_page(struct req *r, int status, const char *key)
{
	r->status = status;
	r->cacheable = false;
	char title_key[32], text_key[32];
	/* An explained error may have its own title ("error.csrf" -> "error.csrf.title"). */
	snprintf(title_key, sizeof title_key, "%s.title", key ? key : "");
	if (!key || !i18n_has("nl", title_key))
		snprintf(title_key, sizeof title_key, "error.%d.title", status);
	snprintf(text_key, sizeof text_key, "error.%d.text", status);
	struct tvars *v = tv_new(&r->arena, NULL);
	const struct tpl *t = tpl_get("error", r->lang), *layout = tpl_get("layout", r->lang);
	if (!v || !t || !layout) {
		fallback(r, status);
		return;
	}
	tv_set(v, "lang", r->lang);
	tv_set(v, "org", req_config(r)->org_name);
	tv_set(v, "css", static_css_path());
	tv_set(v, "path", "/");
	tv_set_bool(v, "is_en", strcmp(r->lang, "en") == 0);
	tv_set(v, "message", i18n_get(r->lang, key ? key : text_key));
	tv_set_int(v, "status", status);
	struct buf body;
	buf_init(&body, 64 * 1024);
	int rc = tpl_render(t, v, r->lang, &body);
	if (rc == VD_OK) {
		tv_set(v, "title", i18n_get(r->lang, title_key));
		tv_set(v, "body", body.data ? body.data : "");
		buf_reset(&r->out);
		rc = tpl_render(layout, v, r->lang, &r->out);
		tv_set(v, "body", NULL); /* body is freed below */
	}
	buf_release_wipe(&body); /* it may hold a case, a code, a secret */
	if (rc)
		fallback(r, status);
}

void req_error_key(struct req *r, int status, const char *key)
{
	r->no_store = true;
	render_error_page(r, status, key);
}

void req_throttled(struct req *r, int64_t retry_after)
{
	r->status = 429;
	char *s = arena_printf(&r->arena, "%lld", (long long)retry_after);
	if (s)
		req_header(r, "Retry-After", s);
}

void req_load_session(struct req *r)
{
	r->session_checked = true;
	const char *token = kv_get(&r->cookies, req_cookie_name(r, "vd_session"));
	const struct principal *who;
	if (token && session_check(r->vd, &r->arena, token, &who) == VD_OK) {
		r->who = who;
		r->user = principal_account(who);
		r->session_token = token;
	}
}

void req_unavailable(struct req *r, const char *retry_after)
{
	req_header(r, "Retry-After", retry_after);
	req_error(r, 503);
}

void req_fail(struct req *r, int rc)
{
	if (rc == VD_ERR_BUSY) {
		req_unavailable(r, "2");
		return;
	}
	req_error(r, rc == VD_ERR_DENIED ? 403 : rc == VD_ERR_NOTFOUND ? 404 : 500);
}

void req_error(struct req *r, int status)
{
	req_error_key(r, status, NULL);
}
