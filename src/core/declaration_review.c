/* declaration_review: the candidate committee's side of a declaration
 * (declarations.h): the round's list, reading one, the interview and the
 * decision. Everything here is for the round's members only. */
#include "internal/declarations.h"

#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/sealed.h"

int declaration_list_round(struct vd *vd, const struct principal *who, struct arena *a, int64_t round_id,
			   struct declaration_list *out)
{
	struct store *s = vd->store;
	struct round_rec r;
	struct declaration_recs recs;
	out->n = 0;
	int rc = round_member_check(vd, who, a, round_id, &r);
	if (rc == VD_OK)
		rc = s->ops->declaration_list_round(s, a, round_id, DECLARATIONS_LIST_MAX, &recs);
	if (rc)
		return rc;
	if (!(out->items = arena_array(a, recs.n ? recs.n : 1, sizeof *out->items)))
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < recs.n; i++)
		declaration_from_rec(&recs.items[i], &r, &out->items[out->n++]);
	return VD_OK;
}

/* A declaration of a round of who's, with the round's secret key (the
 * caller wipes sk). */
static int member_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		       struct declaration_rec *d, struct round_rec *r, unsigned char sk[CRYPTO_SK_LEN])
{
	int rc = vd->store->ops->declaration_get(vd->store, a, id, d);
	if (rc == VD_OK)
		rc = round_secret(vd, who, a, d->round_id, r, sk);
	return rc;
}

/* One of the declaration's keys (its content's or the notes'), sealed to
 * the round; VD_ERR_NOTFOUND when it has none yet. */
static int unseal(const struct round_rec *r, const unsigned char sk[CRYPTO_SK_LEN], const unsigned char *sealed,
		  size_t len, unsigned char key[CRYPTO_KEY_LEN])
{
	if (!sealed)
		return VD_ERR_NOTFOUND;
	if (len != STORE_SEALED_KEY_LEN || crypto_unseal(r->public_key, sk, sealed, len, key) != VD_OK)
		return VD_ERR_STORE;
	return VD_OK;
}

/* The committee's notes and reasons (both "" when there are none). */
static int notes_open(struct arena *a, const struct declaration_rec *d, const struct round_rec *r,
		      const unsigned char sk[CRYPTO_SK_LEN], const char **notes, const char **reasons)
{
	unsigned char key[CRYPTO_KEY_LEN];
	*notes = *reasons = "";
	int rc = unseal(r, sk, d->notes_key, d->notes_key_len, key);
	if (rc == VD_ERR_NOTFOUND || (rc == VD_OK && !d->notes))
		return VD_OK;
	char ad[64];
	declaration_notes_ad(d->id, ad);
	const char **fields[] = { notes, reasons };
	if (rc == VD_OK)
		rc = sealed_texts_open(a, key, ad, d->notes, d->notes_len, fields, 2, 2);
	crypto_wipe(key, sizeof key);
	return rc;
}

/* Seals notes and reasons under the notes key (a new one, sealed to the
 * round, the first time) into d. */
static int notes_seal(struct arena *a, struct declaration_rec *d, const struct round_rec *r,
		      const unsigned char sk[CRYPTO_SK_LEN], const char *notes, const char *reasons)
{
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = unseal(r, sk, d->notes_key, d->notes_key_len, key);
	if (rc == VD_ERR_NOTFOUND) {
		unsigned char *sealed = arena_alloc(a, STORE_SEALED_KEY_LEN);
		if (!sealed)
			return VD_ERR_NOMEM;
		crypto_key_new(key);
		crypto_seal(r->public_key, key, sizeof key, sealed);
		d->notes_key = sealed;
		d->notes_key_len = STORE_SEALED_KEY_LEN;
		rc = VD_OK;
	}
	char ad[64];
	declaration_notes_ad(d->id, ad);
	const char *texts[] = { notes, reasons };
	unsigned char *blob = NULL;
	if (rc == VD_OK)
		rc = sealed_texts_seal(a, key, ad, texts, 2, &blob, &d->notes_len);
	d->notes = blob;
	crypto_wipe(key, sizeof key);
	return rc;
}

int declaration_review(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		       struct declaration *out)
{
	struct declaration_rec d;
	struct round_rec r;
	unsigned char sk[CRYPTO_SK_LEN], key[CRYPTO_KEY_LEN];
	struct declaration_answer *answers = NULL;
	size_t n = 0;
	const char *notes = "", *reasons = "";
	int rc = member_open(vd, who, a, id, &d, &r, sk);
	/* the answers once submitted: only then is their key sealed to the
	 * round (a draft, and one withdrawn before submitting, is not) */
	if (rc == VD_OK && d.submitted_at) {
		rc = unseal(&r, sk, d.round_key, d.round_key_len, key);
		if (rc == VD_OK)
			rc = declaration_answers_open(a, key, &d, &answers, &n);
		crypto_wipe(key, sizeof key);
	}
	if (rc == VD_OK)
		rc = notes_open(a, &d, &r, sk, &notes, &reasons);
	crypto_wipe(sk, sizeof sk);
	if (rc)
		return rc;
	declaration_from_rec(&d, &r, out);
	out->answers = answers;
	out->nanswers = n;
	out->notes = notes;
	out->reasons = reasons;
	/* reading a declaration is recorded, as opening a case is */
	struct store *s = vd->store;
	if ((rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "declaration.open", "declaration", id), 0);
	return rc;
}

int declaration_interview(struct vd *vd, const struct principal *who, int64_t id, int64_t day, const char *notes,
			  enum declaration_field *bad)
{
	*bad = DCF_NONE;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct declaration_rec d;
	struct round_rec r;
	unsigned char sk[CRYPTO_SK_LEN];
	const char *old_notes, *reasons;
	int rc = member_open(vd, who, &a, id, &d, &r, sk);
	if (rc == VD_OK && strcmp(d.state, "submitted") != 0)
		rc = (*bad = DCF_STATE, VD_ERR_INVALID);
	if (rc == VD_OK && (day <= 0 || day > date_of(clock_now())))
		rc = (*bad = DCF_DAY, VD_ERR_INVALID);
	if (rc == VD_OK && !text_fits(notes, DECLARATION_NOTES_MAX_CHARS, false))
		rc = (*bad = DCF_NOTES, VD_ERR_INVALID);
	if (rc == VD_OK)
		rc = notes_open(&a, &d, &r, sk, &old_notes, &reasons);
	if (rc == VD_OK)
		rc = notes_seal(&a, &d, &r, sk, notes ? notes : "", reasons);
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		d.interview_on = day;
		rc = s->ops->declaration_update(s, &d);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "declaration.interview", "declaration", id);
		rc = app_end(vd, rc, 0);
	}
	arena_release_wipe(&a);
	return rc;
}

static bool outcome_valid(const char *o)
{
	for (size_t i = 0; o && declaration_outcomes[i]; i++)
		if (strcmp(o, declaration_outcomes[i]) == 0)
			return true;
	return false;
}

/* The moment the declaration's term ends (config.h says why each is what
 * it is). */
static int64_t term_end(const struct config *c, const char *outcome, bool keep, int64_t now)
{
	int64_t days = strcmp(outcome, "accepted") == 0 ? c->retention_candidate_days
		       : keep				    ? c->retention_declined_consent_days
							    : c->retention_declined_days;
	return now + days * 86400;
}

int declaration_decide(struct vd *vd, const struct principal *who, int64_t id, const char *outcome,
		       const char *reasons, bool keep_consent, enum declaration_field *bad)
{
	*bad = DCF_NONE;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct declaration_rec d;
	struct round_rec r;
	unsigned char sk[CRYPTO_SK_LEN];
	const char *notes, *old_reasons;
	int rc = member_open(vd, who, &a, id, &d, &r, sk);
	bool submitted = rc == VD_OK && strcmp(d.state, "submitted") == 0;
	if (rc == VD_OK && !outcome_valid(outcome))
		rc = (*bad = DCF_OUTCOME, VD_ERR_INVALID);
	/* chosen or not only on a submitted declaration; withdrawn at any time
	 * before the decision */
	if (rc == VD_OK && (strcmp(d.state, "decided") == 0 || (!submitted && strcmp(outcome, "withdrawn") != 0)))
		rc = (*bad = DCF_STATE, VD_ERR_INVALID);
	if (rc == VD_OK && !text_fits(reasons, DECLARATION_NOTES_MAX_CHARS, false))
		rc = (*bad = DCF_REASONS, VD_ERR_INVALID);
	if (rc == VD_OK && keep_consent && strcmp(outcome, "accepted") == 0)
		rc = (*bad = DCF_CONSENT, VD_ERR_INVALID);
	if (rc == VD_OK)
		rc = notes_open(&a, &d, &r, sk, &notes, &old_reasons);
	if (rc == VD_OK)
		rc = notes_seal(&a, &d, &r, sk, notes, reasons ? reasons : "");
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		int64_t now = clock_now();
		d.state = "decided";
		d.outcome = outcome;
		d.keep_consent = keep_consent;
		d.decided_at = now;
		d.decided_by = who->user_id;
		d.purge_after = term_end(&vd->cfg, outcome, keep_consent, now);
		rc = s->ops->declaration_update(s, &d);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "declaration.decide", "declaration", id);
		rc = app_end(vd, rc, 0);
	}
	arena_release_wipe(&a);
	return rc;
}
