/*
 * pages_twofactor: the second factor of staff logins (issue 12).
 *
 * /login/code asks for the code after a right password (the session can
 * reach nothing else until then: router.c). /tweestaps sets it up: a QR
 * code drawn by the server (qr.c) and the secret as text for typing, a
 * code from the app to confirm, then the backup codes, shown once; it also
 * says whether it is on, and turns it off for roles that need not have it.
 */
#include <stdio.h>
#include <string.h>

#include "../core/sessions.h"
#include "../core/twofactor.h"
#include "../util/log.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "qr.h"
#include "web.h"

/* ---- the second step of a login -------------------------------------------- */

static void code_page(struct req *r, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "login_code", v, "login_code.title");
}

void h_factor_form(struct req *r)
{
	if (!session_second_factor_due(r->who)) {
		req_redirect(r, "/start");
		return;
	}
	code_page(r, NULL);
}

void h_factor(struct req *r)
{
	if (!session_second_factor_due(r->who)) {
		req_redirect(r, "/start");
		return;
	}
	const char *code = form_str(r, "code");
	if (!*code) {
		r->status = 400;
		code_page(r, "login_code.missing");
		return;
	}
	int64_t retry = 0, left = -1;
	char token[SESSION_TOKEN_CHARS + 1];
	int rc = twofactor_answer(r->vd, r->who, code, token, &retry, &left);
	if (rc == VD_OK) {
		/* the whole login's session, in place of the half-way one */
		req_cookie(r, req_cookie_name(r, "vd_session"), arena_strdup(&r->arena, token), -1);
		wipe(token, sizeof token);
	}
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, retry);
		code_page(r, "login_code.throttled");
		return;
	}
	if (rc == VD_ERR_AUTH) {
		r->status = 400;
		code_page(r, "login_code.wrong");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "second-factor", LF_USER, (long long)r->user->id, LF_END);
	/* a backup code used: the setup page says how many are left */
	if (left >= 0)
		req_redirect(r, arena_printf(&r->arena, "/tweestaps?over=%lld", (long long)left));
	else
		req_redirect(r, r->user->must_change_password ? "/wachtwoord" : "/start");
}

/* ---- setting it up ------------------------------------------------------------ */

/* The secret in groups of four, for typing it into an app. */
static const char *grouped(struct req *r, const char *s)
{
	char out[64];
	size_t n = 0;
	for (size_t i = 0; s[i] && n + 2 < sizeof out; i++) {
		if (i && i % 4 == 0)
			out[n++] = ' ';
		out[n++] = s[i];
	}
	out[n] = '\0';
	const char *copy = arena_strdup(&r->arena, out);
	wipe(out, sizeof out);
	return copy;
}

/* The setup page with the QR code of the secret being set up (fresh: a new
 * one); error_key: why the last code was refused. */
static void setup_page(struct req *r, bool fresh, const char *error_key)
{
	char secret[TWOFACTOR_SECRET_TEXT + 1], uri[TWOFACTOR_URI_MAX];
	int rc = twofactor_setup_begin(r->vd, r->who, fresh, secret, uri);
	if (rc == VD_ERR_EXISTS) {
		req_redirect(r, "/tweestaps");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	const char *svg = qr_svg(&r->arena, uri, i18n_get(r->lang, "twofactor.qr_alt"));
	tv_set(v, "qr", svg ? svg : "");
	tv_set(v, "secret", grouped(r, secret));
	wipe(secret, sizeof secret);
	wipe(uri, sizeof uri);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "twofactor_setup", v, "twofactor.setup_title");
}

/* Whether it is on, and the form to set it up or turn it off. */
static void status_page(struct req *r, const char *error_key)
{
	struct twofactor_status st;
	int rc = twofactor_status(r->vd, r->who, &st);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_bool(v, "on", st.on);
	tv_set_bool(v, "required", st.required);
	tv_set_int(v, "backup_left", st.backup_left);
	tv_set_bool(v, "few_left", st.on && st.backup_left < 3);
	tv_set_bool(v, "used_backup", kv_get(&r->query, "over") != NULL);
	tv_set_bool(v, "turned_off", kv_get(&r->query, "uit") != NULL);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "twofactor", v, "twofactor.title");
}

void h_twofactor(struct req *r)
{
	status_page(r, NULL);
}

void h_twofactor_begin(struct req *r)
{
	setup_page(r, true, NULL);
}

void h_twofactor_finish(struct req *r)
{
	const char *code = form_str(r, "code");
	char codes[TWOFACTOR_BACKUP_CODES][TWOFACTOR_BACKUP_LEN + 1];
	int64_t retry = 0;
	int rc = *code ? twofactor_setup_finish(r->vd, r->who, code, codes, &retry) : VD_ERR_AUTH;
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, retry);
		setup_page(r, false, "login_code.throttled");
		return;
	}
	if (rc == VD_ERR_AUTH) {
		r->status = 400;
		setup_page(r, false, *code ? "twofactor.wrong" : "login_code.missing");
		return;
	}
	if (rc == VD_ERR_NOTFOUND || rc == VD_ERR_EXISTS) {
		req_redirect(r, "/tweestaps");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (int i = 0; i < TWOFACTOR_BACKUP_CODES; i++)
		tv_set(tv_add(v, "codes"), "code", arena_strdup(&r->arena, codes[i]));
	wipe(codes, sizeof codes);
	log_event(LOG_INFO, "second-factor-on", LF_USER, (long long)r->user->id, LF_END);
	page_render(r, "twofactor_codes", v, "twofactor.codes_title");
}

void h_twofactor_off(struct req *r)
{
	int64_t retry = 0;
	const char *code = form_str(r, "code");
	int rc = *code ? twofactor_disable(r->vd, r->who, code, &retry) : VD_ERR_AUTH;
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, retry);
		status_page(r, "login_code.throttled");
	} else if (rc == VD_ERR_AUTH) {
		r->status = 400;
		status_page(r, "twofactor.wrong");
	} else if (rc) {
		req_fail(r, rc);
	} else {
		req_redirect(r, "/tweestaps?uit=1");
	}
}
