/* casework: see casework.h. */
#include "casework.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "cases.h"
#include "internal/casework.h"
#include "internal/audit.h"
#include "internal/cases.h"
#include "internal/notify.h"

const char *const case_routes[] = { "support_only", "own_talk", "talk_with_counsellor", "mediation",
				    "formal_complaint", "whistleblower", "external_referral", NULL };
const char *const case_outcomes[] = { "solved_informally", "partly_solved", "complaint_filed", "referred",
				      "stopped_by_reporter", "not_solved", NULL };
const char *const contact_ways[] = { "phone", "video", "in_person", NULL };
const char *const contact_parties[] = { "reporter", "other_party", "manager", "mediator", NULL };
const char *const consent_steps[] = { "contact_other_party", "inform_manager", "mediation", "forward_committee",
				      NULL };
const char *const consent_ways[] = { "in_person", "phone", "video", "email", "letter", "mailbox", NULL };
const char *const referral_names[REF_COUNT] = { "committee", "police", "company_doctor", "legal_advice",
						"mediator", "whistleblower_authority" };

/* The consent a conversation with each party needs (NULL: none). */
static const char *consent_for(const char *with_whom)
{
	if (strcmp(with_whom, "other_party") == 0)
		return "contact_other_party";
	if (strcmp(with_whom, "manager") == 0)
		return "inform_manager";
	if (strcmp(with_whom, "mediator") == 0)
		return "mediation";
	return NULL;
}

static bool in_list(const char *const *list, const char *v)
{
	return case_choice_valid(list, v);
}

/* Encrypts text (NULL for an empty one) under the case key, bound to what it is. */
static unsigned char *seal_text(const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const char *text,
				size_t *len)
{
	*len = 0;
	if (text_blank(text))
		return NULL;
	size_t n = strlen(text);
	unsigned char *out = malloc(n + CRYPTO_AEAD_OVERHEAD);
	if (out) {
		crypto_encrypt(key, ad, text, n, out);
		*len = n + CRYPTO_AEAD_OVERHEAD;
	}
	return out;
}

static int open_text(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		     const unsigned char *in, size_t n, const char **out)
{
	*out = "";
	if (!in)
		return VD_OK;
	if (n < CRYPTO_AEAD_OVERHEAD)
		return VD_ERR_STORE;
	char *t = arena_alloc(a, n - CRYPTO_AEAD_OVERHEAD + 1);
	if (!t)
		return VD_ERR_NOMEM;
	if (crypto_decrypt(key, ad, in, n, t) != VD_OK)
		return VD_ERR_STORE;
	t[n - CRYPTO_AEAD_OVERHEAD] = '\0';
	*out = t;
	return VD_OK;
}

/* A reader of the case, without opening it (for changes to *stat* fields). */
static int reader_only(struct vd *vd, const struct principal *who, int64_t id)
{
	struct case_key_rec k;
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_NOTFOUND;
	return vd->store->ops->case_key_get(vd->store, id, who->user_id, &k);
}

/* The start of every change to a case: who must be a reader (with need_key
 * the case key goes into key; without, only readership is checked), the
 * form must be right, then the case record, the transaction, and the claim
 * on the case's work record (into w): every change to a case's work holds
 * it, so changes to one case follow each other, whatever the store. */
static int write_begin(struct vd *vd, const struct principal *who, bool need_key, int64_t id, field_errors errs,
		       struct arena *a, struct case_rec *rec, unsigned char key[CRYPTO_KEY_LEN],
		       struct case_work_rec *w)
{
	struct store *s = vd->store;
	int rc = need_key ? case_reader_key(vd, who, id, key) : reader_only(vd, who, id);
	if (rc == VD_OK && errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->case_get(s, a, id, rec);
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->case_work_claim(s, a, id, w);
		if (rc)
			app_end(vd, rc, 0); /* rolls back */
	}
	return rc;
}

/* Its end: the audit entry in the same transaction, then commit (or roll back). */
static int write_end(struct vd *vd, const struct principal *who, int64_t id, const char *action, int rc)
{
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, action, "case", id);
	return app_end(vd, rc, 0);
}

/* A form's date: "" is none (when allowed); otherwise a real date, not
 * after today when it must have happened already. */
static bool day_field(const char *s, bool optional, bool past, int64_t today, int64_t *day)
{
	*day = DATE_NONE;
	if (optional && (!s || !*s))
		return true;
	return date_parse(s, day) && (!past || *day <= today);
}

/* ---- phases ------------------------------------------------------------------ */

int case_move(struct vd *vd, const struct principal *who, int64_t id, enum phase expected, enum phase to)
{
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, false, id, 0, &a, &rec, NULL, &w);
	if (rc == VD_OK) {
		enum phase from = phase_parse(rec.phase);
		/* an unknown stored phase moves nowhere (and is no index) */
		if (from == PH_COUNT || to >= PH_COUNT || !phase_move_allowed(from, to) ||
		    (expected != PH_COUNT && expected != from))
			rc = VD_ERR_INVALID;
		int64_t now = clock_now();
		/* the move only if the case is still where the page said it was */
		if (rc == VD_OK)
			rc = s->ops->case_set_phase(s, id, phase_names[from], phase_names[to], now, who->user_id);
		if (rc == VD_ERR_NOTFOUND)
			rc = VD_ERR_INVALID;
		if (rc == VD_OK) {
			w.phase_at = now;
			w.closed_at = to == PH_CLOSED ? now : 0;
			rc = s->ops->case_work_put(s, &w);
		}
		rc = write_end(vd, who, id, "case.phase", rc);
	}
	arena_release(&a);
	return rc;
}

/* ---- what the phases ask for ---------------------------------------------------- */

static void inventory_ad(char *ad, size_t n, const struct case_rec *c)
{
	snprintf(ad, n, "case %s inventory", c->locator);
}

int case_progress_save(struct vd *vd, const struct principal *who, int64_t id, const struct progress_input *in,
		       field_errors *errs)
{
	int64_t today = date_of(clock_now()), agreement, due;
	*errs = 0;
	if (!text_fits(in->inventory, INVENTORY_MAX_CHARS, false))
		*errs |= 1u << PF_INVENTORY;
	if (!day_field(in->agreement_on, true, true, today, &agreement)) /* signed: today or earlier */
		*errs |= 1u << PF_AGREEMENT;
	if (in->follow_up < 0 || in->follow_up > 2)
		*errs |= 1u << PF_FOLLOW_UP;
	if (!day_field(in->aftercare_due, true, false, today, &due))
		*errs |= 1u << PF_AFTERCARE_DUE;
	unsigned char key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, true, id, *errs, &a, &rec, key, &w);
	if (rc == VD_OK) {
		char ad[80];
		inventory_ad(ad, sizeof ad, &rec);
		unsigned char *inv = seal_text(key, ad, in->inventory, &w.inventory_len);
		if (!inv && !text_blank(in->inventory))
			rc = VD_ERR_NOMEM;
		if (rc == VD_OK) {
			w.inventory = inv;
			w.agreement_day = agreement;
			w.follow_up = in->follow_up;
			w.progress_evaluated = in->progress_evaluated;
			w.legal_advice = in->legal_advice;
			w.aftercare_offered = in->aftercare_offered;
			w.aftercare_done = in->aftercare_done;
			w.aftercare_due_day = due;
			rc = s->ops->case_work_put(s, &w);
		}
		rc = write_end(vd, who, id, "case.progress", rc);
		free(inv);
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return rc;
}

int case_outcome_save(struct vd *vd, const struct principal *who, int64_t id, const struct outcome_input *in,
		      field_errors *errs)
{
	*errs = 0;
	if (in->route && *in->route && !in_list(case_routes, in->route))
		*errs |= 1u << OF_ROUTE;
	if (in->outcome && *in->outcome && !in_list(case_outcomes, in->outcome))
		*errs |= 1u << OF_OUTCOME;
	if (in->referrals < 0 || in->referrals >= (1 << REF_COUNT))
		*errs |= 1u << OF_REFERRALS;
	bool classify = in->stats.behaviours || in->stats.reporter_type || in->stats.relation || in->stats.location;
	if (classify && (in->stats.behaviours <= 0 || in->stats.behaviours >= (1 << BEH_COUNT)))
		*errs |= 1u << OF_BEHAVIOURS;
	if (classify && !in_list(reporter_types, in->stats.reporter_type))
		*errs |= 1u << OF_TYPE;
	if (classify && !in_list(relations, in->stats.relation))
		*errs |= 1u << OF_RELATION;
	if (classify && !in_list(locations, in->stats.location))
		*errs |= 1u << OF_LOCATION;
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, false, id, *errs, &a, &rec, NULL, &w);
	if (rc == VD_OK) {
		w.route = in->route ? in->route : "";
		w.outcome = in->outcome ? in->outcome : "";
		w.referrals = in->referrals;
		rc = s->ops->case_work_put(s, &w);
		struct case_stats_rec st = { in->stats.behaviours, in->stats.reporter_type, in->stats.relation,
					     in->stats.location };
		if (rc == VD_OK && classify)
			rc = s->ops->case_set_stats(s, id, &st);
		rc = write_end(vd, who, id, "case.outcome", rc);
	}
	arena_release(&a);
	return rc;
}

/* ---- consent ------------------------------------------------------------------ */

int consent_latest(const struct consent_recs *l, const char *step)
{
	for (size_t i = 0; step && i < l->n; i++) /* newest first */
		if (strcmp(l->items[i].step, step) == 0)
			return l->items[i].given;
	return -1;
}

bool consent_in_force(const struct consent_recs *l, const char *step)
{
	/* the list is newest first: the first answer for the step decides (a
	 * question asked since changes nothing until it is answered) */
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].step, step) == 0 && l->items[i].given != CONSENT_ASKED)
			return l->items[i].given == 1;
	return false;
}

/* Queues "news about your report" to c's reporter (best effort). */
static void tell_reporter(struct vd *vd, const struct principal *who, struct arena *a, const struct case_rec *c)
{
	unsigned char key[CRYPTO_KEY_LEN];
	struct report_input report;
	if (case_reader_key(vd, who, c->id, key) == VD_OK && case_decrypt_report(a, c, key, &report) == VD_OK &&
	    report.email && *report.email)
		notify_reporter(vd, report.email);
	crypto_wipe(key, sizeof key);
}

int case_consent_record(struct vd *vd, const struct principal *who, int64_t id, const struct consent_input *in,
			field_errors *errs)
{
	int64_t today = date_of(clock_now()), on;
	*errs = 0;
	if (!in_list(consent_steps, in->step))
		*errs |= 1u << NF_STEP;
	if (in->given != 0 && in->given != 1 && in->given != CONSENT_ASKED)
		*errs |= 1u << NF_GIVEN;
	/* asking goes through the mailbox, today: the answer comes from the reporter */
	bool ask = in->given == CONSENT_ASKED;
	if (ask)
		on = today;
	else if (!day_field(in->on_date, false, true, today, &on))
		*errs |= 1u << NF_DATE;
	const char *how = ask ? "mailbox" : in->how;
	if (!in_list(consent_ways, how))
		*errs |= 1u << NF_HOW;
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, false, id, *errs, &a, &rec, NULL, &w);
	if (rc == VD_OK) {
		struct consent_rec c = { .case_id = id, .step = in->step, .given = in->given, .on_day = on,
					 .how = how, .by = who->user_id, .created_at = clock_now() };
		int64_t cid;
		rc = s->ops->consent_insert(s, &c, &cid);
		rc = write_end(vd, who, id, "case.consent", rc);
		/* a named reporter who left an address hears that a question waits */
		if (rc == VD_OK && ask && rec.named && vd->cfg.smtp_url[0])
			tell_reporter(vd, who, &a, &rec);
	}
	arena_release_wipe(&a);
	return rc;
}

/* ---- conversations and appointments ----------------------------------------- */

static void contact_ad(char *ad, size_t n, const struct case_rec *c)
{
	snprintf(ad, n, "case %s contact notes", c->locator);
}

/* Bound to whether the reporter may see it (so a changed row cannot show them a private one). */
static void place_ad(char *ad, size_t n, const struct case_rec *c, int shared)
{
	snprintf(ad, n, "case %s appointment place %s", c->locator, shared ? "shared" : "private");
}

int case_contact_add(struct vd *vd, const struct principal *who, int64_t id, const struct contact_input *in,
		     field_errors *errs)
{
	int64_t today = date_of(clock_now()), on;
	*errs = 0;
	if (!day_field(in->on_date, false, true, today, &on))
		*errs |= 1u << CF_DATE; /* a conversation that took place */
	if (!in_list(contact_ways, in->way))
		*errs |= 1u << CF_WAY;
	if (!in_list(contact_parties, in->with_whom))
		*errs |= 1u << CF_WITH;
	if (in->minutes < 1 || in->minutes > CONTACT_MAX_MINUTES)
		*errs |= 1u << CF_MINUTES;
	if (!text_fits(in->notes, CONTACT_NOTES_MAX_CHARS, false))
		*errs |= 1u << CF_NOTES;
	unsigned char key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, true, id, *errs, &a, &rec, key, &w);
	if (rc == VD_OK) {
		/* Others only with the reporter's consent, checked under the claim. */
		const char *step = consent_for(in->with_whom);
		struct consent_recs cl;
		if (step) {
			rc = s->ops->consent_list(s, &a, id, WORK_LISTED, &cl);
			if (rc == VD_OK && !consent_in_force(&cl, step)) {
				*errs |= 1u << CF_CONSENT;
				rc = VD_ERR_DENIED;
			}
		}
		char ad[80];
		contact_ad(ad, sizeof ad, &rec);
		struct contact_rec c = { .case_id = id, .on_day = on, .way = in->way, .with_whom = in->with_whom,
					 .minutes = in->minutes, .by = who->user_id, .created_at = clock_now() };
		unsigned char *notes = NULL;
		if (rc == VD_OK) {
			notes = seal_text(key, ad, in->notes, &c.notes_len);
			c.notes = notes;
			if (!notes && !text_blank(in->notes))
				rc = VD_ERR_NOMEM;
		}
		int64_t cid;
		if (rc == VD_OK)
			rc = s->ops->contact_insert(s, &c, &cid);
		rc = write_end(vd, who, id, "case.contact", rc);
		free(notes);
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return rc;
}

int case_appointment_add(struct vd *vd, const struct principal *who, int64_t id,
			 const struct appointment_input *in, field_errors *errs)
{
	int64_t day = DATE_NONE;
	int minute = 0;
	*errs = 0;
	if (!date_parse(in->date, &day))
		*errs |= 1u << AF_DATE;
	if (!time_parse(in->time, &minute))
		*errs |= 1u << AF_TIME;
	if (text_blank(in->place) || !text_fits(in->place, PLACE_MAX_CHARS, true))
		*errs |= 1u << AF_PLACE;
	unsigned char key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, true, id, *errs, &a, &rec, key, &w);
	if (rc == VD_OK) {
		char ad[80];
		place_ad(ad, sizeof ad, &rec, in->shared);
		struct appointment_rec ap = { .case_id = id, .starts_at = date_moment(day, minute), .shared = in->shared,
					      .by = who->user_id, .created_at = clock_now() };
		unsigned char *place = seal_text(key, ad, in->place, &ap.place_len);
		ap.place = place;
		int64_t aid;
		rc = place ? s->ops->appointment_insert(s, &ap, &aid) : VD_ERR_NOMEM;
		rc = write_end(vd, who, id, "case.appointment", rc);
		free(place);
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return rc;
}

/* ---- reading ------------------------------------------------------------------ */

static int decrypt_appointments(struct arena *a, const struct case_rec *c, const unsigned char key[CRYPTO_KEY_LEN],
				const struct appointment_recs *l, bool shared_only, struct appointment_view **out,
				size_t *n)
{
	*n = 0;
	*out = arena_array(a, l->n, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	char ad[80];
	for (size_t i = 0; i < l->n; i++) {
		if (shared_only && !l->items[i].shared)
			continue;
		place_ad(ad, sizeof ad, c, l->items[i].shared);
		struct appointment_view *v = &(*out)[(*n)++];
		v->starts_at = l->items[i].starts_at;
		v->shared = l->items[i].shared != 0;
		int rc = open_text(a, key, ad, l->items[i].place, l->items[i].place_len, &v->place);
		if (rc)
			return rc;
	}
	return VD_OK;
}

static void progress_of(const struct case_work_rec *w, struct case_progress *out)
{
	*out = (struct case_progress){
		.phase_at = w->phase_at, .closed_at = w->closed_at, .agreement_day = w->agreement_day,
		.follow_up = w->follow_up, .progress_evaluated = w->progress_evaluated,
		.legal_advice = w->legal_advice, .aftercare_offered = w->aftercare_offered,
		.aftercare_done = w->aftercare_done, .aftercare_due_day = w->aftercare_due_day,
		.route = w->route, .outcome = w->outcome, .referrals = w->referrals,
		.contacts = w->contacts, .last_contact_day = w->last_contact_day,
	};
}

/* The phase moves, newest first; VD_ERR_STORE for a phase this version does not know. */
static int moves_of(struct arena *a, const struct phase_move_recs *l, struct phase_move **out, size_t *n)
{
	*n = 0;
	*out = arena_array(a, l->n, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < l->n; i++) {
		enum phase from = phase_parse(l->items[i].from), to = phase_parse(l->items[i].to);
		if (from == PH_COUNT || to == PH_COUNT)
			return VD_ERR_STORE;
		(*out)[(*n)++] = (struct phase_move){ from, to, l->items[i].at, l->items[i].by };
	}
	return VD_OK;
}

int case_consents_of(struct arena *a, const struct consent_recs *l, struct consent_view **out, size_t *n)
{
	*n = 0;
	*out = arena_array(a, l->n, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < l->n; i++) {
		const struct consent_rec *c = &l->items[i];
		(*out)[(*n)++] = (struct consent_view){ c->step, c->given == 1, c->given == CONSENT_ASKED, c->on_day, c->how };
	}
	return VD_OK;
}

int case_work_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		   struct case_work_view *out)
{
	unsigned char key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	struct case_work_rec w;
	struct store *s = vd->store;
	struct phase_move_recs ml;
	struct contact_recs cl;
	struct appointment_recs al;
	struct consent_recs nl;
	char ad[80];
	memset(out, 0, sizeof *out);
	int rc = case_reader_key(vd, who, id, key);
	if (rc == VD_OK)
		rc = s->ops->case_get(s, a, id, &rec);
	if (rc == VD_OK) {
		out->phase = phase_parse(rec.phase);
		if (out->phase == PH_COUNT)
			rc = VD_ERR_STORE; /* a phase this version does not know: nothing to show or move */
	}
	if (rc == VD_OK)
		rc = s->ops->case_work_get(s, a, id, &w);
	if (rc == VD_OK) {
		progress_of(&w, &out->work);
		out->stats = (struct case_stats){ rec.behaviours, rec.reporter_type, rec.relation, rec.location };
		inventory_ad(ad, sizeof ad, &rec);
		rc = open_text(a, key, ad, w.inventory, w.inventory_len, &out->inventory);
	}
	if (rc == VD_OK)
		rc = s->ops->phase_move_list(s, a, id, WORK_LISTED, &ml);
	if (rc == VD_OK)
		rc = moves_of(a, &ml, &out->moves, &out->nmoves);
	if (rc == VD_OK)
		rc = s->ops->contact_list(s, a, id, WORK_LISTED, &cl);
	if (rc == VD_OK) {
		out->contacts = arena_array(a, cl.n, sizeof *out->contacts);
		rc = out->contacts ? VD_OK : VD_ERR_NOMEM;
		contact_ad(ad, sizeof ad, &rec);
		for (size_t i = 0; rc == VD_OK && i < cl.n; i++) {
			const struct contact_rec *c = &cl.items[i];
			struct contact_view *v = &out->contacts[i];
			*v = (struct contact_view){ c->on_day, c->way, c->with_whom, c->minutes, c->by, "" };
			rc = open_text(a, key, ad, c->notes, c->notes_len, &v->notes);
		}
		out->ncontacts = rc == VD_OK ? cl.n : 0;
	}
	if (rc == VD_OK)
		rc = s->ops->appointment_list(s, a, id, WORK_LISTED, &al);
	if (rc == VD_OK)
		rc = decrypt_appointments(a, &rec, key, &al, false, &out->appointments, &out->nappointments);
	if (rc == VD_OK)
		rc = s->ops->consent_list(s, a, id, WORK_LISTED, &nl);
	if (rc == VD_OK)
		rc = case_consents_of(a, &nl, &out->consents, &out->nconsents);
	if (rc == VD_OK)
		rc = s->ops->conflict_list(s, a, id, &out->conflicts);
	crypto_wipe(key, sizeof key);
	return rc;
}

int case_shared_appointments(struct vd *vd, struct arena *a, const struct case_rec *c,
			     const unsigned char case_key[CRYPTO_KEY_LEN], struct appointment_view **out, size_t *n)
{
	struct appointment_recs al;
	int rc = vd->store->ops->appointment_list(vd->store, a, c->id, WORK_LISTED, &al);
	if (rc == VD_OK)
		rc = decrypt_appointments(a, c, case_key, &al, true, out, n);
	return rc;
}

/* ---- the dashboard ------------------------------------------------------------ */

static int items_of(struct arena *a, const struct dashboard_item_recs *l, struct dashboard_items *out)
{
	out->n = 0;
	out->items = arena_array(a, l->n, sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < l->n; i++)
		out->items[out->n++] = (struct dashboard_item){ l->items[i].case_id, l->items[i].day, l->items[i].at };
	return VD_OK;
}

int casework_dashboard(struct vd *vd, const struct principal *who, struct arena *a, struct dashboard_view *out)
{
	memset(out, 0, sizeof *out);
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	/* The calendar is worked out here; the store compares numbers. */
	int64_t now = clock_now(), today = date_of(now), monday = date_week_start(today);
	out->quiet_weeks = (int)vd->cfg.no_contact_weeks;
	struct dashboard_query q = { .week_from = date_moment(monday, 0), .week_to = date_moment(monday + 7, 0),
				     .quiet_day = today - 7 * out->quiet_weeks, .today = today, .limit = 50 };
	struct dashboard_rec d;
	int rc = vd->store->ops->dashboard(vd->store, a, who->user_id, &q, &d);
	if (rc)
		return rc;
	for (size_t i = 0; i < d.nphases; i++) {
		enum phase p = phase_parse(d.by_phase[i].phase);
		if (p < PH_COUNT)
			out->by_phase[p] = d.by_phase[i].n;
	}
	rc = items_of(a, &d.appointments, &out->appointments);
	if (rc == VD_OK)
		rc = items_of(a, &d.quiet, &out->quiet);
	if (rc == VD_OK)
		rc = items_of(a, &d.aftercare, &out->aftercare);
	return rc;
}
