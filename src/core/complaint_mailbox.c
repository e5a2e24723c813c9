/*
 * complaint_mailbox: a party's own view of a complaint (see
 * complaint_parties.h): the complainant and the accused with their receipt
 * code, the supporting counsellor with their account. Each sees the
 * letters to and from them, their hearings and, when heard, the minutes;
 * never another party's letters or the committee's file.
 */
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/codes.h"
#include "internal/complaints.h"
#include "internal/files.h"
#include "internal/notify.h"

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
			rc = code_finish(vd, &r, &k, found == VD_OK, p->receipt_salt, p->receipt_verifier, kek, result);
	}
	if (rc == VD_OK && *result == CODE_OK && complaint_party_key(p, kek, key) != VD_OK)
		*result = CODE_UNKNOWN;
	crypto_wipe(&r, sizeof r);
	crypto_wipe(kek, sizeof kek);
	return rc;
}

/* The mailbox of party p (its view pv) of complaint c. */
static int mailbox_of(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
		      const struct complaint_rec *c, const struct party_view *pv, struct party_mailbox *out)
{
	memset(out, 0, sizeof *out);
	out->complaint_id = c->id;
	out->party_id = pv->id;
	out->received_day = c->received_day;
	out->step = complaint_step_parse(c->step);
	out->role = pv->role;
	out->name = pv->name;
	out->account = out->when = out->asks = "";
	int rc = VD_OK;
	if (pv->role == PR_COMPLAINANT) {
		/* their own complaint as they filed it */
		struct complaint_file f;
		memset(&f, 0, sizeof f);
		rc = complaint_content_open(a, c, key, &f);
		out->account = f.account;
		out->when = f.when;
		out->asks = f.hopes;
		if (rc == VD_OK)
			rc = files_list_complaint(vd, a, c->id, key, &out->files, &out->nfiles);
	}
	if (rc == VD_OK)
		rc = complaint_letters_load(vd, a, key, c->id, pv->id, &out->letters, &out->nletters);
	int64_t heard_as = pv->id;
	if (rc == VD_OK && pv->role == PR_SUPPORTER) {
		/* the supporter goes with the complainant: their hearings, no minutes */
		struct party_view *ps;
		size_t n;
		rc = complaint_parties_load(vd, a, key, c->id, &ps, &n);
		const struct party_view *cp = rc == VD_OK ? complaint_party_find(ps, n, PR_COMPLAINANT) : NULL;
		heard_as = cp ? cp->id : -1;
	}
	if (rc == VD_OK)
		rc = complaint_hearings_load(vd, a, key, c->id, heard_as, pv->role != PR_SUPPORTER, &out->hearings,
					     &out->nhearings);
	for (size_t i = 0; rc == VD_OK && pv->role != PR_SUPPORTER && i < out->nhearings; i++)
		for (size_t j = 0; j < out->hearings[i].nheard; j++)
			out->pending_minutes |= out->hearings[i].heard[j].party_id == pv->id && out->hearings[i].minutes_day &&
						strcmp(out->hearings[i].heard[j].approval, "pending") == 0;
	return rc;
}

/* The view of party p, decrypted. */
static int party_view_of(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			 const struct complaint_party_rec *p, struct party_view *out)
{
	struct party_view *ps;
	size_t n;
	int rc = complaint_parties_load(vd, a, key, p->complaint_id, &ps, &n);
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		if (ps[i].id == p->id) {
			*out = ps[i];
			return VD_OK;
		}
	return rc ? rc : VD_ERR_STORE;
}

int complaint_mailbox_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
			   struct party_mailbox *out, enum code_result *result, int64_t *retry_after)
{
	struct complaint_party_rec p;
	struct complaint_rec c;
	struct party_view pv;
	unsigned char key[CRYPTO_KEY_LEN];
	memset(out, 0, sizeof *out);
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK) {
		rc = vd->store->ops->complaint_get(vd->store, a, p.complaint_id, &c);
		if (rc == VD_OK)
			rc = party_view_of(vd, a, key, &p, &pv);
		if (rc == VD_OK)
			rc = mailbox_of(vd, a, key, &c, &pv, out);
	}
	crypto_wipe(key, sizeof key);
	return rc;
}

int complaint_mailbox_file(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
			   const char *file_id, struct case_file *info, struct file_reader **reader,
			   enum code_result *result, int64_t *retry_after)
{
	struct complaint_party_rec p;
	unsigned char key[CRYPTO_KEY_LEN];
	*reader = NULL;
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	/* the complaint's files are the complainant's; the accused got its text */
	if (rc == VD_OK && *result == CODE_OK)
		rc = strcmp(p.role, party_role_names[PR_COMPLAINANT]) == 0
			     ? files_open_complaint(vd, a, p.complaint_id, key, file_id, info, reader)
			     : VD_ERR_NOTFOUND;
	crypto_wipe(key, sizeof key);
	return rc;
}

int complaint_mailbox_write(struct vd *vd, struct arena *a, const char *typed, const void *source,
			    size_t source_len, const char *text, enum code_result *result, int64_t *retry_after)
{
	*result = CODE_OK;
	if (!text || text_blank(text) || !text_fits(text, LETTER_MAX_CHARS, false))
		return VD_ERR_INVALID;
	struct complaint_party_rec p;
	struct party_view pv;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK)
		rc = party_view_of(vd, a, key, &p, &pv);
	struct letter_view *ls = NULL;
	size_t n = 0;
	if (rc == VD_OK && *result == CODE_OK)
		rc = complaint_letters_load(vd, a, key, p.complaint_id, p.id, &ls, &n);
	/* a reload of the confirming page resends the letter: stored once */
	bool repeat = n && !ls[n - 1].outgoing && ls[n - 1].kind == LK_RESPONSE && strcmp(ls[n - 1].text, text) == 0;
	struct store *s = vd->store;
	if (rc == VD_OK && *result == CODE_OK && !repeat && (rc = s->ops->begin(s)) == VD_OK) {
		struct letter_out l = { .outgoing = false, .kind = LK_RESPONSE, .text = text };
		rc = complaint_letter_add(vd, a, key, p.complaint_id, &pv, &l);
		if (rc == VD_OK)
			rc = audit_record(vd, 0, "complaint.response", "complaint", p.complaint_id);
		rc = app_end(vd, rc, 0);
		if (rc == VD_OK)
			notify_committee_news(vd, p.complaint_id);
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
	struct party_view pv;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = party_open(vd, a, typed, source, source_len, &p, key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK)
		rc = party_view_of(vd, a, key, &p, &pv);
	if (rc == VD_OK && *result == CODE_OK)
		rc = complaint_heard_react(vd, a, key, p.complaint_id, &pv, hearing_id, approve, remarks, errs);
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
	struct party_view pv;
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
		rc = party_view_of(vd, a, key, p, &pv);
	if (rc == VD_OK)
		rc = mailbox_of(vd, a, key, &c, &pv, out);
	crypto_wipe(key, sizeof key);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "complaint.support_open", "complaint", id), 0);
	return rc;
}
