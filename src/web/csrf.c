/*
 * csrf: the token every form carries (DESIGN.md §4).
 *
 * A form's token is a keyed hash of the cookie it belongs with: the session
 * cookie once logged in, before that a random pre-session cookie set with
 * the first form. A POST whose token does not match its cookie is refused
 * (router.c) before its handler runs. An attacker's page can make the
 * browser send the cookie, but cannot read it or our page, so cannot know
 * the token. The hash itself is the core's (app_csrf_token), keyed with the
 * data directory's secret.
 */
#include <string.h>

#include "web.h"

#define CSRF_FIELD "csrf"

/* The cookie value the token is bound to, or NULL. */
static const char *bound_cookie(const struct req *r)
{
	return r->session_token ? r->session_token : r->pre_token;
}

const char *csrf_token(struct req *r)
{
	const char *bound = bound_cookie(r);
	if (!bound) {
		char *t = arena_alloc(&r->arena, APP_TOKEN_CHARS + 1);
		if (!t)
			return "";
		app_token_random(t);
		req_cookie(r, req_cookie_name(r, "vd_pre"), t, -1);
		r->pre_token = bound = t;
	}
	char *tok = arena_alloc(&r->arena, APP_TOKEN_CHARS + 1);
	if (!tok)
		return "";
	app_csrf_token(r->vd, bound, tok);
	return tok;
}

bool csrf_valid(struct req *r)
{
	return app_csrf_valid(r->vd, bound_cookie(r), kv_get(&r->form, CSRF_FIELD));
}
