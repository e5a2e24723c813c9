/*
 * pages_committee: the complaints committee's workspace (issue 8):
 * /klachten, the member's complaints with the next deadline of each, and
 * /klachten/:id, one complaint with what the complainant shared, its
 * clocks, the steps taken and the forms for the next step, an extension
 * and the day of the last incident.
 *
 * As on the counsellor's work page, every form posts to its own route and
 * returns to its part of the page (303) when accepted; a refused form
 * shows the page again (400) with the reason next to the field and what
 * was typed kept. The rules are the core's (complaints.h).
 */
#include <stdio.h>
#include <string.h>

#include "../core/accounts.h"
#include "../core/complaints.h"
#include "../util/date.h"
#include "../util/text.h"
#include "i18n.h"
#include "pages.h"

/* ?weergave= and the list it shows */
static const struct {
	const char *slug;
	enum complaint_list_kind kind;
	const char *title_key;
} views[] = {
	{ "", CL_OPEN, "complaints.view_open" },
	{ "achterstallig", CL_OVERDUE, "complaints.view_overdue" },
	{ "gesloten", CL_CLOSED, "complaints.view_closed" },
};

#define MAX_PAGE 100000

void h_complaints(struct req *r)
{
	const char *view = kv_get(&r->query, "weergave"), *page_s = kv_get(&r->query, "pagina");
	size_t which = sizeof views / sizeof views[0];
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
		if (strcmp(view ? view : "", views[i].slug) == 0)
			which = i;
	int64_t page = 1;
	if (which == sizeof views / sizeof views[0] || (page_s && text_parse_i64(page_s, 1, MAX_PAGE, &page))) {
		req_error(r, 400);
		return;
	}
	struct complaint_lines lines;
	int rc = complaint_list(r->vd, r->who, &r->arena, views[which].kind, (size_t)page - 1, &lines);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		struct tvars *o = tv_add(v, "views");
		tv_set(o, "href", *views[i].slug ? arena_printf(&r->arena, "/klachten?weergave=%s", views[i].slug)
						 : "/klachten");
		tv_set(o, "label", i18n_get(r->lang, views[i].title_key));
		tv_set_bool(o, "current", i == which);
	}
	tv_set(v, "view_title", i18n_get(r->lang, views[which].title_key));
	for (size_t i = 0; i < lines.n; i++) {
		const struct complaint_line *l = &lines.items[i];
		struct tvars *o = tv_add(v, "complaints");
		tv_set_int(o, "id", l->id);
		tv_set(o, "received", req_day_text(r, l->received_day));
		tv_set(o, "step", i18n_choice(r->lang, "cstep", complaint_step_names[l->step < CS_COUNT ? l->step : 0]));
		tv_set(o, "due", req_day_text(r, l->next_due_day));
		tv_set_bool(o, "overdue", l->overdue);
		/* no next deadline: the clocks stand still, or none is left running */
		bool open = views[which].kind != CL_CLOSED;
		tv_set_bool(o, "stopped", open && !l->next_due_day && complaint_step_pauses(l->step));
		tv_set_bool(o, "no_term", open && !l->next_due_day && !complaint_step_pauses(l->step));
		tv_set(o, "channel", i18n_choice(r->lang, "cchannel_short", l->channel));
		tv_set_bool(o, "filed_late", l->filed_late);
	}
	tv_set_bool(v, "none", lines.n == 0);
	tv_set_bool(v, "closed_view", views[which].kind == CL_CLOSED);
	const char *base = *views[which].slug ? arena_printf(&r->arena, "/klachten?weergave=%s&", views[which].slug)
					      : "/klachten?";
	if (page > 1)
		tv_set(v, "prev", arena_printf(&r->arena, "%spagina=%lld", base, (long long)page - 1));
	if (lines.more)
		tv_set(v, "next", arena_printf(&r->arena, "%spagina=%lld", base, (long long)page + 1));
	page_render(r, "complaints", v, "complaints.title");
}

/* /klachten/termijnen: every running clock, the soonest end first. */
void h_complaint_clocks(struct req *r)
{
	const char *page_s = kv_get(&r->query, "pagina");
	int64_t page = 1;
	if (page_s && text_parse_i64(page_s, 1, MAX_PAGE, &page)) {
		req_error(r, 400);
		return;
	}
	struct complaint_clocks clocks;
	int rc = complaint_clock_list(r->vd, r->who, &r->arena, (size_t)page - 1, &clocks);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < clocks.n; i++) {
		const struct complaint_clock *k = &clocks.items[i];
		struct tvars *o = tv_add(v, "clocks");
		tv_set_int(o, "id", k->complaint_id);
		tv_set(o, "kind", i18n_choice(r->lang, "cterm", complaint_term_names[k->kind < CT_COUNT ? k->kind : 0]));
		tv_set(o, "start", req_day_text(r, k->start_day));
		tv_set(o, "due", req_day_text(r, k->due_day));
		tv_set_bool(o, "overdue", k->overdue);
		if (!k->overdue)
			tv_set_int(o, "days_left", k->working_days_left);
	}
	tv_set_bool(v, "none", clocks.n == 0);
	if (page > 1)
		tv_set(v, "prev", arena_printf(&r->arena, "/klachten/termijnen?pagina=%lld", (long long)page - 1));
	if (clocks.more)
		tv_set(v, "next", arena_printf(&r->arena, "/klachten/termijnen?pagina=%lld", (long long)page + 1));
	page_render(r, "complaint_clocks", v, "complaint_clocks.title");
}

static void fail_complaint(struct req *r, int rc)
{
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY)
		req_error_key(r, 403, "complaints.cannot_open");
	else
		req_fail(r, rc); /* VD_ERR_NOTFOUND: not theirs, 404 as for none */
}

static void set_terms(struct req *r, struct tvars *v, const struct complaint_file *f, const struct complaint_refused *fr)
{
	for (size_t i = 0; i < f->nterms; i++) {
		const struct complaint_term_view *t = &f->terms[i];
		struct tvars *o = tv_add(v, "terms");
		tv_set_int(o, "id", t->id);
		tv_set(o, "kind", i18n_choice(r->lang, "cterm", complaint_term_names[t->kind < CT_COUNT ? t->kind : 0]));
		tv_set(o, "length", arena_printf(&r->arena, "%d %s", t->length, i18n_choice(r->lang, "tunit",
										   term_unit_names[t->unit < TU_COUNT ? t->unit : 0])));
		tv_set(o, "start", req_day_text(r, t->start_day));
		tv_set(o, "due", req_day_text(r, t->due_day));
		tv_set(o, "met", req_day_text(r, t->met_day));
		tv_set(o, "state", i18n_choice(r->lang, "tstate", term_state_names[t->state < TS_COUNT ? t->state : 0]));
		tv_set_bool(o, "overdue", t->state == TS_OVERDUE || t->state == TS_MET_LATE);
		if (t->state == TS_RUNNING && t->working_days_left >= 0)
			tv_set_int(o, "days_left", t->working_days_left);
		if (t->nextensions)
			tv_set_int(o, "extended", t->extended_days);
		if (t->extendable) {
			struct tvars *x = tv_add(v, "extendable");
			tv_set_int(x, "id", t->id);
			tv_set(x, "kind", i18n_choice(r->lang, "cterm", complaint_term_names[t->kind < CT_COUNT ? t->kind : 0]));
			tv_set_bool(x, "chosen", fr && strcmp(fr->form, "extend") == 0 &&
							 strcmp(form_str(r, "term"), arena_printf(&r->arena, "%lld",
												 (long long)t->id)) == 0);
		}
	}
}

static void set_steps(struct req *r, struct tvars *v, const struct complaint_file *f, const struct complaint_refused *fr)
{
	for (size_t i = 0; i < f->nsteps; i++) {
		const struct complaint_step_view *s = &f->steps[i];
		struct tvars *o = tv_add(v, "history");
		tv_set(o, "at", req_time_text(r, s->at));
		tv_set(o, "from", i18n_choice(r->lang, "cstep", complaint_step_names[s->from < CS_COUNT ? s->from : 0]));
		tv_set(o, "to", i18n_choice(r->lang, "cstep", complaint_step_names[s->to < CS_COUNT ? s->to : 0]));
		tv_set(o, "by", account_name(r->vd, r->who, &r->arena, s->by));
		tv_set(o, "reason", s->reason);
	}
	const char *chosen = fr && strcmp(fr->form, "step") == 0 ? form_str(r, "to") : "";
	for (size_t i = 0; i < f->nnext; i++) {
		struct tvars *o = tv_add(v, "moves");
		tv_set(o, "to", complaint_step_names[f->next[i]]);
		/* out of mediation, back is back: not the step's first coming */
		if (f->step == CS_MEDIATION && f->next[i] != CS_WITHDRAWN)
			tv_setf(o, "label", "%s %s", i18n_get(r->lang, "complaint.mediation_back"),
				i18n_choice(r->lang, "cstep", complaint_step_names[f->next[i]]));
		else
			tv_set(o, "label", i18n_choice(r->lang, "cmove", complaint_step_names[f->next[i]]));
		tv_set_bool(o, "needs_reason", complaint_move_needs_reason(f->next[i]));
		tv_set_bool(o, "checked", strcmp(chosen, complaint_step_names[f->next[i]]) == 0);
	}
	tv_set(v, "step_name", complaint_step_names[f->step < CS_COUNT ? f->step : 0]);
	/* the advice's and the decision's *stat* answers, with their moves */
	bool step_form = fr && strcmp(fr->form, "step") == 0;
	for (size_t i = 0; i < f->nnext; i++) {
		if (f->next[i] == CS_ADVICE)
			tv_choices(r, v, "advice_kinds", "advice", complaint_advice_kinds,
				   step_form ? form_str(r, "advice") : NULL);
		if (f->next[i] != CS_DECIDED)
			continue;
		int64_t ticked = 0;
		if (step_form)
			form_bits(r, "measure", complaint_measure_names, MS_COUNT, &ticked);
		for (int m = 0; m < MS_COUNT; m++) {
			struct tvars *o = tv_add(v, "measures");
			tv_set(o, "value", complaint_measure_names[m]);
			tv_set(o, "label", i18n_choice(r->lang, "measure", complaint_measure_names[m]));
			tv_set_bool(o, "checked", (ticked >> m) & 1);
		}
	}
	if (*f->advice)
		tv_set(v, "advice", i18n_choice(r->lang, "advice", f->advice));
	for (int m = 0; m < MS_COUNT; m++)
		if ((f->measures >> m) & 1) {
			struct tvars *o = tv_add(v, "measures_taken");
			tv_set(o, "label", i18n_choice(r->lang, "measure", complaint_measure_names[m]));
		}
}

static void complaint_page(struct req *r, const struct complaint_refused *fr)
{
	struct complaint_file f;
	int rc = complaint_open(r->vd, r->who, &r->arena, r->id, &f);
	if (rc) {
		fail_complaint(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_int(v, "id", f.id);
	tv_set(v, "step", i18n_choice(r->lang, "cstep", complaint_step_names[f.step]));
	tv_set(v, "step_hint", i18n_choice(r->lang, "cstep_hint", complaint_step_names[f.step]));
	if (f.step == CS_MEDIATION && f.before < CS_COUNT)
		tv_set(v, "before", i18n_choice(r->lang, "cstep", complaint_step_names[f.before]));
	tv_set(v, "received", req_day_text(r, f.received_day));
	tv_set_bool(v, "forwarded", f.case_id != 0);
	tv_set(v, "channel", i18n_choice(r->lang, "cchannel", f.channel));
	tv_set(v, "accused", f.accused);
	tv_set_bool(v, "filed_late", f.filed_late);
	tv_set_bool(v, "paused", f.paused);
	tv_set_bool(v, "open", f.open);
	tv_set(v, "name", f.name);
	tv_set(v, "email", f.email);
	tv_set(v, "phone", f.phone);
	tv_set(v, "contact_pref", f.contact_pref);
	tv_set(v, "account", f.account);
	tv_set(v, "when", f.when);
	tv_set(v, "hopes", f.hopes);
	tv_set(v, "summary", f.summary);
	tv_set(v, "last_incident", req_day_text(r, f.last_incident_day));
	if (!fr || strcmp(fr->form, "incident") != 0)
		tv_set(v, "k_incident_date", req_day_value(r, f.last_incident_day));
	tv_set(v, "today", req_day_value(r, date_of(clock_now())));
	set_terms(r, v, &f, fr);
	set_steps(r, v, &f, fr);
	complaint_sides_vars(r, v, &f, fr);
	tv_set(v, "complaint_files",
	       files_html(r, v, f.files, f.nfiles, 0, NULL, arena_printf(&r->arena, "/klachten/%lld/bestand/", (long long)f.id)));
	bool kept = fr != NULL;
	if (kept)
		tv_refused_form(r, v, fr->form, fr->errs, fr->keys, fr->nkeys);
	if (kept && strcmp(fr->form, "extend") == 0) {
		tv_set_bool(v, "basis_notice", strcmp(form_str(r, "basis"), "notice") == 0);
		tv_set_bool(v, "basis_consent", strcmp(form_str(r, "basis"), "consent") == 0);
	}
	if (kept)
		r->status = 400;
	page_render_title(r, "complaint", v,
			  arena_printf(&r->arena, "%s %lld", i18n_get(r->lang, "complaint.title"), (long long)f.id));
}

void h_complaint(struct req *r)
{
	complaint_page(r, NULL);
}

void complaint_answer(struct req *r, int rc, const struct complaint_refused *fr, const char *part)
{
	if (rc == VD_OK) {
		char *to = arena_printf(&r->arena, "/klachten/%lld#%s", (long long)r->id, part);
		req_redirect(r, to ? to : "/klachten");
	} else if ((rc == VD_ERR_INVALID || rc == VD_ERR_DENIED) && fr->errs) {
		complaint_page(r, fr);
	} else {
		fail_complaint(r, rc);
	}
}

void h_complaint_file(struct req *r)
{
	struct case_file f;
	struct file_reader *fr = NULL;
	int rc = complaint_file_open(r->vd, r->who, &r->arena, r->id, r->slug, &f, &fr);
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY)
		fail_complaint(r, rc);
	else
		send_file(r, rc, &f, fr);
}

void h_complaint_step(struct req *r)
{
	static const char *const keys[] = {
		[MF_STEP] = "complaint.error.step.step", [MF_REASON] = "complaint.error.step.reason",
		[MF_ADVICE] = "complaint.error.step.advice", [MF_MEASURES] = "complaint.error.step.measures",
		[MF_ACCUSED] = "complaint.error.step.accused",
	};
	struct complaint_move_input in = {
		.from = complaint_step_parse(form_str(r, "from")), .to = complaint_step_parse(form_str(r, "to")),
		.reason = form_text(r, "reason"), .advice = form_str(r, "advice"),
		.share_contact = *form_str(r, "share_contact") != '\0',
	};
	/* an unknown measure sets a bit the core refuses */
	if (!form_bits(r, "measure", complaint_measure_names, MS_COUNT, &in.measures))
		in.measures |= (int64_t)1 << MS_COUNT;
	struct complaint_refused fr = { .form = "step", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = complaint_move(r->vd, r->who, r->id, &in, &fr.errs);
	complaint_answer(r, rc, &fr, "stap");
}

void h_complaint_extend(struct req *r)
{
	static const char *const keys[] = {
		[XF_DAYS] = "complaint.error.extend.days", [XF_BASIS] = "complaint.error.extend.basis",
		[XF_CONSENT_DAY] = "complaint.error.extend.consent_on", [XF_CONSENT] = "complaint.error.extend.consent",
		[XF_TERM] = "complaint.error.extend.term",
	};
	int64_t term = 0;
	if (text_parse_i64(form_str(r, "term"), 1, INT64_MAX, &term))
		term = 0;
	struct extension_input in = { .days = form_str(r, "days"), .basis = form_str(r, "basis"),
				      .consent_on = form_str(r, "consent_on") };
	struct complaint_refused fr = { .form = "extend", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = complaint_extend(r->vd, r->who, r->id, term, &in, &fr.errs);
	complaint_answer(r, rc, &fr, "termijnen");
}

void h_complaint_incident(struct req *r)
{
	static const char *const keys[] = { [IF_DATE] = "complaint.error.incident.date" };
	struct complaint_refused fr = { .form = "incident", .keys = keys, .nkeys = 1 };
	int rc = complaint_set_last_incident(r->vd, r->who, r->id, form_str(r, "date"), &fr.errs);
	complaint_answer(r, rc, &fr, "voorval");
}

/* ---- a complaint that came by e-mail or letter ---------------------------------- */

void complaint_entry_vars(struct req *r, struct tvars *v, field_errors errs, const struct entry_error *errors,
			  size_t n, const char *prefix)
{
	const char *fields[] = { "name", "email", "phone", "accused", "account", "when", "last_incident", "asks" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		tv_set(v, fields[i], form_str(r, fields[i]));
	tv_set(v, "today", req_day_value(r, date_of(clock_now())));
	tv_set_int(v, "account_max", ENTRY_ACCOUNT_MAX_CHARS);
	for (size_t i = 0; i < n; i++) {
		if (!(errs & (1u << errors[i].field)))
			continue;
		const char *msg = i18n_get(r->lang, errors[i].key);
		struct tvars *o = tv_add(v, "errors");
		tv_set(o, "field", errors[i].id);
		tv_set(o, "message", msg);
		char name[48];
		snprintf(name, sizeof name, "err_%s", errors[i].id);
		tv_set(v, arena_strdup(&r->arena, name), msg);
	}
	tv_set_bool(v, "has_errors", errs != 0);
	/* the secretary writes of the complainant; the complainant of themself */
	const char *keys[][2] = { { "who_hint", "who_hint" }, { "account_hint", "account_hint" },
				  { "incident_hint", "incident_hint" } };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		tv_set(v, keys[i][0], i18n_get(r->lang, arena_printf(&r->arena, "%s.%s", prefix, keys[i][1])));
	tv_set(v, "asks_label", i18n_get(r->lang, strcmp(prefix, "complaint_form") == 0 ? "complaint_form.asks"
											  : "complaint.hopes"));
	const char *html = render_fragment(r, "complaint_fields", v);
	if (!html)
		tv_set_failed(v);
	tv_set(v, "complaint_fields", html);
}

static const char *const entry_channels[] = { "email", "letter", NULL };

static void entry_page(struct req *r, field_errors errs)
{
	static const struct entry_error errors[] = {
		{ EF_UNIT, "unit", "complaint_new.error.unit" },
		{ EF_CHANNEL, "channel", "complaint_new.error.channel" },
		{ EF_RECEIVED, "received_on", "complaint_new.error.received_on" },
		{ EF_NAME, "name", "complaint_new.error.name" },
		{ EF_CONTACT, "email", "complaint_new.error.contact" },
		{ EF_EMAIL, "email", "complaint_new.error.email" },
		{ EF_PHONE, "phone", "complaint_new.error.phone" },
		{ EF_ACCUSED, "accused", "complaint_new.error.accused" },
		{ EF_ACCOUNT, "account", "complaint_new.error.account" },
		{ EF_WHEN, "when", "complaint_new.error.when" },
		{ EF_INCIDENT, "last_incident", "complaint_new.error.last_incident" },
		{ EF_ASKS, "asks", "complaint_new.error.asks" },
		{ EF_COMMITTEE, "unit", "complaint_new.error.committee" },
		{ EF_FILES, "files", "complaint_form.error.files" },
	};
	struct unit_list units;
	int *depth = NULL;
	int rc = complaint_entry_units(r->vd, r->who, &r->arena, &units, &depth);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	unit_choices(r, v, &units, depth);
	tv_choices(r, v, "channels", "cchannel", entry_channels, form_str(r, "channel"));
	const char *received = form_str(r, "received_on");
	tv_set(v, "received_on", *received || errs ? received : req_day_value(r, date_of(clock_now())));
	complaint_entry_vars(r, v, errs, errors, sizeof errors / sizeof errors[0], "complaint_new");
	tv_set(v, "file_input", file_input(r, v, "files", errs != 0));
	if (errs)
		r->status = 400;
	page_render(r, "complaint_new", v, "complaint_new.title");
}

void h_complaint_new_form(struct req *r)
{
	entry_page(r, 0);
}

void h_complaint_new(struct req *r)
{
	int64_t unit = 0;
	if (text_parse_i64(form_str(r, "unit"), 1, INT64_MAX, &unit))
		unit = 0;
	struct complaint_entry in = {
		.unit_id = unit, .channel = form_str(r, "channel"), .received_on = form_str(r, "received_on"),
		.name = form_str(r, "name"), .email = form_str(r, "email"), .phone = form_str(r, "phone"),
		.accused = form_str(r, "accused"),
		.account = form_text(r, "account"),
		.when = form_str(r, "when"), .last_incident = form_str(r, "last_incident"),
		.asks = form_text(r, "asks"),
		.files = r->uploads, .nfiles = r->nuploads,
	};
	field_errors errs = 0;
	int64_t id = 0;
	if (uploads_problem(r)) {
		entry_page(r, 1u << EF_FILES); /* nothing taken: the files said why */
		return;
	}
	int rc = complaint_enter(r->vd, r->who, &in, &errs, &id);
	if (rc == VD_OK) {
		char *to = arena_printf(&r->arena, "/klachten/%lld", (long long)id);
		req_redirect(r, to ? to : "/klachten");
	} else if (rc == VD_ERR_INVALID && errs) {
		entry_page(r, errs);
	} else {
		req_fail(r, rc);
	}
}
