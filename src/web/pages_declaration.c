/*
 * pages_declaration: the candidate's pages (issue 13). The one-time link
 * from the committee's mail (/kandidaat/<token>) asks for a password and
 * logs the candidate in; /verklaring lists their declarations; a
 * declaration's page takes the answers (saved as often as they like) and,
 * with the code of conduct signed, the submission. After that it shows
 * what they submitted and signed.
 */
#include <stdio.h>
#include <string.h>

#include "../core/accounts.h"
#include "../core/declarations.h"
#include "../core/documents.h"
#include "../core/sessions.h"
#include "../util/log.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "pages.h"
#include "web.h"

/* ---- the one-time link ---------------------------------------------------------- */

static void link_page(struct req *r, const char *error_key)
{
	struct tvars *v = page_vars(r);
	tv_set(v, "slug", r->slug);
	tv_set_int(v, "min_chars", PASSWORD_MIN_CHARS);
	if (error_key) {
		tv_set(v, "error", i18n_get(r->lang, error_key));
		r->status = 400;
	}
	page_render(r, "candidate_link", v, "candidate_link.title");
}

void h_candidate_link_form(struct req *r)
{
	if (!candidate_link_valid(r->vd, r->slug)) {
		req_error_key(r, 404, "candidate_link.gone");
		return;
	}
	link_page(r, NULL);
}

void h_candidate_link(struct req *r)
{
	const char *pw = kv_get(&r->form, "password"), *again = kv_get(&r->form, "again");
	if (!pw || !again || !*pw) {
		link_page(r, "password.missing");
		return;
	}
	if (strcmp(pw, again) != 0) {
		link_page(r, "password.mismatch");
		return;
	}
	char email[256];
	int rc = candidate_accept(r->vd, r->slug, pw, email);
	if (rc == VD_ERR_NOTFOUND) {
		req_error_key(r, 404, "candidate_link.gone");
		return;
	}
	if (rc == VD_ERR_INVALID) {
		link_page(r, "candidate_link.weak");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	/* logged in with the password just chosen, as at /login */
	struct account u;
	int64_t retry = 0;
	struct login_attempt from = { r->source, r->source_len, NULL };
	char token[SESSION_TOKEN_CHARS + 1];
	const char *old = kv_get(&r->cookies, req_cookie_name(r, "vd_session"));
	rc = session_login(r->vd, &r->arena, email, pw, &from, old, token, &u, &retry);
	wipe(email, sizeof email);
	if (rc) {
		req_redirect(r, "/login");
		return;
	}
	bool code_next = login_cookies(r, token, &u);
	wipe(token, sizeof token);
	req_redirect(r, code_next ? "/login/code" : "/verklaring");
}

/* ---- the candidate's declarations ---------------------------------------------------- */

void h_declarations(struct req *r)
{
	struct declaration_list list;
	int rc = declaration_mine(r->vd, r->who, &r->arena, &list);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < list.n; i++) {
		const struct declaration *d = &list.items[i];
		struct tvars *o = tv_add(v, "declarations");
		tv_set_int(o, "id", d->id);
		tv_set(o, "title", d->round.title);
		tv_set(o, "state", i18n_choice(r->lang, "declaration.mine_state", d->state));
		tv_set(o, "closes_on", req_day_text(r, d->round.closes_on));
	}
	page_render(r, "declarations", v, "declarations.title");
}

static const char *const save_errors[] = {
	[DCF_ANSWER] = "declaration.error.answer", [DCF_SIGN] = "declaration.error.sign",
	[DCF_VERSION] = "declaration.error.version", [DCF_LATE] = "declaration.error.late",
	[DCF_STATE] = "declaration.error.state",
};

/* The declaration's page; after a refused save, what was sent comes back
 * with the error (bad_question: the answer it is about). */
static void declaration_page(struct req *r, enum declaration_field bad, int64_t bad_question)
{
	struct declaration d;
	int rc = declaration_own(r->vd, r->who, &r->arena, r->id, &d);
	if (rc == VD_ERR_NOKEY) {
		req_error_key(r, 403, "declaration.cannot_open");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	bool open = strcmp(d.state, "invited") == 0 || strcmp(d.state, "draft") == 0;
	bool posted = r->method == M_POST;
	tv_set_int(v, "id", d.id);
	tv_set(v, "round_title", d.round.title);
	tv_set(v, "closes_on", req_day_text(r, d.round.closes_on));
	tv_set_bool(v, "open", open && !d.late);
	tv_set_bool(v, "late", open && d.late);
	tv_set(v, "state", i18n_choice(r->lang, "declaration.mine_state", d.state));
	tv_set(v, "saved_at", d.saved_at ? req_time_text(r, d.saved_at) : "");
	tv_set(v, "submitted_at", d.submitted_at ? req_time_text(r, d.submitted_at) : "");
	tv_set_bool(v, "answers_lost", d.answers_lost);
	for (size_t i = 0; i < d.nanswers; i++) {
		struct tvars *o = tv_add(v, "answers");
		const char *name = arena_printf(&r->arena, "q%lld", (long long)d.answers[i].question_id);
		tv_set(o, "name", name);
		tv_set_int(o, "n", (long long)i + 1);
		tv_set(o, "question", d.answers[i].question);
		tv_set(o, "answer", posted ? form_text(r, name) : d.answers[i].answer);
		if (bad == DCF_ANSWER && d.answers[i].question_id == bad_question)
			tv_set(o, "error", i18n_get(r->lang, "declaration.error.answer"));
	}
	/* the code of conduct to sign: the version in force for the round's unit */
	struct document code;
	int64_t code_id = open ? 0 : d.code_version_id;
	if (open && document_current(r->vd, &r->arena, DOC_CODE_OF_CONDUCT, d.round.unit_id, r->lang, &code) == VD_OK)
		code_id = code.id;
	if (code_id && document_version(r->vd, &r->arena, code_id, r->lang, &code) == VD_OK) {
		tv_set_int(v, "code_id", code.id);
		tv_set_int(v, "code_number", code.number);
		tv_set(v, "code_adopted_on", req_day_text(r, code.adopted_on));
		tv_set(v, "code_adopted_by", code.adopted_by[0] ? code.adopted_by
								: i18n_get(r->lang, "documents.adopter_unknown"));
		tv_set_bool(v, "code_default", code.adopted_by[0] == '\0' && code.recorded_by == 0);
		tv_set_bool(v, "code_current", code.current);
	}
	if (d.signed_at)
		tv_set(v, "signed_at", req_time_text(r, d.signed_at));
	if (bad) {
		r->status = 400;
		const char *key = (size_t)bad < sizeof save_errors / sizeof save_errors[0] && save_errors[bad]
					  ? save_errors[bad] : "form.invalid";
		tv_set(v, "error", i18n_get(r->lang, key));
		tv_set(v, "error_target", bad == DCF_ANSWER ? arena_printf(&r->arena, "q%lld", (long long)bad_question)
					  : bad == DCF_SIGN || bad == DCF_VERSION ? "sign" : "answers");
		tv_set_bool(v, "sign_error", bad == DCF_SIGN || bad == DCF_VERSION);
	}
	tv_set_bool(v, "saved", kv_get(&r->query, "opgeslagen") != NULL);
	tv_set_bool(v, "submitted_now", kv_get(&r->query, "ingediend") != NULL);
	page_render(r, "declaration", v, "declaration.title");
}

void h_declaration_form(struct req *r)
{
	declaration_page(r, DCF_NONE, 0);
}

void h_declaration_save(struct req *r)
{
	/* the answers are the fields q<question id> */
	size_t n = 0;
	int64_t *ids = arena_array(&r->arena, r->form.n ? r->form.n : 1, sizeof *ids);
	const char **answers = arena_array(&r->arena, r->form.n ? r->form.n : 1, sizeof *answers);
	if (!ids || !answers) {
		req_error(r, 500);
		return;
	}
	enum declaration_field bad = DCF_NONE;
	int64_t bad_question = 0;
	for (size_t k = 0; k < r->form.n; k++) {
		const char *name = r->form.items[k].name;
		int64_t qid = 0;
		if (name[0] != 'q')
			continue;
		if (text_parse_i64(name + 1, 1, INT64_MAX, &qid) || n == 64) {
			bad = DCF_ANSWER; /* a field that names no question */
			break;
		}
		ids[n] = qid;
		answers[n++] = r->form.items[k].value;
	}
	const char *action = form_str(r, "action");
	bool submit = strcmp(action, "submit") == 0;
	if (!bad && !submit && strcmp(action, "save") != 0)
		bad = DCF_STATE; /* neither button */
	int64_t sign = 0;
	const char *s = form_str(r, "sign");
	if (!bad && *s && text_parse_i64(s, 1, INT64_MAX, &sign))
		bad = DCF_SIGN;
	int rc = bad ? VD_ERR_INVALID
		     : declaration_save(r->vd, r->who, r->id, ids, answers, n, submit, sign, &bad, &bad_question);
	if (rc == VD_ERR_INVALID) {
		declaration_page(r, bad ? bad : DCF_STATE, bad_question);
		return;
	}
	if (rc == VD_ERR_NOKEY) {
		req_error_key(r, 403, "declaration.cannot_open");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, submit ? "declaration-submitted" : "declaration-saved", LF_USER, (long long)r->user->id,
		  LF_END);
	req_redirect(r, arena_printf(&r->arena, "/verklaring/%lld?%s=1", (long long)r->id,
				     submit ? "ingediend" : "opgeslagen"));
}
