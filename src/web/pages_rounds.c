/*
 * pages_rounds: the candidate committee's pages (issue 13). /kandidaten
 * lists the rounds the member is in; a new round names its office, unit,
 * dates, questions and members; a round's page lists its candidates and
 * invites new ones; a declaration's page shows the answers, the signed
 * code of conduct, and takes the interview and the decision.
 *
 * Nobody else finds anything here: the core answers "not found" for a
 * round of which the user is no member (rounds.h).
 */
#include <stdio.h>
#include <string.h>

#include "../core/declarations.h"
#include "../core/documents.h"
#include "../core/rounds.h"
#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "pages.h"
#include "web.h"

/* A positive record id from a form value, 0 if it is none. */
static int64_t form_id_of(const char *value)
{
	int64_t id = 0;
	return value && text_parse_i64(value, 1, INT64_MAX, &id) == VD_OK ? id : 0;
}

static void fail_round(struct req *r, int rc)
{
	if (rc == VD_ERR_NOKEY || rc == VD_ERR_AUTH)
		req_error_key(r, 403, "rounds.cannot_open");
	else
		req_fail(r, rc);
}

static void round_vars(struct req *r, struct tvars *v, const struct round *rd, const struct unit_list *units)
{
	tv_set_int(v, "id", rd->id);
	tv_set(v, "title", rd->title);
	tv_set(v, "kind", i18n_choice(r->lang, "rounds.kind", rd->kind));
	const struct unit *u = unit_by_id(units, rd->unit_id);
	tv_set(v, "unit", u ? u->name : "");
	tv_set(v, "opens_on", req_day_text(r, rd->opens_on));
	tv_set(v, "closes_on", req_day_text(r, rd->closes_on));
	tv_set_int(v, "n_invited", rd->n_invited);
	tv_set_int(v, "n_draft", rd->n_draft);
	tv_set_int(v, "n_submitted", rd->n_submitted);
	tv_set_int(v, "n_decided", rd->n_decided);
}

void h_rounds(struct req *r)
{
	struct round_list list;
	struct unit_list units;
	int rc = round_list(r->vd, r->who, &r->arena, &list);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < list.n; i++)
		round_vars(r, tv_add(v, "rounds"), &list.items[i], &units);
	page_render(r, "rounds", v, "rounds.title");
}

/* ---- a new round ------------------------------------------------------------- */

static const struct {
	const char *field, *key;
} round_errors[] = {
	[RND_KIND] = { "kind", "rounds.error.kind" },
	[RND_UNIT] = { "unit", "rounds.error.unit" },
	[RND_TITLE] = { "title", "rounds.error.title" },
	[RND_OPENS] = { "opens_on", "rounds.error.opens_on" },
	[RND_CLOSES] = { "closes_on", "rounds.error.closes_on" },
	[RND_QUESTIONS] = { "questions", "rounds.error.questions" },
	[RND_MEMBERS] = { "members", "rounds.error.members" },
	[RND_KEYS] = { "title", "rounds.error.keys" },
};

/* The form; after a refusal (errs: bits of enum round_field) what was
 * sent comes back with the errors. */
static void round_form_page(struct req *r, unsigned errs)
{
	struct unit_list tree;
	int *depth;
	struct round_person *people;
	size_t np;
	int rc = round_units(r->vd, r->who, &r->arena, &tree, &depth);
	if (rc == VD_OK)
		rc = round_colleagues(r->vd, r->who, &r->arena, 0, &people, &np);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	bool posted = r->method == M_POST;
	int64_t today = date_of(clock_now());
	tv_set(v, "f_title", form_str(r, "title"));
	tv_set(v, "f_opens_on", posted ? form_str(r, "opens_on") : req_day_value(r, today));
	tv_set(v, "f_closes_on", posted ? form_str(r, "closes_on") : req_day_value(r, today + 28));
	tv_set(v, "f_questions", posted ? form_text(r, "questions") : i18n_get(r->lang, "rounds.default_questions"));
	tv_choices(r, v, "kinds", "rounds.kind", round_kinds, posted ? form_str(r, "kind") : "election");
	unit_choices(r, v, &tree, depth);
	for (size_t i = 0; i < np; i++) {
		struct tvars *o = tv_add(v, "colleagues");
		tv_set_int(o, "id", people[i].user_id);
		tv_set(o, "name", people[i].name);
		bool chosen = false;
		for (size_t k = 0; k < r->form.n; k++)
			if (strcmp(r->form.items[k].name, "members") == 0 &&
			    form_id_of(r->form.items[k].value) == people[i].user_id)
				chosen = true;
		tv_set_bool(o, "checked", chosen);
	}
	for (size_t f = 1; f < sizeof round_errors / sizeof round_errors[0]; f++) {
		if (!(errs & (1u << f)))
			continue;
		const char *text = i18n_get(r->lang, round_errors[f].key);
		struct tvars *e = tv_add(v, "errors");
		tv_set(e, "message", text);
		tv_set(e, "target", round_errors[f].field);
		tv_set(v, arena_printf(&r->arena, "err_%s", round_errors[f].field), text);
		tv_set_bool(v, "has_errors", true);
	}
	page_render(r, "round_new", v, "rounds.new_title");
}

void h_round_new_form(struct req *r)
{
	round_form_page(r, 0);
}

void h_round_new(struct req *r)
{
	unsigned errs = 0;
	struct round_input in = { .kind = form_str(r, "kind"), .title = form_str(r, "title"),
				  .questions = form_text(r, "questions") };
	if (!(in.unit_id = form_record_id(r, "unit")))
		errs |= 1u << RND_UNIT;
	if (!date_parse(form_str(r, "opens_on"), &in.opens_on))
		errs |= 1u << RND_OPENS;
	if (!date_parse(form_str(r, "closes_on"), &in.closes_on))
		errs |= 1u << RND_CLOSES;
	int64_t *ids = arena_array(&r->arena, r->form.n ? r->form.n : 1, sizeof *ids);
	if (!ids) {
		req_error(r, 500);
		return;
	}
	in.members.ids = ids;
	for (size_t k = 0; k < r->form.n; k++) {
		if (strcmp(r->form.items[k].name, "members") != 0)
			continue;
		int64_t id = form_id_of(r->form.items[k].value);
		if (!id)
			errs |= 1u << RND_MEMBERS;
		else
			ids[in.members.n++] = id;
	}
	int64_t id = 0;
	enum round_field bad = RND_NONE;
	int rc = errs ? VD_ERR_INVALID : round_open(r->vd, r->who, &in, &id, &bad);
	if (rc == VD_ERR_INVALID) {
		r->status = 400;
		round_form_page(r, errs | (bad ? 1u << bad : 0));
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "round-opened", LF_USER, (long long)r->user->id, LF_END);
	req_redirect(r, arena_printf(&r->arena, "/kandidaten/%lld?nieuw=1", (long long)id));
}

/* ---- a round ------------------------------------------------------------------- */

static const char *const invite_errors[] = {
	[DCF_NAME] = "rounds.error.name",
	[DCF_EMAIL] = "rounds.error.email",
	[DCF_ACCOUNT] = "rounds.error.account",
};

/* The round's page; error_key (with the field it is about) after a refused
 * form, link: a new candidate's one-time link to pass on (no mail here). */
static void round_page(struct req *r, const char *error_key, const char *error_field, const char *link,
		       const char *link_name)
{
	struct round_detail rd;
	struct declaration_list list;
	struct unit_list units;
	struct round_person *people;
	size_t np;
	int rc = round_get(r->vd, r->who, &r->arena, r->id, &rd);
	if (rc == VD_OK)
		rc = declaration_list_round(r->vd, r->who, &r->arena, r->id, &list);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc == VD_OK)
		rc = round_colleagues(r->vd, r->who, &r->arena, rd.round.unit_id, &people, &np);
	if (rc) {
		fail_round(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	round_vars(r, v, &rd.round, &units);
	tv_set_int(v, "round_id", rd.round.id);
	for (size_t i = 0; i < rd.nquestions; i++)
		tv_set(tv_add(v, "questions"), "text", rd.questions[i].text);
	for (size_t i = 0; i < rd.nmembers; i++)
		tv_set(tv_add(v, "members"), "name", rd.members[i].name);
	for (size_t i = 0; i < np; i++) {
		bool member = false;
		for (size_t m = 0; m < rd.nmembers; m++)
			member = member || rd.members[m].user_id == people[i].user_id;
		if (member)
			continue;
		struct tvars *o = tv_add(v, "colleagues");
		tv_set_int(o, "id", people[i].user_id);
		tv_set(o, "name", people[i].name);
	}
	for (size_t i = 0; i < list.n; i++) {
		const struct declaration *d = &list.items[i];
		struct tvars *o = tv_add(v, "declarations");
		tv_set_int(o, "id", d->id);
		tv_set(o, "name", d->candidate_name);
		tv_set(o, "email", d->candidate_email);
		tv_set(o, "state", i18n_choice(r->lang, "declaration.state", d->state));
		/* a new link: one not used, or a password forgotten before submitting */
		tv_set_bool(o, "invited", strcmp(d->state, "invited") == 0 || strcmp(d->state, "draft") == 0);
		tv_set(o, "outcome", d->outcome[0] ? i18n_choice(r->lang, "declaration.outcome", d->outcome) : "");
		tv_set(o, "submitted_at", d->submitted_at ? req_time_text(r, d->submitted_at) : "");
	}
	if (error_key) {
		r->status = 400;
		tv_set(v, "error", i18n_get(r->lang, error_key));
		tv_set(v, arena_printf(&r->arena, "err_%s", error_field), i18n_get(r->lang, error_key));
		tv_set(v, "error_target", error_field);
		tv_set(v, "f_name", form_str(r, "name"));
		tv_set(v, "f_email", form_str(r, "email"));
	}
	if (link) {
		tv_setf(v, "link", "%s/kandidaat/%s", req_config(r)->base_url, link);
		tv_set(v, "link_name", link_name);
	}
	tv_set_bool(v, "opened", kv_get(&r->query, "nieuw") != NULL);
	tv_set_bool(v, "mailed", kv_get(&r->query, "gemaild") != NULL);
	tv_set_bool(v, "known", kv_get(&r->query, "bekend") != NULL);
	tv_set_bool(v, "member_added", kv_get(&r->query, "lid") != NULL);
	page_render_title(r, "round", v, rd.round.title);
}

void h_round(struct req *r)
{
	round_page(r, NULL, NULL, NULL, NULL);
}

void h_round_invite(struct req *r)
{
	char link[CANDIDATE_TOKEN_HEX + 1];
	bool mailed = false;
	int64_t id = 0;
	enum declaration_field bad = DCF_NONE;
	const char *name = form_str(r, "name");
	int rc = candidate_invite(r->vd, r->who, r->id, name, form_str(r, "email"), link, &mailed, &id, &bad);
	if (rc == VD_ERR_INVALID || rc == VD_ERR_EXISTS) {
		bool known = rc == VD_OK || (bad > 0 && (size_t)bad < sizeof invite_errors / sizeof invite_errors[0] &&
					     invite_errors[bad]);
		const char *key = rc == VD_ERR_EXISTS ? "rounds.error.twice" : known ? invite_errors[bad] : "form.invalid";
		round_page(r, key, bad == DCF_NAME ? "name" : "email", NULL, NULL);
		return;
	}
	if (rc) {
		fail_round(r, rc);
		return;
	}
	log_event(LOG_INFO, "candidate-invited", LF_USER, (long long)r->user->id, LF_END);
	if (mailed || !link[0]) {
		/* no link to show: mailed, or an account there is already */
		req_redirect(r, arena_printf(&r->arena, "/kandidaten/%lld?%s=1", (long long)r->id,
					     mailed ? "gemaild" : "bekend"));
		return;
	}
	/* no mail here: the link is shown once, to pass on; never stored */
	round_page(r, NULL, NULL, link, name);
	wipe(link, sizeof link);
}

void h_round_relink(struct req *r)
{
	char link[CANDIDATE_TOKEN_HEX + 1];
	bool mailed = false;
	int64_t did = form_record_id(r, "declaration");
	struct declaration_list list;
	const char *name = NULL;
	int rc = declaration_list_round(r->vd, r->who, &r->arena, r->id, &list);
	for (size_t i = 0; rc == VD_OK && i < list.n; i++)
		if (list.items[i].id == did)
			name = list.items[i].candidate_name;
	if (rc == VD_OK && !name)
		rc = VD_ERR_INVALID; /* not a declaration of this round */
	if (rc == VD_OK)
		rc = candidate_link_renew(r->vd, r->who, did, link, &mailed);
	if (rc == VD_ERR_INVALID || rc == VD_ERR_INUSE) {
		round_page(r, rc == VD_ERR_INUSE ? "rounds.error.relink_shared" : "rounds.error.relink", "name", NULL, NULL);
		return;
	}
	if (rc) {
		fail_round(r, rc);
		return;
	}
	if (mailed) {
		req_redirect(r, arena_printf(&r->arena, "/kandidaten/%lld?gemaild=1", (long long)r->id));
		return;
	}
	round_page(r, NULL, NULL, link, name);
	wipe(link, sizeof link);
}

void h_round_member(struct req *r)
{
	int64_t uid = form_record_id(r, "member");
	int rc = uid ? round_member_add(r->vd, r->who, r->id, uid) : VD_ERR_INVALID;
	if (rc == VD_ERR_INVALID || rc == VD_ERR_EXISTS) {
		round_page(r, "rounds.error.member", "member", NULL, NULL);
		return;
	}
	if (rc) {
		fail_round(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/kandidaten/%lld?lid=1", (long long)r->id));
}

/* ---- a declaration ----------------------------------------------------------------- */

static const char *const review_errors[] = {
	[DCF_DAY] = "review.error.day",         [DCF_NOTES] = "review.error.notes",
	[DCF_OUTCOME] = "review.error.outcome", [DCF_REASONS] = "review.error.reasons",
	[DCF_CONSENT] = "review.error.consent", [DCF_STATE] = "review.error.state",
};

static void review_page(struct req *r, const char *error_key, const char *error_field)
{
	struct declaration d;
	int rc = declaration_review(r->vd, r->who, &r->arena, r->id, &d);
	if (rc) {
		fail_round(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_int(v, "id", d.id);
	tv_set_int(v, "round_id", d.round_id);
	tv_set(v, "round_title", d.round.title);
	tv_set(v, "name", d.candidate_name);
	tv_set(v, "email", d.candidate_email);
	tv_set(v, "state", i18n_choice(r->lang, "declaration.state", d.state));
	tv_set_bool(v, "submitted", strcmp(d.state, "submitted") == 0);
	tv_set_bool(v, "decided", strcmp(d.state, "decided") == 0);
	tv_set_bool(v, "open", strcmp(d.state, "invited") == 0 || strcmp(d.state, "draft") == 0);
	tv_set(v, "submitted_at", d.submitted_at ? req_time_text(r, d.submitted_at) : "");
	for (size_t i = 0; i < d.nanswers; i++) {
		struct tvars *o = tv_add(v, "answers");
		tv_set(o, "question", d.answers[i].question);
		tv_set(o, "answer", d.answers[i].answer);
	}
	if (d.code_version_id) {
		struct document code;
		if (document_version(r->vd, &r->arena, d.code_version_id, r->lang, &code) == VD_OK) {
			tv_set_int(v, "code_id", code.id);
			tv_set_int(v, "code_number", code.number);
			tv_set_bool(v, "code_current", code.current);
		}
		tv_set(v, "signed_at", req_time_text(r, d.signed_at));
	}
	tv_set(v, "interview_on", d.interview_on ? req_day_text(r, d.interview_on) : "");
	tv_set(v, "notes", d.notes);
	tv_set(v, "reasons", d.reasons);
	tv_set(v, "outcome", d.outcome[0] ? i18n_choice(r->lang, "declaration.outcome", d.outcome) : "");
	tv_set_bool(v, "keep_consent", d.keep_consent);
	tv_set(v, "purge_after", d.purge_after ? req_day_text(r, date_of(d.purge_after)) : "");
	int64_t today = date_of(clock_now());
	bool posted = r->method == M_POST;
	tv_set(v, "f_day", posted ? form_str(r, "day") : req_day_value(r, d.interview_on ? d.interview_on : today));
	tv_set(v, "f_notes", posted ? form_text(r, "notes") : d.notes);
	tv_set(v, "f_reasons", posted ? form_text(r, "reasons") : d.reasons);
	tv_set(v, "today", req_day_value(r, today));
	tv_choices(r, v, "outcomes", "declaration.outcome", declaration_outcomes, posted ? form_str(r, "outcome") : "");
	if (error_key) {
		r->status = 400;
		tv_set(v, "error", i18n_get(r->lang, error_key));
		tv_set(v, "error_target", error_field);
		tv_set(v, arena_printf(&r->arena, "err_%s", error_field), i18n_get(r->lang, error_key));
	}
	tv_set_bool(v, "saved", kv_get(&r->query, "klaar") != NULL);
	page_render_title(r, "round_declaration", v, d.candidate_name);
}

void h_round_declaration(struct req *r)
{
	review_page(r, NULL, NULL);
}

static const char *review_error(enum declaration_field bad)
{
	if (bad > 0 && (size_t)bad < sizeof review_errors / sizeof review_errors[0] && review_errors[bad])
		return review_errors[bad];
	return "form.invalid";
}

static void review_done(struct req *r, int rc, enum declaration_field bad, const char *field)
{
	if (rc == VD_ERR_INVALID) {
		review_page(r, review_error(bad), bad == DCF_STATE ? "notes" : field);
		return;
	}
	if (rc) {
		fail_round(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/kandidaten/verklaringen/%lld?klaar=1", (long long)r->id));
}

void h_declaration_interview(struct req *r)
{
	int64_t day = 0;
	enum declaration_field bad = DCF_NONE;
	int rc = date_parse(form_str(r, "day"), &day)
			 ? declaration_interview(r->vd, r->who, r->id, day, form_text(r, "notes"), &bad)
			 : (bad = DCF_DAY, VD_ERR_INVALID);
	review_done(r, rc, bad, bad == DCF_NOTES ? "notes" : "day");
}

void h_declaration_decide(struct req *r)
{
	enum declaration_field bad = DCF_NONE;
	const char *consent = form_str(r, "keep");
	int rc = *consent && strcmp(consent, "yes") != 0
			 ? (bad = DCF_CONSENT, VD_ERR_INVALID)
			 : declaration_decide(r->vd, r->who, r->id, form_str(r, "outcome"), form_text(r, "reasons"),
					      *consent != '\0', &bad);
	review_done(r, rc, bad, bad == DCF_REASONS ? "reasons" : bad == DCF_CONSENT ? "keep" : "outcome");
}
