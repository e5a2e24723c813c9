/*
 * complaint_parties: the parties to a complaint and the letters between
 * them and the committee (see complaint_parties.h). Hearings and their
 * minutes are in complaint_hearings.c; a party's mailbox in
 * complaint_mailbox.c.
 *
 * Each party has a key of their own: their letters are under it, and
 * nothing else is. Their code (or, for a supporter, their account) opens
 * that key only, so a party holding a copy of the database and their code
 * reads what was sent to them and no more: never the complaint key, another
 * party's letters or contact details, or the committee's file. The committee
 * reaches every party's key through the complaint key.
 */
#include "complaint_parties.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/codes.h"
#include "internal/complaints.h"
#include "internal/notify.h"
#include "internal/sealed.h"

const char *const party_role_names[PR_COUNT] = { "complainant", "accused", "supporter" };
const char *const letter_kind_names[LK_COUNT] = { "receipt", "step",     "complaint", "invitation", "minutes",
						  "extension", "message", "response", "reaction" };

static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return n;
}

/* What binds a party's records to that party: its random locator, or the
 * supporter's account within the complaint (a locator is known before the
 * complaint exists, so a complaint and its complainant are made at once). */
static void party_ad(const struct complaint_party_rec *p, const char *what, char ad[128])
{
	if (*p->locator)
		snprintf(ad, 128, "complaint party %.8s %.12s %s", p->locator, p->role, what);
	else
		snprintf(ad, 128, "complaint %lld supporter %lld %s", (long long)p->complaint_id, (long long)p->user_id,
			 what);
}

void complaint_letter_ad(const struct complaint_letter_rec *l, char ad[128])
{
	snprintf(ad, 128, "complaint %lld letter to %lld %d %.12s %.20s %lld %lld", (long long)l->complaint_id,
		 (long long)l->party_id, l->outgoing, l->kind, l->step, (long long)l->hearing_id, (long long)l->at);
}

int complaint_party_key_by_code(const struct complaint_party_rec *p, const unsigned char kek[CRYPTO_KEY_LEN],
				unsigned char key[CRYPTO_KEY_LEN])
{
	char ad[128];
	party_ad(p, "key by receipt", ad);
	return crypto_decrypt(kek, ad, p->key_by_receipt, STORE_WRAPPED_KEY_LEN, key);
}

int complaint_party_key_by_complaint(const struct complaint_party_rec *p,
				     const unsigned char complaint_key[CRYPTO_KEY_LEN], unsigned char key[CRYPTO_KEY_LEN])
{
	char ad[128];
	party_ad(p, "key by complaint", ad);
	return crypto_decrypt(complaint_key, ad, p->key_by_complaint, STORE_WRAPPED_KEY_LEN, key);
}

/* ---- reading ------------------------------------------------------------- */

int complaint_parties_load(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			   int64_t complaint_id, struct party_view **out, size_t *n)
{
	struct complaint_party_recs recs;
	int rc = vd->store->ops->complaint_party_list(vd->store, a, complaint_id, &recs);
	if (rc)
		return rc;
	*n = 0;
	*out = arena_array(a, recs.n ? recs.n : 1, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++) {
		const struct complaint_party_rec *p = &recs.items[i];
		struct party_view *v = &(*out)[(*n)++];
		*v = (struct party_view){ .id = p->id, .role = (enum party_role)name_index(party_role_names, PR_COUNT,
											    p->role),
					  .user_id = p->user_id, .created_at = p->created_at, .has_code = *p->locator };
		if (v->role == PR_COUNT)
			return VD_ERR_STORE;
		char ad[128];
		party_ad(p, "contact", ad);
		const char **const fields[] = { &v->name, &v->email, &v->phone };
		rc = sealed_texts_open(a, key, ad, p->contact, p->contact_len, fields, 3, 3);
		struct user_rec u;
		if (rc == VD_OK && v->role == PR_SUPPORTER && vd->store->ops->user_get(vd->store, a, p->user_id, &u) == VD_OK)
			v->name = u.name;
	}
	return rc;
}

const struct party_view *complaint_party_find(const struct party_view *ps, size_t n, enum party_role role)
{
	for (size_t i = 0; i < n; i++)
		if (ps[i].role == role)
			return &ps[i];
	return NULL;
}

/* The key of party party_id of complaint_id, through the complaint key. */
static int key_of_party(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			int64_t complaint_id, int64_t party_id, unsigned char key[CRYPTO_KEY_LEN])
{
	struct complaint_party_recs recs;
	int rc = vd->store->ops->complaint_party_list(vd->store, a, complaint_id, &recs);
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++)
		if (recs.items[i].id == party_id)
			return complaint_party_key_by_complaint(&recs.items[i], complaint_key, key);
	return rc ? rc : VD_ERR_NOTFOUND;
}

/* Decrypts one letter (under its party's key) into v. Every letter is the
 * same few texts: what it says, then what its kind carries. */
static int letter_open(struct arena *a, const unsigned char party_key[CRYPTO_KEY_LEN],
		       const struct complaint_letter_rec *l, struct letter_view *v)
{
	*v = (struct letter_view){ .id = l->id, .party_id = l->party_id, .outgoing = l->outgoing,
				   .kind = (enum letter_kind)name_index(letter_kind_names, LK_COUNT, l->kind),
				   .step = *l->step ? complaint_step_parse(l->step) : CS_COUNT,
				   .hearing_id = l->hearing_id, .at = l->at, .text = "" };
	if (v->kind == LK_COUNT)
		return VD_ERR_STORE;
	char ad[128];
	complaint_letter_ad(l, ad);
	const char *x[LETTER_EXTRAS];
	const char **const fields[1 + LETTER_EXTRAS] = { &v->text, &x[0], &x[1], &x[2], &x[3], &x[4], &x[5] };
	int rc = sealed_texts_open(a, party_key, ad, l->body, l->body_len, fields, 1 + LETTER_EXTRAS, 1);
	if (rc)
		return rc;
	v->copy.name = v->copy.email = v->copy.phone = v->copy.account = v->copy.when = v->copy.asks = "";
	v->copy.files = v->invite.time = v->invite.place = "";
	if (v->kind == LK_COMPLAINT) {
		v->copy.name = x[0];
		v->copy.email = x[1];
		v->copy.phone = x[2];
		v->copy.account = x[3];
		v->copy.when = x[4];
		v->copy.asks = x[5];
	} else if (v->kind == LK_RECEIPT) {
		v->copy.account = x[0];
		v->copy.when = x[1];
		v->copy.asks = x[2];
		v->copy.files = x[3];
	} else if (v->kind == LK_INVITATION) {
		v->invite.time = x[0];
		v->invite.place = x[1];
		v->invite.jointly = *x[2] != '\0';
	}
	return VD_OK;
}

static int letters_open(struct arena *a, const struct complaint_letter_recs *recs, const int64_t *party_ids,
			unsigned char (*keys)[CRYPTO_KEY_LEN], size_t nkeys, struct letter_view **out, size_t *n)
{
	*out = arena_array(a, recs->n ? recs->n : 1, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	*n = recs->n;
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < recs->n; i++) {
		size_t k = 0;
		while (k < nkeys && party_ids[k] != recs->items[i].party_id)
			k++;
		rc = k < nkeys ? letter_open(a, keys[k], &recs->items[i], &(*out)[i]) : VD_ERR_STORE;
	}
	return rc;
}

int complaint_letters_all(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			  int64_t complaint_id, struct letter_view **out, size_t *n)
{
	struct complaint_party_recs ps;
	struct complaint_letter_recs recs;
	*n = 0;
	int rc = vd->store->ops->complaint_party_list(vd->store, a, complaint_id, &ps);
	if (rc == VD_OK)
		rc = vd->store->ops->complaint_letter_list(vd->store, a, complaint_id, 0, LETTERS_SHOWN, &recs);
	if (rc)
		return rc;
	int64_t ids[PARTIES_LISTED];
	unsigned char keys[PARTIES_LISTED][CRYPTO_KEY_LEN];
	size_t nk = 0;
	for (size_t i = 0; rc == VD_OK && i < ps.n && nk < PARTIES_LISTED; i++, nk++) {
		ids[nk] = ps.items[i].id;
		rc = complaint_party_key_by_complaint(&ps.items[i], complaint_key, keys[nk]);
	}
	if (rc == VD_OK)
		rc = letters_open(a, &recs, ids, keys, nk, out, n);
	crypto_wipe(keys, sizeof keys);
	return rc;
}

int complaint_letters_of_party(struct vd *vd, struct arena *a, const unsigned char party_key[CRYPTO_KEY_LEN],
			       int64_t complaint_id, int64_t party_id, struct letter_view **out, size_t *n)
{
	struct complaint_letter_recs recs;
	*n = 0;
	int rc = vd->store->ops->complaint_letter_list(vd->store, a, complaint_id, party_id, LETTERS_SHOWN, &recs);
	unsigned char keys[1][CRYPTO_KEY_LEN];
	memcpy(keys[0], party_key, CRYPTO_KEY_LEN);
	if (rc == VD_OK)
		rc = letters_open(a, &recs, &party_id, keys, 1, out, n);
	crypto_wipe(keys, sizeof keys);
	return rc;
}

/* ---- writing --------------------------------------------------------------- */

int complaint_letter_add(struct vd *vd, struct arena *a, const unsigned char party_key[CRYPTO_KEY_LEN],
			 int64_t complaint_id, const struct party_view *to, const struct letter_out *l)
{
	struct complaint_letter_rec r = { .complaint_id = complaint_id, .party_id = to->id, .outgoing = l->outgoing,
					  .kind = letter_kind_names[l->kind], .step = l->step ? l->step : "",
					  .hearing_id = l->hearing_id, .at = clock_now(), .by = l->by };
	char ad[128];
	complaint_letter_ad(&r, ad);
	const char *texts[1 + LETTER_EXTRAS] = { l->text };
	for (size_t i = 0; i < LETTER_EXTRAS && l->extra; i++)
		texts[1 + i] = l->extra[i];
	unsigned char *body;
	int rc = sealed_texts_seal(a, party_key, ad, texts, l->extra ? 1 + LETTER_EXTRAS : 1, &body, &r.body_len);
	r.body = body;
	int64_t id;
	if (rc == VD_OK)
		rc = vd->store->ops->complaint_letter_insert(vd->store, &r, &id);
	if (rc)
		return rc;
	/* content-free: "there is a letter in your mailbox", best effort */
	if (l->outgoing && to->role == PR_SUPPORTER)
		notify_support(vd, to->user_id);
	else if (l->outgoing && to->email && *to->email)
		notify_party(vd, to->email);
	return VD_OK;
}

int complaint_letter_to(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			int64_t complaint_id, const struct party_view *to, const struct letter_out *l)
{
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = key_of_party(vd, a, complaint_key, complaint_id, to->id, key);
	if (rc == VD_OK)
		rc = complaint_letter_add(vd, a, key, complaint_id, to, l);
	crypto_wipe(key, sizeof key);
	return rc;
}

int complaint_accused_informed(struct vd *vd, int64_t party_id, bool *informed)
{
	int64_t n = 0;
	int rc = vd->store->ops->complaint_letter_count(vd->store, party_id, letter_kind_names[LK_COMPLAINT], &n);
	*informed = n > 0;
	return rc;
}

/* The complaint as the accused gets it: what happened, when, what the
 * complainant asks, and who complains; their contact details only when the
 * complainant agreed to share them. */
static int send_copy(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
		     const struct complaint_rec *c, const struct party_view *accused, bool share_contact,
		     const char *note, int64_t by)
{
	struct complaint_file content;
	memset(&content, 0, sizeof content);
	int rc = complaint_content_open(a, c, key, &content);
	const char *copy[LETTER_EXTRAS] = { content.name,    share_contact ? content.email : "",
					    share_contact ? content.phone : "", content.account,
					    content.when,    content.hopes };
	struct letter_out l = { .outgoing = true, .kind = LK_COMPLAINT, .by = by, .text = note, .extra = copy };
	if (rc == VD_OK)
		rc = complaint_letter_to(vd, a, key, c->id, accused, &l);
	return rc;
}

/* Who hears of a move into step: a bit per party role. The complainant of
 * every step that is about their complaint, the accused from the moment
 * they are informed, the supporter of the outcome only (besides their
 * invitations): the reasons of each step are the complainant's to share. */
static unsigned step_tells(enum complaint_step to)
{
	const unsigned C = 1u << PR_COMPLAINANT, A = 1u << PR_ACCUSED, S = 1u << PR_SUPPORTER;
	switch (to) {
	case CS_INCOMPLETE:
	case CS_ADMISSIBLE:
	case CS_NOT_ADMISSIBLE:
	case CS_ACCUSED_INFORMED:
		return C;
	case CS_MEDIATION:
	case CS_RECEIVED:
	case CS_HEARINGS:
		return C | A;
	case CS_DECIDED:
	case CS_WITHDRAWN:
		return C | A | S;
	default:
		return 0; /* the advice goes to the board; closing a file tells nobody anything new */
	}
}

int complaint_tell_step(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			const struct complaint_rec *c, enum complaint_step to, const char *reason, bool share_contact,
			int64_t by, bool *no_accused)
{
	struct party_view *ps;
	size_t n;
	*no_accused = false;
	int rc = complaint_parties_load(vd, a, key, c->id, &ps, &n);
	if (rc)
		return rc;
	if (to == CS_ACCUSED_INFORMED && !complaint_party_find(ps, n, PR_ACCUSED)) {
		*no_accused = true;
		return VD_ERR_INVALID;
	}
	unsigned tells = step_tells(to);
	for (size_t i = 0; rc == VD_OK && i < n; i++) {
		const struct party_view *p = &ps[i];
		bool informed = true;
		if (p->role == PR_ACCUSED && (rc = complaint_accused_informed(vd, p->id, &informed)) != VD_OK)
			break;
		if (to == CS_ACCUSED_INFORMED && p->role == PR_ACCUSED) {
			if (!informed)
				rc = send_copy(vd, a, key, c, p, share_contact, reason, by);
			continue;
		}
		/* the accused hears of the procedure once they have the complaint */
		if (!(tells & (1u << p->role)) || !informed)
			continue;
		struct letter_out l = { .outgoing = true, .kind = LK_STEP, .step = complaint_step_names[to], .by = by,
					.text = reason };
		rc = complaint_letter_to(vd, a, key, c->id, p, &l);
	}
	return rc;
}

int complaint_tell_extension(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			     const struct complaint_rec *c, int64_t due_day, int64_t by)
{
	struct party_view *ps;
	size_t n;
	int rc = complaint_parties_load(vd, a, key, c->id, &ps, &n);
	char due[DATE_LEN + 1];
	date_format(due_day, due);
	for (size_t i = 0; rc == VD_OK && i < n; i++) {
		bool informed = true;
		if (ps[i].role == PR_ACCUSED)
			rc = complaint_accused_informed(vd, ps[i].id, &informed);
		/* notice goes to both parties, the accused once they are one in full */
		if (rc || ps[i].role == PR_SUPPORTER || !informed)
			continue;
		struct letter_out l = { .outgoing = true, .kind = LK_EXTENSION, .by = by, .text = due };
		rc = complaint_letter_to(vd, a, key, c->id, &ps[i], &l);
	}
	return rc;
}

/* ---- adding a party -------------------------------------------------------- */

int complaint_party_prepare(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			    int64_t complaint_id, const struct party_input *in, int64_t by,
			    char code[RECEIPT_TEXT_LEN + 1], struct party_new *out)
{
	memset(out, 0, sizeof *out);
	code[0] = '\0';
	struct complaint_party_rec *p = &out->rec;
	*p = (struct complaint_party_rec){ .complaint_id = complaint_id, .role = party_role_names[in->role],
					   .locator = "", .created_at = clock_now(), .by = by };
	crypto_key_new(out->key);
	unsigned char kek[CRYPTO_KEY_LEN];
	int rc = VD_OK;
	if (in->role == PR_SUPPORTER) {
		struct user_key_rec uk;
		p->user_id = in->counsellor_id;
		rc = vd->store->ops->user_key_get(vd->store, in->counsellor_id, &uk);
		if (rc == VD_OK)
			crypto_seal(uk.public_key, out->key, CRYPTO_KEY_LEN, p->sealed_key);
	} else {
		/* the slow part (Argon2id), before any transaction holds the database */
		rc = code_new(vd, &out->receipt, code, p->receipt_salt, p->receipt_verifier, &p->receipt_ops,
			      &p->receipt_mem_kib, kek);
		p->locator = out->receipt.locator;
	}
	char ad[128];
	if (rc == VD_OK && *p->locator) {
		party_ad(p, "key by receipt", ad);
		crypto_encrypt(kek, ad, out->key, CRYPTO_KEY_LEN, p->key_by_receipt);
	}
	if (rc == VD_OK) {
		party_ad(p, "key by complaint", ad);
		crypto_encrypt(complaint_key, ad, out->key, CRYPTO_KEY_LEN, p->key_by_complaint);
		party_ad(p, "contact", ad);
		const char *texts[] = { in->name, in->email, in->phone };
		if (in->role == PR_SUPPORTER)
			texts[0] = texts[1] = texts[2] = ""; /* their account says who they are */
		unsigned char *contact;
		rc = sealed_texts_seal(a, complaint_key, ad, texts, 3, &contact, &p->contact_len);
		p->contact = contact;
	}
	crypto_wipe(kek, sizeof kek);
	if (rc) {
		crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
		complaint_party_forget(out);
	}
	return rc;
}

void complaint_party_forget(struct party_new *pn)
{
	crypto_wipe(pn->key, sizeof pn->key);
	crypto_wipe(&pn->receipt, sizeof pn->receipt);
}

/* The checks of a new party that need no record. */
static field_errors check_party(const struct party_input *in)
{
	field_errors e = 0;
	if ((unsigned)in->role >= PR_COUNT)
		return 1u << PY_ROLE;
	if (in->role == PR_SUPPORTER)
		return in->counsellor_id > 0 ? 0 : 1u << PY_COUNSELLOR;
	if (text_blank(in->name) || !text_fits(in->name, PARTY_NAME_MAX_CHARS, true))
		e |= 1u << PY_NAME;
	const char *email = in->email ? in->email : "", *phone = in->phone ? in->phone : "";
	if (*email && !text_valid_email(email))
		e |= 1u << PY_EMAIL;
	if (*phone && (text_blank(phone) || !text_fits(phone, PARTY_PHONE_MAX_CHARS, true)))
		e |= 1u << PY_PHONE;
	return e;
}

/* Whether user_id is a counsellor who can support: active, with a key pair. */
static bool counsellor_can_support(struct vd *vd, struct arena *a, int64_t user_id)
{
	struct user_rec u;
	struct user_key_rec uk;
	return vd->store->ops->user_get(vd->store, a, user_id, &u) == VD_OK && u.active &&
	       role_parse(u.role) == ROLE_COUNSELLOR && vd->store->ops->user_key_get(vd->store, user_id, &uk) == VD_OK;
}

/* Whether the complaint is at or past informing the accused: an accused
 * added now gets the complaint at once. */
static bool past_informing(const struct complaint_rec *c)
{
	enum complaint_step s = complaint_step_parse(c->step), b = complaint_step_parse(c->step_before);
	if (s == CS_MEDIATION)
		s = b;
	return s == CS_ACCUSED_INFORMED || s == CS_HEARINGS || s == CS_ADVICE || s == CS_DECIDED;
}

/* Inside the caller's transaction: refuses what the complaint's parties
 * and state do not allow (PY_ROLE), stores pn, and writes its first
 * letter (the complainant's confirmation, a late accused's complaint). */
static int add_prepared(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			const struct complaint_rec *c, const struct party_input *in, struct party_new *pn, int64_t by,
			field_errors *errs)
{
	struct party_view *ps = NULL;
	size_t n = 0;
	int rc = complaint_parties_load(vd, a, key, c->id, &ps, &n);
	/* one complainant, one supporter; the accused may be more than one
	 * person, each once (a reloaded form would add them again) */
	bool taken = !c->open || (in->role != PR_ACCUSED && complaint_party_find(ps, n, in->role));
	for (size_t i = 0; rc == VD_OK && in->role == PR_ACCUSED && i < n; i++)
		taken |= ps[i].role == PR_ACCUSED && strcasecmp(ps[i].name, in->name) == 0;
	if (rc == VD_OK && (taken || n >= PARTIES_MAX)) {
		*errs |= 1u << PY_ROLE;
		return VD_ERR_INVALID;
	}
	int64_t pid = 0;
	if (rc == VD_OK)
		rc = vd->store->ops->complaint_party_insert(vd->store, &pn->rec, &pid);
	struct party_view to = { .id = pid, .role = in->role, .email = in->email, .user_id = in->counsellor_id };
	if (rc == VD_OK && in->role == PR_COMPLAINANT) {
		/* their mailbox opens with the confirmation and their complaint as filed */
		struct complaint_file f;
		memset(&f, 0, sizeof f);
		rc = complaint_content_open(a, c, key, &f);
		const char *copy[LETTER_EXTRAS] = { f.account, f.when, f.hopes, "" };
		struct letter_out l = { .outgoing = true, .kind = LK_RECEIPT, .by = by, .text = "", .extra = copy };
		if (rc == VD_OK)
			rc = complaint_letter_add(vd, a, pn->key, c->id, &to, &l);
	}
	if (rc == VD_OK && in->role == PR_ACCUSED && past_informing(c))
		rc = send_copy(vd, a, key, c, &to, false, "", by);
	return rc;
}

int complaint_party_add(struct vd *vd, const struct principal *who, int64_t id, const struct party_input *in,
			field_errors *errs, char code[RECEIPT_TEXT_LEN + 1])
{
	code[0] = '\0';
	*errs = check_party(in);
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	if (rc == VD_OK && in->role == PR_SUPPORTER && !(*errs) && !counsellor_can_support(vd, &a, in->counsellor_id))
		*errs |= 1u << PY_COUNSELLOR;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	struct store *s = vd->store;
	/* A locator is 30 random bits: a taken one (rare) is drawn again. */
	for (int attempt = 0; rc == VD_OK && attempt < 5; attempt++) {
		struct party_new pn;
		rc = complaint_party_prepare(vd, &a, key, id, in, who->user_id, code, &pn);
		if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
			rc = s->ops->complaint_claim(s, &a, id, &c); /* and again under the claim */
			if (rc == VD_OK)
				rc = add_prepared(vd, &a, key, &c, in, &pn, who->user_id, errs);
			if (rc == VD_OK)
				rc = audit_record(vd, who->user_id, "complaint.party", "complaint", id);
			rc = app_end(vd, rc, 0);
		}
		complaint_party_forget(&pn);
		if (rc)
			crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
		if (rc != VD_ERR_EXISTS || in->role == PR_SUPPORTER)
			break;
		rc = attempt == 4 ? VD_ERR_EXISTS : VD_OK;
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}

int complaint_letter_send(struct vd *vd, const struct principal *who, int64_t id, int64_t party_id,
			  const char *text, field_errors *errs)
{
	*errs = 0;
	if (!text || text_blank(text) || !text_fits(text, LETTER_MAX_CHARS, false))
		*errs |= 1u << LF_TEXT;
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	struct party_view *ps = NULL;
	size_t n = 0;
	const struct party_view *to = NULL;
	if (rc == VD_OK)
		rc = complaint_parties_load(vd, &a, key, id, &ps, &n);
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		if (ps[i].id == party_id)
			to = &ps[i];
	if (rc == VD_OK && !to)
		*errs |= 1u << LF_PARTY;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	struct store *s = vd->store;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		struct letter_out l = { .outgoing = true, .kind = LK_MESSAGE, .by = who->user_id, .text = text };
		rc = complaint_letter_to(vd, &a, key, id, to, &l);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.letter", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}
