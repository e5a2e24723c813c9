/*
 * pages_whistle: the integrity officer's register (issue 10): LINK_WB, the
 * reports with the next deadline of each (overdue in red), /meldpunt/nieuw
 * for a report made by phone, in a meeting or by letter, and
 * /meldpunt/:id, one report with its two clocks, its timeline, minutes and
 * questions of consent, and the forms for what comes next.
 *
 * As on a complaint's page, every form posts to its own route and returns
 * to its part of the page (303) when accepted; a refused form shows the
 * page again (400) with the reason beside it and what was typed kept. The
 * reporter's identity is shown only as the answer to the form that asks
 * for it with a reason, never on the page itself.
 */
#include <stdio.h>
#include <string.h>

#include "../core/links.h"
#include "../core/whistle.h"
#include "../util/date.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "pages.h"

#define MAX_PAGE 100000

/* ---- the report as a page shows it (the officer's and the mailbox) --------------- */

static const char *choice_or(struct req *r, const char *prefix, const char *value, const char *none_key)
{
	return value && *value ? i18n_choice(r->lang, prefix, value) : i18n_get(r->lang, none_key);
}

static void clock_vars(struct req *r, struct tvars *v, const char *name, const struct wb_clock_view *c)
{
	struct tvars *o = tv_add(v, name);
	tv_set(o, "due", req_day_text(r, c->due_day));
	tv_set(o, "met", req_day_text(r, c->met_day));
	tv_set_bool(o, "overdue", c->overdue);
	tv_set_bool(o, "late", c->met_day && c->met_day > c->due_day);
	tv_set_bool(o, "running", !c->met_day && !c->overdue);
	tv_set_int(o, "days_left", c->working_days_left);
}

/* The files that came with event_id (0: the report): links for the
 * officer, their names alone in the mailbox (the reporter has them). */
static void file_vars(struct req *r, struct tvars *v, const struct wb_report *rep, int64_t event_id, bool officer)
{
	if (officer) {
		tv_set(v, "files", files_html(r, v, rep->files, rep->nfiles, event_id, NULL,
					      arena_printf(&r->arena, LINK_WB "/%lld/bestand/", (long long)rep->id)));
		return;
	}
	/* has_files on every item: a list it lacks would be its parent's */
	bool any = false;
	tv_set(v, "files", "");
	for (size_t i = 0; i < rep->nfiles; i++)
		if (rep->files[i].message_id == event_id) {
			struct tvars *o = tv_add(v, "file_names");
			tv_set(o, "name", rep->files[i].name);
			any = true;
		}
	tv_set_bool(v, "has_files", any);
}

static bool refused_here(const struct wb_refused *fr, const char *form, int64_t ref)
{
	return fr && fr->form && strcmp(fr->form, form) == 0 && fr->ref == ref;
}

static void minutes_vars(struct req *r, struct tvars *v, const struct wb_report *rep, bool officer,
			 const struct wb_refused *fr)
{
	for (size_t i = 0; i < rep->nminutes; i++) {
		const struct wb_minutes_view *m = &rep->minutes[i];
		struct tvars *o = tv_add(v, "minutes_list");
		tv_set_int(o, "id", m->id);
		tv_set_int(o, "mid", m->id);
		tv_set_int(o, "rid", rep->id);
		tv_set(o, "day", req_day_text(r, m->on_day));
		tv_set(o, "day_value", req_day_value(r, m->on_day));
		tv_set(o, "sent", req_time_text(r, m->at));
		tv_set(o, "text", m->text);
		tv_set(o, "state", i18n_choice(r->lang, "wbmin", m->state));
		tv_set(o, "reacted", m->reacted_at ? req_time_text(r, m->reacted_at) : "");
		tv_set(o, "correction", m->correction);
		bool pending = strcmp(m->state, "pending") == 0, corrected = strcmp(m->state, "corrected") == 0;
		tv_set_bool(o, "pending", pending);
		tv_set_bool(o, "corrected", corrected);
		tv_set_bool(o, "approved", strcmp(m->state, "approved") == 0);
		tv_set_bool(o, "can_answer", !officer && pending && rep->open && rep->code_own);
		tv_set_bool(o, "needs_code", !officer && pending && rep->open && !rep->code_own);
		tv_set_bool(o, "can_replace", officer && (pending || corrected) && rep->open);
		tv_set_bool(o, "replaces_other", m->replaces != 0);
		bool here = refused_here(fr, "minutes", m->id);
		tv_set(o, "error", here ? fr->message : "");
		tv_set(o, "typed", here && fr->typed ? fr->typed : (officer ? m->text : ""));
	}
}

static void consent_vars(struct req *r, struct tvars *v, const struct wb_report *rep, bool officer,
			 const struct wb_refused *fr)
{
	for (size_t i = 0; i < rep->nconsents; i++) {
		const struct wb_consent_view *c = &rep->consents[i];
		struct tvars *o = tv_add(v, "consents");
		tv_set_int(o, "id", c->id);
		tv_set_int(o, "rid", rep->id);
		tv_set(o, "asked", req_time_text(r, c->at));
		tv_set(o, "request", c->request);
		tv_set(o, "state", i18n_choice(r->lang, "wbcon", c->state));
		tv_set(o, "answered", c->answered_at ? req_time_text(r, c->answered_at) : "");
		tv_set(o, "disclosed", c->disclosed_at ? req_time_text(r, c->disclosed_at) : "");
		bool given = strcmp(c->state, "given") == 0;
		bool answerable = !officer && rep->open && strcmp(c->state, "pending") == 0;
		tv_set_bool(o, "can_answer", answerable && rep->code_own);
		tv_set_bool(o, "needs_code", answerable && !rep->code_own);
		tv_set_bool(o, "can_withdraw", !officer && rep->open && rep->code_own && given && !c->disclosed_at);
		tv_set_bool(o, "can_disclose", officer && given && !c->disclosed_at);
		tv_set(o, "error", refused_here(fr, officer ? "disclose" : "consent", c->id) ? fr->message : "");
	}
}

void wb_report_vars(struct req *r, struct tvars *v, const struct wb_report *rep, bool officer,
		    const struct wb_refused *fr)
{
	tv_set_int(v, "id", rep->id);
	tv_set(v, "received", req_day_text(r, rep->received_day));
	tv_set(v, "channel", i18n_choice(r->lang, "wbchannel", rep->channel));
	tv_set(v, "category", choice_or(r, "wbcat", rep->category, "wb.category_none"));
	tv_set(v, "relation", choice_or(r, "wbrel", rep->relation, "wb.category_none"));
	tv_set_bool(v, "named", rep->named);
	tv_set_bool(v, "open", rep->open);
	tv_set(v, "outcome", rep->outcome && *rep->outcome ? i18n_choice(r->lang, "wbout", rep->outcome) : "");
	tv_set(v, "closed", req_day_text(r, rep->closed_day));
	clock_vars(r, v, "ack", &rep->ack);
	clock_vars(r, v, "feedback", &rep->feedback);
	tv_set(v, "what", rep->what);
	tv_set(v, "when_where", rep->when_where);
	tv_set(v, "involved", rep->involved);
	tv_set(v, "other", rep->other);
	tv_set_bool(v, "pending_minutes", rep->pending_minutes);
	tv_set_bool(v, "pending_consent", rep->pending_consent);
	for (size_t i = 0; i < rep->nevents; i++) {
		const struct wb_event_view *e = &rep->events[i];
		struct tvars *o = tv_add(v, "events");
		tv_set(o, "at", req_time_text(r, e->at));
		tv_set(o, "kind", i18n_choice(r->lang, "wbev", wb_event_names[e->kind]));
		tv_set_bool(o, "from_reporter", e->by == 0);
		tv_set_bool(o, "officers_only", !wb_event_for_reporter(e->kind));
		/* minutes and questions of consent are read in their own part */
		bool own_part = e->kind == WE_MINUTES || e->kind == WE_CONSENT_ASKED;
		const char *text = own_part ? "" : e->text;
		if (e->kind == WE_ASSESSED)
			text = i18n_choice(r->lang, "wbcat", e->text);
		tv_set(o, "text", text);
		tv_set(o, "day", req_day_text(r, e->on_day));
		file_vars(r, o, rep, e->kind == WE_MESSAGE_IN ? e->id : -1, officer);
	}
	file_vars(r, v, rep, 0, officer); /* what came with the report */
	minutes_vars(r, v, rep, officer, fr);
	consent_vars(r, v, rep, officer, fr);
	tv_set_bool(v, "officer", officer);
	tv_set_bool(v, "renew", !officer && rep->open && !rep->code_own);
	if (fr && fr->message && !fr->ref) {
		/* a form of the page itself, not of one item */
		tv_set(v, arena_printf(&r->arena, "e_%s", fr->form), fr->message);
		tv_set(v, arena_printf(&r->arena, "k_%s", fr->form), fr->typed ? fr->typed : "");
	}
	if (fr && fr->message)
		tv_set(v, "refused", fr->message);
}

/* ---- the register ------------------------------------------------------------------- */

void h_wb_list(struct req *r)
{
	const char *view = kv_get(&r->query, "weergave"), *page_s = kv_get(&r->query, "pagina");
	bool closed = view && strcmp(view, "gesloten") == 0;
	int64_t page = 1;
	if ((view && !closed) || (page_s && text_parse_i64(page_s, 1, MAX_PAGE, &page))) {
		req_error(r, 400);
		return;
	}
	struct wb_lines lines;
	int rc = wb_list(r->vd, r->who, &r->arena, !closed, (size_t)page - 1, &lines);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_bool(v, "closed_view", closed);
	for (size_t i = 0; i < lines.n; i++) {
		const struct wb_line *l = &lines.items[i];
		struct tvars *o = tv_add(v, "reports");
		tv_set_int(o, "id", l->id);
		tv_set(o, "received", req_day_text(r, l->received_day));
		tv_set(o, "channel", i18n_choice(r->lang, "wbchannel", l->channel));
		tv_set(o, "category", choice_or(r, "wbcat", l->category, "wb.category_none"));
		tv_set(o, "due", req_day_text(r, l->next_due_day));
		tv_set(o, "clock", *l->next_clock ? i18n_choice(r->lang, "wbclock", l->next_clock) : "");
		tv_set_bool(o, "overdue", l->overdue);
		tv_set(o, "outcome", *l->outcome ? i18n_choice(r->lang, "wbout", l->outcome) : "");
		tv_set(o, "closed", req_day_text(r, l->closed_day));
	}
	tv_set_bool(v, "none", lines.n == 0);
	const char *base = closed ? LINK_WB "?weergave=gesloten&" : LINK_WB "?";
	if (page > 1)
		tv_set(v, "prev", arena_printf(&r->arena, "%spagina=%lld", base, (long long)page - 1));
	if (lines.more)
		tv_set(v, "next", arena_printf(&r->arena, "%spagina=%lld", base, (long long)page + 1));
	page_render(r, "wb_list", v, "wb_list.title");
}

static void entry_page(struct req *r, field_errors errs)
{
	struct unit_list units;
	int *depth;
	int rc = wb_entry_units(r->vd, r->who, &r->arena, &units, &depth);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	wb_form_vars(r, v, errs, &units, depth, true);
	tv_set(v, "action", LINK_WB "/nieuw");
	page_render(r, "wb_form", v, "wb_new.title");
}

void h_wb_new_form(struct req *r)
{
	entry_page(r, 0);
}

void h_wb_new(struct req *r)
{
	struct wb_input in;
	wb_input_from_form(r, &in);
	field_errors errs = 0;
	int64_t id = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	if (uploads_problem(r)) {
		entry_page(r, 1u << WF_FILES); /* nothing taken: the files said why */
		return;
	}
	int rc = wb_enter(r->vd, r->who, &in, &errs, &id, code);
	if (rc == VD_ERR_INVALID && errs) {
		entry_page(r, errs);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set(v, "code", arena_strdup(&r->arena, code));
	wipe(code, sizeof code);
	tv_set_bool(v, "officer", true);
	tv_set_int(v, "id", id);
	page_render(r, "wb_filed", v, "wb_entered.title");
}

/* ---- one report ------------------------------------------------------------------------ */

static void fail_report(struct req *r, int rc)
{
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY)
		req_error_key(r, 403, "wb.cannot_open");
	else
		req_fail(r, rc); /* VD_ERR_NOTFOUND: not theirs, 404 as for none */
}

static void report_page(struct req *r, const struct wb_refused *fr)
{
	struct wb_report rep;
	int rc = wb_open(r->vd, r->who, &r->arena, r->id, &rep);
	if (rc) {
		fail_report(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	wb_report_vars(r, v, &rep, true, fr);
	tv_set(v, "today", req_day_value(r, date_of(clock_now())));
	tv_choices(r, v, "assess_categories", "wbcat", wb_categories, rep.category);
	tv_choices(r, v, "outcomes", "wbout", wb_outcomes, fr && fr->form && strcmp(fr->form, "close") == 0 ? form_str(r, "outcome") : NULL);
	if (fr)
		r->status = 400;
	page_render_title(r, "wb_report", v,
			  arena_printf(&r->arena, "%s %lld", i18n_get(r->lang, "wb.report"), (long long)rep.id));
}

void h_wb_report(struct req *r)
{
	report_page(r, NULL);
}

/* After a form: back to part of the page when accepted, the page again
 * with the reason when refused. */
static void answer(struct req *r, int rc, field_errors errs, const char *form, int64_t ref, const char *typed,
		   const char *const *keys, size_t nkeys, const char *part)
{
	if (rc == VD_OK) {
		char *to = arena_printf(&r->arena, LINK_WB "/%lld#%s", (long long)r->id, part);
		req_redirect(r, to ? to : LINK_WB);
		return;
	}
	if (rc != VD_ERR_INVALID || !errs) {
		fail_report(r, rc);
		return;
	}
	struct wb_refused fr = { .form = form, .ref = ref, .typed = typed };
	for (size_t b = 0; b < nkeys && !fr.message; b++)
		if ((errs & (1u << b)) && keys[b])
			fr.message = i18n_get(r->lang, keys[b]);
	if (!fr.message)
		fr.message = i18n_get(r->lang, "wb.error.state");
	report_page(r, &fr);
}

#define KEYS(...)                                                                                                   \
	static const char *const keys[] = { __VA_ARGS__ };                                                          \
	const size_t nkeys = sizeof keys / sizeof keys[0]

void h_wb_ack(struct req *r)
{
	KEYS([WW_TEXT] = "wb.error.ack.text", [WW_STATE] = "wb.error.ack.state");
	field_errors errs = 0;
	int rc = wb_acknowledge(r->vd, r->who, r->id, form_text(r, "text"), &errs);
	answer(r, rc, errs, "ack", 0, form_text(r, "text"), keys, nkeys, "termijnen");
}

void h_wb_message(struct req *r)
{
	KEYS([WW_TEXT] = "wb.error.message.text", [WW_KIND] = "wb.error.message.kind", [WW_STATE] = "wb.error.state");
	const char *kind_s = form_str(r, "kind");
	enum wb_event_kind kind = strcmp(kind_s, "feedback") == 0 ? WE_FEEDBACK
				  : strcmp(kind_s, "message") == 0 ? WE_MESSAGE_OUT
								   : WE_COUNT;
	field_errors errs = 0;
	int rc = wb_write(r->vd, r->who, r->id, kind, form_text(r, "text"), &errs);
	answer(r, rc, errs, "message", 0, form_text(r, "text"), keys, nkeys, "berichten");
}

void h_wb_note(struct req *r)
{
	KEYS([WW_TEXT] = "wb.error.note.text", [WW_STATE] = "wb.error.state");
	field_errors errs = 0;
	int rc = wb_write(r->vd, r->who, r->id, WE_NOTE, form_text(r, "text"), &errs);
	answer(r, rc, errs, "note", 0, form_text(r, "text"), keys, nkeys, "berichten");
}

void h_wb_minutes(struct req *r)
{
	KEYS([WW_DAY] = "wb.error.minutes.day", [WW_MINUTES] = "wb.error.minutes.text", [WW_STATE] = "wb.error.state");
	int64_t replaces = 0;
	const char *rs = form_str(r, "replaces");
	if (*rs && text_parse_i64(rs, 1, INT64_MAX, &replaces))
		replaces = -1; /* not minutes of this report: refused as such */
	field_errors errs = 0;
	int rc = wb_minutes_add(r->vd, r->who, r->id, form_str(r, "day"), form_text(r, "text"), replaces < 0 ? INT64_MAX : replaces,
				&errs);
	answer(r, rc, errs, replaces > 0 ? "minutes" : "new_minutes", replaces, form_text(r, "text"), keys, nkeys, "verslagen");
}

void h_wb_assess(struct req *r)
{
	KEYS([WW_CATEGORY] = "wb.error.assess.category", [WW_STATE] = "wb.error.state");
	field_errors errs = 0;
	int rc = wb_assess(r->vd, r->who, r->id, form_str(r, "category"), &errs);
	answer(r, rc, errs, "assess", 0, NULL, keys, nkeys, "beoordeling");
}

void h_wb_close(struct req *r)
{
	KEYS([WW_OUTCOME] = "wb.error.close.outcome", [WW_TEXT] = "wb.error.close.text", [WW_STATE] = "wb.error.state");
	field_errors errs = 0;
	int rc = wb_close(r->vd, r->who, r->id, form_str(r, "outcome"), form_text(r, "text"), &errs);
	answer(r, rc, errs, "close", 0, form_text(r, "text"), keys, nkeys, "afsluiten");
}

void h_wb_consent(struct req *r)
{
	KEYS([WW_TEXT] = "wb.error.consent.text", [WW_STATE] = "wb.error.state");
	field_errors errs = 0;
	int rc = wb_consent_ask(r->vd, r->who, r->id, form_text(r, "request"), &errs);
	answer(r, rc, errs, "consent", 0, form_text(r, "request"), keys, nkeys, "identiteit");
}

void h_wb_disclose(struct req *r)
{
	KEYS([WW_CONSENT] = "wb.error.disclose.consent");
	int64_t consent = 0;
	if (text_parse_i64(form_str(r, "consent"), 1, INT64_MAX, &consent))
		consent = 0;
	field_errors errs = 0;
	int rc = wb_disclose(r->vd, r->who, r->id, consent, &errs);
	answer(r, rc, errs, "disclose", consent, NULL, keys, nkeys, "identiteit");
}

/* The identity, as the answer to the form that gave a reason: a page of
 * its own that no link leads back to, and nothing of it is kept. */
void h_wb_identity(struct req *r)
{
	KEYS([WW_TEXT] = "wb.error.identity.reason");
	field_errors errs = 0;
	struct wb_identity who;
	int rc = wb_identity_open(r->vd, r->who, &r->arena, r->id, form_text(r, "reason"), &errs, &who);
	if (rc) {
		answer(r, rc, errs, "identity", 0, form_text(r, "reason"), keys, nkeys, "identiteit");
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_int(v, "id", r->id);
	tv_set_bool(v, "given", who.given);
	tv_set(v, "name", who.name);
	tv_set(v, "email", who.email);
	tv_set(v, "phone", who.phone);
	page_render(r, "wb_identity", v, "wb_identity.title");
}

void h_wb_file(struct req *r)
{
	struct case_file f;
	struct file_reader *fr = NULL;
	int rc = wb_file_open(r->vd, r->who, &r->arena, r->id, r->slug, &f, &fr);
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY)
		fail_report(r, rc);
	else
		send_file(r, rc, &f, fr);
}
