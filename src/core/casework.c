/* casework: see casework.h. */
#include "casework.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "audit.h"
#include "cases.h"

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

/* Optional text: empty, or valid and at most max characters. */
static bool text_fits(const char *s, size_t max_chars, bool one_line)
{
	size_t n = s ? strlen(s) : 0;
	if (!n)
		return true;
	return (one_line ? text_valid_line(s, n) : text_valid_utf8(s, n)) && text_utf8_len(s, n) <= max_chars;
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
static int reader_only(struct vd *vd, const struct actor *who, int64_t id, struct case_rec *rec, struct arena *a)
{
	struct case_key_rec k;
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_NOTFOUND;
	int rc = vd->store->ops->case_key_get(vd->store, id, who->user_id, &k);
	if (rc == VD_OK && rec)
		rc = vd->store->ops->case_get(vd->store, a, id, rec);
	return rc;
}

/* The start of every change to a case: who must be a reader (with sk, the
 * case key goes into key; without, only readership is checked), the form
 * must be right, then the case record and the transaction. */
static int write_begin(struct vd *vd, const struct actor *who, const unsigned char *sk, int64_t id,
		       field_errors errs, struct arena *a, struct case_rec *rec, unsigned char key[CRYPTO_KEY_LEN])
{
	struct store *s = vd->store;
	int rc = sk ? case_reader_key(vd, who, sk, id, key) : reader_only(vd, who, id, NULL, a);
	if (rc == VD_OK && errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->case_get(s, a, id, rec);
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	return rc;
}

/* Its end: the audit entry in the same transaction, then commit (or roll back). */
static int write_end(struct vd *vd, const struct actor *who, int64_t id, const char *action, int rc)
{
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, action, "case", id);
	return app_end(vd, rc, 0);
}

/* ---- phases ------------------------------------------------------------------ */

int case_move(struct vd *vd, const struct actor *who, int64_t id, enum phase expected, enum phase to)
{
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work w;
	struct store *s = vd->store;
	int rc = reader_only(vd, who, id, &rec, &a);
	enum phase from = rc == VD_OK ? phase_parse(rec.phase) : PH_COUNT;
	if (rc == VD_OK && (to >= PH_COUNT || !phase_move_allowed(from, to) || (expected != PH_COUNT && expected != from)))
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		int64_t now = clock_now();
		/* the move only if the case is still where the page said it was */
		rc = s->ops->case_set_phase(s, id, phase_names[from], phase_names[to], now, who->user_id);
		if (rc == VD_ERR_NOTFOUND)
			rc = VD_ERR_INVALID;
		if (rc == VD_OK)
			rc = s->ops->case_work_get(s, &a, id, &w);
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

int case_progress_save(struct vd *vd, const struct actor *who, const unsigned char sk[CRYPTO_SK_LEN], int64_t id,
		       const struct progress_input *in, field_errors *errs)
{
	*errs = 0;
	if (!text_fits(in->inventory, INVENTORY_MAX_CHARS, false))
		*errs |= 1u << PF_INVENTORY;
	char today[DATE_LEN + 1];
	date_of(clock_now(), 0, today);
	/* signed: today or earlier */
	if (in->agreement_on && *in->agreement_on && (!date_valid(in->agreement_on) || strcmp(in->agreement_on, today) > 0))
		*errs |= 1u << PF_AGREEMENT;
	if (in->follow_up < 0 || in->follow_up > 2)
		*errs |= 1u << PF_FOLLOW_UP;
	if (in->aftercare_due && *in->aftercare_due && !date_valid(in->aftercare_due))
		*errs |= 1u << PF_AFTERCARE_DUE;
	unsigned char key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct case_work w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, sk, id, *errs, &a, &rec, key);
	if (rc == VD_OK) {
		rc = s->ops->case_work_get(s, &a, id, &w);
		char ad[80];
		inventory_ad(ad, sizeof ad, &rec);
		unsigned char *inv = NULL;
		if (rc == VD_OK) {
			inv = seal_text(key, ad, in->inventory, &w.inventory_len);
			if (!inv && !text_blank(in->inventory))
				rc = VD_ERR_NOMEM;
		}
		if (rc == VD_OK) {
			w.inventory = inv;
			w.agreement_on = in->agreement_on ? in->agreement_on : "";
			w.follow_up = in->follow_up;
			w.progress_evaluated = in->progress_evaluated;
			w.legal_advice = in->legal_advice;
			w.aftercare_offered = in->aftercare_offered;
			w.aftercare_done = in->aftercare_done;
			w.aftercare_due = in->aftercare_due ? in->aftercare_due : "";
			rc = s->ops->case_work_put(s, &w);
		}
		rc = write_end(vd, who, id, "case.progress", rc);
		free(inv);
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return rc;
}

int case_outcome_save(struct vd *vd, const struct actor *who, int64_t id, const struct outcome_input *in,
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
	struct case_work w;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, NULL, id, *errs, &a, &rec, NULL);
	if (rc == VD_OK) {
		rc = s->ops->case_work_get(s, &a, id, &w);
		if (rc == VD_OK) {
			w.route = in->route ? in->route : "";
			w.outcome = in->outcome ? in->outcome : "";
			w.referrals = in->referrals;
			rc = s->ops->case_work_put(s, &w);
		}
		if (rc == VD_OK && classify)
			rc = s->ops->case_set_stats(s, id, &in->stats);
		rc = write_end(vd, who, id, "case.outcome", rc);
	}
	arena_release(&a);
	return rc;
}

/* ---- consent ------------------------------------------------------------------ */

bool consent_in_force(const struct consent_list *l, const char *step)
{
	/* the list is newest first: the first record of the step decides */
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].step, step) == 0)
			return l->items[i].given == 1;
	return false;
}

int case_consent_record(struct vd *vd, const struct actor *who, int64_t id, const struct consent_input *in,
			field_errors *errs)
{
	char today[DATE_LEN + 1];
	date_of(clock_now(), 0, today);
	*errs = 0;
	if (!in_list(consent_steps, in->step))
		*errs |= 1u << NF_STEP;
	if (in->given != 0 && in->given != 1)
		*errs |= 1u << NF_GIVEN;
	if (!date_valid(in->on_date) || strcmp(in->on_date, today) > 0)
		*errs |= 1u << NF_DATE;
	if (!in_list(consent_ways, in->how))
		*errs |= 1u << NF_HOW;
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, NULL, id, *errs, &a, &rec, NULL);
	if (rc == VD_OK) {
		struct consent_rec c = { .case_id = id, .step = in->step, .given = in->given, .on_date = in->on_date,
					 .how = in->how, .by = who->user_id, .created_at = clock_now() };
		int64_t cid;
		rc = s->ops->consent_insert(s, &c, &cid);
		rc = write_end(vd, who, id, "case.consent", rc);
	}
	arena_release(&a);
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

int case_contact_add(struct vd *vd, const struct actor *who, const unsigned char sk[CRYPTO_SK_LEN], int64_t id,
		     const struct contact_input *in, field_errors *errs)
{
	char today[DATE_LEN + 1];
	date_of(clock_now(), 0, today);
	*errs = 0;
	if (!date_valid(in->on_date) || strcmp(in->on_date, today) > 0)
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
	struct store *s = vd->store;
	int rc = write_begin(vd, who, sk, id, *errs, &a, &rec, key);
	if (rc == VD_OK) {
		/* Others only with the reporter's consent, checked in the transaction. */
		const char *step = consent_for(in->with_whom);
		struct consent_list cl;
		if (step) {
			rc = s->ops->consent_list(s, &a, id, WORK_LISTED, &cl);
			if (rc == VD_OK && !consent_in_force(&cl, step)) {
				*errs |= 1u << CF_CONSENT;
				rc = VD_ERR_DENIED;
			}
		}
		char ad[80];
		contact_ad(ad, sizeof ad, &rec);
		struct contact_rec c = { .case_id = id, .on_date = in->on_date, .way = in->way,
					 .with_whom = in->with_whom, .minutes = in->minutes, .by = who->user_id,
					 .created_at = clock_now() };
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

int case_appointment_add(struct vd *vd, const struct actor *who, const unsigned char sk[CRYPTO_SK_LEN],
			 int64_t id, const struct appointment_input *in, field_errors *errs)
{
	*errs = 0;
	if (!date_valid(in->date))
		*errs |= 1u << AF_DATE;
	if (!time_valid(in->time))
		*errs |= 1u << AF_TIME;
	if (text_blank(in->place) || !text_fits(in->place, PLACE_MAX_CHARS, true))
		*errs |= 1u << AF_PLACE;
	unsigned char key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct store *s = vd->store;
	int rc = write_begin(vd, who, sk, id, *errs, &a, &rec, key);
	if (rc == VD_OK) {
		char ad[80], starts[DATE_LEN + TIME_LEN + 2];
		place_ad(ad, sizeof ad, &rec, in->shared);
		snprintf(starts, sizeof starts, "%s %s", in->date, in->time);
		struct appointment_rec ap = { .case_id = id, .starts = starts, .shared = in->shared,
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
				const struct appointment_list *l, bool shared_only, struct appointment_view **out,
				size_t *n)
{
	*n = 0;
	*out = arena_alloc(a, (l->n ? l->n : 1) * sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	char ad[80];
	for (size_t i = 0; i < l->n; i++) {
		if (shared_only && !l->items[i].shared)
			continue;
		place_ad(ad, sizeof ad, c, l->items[i].shared);
		struct appointment_view *v = &(*out)[(*n)++];
		v->rec = l->items[i];
		int rc = open_text(a, key, ad, l->items[i].place, l->items[i].place_len, &v->place);
		if (rc)
			return rc;
	}
	return VD_OK;
}

int case_work_open(struct vd *vd, const struct actor *who, const unsigned char sk[CRYPTO_SK_LEN],
		   struct arena *a, int64_t id, struct case_work_view *out)
{
	unsigned char key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	struct store *s = vd->store;
	struct contact_list cl;
	struct appointment_list al;
	memset(out, 0, sizeof *out);
	int rc = case_reader_key(vd, who, sk, id, key);
	if (rc == VD_OK)
		rc = s->ops->case_get(s, a, id, &rec);
	if (rc == VD_OK)
		rc = s->ops->case_work_get(s, a, id, &out->work);
	char ad[80];
	if (rc == VD_OK)
		rc = s->ops->phase_move_list(s, a, id, WORK_LISTED, &out->moves);
	if (rc == VD_OK) {
		out->phase = phase_parse(rec.phase);
		if (out->phase == PH_COUNT)
			rc = VD_ERR_STORE; /* a phase this version does not know */
		out->stats = (struct case_stats){ rec.behaviours, rec.reporter_type, rec.relation, rec.location };
		inventory_ad(ad, sizeof ad, &rec);
		rc = open_text(a, key, ad, out->work.inventory, out->work.inventory_len, &out->inventory);
	}
	if (rc == VD_OK)
		rc = s->ops->contact_list(s, a, id, WORK_LISTED, &cl);
	if (rc == VD_OK) {
		out->contacts = arena_alloc(a, (cl.n ? cl.n : 1) * sizeof *out->contacts);
		rc = out->contacts ? VD_OK : VD_ERR_NOMEM;
		contact_ad(ad, sizeof ad, &rec);
		for (size_t i = 0; rc == VD_OK && i < cl.n; i++) {
			out->contacts[i].rec = cl.items[i];
			rc = open_text(a, key, ad, cl.items[i].notes, cl.items[i].notes_len, &out->contacts[i].notes);
		}
		out->ncontacts = rc == VD_OK ? cl.n : 0;
	}
	if (rc == VD_OK)
		rc = s->ops->appointment_list(s, a, id, WORK_LISTED, &al);
	if (rc == VD_OK)
		rc = decrypt_appointments(a, &rec, key, &al, false, &out->appointments, &out->nappointments);
	if (rc == VD_OK)
		rc = s->ops->consent_list(s, a, id, WORK_LISTED, &out->consents);
	if (rc == VD_OK)
		rc = s->ops->conflict_list(s, a, id, &out->conflicts);
	crypto_wipe(key, sizeof key);
	return rc;
}

int case_shared_appointments(struct vd *vd, struct arena *a, const struct case_rec *c,
			     const unsigned char case_key[CRYPTO_KEY_LEN], struct appointment_view **out, size_t *n)
{
	struct appointment_list al;
	int rc = vd->store->ops->appointment_list(vd->store, a, c->id, WORK_LISTED, &al);
	if (rc == VD_OK)
		rc = decrypt_appointments(a, c, case_key, &al, true, out, n);
	return rc;
}

/* ---- the dashboard ------------------------------------------------------------ */

int casework_dashboard(struct vd *vd, const struct actor *who, struct arena *a, struct dashboard_view *out)
{
	memset(out, 0, sizeof *out);
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	int64_t now = clock_now();
	char monday[DATE_LEN + 1], next_monday[DATE_LEN + 1], quiet[DATE_LEN + 1], today[DATE_LEN + 1];
	date_week_start(now, monday);
	date_add(monday, 7, next_monday);
	out->quiet_weeks = (int)vd->cfg.no_contact_weeks;
	date_of(now, -7 * out->quiet_weeks, quiet);
	date_of(now, 0, today);
	char from[DATE_LEN + 8], to[DATE_LEN + 8];
	snprintf(from, sizeof from, "%s 00:00", monday);
	snprintf(to, sizeof to, "%s 00:00", next_monday);
	struct dashboard_query q = { .week_from = from, .week_to = to, .quiet_before = quiet, .today = today,
				     .limit = 50 };
	struct dashboard d;
	int rc = vd->store->ops->dashboard(vd->store, a, who->user_id, &q, &d);
	if (rc)
		return rc;
	for (size_t i = 0; i < d.nphases; i++) {
		enum phase p = phase_parse(d.by_phase[i].phase);
		if (p < PH_COUNT)
			out->by_phase[p] = d.by_phase[i].n;
	}
	out->appointments = d.appointments;
	out->quiet = d.quiet;
	out->aftercare = d.aftercare;
	return VD_OK;
}
