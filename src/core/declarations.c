/* declarations: the candidate's side (see declarations.h): their list,
 * their declaration opened with their own key, saving and submitting. The
 * committee's side is in declaration_review.c, the invitations in
 * candidate_links.c. */
#include "internal/declarations.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "documents.h"
#include "internal/audit.h"
#include "internal/sealed.h"
#include "internal/userkeys.h"

const char *const declaration_outcomes[] = { "accepted", "declined", "withdrawn", NULL };

void declaration_content_ad(int64_t id, char ad[64])
{
	snprintf(ad, 64, "declaration %lld", (long long)id);
}

void declaration_notes_ad(int64_t id, char ad[64])
{
	snprintf(ad, 64, "declaration %lld committee notes", (long long)id);
}

void declaration_from_rec(const struct declaration_rec *d, const struct round_rec *r, struct declaration *out)
{
	*out = (struct declaration){
		.id = d->id, .round_id = d->round_id, .state = d->state,
		/* the round shows the name its member typed, not the account's: a
		 * candidate invited by another round too is not named by it */
		.candidate_name = d->invited_name[0] ? d->invited_name : d->candidate_name,
		.candidate_email = d->candidate_email, .invited_at = d->invited_at, .saved_at = d->saved_at,
		.submitted_at = d->submitted_at, .code_version_id = d->code_version_id, .signed_at = d->signed_at,
		.interview_on = d->interview_on, .notes = "", .reasons = "", .outcome = d->outcome,
		.keep_consent = d->keep_consent, .decided_at = d->decided_at, .decided_by = d->decided_by,
		.purge_after = d->purge_after,
	};
	if (r) {
		round_from_rec(r, &out->round);
		out->late = date_of(clock_now()) > r->closes_on;
	}
}

int declaration_answers_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const struct declaration_rec *d,
			     struct declaration_answer **out, size_t *n)
{
	*n = 0;
	*out = NULL;
	if (!d->content)
		return VD_OK;
	char ad[64];
	declaration_content_ad(d->id, ad);
	/* the count first, then per answer: the question's id, its text, the answer */
	const char *count = NULL;
	const char **first[] = { &count };
	int rc = sealed_texts_open(a, key, ad, d->content, d->content_len, first, 1, 1);
	int64_t k = 0;
	if (rc == VD_OK && text_parse_i64(count, 0, ROUND_QUESTIONS_MAX, &k))
		rc = VD_ERR_STORE;
	if (rc)
		return rc;
	const char *texts[1 + 3 * ROUND_QUESTIONS_MAX];
	const char **fields[1 + 3 * ROUND_QUESTIONS_MAX];
	for (size_t i = 0; i < (size_t)(1 + 3 * k); i++)
		fields[i] = &texts[i];
	rc = sealed_texts_open(a, key, ad, d->content, d->content_len, fields, (size_t)(1 + 3 * k), (size_t)(1 + 3 * k));
	if (rc == VD_OK && !(*out = arena_array(a, k ? (size_t)k : 1, sizeof **out)))
		rc = VD_ERR_NOMEM;
	for (int64_t i = 0; rc == VD_OK && i < k; i++) {
		struct declaration_answer *x = &(*out)[i];
		if (text_parse_i64(texts[1 + 3 * i], 1, INT64_MAX, &x->question_id))
			return VD_ERR_STORE;
		x->question = texts[2 + 3 * i];
		x->answer = texts[3 + 3 * i];
		*n = (size_t)i + 1;
	}
	return rc;
}

int declaration_answers_seal(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], int64_t id,
			     const struct declaration_answer *answers, size_t n, unsigned char **blob, size_t *len)
{
	const char *texts[1 + 3 * ROUND_QUESTIONS_MAX];
	if (n > ROUND_QUESTIONS_MAX)
		return VD_ERR_MISUSE;
	texts[0] = arena_printf(a, "%zu", n);
	for (size_t i = 0; i < n; i++) {
		texts[1 + 3 * i] = arena_printf(a, "%lld", (long long)answers[i].question_id);
		texts[2 + 3 * i] = answers[i].question;
		texts[3 + 3 * i] = answers[i].answer;
		if (!texts[1 + 3 * i])
			return VD_ERR_NOMEM;
	}
	if (!texts[0])
		return VD_ERR_NOMEM;
	char ad[64];
	declaration_content_ad(id, ad);
	return sealed_texts_seal(a, key, ad, texts, 1 + 3 * n, blob, len);
}

/* ---- the candidate ------------------------------------------------------------ */

/* The candidate's own declaration and its round; VD_ERR_NOTFOUND for one
 * that is not theirs. */
static int own(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct declaration_rec *d,
	       struct round_rec *r)
{
	struct store *s = vd->store;
	if (who->role != ROLE_CANDIDATE)
		return VD_ERR_NOTFOUND;
	int rc = s->ops->declaration_get(s, a, id, d);
	if (rc == VD_OK && d->candidate_id != who->user_id)
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		rc = s->ops->round_get(s, a, d->round_id, r);
	return rc;
}

/* The declaration's key, opened with the candidate's own. */
static int own_key(struct vd *vd, const struct principal *who, const struct declaration_rec *d,
		   unsigned char key[CRYPTO_KEY_LEN])
{
	if (!d->candidate_key || d->candidate_key_len != STORE_SEALED_KEY_LEN)
		return VD_ERR_NOKEY;
	return userkeys_unseal(vd, who, d->candidate_key, d->candidate_key_len, key) == VD_OK ? VD_OK : VD_ERR_NOKEY;
}

int declaration_mine(struct vd *vd, const struct principal *who, struct arena *a, struct declaration_list *out)
{
	struct store *s = vd->store;
	out->n = 0;
	if (who->role != ROLE_CANDIDATE)
		return VD_ERR_DENIED;
	struct declaration_recs recs;
	int rc = s->ops->declaration_list_candidate(s, a, who->user_id, DECLARATIONS_LIST_MAX, &recs);
	if (rc)
		return rc;
	if (!(out->items = arena_array(a, recs.n ? recs.n : 1, sizeof *out->items)))
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < recs.n; i++) {
		struct round_rec r;
		if ((rc = s->ops->round_get(s, a, recs.items[i].round_id, &r)))
			return rc;
		declaration_from_rec(&recs.items[i], &r, &out->items[out->n++]);
	}
	return VD_OK;
}

/* What the page shows: while the candidate can still change it, the
 * round's questions as they are now, with what they answered; after
 * submitting, the questions as they were asked. */
static int answers_view(struct vd *vd, struct arena *a, const struct declaration_rec *d,
			const struct declaration_answer *saved, size_t nsaved, struct declaration *out)
{
	bool open = strcmp(d->state, "invited") == 0 || strcmp(d->state, "draft") == 0;
	if (!open) {
		out->answers = (struct declaration_answer *)saved;
		out->nanswers = nsaved;
		return VD_OK;
	}
	struct round_question_recs qs;
	int rc = vd->store->ops->round_questions(vd->store, a, d->round_id, &qs);
	if (rc)
		return rc;
	if (!(out->answers = arena_array(a, qs.n ? qs.n : 1, sizeof *out->answers)))
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < qs.n; i++) {
		const char *answer = "";
		for (size_t j = 0; j < nsaved; j++)
			if (saved[j].question_id == qs.items[i].id)
				answer = saved[j].answer;
		out->answers[out->nanswers++] = (struct declaration_answer){ qs.items[i].id, qs.items[i].text, answer };
	}
	return VD_OK;
}

int declaration_own(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		    struct declaration *out)
{
	struct declaration_rec d;
	struct round_rec r;
	unsigned char key[CRYPTO_KEY_LEN];
	struct declaration_answer *saved = NULL;
	size_t nsaved = 0;
	int rc = own(vd, who, a, id, &d, &r);
	bool lost = false;
	if (rc == VD_OK && d.content) {
		rc = own_key(vd, who, &d, key);
		if (rc == VD_OK)
			rc = declaration_answers_open(a, key, &d, &saved, &nsaved);
		crypto_wipe(key, sizeof key);
		/* submitted before a new password: sealed to the old pair. The
		 * committee has it; the candidate sees that it was submitted. */
		if (rc == VD_ERR_NOKEY && d.submitted_at && who->has_key) {
			lost = true;
			rc = VD_OK;
		}
	}
	if (rc)
		return rc;
	declaration_from_rec(&d, &r, out);
	out->answers_lost = lost;
	/* the committee's part is not the candidate's */
	out->interview_on = 0;
	out->decided_by = 0;
	return answers_view(vd, a, &d, saved, nsaved, out);
}

/* The answers after this save: the round's questions, each with the answer
 * given now, or else the one saved before. */
static int merge(struct arena *a, const struct round_question_recs *qs, const struct declaration_answer *saved,
		 size_t nsaved, const int64_t *ids, const char *const *answers, size_t n, struct declaration_answer **out,
		 enum declaration_field *bad, int64_t *bad_question)
{
	for (size_t i = 0; i < n; i++) {
		bool known = false;
		for (size_t q = 0; q < qs->n && !known; q++)
			known = qs->items[q].id == ids[i];
		if (!known || !text_fits(answers[i], DECLARATION_ANSWER_MAX_CHARS, false)) {
			*bad = DCF_ANSWER;
			*bad_question = ids[i];
			return VD_ERR_INVALID;
		}
	}
	if (!(*out = arena_array(a, qs->n ? qs->n : 1, sizeof **out)))
		return VD_ERR_NOMEM;
	for (size_t q = 0; q < qs->n; q++) {
		const char *answer = "";
		for (size_t j = 0; j < nsaved; j++)
			if (saved[j].question_id == qs->items[q].id)
				answer = saved[j].answer;
		for (size_t i = 0; i < n; i++)
			if (ids[i] == qs->items[q].id)
				answer = answers[i];
		(*out)[q] = (struct declaration_answer){ qs->items[q].id, qs->items[q].text, answer };
	}
	return VD_OK;
}

/* A submission's checks: every question answered, and the code of conduct
 * signed in the version in force for the round's unit. */
static int submission_check(struct vd *vd, struct arena *a, const struct round_rec *r,
			    const struct declaration_answer *merged, size_t nq, int64_t sign,
			    enum declaration_field *bad, int64_t *bad_question)
{
	for (size_t q = 0; q < nq; q++) {
		if (text_blank(merged[q].answer)) {
			*bad = DCF_ANSWER;
			*bad_question = merged[q].question_id;
			return VD_ERR_INVALID;
		}
	}
	struct document code;
	int rc = document_current(vd, a, DOC_CODE_OF_CONDUCT, r->unit_id, "nl", &code);
	if (rc == VD_ERR_NOTFOUND)
		return *bad = DCF_VERSION, VD_ERR_INVALID; /* nothing to sign: the administrator must adopt one */
	if (rc)
		return rc;
	if (sign == 0)
		return *bad = DCF_SIGN, VD_ERR_INVALID;
	if (sign != code.id)
		return *bad = DCF_VERSION, VD_ERR_INVALID;
	return VD_OK;
}

int declaration_save(struct vd *vd, const struct principal *who, int64_t id, const int64_t *ids,
		     const char *const *answers, size_t n, bool submit, int64_t sign, enum declaration_field *bad,
		     int64_t *bad_question)
{
	struct store *s = vd->store;
	*bad = DCF_NONE;
	*bad_question = 0;
	struct arena a;
	arena_init(&a, 0);
	struct declaration_rec d;
	struct round_rec r;
	struct round_question_recs qs;
	struct declaration_answer *saved = NULL, *merged = NULL;
	size_t nsaved = 0;
	unsigned char key[CRYPTO_KEY_LEN];
	unsigned char round_key[STORE_SEALED_KEY_LEN], candidate_key[STORE_SEALED_KEY_LEN];
	int rc = own(vd, who, &a, id, &d, &r);
	if (rc == VD_OK && strcmp(d.state, "invited") != 0 && strcmp(d.state, "draft") != 0)
		rc = (*bad = DCF_STATE, VD_ERR_INVALID); /* submitted: it stays as it was signed */
	if (rc == VD_OK && date_of(clock_now()) > r.closes_on)
		rc = (*bad = DCF_LATE, VD_ERR_INVALID);
	if (rc == VD_OK && !round_key_valid(vd, &r))
		rc = VD_ERR_STORE;
	if (rc == VD_OK)
		rc = s->ops->round_questions(s, &a, d.round_id, &qs);
	bool fresh = rc == VD_OK && !d.content;
	if (rc == VD_OK && fresh) {
		struct user_key_rec uk;
		crypto_key_new(key);
		rc = s->ops->user_key_get(s, who->user_id, &uk);
		if (rc == VD_OK) {
			crypto_seal(uk.public_key, key, sizeof key, candidate_key);
			d.candidate_key = candidate_key;
			d.candidate_key_len = STORE_SEALED_KEY_LEN;
		}
	} else if (rc == VD_OK) {
		rc = own_key(vd, who, &d, key);
		if (rc == VD_OK)
			rc = declaration_answers_open(&a, key, &d, &saved, &nsaved);
	}
	if (rc == VD_OK)
		rc = merge(&a, &qs, saved, nsaved, ids, answers, n, &merged, bad, bad_question);
	if (rc == VD_OK && submit)
		rc = submission_check(vd, &a, &r, merged, qs.n, sign, bad, bad_question);
	unsigned char *blob = NULL;
	size_t len = 0;
	if (rc == VD_OK)
		rc = declaration_answers_seal(&a, key, d.id, merged, qs.n, &blob, &len);
	/* Sealed to the round only now: until then a draft is the candidate's
	 * alone, also against a member with a copy of the database. */
	if (rc == VD_OK && submit) {
		crypto_seal(r.public_key, key, sizeof key, round_key);
		d.round_key = round_key;
		d.round_key_len = STORE_SEALED_KEY_LEN;
	}
	crypto_wipe(key, sizeof key);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		int64_t now = clock_now();
		d.content = blob;
		d.content_len = len;
		d.saved_at = now;
		d.state = submit ? "submitted" : "draft";
		if (submit) {
			d.submitted_at = d.signed_at = now;
			d.code_version_id = sign;
		}
		rc = s->ops->declaration_update(s, &d);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, submit ? "declaration.submit" : "declaration.save", "declaration",
					  d.id);
		rc = app_end(vd, rc, 0);
	}
	arena_release_wipe(&a);
	return rc;
}
