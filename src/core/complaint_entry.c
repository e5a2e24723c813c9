/*
 * complaint_entry: a complaint that reached the committee by e-mail or
 * letter, entered by its secretary (see complaints.h). What the
 * complainant wrote is sealed under a new key of the complaint's own, to
 * the committee members of the unit and the units above, exactly as a
 * forwarded complaint is; its terms count from the day it came in.
 */
#include <stdio.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/complaints.h"
#include "internal/files.h"
#include "internal/sealed.h"

const char *const complaint_channels[] = { "forwarded", "email", "letter", "web", NULL };

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The checks that need no record; *received and *incident the days. */
static field_errors check_entry(const struct complaint_entry *in, bool public_form, int64_t today,
				int64_t *received, int64_t *incident)
{
	field_errors e = 0;
	const char *ch = or_empty(in->channel);
	if (public_form) {
		*received = today; /* through the form: it came in now */
	} else {
		if (strcmp(ch, "email") != 0 && strcmp(ch, "letter") != 0)
			e |= 1u << EF_CHANNEL;
		if (!date_parse(or_empty(in->received_on), received) || *received > today ||
		    *received < today - ENTRY_RECEIVED_MAX_DAYS)
			e |= 1u << EF_RECEIVED;
	}
	if (text_blank(in->name) || !text_fits(in->name, ENTRY_NAME_MAX_CHARS, true))
		e |= 1u << EF_NAME;
	const char *email = or_empty(in->email), *phone = or_empty(in->phone);
	if (*email && !text_valid_email(email))
		e |= 1u << EF_EMAIL;
	if (*phone && (text_blank(phone) || !text_fits(phone, ENTRY_PHONE_MAX_CHARS, true)))
		e |= 1u << EF_PHONE;
	if (!*email && text_blank(phone))
		e |= 1u << EF_CONTACT; /* never anonymous towards the committee */
	if (text_blank(in->accused) || !text_fits(in->accused, ENTRY_NAME_MAX_CHARS, true))
		e |= 1u << EF_ACCUSED;
	if (text_blank(in->account) || !text_fits(in->account, ENTRY_ACCOUNT_MAX_CHARS, false))
		e |= 1u << EF_ACCOUNT;
	if (!text_fits(in->when, ENTRY_WHEN_MAX_CHARS, true))
		e |= 1u << EF_WHEN;
	if (!text_fits(in->asks, ENTRY_ASKS_MAX_CHARS, false))
		e |= 1u << EF_ASKS;
	*incident = 0;
	const char *inc = or_empty(in->last_incident);
	/* not after the day it came in (which, when wrong itself, says so) */
	if (*inc && (!date_parse(inc, incident) || (!(e & (1u << EF_RECEIVED)) && *incident > *received)))
		e |= 1u << EF_INCIDENT;
	return e;
}

/* The names of the files sent with an entry, a line each (in a). */
static const char *file_names(struct arena *a, const struct complaint_entry *in)
{
	size_t len = 1;
	for (size_t i = 0; i < in->nfiles; i++)
		len += strlen(in->files[i]->name) + 1;
	char *out = arena_alloc(a, len), *p = out;
	if (!out)
		return "";
	for (size_t i = 0; i < in->nfiles; i++)
		p += sprintf(p, "%s%s", i ? "\n" : "", in->files[i]->name);
	*p = '\0';
	return out;
}

/* Seals and files a checked entry under key, inside the caller's
 * transaction: by (0: the complainant through the form), with the
 * complainant pn (prepared: NULL for none), whose mailbox opens with the
 * confirmation of receipt and the complaint as filed. EF_COMMITTEE when
 * nobody could read it; VD_ERR_EXISTS (before any file moved) when pn's
 * locator is taken. */
static int file_entry(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
		      const struct complaint_entry *in, int64_t by, const char *channel, int64_t received,
		      int64_t incident, struct party_new *pn, field_errors *errs, int64_t *id)
{
	struct case_key_rec *keys = NULL;
	size_t nkeys = 0;
	int rc = complaint_committee_keys(vd, a, in->unit_id, key, &keys, &nkeys);
	if (rc == VD_OK && !nkeys) {
		*errs |= 1u << EF_COMMITTEE;
		rc = VD_ERR_INVALID;
	}
	/* the texts in the order complaint_open reads them: name, e-mail,
	 * phone, contact preference, what happened, when, what they ask, a
	 * summary, who it is about */
	const char *parts[] = { in->name, in->email, in->phone, "", in->account, in->when, in->asks, "", in->accused };
	struct complaint_rec c = { .case_id = 0, .unit_id = in->unit_id, .by = by, .created_at = clock_now(),
				   .channel = channel, .received_day = received, .last_incident_day = incident };
	char ad[64];
	complaint_content_ad(&c, ad);
	unsigned char *sealed = NULL;
	if (rc == VD_OK)
		rc = sealed_texts_seal(a, key, ad, parts, sizeof parts / sizeof parts[0], &sealed, &c.content_len);
	c.content = sealed;
	if (rc == VD_OK)
		rc = complaint_file_new(vd, a, &c, keys, nkeys, id);
	int64_t pid = 0;
	if (rc == VD_OK && pn) {
		pn->rec.complaint_id = *id;
		rc = vd->store->ops->complaint_party_insert(vd->store, &pn->rec, &pid);
	}
	if (rc == VD_OK)
		rc = files_attach_complaint(vd, *id, key, 0, "complaint", in->files, in->nfiles);
	if (rc == VD_OK && pn) {
		struct party_view to = { .id = pid, .role = PR_COMPLAINANT, .email = in->email };
		const char *copy[LETTER_EXTRAS] = { in->account, in->when, in->asks, file_names(a, in) };
		struct letter_out l = { .outgoing = true, .kind = LK_RECEIPT, .by = by, .text = "", .extra = copy };
		rc = complaint_letter_add(vd, a, pn->key, *id, &to, &l);
	}
	if (rc == VD_OK)
		rc = audit_record(vd, by, "complaint.create", "complaint", *id);
	return rc;
}

int complaint_entry_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out,
			  int **depth)
{
	if (who->role != ROLE_COMMITTEE)
		return VD_ERR_DENIED;
	return served_unit_tree(vd, who, a, out, depth);
}

int complaint_enter(struct vd *vd, const struct principal *who, const struct complaint_entry *in,
		    field_errors *errs, int64_t *id)
{
	*errs = 0;
	if (who->role != ROLE_COMMITTEE)
		return VD_ERR_DENIED;
	int64_t today = date_of(clock_now()), received = 0, incident = 0;
	*errs = check_entry(in, false, today, &received, &incident);
	struct arena a;
	arena_init(&a, 0);
	struct unit_list all;
	struct id_list served;
	int rc = served_units(vd, who, &a, &all, &served);
	if (rc == VD_OK && !unit_served(&served, in->unit_id))
		*errs |= 1u << EF_UNIT;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	struct store *s = vd->store;
	unsigned char key[CRYPTO_KEY_LEN];
	crypto_key_new(key);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, file_entry(vd, &a, key, in, who->user_id, in->channel, received, incident, NULL, errs, id),
			     0);
	if (rc)
		files_unattach(vd, in->files, in->nfiles); /* rolled back: the files go too */
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}

int complaint_file_public(struct vd *vd, const struct complaint_entry *in, const void *source, size_t source_len,
			  field_errors *errs, int64_t *id, char code[RECEIPT_TEXT_LEN + 1], int64_t *retry_after)
{
	code[0] = '\0';
	*retry_after = report_rate_wait(vd, source, source_len);
	if (*retry_after > 0)
		return VD_ERR_THROTTLED; /* nothing taken: a flood would fill the database */
	int64_t today = date_of(clock_now()), received = 0, incident = 0;
	*errs = check_entry(in, true, today, &received, &incident);
	struct arena a;
	arena_init(&a, 0);
	struct unit_list units;
	int rc = unit_list(vd, &a, &units);
	bool unit_known = false;
	for (size_t i = 0; rc == VD_OK && i < units.n; i++)
		unit_known |= units.items[i].id == in->unit_id;
	if (rc == VD_OK && !unit_known)
		*errs |= 1u << EF_UNIT;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	struct store *s = vd->store;
	unsigned char key[CRYPTO_KEY_LEN];
	crypto_key_new(key);
	struct party_input who_complains = { .role = PR_COMPLAINANT, .name = in->name, .email = in->email,
					     .phone = in->phone };
	/* A locator is 30 random bits: a taken one (rare) is drawn again; the
	 * code's slow hash is made before the transaction holds the database. */
	for (int attempt = 0; rc == VD_OK && attempt < 5; attempt++) {
		struct party_new pn;
		rc = complaint_party_prepare(vd, &a, key, 0, &who_complains, 0, code, &pn);
		if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
			rc = app_end(vd, file_entry(vd, &a, key, in, 0, "web", received, incident, &pn, errs, id), 0);
		complaint_party_forget(&pn);
		if (rc != VD_ERR_EXISTS)
			break;
		rc = attempt == 4 ? VD_ERR_EXISTS : VD_OK;
	}
	if (rc == VD_OK) {
		report_rate_count(vd, source, source_len);
	} else {
		crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
		files_unattach(vd, in->files, in->nfiles);
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}
