/* cases: see cases.h. */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/date.h"
#include "../util/text.h"
#include "profiles.h"
#include "units.h"
#include "internal/cases.h"
#include "internal/codes.h"
#include "internal/audit.h"
#include "internal/sealed.h"
#include "internal/casework.h"
#include "internal/escrow.h"
#include "internal/files.h"
#include "internal/invitations.h"
#include "internal/notify.h"
#include "internal/throttle.h"

const char *const behaviour_names[BEH_COUNT] = {
	"sexual_harassment", "aggression", "threats", "bullying", "discrimination", "exclusion",
	"intimidation", "stalking", "manipulation", "integrity", "other",
};
const char *const reporter_types[] = { "employee", "volunteer", "member", "elected", "candidate",
				       "board_member", "intern", "former", "outsider", NULL };
const char *const relations[] = { "colleague", "manager", "subordinate", "board_member", "elected",
				  "member", "outsider", "unknown", NULL };
const char *const locations[] = { "meeting", "office", "online", "event", "other", NULL };
const char *const channels[] = { "web", "phone", "in_person", "letter", "email", NULL };

bool case_choice_valid(const char *const *list, const char *value)
{
	for (size_t i = 0; value && list[i]; i++)
		if (strcmp(list[i], value) == 0)
			return true;
	return false;
}

/* ---- the encrypted content: seven length-prefixed texts (buf_put_lp) ---- */

/* ---- validation ------------------------------------------------------------ */

static bool text_ok(const char *s, size_t max_chars, bool one_line, bool required)
{
	size_t n = s ? strlen(s) : 0;
	/* only spaces and line breaks count as nothing written */
	if (text_blank(s))
		return !required;
	if (one_line ? !text_valid_line(s, n) : !text_valid_utf8(s, n))
		return false;
	return text_utf8_len(s, n) <= max_chars;
}

/* Fills errs; returns the readers (user ids) that can open the case. */
static void validate(struct vd *vd, struct arena *a, const struct report_input *in,
		     struct report_errors *errs, struct counsellor_list *readers)
{
	memset(errs, 0, sizeof *errs);
	readers->n = 0;
	struct unit_list units;
	if (unit_list(vd, a, &units) != VD_OK || !unit_by_id(&units, in->unit_id))
		errs->bad[RF_UNIT] = true;
	errs->bad[RF_ACCOUNT] = !text_ok(in->account, REPORT_ACCOUNT_MAX_CHARS, false, true);
	errs->bad[RF_WHEN] = !text_ok(in->when, REPORT_LINE_MAX_CHARS, true, false);
	errs->bad[RF_HOPES] = !text_ok(in->hopes, REPORT_TEXT_MAX_CHARS, false, false);
	errs->bad[RF_LOCATION] = !case_choice_valid(locations, in->location);
	errs->bad[RF_RELATION] = !case_choice_valid(relations, in->relation);
	errs->bad[RF_TYPE] = !case_choice_valid(reporter_types, in->reporter_type);
	errs->bad[RF_BEHAVIOURS] = in->behaviours <= 0 || in->behaviours >= (1 << BEH_COUNT);
	errs->bad[RF_CHANNEL] = !case_choice_valid(channels, in->channel);
	if (in->named) {
		bool email = in->email && *in->email, phone = in->phone && *in->phone;
		errs->bad[RF_NAME] = !text_ok(in->name, REPORT_LINE_MAX_CHARS, true, true);
		errs->bad[RF_EMAIL] = email && !text_valid_email(in->email);
		errs->bad[RF_PHONE] = phone && !text_ok(in->phone, 40, true, true);
		/* a named reporter leaves at least one way to reach them */
		if (!email && !phone)
			errs->bad[RF_EMAIL] = errs->bad[RF_PHONE] = true;
		errs->bad[RF_CONTACT] = !text_ok(in->contact_pref, REPORT_LINE_MAX_CHARS, true, false);
	}
	/* An invitation needs an address, a mail server, and a report that did
	 * not come through the web form (whose reporter saw the code already). */
	errs->bad[RF_INVITE] = in->invite && (!vd->cfg.smtp_url[0] || !in->named || !in->email || !*in->email ||
					      !text_valid_email(in->email) || !in->channel ||
					      strcmp(in->channel, "web") == 0);
	if (!errs->bad[RF_UNIT]) {
		struct counsellor_list serving;
		if (directory_list(vd, a, in->unit_id, &serving) != VD_OK) {
			errs->bad[RF_UNIT] = true;
		} else {
			readers->items = arena_array(a, serving.n, sizeof *readers->items);
			bool chosen_serves = false;
			for (size_t i = 0; readers->items && i < serving.n; i++) {
				const struct counsellor *c = &serving.items[i];
				if (in->counsellor_id && c->user_id != in->counsellor_id)
					continue;
				chosen_serves = true;
				struct user_key_rec k;
				if (vd->store->ops->user_key_get(vd->store, c->user_id, &k) == VD_OK)
					readers->items[readers->n++] = *c;
			}
			if (in->counsellor_id && !chosen_serves)
				errs->bad[RF_COUNSELLOR] = true;
			else if (!readers->n)
				errs->no_reader = true;
		}
	}
	for (int i = 0; i < RF_COUNT; i++)
		errs->any |= errs->bad[i];
	errs->any |= errs->no_reader;
}

void report_check(struct vd *vd, const struct report_input *in, struct report_errors *errs)
{
	struct arena a;
	arena_init(&a, 0);
	struct counsellor_list readers;
	validate(vd, &a, in, errs, &readers);
	arena_release(&a);
}

/* ---- submitting ------------------------------------------------------------ */

static void report_rate_key(struct vd *vd, const void *source, size_t n, struct throttle_key *k)
{
	throttle_key(vd->secret, TH_REPORT, source ? source : "", source ? n : 0, NULL, 0, k);
}

int64_t report_rate_wait(struct vd *vd, const void *source, size_t source_len)
{
	struct throttle_key k;
	report_rate_key(vd, source, source_len, &k);
	return throttle_wait(TH_REPORT, &k, clock_now());
}

void report_rate_count(struct vd *vd, const void *source, size_t source_len)
{
	struct throttle_key k;
	report_rate_key(vd, source, source_len, &k);
	throttle_fail(TH_REPORT, &k, clock_now());
}

int report_submit(struct vd *vd, const struct report_input *in, int64_t *id,
		  char receipt_text[RECEIPT_TEXT_LEN + 1], struct report_errors *errs)
{
	struct arena a;
	arena_init(&a, 0);
	struct counsellor_list readers = { NULL, 0 };
	struct buf content;
	buf_init(&content, 1024 * 1024);
	content.secret = true;
	unsigned char case_key[CRYPTO_KEY_LEN], kek[CRYPTO_KEY_LEN];
	struct receipt r;
	int rc = VD_OK;
	validate(vd, &a, in, errs, &readers);
	if (errs->any) {
		rc = VD_ERR_INVALID;
		goto out;
	}
	crypto_key_new(case_key);
	const char *texts[] = { in->named ? in->name : "", in->named ? in->email : "",
				in->named ? in->phone : "", in->named ? in->contact_pref : "",
				in->account, in->when, in->hopes };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0] && rc == VD_OK; i++)
		rc = buf_put_lp(&content, texts[i]);
	struct case_key_rec *keys = arena_alloc(&a, readers.n * sizeof *keys);
	if (rc == VD_OK && !keys)
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < readers.n; i++) {
		struct user_key_rec k;
		rc = vd->store->ops->user_key_get(vd->store, readers.items[i].user_id, &k);
		if (rc == VD_OK) {
			keys[i].user_id = readers.items[i].user_id;
			crypto_seal(k.public_key, case_key, sizeof case_key, keys[i].sealed_key);
		}
	}
	unsigned char *sealed_content = rc == VD_OK ? arena_alloc(&a, content.len + CRYPTO_AEAD_OVERHEAD) : NULL;
	if (rc == VD_OK && !sealed_content)
		rc = VD_ERR_NOMEM;
	/* A locator is 30 random bits: taken ones (rare) are drawn again. */
	int attempt;
	for (attempt = 0; rc == VD_OK && attempt < 5; attempt++) {
		int64_t now = clock_now();
		struct case_rec c = {
			.unit_id = in->unit_id, .counsellor_id = in->counsellor_id, .channel = in->channel,
			.reporter_type = in->reporter_type, .relation = in->relation, .location = in->location,
			.behaviours = in->behaviours, .named = in->named, .phase = "new", .created_at = now,
			.created_day = date_of(now),
			.content = sealed_content, .content_len = content.len + CRYPTO_AEAD_OVERHEAD,
		};
		rc = code_new(vd, &r, receipt_text, c.receipt_salt, c.receipt_verifier, &c.receipt_ops,
			      &c.receipt_mem_kib, kek);
		if (rc)
			break;
		c.locator = r.locator;
		char ad[64];
		snprintf(ad, sizeof ad, "case %s content", r.locator);
		crypto_encrypt(case_key, ad, content.data, content.len, sealed_content);
		snprintf(ad, sizeof ad, "case %s key by receipt", r.locator);
		crypto_encrypt(kek, ad, case_key, sizeof case_key, c.key_by_receipt);
		struct store *s = vd->store;
		rc = s->ops->begin(s);
		if (rc)
			break;
		rc = s->ops->case_insert(s, &c, keys, readers.n, id);
		if (rc == VD_OK) /* so the case survives its counsellor (escrow.h) */
			rc = escrow_seal_case(vd, *id, case_key);
		if (rc == VD_OK) {
			c.id = *id;
			rc = files_attach(vd, &c, case_key, 0, "report", in->files, in->nfiles);
		}
		if (rc == VD_OK)
			rc = audit_record(vd, 0, "case.create", "case", *id);
		if (rc == VD_OK && in->invite)
			rc = invitation_add(vd, *id, receipt_text, in->email);
		rc = app_end(vd, rc, 0);
		if (rc)
			files_unattach(vd, in->files, in->nfiles);
		if (rc == VD_OK)
			notify_readers(vd, *id); /* best effort: the report is stored */
		if (rc != VD_ERR_EXISTS)
			break;
		rc = VD_OK; /* try another locator */
	}
	if (rc == VD_OK && attempt == 5)
		rc = VD_ERR_EXISTS; /* five taken locators in a row: give up, say so */
out:
	if (rc)
		crypto_wipe(receipt_text, RECEIPT_TEXT_LEN + 1);
	crypto_wipe(&r, sizeof r);
	crypto_wipe(case_key, sizeof case_key);
	crypto_wipe(kek, sizeof kek);
	buf_release_wipe(&content);
	arena_release(&a);
	return rc;
}

/* ---- reading --------------------------------------------------------------- */

int case_decrypt_report(struct arena *a, const struct case_rec *c, const unsigned char case_key[CRYPTO_KEY_LEN],
			struct report_input *out)
{
	char ad[64];
	snprintf(ad, sizeof ad, "case %s content", c->locator);
	const char **const fields[] = { &out->name, &out->email, &out->phone, &out->contact_pref,
					&out->account, &out->when, &out->hopes };
	size_t n = sizeof fields / sizeof fields[0];
	int rc = sealed_texts_open(a, case_key, ad, c->content, c->content_len, fields, n, n);
	out->unit_id = c->unit_id;
	out->counsellor_id = c->counsellor_id;
	out->named = c->named;
	out->location = c->location;
	out->relation = c->relation;
	out->reporter_type = c->reporter_type;
	out->behaviours = c->behaviours;
	out->channel = c->channel;
	return rc;
}

/* The view of case c: its facts and what the reporter wrote. */
static int view_of(struct arena *a, const struct case_rec *c, const unsigned char case_key[CRYPTO_KEY_LEN],
		   struct case_view *out)
{
	memset(out, 0, sizeof *out);
	out->id = c->id;
	out->created_at = c->created_at;
	out->opened_at = c->opened_at;
	out->phase = c->phase;
	return case_decrypt_report(a, c, case_key, &out->text);
}

static int load_messages(struct vd *vd, struct arena *a, const struct case_rec *c,
			 const unsigned char case_key[CRYPTO_KEY_LEN], bool with_notes, struct case_view *out);

int case_reader_key(struct vd *vd, const struct principal *who, int64_t id, unsigned char case_key[CRYPTO_KEY_LEN])
{
	struct store *s = vd->store;
	struct case_key_rec k;
	struct user_key_rec uk;
	unsigned char sk[CRYPTO_SK_LEN];
	/* The session's key first: without one, nothing is opened for anyone. */
	int rc = principal_secret_key(who, sk);
	if (rc == VD_OK)
		rc = who->role == ROLE_COUNSELLOR ? s->ops->case_key_get(s, id, who->user_id, &k) : VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		rc = s->ops->user_key_get(s, who->user_id, &uk);
	if (rc == VD_OK)
		rc = crypto_unseal(uk.public_key, sk, k.sealed_key, sizeof k.sealed_key, case_key);
	crypto_wipe(sk, sizeof sk);
	return rc;
}

int case_file_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *file_id,
		   struct case_file *info, struct file_reader **reader)
{
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	*reader = NULL;
	int rc = case_reader_key(vd, who, id, case_key);
	if (rc == VD_OK)
		rc = vd->store->ops->case_get(vd->store, a, id, &rec);
	if (rc == VD_OK)
		rc = files_open(vd, a, &rec, case_key, file_id, true, info, reader);
	/* like opening the case: who read which file is recorded */
	struct store *s = vd->store;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "case.file", "case", id), 0);
	if (rc && *reader) {
		file_reader_close(*reader);
		*reader = NULL;
	}
	crypto_wipe(case_key, sizeof case_key);
	return rc;
}

int case_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct case_view *out)
{
	struct store *s = vd->store;
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	memset(out, 0, sizeof *out);
	/* Readers only, whatever the role: the administrator is not one. */
	int rc = case_reader_key(vd, who, id, case_key);
	if (rc == VD_ERR_NOTFOUND || rc == VD_ERR_NOKEY)
		return rc;
	if (rc == VD_OK)
		rc = s->ops->case_get(s, a, id, &rec);
	if (rc == VD_OK)
		rc = view_of(a, &rec, case_key, out);
	if (rc == VD_OK)
		rc = load_messages(vd, a, &rec, case_key, true, out);
	if (rc == VD_OK)
		rc = files_list(vd, a, &rec, case_key, true, &out->files, &out->nfiles);
	if (rc == VD_OK) {
		/* Who read which case is what the audit log is for: no entry, no page. */
		rc = s->ops->begin(s);
		if (rc == VD_OK) {
			s->ops->case_mark_opened(s, id, who->user_id, clock_now());
			rc = app_end(vd, audit_record(vd, who->user_id, "case.open", "case", id), 0);
		}
	}
	crypto_wipe(case_key, sizeof case_key);
	return rc;
}

/* Checks a typed receipt code and gives the case and its key (see report_view). */
static int code_open(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     struct case_rec *rec, unsigned char case_key[CRYPTO_KEY_LEN], enum code_result *result,
		     int64_t *retry_after)
{
	struct receipt r;
	struct throttle_key k;
	unsigned char kek[CRYPTO_KEY_LEN];
	int rc = VD_OK;
	memset(rec, 0, sizeof *rec);
	if (code_begin(vd, typed, source, source_len, &r, &k, result, retry_after)) {
		int found = vd->store->ops->case_find_locator(vd->store, a, r.locator, rec);
		if (found != VD_OK && found != VD_ERR_NOTFOUND)
			rc = found;
		else
			rc = code_finish(vd, &r, &k, found == VD_OK, rec->receipt_salt, rec->receipt_verifier,
					 rec->receipt_ops, rec->receipt_mem_kib, kek, result);
	}
	if (rc == VD_OK && *result == CODE_OK) {
		char ad[64];
		snprintf(ad, sizeof ad, "case %s key by receipt", rec->locator);
		rc = crypto_decrypt(kek, ad, rec->key_by_receipt, STORE_WRAPPED_KEY_LEN, case_key);
		if (rc)
			*result = CODE_UNKNOWN;
	} else if (*result != CODE_OK) {
		memset(rec, 0, sizeof *rec);
	}
	crypto_wipe(&r, sizeof r);
	crypto_wipe(kek, sizeof kek);
	return rc;
}

/* Decrypts case c's messages into out; notes only when with_notes. */
static int load_messages(struct vd *vd, struct arena *a, const struct case_rec *c,
			 const unsigned char case_key[CRYPTO_KEY_LEN], bool with_notes, struct case_view *out)
{
	struct message_recs ml;
	/* The newest CONVERSATION_SHOWN messages: with the page cap (32 MiB) that
	 * bounds a page of even the longest, most escaped conversation. */
	int rc = vd->store->ops->message_list(vd->store, a, c->id, CONVERSATION_SHOWN + 1, &ml);
	if (rc == VD_OK && ml.n > CONVERSATION_SHOWN) {
		out->older_hidden = true;
		ml.items++;
		ml.n--;
	}
	if (rc)
		return rc;
	out->messages = arena_array(a, ml.n, sizeof *out->messages);
	if (!out->messages)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < ml.n; i++) {
		const struct message_rec *m = &ml.items[i];
		if (!with_notes && strcmp(m->kind, "note") == 0)
			continue;
		if (m->body_len < CRYPTO_AEAD_OVERHEAD)
			return VD_ERR_STORE;
		char ad[80];
		snprintf(ad, sizeof ad, "case %s %s message", c->locator, m->kind);
		size_t n = m->body_len - CRYPTO_AEAD_OVERHEAD;
		char *text = arena_alloc(a, n + 1);
		if (!text)
			return VD_ERR_NOMEM;
		rc = crypto_decrypt(case_key, ad, m->body, m->body_len, text);
		if (rc)
			return VD_ERR_STORE; /* a damaged or moved message */
		text[n] = '\0';
		out->messages[out->nmessages++] = (struct case_message){ m->id, m->kind, m->author_id, m->created_at, text };
	}
	return VD_OK;
}

/* Stores one message of kind, encrypted with the case key, with its files. */
static int add_message(struct vd *vd, const struct case_rec *c, const unsigned char case_key[CRYPTO_KEY_LEN],
		       const char *kind, int64_t author, const char *text, struct upload *const *files,
		       size_t nfiles)
{
	size_t n = strlen(text);
	unsigned char *body = malloc(n + CRYPTO_AEAD_OVERHEAD);
	if (!body)
		return VD_ERR_NOMEM;
	char ad[80];
	snprintf(ad, sizeof ad, "case %s %s message", c->locator, kind);
	crypto_encrypt(case_key, ad, text, n, body);
	struct message_rec m = { .case_id = c->id, .kind = kind, .author_id = author, .created_at = clock_now(),
				 .body = body, .body_len = n + CRYPTO_AEAD_OVERHEAD };
	struct store *s = vd->store;
	int64_t id;
	int rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->message_insert(s, &m, &id);
		if (rc == VD_OK)
			rc = files_attach(vd, c, case_key, id, kind, files, nfiles);
		if (rc == VD_OK)
			rc = audit_record(vd, author, strcmp(kind, "note") == 0 ? "case.note" : "case.message", "case",
					  c->id);
		rc = app_end(vd, rc, 0);
		if (rc)
			files_unattach(vd, files, nfiles);
	}
	free(body);
	return rc;
}

int report_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		struct case_view *out, enum code_result *result, int64_t *retry_after)
{
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	memset(out, 0, sizeof *out);
	int rc = code_open(vd, a, typed, source, source_len, &rec, case_key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK) {
		rc = view_of(a, &rec, case_key, out);
		if (rc == VD_OK)
			rc = load_messages(vd, a, &rec, case_key, false, out); /* never the notes */
		if (rc == VD_OK)
			rc = files_list(vd, a, &rec, case_key, false, &out->files, &out->nfiles);
		if (rc == VD_OK)
			rc = case_shared_appointments(vd, a, &rec, case_key, &out->appointments, &out->nappointments);
		struct consent_recs cl;
		if (rc == VD_OK)
			rc = vd->store->ops->consent_list(vd->store, a, rec.id, CONSENTS_SHOWN, &cl);
		if (rc == VD_OK)
			rc = case_consents_of(a, &cl, &out->consents, &out->nconsents);
	}
	crypto_wipe(case_key, sizeof case_key);
	return rc;
}

int report_withdraw(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		    enum code_result *result, int64_t *retry_after)
{
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	int rc = code_open(vd, a, typed, source, source_len, &rec, case_key, result, retry_after);
	if (rc || *result != CODE_OK) {
		crypto_wipe(case_key, sizeof case_key);
		return rc;
	}
	struct store *s = vd->store;
	struct case_work_rec w;
	struct consent_recs cl;
	if ((rc = s->ops->begin(s)) == VD_OK)
		rc = s->ops->case_work_claim(s, a, rec.id, &w);
	/* read again under the claim: the counsellor may have moved it meanwhile */
	if (rc == VD_OK)
		rc = s->ops->case_get(s, a, rec.id, &rec);
	/* a closed case is finished: its outcome is the counsellor's */
	if (rc == VD_OK && strcmp(rec.phase, phase_names[PH_CLOSED]) == 0)
		rc = VD_ERR_DENIED;
	int64_t now = clock_now();
	if (rc == VD_OK)
		rc = s->ops->case_set_phase(s, rec.id, rec.phase, phase_names[PH_CLOSED], now, 0);
	if (rc == VD_OK) {
		w.phase_at = w.closed_at = now;
		w.outcome = "stopped_by_reporter";
		rc = s->ops->case_work_put(s, &w);
	}
	/* nothing goes on without them: every consent in force, and every
	 * question still open, ends with the report */
	if (rc == VD_OK)
		rc = s->ops->consent_list(s, a, rec.id, CONSENTS_SHOWN, &cl);
	for (size_t k = 0; rc == VD_OK && consent_steps[k]; k++) {
		int latest = consent_latest(&cl, consent_steps[k]);
		if (latest != 1 && latest != CONSENT_ASKED)
			continue;
		struct consent_rec c = { .case_id = rec.id, .step = consent_steps[k], .given = 0,
					 .on_day = date_of(now), .how = "mailbox", .by = 0, .created_at = now };
		int64_t cid;
		rc = s->ops->consent_insert(s, &c, &cid);
	}
	/* the conversation says so, to both sides (an empty message of its own kind) */
	unsigned char body[CRYPTO_AEAD_OVERHEAD];
	char ad[80];
	snprintf(ad, sizeof ad, "case %s withdrawn message", rec.locator);
	crypto_encrypt(case_key, ad, "", 0, body);
	struct message_rec m = { .case_id = rec.id, .kind = "withdrawn", .author_id = 0, .created_at = now,
				 .body = body, .body_len = sizeof body };
	int64_t mid;
	if (rc == VD_OK)
		rc = s->ops->message_insert(s, &m, &mid);
	if (rc == VD_OK)
		rc = audit_record(vd, 0, "case.withdraw", "case", rec.id);
	rc = app_end(vd, rc, 0);
	if (rc == VD_OK)
		notify_readers(vd, rec.id);
	crypto_wipe(case_key, sizeof case_key);
	return rc;
}

int report_consent(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		   const char *step, bool give, enum code_result *result, int64_t *retry_after)
{
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	int rc = code_open(vd, a, typed, source, source_len, &rec, case_key, result, retry_after);
	crypto_wipe(case_key, sizeof case_key); /* the code proves who they are; nothing is sealed */
	if (rc || *result != CODE_OK)
		return rc;
	struct store *s = vd->store;
	if ((rc = s->ops->begin(s)) != VD_OK)
		return rc;
	/* under the case's claim, as a forward checks consent under it: the
	 * newest record of the step says what may be answered */
	struct case_work_rec w;
	struct consent_recs cl;
	rc = s->ops->case_work_claim(s, a, rec.id, &w);
	if (rc == VD_OK)
		rc = s->ops->consent_list(s, a, rec.id, CONSENTS_SHOWN, &cl);
	int latest = rc == VD_OK ? consent_latest(&cl, step) : -1;
	bool may = give ? latest == CONSENT_ASKED : latest == CONSENT_ASKED || latest == 1;
	if (rc == VD_OK && !may)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK) {
		struct consent_rec c = { .case_id = rec.id, .step = step, .given = give ? 1 : 0,
					 .on_day = date_of(clock_now()), .how = "mailbox", .by = 0,
					 .created_at = clock_now() };
		int64_t cid;
		rc = s->ops->consent_insert(s, &c, &cid);
	}
	if (rc == VD_OK)
		rc = audit_record(vd, 0, "case.consent", "case", rec.id);
	rc = app_end(vd, rc, 0);
	if (rc == VD_OK)
		notify_readers(vd, rec.id);
	return rc;
}

int report_file_open(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     const char *file_id, struct case_file *info, struct file_reader **reader,
		     enum code_result *result, int64_t *retry_after)
{
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	*reader = NULL;
	int rc = code_open(vd, a, typed, source, source_len, &rec, case_key, result, retry_after);
	if (rc == VD_OK && *result == CODE_OK) /* never a note's file */
		rc = files_open(vd, a, &rec, case_key, file_id, false, info, reader);
	crypto_wipe(case_key, sizeof case_key);
	return rc;
}

/* A message needs words or files; files alone may come with no words. */
static bool message_ok(const char *text, size_t nfiles)
{
	return text && text_ok(text, MESSAGE_MAX_CHARS, false, nfiles == 0);
}

int report_reply(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		 const char *text, struct upload *const *files, size_t nfiles, enum code_result *result,
		 int64_t *retry_after)
{
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	if (!message_ok(text, nfiles)) {
		*result = CODE_OK;
		return VD_ERR_INVALID;
	}
	int rc = code_open(vd, a, typed, source, source_len, &rec, case_key, result, retry_after);
	bool repeat = false;
	if (rc == VD_OK && *result == CODE_OK) {
		/* The page that confirms an answer may be reloaded, resending it: an
		 * answer equal to the conversation's last message, when that is the
		 * reporter's own, is not stored twice. */
		struct case_view cv;
		memset(&cv, 0, sizeof cv);
		rc = load_messages(vd, a, &rec, case_key, false, &cv);
		if (rc == VD_OK && cv.nmessages) {
			const struct case_message *last = &cv.messages[cv.nmessages - 1];
			repeat = !nfiles && strcmp(last->kind, "reporter") == 0 && strcmp(last->text, text) == 0;
		}
	}
	if (rc == VD_OK && *result == CODE_OK && !repeat) {
		rc = add_message(vd, &rec, case_key, "reporter", 0, text, files, nfiles);
		if (rc == VD_OK)
			notify_readers(vd, rec.id);
	}
	crypto_wipe(case_key, sizeof case_key);
	return rc;
}

int case_post(struct vd *vd, const struct principal *who, int64_t id, const char *kind, const char *text,
	      struct upload *const *files, size_t nfiles)
{
	if (strcmp(kind, "counsellor") != 0 && strcmp(kind, "note") != 0)
		return VD_ERR_INVALID;
	struct store *s = vd->store;
	struct case_rec rec;
	unsigned char case_key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	int rc = case_reader_key(vd, who, id, case_key);
	if (rc == VD_OK && !message_ok(text, nfiles))
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->case_get(s, &a, id, &rec);
	if (rc == VD_OK)
		rc = add_message(vd, &rec, case_key, kind, who->user_id, text, files, nfiles);
	/* A named reporter who left an e-mail address hears that there is news. */
	if (rc == VD_OK && strcmp(kind, "counsellor") == 0 && rec.named && vd->cfg.smtp_url[0]) {
		struct report_input report;
		if (case_decrypt_report(&a, &rec, case_key, &report) == VD_OK && report.email && *report.email)
			notify_reporter(vd, report.email);
	}
	crypto_wipe(case_key, sizeof case_key);
	arena_release_wipe(&a); /* it held the decrypted report */
	return rc;
}

int case_list_page(struct vd *vd, const struct principal *who, struct arena *a,
		   const struct case_cursor *after, size_t per_page, struct case_list *out, bool *more,
		   struct case_cursor *next)
{
	*more = false;
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	if (per_page < 1 || per_page > 200)
		return VD_ERR_INVALID;
	/* One line more than asked tells whether a next page exists, without counting. */
	struct case_summary_recs recs;
	struct case_cursor_rec from;
	if (after)
		from = (struct case_cursor_rec){ after->unopened, after->created_at, after->id };
	out->n = 0;
	int rc = vd->store->ops->case_list(vd->store, a, who->user_id, after ? &from : NULL, per_page + 1, &recs);
	if (rc == VD_OK && !(out->items = arena_array(a, recs.n, sizeof *out->items)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < recs.n && i < per_page; i++) {
		const struct case_summary_rec *c = &recs.items[i];
		out->items[out->n++] = (struct case_summary){ c->id, c->unit_id, c->behaviours, c->phase, c->channel,
							      c->created_at, c->unopened != 0 };
	}
	if (rc == VD_OK && recs.n > per_page) {
		*more = true;
		const struct case_summary_rec *last = &recs.items[per_page - 1];
		*next = (struct case_cursor){ last->unopened, last->created_at, last->id };
	}
	return rc;
}
