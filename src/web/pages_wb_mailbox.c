/*
 * pages_wb_mailbox: the whistleblower on the web (issue 10): LINK_WB_FORM,
 * where anyone who works for or with the organisation reports suspected
 * wrongdoing, anonymously or by name, and gets a receipt code; and
 * LINK_WB_MAILBOX, where they read what the integrity officer sent, see
 * the two clocks, approve or correct minutes, answer a question of consent
 * and write back, with that code.
 *
 * As in a reporter's mailbox, the code travels in a hidden field of each
 * form and is checked again on every request; nothing keeps a session.
 */
#include <stdio.h>
#include <string.h>

#include "../core/links.h"
#include "../core/whistle.h"
#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "pages.h"

/* ---- the report's form (public, and the officer's entry) ------------------------ */

static const struct {
	enum wb_field field;
	const char *id, *key;
} form_errors[] = {
	{ WF_UNIT, "unit", "wb_form.error.unit" },
	{ WF_OFFICER, "unit", "wb_form.error.officer" },
	{ WF_CHANNEL, "channel", "wb_new.error.channel" },
	{ WF_RECEIVED, "received_on", "wb_new.error.received_on" },
	{ WF_MEETING, "meeting_on", "wb_new.error.meeting_on" },
	{ WF_MINUTES, "minutes", "wb_new.error.minutes" },
	{ WF_RELATION, "relation", "wb_form.error.relation" },
	{ WF_CATEGORY, "category", "wb_form.error.category" },
	{ WF_WHAT, "what", "wb_form.error.what" },
	{ WF_WHEN, "when_where", "wb_form.error.when_where" },
	{ WF_INVOLVED, "involved", "wb_form.error.involved" },
	{ WF_OTHER, "other", "wb_form.error.other" },
	{ WF_NAME, "name", "wb_form.error.name" },
	{ WF_EMAIL, "email", "wb_form.error.email" },
	{ WF_PHONE, "phone", "wb_form.error.phone" },
	{ WF_FILES, "files", "wb_form.error.files" },
};

static const char *const entry_channels[] = { "oral", "meeting", "written", NULL };

void wb_form_vars(struct req *r, struct tvars *v, field_errors errs, const struct unit_list *units, const int *depth,
		  bool officer)
{
	unit_choices(r, v, units, depth);
	tv_choices(r, v, "relations", "wbrel", wb_relations, form_str(r, "relation"));
	tv_choices(r, v, "categories", "wbcat", wb_categories, form_str(r, "category"));
	const char *shorts[] = { "name", "email", "phone", "received_on", "meeting_on" };
	for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
		tv_set(v, shorts[i], form_str(r, shorts[i]));
	const char *longs[] = { "what", "when_where", "involved", "other", "minutes" };
	for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++)
		tv_set(v, longs[i], form_text(r, longs[i]));
	tv_set_bool(v, "officer", officer);
	if (officer) {
		tv_choices(r, v, "channels", "wbchannel", entry_channels, form_str(r, "channel"));
		tv_set(v, "today", req_day_value(r, date_of(clock_now())));
		if (!kv_get(&r->form, "received_on"))
			tv_set(v, "received_on", req_day_value(r, date_of(clock_now())));
	}
	for (size_t i = 0; i < sizeof form_errors / sizeof form_errors[0]; i++) {
		if (!(errs & (1u << form_errors[i].field)))
			continue;
		const char *msg = i18n_get(r->lang, form_errors[i].key);
		struct tvars *o = tv_add(v, "errors");
		tv_set(o, "field", form_errors[i].id);
		tv_set(o, "message", msg);
		char name[48];
		snprintf(name, sizeof name, "err_%s", form_errors[i].id);
		tv_set(v, arena_strdup(&r->arena, name), msg);
	}
	tv_set_bool(v, "has_errors", errs != 0);
	tv_set(v, "file_input", file_input(r, v, "files", errs != 0));
	if (errs)
		r->status = 400;
}

void wb_input_from_form(struct req *r, struct wb_input *in)
{
	int64_t unit = 0;
	if (text_parse_i64(form_str(r, "unit"), 1, INT64_MAX, &unit))
		unit = 0;
	*in = (struct wb_input){
		.unit_id = unit, .relation = form_str(r, "relation"), .category = form_str(r, "category"),
		.what = form_text(r, "what"), .when_where = form_text(r, "when_where"), .involved = form_text(r, "involved"),
		.other = form_text(r, "other"), .name = form_str(r, "name"), .email = form_str(r, "email"),
		.phone = form_str(r, "phone"), .channel = form_str(r, "channel"),
		.received_on = form_str(r, "received_on"), .meeting_on = form_str(r, "meeting_on"),
		.minutes = form_text(r, "minutes"), .files = r->uploads, .nfiles = r->nuploads,
	};
}

static void form_page(struct req *r, field_errors errs, const char *note_key)
{
	struct tvars *v = page_vars(r);
	struct unit_list units, tree;
	int *depth;
	if (!v || unit_list(r->vd, &r->arena, &units) || unit_tree(&r->arena, &units, &tree, &depth)) {
		req_error(r, 500);
		return;
	}
	if (note_key)
		tv_set(v, "note", i18n_get(r->lang, note_key));
	wb_form_vars(r, v, errs, &tree, depth, false);
	tv_set(v, "action", LINK_WB_FORM);
	page_render(r, "wb_form", v, "wb_form.title");
}

void h_wb_form(struct req *r)
{
	form_page(r, 0, NULL);
}

void h_wb_submit(struct req *r)
{
	struct wb_input in;
	wb_input_from_form(r, &in);
	field_errors errs = 0;
	int64_t id = 0, wait = 0;
	char code[RECEIPT_TEXT_LEN + 1];
	if (uploads_problem(r)) {
		form_page(r, 1u << WF_FILES, NULL); /* nothing taken: the files said why */
		return;
	}
	int rc = wb_submit(r->vd, &in, r->source, r->source_len, &errs, &id, code, &wait);
	if (rc == VD_ERR_THROTTLED) {
		req_throttled(r, wait); /* nothing taken; what was typed comes back */
		form_page(r, 0, "wb_form.too_many");
		return;
	}
	if (rc == VD_ERR_INVALID && errs) {
		form_page(r, errs, NULL);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "wb-report-received", LF_RECORD, (long long)id, LF_END);
	struct tvars *v = page_vars(r);
	tv_set(v, "code", arena_strdup(&r->arena, code));
	wipe(code, sizeof code);
	page_render(r, "wb_filed", v, "wb_filed.title");
}

/* ---- the mailbox ---------------------------------------------------------------------- */

static void mailbox_form_page(struct req *r, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "wb_mailbox", v, "wb_mailbox.title");
}

void h_wb_mailbox_form(struct req *r)
{
	mailbox_form_page(r, NULL);
}

/* What the reporter sent, and how it went. */
struct mailbox_post {
	int rc;
	enum code_result res;
	int64_t retry;
	field_errors errs;
	const char *form;   /* "reply", "minutes", "consent"; NULL: just opening */
	bool done, too_many;
};

static void post_reply(struct req *r, const char *code, const char *reply, struct mailbox_post *p)
{
	if (uploads_problem(r)) {
		p->errs = 1u << WW_FILES; /* nothing taken: the files said why */
		p->rc = VD_ERR_INVALID;
		p->res = CODE_OK;
		return;
	}
	p->rc = wb_mailbox_write(r->vd, &r->arena, code, r->source, r->source_len, reply, r->uploads, r->nuploads,
				 &p->errs, &p->res, &p->retry);
	if (p->rc == VD_ERR_THROTTLED) {
		p->too_many = true; /* nothing sent; what was typed comes back */
		p->errs = 1u << WW_TEXT;
		p->rc = VD_ERR_INVALID;
		p->res = CODE_OK;
		req_throttled(r, p->retry);
	}
}

void h_wb_mailbox(struct req *r)
{
	const char *code = form_str(r, "code");
	struct mailbox_post p = { .res = CODE_MALFORMED };
	int64_t ref = 0;
	if (text_parse_i64(form_str(r, "ref"), 1, INT64_MAX, &ref))
		ref = 0;
	if (kv_get(&r->form, "reply")) {
		p.form = "reply";
		post_reply(r, code, form_text(r, "reply"), &p);
	} else if (kv_get(&r->form, "minutes")) {
		p.form = "minutes";
		const char *choice = form_str(r, "choice");
		if (strcmp(choice, "approve") != 0 && strcmp(choice, "correct") != 0) {
			p.errs = 1u << WW_KIND;
			p.rc = VD_ERR_INVALID;
			p.res = CODE_OK;
		} else {
			p.rc = wb_mailbox_minutes(r->vd, &r->arena, code, r->source, r->source_len, ref,
						  strcmp(choice, "approve") == 0, form_text(r, "correction"), &p.errs, &p.res,
						  &p.retry);
		}
	} else if (kv_get(&r->form, "renew")) {
		char fresh[RECEIPT_TEXT_LEN + 1];
		p.rc = wb_mailbox_renew(r->vd, &r->arena, code, r->source, r->source_len, fresh, &p.res, &p.retry);
		if (p.rc == VD_OK && p.res == CODE_OK) {
			struct tvars *v = page_vars(r);
			tv_set(v, "code", arena_strdup(&r->arena, fresh));
			wipe(fresh, sizeof fresh);
			page_render(r, "wb_renewed", v, "wb_renewed.title");
			return;
		}
	} else if (kv_get(&r->form, "consent")) {
		p.form = "consent";
		p.rc = wb_mailbox_consent(r->vd, &r->arena, code, r->source, r->source_len, ref, form_str(r, "choice"),
					  &p.errs, &p.res, &p.retry);
	}
	p.done = p.form && p.rc == VD_OK && p.res == CODE_OK;
	if (p.rc == VD_ERR_INVALID)
		p.rc = VD_OK; /* said on the page, next to the form */
	struct wb_report rep;
	if (p.rc == VD_OK && (!p.form || p.res == CODE_OK))
		p.rc = wb_mailbox_view(r->vd, &r->arena, code, r->source, r->source_len, &rep, &p.res, &p.retry);
	if (p.rc) {
		req_fail(r, p.rc);
		return;
	}
	if (p.res != CODE_OK) {
		code_refused_page(r, p.res, p.retry, mailbox_form_page, "wb_mailbox.unknown");
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set(v, "code", code);
	static const char *const keys[] = {
		[WW_TEXT] = "wb_mailbox.error.text", [WW_KIND] = "wb_mailbox.error.choice",
		[WW_MINUTES] = "wb_mailbox.error.minutes", [WW_CONSENT] = "wb_mailbox.error.consent",
		[WW_STATE] = "wb_mailbox.error.state", [WW_CODE] = "wb_mailbox.error.code",
		[WW_FILES] = "wb_mailbox.error.files",
	};
	struct wb_refused fr = { .form = p.form, .ref = ref };
	for (size_t b = 0; p.errs && b < sizeof keys / sizeof keys[0]; b++)
		if ((p.errs & (1u << b)) && keys[b] && !fr.message)
			fr.message = i18n_get(r->lang, p.too_many ? "wb_mailbox.error.too_many" : keys[b]);
	if (p.form)
		fr.typed = form_text(r, strcmp(p.form, "reply") == 0 ? "reply" : "correction");
	wb_report_vars(r, v, &rep, false, p.errs ? &fr : NULL);
	tv_set(v, "file_input", file_input(r, v, "files", p.form && strcmp(p.form, "reply") == 0 && p.errs));
	if (p.done)
		tv_set(v, "done", i18n_get(r->lang, arena_printf(&r->arena, "wb_mailbox.done.%s", p.form)));
	if (p.errs && !p.too_many)
		r->status = 400;
	page_render(r, "wb_mailbox_view", v, "wb_mailbox.view_title");
}
