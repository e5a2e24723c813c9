/*
 * pages_report: the public report form and its receipt page, and the
 * counsellor's case list and case page.
 *
 * The form works without JavaScript: every field is explained, errors show
 * next to the field (and in a summary at the top, linked to the fields), and
 * what was typed is kept. The receipt code is shown once, in the answer to
 * the POST, which is never stored and is wiped from memory afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/cases.h"
#include "../core/casework.h"
#include "../core/workflow.h"
#include "../core/links.h"
#include "../core/profiles.h"
#include "../core/units.h"
#include "../util/log.h"
#include "../util/text.h"
#include "i18n.h"
#include "pages.h"

/* ---- files: the input on a form, the list on a page, a download ------------- */

const char *uploads_problem(const struct req *r)
{
	static const char *const keys[] = {
		[UP_TOO_BIG] = "files.error.too_big", [UP_TOO_MANY] = "files.error.too_many",
		[UP_BAD_TYPE] = "files.error.bad_type", [UP_EMPTY] = "files.error.empty",
		[UP_FAILED] = "files.error.failed",
	};
	if (r->uploads_too_many)
		return "files.error.too_many";
	for (size_t i = 0; i < r->nuploads; i++)
		if (upload_error(r->uploads[i]) != UP_OK)
			return keys[upload_error(r->uploads[i])];
	return NULL;
}

const char *file_input(struct req *r, struct tvars *v, const char *id, bool after_post)
{
	struct tvars *f = tv_new(&r->arena, v);
	tv_set(f, "input_id", id);
	const char *problem = uploads_problem(r);
	if (after_post && (problem || r->nuploads))
		tv_set(f, "files_error", i18n_get(r->lang, problem ? problem : "files.reselect"));
	const char *html = render_fragment(r, "file_input", f);
	if (!html)
		tv_set_failed(v);
	return html;
}

static const char *size_text(struct req *r, int64_t n)
{
	if (n < 1024 * 1024)
		return arena_printf(&r->arena, "%lld kB", (long long)((n + 1023) / 1024));
	return arena_printf(&r->arena, "%lld%s%lld MB", (long long)(n / (1024 * 1024)),
			    strcmp(r->lang, "nl") == 0 ? "," : ".", (long long)(n % (1024 * 1024) * 10 / (1024 * 1024)));
}

const char *files_html(struct req *r, struct tvars *v, const struct case_file *files, size_t n, int64_t message_id,
		       const char *code_action, const char *link_base)
{
	static const char *const labels[FT_COUNT] = { "PDF", "JPG", "PNG", "TXT", "DOCX", "ODT" };
	struct tvars *l = tv_new(&r->arena, v);
	tv_set_bool(l, "mailbox", code_action != NULL);
	tv_set(l, "action", code_action ? code_action : "");
	tv_set(l, "base", link_base ? link_base : "");
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct case_file *f = &files[i];
		if (f->message_id != message_id)
			continue;
		struct tvars *o = tv_add(l, "files");
		tv_set(o, "file_id", f->file_id);
		tv_set(o, "name", f->name);
		tv_set(o, "type", labels[f->type]);
		tv_set(o, "size", size_text(r, f->size));
		any = true;
	}
	if (!any)
		return "";
	const char *html = render_fragment(r, "file_list", l);
	if (!html)
		tv_set_failed(v);
	return html;
}

/* The files of a case that came with message_id (0: with the report), as
 * links for a reader, or download buttons carrying the code for the reporter. */
static const char *file_list(struct req *r, struct tvars *v, const struct case_view *cv, int64_t message_id,
			     bool mailbox)
{
	return files_html(r, v, cv->files, cv->nfiles, message_id, mailbox ? LINK_MAILBOX "/bestand" : NULL,
			  arena_printf(&r->arena, "/dossiers/%lld/bestand/", (long long)cv->id));
}

/* Content-Disposition for a download: an ASCII name for old clients and
 * the real one, percent-encoded, for the rest (RFC 6266). */
static const char *disposition(struct req *r, const char *name)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		buf_putc(&b, (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '%') ? (char)*p : '_');
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	const char *out = arena_strdup(&r->arena, b.data ? b.data : "attachment");
	buf_release(&b);
	return out ? out : "attachment";
}

void send_file(struct req *r, int rc, const struct case_file *f, struct file_reader *fr)
{
	if (rc == VD_ERR_STORE) {
		req_error_key(r, 500, "files.unreadable"); /* missing or damaged on disk */
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	r->download = fr;
	r->download_size = f->size;
	r->content_type = file_type_media[f->type];
	req_header(r, "Content-Disposition", disposition(r, f->name));
}

static const char *const field_names[RF_COUNT] = {
	[RF_UNIT] = "unit", [RF_COUNSELLOR] = "counsellor", [RF_NAMED] = "named", [RF_NAME] = "name",
	[RF_EMAIL] = "email", [RF_PHONE] = "phone", [RF_CONTACT] = "contact_pref", [RF_ACCOUNT] = "account",
	[RF_WHEN] = "when", [RF_HOPES] = "hopes", [RF_LOCATION] = "location", [RF_RELATION] = "relation",
	[RF_TYPE] = "reporter_type", [RF_BEHAVIOURS] = "behaviours", [RF_CHANNEL] = "channel",
	[RF_INVITE] = "invite",
};

/* The report form; on_behalf: a counsellor enters a report received by
 * phone, in person, by letter or by e-mail (the channel is recorded). */
static void report_page(struct req *r, const struct report_input *in, const struct report_errors *errs,
			bool on_behalf)
{
	struct tvars *v = page_vars(r);
	tv_set_bool(v, "on_behalf", on_behalf);
	tv_set(v, "action", on_behalf ? "/dossiers/nieuw" : "/melden");
	if (on_behalf) {
		static const char *const offline[] = { "phone", "in_person", "letter", "email", NULL };
		tv_choices(r, v, "channels", "channel", offline, in->channel);
		tv_set_bool(v, "can_invite", req_config(r)->smtp_url[0] != '\0');
		tv_set_bool(v, "invite", in->invite);
	}
	struct unit_list units, tree;
	struct counsellor_list all;
	int *depth;
	if (!v || unit_list(r->vd, &r->arena, &units) || unit_tree(&r->arena, &units, &tree, &depth) ||
	    directory_list(r->vd, &r->arena, 0, &all)) {
		req_error(r, 500);
		return;
	}
	for (size_t i = 0; i < tree.n; i++) {
		struct tvars *o = tv_add(v, "units");
		tv_set_int(o, "id", tree.items[i].id);
		tv_setf(o, "label", "%.*s%s", depth[i] * 4, "– – – – – – ", tree.items[i].name);
		tv_set_bool(o, "selected", tree.items[i].id == in->unit_id);
	}
	for (size_t i = 0; i < all.n; i++) {
		struct tvars *o = tv_add(v, "counsellors");
		tv_set_int(o, "id", all.items[i].user_id);
		tv_set(o, "name", all.items[i].name);
		tv_set(o, "kind", i18n_get(r->lang, all.items[i].profile.external ? "directory.external"
										 : "directory.internal"));
		tv_set(o, "region", all.items[i].profile.region);
		tv_set_bool(o, "selected", all.items[i].user_id == in->counsellor_id);
	}
	tv_choices(r, v, "locations", "location", locations, in->location);
	tv_choices(r, v, "relations", "relation", relations, in->relation);
	tv_choices(r, v, "reporter_types", "reptype", reporter_types, in->reporter_type);
	for (int b = 0; b < BEH_COUNT; b++) {
		struct tvars *o = tv_add(v, "behaviours");
		tv_set(o, "value", behaviour_names[b]);
		tv_set(o, "label", i18n_choice(r->lang, "behaviour", behaviour_names[b]));
		tv_set_bool(o, "checked", (in->behaviours >> b) & 1);
	}
	tv_set_bool(v, "named", in->named);
	tv_set(v, "name", in->name);
	tv_set(v, "email", in->email);
	tv_set(v, "phone", in->phone);
	tv_set(v, "contact_pref", in->contact_pref);
	tv_set(v, "account", in->account);
	tv_set(v, "when", in->when);
	tv_set(v, "hopes", in->hopes);
	tv_set_int(v, "account_max", REPORT_ACCOUNT_MAX_CHARS);
	tv_set(v, "file_input", file_input(r, v, "files", errs != NULL));
	tv_set(v, "form_note", r->form_note);
	const char *files_problem = errs ? uploads_problem(r) : NULL;
	if (files_problem) {
		struct tvars *e = tv_add(v, "errors");
		tv_set(e, "field", "files");
		tv_set(e, "message", i18n_get(r->lang, files_problem));
		tv_set_bool(v, "has_errors", true);
	}
	if (errs && errs->any) {
		tv_set_bool(v, "has_errors", true);
		for (int f = 0; f < RF_COUNT; f++) {
			if (!errs->bad[f])
				continue;
			char key[64], flag[48];
			snprintf(key, sizeof key, "report.error.%s", field_names[f]);
			snprintf(flag, sizeof flag, "err_%s", field_names[f]);
			const char *msg = i18n_get(r->lang, key);
			tv_set(v, arena_strdup(&r->arena, flag), msg);
			struct tvars *e = tv_add(v, "errors");
			tv_set(e, "field", field_names[f]);
			tv_set(e, "message", msg);
		}
		if (errs->no_reader) {
			const char *msg = i18n_get(r->lang, "report.error.no_reader");
			tv_set(v, "err_counsellor", msg);
			struct tvars *e = tv_add(v, "errors");
			tv_set(e, "field", "counsellor");
			tv_set(e, "message", msg);
		}
	}
	page_render(r, "report", v, on_behalf ? "report.behalf_title" : "report.title");
}

/* The public form again with one message at the top (status already set). */
static void report_page_note(struct req *r, const struct report_input *in, const char *key)
{
	struct report_errors none;
	memset(&none, 0, sizeof none);
	r->form_note = i18n_get(r->lang, key);
	report_page(r, in, &none, false);
}

void h_report_form(struct req *r)
{
	struct report_input in = { .location = "", .relation = "", .reporter_type = "" };
	/* From a counsellor's profile: that counsellor, and their first unit. */
	const char *c = kv_get(&r->query, "vertrouwenspersoon");
	int64_t cid = 0;
	struct counsellor co;
	if (c && text_parse_i64(c, 1, INT64_MAX, &cid) == VD_OK &&
	    directory_get(r->vd, &r->arena, cid, &co) == VD_OK) {
		in.counsellor_id = cid;
		if (co.units.n)
			in.unit_id = co.units.ids[0];
	}
	report_page(r, &in, NULL, false);
}

/* Reads the form; unknown choices stay as typed and fail validation. */
static void report_from_form(struct req *r, struct report_input *in, bool *malformed)
{
	memset(in, 0, sizeof *in);
	*malformed = false;
	const char *unit = form_str(r, "unit"), *counsellor = form_str(r, "counsellor");
	if (*unit && text_parse_i64(unit, 1, INT64_MAX, &in->unit_id))
		in->unit_id = -1;
	if (*counsellor && text_parse_i64(counsellor, 1, INT64_MAX, &in->counsellor_id))
		in->counsellor_id = -1;
	const char *named = form_str(r, "named");
	in->named = strcmp(named, "yes") == 0;
	in->name = form_str(r, "name");
	in->email = form_str(r, "email");
	in->phone = form_str(r, "phone");
	in->contact_pref = form_str(r, "contact_pref");
	in->account = form_text(r, "account");
	in->when = form_str(r, "when");
	in->hopes = form_text(r, "hopes");
	in->location = form_str(r, "location");
	in->relation = form_str(r, "relation");
	in->reporter_type = form_str(r, "reporter_type");
	in->channel = "web";
	in->invite = strcmp(form_str(r, "invite"), "yes") == 0;
	in->files = r->uploads;
	in->nfiles = r->nuploads;
	*malformed = !form_bits(r, "behaviour", behaviour_names, BEH_COUNT, &in->behaviours);
}

void h_report(struct req *r)
{
	struct report_input in;
	bool malformed;
	report_from_form(r, &in, &malformed);
	in.invite = false; /* the reporter is here and sees the code */
	struct report_errors errs;
	memset(&errs, 0, sizeof errs);
	int64_t id = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	bool bad_files = uploads_problem(r) != NULL;
	int64_t wait = report_rate_wait(r->vd, r->source, r->source_len);
	if (wait > 0) {
		/* nothing is taken; the form comes back with what was typed */
		req_throttled(r, wait);
		report_page_note(r, &in, "report.error.too_many_reports");
		return;
	}
	int rc = VD_ERR_INVALID;
	if (!malformed && !bad_files) {
		rc = report_submit(r->vd, &in, &id, code, &errs);
		if (rc == VD_OK)
			report_rate_count(r->vd, r->source, r->source_len);
	}
	else
		report_check(r->vd, &in, &errs); /* every error at once */
	if (malformed) {
		errs.bad[RF_BEHAVIOURS] = true;
		errs.any = true;
	}
	errs.any |= bad_files;
	if (rc == VD_ERR_INVALID) {
		r->status = 400;
		report_page(r, &in, &errs, false);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "report-received", LF_RECORD, (long long)id, LF_END);
	struct tvars *v = page_vars(r);
	tv_set(v, "code", arena_strdup(&r->arena, code));
	tv_set_bool(v, "named", in.named);
	wipe(code, sizeof code);
	const char *shown = render_fragment(r, "receipt_code", v); /* shared with invitations */
	if (!shown)
		tv_set_failed(v);
	tv_set(v, "receipt_code", shown);
	page_render(r, "report_done", v, "report.done_title");
}

/* ---- a report received another way, entered by the counsellor --------------- */

void h_report_behalf_form(struct req *r)
{
	struct report_input in = { .location = "", .relation = "", .reporter_type = "", .channel = "phone" };
	in.counsellor_id = r->user->id;
	report_page(r, &in, NULL, true);
}

void h_report_behalf(struct req *r)
{
	struct report_input in;
	bool malformed;
	report_from_form(r, &in, &malformed);
	/* Addressed to the counsellor who enters it, by the way it came in. */
	in.counsellor_id = r->user->id;
	in.channel = form_str(r, "channel");
	struct report_errors errs;
	memset(&errs, 0, sizeof errs);
	int64_t id = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	bool web = strcmp(in.channel, "web") == 0, bad_files = uploads_problem(r) != NULL;
	int rc = VD_ERR_INVALID;
	if (!malformed && !web && !bad_files)
		rc = report_submit(r->vd, &in, &id, code, &errs);
	else
		report_check(r->vd, &in, &errs);
	if (malformed)
		errs.bad[RF_BEHAVIOURS] = true;
	if (web)
		errs.bad[RF_CHANNEL] = true;
	errs.any |= malformed || web || bad_files;
	if (rc == VD_ERR_INVALID) {
		r->status = 400;
		report_page(r, &in, &errs, true);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "report-entered", LF_USER, (long long)r->user->id, LF_RECORD, (long long)id,
		  LF_END);
	struct tvars *v = page_vars(r);
	tv_set(v, "code", arena_strdup(&r->arena, code));
	tv_set_int(v, "id", id);
	tv_set_bool(v, "invited", in.invite);
	wipe(code, sizeof code);
	page_render(r, "report_entered", v, "report.entered_title");
}

/* ---- the reporter comes back with the code ---------------------------------- */

/* The report is shown in the answer to the POST that carried the code: no
 * cookie or session is left behind on what may be a shared device, and the
 * page is never cached. Entering the code again shows it again. */
static void mailbox_page(struct req *r, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "mailbox", v, "mailbox.title");
}

void h_mailbox_form(struct req *r)
{
	mailbox_page(r, NULL);
}

static void set_case_fields(struct req *r, struct tvars *v, const struct case_view *cv, bool mailbox);

void code_refused_page(struct req *r, enum code_result res, int64_t retry, void (*form_page)(struct req *, const char *),
		       const char *unknown_key)
{
	static const char *const keys[] = {
		[CODE_MALFORMED] = "mailbox.malformed", [CODE_TYPO] = "mailbox.typo",
		[CODE_UNKNOWN] = "mailbox.unknown", [CODE_THROTTLED] = "mailbox.throttled",
	};
	if (res == CODE_THROTTLED)
		req_throttled(r, retry);
	else
		r->status = 400;
	form_page(r, res == CODE_UNKNOWN ? unknown_key : keys[res]);
}

/* A refused code: the mailbox form again, saying why. */
static void code_refused(struct req *r, enum code_result res, int64_t retry)
{
	code_refused_page(r, res, retry, mailbox_page, "mailbox.unknown");
}

/* The reporter downloads a file of their case; the form carries the code. */
void h_mailbox_file(struct req *r)
{
	struct case_file f;
	struct file_reader *fr = NULL;
	enum code_result res = CODE_MALFORMED;
	int64_t retry = 0;
	int rc = report_file_open(r->vd, &r->arena, form_str(r, "code"), r->source, r->source_len,
				  form_str(r, "file"), &f, &fr, &res, &retry);
	if (rc == VD_OK && res != CODE_OK) {
		code_refused(r, res, retry);
		return;
	}
	send_file(r, rc, &f, fr);
}

/* Where the case stands, in the reporter's words: new until a counsellor
 * takes it up, then in conversation, or closed. */
static const char *status_key(const char *phase)
{
	if (strcmp(phase, phase_names[PH_NEW]) == 0)
		return "mailbox.status.new";
	if (strcmp(phase, phase_names[PH_CLOSED]) == 0)
		return "mailbox.status.closed";
	return "mailbox.status.open";
}

struct event {
	int64_t at;
	const char *key, *extra;
};

static int event_order(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* What happened to the report and when, oldest first: sent, first read,
 * every message either way, a hand-over, the appointments shown to them. */
static void set_timeline(struct req *r, struct tvars *v, const struct case_view *cv)
{
	size_t n = 0, max = 2 + cv->nmessages + cv->nappointments;
	struct event *ev = arena_array(&r->arena, max, sizeof *ev);
	if (!ev) {
		tv_set_failed(v);
		return;
	}
	ev[n++] = (struct event){ cv->created_at, "mailbox.event.sent", "" };
	if (cv->opened_at)
		ev[n++] = (struct event){ cv->opened_at, "mailbox.event.opened", "" };
	for (size_t i = 0; i < cv->nmessages; i++) {
		const struct case_message *m = &cv->messages[i];
		const char *key = strcmp(m->kind, "reporter") == 0	  ? "mailbox.event.reporter"
				  : strcmp(m->kind, "handover") == 0  ? "mailbox.event.handover"
				  : strcmp(m->kind, "withdrawn") == 0 ? "mailbox.event.withdrawn"
				  : strcmp(m->kind, "forwarded") == 0 ? "mailbox.event.forwarded"
								       : "mailbox.event.counsellor";
		ev[n++] = (struct event){ m->created_at, key, "" };
	}
	for (size_t i = 0; i < cv->nappointments; i++)
		ev[n++] = (struct event){ cv->appointments[i].starts_at, "mailbox.event.appointment",
					  cv->appointments[i].place };
	qsort(ev, n, sizeof *ev, event_order);
	for (size_t i = 0; i < n; i++) {
		struct tvars *o = tv_add(v, "timeline");
		tv_set(o, "at", req_time_text(r, ev[i].at));
		tv_set(o, "what", i18n_get(r->lang, ev[i].key));
		tv_set(o, "extra", ev[i].extra);
	}
}

/* The steps the reporter was asked about or agreed to: what stands, and
 * the answer or the withdrawal they can give. */
static void set_consents(struct req *r, struct tvars *v, const struct case_view *cv)
{
	for (size_t k = 0; consent_steps[k]; k++) {
		const struct consent_view *latest = NULL, *answer = NULL;
		for (size_t i = 0; i < cv->nconsents; i++) {
			const struct consent_view *c = &cv->consents[i];
			if (strcmp(c->step, consent_steps[k]) != 0)
				continue;
			if (!latest)
				latest = c; /* newest first */
			if (!answer && !c->asked)
				answer = c;
		}
		if (!latest)
			continue;
		struct tvars *o = tv_add(v, "consent_steps");
		tv_set(o, "step", consent_steps[k]);
		tv_set(o, "label", i18n_choice(r->lang, "consent_question", consent_steps[k]));
		const char *key = latest->asked ? "mailbox.consent_state.asked"
				  : latest->given ? "mailbox.consent_state.given"
						  : "mailbox.consent_state.refused";
		tv_setf(o, "state", "%s %s", i18n_get(r->lang, key),
			latest->asked ? "" : req_day_text(r, answer ? answer->on_day : latest->on_day));
		tv_set_bool(o, "can_answer", latest->asked);
		if (latest->asked)
			tv_set_bool(v, "consent_waiting", true);
		tv_set_bool(o, "can_withdraw", !latest->asked && latest->given);
	}
}

void h_mailbox(struct req *r)
{
	const char *code = form_str(r, "code");
	const char *reply = kv_get(&r->form, "reply");
	struct case_view cv;
	enum code_result res = CODE_MALFORMED;
	int64_t retry = 0;
	bool reply_bad = false, replied = false, consent_saved = false, consent_bad = false;
	const char *files_problem = uploads_problem(r);
	const char *consent_step = kv_get(&r->form, "consent_step");
	int rc = VD_OK;
	bool checked = false; /* an answer or a consent checked the code: a refused one is not tried again */
	bool withdraw = kv_get(&r->form, "withdraw") != NULL, withdraw_bad = false, withdrawn_now = false,
	     withdraw_closed = false;
	if (withdraw && !reply) {
		/* withdrawing the report: only when they ticked that they mean it */
		if (strcmp(form_str(r, "sure"), "yes") == 0) {
			rc = report_withdraw(r->vd, &r->arena, code, r->source, r->source_len, &res, &retry);
			checked = true;
			withdrawn_now = rc == VD_OK && res == CODE_OK;
			withdraw_closed = rc == VD_ERR_DENIED;
		} else {
			rc = VD_ERR_INVALID;
		}
		withdraw_bad = rc == VD_ERR_INVALID || rc == VD_ERR_DENIED;
		if (withdraw_bad) {
			rc = VD_OK;
			checked = false; /* the view below says where it stands */
		}
	} else if (consent_step && !reply) {
		/* an answer to a question of consent, or its withdrawal */
		const char *answer = form_str(r, "consent");
		bool yes = strcmp(answer, "yes") == 0;
		if (yes || strcmp(answer, "no") == 0) {
			rc = report_consent(r->vd, &r->arena, code, r->source, r->source_len, consent_step, yes, &res,
					    &retry);
			checked = true;
		} else {
			rc = VD_ERR_INVALID;
		}
		consent_bad = rc == VD_ERR_INVALID;
		consent_saved = rc == VD_OK && res == CODE_OK;
		if (consent_bad) {
			rc = VD_OK;
			checked = false; /* refused before or after the code: the view says so */
		}
	} else if (reply && files_problem) {
		reply_bad = true;
	} else if (reply) {
		/* The page carries the code in a hidden field, so answering needs no
		 * session; the code is checked again like the first time. */
		rc = report_reply(r->vd, &r->arena, code, r->source, r->source_len, reply, r->uploads, r->nuploads,
				  &res, &retry);
		checked = true;
		reply_bad = rc == VD_ERR_INVALID;
		replied = rc == VD_OK && res == CODE_OK;
		if (reply_bad)
			rc = VD_OK;
	}
	/* With refused files nothing was sent, but the code still opens the page. */
	if (rc == VD_OK && (!checked || res == CODE_OK))
		rc = report_view(r->vd, &r->arena, code, r->source, r->source_len, &cv, &res, &retry);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	if (res != CODE_OK) {
		code_refused(r, res, retry);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set(v, "code", code); /* before the fragments: their download forms carry it */
	set_case_fields(r, v, &cv, true);
	tv_set_bool(v, "opened", cv.opened_at != 0);
	tv_set(v, "status", i18n_get(r->lang, status_key(cv.phase)));
	set_timeline(r, v, &cv);
	set_consents(r, v, &cv);
	tv_set_bool(v, "consent_saved", consent_saved);
	/* a closed report cannot be withdrawn (it is finished); it can still be written to */
	tv_set_bool(v, "closed", strcmp(cv.phase, phase_names[PH_CLOSED]) == 0);
	tv_set_bool(v, "withdrawn_now", withdrawn_now);
	if (withdraw_bad) {
		r->status = 400;
		tv_set(v, "withdraw_error",
		       i18n_get(r->lang, withdraw_closed ? "mailbox.withdraw_closed" : "mailbox.withdraw_sure"));
	}
	if (consent_bad) {
		r->status = 400;
		tv_set(v, "consent_error", i18n_get(r->lang, "mailbox.consent_error"));
	}
	tv_set_bool(v, "replied", replied);
	tv_set(v, "file_input", file_input(r, v, "files", reply_bad));
	if (reply_bad) {
		r->status = 400;
		if (!files_problem)
			tv_set(v, "reply_error", i18n_get(r->lang, "message.error"));
		tv_set(v, "reply", reply);
	}
	page_render(r, "mailbox_view", v, "mailbox.view_title");
}

/* ---- the counsellor's side -------------------------------------------------- */

#define CASES_PER_PAGE 25

/* The translated names of the behaviours in a bit set, comma-separated. */
static const char *behaviours_text(struct req *r, int64_t set)
{
	struct buf b;
	buf_init(&b, 4096);
	for (int i = 0; i < BEH_COUNT; i++) {
		if (!((set >> i) & 1))
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, i18n_choice(r->lang, "behaviour", behaviour_names[i]));
	}
	const char *s = arena_strdup(&r->arena, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

/* A list cursor "U.C.I" (unopened, created_at, id), as the "older" link makes it. */
static int parse_cursor(const char *s, struct case_cursor *c)
{
	char buf[64];
	if (strlen(s) >= sizeof buf)
		return VD_ERR_INVALID;
	memcpy(buf, s, strlen(s) + 1);
	char *d1 = strchr(buf, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d1 || !d2)
		return VD_ERR_INVALID;
	*d1 = *d2 = '\0';
	int64_t u;
	if (text_parse_i64(buf, 0, 1, &u) || text_parse_i64(d1 + 1, 0, INT64_MAX, &c->created_at) ||
	    text_parse_i64(d2 + 1, 1, INT64_MAX, &c->id))
		return VD_ERR_INVALID;
	c->unopened = (int)u;
	return VD_OK;
}

void h_cases(struct req *r)
{
	struct case_cursor after, next;
	const char *p = kv_get(&r->query, "na");
	if (p && parse_cursor(p, &after)) {
		req_error(r, 400);
		return;
	}
	struct case_list list;
	struct unit_list units;
	bool more = false;
	int rc = case_list_page(r->vd, r->who, &r->arena, p ? &after : NULL, CASES_PER_PAGE, &list,
				&more, &next);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < list.n; i++) {
		struct tvars *c = tv_add(v, "cases");
		const struct unit *u = unit_by_id(&units, list.items[i].unit_id);
		tv_set_int(c, "id", list.items[i].id);
		tv_set(c, "date", req_time_text(r, list.items[i].created_at));
		tv_set(c, "unit", u ? u->name : "");
		tv_set(c, "behaviours", behaviours_text(r, list.items[i].behaviours));
		tv_set(c, "channel", i18n_choice(r->lang, "channel", list.items[i].channel));
		tv_set_bool(c, "unopened", list.items[i].unopened);
	}
	tv_set_bool(v, "none", list.n == 0 && !p);
	tv_set_bool(v, "handed_over", kv_get(&r->query, "overgedragen") != NULL);
	tv_set_bool(v, "later_page", p != NULL);
	if (more)
		tv_setf(v, "next", "%d.%lld.%lld", next.unopened, (long long)next.created_at, (long long)next.id);
	page_render(r, "cases", v, "cases.title");
}

static void h_case_with(struct req *r, const char *error_kind, const char *error_key, const char *kept);

void h_case(struct req *r)
{
	h_case_with(r, NULL, NULL, NULL);
}

/* The case page; after a refused message, error_kind says which form gets the
 * error, error_key what it says (NULL when only the files were wrong) and
 * kept is the text that was typed. */
static void h_case_with(struct req *r, const char *error_kind, const char *error_key, const char *kept)
{
	struct case_view cv;
	/* The core opens it with the key in the session (only the cookie opens that). */
	int rc = case_open(r->vd, r->who, &r->arena, r->id, &cv);
	if (rc == VD_ERR_NOTFOUND) {
		req_error(r, 404); /* not a reader: nothing says the case exists */
		return;
	}
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY) {
		req_error_key(r, 403, "cases.cannot_open");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	set_case_fields(r, v, &cv, false);
	tv_set_bool(v, "to_me", cv.text.counsellor_id == r->user->id);
	bool note = error_kind && strcmp(error_kind, "note") == 0;
	tv_set(v, "message_file_input", file_input(r, v, "message-files", error_kind && !note));
	tv_set(v, "note_file_input", file_input(r, v, "note-files", note));
	if (error_kind) {
		if (error_key)
			tv_set(v, note ? "note_error" : "message_error", i18n_get(r->lang, error_key));
		tv_set(v, note ? "note_text" : "message_text", kept);
	}
	page_render(r, "case", v, "case.title");
}

/* The conversation: who wrote what, when (notes only reach a reader's view). */
static void set_messages(struct req *r, struct tvars *v, const struct case_view *cv, bool mailbox)
{
	for (size_t i = 0; i < cv->nmessages; i++) {
		const struct case_message *m = &cv->messages[i];
		struct tvars *mv = tv_add(v, "messages");
		tv_set(mv, "who", i18n_choice(r->lang, "message", m->kind));
		tv_set(mv, "date", req_time_text(r, m->created_at));
		if (strcmp(m->kind, "handover") == 0) /* the text is the new counsellor's name */
			tv_setf(mv, "text", "%s %s", i18n_get(r->lang, "message.handover_text"), m->text);
		else
			tv_set(mv, "text", m->text);
		tv_set_bool(mv, "note", strcmp(m->kind, "note") == 0);
		tv_set_bool(mv, "from_reporter", strcmp(m->kind, "reporter") == 0);
		tv_set(mv, "file_list", file_list(r, v, cv, m->id, mailbox));
	}
	tv_set_bool(v, "has_messages", cv->nmessages > 0);
	tv_set_bool(v, "older_hidden", cv->older_hidden);
}

/* The fields of a case that its reader and its reporter both see. */
static void set_case_fields(struct req *r, struct tvars *v, const struct case_view *cv, bool mailbox)
{
	set_messages(r, v, cv, mailbox);
	tv_set(v, "report_files", file_list(r, v, cv, 0, mailbox));
	for (size_t i = 0; i < cv->nappointments; i++) {
		struct tvars *o = tv_add(v, "appointments");
		tv_set(o, "when", req_time_text(r, cv->appointments[i].starts_at));
		tv_set(o, "place", cv->appointments[i].place);
	}
	struct unit_list units;
	const struct unit *u = unit_list(r->vd, &r->arena, &units) == VD_OK ? unit_by_id(&units, cv->text.unit_id) : NULL;
	tv_set_int(v, "id", cv->id);
	tv_set(v, "date", req_time_text(r, cv->created_at));
	tv_set(v, "unit", u ? u->name : "");
	tv_set(v, "channel", i18n_choice(r->lang, "channel", cv->text.channel));
	tv_set(v, "behaviours", behaviours_text(r, cv->text.behaviours));
	tv_set(v, "location", i18n_choice(r->lang, "location", cv->text.location));
	tv_set(v, "relation", i18n_choice(r->lang, "relation", cv->text.relation));
	tv_set(v, "reporter_type", i18n_choice(r->lang, "reptype", cv->text.reporter_type));
	tv_set_bool(v, "named", cv->text.named);
	tv_set(v, "name", cv->text.name);
	tv_set(v, "email", cv->text.email);
	tv_set(v, "phone", cv->text.phone);
	tv_set(v, "contact_pref", cv->text.contact_pref);
	tv_set(v, "account", cv->text.account);
	tv_set(v, "when", cv->text.when);
	tv_set(v, "hopes", cv->text.hopes);
	/* The parts the reader's and the reporter's pages share, rendered once
	 * from one template each (a NULL fragment fails the page). */
	const char *facts = render_fragment(r, "case_facts", v);
	const char *conv = render_fragment(r, "conversation", v);
	tv_set(v, "case_facts", facts);
	tv_set(v, "conversation", conv);
	if (!facts || !conv)
		tv_set_failed(v);
}

/* A reader writes to the reporter or adds a note, then returns to the case. */
static void case_write(struct req *r, const char *kind)
{
	const char *text = kv_get(&r->form, "text");
	const char *files_problem = uploads_problem(r);
	int rc = files_problem ? VD_ERR_INVALID
			       : case_post(r->vd, r->who, r->id, kind, text ? text : "", r->uploads, r->nuploads);
	if (rc == VD_ERR_NOKEY || rc == VD_ERR_AUTH) {
		req_error_key(r, 403, "cases.cannot_open"); /* as the case page says it */
		return;
	}
	if (rc == VD_ERR_INVALID) {
		/* Show the case again with the message kept and the error beside it. */
		r->status = 400;
		h_case_with(r, kind, files_problem ? NULL : "message.error", text);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	char *to = arena_printf(&r->arena, "/dossiers/%lld#gesprek", (long long)r->id);
	req_redirect(r, to ? to : "/dossiers");
}

void h_case_message(struct req *r)
{
	case_write(r, "counsellor");
}

void h_case_note(struct req *r)
{
	case_write(r, "note");
}

/* A reader downloads a file of a case. */
void h_case_file(struct req *r)
{
	struct case_file f;
	struct file_reader *fr = NULL;
	int rc = case_file_open(r->vd, r->who, &r->arena, r->id, r->slug, &f, &fr);
	if (rc == VD_ERR_NOKEY || rc == VD_ERR_AUTH) {
		req_error_key(r, 403, "cases.cannot_open"); /* as the case page says it */
		return;
	}
	send_file(r, rc, &f, fr);
}
