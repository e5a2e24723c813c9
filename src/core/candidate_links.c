/* candidate_links: inviting a candidate and the one-time link with which
 * they choose a password (declarations.h).
 *
 * As for a reporter's invitation (invitations.h), the link carries a
 * random 256-bit token and only a keyed hash of it is stored; the GET of
 * the link's page spends nothing (mail scanners fetch links), only the
 * POST with a password does. */
#include "internal/declarations.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "accounts.h"
#include "internal/audit.h"
#include "internal/notify.h"
#include "internal/userkeys.h"

#define TOKEN_BYTES (CANDIDATE_TOKEN_HEX / 2)

static void token_hash(struct vd *vd, const unsigned char token[TOKEN_BYTES], unsigned char out[CRYPTO_MAC_LEN])
{
	crypto_mac(vd->secret, "candidate-link", token, TOKEN_BYTES, out);
}

/* A new link for declaration id, in the caller's transaction: its token as
 * text into hex (the caller wipes it). */
static int link_new(struct vd *vd, int64_t id, char hex[CANDIDATE_TOKEN_HEX + 1])
{
	unsigned char token[TOKEN_BYTES], hash[CRYPTO_MAC_LEN];
	crypto_random(token, sizeof token);
	text_hex_encode(token, sizeof token, hex);
	token_hash(vd, token, hash);
	crypto_wipe(token, sizeof token);
	return vd->store->ops->candidate_link_put(vd->store, id, hash, clock_now() + CANDIDATE_LINK_DAYS * 86400);
}

/* Mails the link, or leaves it in link for the member to pass on when this
 * server sends no mail. */
static int link_out(struct vd *vd, const char *email, char hex[CANDIDATE_TOKEN_HEX + 1],
		    char link[CANDIDATE_TOKEN_HEX + 1], bool *mailed)
{
	*mailed = vd->cfg.smtp_url[0] != '\0';
	int rc = *mailed ? notify_candidate(vd, email, hex) : VD_OK;
	if (!*mailed)
		memcpy(link, hex, CANDIDATE_TOKEN_HEX + 1);
	crypto_wipe(hex, CANDIDATE_TOKEN_HEX + 1);
	return rc;
}

/* Whether a link for candidate_id's account may be shown to who: only if
 * every declaration of theirs is in a round who is a member of. A link
 * shown to a member of one round must not open another round's
 * declaration (by setting the password of an account that round made). */
static bool link_may_show(struct vd *vd, const struct principal *who, struct arena *a, int64_t candidate_id)
{
	struct store *s = vd->store;
	struct declaration_recs mine;
	if (s->ops->declaration_list_candidate(s, a, candidate_id, DECLARATIONS_LIST_MAX, &mine) != VD_OK)
		return false;
	for (size_t i = 0; i < mine.n; i++) {
		struct round_member_rec m;
		if (s->ops->round_member_get(s, mine.items[i].round_id, who->user_id, &m) != VD_OK)
			return false;
	}
	return true;
}

/* The candidate's account for email: theirs if there is one (*id, and
 * *has_keys once they chose a password), else a new one without a usable
 * password. DCF_ACCOUNT for a staff account's address. */
static int candidate_account(struct vd *vd, struct arena *a, const char *name, const char *email, int64_t *id,
			     bool *has_keys, enum declaration_field *bad)
{
	struct store *s = vd->store;
	struct user_rec u;
	int rc = s->ops->user_find_email(s, a, email, &u);
	if (rc == VD_OK) {
		if (role_parse(u.role) != ROLE_CANDIDATE || !u.active)
			return *bad = DCF_ACCOUNT, VD_ERR_INVALID;
		struct user_key_rec uk;
		*id = u.id;
		*has_keys = s->ops->user_key_get(s, u.id, &uk) == VD_OK;
		return VD_OK;
	}
	if (rc != VD_ERR_NOTFOUND)
		return rc;
	/* "" is no Argon2id string: nothing logs in with it */
	struct user_rec nu = { .email = email, .name = name, .role = role_name(ROLE_CANDIDATE), .password_hash = "",
			       .must_change_password = 0, .active = 1, .created_at = clock_now() };
	*has_keys = false;
	return s->ops->user_insert(s, &nu, id);
}

int candidate_invite(struct vd *vd, const struct principal *who, int64_t round_id, const char *name,
		     const char *email, char link[CANDIDATE_TOKEN_HEX + 1], bool *mailed, int64_t *id,
		     enum declaration_field *bad)
{
	*bad = DCF_NONE;
	*mailed = false;
	link[0] = '\0';
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct round_rec r;
	int rc = round_member_check(vd, who, &a, round_id, &r);
	if (rc == VD_OK && (text_blank(name) || !text_fits(name, NAME_MAX_CHARS, true)))
		rc = (*bad = DCF_NAME, VD_ERR_INVALID);
	if (rc == VD_OK && !text_valid_email(email))
		rc = (*bad = DCF_EMAIL, VD_ERR_INVALID);
	char hex[CANDIDATE_TOKEN_HEX + 1] = "";
	bool has_keys = false, linked = false, mail = vd->cfg.smtp_url[0] != '\0';
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		int64_t uid = 0;
		rc = candidate_account(vd, &a, name, email, &uid, &has_keys, bad);
		/* a link for an account another round made goes by mail only */
		linked = rc == VD_OK && !has_keys && (mail || link_may_show(vd, who, &a, uid));
		struct declaration_rec d = {
			.round_id = round_id, .candidate_id = uid, .invited_at = clock_now(), .invited_by = who->user_id,
			.invited_name = name,
			/* destroyed a while after the round, if never decided */
			.purge_after = date_moment(r.closes_on + 1 + vd->cfg.retention_undecided_days, 0),
		};
		if (rc == VD_OK)
			rc = s->ops->declaration_insert(s, &d, id);
		if (rc == VD_OK && linked)
			rc = link_new(vd, *id, hex);
		if (rc == VD_OK && has_keys)
			rc = notify_candidate_news(vd, email);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "declaration.invite", "declaration", *id);
		rc = app_end(vd, rc, 0);
	}
	if (rc == VD_OK && linked)
		rc = link_out(vd, email, hex, link, mailed);
	crypto_wipe(hex, sizeof hex);
	arena_release(&a);
	return rc;
}

int candidate_link_renew(struct vd *vd, const struct principal *who, int64_t declaration_id,
			 char link[CANDIDATE_TOKEN_HEX + 1], bool *mailed)
{
	*mailed = false;
	link[0] = '\0';
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct declaration_rec d;
	struct round_rec r;
	char hex[CANDIDATE_TOKEN_HEX + 1] = "";
	int rc = s->ops->declaration_get(s, &a, declaration_id, &d);
	if (rc == VD_OK)
		rc = round_member_check(vd, who, &a, d.round_id, &r);
	/* only before the candidate submitted (a forgotten password: they start
	 * their draft again); shown to the member only if no other round's
	 * declaration hangs on the same account */
	if (rc == VD_OK && strcmp(d.state, "invited") != 0 && strcmp(d.state, "draft") != 0)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK && !vd->cfg.smtp_url[0] && !link_may_show(vd, who, &a, d.candidate_id))
		rc = VD_ERR_INUSE;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		rc = link_new(vd, declaration_id, hex);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "declaration.link", "declaration", declaration_id);
		rc = app_end(vd, rc, 0);
	}
	if (rc == VD_OK)
		rc = link_out(vd, d.candidate_email, hex, link, mailed);
	crypto_wipe(hex, sizeof hex);
	arena_release(&a);
	return rc;
}

/* The keyed hash of a link's token as text; false for no token at all. */
static bool link_hash(struct vd *vd, const char *token_text, unsigned char hash[CRYPTO_MAC_LEN])
{
	unsigned char token[TOKEN_BYTES];
	if (!token_text || strlen(token_text) != CANDIDATE_TOKEN_HEX ||
	    text_hex_decode(token_text, token, sizeof token) != VD_OK)
		return false;
	token_hash(vd, token, hash);
	crypto_wipe(token, sizeof token);
	return true;
}

/* After a forgotten password: the new key pair opens nothing sealed to the
 * old one, so the drafts start again (their content is dropped) and the
 * old sessions end. What was submitted stays for the committee. */
static int forget_drafts(struct vd *vd, struct arena *a, int64_t candidate_id)
{
	struct store *s = vd->store;
	struct declaration_recs mine;
	int rc = s->ops->declaration_list_candidate(s, a, candidate_id, DECLARATIONS_LIST_MAX, &mine);
	for (size_t i = 0; rc == VD_OK && i < mine.n; i++) {
		struct declaration_rec d;
		if (strcmp(mine.items[i].state, "draft") != 0)
			continue;
		rc = s->ops->declaration_get(s, a, mine.items[i].id, &d);
		if (rc)
			break;
		d.state = "invited";
		d.content = d.candidate_key = NULL;
		d.content_len = d.candidate_key_len = 0;
		d.saved_at = 0;
		rc = s->ops->declaration_update(s, &d);
	}
	if (rc == VD_OK)
		rc = s->ops->session_delete_user(s, candidate_id);
	return rc;
}

bool candidate_link_valid(struct vd *vd, const char *token_text)
{
	unsigned char hash[CRYPTO_MAC_LEN];
	int64_t did = 0, expires = 0;
	return link_hash(vd, token_text, hash) &&
	       vd->store->ops->candidate_link_find(vd->store, hash, &did, &expires) == VD_OK && expires > clock_now();
}

int candidate_accept(struct vd *vd, const char *token_text, const char *password, char email[256])
{
	struct store *s = vd->store;
	unsigned char hash[CRYPTO_MAC_LEN];
	email[0] = '\0';
	if (!link_hash(vd, token_text, hash))
		return VD_ERR_NOTFOUND;
	struct arena a;
	arena_init(&a, 0);
	int64_t did = 0, expires = 0;
	struct declaration_rec d;
	struct user_rec u;
	struct user_key_rec uk;
	int rc = s->ops->candidate_link_find(s, hash, &did, &expires);
	if (rc == VD_OK && expires <= clock_now())
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		rc = s->ops->declaration_get(s, &a, did, &d);
	if (rc == VD_OK)
		rc = s->ops->user_get(s, &a, d.candidate_id, &u);
	if (rc == VD_OK && (role_parse(u.role) != ROLE_CANDIDATE || !u.active))
		rc = VD_ERR_NOTFOUND;
	/* a new link for an account with a password: a forgotten one */
	bool reset = rc == VD_OK && userkeys_exist(vd, u.id);
	/* the password before anything is spent: a refused one leaves the link */
	if (rc == VD_OK && (account_password_ok(password) || text_ieq(password, u.email)))
		rc = VD_ERR_INVALID;
	/* the slow parts (two Argon2id) outside the write transaction */
	char pwhash[CRYPTO_PWHASH_MAX], recovery[RECOVERY_TEXT_LEN + 1];
	if (rc == VD_OK)
		rc = crypto_password_hash(&vd->pwcost, password, strlen(password), pwhash);
	if (rc == VD_OK)
		rc = userkeys_make(vd, u.id, password, &uk, recovery, NULL);
	/* A candidate's pair has no recovery: a forgotten password means a new
	 * invitation (what they saved then starts again; what they submitted
	 * the committee still reads). */
	crypto_wipe(recovery, sizeof recovery);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		int64_t taken = 0, exp2 = 0;
		rc = s->ops->candidate_link_take(s, hash, &taken, &exp2);
		/* still the same link, still valid, and no other link of the
		 * account spent meanwhile */
		if (rc == VD_OK && (taken != did || exp2 <= clock_now() || userkeys_exist(vd, u.id) != reset))
			rc = VD_ERR_NOTFOUND;
		if (rc == VD_OK)
			rc = s->ops->user_set_password(s, u.id, pwhash, 0);
		if (rc == VD_OK)
			rc = userkeys_store(vd, &uk);
		if (rc == VD_OK && reset)
			rc = forget_drafts(vd, &a, u.id);
		if (rc == VD_OK)
			rc = audit_record(vd, u.id, "declaration.accept", "declaration", did);
		rc = app_end(vd, rc, 0);
	}
	if (rc == VD_OK)
		snprintf(email, 256, "%s", u.email);
	crypto_wipe(pwhash, sizeof pwhash);
	crypto_wipe(&uk, sizeof uk);
	arena_release(&a);
	return rc;
}
