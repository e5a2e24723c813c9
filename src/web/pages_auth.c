/*
 * pages_auth: staff log in and out, the start page per role, changing one's
 * own password, and a counsellor's own public profile.
 */
#include <string.h>

#include "../core/accounts.h"
#include "../core/profiles.h"
#include "../core/escrow.h"
#include "../core/sessions.h"
#include "../util/log.h"
#include "i18n.h"
#include "pages.h"
#include "web.h"

static void login_page(struct req *r, const char *email, const char *error_key)
{
	struct tvars *v = page_vars(r);
	tv_set(v, "email", email);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	if (kv_get(&r->query, "verlopen"))
		tv_set_bool(v, "expired", true);
	if (kv_get(&r->query, "uit"))
		tv_set_bool(v, "logged_out", true);
	page_render(r, "login", v, "login.title");
}

void h_login_form(struct req *r)
{
	if (r->who) {
		req_redirect(r, "/start");
		return;
	}
	login_page(r, "", NULL);
}

bool login_cookies(struct req *r, const char *token, const struct account *u)
{
	req_cookie(r, req_cookie_name(r, "vd_session"), arena_strdup(&r->arena, token), -1);
	req_cookie(r, req_cookie_name(r, "vd_pre"), "", 0);
	/* a second factor on: its code next */
	const struct principal *p = NULL;
	bool code_next = session_check(r->vd, &r->arena, token, &p) == VD_OK && session_second_factor_due(p);
	/* This browser now proves it knew the password once: it is exempt from
	 * the account-wide throttle that strangers could otherwise trip. */
	char device[DEVICE_TOKEN_CHARS + 1];
	account_device_token(r->vd, u->email, device);
	req_cookie(r, req_cookie_name(r, "vd_device"), arena_strdup(&r->arena, device), 365L * 86400);
	log_event(LOG_INFO, "login", LF_USER, (long long)u->id, LF_END);
	return code_next;
}

void h_login(struct req *r)
{
	const char *email = form_str(r, "email");
	const char *pw = kv_get(&r->form, "password");
	if (!*email || !pw || !*pw) {
		r->status = 400;
		login_page(r, email, "login.missing");
		return;
	}
	struct account u;
	int64_t retry = 0;
	struct login_attempt from = { r->source, r->source_len, kv_get(&r->cookies, req_cookie_name(r, "vd_device")) };
	/* A new session at every login; any older one of this browser ends. */
	const char *old = kv_get(&r->cookies, req_cookie_name(r, "vd_session"));
	char token[SESSION_TOKEN_CHARS + 1];
	int rc = session_login(r->vd, &r->arena, email, pw, &from, old, token, &u, &retry);
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, retry);
		login_page(r, email, "login.throttled");
		return;
	}
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_AUTH ? 401 : 500;
		if (rc == VD_ERR_AUTH) /* 401 must name a scheme; ours is this form */
			req_header(r, "WWW-Authenticate", "Form realm=\"vertrouwd\"");
		login_page(r, email, rc == VD_ERR_AUTH ? "login.wrong" : "error.500.text");
		return;
	}
	bool code_next = login_cookies(r, token, &u);
	wipe(token, sizeof token);
	req_redirect(r, code_next ? "/login/code" : u.must_change_password ? "/wachtwoord" : "/start");
}

void h_logout(struct req *r)
{
	session_end(r->vd, r->session_token);
	req_cookie(r, req_cookie_name(r, "vd_session"), "", 0);
	log_event(LOG_INFO, "logout", LF_USER, (long long)r->user->id, LF_END);
	req_redirect(r, "/login?uit=1");
}

void h_start(struct req *r)
{
	struct tvars *v = page_vars(r);
	tv_set(v, "role", i18n_choice(r->lang, "role", role_name(r->user->role)));
	tv_set(v, "email", r->user->email);
	tv_setf(v, "counsellor_id", "%lld", (long long)r->user->id);
	tv_set_bool(v, "is_trustee", escrow_is_trustee(r->vd, r->who));
	page_render(r, "start", v, "start.title");
}

static void password_page(struct req *r, const char *error_key, enum account_field bad)
{
	struct tvars *v = page_vars(r);
	tv_set_bool(v, "must_change", r->user->must_change_password);
	/* After a reset the key pair needs the recovery key (userkeys.h). */
	tv_set_bool(v, "ask_recovery", r->user->must_change_password && account_has_keys(r->vd, r->who));
	tv_set_bool(v, "bad_recovery", bad == AF_RECOVERY);
	tv_set_int(v, "min_chars", PASSWORD_MIN_CHARS);
	if (error_key) {
		tv_set(v, "error", i18n_get(r->lang, error_key));
		tv_set_bool(v, "bad_old", bad == AF_PASSWORD);
		tv_set_bool(v, "bad_new", bad != AF_PASSWORD && bad != AF_RECOVERY);
	}
	if (kv_get(&r->query, "klaar"))
		tv_set_bool(v, "done", true);
	page_render(r, "password", v, "password.title");
}

void h_password_form(struct req *r)
{
	password_page(r, NULL, AF_NONE);
}

void h_password(struct req *r)
{
	const char *old_pw = kv_get(&r->form, "old");
	const char *new_pw = kv_get(&r->form, "new");
	const char *again = kv_get(&r->form, "again");
	enum account_field bad = AF_NONE;
	if (!old_pw || !new_pw || !again || !*old_pw || !*new_pw) {
		r->status = 400;
		password_page(r, "password.missing", AF_NONE);
		return;
	}
	if (strcmp(new_pw, again) != 0) {
		r->status = 400;
		password_page(r, "password.mismatch", AF_NONE);
		return;
	}
	struct login_attempt from = { r->source, r->source_len, NULL };
	int64_t retry = 0;
	const char *new_keys = form_str(r, "new_keys");
	struct password_change pc = {
		.old_pw = old_pw, .new_pw = new_pw, .recovery = form_str(r, "recovery"),
		.new_keys = strcmp(new_keys, "1") == 0,
	};
	struct password_changed done;
	int rc = account_change_password(r->vd, r->who, &pc, &from, &bad, &retry, &done);
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, retry);
		password_page(r, "login.throttled", AF_NONE);
		return;
	}
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_AUTH || rc == VD_ERR_INVALID ? 400 : 500;
		const char *key = bad == AF_RECOVERY ? (rc == VD_ERR_AUTH ? "password.wrong_recovery"
									: "password.need_recovery")
				  : rc == VD_ERR_AUTH	 ? "password.wrong_old"
				  : rc == VD_ERR_INVALID ? "password.weak"
							 : "error.500.text";
		password_page(r, key, bad);
		return;
	}
	/* The change ended every session of this account (in the same
	 * transaction); this browser continues in the fresh one the core made. */
	int64_t uid = r->user->id;
	if (!done.signed_in) {
		wipe(&done, sizeof done);
		req_redirect(r, "/login");
		return;
	}
	req_cookie(r, req_cookie_name(r, "vd_session"), arena_strdup(&r->arena, done.token), -1);
	log_event(LOG_INFO, "password-changed", LF_USER, (long long)uid, LF_END);
	if (!done.made_keys) {
		wipe(&done, sizeof done);
		req_redirect(r, "/wachtwoord?klaar=1");
		return;
	}
	/* A new key pair: its recovery key is shown now, once, and never again.
	 * (The answer to a POST is wiped from memory when the request ends.) */
	struct tvars *v = page_vars(r);
	tv_set(v, "recovery", arena_strdup(&r->arena, done.recovery));
	wipe(&done, sizeof done);
	page_render(r, "recovery", v, "recovery.title");
}

/* ---- profile form (shared with the administrator's account page) ---------- */

void profile_form_vars(struct tvars *v, const struct profile *p)
{
	tv_set_bool(v, "p_external", p->external);
	tv_set(v, "p_region", p->region);
	tv_set(v, "p_phone", p->phone);
	tv_set(v, "p_email", p->public_email);
	tv_set(v, "p_languages", p->languages);
	tv_set(v, "p_intro", p->intro);
}

int profile_from_form(struct req *r, int64_t user_id, struct profile *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = user_id;
	const char *ext = form_str(r, "external");
	if (*ext && strcmp(ext, "1") != 0)
		return VD_ERR_INVALID;
	p->external = *ext != '\0';
	p->region = form_str(r, "region");
	p->phone = form_str(r, "phone");
	p->public_email = form_str(r, "public_email");
	p->languages = form_str(r, "languages");
	p->intro = form_str(r, "intro");
	return VD_OK;
}

const char *profile_error_key(enum profile_field f)
{
	switch (f) {
	case PF_REGION: return "profile.bad_region";
	case PF_PHONE: return "profile.bad_phone";
	case PF_EMAIL: return "profile.bad_email";
	case PF_LANGUAGES: return "profile.bad_languages";
	case PF_INTRO: return "profile.bad_intro";
	case PF_NONE: break;
	}
	return "form.invalid";
}

static void own_profile_page(struct req *r, const struct profile *p, const char *error_key)
{
	struct tvars *v = page_vars(r);
	profile_form_vars(v, p);
	tv_set(v, "action", "/profiel");
	tv_set_int(v, "counsellor_id", r->user->id);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	if (kv_get(&r->query, "klaar"))
		tv_set_bool(v, "saved", true);
	const char *form = render_fragment(r, "profile_form", v);
	if (!form) {
		req_error(r, 500);
		return;
	}
	tv_set(v, "profile_form", form);
	page_render(r, "own_profile", v, "profile.title");
}

void h_own_profile_form(struct req *r)
{
	struct profile p;
	int rc = profile_read(r->vd, r->who, &r->arena, r->user->id, &p);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	own_profile_page(r, &p, NULL);
}

void h_own_profile(struct req *r)
{
	struct profile p;
	enum profile_field bad = PF_NONE;
	int rc = profile_from_form(r, r->user->id, &p);
	if (rc == VD_OK)
		rc = profile_save(r->vd, r->who, &p, &bad);
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_INVALID ? 400 : 500;
		own_profile_page(r, &p, rc == VD_ERR_INVALID ? profile_error_key(bad) : "error.500.text");
		return;
	}
	req_redirect(r, "/profiel?klaar=1");
}
