/*
 * pages_log: the counsellor's own log (/logboek): advice to managers or the
 * board, training and peer supervision (intervisie), with this year's totals.
 *
 * Three small forms, one per kind, each posting to /logboek with a hidden
 * "kind". A duration is typed as whole hours and minutes (two fields: no
 * decimal comma to get wrong). A refused entry shows the page again with
 * status 400, the error next to each wrong field, a summary at the top and
 * what was typed kept; nothing is stored. The subjects are opened with the
 * secret key from the session, so a session without it cannot show the log.
 */
#include <stdio.h>
#include <string.h>

#include "../core/cases.h"
#include "../core/counsellor_log.h"
#include "../core/units.h"
#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "i18n.h"
#include "web.h"

#define LOG_PER_PAGE 25
#define LOG_HOURS_MAX (COUNSELLOR_LOG_MINUTES_MAX / 60)

/* What one of the three forms holds: as typed, so a refused form keeps it. */
struct log_form {
	const char *kind;
	const char *date, *unit, *asked, *audience, *subject, *hours, *minutes, *reporter_type;
};

/* ---- showing --------------------------------------------------------------- */

/* tv_set with a name made at run time (NULL when the arena ran out: the
 * page then fails as a whole). */
static void tv_set_made(struct tvars *v, const char *name, const char *value)
{
	if (name)
		tv_set(v, name, value);
	else
		tv_set_failed(v);
}

/* "1 uur 30 min" */
static const char *duration_text(struct req *r, int64_t minutes)
{
	long long h = (long long)(minutes / 60), m = (long long)(minutes % 60);
	const char *hu = i18n_get(r->lang, "log.unit_hours"), *mu = i18n_get(r->lang, "log.unit_minutes");
	if (h && m)
		return arena_printf(&r->arena, "%lld %s %lld %s", h, hu, m, mu);
	if (h)
		return arena_printf(&r->arena, "%lld %s", h, hu);
	return arena_printf(&r->arena, "%lld %s", m, mu);
}

/* Minutes as hours with one decimal ("4,5" in Dutch, "4.5" in English). */
static const char *hours_text(struct req *r, int64_t minutes)
{
	long long tenths = (long long)((minutes * 10 + 30) / 60);
	return arena_printf(&r->arena, "%lld%s%lld", tenths / 10, strcmp(r->lang, "nl") == 0 ? "," : ".", tenths % 10);
}

static void set_totals(struct req *r, struct tvars *v, int year, const struct counsellor_log_totals *t)
{
	tv_set_int(v, "year", year);
	tv_set_int(v, "total_asked", t->advice_asked);
	tv_set_int(v, "total_unasked", t->advice_unasked);
	tv_set_int(v, "total_manager", t->advice_manager);
	tv_set_int(v, "total_board", t->advice_board);
	tv_set(v, "total_training_hours", hours_text(r, t->training_minutes));
	tv_set_int(v, "total_supervision", t->supervision_sessions);
	tv_set_int(v, "total_questions", t->questions);
}

static void set_entries(struct req *r, struct tvars *v, const struct counsellor_log_entry *items, size_t n,
			const struct unit_list *units)
{
	for (size_t i = 0; i < n; i++) {
		const struct counsellor_log_entry *e = &items[i];
		struct tvars *o = tv_add(v, "entries");
		tv_set_int(o, "id", e->id);
		tv_set(o, "date", req_day_text(r, e->on_day));
		tv_set(o, "kind", i18n_choice(r->lang, "log.kind", e->kind));
		if (strcmp(e->kind, "advice") == 0) {
			const struct unit *u = unit_by_id(units, e->unit_id);
			tv_setf(o, "details", "%s, %s, %s", i18n_get(r->lang, e->asked ? "log.asked" : "log.unasked"),
				i18n_choice(r->lang, "log.to_detail", e->audience), u ? u->name : "");
		} else if (strcmp(e->kind, "question") == 0) {
			const struct unit *u = unit_by_id(units, e->unit_id);
			tv_setf(o, "details", "%s, %s%s%s", i18n_choice(r->lang, "reptype", e->reporter_type),
				u ? u->name : "", e->minutes ? ", " : "", e->minutes ? duration_text(r, e->minutes) : "");
		} else {
			tv_set(o, "details", duration_text(r, e->minutes));
		}
		tv_set(o, "subject", e->subject);
		tv_set_bool(o, "unreadable", e->unreadable);
	}
}

/* The units for a form with a unit (list: its template name), in tree
 * order, with the chosen one selected. */
static int unit_options(struct req *r, struct tvars *v, const char *list, const struct unit_list *units,
			const char *chosen)
{
	struct unit_list tree;
	int *depth;
	/* a question only about a unit one serves; advice about any */
	int rc = strcmp(list, "question_units") == 0
			 ? counsellor_log_question_units(r->vd, r->who, &r->arena, &tree, &depth)
			 : unit_tree(&r->arena, units, &tree, &depth);
	for (size_t i = 0; rc == VD_OK && i < tree.n; i++) {
		struct tvars *o = tv_add(v, list);
		tv_set_int(o, "id", tree.items[i].id);
		tv_setf(o, "label", "%.*s%s", depth[i] * 4, "– – – – – – ", tree.items[i].name);
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)tree.items[i].id);
		tv_set_bool(o, "selected", chosen && strcmp(chosen, id) == 0);
	}
	return rc;
}

/* The form of kind, filled with f when it is the one that came back. */
static void set_form(struct req *r, struct tvars *v, const char *kind, const struct log_form *f, const char *today)
{
	bool mine = f && strcmp(f->kind, kind) == 0;
	char name[48];
#define FORM_VAR(field, value)                                                  \
	do {                                                                    \
		snprintf(name, sizeof name, "%s_%s", kind, field);              \
		tv_set_made(v, arena_strdup(&r->arena, name), value);           \
	} while (0)
	FORM_VAR("date", mine ? f->date : today);
	FORM_VAR("subject", mine ? f->subject : "");
	FORM_VAR("hours", mine ? f->hours : "");
	FORM_VAR("minutes", mine ? f->minutes : "");
#undef FORM_VAR
	if (strcmp(kind, "advice") == 0 && mine) {
		tv_set_bool(v, "advice_asked_yes", strcmp(f->asked, "yes") == 0);
		tv_set_bool(v, "advice_asked_no", strcmp(f->asked, "no") == 0);
		tv_set_bool(v, "advice_manager", strcmp(f->audience, "manager") == 0);
		tv_set_bool(v, "advice_board", strcmp(f->audience, "board") == 0);
	}
}

/* The fields of each form as the template names them, per core field
 * (NULL: that form has no such field). */
static const char *form_field(const char *kind, enum counsellor_log_field f)
{
	bool advice = strcmp(kind, "advice") == 0, training = strcmp(kind, "training") == 0;
	bool question = strcmp(kind, "question") == 0;
	switch (f) {
	case CLF_DATE: return "date";
	case CLF_UNIT: return advice || question ? "unit" : NULL;
	case CLF_ASKED: return advice ? "asked" : NULL;
	case CLF_AUDIENCE: return advice ? "audience" : NULL;
	case CLF_MINUTES: return advice ? NULL : "duration";
	case CLF_SUBJECT: return advice || training || question ? "subject" : NULL;
	case CLF_REPORTER_TYPE: return question ? "reporter_type" : NULL;
	default: return NULL;
	}
}

/* Marks the wrong fields of the form that came back: "err_<kind>_<field>"
 * next to the field, and a line in the summary linking to "#<kind>-<field>". */
static void set_errors(struct req *r, struct tvars *v, const char *kind, const struct counsellor_log_errors *errs)
{
	for (int f = 0; f < CLF_COUNT; f++) {
		const char *field = form_field(kind, (enum counsellor_log_field)f);
		if (!errs->bad[f] || !field)
			continue;
		char key[64];
		/* a form's own wording first ("log.error.question_unit"), else the shared one */
		snprintf(key, sizeof key, "log.error.%s_%s", kind, field);
		if (!i18n_has(r->lang, key) && f == CLF_SUBJECT && strcmp(kind, "advice") != 0)
			snprintf(key, sizeof key, "log.error.topic");
		else if (!i18n_has(r->lang, key))
			snprintf(key, sizeof key, "log.error.%s", field);
		const char *msg = i18n_get(r->lang, key);
		tv_set_made(v, arena_printf(&r->arena, "err_%s_%s", kind, field), msg);
		struct tvars *e = tv_add(v, "errors");
		tv_set(e, "target", arena_printf(&r->arena, "%s-%s", kind, field));
		tv_set(e, "message", msg);
	}
	tv_set_bool(v, "has_errors", true);
}

/* A page cursor "YYYY-MM-DD.ID", as the "older" link makes it. */
static int parse_cursor(const char *s, struct counsellor_log_cursor *c)
{
	char day[DATE_LEN + 1];
	if (strlen(s) < 12 || strlen(s) > 40 || s[10] != '.')
		return VD_ERR_INVALID;
	memcpy(day, s, DATE_LEN);
	day[DATE_LEN] = '\0';
	if (!date_parse(day, &c->on_day))
		return VD_ERR_INVALID;
	return text_parse_i64(s + 11, 1, INT64_MAX, &c->id);
}

/* The whole page; after a refused entry, f is what was typed and errs what
 * was wrong with it. */
static void log_page(struct req *r, const struct log_form *f, const struct counsellor_log_errors *errs)
{
	struct counsellor_log_cursor after, next;
	const char *p = kv_get(&r->query, "na");
	if (p && parse_cursor(p, &after)) {
		req_error(r, 400);
		return;
	}
	char today[11];
	counsellor_log_today(today);
	int year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
	struct counsellor_log_entry *items;
	size_t n;
	bool more = false;
	struct counsellor_log_totals totals;
	struct unit_list units;
	const struct principal *who = r->who;
	int rc = counsellor_log_page(r->vd, who, &r->arena, p ? &after : NULL, LOG_PER_PAGE, &items, &n, &more, &next);
	if (rc == VD_OK)
		rc = counsellor_log_own_totals(r->vd, who, year, &totals);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY) {
		req_error_key(r, 403, "log.cannot_open");
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	bool q = f && strcmp(f->kind, "question") == 0;
	if (!v || unit_options(r, v, "units", &units, f && strcmp(f->kind, "advice") == 0 ? f->unit : NULL) ||
	    unit_options(r, v, "question_units", &units, q ? f->unit : NULL)) {
		req_error(r, 500);
		return;
	}
	set_totals(r, v, year, &totals);
	set_entries(r, v, items, n, &units);
	for (size_t i = 0; counsellor_log_kinds[i]; i++)
		set_form(r, v, counsellor_log_kinds[i], f, today);
	if (f && errs)
		set_errors(r, v, f->kind, errs);
	tv_choices(r, v, "question_types", "reptype", reporter_types, q ? f->reporter_type : NULL);
	tv_set(v, "today", today);
	tv_set_int(v, "subject_max", COUNSELLOR_LOG_SUBJECT_MAX_CHARS);
	tv_set_int(v, "hours_max", LOG_HOURS_MAX);
	tv_set_bool(v, "saved", !f && kv_get(&r->query, "klaar") != NULL);
	tv_set_bool(v, "deleted", !f && kv_get(&r->query, "verwijderd") != NULL);
	tv_set_bool(v, "none", n == 0 && !p);
	tv_set_bool(v, "later_page", p != NULL);
	if (more)
		tv_setf(v, "next", "%s.%lld", req_day_value(r, next.on_day), (long long)next.id);
	page_render(r, "counsellor_log", v, "log.title");
}

void h_counsellor_log(struct req *r)
{
	log_page(r, NULL, NULL);
}

/* ---- adding and removing ------------------------------------------------------- */

/* A whole number in [0, max] from a form field; "" is 0. false if it is not one. */
static bool form_count(const char *s, int64_t max, int64_t *out)
{
	*out = 0;
	return !*s || text_parse_i64(s, 0, max, out) == VD_OK;
}

void h_counsellor_log_add(struct req *r)
{
	struct log_form f = {
		.kind = form_str(r, "kind"), .date = form_str(r, "date"), .unit = form_str(r, "unit"),
		.asked = form_str(r, "asked"), .audience = form_str(r, "audience"), .subject = form_str(r, "subject"),
		.hours = form_str(r, "hours"), .minutes = form_str(r, "minutes"),
		.reporter_type = form_str(r, "reporter_type"),
	};
	bool advice = strcmp(f.kind, "advice") == 0, question = strcmp(f.kind, "question") == 0;
	if (!advice && !question && strcmp(f.kind, "training") != 0 && strcmp(f.kind, "supervision") != 0) {
		req_error(r, 400); /* not one of our forms */
		return;
	}
	struct counsellor_log_input in = {
		.kind = f.kind, .on_date = f.date, .asked = -1, .audience = advice ? f.audience : "",
		.subject = strcmp(f.kind, "supervision") == 0 ? "" : f.subject,
		.reporter_type = question ? f.reporter_type : "",
	};
	if ((advice || question) && *f.unit && text_parse_i64(f.unit, 1, INT64_MAX, &in.unit_id))
		in.unit_id = -1; /* refused as "no such unit" */
	if (advice) {
		in.asked = strcmp(f.asked, "yes") == 0 ? 1 : strcmp(f.asked, "no") == 0 ? 0 : -1;
	} else {
		int64_t h, m;
		/* Not whole numbers in range: 0 minutes, which the core refuses along
		 * with whatever else is wrong, so every error shows at once (a
		 * question's duration may be left out: that is 0 too, so a bad one
		 * is -1). */
		if (form_count(f.hours, LOG_HOURS_MAX, &h) && form_count(f.minutes, 59, &m))
			in.minutes = h * 60 + m;
		else if (question)
			in.minutes = -1;
	}
	struct counsellor_log_errors errs;
	int64_t id = 0;
	int rc = counsellor_log_add(r->vd, r->who, &in, &id, &errs);
	if (rc == VD_ERR_INVALID) {
		r->status = 400;
		log_page(r, &f, &errs);
	} else if (rc == VD_ERR_AUTH || rc == VD_ERR_NOKEY) {
		req_error_key(r, 403, "log.cannot_open");
	} else if (rc) {
		req_fail(r, rc);
	} else {
		log_event(LOG_INFO, "log-added", LF_USER, (long long)r->user->id, LF_RECORD, (long long)id,
			  LF_END);
		req_redirect(r, "/logboek?klaar=1");
	}
}

void h_counsellor_log_delete(struct req *r)
{
	/* Someone else's entry is "not found", like one that never existed. */
	int rc = counsellor_log_remove(r->vd, r->who, r->id);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "log-deleted", LF_USER, (long long)r->user->id, LF_RECORD, (long long)r->id,
		  LF_END);
	req_redirect(r, "/logboek?verwijderd=1");
}
