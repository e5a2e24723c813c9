/*
 * wb_work: what an integrity officer does with a report (see whistle.h):
 * the acknowledgement, messages, feedback and notes, minutes, the
 * assessment, closing, opening the identity and asking consent to tell it.
 * Each is one transaction on the claimed report with its audit entry, and
 * a content-free notice to the reporter when they have something to read.
 */
#include "internal/whistle.h"

#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/notify.h"

/* One change: the claimed report and its keys, inside a transaction. */
struct work {
	struct vd *vd;
	const struct principal *who;
	struct arena a;
	struct wb_report_rec rec;
	struct wb_keys k;
	int64_t today;
};

static int work_begin(struct work *w, struct vd *vd, const struct principal *who, int64_t id, bool identity)
{
	memset(w, 0, sizeof *w);
	w->vd = vd;
	w->who = who;
	w->today = date_of(clock_now());
	arena_init(&w->a, 0);
	int rc = vd->store->ops->begin(vd->store);
	if (rc == VD_OK)
		rc = wb_officer_open(vd, who, &w->a, id, true, identity, &w->rec, &w->k);
	return rc;
}

/* Ends the change: the report written back if changed, the audit entry,
 * the notice to the reporter if tell. */
static int work_end(struct work *w, int rc, bool changed, const char *action, bool tell)
{
	struct store *s = w->vd->store;
	if (rc == VD_OK && changed) {
		wb_recount(w->vd, &w->rec);
		rc = s->ops->wb_report_update(s, &w->rec);
	}
	if (rc == VD_OK)
		rc = audit_record(w->vd, w->who->user_id, action, "wb_report", w->rec.id);
	if (rc == VD_OK && tell)
		rc = wb_tell_reporter(w->vd, &w->a, &w->rec, &w->k);
	rc = app_end(w->vd, rc, 0);
	wb_keys_wipe(&w->k);
	arena_release_wipe(&w->a);
	return rc;
}

static int refuse(field_errors *errs, enum wb_work_field f)
{
	*errs |= 1u << f;
	return VD_ERR_INVALID;
}

static bool text_ok(const char *t, size_t max)
{
	return t && !text_blank(t) && text_fits(t, max, false);
}

int wb_acknowledge(struct vd *vd, const struct principal *who, int64_t id, const char *text, field_errors *errs)
{
	*errs = 0;
	struct work w;
	int rc = work_begin(&w, vd, who, id, true);
	if (rc == VD_OK && (!w.rec.open || w.rec.ack_day))
		rc = refuse(errs, WW_STATE); /* once, and only while it is open */
	if (rc == VD_OK && text && !text_fits(text, WB_TEXT_MAX_CHARS, false))
		rc = refuse(errs, WW_TEXT);
	if (rc == VD_OK) {
		w.rec.ack_day = w.today;
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_ACK, 0, 0, who->user_id, text, NULL);
	}
	return work_end(&w, rc, true, "wb.ack", true);
}

int wb_write(struct vd *vd, const struct principal *who, int64_t id, enum wb_event_kind kind, const char *text,
	     field_errors *errs)
{
	*errs = 0;
	if (kind != WE_MESSAGE_OUT && kind != WE_FEEDBACK && kind != WE_NOTE) {
		*errs |= 1u << WW_KIND;
		return VD_ERR_INVALID;
	}
	struct work w;
	int rc = work_begin(&w, vd, who, id, kind != WE_NOTE);
	if (rc == VD_OK && !w.rec.open)
		rc = refuse(errs, WW_STATE);
	if (rc == VD_OK && !text_ok(text, WB_TEXT_MAX_CHARS))
		rc = refuse(errs, WW_TEXT);
	if (rc == VD_OK)
		rc = wb_event_add(vd, &w.a, &w.k, id, kind, 0, 0, who->user_id, text, NULL);
	/* the first feedback meets the clock; later ones are more of it */
	bool changed = kind == WE_FEEDBACK && !w.rec.feedback_day;
	if (changed)
		w.rec.feedback_day = w.today;
	const char *action = kind == WE_NOTE ? "wb.note" : kind == WE_FEEDBACK ? "wb.feedback" : "wb.message";
	return work_end(&w, rc, changed, action, kind != WE_NOTE);
}

int wb_minutes_add(struct vd *vd, const struct principal *who, int64_t id, const char *day, const char *text,
		   int64_t replaces, field_errors *errs)
{
	*errs = 0;
	struct work w;
	int64_t on = 0;
	int rc = work_begin(&w, vd, who, id, true);
	if (rc == VD_OK && !w.rec.open)
		rc = refuse(errs, WW_STATE);
	if (rc == VD_OK && (!date_parse(day ? day : "", &on) || on > w.today || on < w.rec.received_day))
		rc = refuse(errs, WW_DAY);
	if (rc == VD_OK && !text_ok(text, WB_MINUTES_MAX_CHARS))
		rc = refuse(errs, WW_MINUTES);
	if (rc == VD_OK && replaces) {
		/* only minutes of this report the reporter has not approved */
		struct wb_report view;
		rc = wb_assemble(vd, &w.a, &w.rec, &w.k, &view);
		bool found = false;
		for (size_t i = 0; rc == VD_OK && i < view.nminutes; i++)
			found |= view.minutes[i].id == replaces && (strcmp(view.minutes[i].state, "pending") == 0 ||
								    strcmp(view.minutes[i].state, "corrected") == 0);
		if (rc == VD_OK && !found)
			rc = refuse(errs, WW_STATE);
	}
	if (rc == VD_OK)
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_MINUTES, replaces, on, who->user_id, text, NULL);
	return work_end(&w, rc, false, "wb.minutes", true);
}

int wb_assess(struct vd *vd, const struct principal *who, int64_t id, const char *category, field_errors *errs)
{
	*errs = 0;
	if (!case_choice_valid(wb_categories, category)) {
		*errs |= 1u << WW_CATEGORY;
		return VD_ERR_INVALID;
	}
	struct work w;
	int rc = work_begin(&w, vd, who, id, false);
	if (rc == VD_OK && !w.rec.open)
		rc = refuse(errs, WW_STATE);
	if (rc == VD_OK) {
		w.rec.category = category;
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_ASSESSED, 0, 0, who->user_id, category, NULL);
	}
	return work_end(&w, rc, true, "wb.assess", false);
}

int wb_close(struct vd *vd, const struct principal *who, int64_t id, const char *outcome, const char *text,
	     field_errors *errs)
{
	*errs = 0;
	if (!case_choice_valid(wb_outcomes, outcome)) {
		*errs |= 1u << WW_OUTCOME;
		return VD_ERR_INVALID;
	}
	if (text && !text_fits(text, WB_TEXT_MAX_CHARS, false)) {
		*errs |= 1u << WW_TEXT;
		return VD_ERR_INVALID;
	}
	struct work w;
	int rc = work_begin(&w, vd, who, id, true);
	if (rc == VD_OK && !w.rec.open)
		rc = refuse(errs, WW_STATE);
	if (rc == VD_OK) {
		w.rec.open = 0;
		w.rec.closed_day = w.today;
		w.rec.outcome = outcome;
		/* a closing message tells the reporter what was done: feedback */
		if (!w.rec.feedback_day && text && !text_blank(text))
			w.rec.feedback_day = w.today;
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_CLOSED, 0, 0, who->user_id, text, NULL);
	}
	return work_end(&w, rc, true, "wb.close", true);
}

int wb_identity_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *reason,
		     field_errors *errs, struct wb_identity *out)
{
	*errs = 0;
	*out = (struct wb_identity){ .name = "", .email = "", .phone = "" };
	if (!reason || text_blank(reason) || !text_fits(reason, WB_REASON_MAX_CHARS, false)) {
		*errs |= 1u << WW_TEXT;
		return VD_ERR_INVALID;
	}
	struct work w;
	int rc = work_begin(&w, vd, who, id, true);
	if (rc == VD_OK)
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_IDENTITY_OPENED, 0, 0, who->user_id, reason, NULL);
	/* read under the claim, shown only once the reason is on record */
	struct wb_identity found;
	if (rc == VD_OK)
		rc = wb_identity_read(&w.a, &w.rec, &w.k, &found);
	if (rc == VD_OK) {
		out->given = found.given;
		out->name = arena_strdup(a, found.name);
		out->email = arena_strdup(a, found.email);
		out->phone = arena_strdup(a, found.phone);
		if (!out->name || !out->email || !out->phone)
			rc = VD_ERR_NOMEM;
	}
	rc = work_end(&w, rc, false, "wb.identity", false);
	if (rc)
		*out = (struct wb_identity){ .name = "", .email = "", .phone = "" };
	return rc;
}

int wb_consent_ask(struct vd *vd, const struct principal *who, int64_t id, const char *request, field_errors *errs)
{
	*errs = 0;
	struct work w;
	int rc = work_begin(&w, vd, who, id, true);
	if (rc == VD_OK && !w.rec.open)
		rc = refuse(errs, WW_STATE);
	if (rc == VD_OK && !text_ok(request, WB_REASON_MAX_CHARS))
		rc = refuse(errs, WW_TEXT);
	if (rc == VD_OK)
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_CONSENT_ASKED, 0, 0, who->user_id, request, NULL);
	return work_end(&w, rc, false, "wb.consent", true);
}

int wb_disclose(struct vd *vd, const struct principal *who, int64_t id, int64_t consent_id, field_errors *errs)
{
	*errs = 0;
	struct work w;
	int rc = work_begin(&w, vd, who, id, true);
	if (rc == VD_OK && !w.rec.open)
		rc = refuse(errs, WW_CONSENT); /* nothing is told of a closed report */
	struct wb_report view;
	if (rc == VD_OK)
		rc = wb_assemble(vd, &w.a, &w.rec, &w.k, &view);
	bool allowed = false;
	for (size_t i = 0; rc == VD_OK && i < view.nconsents; i++)
		allowed |= view.consents[i].id == consent_id && strcmp(view.consents[i].state, "given") == 0 &&
			   !view.consents[i].disclosed_at;
	if (rc == VD_OK && !allowed)
		rc = refuse(errs, WW_CONSENT); /* never without the reporter's consent in force */
	if (rc == VD_OK)
		rc = wb_event_add(vd, &w.a, &w.k, id, WE_DISCLOSED, consent_id, 0, who->user_id, NULL, NULL);
	return work_end(&w, rc, false, "wb.disclose", true);
}

/* ---- reminders ---------------------------------------------------------------------- */

#define REMIND_ACK_SOON 1
#define REMIND_ACK_LATE 2
#define REMIND_FEEDBACK_SOON 4
#define REMIND_FEEDBACK_LATE 8
/* Two working days ahead lie within this many calendar days, holidays too. */
#define LOOKAHEAD_DAYS 10
#define BATCH 200

int wb_remind(struct vd *vd)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	int64_t today = date_of(clock_now());
	struct wb_report_recs due;
	int rc = s->ops->wb_reports_due(s, &a, today + LOOKAHEAD_DAYS, BATCH, &due);
	for (size_t i = 0; rc == VD_OK && i < due.n; i++) {
		const struct wb_report_rec *r = &due.items[i];
		bool ack = !r->ack_day;
		int64_t soon = ack ? REMIND_ACK_SOON : REMIND_FEEDBACK_SOON, late = ack ? REMIND_ACK_LATE : REMIND_FEEDBACK_LATE;
		int64_t bit = 0;
		if (today > r->next_due_day && !(r->reminded & late))
			bit = late;
		else if (today <= r->next_due_day && !(r->reminded & soon) &&
			 working_days_between(&vd->holidays, today, r->next_due_day) <= WB_REMIND_WORKING_DAYS)
			bit = soon;
		if (!bit)
			continue;
		if (bit == late && !(r->reminded & soon))
			s->ops->wb_report_remind(s, r->id, soon); /* late makes "soon" pointless */
		int got = s->ops->wb_report_remind(s, r->id, bit);
		if (got == VD_OK)
			rc = notify_wb_officers(vd, r->id, "wb_clock");
		else if (got != VD_ERR_NOTFOUND) /* NOTFOUND: another server sent it */
			rc = got;
	}
	arena_release(&a);
	return rc;
}
