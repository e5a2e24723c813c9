/*
 * complaint_parties: the parties to a complaint and the letters between
 * them and the committee (see complaint_parties.h). Hearings and their
 * minutes are in complaint_hearings.c; a party's mailbox in
 * complaint_mailbox.c.
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

static void contact_ad(const struct complaint_party_rec *p, char ad[96])
{
	snprintf(ad, 96, "complaint %lld party %.12s %lld contact", (long long)p->complaint_id, p->role,
		 (long long)p->created_at);
}

static void key_ad(const char *locator, char ad[64])
{
	snprintf(ad, 64, "complaint party %.8s key by receipt", locator);
}

void complaint_letter_ad(const struct complaint_letter_rec *l, char ad[128])
{
	snprintf(ad, 128, "complaint %lld letter to %lld %d %.12s %.20s %lld %lld", (long long)l->complaint_id,
		 (long long)l->party_id, l->outgoing, l->kind, l->step, (long long)l->hearing_id, (long long)l->at);
}

int complaint_party_key(const struct complaint_party_rec *p, const unsigned char kek[CRYPTO_KEY_LEN],
			unsigned char key[CRYPTO_KEY_LEN])
{
	char ad[64];
	key_ad(p->locator, ad);
	return crypto_decrypt(kek, ad, p->key_by_receipt, STORE_WRAPPED_KEY_LEN, key);
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
		char ad[96];
		contact_ad(p, ad);
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

/* Decrypts one letter into v. */
static int letter_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const struct complaint_letter_rec *l,
		       struct letter_view *v)
{
	*v = (struct letter_view){ .id = l->id, .party_id = l->party_id, .outgoing = l->outgoing,
				   .kind = (enum letter_kind)name_index(letter_kind_names, LK_COUNT, l->kind),
				   .step = *l->step ? complaint_step_parse(l->step) : CS_COUNT,
				   .hearing_id = l->hearing_id, .at = l->at, .text = "" };
	if (v->kind == LK_COUNT)
		return VD_ERR_STORE;
	char ad[128];
	complaint_letter_ad(l, ad);
	if (v->kind != LK_COMPLAINT)
		return sealed_text_open(a, key, ad, l->body, l->body_len, &v->text);
	const char **const fields[] = { &v->copy.name, &v->copy.email, &v->copy.phone,
					&v->copy.account, &v->copy.when, &v->copy.asks, &v->text };
	return sealed_texts_open(a, key, ad, l->body, l->body_len, fields, 7, 7);
}

int complaint_letters_load(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			   int64_t complaint_id, int64_t party_id, struct letter_view **out, size_t *n)
{
	struct complaint_letter_recs recs;
	int rc = vd->store->ops->complaint_letter_list(vd->store, a, complaint_id, party_id, LETTERS_SHOWN, &recs);
	if (rc)
		return rc;
	*out = arena_array(a, recs.n ? recs.n : 1, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	*n = recs.n;
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++)
		rc = letter_open(a, key, &recs.items[i], &(*out)[i]);
	return rc;
}

/* ---- writing --------------------------------------------------------------- */

int complaint_letter_add(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], int64_t complaint_id,
			 const struct party_view *to, const struct letter_out *l)
{
	struct complaint_letter_rec r = { .complaint_id = complaint_id, .party_id = to->id, .outgoing = l->outgoing,
					  .kind = letter_kind_names[l->kind], .step = l->step ? l->step : "",
					  .hearing_id = l->hearing_id, .at = clock_now(), .by = l->by };
	char ad[128];
	complaint_letter_ad(&r, ad);
	unsigned char *body;
	int rc;
	if (l->copy)
		rc = sealed_texts_seal(a, key, ad, l->copy, 7, &body, &r.body_len);
	else
		rc = sealed_text_seal(a, key, ad, l->text, &body, &r.body_len);
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

/* Whether accused party_id was given the complaint. */
static int accused_has_complaint(struct vd *vd, struct arena *a, int64_t complaint_id, int64_t party_id, bool *has)
{
	struct complaint_letter_recs recs;
	*has = false;
	int rc = vd->store->ops->complaint_letter_list(vd->store, a, complaint_id, party_id, LETTERS_SHOWN, &recs);
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++)
		*has |= strcmp(recs.items[i].kind, letter_kind_names[LK_COMPLAINT]) == 0;
	return rc;
}

int complaint_tell_step(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			const struct complaint_rec *c, const struct complaint_file *content, enum complaint_step to,
			const char *reason, bool share_contact, int64_t by, bool *no_accused)
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
		if (to == CS_ACCUSED_INFORMED && p->role == PR_ACCUSED) {
			/* the accused gets the complaint: what happened, when, what the
			 * complainant asks, and who complains; their contact details
			 * only when the complainant agreed to share them */
			const char *copy[7] = { content->name,    share_contact ? content->email : "",
						share_contact ? content->phone : "", content->account,
						content->when,    content->hopes, reason };
			struct letter_out l = { .outgoing = true, .kind = LK_COMPLAINT, .by = by, .copy = copy };
			rc = complaint_letter_add(vd, a, key, c->id, p, &l);
			continue;
		}
		if (!(tells & (1u << p->role)))
			continue;
		/* the accused hears of the procedure once they have the complaint */
		bool informed = true;
		if (p->role == PR_ACCUSED && (rc = accused_has_complaint(vd, a, c->id, p->id, &informed)) != VD_OK)
			break;
		if (!informed)
			continue;
		struct letter_out l = { .outgoing = true, .kind = LK_STEP, .step = complaint_step_names[to], .by = by,
					.text = reason };
		rc = complaint_letter_add(vd, a, key, c->id, p, &l);
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
		if (ps[i].role == PR_SUPPORTER)
			continue; /* notice goes to both parties */
		struct letter_out l = { .outgoing = true, .kind = LK_EXTENSION, .by = by, .text = due };
		rc = complaint_letter_add(vd, a, key, c->id, &ps[i], &l);
	}
	return rc;
}

/* ---- adding a party -------------------------------------------------------- */

int complaint_party_new(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], int64_t complaint_id,
			const struct party_input *in, int64_t by, char code[RECEIPT_TEXT_LEN + 1], int64_t *party_id)
{
	struct complaint_party_rec p = { .complaint_id = complaint_id, .role = party_role_names[in->role],
					 .locator = "", .created_at = clock_now(), .by = by };
	struct receipt r;
	unsigned char kek[CRYPTO_KEY_LEN];
	int rc = VD_OK;
	code[0] = '\0';
	memset(&r, 0, sizeof r);
	char ad[96];
	contact_ad(&p, ad);
	const char *texts[] = { in->name, in->email, in->phone };
	unsigned char *contact;
	if (in->role == PR_SUPPORTER)
		texts[0] = texts[1] = texts[2] = ""; /* their account says who they are */
	rc = sealed_texts_seal(a, key, ad, texts, 3, &contact, &p.contact_len);
	p.contact = contact;
	if (rc == VD_OK && in->role == PR_SUPPORTER) {
		struct user_key_rec uk;
		rc = vd->store->ops->user_key_get(vd->store, in->counsellor_id, &uk);
		if (rc == VD_OK) {
			p.user_id = in->counsellor_id;
			crypto_seal(uk.public_key, key, CRYPTO_KEY_LEN, p.sealed_key);
			rc = vd->store->ops->complaint_party_insert(vd->store, &p, party_id);
		}
		return rc;
	}
	/* A locator is 30 random bits: a taken one (rare) is drawn again. */
	for (int attempt = 0; rc == VD_OK && attempt < 5; attempt++) {
		rc = code_new(vd, &r, code, p.receipt_salt, p.receipt_verifier, kek);
		if (rc)
			break;
		p.locator = r.locator;
		char kad[64];
		key_ad(r.locator, kad);
		crypto_encrypt(kek, kad, key, CRYPTO_KEY_LEN, p.key_by_receipt);
		rc = vd->store->ops->complaint_party_insert(vd->store, &p, party_id);
		if (rc != VD_ERR_EXISTS)
			break;
		rc = attempt == 4 ? VD_ERR_EXISTS : VD_OK;
	}
	if (rc)
		crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
	crypto_wipe(&r, sizeof r);
	crypto_wipe(kek, sizeof kek);
	return rc;
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
	if (rc == VD_OK && !c.open)
		*errs |= 1u << PY_ROLE;
	struct store *s = vd->store;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		struct party_view *ps = NULL;
		size_t n = 0;
		rc = complaint_parties_load(vd, &a, key, id, &ps, &n);
		/* one complainant, one supporter; the accused may be more than one
		 * person, each once (a reloaded form would add them again) */
		bool taken = in->role != PR_ACCUSED && complaint_party_find(ps, n, in->role);
		for (size_t i = 0; rc == VD_OK && in->role == PR_ACCUSED && i < n; i++)
			taken |= ps[i].role == PR_ACCUSED && strcasecmp(ps[i].name, in->name) == 0;
		if (rc == VD_OK && (taken || n >= PARTIES_MAX)) {
			*errs |= 1u << PY_ROLE;
			rc = VD_ERR_INVALID;
		}
		int64_t pid = 0;
		if (rc == VD_OK)
			rc = complaint_party_new(vd, &a, key, id, in, who->user_id, code, &pid);
		if (rc == VD_OK && in->role == PR_COMPLAINANT) {
			/* the complainant's mailbox opens with the confirmation of receipt */
			struct party_view to = { .id = pid, .role = PR_COMPLAINANT, .email = in->email };
			struct letter_out l = { .outgoing = true, .kind = LK_RECEIPT, .by = who->user_id, .text = "" };
			rc = complaint_letter_add(vd, &a, key, id, &to, &l);
		}
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.party", "complaint", id);
		rc = app_end(vd, rc, 0);
		if (rc)
			crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
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
		rc = complaint_letter_add(vd, &a, key, id, to, &l);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.letter", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return rc;
}
