/*
 * complaint_mailbox: a party's own view of a complaint (see
 * complaint_parties.h): the complainant and the accused with their receipt
 * code, the supporting counsellor with their account. Each opens their own
 * key only, and so sees the letters to and from them (their complaint as
 * filed, their invitations, the minutes of their hearings, the decision)
 * and what is kept in the clear of the procedure; never another party's
 * letters, the complaint key or the committee's file.
 */
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/codes.h"
#include "internal/complaints.h"
#include "internal/notify.h"
#include "cases.h"

#define SUPPORTED_LISTED 200

/* The party whose code was typed, and the complaint key. */
static int party_open(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		      struct complaint_party_rec *p, unsigned char key[CRYPTO_KEY_LEN], enum code_result *result,
		      int64_t *retry_after)
{
	struct receipt r;
	struct throttle_key k;
	unsigned char kek[CRYPTO_KEY_LEN];
	int rc = VD_OK;
	memset(p, 0, sizeof *p);
	if (code_begin(vd, typed, source, source_len, &r, &k, result, retry_after)) {
		int found = vd->store->ops->complaint_party_find_locator(vd->store, a, r.locator, p);
		if (found != VD_OK && found != VD_ERR_NOTFOUND)
			rc = found;
		else
			rc = code_finish(vd, &r, &k, found == VD_OK, p->receipt_salt, p->receipt_verifier,
					 p->receipt_ops, p->receipt_mem_kib, kek, result);
	}
	if (rc == VD_OK && *result == CODE_OK && complaint_party_key_by_code(p, kek, key) != VD_OK)
		*result = CODE_UNKNOWN;
	crypto_wipe(&r, sizeof r);
	crypto_wipe(kek, sizeof kek);
	return rc;
}

/* The mailbox of party p of complaint c, with the party's own key. */
static int mailbox_of(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
		      const struct complaint_rec *c, const struct complaint_party_rec *p, struct party_mailbox *out)
{
	memset(out, 0, sizeof *out);
	out->complaint_id = c->id;
	out->party_id = p->id;
	out->received_day = c->received_day;
	out->step = complaint_step_parse(c->step);
	out->role = PR_COUNT;
	for (int r = 0; r < PR_COUNT; r++)
		if (strcmp(p->role, party_role_names[r]) == 0)
			out->role = (enum party_role)r;
	if (out->role == PR_COUNT)
		return VD_ERR_STORE;
	out->account = out->when = out->asks = out->files_sent = "";
	int rc = complaint_letters_of_party(vd, a, key, c->id, p->id, &out->letters, &out->nletters);
	/* the complainant's own complaint: as their confirmation of receipt has it */
	for (size_t i = 0; rc == VD_OK && i < out->nletters; i++)
		if (out->letters[i].kind == LK_RECEIPT) {
			out->account = out->letters[i].copy.account;
			out->when = out->letters[i].copy.when;
			out->asks = out->letters[i].copy.asks;
			out->files_sent = out->letters[i].copy.files;
		}
	if (rc == VD_OK)
		rc = complaint_party_hearings(vd, a, c->id, p->id, out->letters, out->nletters, &out->hearings,
					      &out->nhearings);
	for (size_t i = 0; rc == VD_OK && i < out->nhearings; i++)
		for (size_t j = 0; j < out->hearings[i].nheard; j++)
			out->pending_minutes |= out->hearings[i].minutes_day &&
						strcmp(out->hearings[i].heard[j].approval, "pending") == 0;
	return rc;
}

/* The view of party p as complaint_letter_add needs it: who, to notify. */
static struct party_view as_view(const struct complaint_party_rec *p)
{
	struct party_view v = { .id = p->id, .role = PR_COUNT, .user_id = p->user_id, .email = "" };
	for (int r = 0; r < PR_COUNT; r++)
		if (strcmp(p->role, party_role_names[r]) == 0)
			v.role = (enum party_role)r;
	return v;
}

int complaint_mailbox_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
			   struct party_mailbox *out, enum code_result *result, int64_t *retry_after)
{
	struct complaint_party_rec p;
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	memset(out, 0, sizeof *out);
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK) {
		rc = vd->store->ops->complaint_get(vd->store, a, p.complaint_id, &c);
		if (rc == VD_OK)
			rc = mailbox_of(vd, a, key, &c, &p, out);
	}
	crypto_wipe(key, sizeof key);
	return rc;
}

int complaint_mailbox_write(struct vd *vd, struct arena *a, const char *typed, const void *source,
			    size_t source_len, const char *text, enum code_result *result, int64_t *retry_after)
{
	*result = CODE_OK;
	if (!text || text_blank(text) || !text_fits(text, LETTER_MAX_CHARS, false))
		return VD_ERR_INVALID;
	/* a flood of letters would bury the others, and mail the committee each time */
	*retry_after = report_rate_wait(vd, source, source_len);
	if (*retry_after > 0)
		return VD_ERR_THROTTLED;
	struct complaint_party_rec p;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	struct letter_view *ls = NULL;
	size_t n = 0;
	if (rc == VD_OK && *result == CODE_OK)
		rc = complaint_letters_of_party(vd, a, key, p.complaint_id, p.id, &ls, &n);
	/* a reload of the confirming page resends the letter: stored once */
	bool repeat = n && !ls[n - 1].outgoing && ls[n - 1].kind == LK_RESPONSE && strcmp(ls[n - 1].text, text) == 0;
	struct store *s = vd->store;
	if (rc == VD_OK && *result == CODE_OK && !repeat && (rc = s->ops->begin(s)) == VD_OK) {
		struct party_view pv = as_view(&p);
		struct letter_out l = { .outgoing = false, .kind = LK_RESPONSE, .text = text };
		rc = complaint_letter_add(vd, a, key, p.complaint_id, &pv, &l);
		if (rc == VD_OK)
			rc = audit_record(vd, 0, "complaint.response", "complaint", p.complaint_id);
		rc = app_end(vd, rc, 0);
		if (rc == VD_OK) {
			report_rate_count(vd, source, source_len);
			notify_committee_news(vd, p.complaint_id);
		}
	}
	crypto_wipe(key, sizeof key);
	return rc;
}

int complaint_mailbox_react(struct vd *vd, struct arena *a, const char *typed, const void *source,
			    size_t source_len, int64_t hearing_id, bool approve, const char *remarks,
			    field_errors *errs, enum code_result *result, int64_t *retry_after)
{
	*errs = 0;
	struct complaint_party_rec p;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK) {
		struct party_view pv = as_view(&p);
		rc = complaint_heard_react(vd, a, key, p.complaint_id, &pv, hearing_id, approve, remarks, errs);
	}
	crypto_wipe(key, sizeof key);
	return rc;
}

/* ---- the supporting counsellor ---------------------------------------------- */

int complaint_supported(struct vd *vd, const struct principal *who, struct arena *a, struct id_list *out)
{
	memset(out, 0, sizeof *out);
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	struct complaint_party_recs recs;
	int rc = vd->store->ops->complaint_party_supported(vd->store, a, who->user_id, SUPPORTED_LISTED, &recs);
	if (rc)
		return rc;
	out->ids = arena_array(a, recs.n ? recs.n : 1, sizeof *out->ids);
	if (!out->ids)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < recs.n; i++)
		out->ids[out->n++] = recs.items[i].complaint_id;
	return VD_OK;
}

int complaint_support_view(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
			   struct party_mailbox *out)
{
	memset(out, 0, sizeof *out);
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_NOTFOUND;
	struct store *s = vd->store;
	struct complaint_party_recs recs;
	int rc = s->ops->complaint_party_supported(s, a, who->user_id, SUPPORTED_LISTED, &recs);
	const struct complaint_party_rec *p = NULL;
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++)
		if (recs.items[i].complaint_id == id)
			p = &recs.items[i];
	if (rc == VD_OK && !p)
		rc = VD_ERR_NOTFOUND;
	unsigned char sk[CRYPTO_SK_LEN], key[CRYPTO_KEY_LEN];
	struct user_key_rec uk;
	struct complaint_rec c;
	if (rc == VD_OK)
		rc = principal_secret_key(who, sk);
	if (rc == VD_OK)
		rc = s->ops->user_key_get(s, who->user_id, &uk);
	if (rc == VD_OK)
		rc = crypto_unseal(uk.public_key, sk, p->sealed_key, sizeof p->sealed_key, key);
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK)
		rc = s->ops->complaint_get(s, a, id, &c);
	if (rc == VD_OK)
		rc = mailbox_of(vd, a, key, &c, p, out);
	crypto_wipe(key, sizeof key);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "complaint.support_open", "complaint", id), 0);
	return rc;
}
