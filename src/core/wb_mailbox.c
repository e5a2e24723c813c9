/*
 * wb_mailbox: the reporter's side of a report of wrongdoing (see
 * whistle.h). The receipt code opens the mailbox key only: the report as
 * made, what the officers sent, the minutes and the questions of consent;
 * never the officers' notes or the identity key. Codes are parsed,
 * throttled and hashed as a reporter's (internal/codes.h).
 */
#include "internal/whistle.h"

#include <string.h>

#include "../util/text.h"
#include "internal/audit.h"
#include "internal/codes.h"
#include "internal/files.h"

/* The report whose code was typed, and the reporter's keys. */
static int code_open(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     struct wb_report_rec *rec, struct wb_keys *k, enum code_result *result,
		     int64_t *retry_after)
{
	struct receipt r;
	struct throttle_key tk;
	unsigned char kek[CRYPTO_KEY_LEN];
	int rc = VD_OK;
	memset(rec, 0, sizeof *rec);
	memset(k, 0, sizeof *k);
	if (code_begin(vd, typed, source, source_len, &r, &tk, result, retry_after)) {
		int found = vd->store->ops->wb_report_find_locator(vd->store, a, r.locator, rec);
		if (found != VD_OK && found != VD_ERR_NOTFOUND)
			rc = found;
		else
			rc = code_finish(vd, &r, &tk, found == VD_OK, rec->receipt_salt, rec->receipt_verifier,
					 rec->receipt_ops, rec->receipt_mem_kib, kek, result);
	}
	if (rc == VD_OK && *result == CODE_OK && wb_mailbox_key(rec, kek, k) != VD_OK)
		*result = CODE_UNKNOWN;
	crypto_wipe(&r, sizeof r);
	crypto_wipe(kek, sizeof kek);
	if (rc || *result != CODE_OK)
		wb_keys_wipe(k);
	return rc;
}

int wb_mailbox_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		    struct wb_report *out, enum code_result *result, int64_t *retry_after)
{
	struct wb_report_rec rec;
	struct wb_keys k;
	memset(out, 0, sizeof *out);
	int rc = code_open(vd, a, typed, source, source_len, &rec, &k, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK)
		rc = wb_assemble(vd, a, &rec, &k, out);
	wb_keys_wipe(&k);
	return rc;
}

/* One change by the reporter: the code checked, the report claimed inside
 * a transaction, change(ctx) run, the audit entry and the officers told. */
typedef int (*reporter_change)(struct vd *vd, struct arena *a, const struct wb_report_rec *rec,
			       const struct wb_keys *k, const void *ctx, field_errors *errs, bool *changed);

static int as_reporter(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		       reporter_change change, const void *ctx, const char *action, field_errors *errs,
		       enum code_result *result, int64_t *retry_after)
{
	struct store *s = vd->store;
	struct wb_report_rec rec;
	struct wb_keys k;
	/* the slow hash once outside, to fail early; the claim inside */
	int rc = code_open(vd, a, typed, source, source_len, &rec, &k, result, retry_after);
	if (rc || *result != CODE_OK)
		return rc;
	rc = s->ops->begin(s);
	if (rc == VD_OK)
		rc = s->ops->wb_report_claim(s, a, rec.id, &rec);
	if (rc == VD_OK && !rec.open) {
		*errs |= 1u << WW_STATE; /* closed: the forms are gone, and so is what a made-up one asks */
		rc = VD_ERR_INVALID;
	}
	bool changed = true;
	if (rc == VD_OK)
		rc = change(vd, a, &rec, &k, ctx, errs, &changed);
	if (rc == VD_OK && changed)
		rc = audit_record(vd, 0, action, "wb_report", rec.id);
	rc = app_end(vd, rc, 0);
	wb_keys_wipe(&k);
	if (rc == VD_OK && changed)
		wb_tell_officers(vd, rec.id, "wb_news");
	return rc;
}

struct message_in {
	const char *text;
	struct upload *const *files;
	size_t nfiles;
};

static int add_message(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
		       const void *ctx, field_errors *errs, bool *changed)
{
	(void)errs;
	const struct message_in *m = ctx;
	struct wb_report view;
	int rc = wb_assemble(vd, a, rec, k, &view);
	/* a reload of the confirming page resends the message: stored once
	 * (one with files is new: the browser sent them again) */
	if (rc == VD_OK && !m->nfiles && view.nevents && view.events[view.nevents - 1].kind == WE_MESSAGE_IN &&
	    strcmp(view.events[view.nevents - 1].text, m->text) == 0) {
		*changed = false;
		return VD_OK;
	}
	int64_t eid = 0;
	if (rc == VD_OK)
		rc = wb_event_add(vd, a, k, rec->id, WE_MESSAGE_IN, 0, 0, 0, m->text, &eid);
	if (rc == VD_OK)
		rc = files_attach_wb(vd, rec->id, k->mailbox, eid, "message", m->files, m->nfiles);
	return rc;
}

int wb_mailbox_write(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     const char *text, struct upload *const *files, size_t nfiles, field_errors *errs,
		     enum code_result *result, int64_t *retry_after)
{
	*result = CODE_OK;
	*errs = 0;
	if (!text || text_blank(text) || !text_fits(text, WB_TEXT_MAX_CHARS, false)) {
		*errs |= 1u << WW_TEXT;
		return VD_ERR_INVALID;
	}
	/* a flood of messages would bury the others, and mail the officers each time */
	*retry_after = report_rate_wait(vd, source, source_len);
	if (*retry_after > 0)
		return VD_ERR_THROTTLED;
	struct message_in m = { .text = text, .files = files, .nfiles = nfiles };
	int rc = as_reporter(vd, a, typed, source, source_len, add_message, &m, "wb.response", errs, result,
			     retry_after);
	if (rc == VD_OK && *result == CODE_OK)
		report_rate_count(vd, source, source_len);
	else
		files_unattach(vd, files, nfiles); /* rolled back: the files go too */
	return rc;
}

struct minutes_answer {
	int64_t id;
	bool approve;
	const char *correction;
};

static int answer_minutes(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
			  const void *ctx, field_errors *errs, bool *changed)
{
	(void)changed;
	const struct minutes_answer *m = ctx;
	if (!rec->code_own) {
		*errs |= 1u << WW_CODE;
		return VD_ERR_INVALID;
	}
	struct wb_report view;
	int rc = wb_assemble(vd, a, rec, k, &view);
	bool pending = false;
	for (size_t i = 0; rc == VD_OK && i < view.nminutes; i++)
		pending |= view.minutes[i].id == m->id && strcmp(view.minutes[i].state, "pending") == 0;
	if (rc == VD_OK && !pending) {
		*errs |= 1u << WW_MINUTES;
		return VD_ERR_INVALID;
	}
	return rc ? rc
		  : wb_event_add(vd, a, k, rec->id, m->approve ? WE_MINUTES_APPROVED : WE_MINUTES_CORRECTED, m->id, 0,
				 0, m->approve ? NULL : m->correction, NULL);
}

int wb_mailbox_minutes(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		       int64_t minutes_id, bool approve, const char *correction, field_errors *errs,
		       enum code_result *result, int64_t *retry_after)
{
	*errs = 0;
	*result = CODE_OK;
	if (!approve && (!correction || text_blank(correction) || !text_fits(correction, WB_TEXT_MAX_CHARS, false))) {
		*errs |= 1u << WW_TEXT;
		return VD_ERR_INVALID;
	}
	struct minutes_answer m = { .id = minutes_id, .approve = approve, .correction = correction };
	return as_reporter(vd, a, typed, source, source_len, answer_minutes, &m, "wb.minutes_reaction", errs, result,
			   retry_after);
}

struct consent_answer {
	int64_t id;
	enum wb_event_kind kind;
};

static int answer_consent(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
			  const void *ctx, field_errors *errs, bool *changed)
{
	(void)changed;
	const struct consent_answer *c = ctx;
	if (!rec->code_own) {
		*errs |= 1u << WW_CODE;
		return VD_ERR_INVALID;
	}
	struct wb_report view;
	int rc = wb_assemble(vd, a, rec, k, &view);
	bool fits = false;
	for (size_t i = 0; rc == VD_OK && i < view.nconsents; i++) {
		const struct wb_consent_view *q = &view.consents[i];
		if (q->id != c->id)
			continue;
		/* an answer to an open question; a withdrawal while it was not
		 * yet acted on (once told, it cannot be untold) */
		fits = c->kind == WE_CONSENT_WITHDRAWN ? strcmp(q->state, "given") == 0 && !q->disclosed_at
						       : strcmp(q->state, "pending") == 0;
	}
	if (rc == VD_OK && !fits) {
		*errs |= 1u << WW_CONSENT;
		return VD_ERR_INVALID;
	}
	return rc ? rc : wb_event_add(vd, a, k, rec->id, c->kind, c->id, 0, 0, NULL, NULL);
}

int wb_mailbox_consent(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		       int64_t consent_id, const char *choice, field_errors *errs, enum code_result *result,
		       int64_t *retry_after)
{
	*errs = 0;
	*result = CODE_OK;
	struct consent_answer c = { .id = consent_id, .kind = WE_COUNT };
	if (choice && strcmp(choice, "give") == 0)
		c.kind = WE_CONSENT_GIVEN;
	else if (choice && strcmp(choice, "refuse") == 0)
		c.kind = WE_CONSENT_REFUSED;
	else if (choice && strcmp(choice, "withdraw") == 0)
		c.kind = WE_CONSENT_WITHDRAWN;
	if (c.kind == WE_COUNT) {
		*errs |= 1u << WW_KIND;
		return VD_ERR_INVALID;
	}
	return as_reporter(vd, a, typed, source, source_len, answer_consent, &c, "wb.consent_answer", errs, result,
			   retry_after);
}

int wb_mailbox_renew(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     char code[RECEIPT_TEXT_LEN + 1], enum code_result *result, int64_t *retry_after)
{
	code[0] = '\0';
	struct store *s = vd->store;
	struct wb_report_rec rec;
	struct wb_keys k;
	int rc = code_open(vd, a, typed, source, source_len, &rec, &k, result, retry_after);
	if (rc || *result != CODE_OK)
		return rc;
	/* a taken locator (30 random bits) is drawn again; the slow hash of
	 * each new code before the transaction */
	for (int attempt = 0; attempt < 5; attempt++) {
		struct receipt r;
		struct wb_report_rec next = rec;
		rc = wb_code_new(vd, &next, &k, &r, code);
		if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
			struct wb_report_rec now;
			/* still the code that was typed (two renewals at once: one wins) */
			rc = s->ops->wb_report_claim(s, a, rec.id, &now);
			if (rc == VD_OK && strcmp(now.locator, rec.locator) != 0)
				rc = VD_ERR_NOTFOUND;
			if (rc == VD_OK)
				rc = s->ops->wb_report_rekey(s, &next);
			if (rc == VD_OK)
				rc = audit_record(vd, 0, "wb.code", "wb_report", rec.id);
			rc = app_end(vd, rc, 0);
		}
		crypto_wipe(&r, sizeof r);
		if (rc != VD_ERR_EXISTS)
			break;
	}
	if (rc == VD_ERR_NOTFOUND)
		*result = CODE_UNKNOWN; /* the code was replaced meanwhile */
	if (rc)
		crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
	wb_keys_wipe(&k);
	return rc == VD_ERR_NOTFOUND ? VD_OK : rc;
}
