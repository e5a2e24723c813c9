/* forward: see forward.h. */
#include "forward.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/text.h"
#include "cases.h"
#include "units.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/cases.h"
#include "internal/casework.h"
#include "internal/complaints.h"

int case_forward(struct vd *vd, const struct principal *who, int64_t id, const struct forward_input *in,
		 field_errors *errs, int64_t *complaint_id)
{
	*errs = 0;
	size_t slen = in->summary ? strlen(in->summary) : 0;
	if (slen && (!text_valid_utf8(in->summary, slen) || text_utf8_len(in->summary, slen) > FORWARD_SUMMARY_MAX_CHARS))
		*errs |= 1u << FF_SUMMARY;
	unsigned char case_key[CRYPTO_KEY_LEN], key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	struct case_rec rec;
	struct report_input text;
	struct consent_recs cl;
	struct case_key_rec *keys = NULL;
	size_t nkeys = 0;
	struct buf content;
	buf_init(&content, 1024 * 1024);
	content.secret = true;
	memset(&text, 0, sizeof text);
	crypto_key_new(key);
	int rc = case_reader_key(vd, who, id, case_key);
	if (rc == VD_OK)
		rc = s->ops->case_get(s, &a, id, &rec);
	if (rc == VD_OK)
		rc = case_decrypt_report(&a, &rec, case_key, &text);
	if (rc == VD_OK)
		rc = s->ops->consent_list(s, &a, id, WORK_LISTED, &cl);
	if (rc == VD_OK) {
		/* checked here to say so early, and again in the transaction below */
		if (!consent_in_force(&cl, "forward_committee"))
			*errs |= 1u << FF_CONSENT;
		if (!rec.named)
			*errs |= 1u << FF_NAMED;
		if (!*errs) {
			rc = complaint_committee_keys(vd, &a, rec.unit_id, key, &keys, &nkeys);
			if (rc == VD_OK && !nkeys)
				*errs |= 1u << FF_COMMITTEE;
		}
		if (rc == VD_OK && *errs)
			rc = *errs & (1u << FF_CONSENT | 1u << FF_NAMED) ? VD_ERR_DENIED : VD_ERR_INVALID;
	}
	/* Only what crosses: who they are, the parts they agreed to, the summary. */
	const char *parts[] = { text.name, text.email, text.phone, text.contact_pref,
				in->share_account ? text.account : "", in->share_when ? text.when : "",
				in->share_hopes ? text.hopes : "", in->summary ? in->summary : "" };
	for (size_t i = 0; rc == VD_OK && i < sizeof parts / sizeof parts[0]; i++)
		rc = buf_put_lp(&content, parts[i]);
	unsigned char *sealed = rc == VD_OK ? malloc(content.len + CRYPTO_AEAD_OVERHEAD) : NULL;
	if (rc == VD_OK && !sealed)
		rc = VD_ERR_NOMEM;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		/* Consent withdrawn, or the case handed over, since the checks above:
		 * what is in force when the complaint is written is what counts. The
		 * claim on the work record holds off every other change to the
		 * case's work (consent, a hand-over, a conflict) until this one
		 * commits. */
		struct case_key_rec still;
		struct case_work_rec w;
		rc = s->ops->case_work_claim(s, &a, id, &w);
		if (rc == VD_OK)
			rc = s->ops->case_key_get(s, id, who->user_id, &still);
		if (rc == VD_OK)
			rc = s->ops->consent_list(s, &a, id, WORK_LISTED, &cl);
		if (rc == VD_OK && !consent_in_force(&cl, "forward_committee")) {
			*errs |= 1u << FF_CONSENT;
			rc = VD_ERR_DENIED;
		}
		if (rc) {
			app_end(vd, rc, 0); /* rolls back */
			goto out;
		}
		char ad[64];
		struct complaint_rec for_ad = { .case_id = id };
		complaint_content_ad(&for_ad, ad);
		crypto_encrypt(key, ad, content.data, content.len, sealed);
		struct complaint_rec c = { .case_id = id, .unit_id = rec.unit_id, .by = who->user_id,
					   .created_at = clock_now(), .channel = "forwarded", .content = sealed,
					   .content_len = content.len + CRYPTO_AEAD_OVERHEAD };
		rc = complaint_file_new(vd, &a, &c, keys, nkeys, complaint_id);
		/* The case now has a referral to the committee (*stat*). */
		if (rc == VD_OK) {
			w.referrals |= 1 << REF_COMMITTEE;
			rc = s->ops->case_work_put(s, &w);
		}
		/* The reporter reads in their mailbox that it went to the committee
		 * (a message of its own kind, without words). */
		unsigned char body[CRYPTO_AEAD_OVERHEAD];
		char mad[80];
		snprintf(mad, sizeof mad, "case %s forwarded message", rec.locator);
		crypto_encrypt(case_key, mad, "", 0, body);
		struct message_rec m = { .case_id = id, .kind = "forwarded", .author_id = who->user_id,
					 .created_at = clock_now(), .body = body, .body_len = sizeof body };
		int64_t mid;
		if (rc == VD_OK)
			rc = s->ops->message_insert(s, &m, &mid);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "case.forward", "case", id);
		rc = app_end(vd, rc, 0);
	}
out:
	free(sealed);
	buf_release_wipe(&content);
	crypto_wipe(case_key, sizeof case_key);
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a); /* it held the decrypted report */
	return rc;
}
