/*
 * pages_complaint_mailbox: the complaint's parties on the web (issue 8):
 * LINK_COMPLAINT_FORM, where a complainant files a complaint themself and
 * gets a receipt code; LINK_COMPLAINT_MAILBOX, where the complainant and
 * the accused read the letters of the committee, see their hearings,
 * react to the minutes and write back, with that code; and LINK_SUPPORT,
 * where a counsellor who supports a complainant sees their part.
 *
 * As in a reporter's mailbox, the code travels in a hidden field of each
 * form and is checked again on every request; nothing keeps a session.
 */
#include <stdio.h>
#include <string.h>

#include "../core/complaints.h"
#include "../core/links.h"
#include "../core/units.h"
#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "pages.h"

/* ---- the public form ------------------------------------------------------------ */

void unit_choices(struct req *r, struct tvars *v, const struct unit_list *tree, const int *depth)
{
	int64_t chosen = 0;
	if (text_parse_i64(form_str(r, "unit"), 1, INT64_MAX, &chosen))
		chosen = 0;
	for (size_t i = 0; i < tree->n; i++) {
		struct tvars *o = tv_add(v, "units");
		tv_set_int(o, "id", tree->items[i].id);
		tv_setf(o, "label", "%.*s%s", depth[i] * 4, "– – – – – – ", tree->items[i].name);
		tv_set_bool(o, "selected", tree->items[i].id == chosen || (tree->n == 1 && !chosen));
	}
}

static void filing_page(struct req *r, field_errors errs, const char *note_key)
{
	static const struct entry_error errors[] = {
		{ EF_UNIT, "unit", "complaint_form.error.unit" },
		{ EF_NAME, "name", "complaint_form.error.name" },
		{ EF_CONTACT, "email", "complaint_form.error.contact" },
		{ EF_EMAIL, "email", "complaint_new.error.email" },
		{ EF_PHONE, "phone", "complaint_new.error.phone" },
		{ EF_ACCUSED, "accused", "complaint_new.error.accused" },
		{ EF_ACCOUNT, "account", "complaint_form.error.account" },
		{ EF_WHEN, "when", "complaint_new.error.when" },
		{ EF_INCIDENT, "last_incident", "complaint_form.error.last_incident" },
		{ EF_ASKS, "asks", "complaint_form.error.asks" },
		{ EF_COMMITTEE, "unit", "complaint_form.error.committee" },
		{ EF_FILES, "files", "complaint_form.error.files" },
	};
	struct tvars *v = page_vars(r);
	struct unit_list units, tree;
	int *depth;
	if (!v || unit_list(r->vd, &r->arena, &units) || unit_tree(&r->arena, &units, &tree, &depth)) {
		req_error(r, 500);
		return;
	}
	unit_choices(r, v, &tree, depth);
	if (note_key)
		tv_set(v, "note", i18n_get(r->lang, note_key));
	complaint_entry_vars(r, v, errs, errors, sizeof errors / sizeof errors[0], "complaint_form");
	tv_set(v, "file_input", file_input(r, v, "files", errs != 0 || note_key));
	if (errs)
		r->status = 400;
	page_render(r, "complaint_form", v, "complaint_form.title");
}

void h_complaint_form(struct req *r)
{
	filing_page(r, 0, NULL);
}

void h_complaint_submit(struct req *r)
{
	int64_t unit = 0;
	if (text_parse_i64(form_str(r, "unit"), 1, INT64_MAX, &unit))
		unit = 0;
	struct complaint_entry in = {
		.unit_id = unit, .channel = "web", .name = form_str(r, "name"), .email = form_str(r, "email"),
		.phone = form_str(r, "phone"), .accused = form_str(r, "accused"),
		.account = form_text(r, "account"),
		.when = form_str(r, "when"), .last_incident = form_str(r, "last_incident"),
		.asks = form_text(r, "asks"),
		.files = r->uploads, .nfiles = r->nuploads,
	};
	field_errors errs = 0;
	int64_t id = 0, wait = 0;
	if (uploads_problem(r)) {
		filing_page(r, 1u << EF_FILES, NULL); /* nothing taken: the files said why */
		return;
	}
	char code[RECEIPT_TEXT_LEN + 1];
	int rc = complaint_file_public(r->vd, &in, r->source, r->source_len, &errs, &id, code, &wait);
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, wait); /* nothing taken; what was typed comes back */
		filing_page(r, 0, "complaint_form.too_many");
		return;
	}
	if (rc == VD_ERR_INVALID && errs) {
		filing_page(r, errs, NULL);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "complaint-received", LF_RECORD, (long long)id, LF_END);
	struct tvars *v = page_vars(r);
	tv_set(v, "code", arena_strdup(&r->arena, code));
	wipe(code, sizeof code);
	page_render(r, "complaint_filed", v, "complaint_filed.title");
}

/* ---- a party's mailbox ---------------------------------------------------------------- */

static void mailbox_form_page(struct req *r, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "complaint_mailbox", v, "complaint_mailbox.title");
}

void h_complaint_mailbox_form(struct req *r)
{
	mailbox_form_page(r, NULL);
}

static void code_refused(struct req *r, enum code_result res, int64_t retry)
{
	code_refused_page(r, res, retry, mailbox_form_page, "complaint_mailbox.unknown");
}

/* The mailbox's page: the complaint's step, the party's own complaint
 * (the complainant's), hearings and letters; forms unless support. */
static void mailbox_vars(struct req *r, struct tvars *v, const struct party_mailbox *mb, int64_t me)
{
	tv_set_int(v, "complaint_id", mb->complaint_id);
	tv_set(v, "received", req_day_text(r, mb->received_day));
	tv_set(v, "step", i18n_choice(r->lang, "cstep", complaint_step_names[mb->step < CS_COUNT ? mb->step : 0]));
	tv_set(v, "step_hint", i18n_choice(r->lang, "pstep_hint", complaint_step_names[mb->step < CS_COUNT ? mb->step : 0]));
	tv_set(v, "role", i18n_choice(r->lang, "party", party_role_names[mb->role < PR_COUNT ? mb->role : 0]));
	tv_set(v, "role_hint", i18n_choice(r->lang, "party_hint", party_role_names[mb->role < PR_COUNT ? mb->role : 0]));
	tv_set(v, "account", mb->account);
	tv_set(v, "when", mb->when);
	tv_set(v, "asks", mb->asks);
	tv_set_bool(v, "pending_minutes", mb->pending_minutes);
	/* the files they sent: names only (the committee has them) */
	for (const char *p = mb->files_sent; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct tvars *o = tv_add(v, "files_sent");
		tv_set(o, "name", arena_strndup(&r->arena, p, len));
		p += len + (nl ? 1 : 0);
	}
	complaint_letters_vars(r, v, mb->letters, mb->nletters, NULL, mb->hearings, mb->nhearings);
	complaint_hearings_vars(r, v, mb->hearings, mb->nhearings, NULL, me);
}

void h_complaint_mailbox(struct req *r)
{
	const char *code = form_str(r, "code");
	const char *reply = kv_get(&r->form, "reply");
	const char *hearing = kv_get(&r->form, "hearing");
	enum code_result res = CODE_MALFORMED;
	int64_t retry = 0;
	int rc = VD_OK;
	bool reply_bad = false, replied = false, reacted = false;
	field_errors rx = 0;
	bool too_many = false;
	if (reply) {
		rc = complaint_mailbox_write(r->vd, &r->arena, code, r->source, r->source_len, reply, &res, &retry);
		reply_bad = rc == VD_ERR_INVALID;
		replied = rc == VD_OK && res == CODE_OK;
		if (rc == VD_ERR_THROTTLED) {
			too_many = reply_bad = true; /* nothing sent; what was typed comes back */
			rc = VD_OK;
			res = CODE_OK;
			req_throttled(r, retry);
		}
	} else if (hearing) {
		int64_t hid = 0;
		if (text_parse_i64(hearing, 1, INT64_MAX, &hid))
			hid = 0;
		const char *choice = form_str(r, "choice");
		if (strcmp(choice, "approve") != 0 && strcmp(choice, "remarks") != 0) {
			rx = 1u << RX_CHOICE;
			rc = VD_ERR_INVALID;
			res = CODE_OK;
		} else {
			rc = complaint_mailbox_react(r->vd, &r->arena, code, r->source, r->source_len, hid,
						     strcmp(choice, "approve") == 0, form_str(r, "remarks"), &rx, &res,
						     &retry);
		}
		reacted = rc == VD_OK && res == CODE_OK;
	}
	if (rc == VD_ERR_INVALID)
		rc = VD_OK; /* said on the page, next to the form */
	struct party_mailbox mb;
	if (rc == VD_OK && ((!reply && !hearing) || res == CODE_OK))
		rc = complaint_mailbox_view(r->vd, &r->arena, code, r->source, r->source_len, &mb, &res, &retry);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	if (res != CODE_OK) {
		code_refused(r, res, retry);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set(v, "code", code);
	tv_set_bool(v, "forms", true);
	/* their reaction to minutes is asked where they were heard */
	int64_t me = mb.role == PR_SUPPORTER ? 0 : mb.party_id;
	mailbox_vars(r, v, &mb, me);
	tv_set_bool(v, "replied", replied);
	tv_set_bool(v, "reacted", reacted);
	if (reply_bad) {
		if (!too_many)
			r->status = 400;
		tv_set(v, "reply_error", i18n_get(r->lang, too_many ? "complaint_mailbox.error.too_many"
								     : "complaint_mailbox.error.reply"));
		tv_set(v, "reply", reply);
	}
	if (rx) {
		r->status = 400;
		static const char *const keys[] = { [RX_HEARING] = "complaint_mailbox.error.react.hearing",
						    [RX_CHOICE] = "complaint_mailbox.error.react.choice",
						    [RX_REMARKS] = "complaint_mailbox.error.react.remarks" };
		tv_refused_form(r, v, "react", rx, keys, 3);
	}
	page_render(r, "complaint_mailbox_view", v, "complaint_mailbox.view_title");
}

/* ---- the supporting counsellor --------------------------------------------------- */

void h_supported(struct req *r)
{
	struct id_list ids;
	int rc = complaint_supported(r->vd, r->who, &r->arena, &ids);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < ids.n; i++) {
		struct tvars *o = tv_add(v, "complaints");
		tv_set_int(o, "id", ids.ids[i]);
	}
	page_render(r, "supported", v, "supported.title");
}

void h_support(struct req *r)
{
	struct party_mailbox mb;
	int rc = complaint_support_view(r->vd, r->who, &r->arena, r->id, &mb);
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY) {
		req_error_key(r, 403, "complaints.cannot_open");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_bool(v, "support", true);
	mailbox_vars(r, v, &mb, 0);
	page_render_title(r, "complaint_mailbox_view", v,
			  arena_printf(&r->arena, "%s %lld", i18n_get(r->lang, "complaint.title"), (long long)mb.complaint_id));
}
