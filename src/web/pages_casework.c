/*
 * pages_casework: the counsellor's work on a case (/dossiers/:id/werk) —
 * phase, what it asks for, conversations, appointments, consent, route and
 * outcome, forwarding to the committee, hand-over — and their dashboard
 * (/overzicht).
 *
 * Every form posts to its own route and, when it is accepted, returns to
 * its part of the work page (303). A refused form shows the page again
 * (400) with the reason next to each field and what was typed kept. The
 * rules themselves are in the core (casework.h, forward.h, handover.h).
 */
#include <stdio.h>
#include <string.h>

#include "../core/accounts.h"
#include "../core/cases.h"
#include "../core/casework.h"
#include "../core/forward.h"
#include "../core/exceptions.h"
#include "../core/handover.h"
#include "../core/profiles.h"
#include "../util/date.h"
#include "../util/text.h"
#include "i18n.h"
#include "web.h"

/* Which form a refused POST came from, and what was wrong with it. */
struct refused {
	const char *form;        /* "phase", "progress", "contact", ... */
	field_errors errs;
	const char *const *keys; /* the error text per field bit (translation keys) */
	size_t nkeys;
	const char *message;     /* one message for the whole form (a translation key), or NULL */
};

/* The answer to a core error outside a form's own checks: no key in the
 * session, or one that does not open the case, is the same 403 for every
 * case (nothing about the record). */
static void fail_case(struct req *r, int rc)
{
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY)
		req_error_key(r, 403, "cases.cannot_open");
	else
		req_fail(r, rc); /* VD_ERR_NOTFOUND: not a reader, 404 like the case page */
}

static const char *user_name(struct req *r, int64_t id)
{
	return account_name(r->vd, r->who, &r->arena, id);
}

static void set_phase_part(struct req *r, struct tvars *v, const struct case_work_view *w)
{
	tv_set(v, "phase", i18n_choice(r->lang, "phase", phase_names[w->phase]));
	tv_set(v, "phase_hint", i18n_choice(r->lang, "phase_hint", phase_names[w->phase]));
	if (w->work.phase_at)
		tv_set(v, "phase_since", req_time_text(r, w->work.phase_at));
	for (size_t i = 0; i < w->nmoves; i++) {
		const struct phase_move *m = &w->moves[i];
		struct tvars *o = tv_add(v, "history");
		tv_set(o, "at", req_time_text(r, m->at));
		tv_set(o, "from", i18n_choice(r->lang, "phase", phase_names[m->from]));
		tv_set(o, "to", i18n_choice(r->lang, "phase", phase_names[m->to]));
		/* 0: the reporter, who withdrew the report from their mailbox */
		tv_set(o, "by", m->by ? user_name(r, m->by) : i18n_get(r->lang, "work.by_reporter"));
	}
	enum phase to[PH_COUNT];
	size_t n = phase_moves(w->phase, to);
	for (size_t i = 0; i < n; i++) {
		struct tvars *m = tv_add(v, "moves");
		tv_set(m, "from", phase_names[w->phase]);
		tv_set(m, "to", phase_names[to[i]]);
		tv_set(m, "label", i18n_choice(r->lang, "move", phase_names[to[i]]));
		/* closing, and going back, are not the way forward */
		tv_set_bool(m, "secondary", to[i] == PH_CLOSED || to[i] < w->phase);
	}
}

static void set_progress_part(struct tvars *v, const struct progress_input *p)
{
	tv_set(v, "inventory", p->inventory);
	tv_set(v, "agreement_on", p->agreement_on);
	tv_set_bool(v, "follow_up_0", p->follow_up == 0);
	tv_set_bool(v, "follow_up_1", p->follow_up == 1);
	tv_set_bool(v, "follow_up_2", p->follow_up == 2);
	tv_set_bool(v, "progress_evaluated", p->progress_evaluated);
	tv_set_bool(v, "legal_advice", p->legal_advice);
	tv_set_bool(v, "aftercare_offered", p->aftercare_offered);
	tv_set_bool(v, "aftercare_done", p->aftercare_done);
	tv_set(v, "aftercare_due", p->aftercare_due);
}

static void progress_from_form(struct req *r, struct progress_input *in);
static void outcome_from_form(struct req *r, struct outcome_input *in);

static void set_records(struct req *r, struct tvars *v, const struct case_work_view *w)
{
	for (size_t i = 0; i < w->ncontacts; i++) {
		const struct contact_view *c = &w->contacts[i];
		struct tvars *o = tv_add(v, "contacts");
		tv_set(o, "date", req_day_text(r, c->on_day));
		tv_set(o, "way", i18n_choice(r->lang, "way", c->way));
		tv_set(o, "with_whom", i18n_choice(r->lang, "party", c->with_whom));
		tv_set_int(o, "minutes", c->minutes);
		tv_set(o, "notes", c->notes);
	}
	for (size_t i = 0; i < w->nappointments; i++) {
		const struct appointment_view *ap = &w->appointments[i];
		struct tvars *o = tv_add(v, "appointments");
		tv_set(o, "when", req_time_text(r, ap->starts_at));
		tv_set(o, "place", ap->place);
		tv_set_bool(o, "shared", ap->shared);
	}
	for (size_t i = 0; i < w->nconsents; i++) {
		const struct consent_view *c = &w->consents[i];
		struct tvars *o = tv_add(v, "consents");
		tv_set(o, "step", i18n_choice(r->lang, "consent_step", c->step));
		tv_set(o, "given", i18n_get(r->lang, c->asked ? "work.consent_asked" : c->given ? "work.consent_yes"
											       : "work.consent_no"));
		tv_set(o, "date", req_day_text(r, c->on_day));
		tv_set(o, "how", i18n_choice(r->lang, "consent_way", c->how));
	}
	for (size_t i = 0; i < w->conflicts.n; i++) {
		struct tvars *o = tv_add(v, "conflicts");
		tv_set(o, "name", user_name(r, w->conflicts.ids[i]));
		if (w->conflicts.ids[i] == r->user->id)
			tv_set_bool(v, "i_declared", true);
	}
}

static void set_outcome_part(struct req *r, struct tvars *v, const struct outcome_input *o)
{
	tv_choices(r, v, "locations", "location", locations, o->stats.location);
	tv_choices(r, v, "relations", "relation", relations, o->stats.relation);
	tv_choices(r, v, "reporter_types", "reptype", reporter_types, o->stats.reporter_type);
	for (int b = 0; b < BEH_COUNT; b++) {
		struct tvars *c = tv_add(v, "behaviours");
		tv_set(c, "value", behaviour_names[b]);
		tv_set(c, "label", i18n_choice(r->lang, "behaviour", behaviour_names[b]));
		tv_set_bool(c, "checked", (o->stats.behaviours >> b) & 1);
	}
	tv_choices(r, v, "routes", "route", case_routes, o->route);
	tv_choices(r, v, "outcomes", "outcome", case_outcomes, o->outcome);
	for (int i = 0; i < REF_COUNT; i++) {
		struct tvars *c = tv_add(v, "referrals");
		tv_set(c, "value", referral_names[i]);
		tv_set(c, "label", i18n_choice(r->lang, "referral", referral_names[i]));
		tv_set_bool(c, "checked", (o->referrals >> i) & 1);
	}
}

/* The colleagues a case can be handed to: active counsellors but me (the
 * one chosen on a refused hand-over still chosen), and the reasons. */
void set_colleagues(struct req *r, struct tvars *v)
{
	const char *to = kv_get(&r->form, "to");
	int64_t chosen = 0;
	struct counsellor_list all;
	if (directory_list(r->vd, &r->arena, 0, &all) != VD_OK) {
		tv_set_failed(v);
		return;
	}
	for (size_t i = 0; i < all.n; i++) {
		if (all.items[i].user_id == r->user->id)
			continue;
		struct tvars *o = tv_add(v, "colleagues");
		tv_set_int(o, "id", all.items[i].user_id);
		tv_set(o, "name", all.items[i].name);
		tv_set_bool(o, "selected", to && text_parse_i64(to, 1, INT64_MAX, &chosen) == VD_OK &&
						   chosen == all.items[i].user_id);
	}
	tv_choices(r, v, "reasons", "handover_reason", handover_reasons, kv_get(&r->form, "reason"));
}

/* The work page; after a refused form, f says which and why. */
static void work_page(struct req *r, const struct refused *f)
{
	struct case_work_view w;
	int rc = case_work_open(r->vd, r->who, &r->arena, r->id, &w);
	if (rc) {
		fail_case(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_int(v, "id", r->id);
	set_phase_part(r, v, &w);
	/* the stored values, or on the refused form what was sent */
	struct progress_input p = {
		.inventory = w.inventory, .agreement_on = req_day_value(r, w.work.agreement_day),
		.follow_up = w.work.follow_up, .progress_evaluated = w.work.progress_evaluated,
		.legal_advice = w.work.legal_advice, .aftercare_offered = w.work.aftercare_offered,
		.aftercare_done = w.work.aftercare_done, .aftercare_due = req_day_value(r, w.work.aftercare_due_day),
	};
	struct outcome_input o = { .route = w.work.route, .outcome = w.work.outcome, .referrals = w.work.referrals,
				   .stats = w.stats };
	if (f && strcmp(f->form, "progress") == 0)
		progress_from_form(r, &p);
	if (f && strcmp(f->form, "outcome") == 0) {
		outcome_from_form(r, &o);
		if (!o.stats.reporter_type)
			o.stats = w.stats;
	}
	set_progress_part(v, &p);
	set_records(r, v, &w);
	set_outcome_part(r, v, &o);
	set_colleagues(r, v);
	tv_set_bool(v, "forwarded", kv_get(&r->query, "doorgestuurd") != NULL);
	/* The forms' choices, the refused form's own values kept. */
	bool kept = f != NULL;
	const char *way = kept ? kv_get(&r->form, "way") : NULL, *with = kept ? kv_get(&r->form, "with_whom") : NULL;
	tv_choices(r, v, "ways", "way", contact_ways, way);
	tv_choices(r, v, "parties", "party", contact_parties, with);
	tv_choices(r, v, "steps", "consent_step", consent_steps, kept ? kv_get(&r->form, "step") : NULL);
	tv_choices(r, v, "consent_ways", "consent_way", consent_ways, kept ? kv_get(&r->form, "how") : NULL);
	const char *today = req_day_value(r, date_of(clock_now()));
	tv_set(v, "k_contact_on_date", today);
	tv_set(v, "k_consent_on_date", today);
	if (kept)
		tv_refused_form(r, v, f->form, f->errs, f->keys, f->nkeys);
	if (kept && strcmp(f->form, "consent") == 0) {
		tv_set_bool(v, "given_yes", strcmp(form_str(r, "given"), "yes") == 0);
		tv_set_bool(v, "given_no", strcmp(form_str(r, "given"), "no") == 0);
	}
	if (kept && f->message) {
		char name[48];
		snprintf(name, sizeof name, "e_%s", f->form);
		tv_set(v, arena_strdup(&r->arena, name), i18n_get(r->lang, f->message));
	}
	if (kept)
		r->status = 400;
	page_render(r, "case_work", v, "work.title");
}

void h_case_work(struct req *r)
{
	work_page(r, NULL);
}

/* After an accepted form: back to its part of the page. */
static void back_to(struct req *r, const char *part)
{
	char *to = arena_printf(&r->arena, "/dossiers/%lld/werk#%s", (long long)r->id, part);
	req_redirect(r, to ? to : "/dossiers");
}

/* A core answer to a form: accepted, refused (shown with its errors), or failed. */
static void answer(struct req *r, int rc, const struct refused *f, const char *part)
{
	if (rc == VD_OK)
		back_to(r, part);
	else if (rc == VD_ERR_INVALID || (rc == VD_ERR_DENIED && (f->errs || f->message)))
		work_page(r, f);
	else
		fail_case(r, rc);
}

static bool yes(struct req *r, const char *name)
{
	return strcmp(form_str(r, name), "yes") == 0;
}

void h_case_phase(struct req *r)
{
	enum phase from = phase_parse(form_str(r, "from")), to = phase_parse(form_str(r, "to"));
	int rc = from == PH_COUNT || to == PH_COUNT ? VD_ERR_INVALID
						     : case_move(r->vd, r->who, r->id, from, to);
	struct refused f = { .form = "phase", .message = "work.error.phase" };
	answer(r, rc, &f, "fase");
}

static void progress_from_form(struct req *r, struct progress_input *in)
{
	const char *fu = form_str(r, "follow_up");
	*in = (struct progress_input){
		.inventory = form_text(r, "inventory"),
		.agreement_on = form_str(r, "agreement_on"),
		.follow_up = !*fu ? 0 : strlen(fu) == 1 && fu[0] >= '0' && fu[0] <= '2' ? fu[0] - '0' : -1,
		.progress_evaluated = yes(r, "progress_evaluated"), .legal_advice = yes(r, "legal_advice"),
		.aftercare_offered = yes(r, "aftercare_offered"), .aftercare_done = yes(r, "aftercare_done"),
		.aftercare_due = form_str(r, "aftercare_due"),
	};
}

void h_case_progress(struct req *r)
{
	static const char *const keys[] = {
		[PF_INVENTORY] = "work.error.progress.inventory", [PF_AGREEMENT] = "work.error.progress.agreement",
		[PF_FOLLOW_UP] = "work.error.progress.follow_up", [PF_AFTERCARE_DUE] = "work.error.progress.aftercare_due",
	};
	struct progress_input in;
	progress_from_form(r, &in);
	struct refused f = { .form = "progress", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = case_progress_save(r->vd, r->who, r->id, &in, &f.errs);
	answer(r, rc, &f, "voortgang");
}

static void outcome_from_form(struct req *r, struct outcome_input *in)
{
	*in = (struct outcome_input){
		.route = form_str(r, "route"), .outcome = form_str(r, "outcome"),
		.stats = { .reporter_type = form_str(r, "reporter_type"), .relation = form_str(r, "relation"),
			   .location = form_str(r, "location") },
	};
	/* an unknown value sets a bit the core refuses */
	if (!form_bits(r, "referral", referral_names, REF_COUNT, &in->referrals))
		in->referrals |= (int64_t)1 << REF_COUNT;
	if (!form_bits(r, "behaviour", behaviour_names, BEH_COUNT, &in->stats.behaviours))
		in->stats.behaviours |= (int64_t)1 << BEH_COUNT;
	/* A form without the classification leaves it as it is. */
	if (!in->stats.behaviours && !kv_get(&r->form, "reporter_type") && !kv_get(&r->form, "relation") &&
	    !kv_get(&r->form, "location"))
		memset(&in->stats, 0, sizeof in->stats);
}

void h_case_outcome(struct req *r)
{
	static const char *const keys[] = {
		[OF_ROUTE] = "work.error.outcome.route", [OF_OUTCOME] = "work.error.outcome.outcome",
		[OF_REFERRALS] = "work.error.outcome.referrals", [OF_BEHAVIOURS] = "work.error.outcome.behaviours",
		[OF_TYPE] = "work.error.outcome.type", [OF_RELATION] = "work.error.outcome.relation",
		[OF_LOCATION] = "work.error.outcome.location",
	};
	struct outcome_input in;
	outcome_from_form(r, &in);
	struct refused f = { .form = "outcome", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = case_outcome_save(r->vd, r->who, r->id, &in, &f.errs);
	answer(r, rc, &f, "uitkomst");
}

void h_case_contact(struct req *r)
{
	static const char *const keys[] = {
		[CF_DATE] = "work.error.contact.date", [CF_WAY] = "work.error.contact.way",
		[CF_WITH] = "work.error.contact.with", [CF_MINUTES] = "work.error.contact.minutes",
		[CF_NOTES] = "work.error.contact.notes", [CF_CONSENT] = "work.error.contact.consent",
	};
	int64_t minutes = 0;
	if (text_parse_i64(form_str(r, "minutes"), 1, CONTACT_MAX_MINUTES, &minutes))
		minutes = 0;
	struct contact_input in = { .on_date = form_str(r, "on_date"), .way = form_str(r, "way"),
				    .with_whom = form_str(r, "with_whom"), .minutes = minutes,
				    .notes = form_text(r, "notes") };
	struct refused f = { .form = "contact", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = case_contact_add(r->vd, r->who, r->id, &in, &f.errs);
	answer(r, rc, &f, "gesprekken");
}

void h_case_appointment(struct req *r)
{
	static const char *const keys[] = {
		[AF_DATE] = "work.error.appointment.date", [AF_TIME] = "work.error.appointment.time",
		[AF_PLACE] = "work.error.appointment.place",
	};
	struct appointment_input in = { .date = form_str(r, "date"), .time = form_str(r, "time"),
					.place = form_str(r, "place"), .shared = yes(r, "shared") };
	struct refused f = { .form = "appointment", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = case_appointment_add(r->vd, r->who, r->id, &in, &f.errs);
	answer(r, rc, &f, "afspraken");
}

void h_case_consent(struct req *r)
{
	static const char *const keys[] = {
		[NF_STEP] = "work.error.consent.step", [NF_GIVEN] = "work.error.consent.given",
		[NF_DATE] = "work.error.consent.date", [NF_HOW] = "work.error.consent.how",
	};
	const char *given = form_str(r, "given");
	struct consent_input in = { .step = form_str(r, "step"), .how = form_str(r, "how"),
				    .on_date = form_str(r, "on_date"),
				    .given = strcmp(given, "yes") == 0  ? 1
					     : strcmp(given, "no") == 0 ? 0
					     : strcmp(given, "ask") == 0 ? CONSENT_ASKED
									 : -1 };
	struct refused f = { .form = "consent", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int rc = case_consent_record(r->vd, r->who, r->id, &in, &f.errs);
	answer(r, rc, &f, "toestemming");
}

void h_case_forward(struct req *r)
{
	struct forward_input in = { .share_account = yes(r, "share_account"), .share_when = yes(r, "share_when"),
				    .share_hopes = yes(r, "share_hopes"),
				    .summary = form_text(r, "summary") };
	struct refused f = { .form = "forward" };
	int64_t complaint = 0;
	int rc = case_forward(r->vd, r->who, r->id, &in, &f.errs, &complaint);
	/* one message: the first thing that stands in the way */
	f.message = f.errs & (1u << FF_CONSENT)     ? "work.error.forward.consent"
		    : f.errs & (1u << FF_NAMED)     ? "work.error.forward.named"
		    : f.errs & (1u << FF_SUMMARY)   ? "work.error.forward.summary"
		    : f.errs & (1u << FF_COMMITTEE) ? "work.error.forward.committee"
						    : NULL;
	if (rc == VD_OK) {
		char *to = arena_printf(&r->arena, "/dossiers/%lld/werk?doorgestuurd=1#klacht", (long long)r->id);
		req_redirect(r, to ? to : "/dossiers");
		return;
	}
	answer(r, rc, &f, "klacht");
}

void h_case_handover(struct req *r)
{
	int64_t to = 0;
	if (text_parse_i64(form_str(r, "to"), 1, INT64_MAX, &to))
		to = 0;
	int rc = case_handover(r->vd, r->who, r->id, to, form_str(r, "reason"));
	if (rc == VD_OK) {
		/* the case is no longer ours: back to the list */
		req_redirect(r, "/dossiers?overgedragen=1");
		return;
	}
	struct refused f = { .form = "handover", .message = "work.error.handover" };
	answer(r, rc, &f, "overdragen");
}

void h_case_conflict(struct req *r)
{
	int rc = case_declare_conflict(r->vd, r->who, r->id);
	struct refused f = { .form = "handover" };
	answer(r, rc, &f, "overdragen");
}

/* ---- the dashboard ------------------------------------------------------------ */

static void dashboard_list(struct req *r, struct tvars *v, const char *name, const struct dashboard_items *items)
{
	for (size_t i = 0; i < items->n; i++) {
		struct tvars *o = tv_add(v, name);
		tv_set_int(o, "case_id", items->items[i].case_id);
		const struct dashboard_item *it = &items->items[i];
		tv_set(o, "when", it->at ? req_time_text(r, it->at) : it->day ? req_day_text(r, it->day) : "");
	}
}

void h_dashboard(struct req *r)
{
	struct dashboard_view d;
	int rc = casework_dashboard(r->vd, r->who, &r->arena, &d);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	int64_t open = 0;
	for (int p = 0; p < PH_COUNT; p++) {
		struct tvars *o = tv_add(v, "phases");
		tv_set(o, "phase", i18n_choice(r->lang, "phase", phase_names[p]));
		tv_set_int(o, "n", d.by_phase[p]);
		if (p != PH_CLOSED)
			open += d.by_phase[p];
	}
	tv_set_int(v, "open", open);
	tv_set_int(v, "quiet_weeks", d.quiet_weeks);
	tv_set_bool(v, "one_week", d.quiet_weeks == 1);
	dashboard_list(r, v, "appointments", &d.appointments);
	dashboard_list(r, v, "quiet", &d.quiet);
	dashboard_list(r, v, "aftercare", &d.aftercare);
	page_render(r, "dashboard", v, "dashboard.title");
}

/* ---- the confidentiality exception -------------------------------------------- */

static void exception_page(struct req *r, field_errors errs, bool refused)
{
	struct exception_view *ex = NULL;
	size_t n = 0;
	int rc = case_exceptions(r->vd, r->who, &r->arena, r->id, &ex, &n);
	if (rc) {
		fail_case(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_int(v, "id", r->id);
	for (size_t i = 0; i < n; i++) {
		struct tvars *o = tv_add(v, "records");
		tv_set(o, "at", req_time_text(r, ex[i].at));
		tv_set(o, "by", user_name(r, ex[i].by));
		tv_set(o, "told_on", ex[i].told_day ? req_day_text(r, ex[i].told_day) : "");
		tv_set(o, "informed", ex[i].informed);
		for (int c = 0; c < EXC_COUNT; c++) {
			struct tvars *cv = tv_add(o, "conditions");
			tv_set(cv, "label", i18n_choice(r->lang, "exception.condition", exception_conditions[c]));
			tv_set(cv, "met", i18n_get(r->lang, (ex[i].conditions >> c) & 1 ? "exception.met" : "exception.not_met"));
			tv_set(cv, "why", ex[i].why[c]);
		}
	}
	for (int c = 0; c < EXC_COUNT; c++) {
		struct tvars *o = tv_add(v, "form_conditions");
		const char *name = exception_conditions[c];
		tv_set(o, "value", name);
		tv_set(o, "label", i18n_choice(r->lang, "exception.condition", name));
		tv_set(o, "hint", i18n_choice(r->lang, "exception.hint", name));
		if (refused) {
			char field[48];
			snprintf(field, sizeof field, "met_%s", name);
			const char *met = kv_get(&r->form, field);
			tv_set_bool(o, "yes", met && strcmp(met, "yes") == 0);
			tv_set_bool(o, "no", met && strcmp(met, "no") == 0);
			snprintf(field, sizeof field, "why_%s", name);
			tv_set(o, "why", kv_get(&r->form, field));
			if (errs & (1u << c)) {
				const char *msg = i18n_get(r->lang, "exception.error.condition");
				tv_set(o, "error", msg);
				struct tvars *e = tv_add(v, "errors");
				snprintf(field, sizeof field, "cond-%s", name);
				tv_set(e, "field", arena_strdup(&r->arena, field));
				tv_set(e, "message", msg);
			}
		}
	}
	if (refused) {
		r->status = 400;
		tv_set_bool(v, "has_errors", errs != 0);
		tv_set(v, "k_told_on", kv_get(&r->form, "told_on"));
		tv_set(v, "k_informed", kv_get(&r->form, "informed"));
		static const struct {
			unsigned bit;
			const char *var, *field, *key;
		} more[] = { { EXF_TOLD, "e_told", "told_on", "exception.error.told" },
			     { EXF_INFORMED, "e_informed", "informed", "exception.error.informed" } };
		for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
			if (!(errs & (1u << more[i].bit)))
				continue;
			tv_set(v, more[i].var, i18n_get(r->lang, more[i].key));
			struct tvars *e = tv_add(v, "errors");
			tv_set(e, "field", more[i].field);
			tv_set(e, "message", i18n_get(r->lang, more[i].key));
		}
	}
	page_render(r, "case_exception", v, "exception.title");
}

void h_case_exception_form(struct req *r)
{
	exception_page(r, 0, false);
}

void h_case_exception(struct req *r)
{
	struct exception_input in;
	memset(&in, 0, sizeof in);
	for (int c = 0; c < EXC_COUNT; c++) {
		char field[48];
		snprintf(field, sizeof field, "met_%s", exception_conditions[c]);
		const char *met = kv_get(&r->form, field);
		in.met[c] = met && strcmp(met, "yes") == 0 ? 1 : met && strcmp(met, "no") == 0 ? 0 : -1;
		snprintf(field, sizeof field, "why_%s", exception_conditions[c]);
		in.why[c] = kv_get(&r->form, field);
	}
	in.told_on = form_str(r, "told_on");
	in.informed = kv_get(&r->form, "informed");
	field_errors errs = 0;
	int rc = case_exception_record(r->vd, r->who, r->id, &in, &errs);
	if (rc == VD_ERR_INVALID) {
		exception_page(r, errs, true);
		return;
	}
	if (rc) {
		fail_case(r, rc);
		return;
	}
	char *to = arena_printf(&r->arena, "/dossiers/%lld/uitzondering", (long long)r->id);
	req_redirect(r, to ? to : "/dossiers");
}
