/* twofactor: see twofactor.h. */
#include "twofactor.h"

#include <stdio.h>
#include <string.h>

#include "../crypto/totp.h"
#include "../util/buf.h"
#include "../util/wipe.h"
#include "../util/text.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/sessions.h"
#include "internal/throttle.h"
#include "sessions.h"

#define SEALED_LEN (TOTP_SECRET_LEN + CRYPTO_AEAD_OVERHEAD)
/* backup codes: no 0/O, 1/I/L, so that a code read off paper is typed right */
static const char backup_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

bool twofactor_required(struct vd *vd, enum vd_role role)
{
	return (vd->cfg.two_factor_roles >> role) & 1u;
}

/* The key that seals the secrets: from the data directory's key, apart
 * from its other uses. The associated data names the user, so a secret
 * moved to another row does not open. */
static void sealing_key(struct vd *vd, unsigned char key[CRYPTO_KEY_LEN])
{
	crypto_derive_fast("vertrouwd totp secret", vd->secret, CRYPTO_KEY_LEN, key);
}

static void secret_ad(int64_t user_id, char ad[48])
{
	snprintf(ad, 48, "totp user %lld", (long long)user_id);
}

/* The user's secret, opened; VD_ERR_NOTFOUND when there is none. */
static int open_secret(struct vd *vd, struct arena *a, int64_t user_id, unsigned char secret[TOTP_SECRET_LEN],
		       struct user_totp_rec *t)
{
	int rc = vd->store->ops->user_totp_get(vd->store, a, user_id, t);
	if (rc)
		return rc;
	if (!t->secret)
		return VD_ERR_NOTFOUND;
	if (t->secret_len != SEALED_LEN)
		return VD_ERR_STORE;
	unsigned char key[CRYPTO_KEY_LEN];
	char ad[48];
	sealing_key(vd, key);
	secret_ad(user_id, ad);
	rc = crypto_decrypt(key, ad, t->secret, t->secret_len, secret);
	crypto_wipe(key, sizeof key);
	return rc == VD_OK ? VD_OK : VD_ERR_STORE;
}

static void factor_key(struct vd *vd, int64_t user_id, struct throttle_key *k)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)user_id);
	throttle_key(vd->secret, TH_FACTOR, id, strlen(id), NULL, 0, k);
}

/* A backup code as typed ("abcd efgh", "ABCD-EFGH") in its one form, or
 * false when it cannot be one. */
static bool backup_normal(const char *in, char out[9])
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		if (c == '-' || c == ' ')
			continue;
		if (n == 8 || !strchr(backup_alphabet, c) || c == '\0') {
			wipe(out, 9);
			return false;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 8;
}

static void backup_hash(struct vd *vd, const char normal[9], unsigned char out[STORE_BACKUP_HASH_LEN])
{
	_Static_assert(STORE_BACKUP_HASH_LEN == CRYPTO_MAC_LEN, "backup hash size");
	crypto_mac(vd->secret, "backup code", normal, 8, out);
}

int twofactor_status(struct vd *vd, const struct principal *who, struct twofactor_status *out)
{
	memset(out, 0, sizeof *out);
	if (!who->user_id)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct user_totp_rec t;
	int rc = vd->store->ops->user_totp_get(vd->store, &a, who->user_id, &t);
	if (rc == VD_OK)
		rc = vd->store->ops->backup_codes_left(vd->store, who->user_id, &out->backup_left);
	out->on = rc == VD_OK && t.on;
	out->required = twofactor_required(vd, who->account.role);
	arena_release(&a);
	return rc;
}

/* Percent-encodes s into b (for the otpauth:// address). */
static int uri_part(struct buf *b, const char *s)
{
	int rc = VD_OK;
	for (const unsigned char *p = (const unsigned char *)s; rc == VD_OK && *p; p++)
		rc = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p)
			     ? buf_putc(b, (char)*p)
			     : buf_printf(b, "%%%02X", *p);
	return rc;
}

bool twofactor_setup_needed(struct vd *vd, const struct principal *who)
{
	if (!who->user_id || !twofactor_required(vd, who->account.role))
		return false;
	struct arena a;
	arena_init(&a, 0);
	struct user_totp_rec t;
	/* a store that cannot answer: needed (the setup page then fails, not the gate) */
	bool needed = vd->store->ops->user_totp_get(vd->store, &a, who->user_id, &t) != VD_OK || !t.on;
	arena_release(&a);
	return needed;
}

int twofactor_setup_begin(struct vd *vd, const struct principal *who, bool fresh,
			  char text[TWOFACTOR_SECRET_TEXT + 1], char uri[TWOFACTOR_URI_MAX])
{
	text[0] = uri[0] = '\0';
	if (!who->user_id || who->second_factor_due)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct user_totp_rec t;
	unsigned char secret[TOTP_SECRET_LEN], sealed[SEALED_LEN], key[CRYPTO_KEY_LEN];
	int rc = vd->store->ops->user_totp_get(vd->store, &a, who->user_id, &t);
	if (rc == VD_OK && t.on)
		rc = VD_ERR_EXISTS;
	bool pending = rc == VD_OK && !fresh && t.secret && open_secret(vd, &a, who->user_id, secret, &t) == VD_OK;
	if (!pending)
		totp_new_secret(secret);
	char ad[48];
	sealing_key(vd, key);
	secret_ad(who->user_id, ad);
	crypto_encrypt(key, ad, secret, sizeof secret, sealed);
	crypto_wipe(key, sizeof key);
	if (rc == VD_OK && !pending)
		rc = vd->store->ops->user_totp_put(vd->store, who->user_id, sealed, sizeof sealed, 0, NULL, 0);
	if (rc == VD_OK)
		rc = totp_base32(secret, text);
	struct buf b;
	buf_init(&b, 4 * TWOFACTOR_URI_MAX);
	b.secret = true; /* it holds the secret */
	int urc = buf_puts(&b, "otpauth://totp/");
	urc |= uri_part(&b, vd->cfg.org_name);
	urc |= buf_puts(&b, ":");
	urc |= uri_part(&b, who->account.email);
	urc |= buf_printf(&b, "?secret=%s&issuer=", text);
	urc |= uri_part(&b, vd->cfg.org_name);
	urc |= buf_printf(&b, "&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP_SECONDS);
	if (rc == VD_OK && !urc && b.data && b.len < TWOFACTOR_URI_MAX)
		memcpy(uri, b.data, b.len + 1);
	else if (rc == VD_OK)
		rc = VD_ERR_TOOBIG;
	buf_release_wipe(&b);
	crypto_wipe(secret, sizeof secret);
	if (rc)
		crypto_wipe(text, TWOFACTOR_SECRET_TEXT + 1);
	arena_release(&a);
	return rc;
}

/* How a code is checked: against the secret that is on (a login, turning
 * it off), or against the one being set up, with backup codes or not. */
enum check_against { AGAINST_ON, AGAINST_PENDING };

/* Checks a code of user_id's secret (t, as read), a step once: the step is
 * recorded as used. VD_ERR_AUTH for a wrong one. The caller tries the
 * throttle first (factor_try). */
static int check_code(struct vd *vd, int64_t user_id, const struct user_totp_rec *t, enum check_against against,
		      const char *code, bool backup_ok, int64_t *backup_left)
{
	*backup_left = -1;
	if (!t->secret || (against == AGAINST_ON) != (t->on != 0))
		return VD_ERR_NOTFOUND;
	int64_t now = clock_now();
	unsigned char secret[TOTP_SECRET_LEN], key[CRYPTO_KEY_LEN];
	char ad[48];
	sealing_key(vd, key);
	secret_ad(user_id, ad);
	int rc = t->secret_len == SEALED_LEN && crypto_decrypt(key, ad, t->secret, t->secret_len, secret) == VD_OK
			 ? VD_OK
			 : VD_ERR_STORE;
	crypto_wipe(key, sizeof key);
	uint64_t step = 0;
	char normal[9];
	if (rc == VD_OK && totp_check(secret, code, now, &step) == VD_OK) {
		/* a code works once: not again, nor one of an earlier step */
		rc = vd->store->ops->user_totp_use_step(vd->store, user_id, (int64_t)step);
		rc = rc == VD_ERR_NOTFOUND ? VD_ERR_AUTH : rc;
	} else if (rc == VD_OK && backup_ok && backup_normal(code, normal)) {
		unsigned char h[STORE_BACKUP_HASH_LEN];
		backup_hash(vd, normal, h);
		rc = vd->store->ops->backup_code_use(vd->store, user_id, h, backup_left);
		rc = rc == VD_ERR_NOTFOUND ? VD_ERR_AUTH : rc;
	} else if (rc == VD_OK) {
		rc = VD_ERR_AUTH;
	}
	crypto_wipe(normal, sizeof normal);
	crypto_wipe(secret, sizeof secret);
	return rc;
}

/* Every code check is a try of the account's counter, in the store and
 * outside the transaction of the check (whose rollback would take the
 * failure back): counted as a failure up front, VD_ERR_THROTTLED with
 * *retry_after when it must wait. */
static int factor_try(struct vd *vd, int64_t user_id, struct throttle_key *k, int64_t *retry_after)
{
	factor_key(vd, user_id, k);
	*retry_after = throttle_stored_try(vd, TH_FACTOR, k, clock_now());
	return *retry_after > 0 ? VD_ERR_THROTTLED : VD_OK;
}

/* A right code takes only its own try back, so it does not wipe out
 * someone else's guesses. */
static int factor_done(struct vd *vd, const struct throttle_key *k, int rc)
{
	if (rc == VD_OK)
		throttle_stored_undo(vd, k);
	return rc;
}

int twofactor_setup_finish(struct vd *vd, const struct principal *who, const char *code,
			   char codes[TWOFACTOR_BACKUP_CODES][TWOFACTOR_BACKUP_LEN + 1], int64_t *retry_after)
{
	*retry_after = 0;
	if (!who->user_id || who->second_factor_due)
		return VD_ERR_DENIED;
	unsigned char hashes[TWOFACTOR_BACKUP_CODES][STORE_BACKUP_HASH_LEN];
	for (int i = 0; i < TWOFACTOR_BACKUP_CODES; i++) {
		char normal[9];
		for (int j = 0; j < 8; j++)
			normal[j] = backup_alphabet[crypto_random_below(sizeof backup_alphabet - 1)];
		normal[8] = '\0';
		snprintf(codes[i], TWOFACTOR_BACKUP_LEN + 1, "%.4s-%.4s", normal, normal + 4);
		backup_hash(vd, normal, hashes[i]);
		crypto_wipe(normal, sizeof normal);
	}
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	struct throttle_key k;
	/* one transaction: the secret checked is the secret turned on, and two
	 * tabs confirming at once turn it on once */
	int rc = factor_try(vd, who->user_id, &k, retry_after);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		struct user_totp_rec t;
		int64_t unused;
		rc = s->ops->user_totp_get(s, &a, who->user_id, &t);
		if (rc == VD_OK && t.on)
			rc = VD_ERR_EXISTS;
		if (rc == VD_OK)
			rc = check_code(vd, who->user_id, &t, AGAINST_PENDING, code, false, &unused);
		if (rc == VD_OK) {
			/* on, with the backup codes; the step just used stays used */
			struct user_totp_rec used;
			rc = s->ops->user_totp_get(s, &a, who->user_id, &used);
			if (rc == VD_OK)
				rc = s->ops->user_totp_put(s, who->user_id, t.secret, t.secret_len, 1,
							   (const unsigned char(*)[STORE_BACKUP_HASH_LEN])hashes,
							   TWOFACTOR_BACKUP_CODES);
			if (rc == VD_OK)
				rc = s->ops->user_totp_use_step(s, who->user_id, used.last_step);
		}
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "twofactor.on", "user", who->user_id);
		rc = factor_done(vd, &k, app_end(vd, rc, 0));
	}
	crypto_wipe(hashes, sizeof hashes);
	if (rc)
		crypto_wipe(codes, sizeof(char[TWOFACTOR_BACKUP_CODES][TWOFACTOR_BACKUP_LEN + 1]));
	arena_release(&a);
	return rc;
}

int twofactor_disable(struct vd *vd, const struct principal *who, const char *code, int64_t *retry_after)
{
	*retry_after = 0;
	if (!who->user_id || who->second_factor_due || twofactor_required(vd, who->account.role))
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	struct throttle_key k;
	int rc = factor_try(vd, who->user_id, &k, retry_after);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		struct user_totp_rec t;
		int64_t unused;
		rc = s->ops->user_totp_get(s, &a, who->user_id, &t);
		if (rc == VD_OK)
			rc = check_code(vd, who->user_id, &t, AGAINST_ON, code, false, &unused);
		if (rc == VD_OK)
			rc = s->ops->user_totp_put(s, who->user_id, NULL, 0, 0, NULL, 0);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "twofactor.off", "user", who->user_id);
		rc = factor_done(vd, &k, app_end(vd, rc, 0));
	}
	arena_release(&a);
	return rc == VD_ERR_NOTFOUND ? VD_ERR_AUTH : rc;
}

int twofactor_answer(struct vd *vd, const struct principal *who, const char *code,
		     char token_out[SESSION_TOKEN_CHARS + 1], int64_t *retry_after, int64_t *backup_left)
{
	*retry_after = 0;
	*backup_left = -1;
	token_out[0] = '\0';
	if (!who->user_id || !who->second_factor_due)
		return VD_ERR_NOTFOUND;
	char trimmed[64];
	snprintf(trimmed, sizeof trimmed, "%s", code ? code : "");
	struct arena a;
	arena_init(&a, 0);
	struct user_totp_rec t;
	struct throttle_key k;
	int rc = vd->store->ops->user_totp_get(vd->store, &a, who->user_id, &t);
	if (rc == VD_OK)
		rc = factor_try(vd, who->user_id, &k, retry_after);
	if (rc == VD_OK)
		rc = factor_done(vd, &k, check_code(vd, who->user_id, &t, AGAINST_ON, text_trim(trimmed), true, backup_left));
	if (rc == VD_ERR_NOTFOUND)
		rc = VD_ERR_AUTH; /* turned off since the password: log in again */
	crypto_wipe(trimmed, sizeof trimmed);
	arena_release(&a);
	/* a new session for the whole login, the half-way one ended: a cookie
	 * seen before the code is worth nothing after it */
	unsigned char sk[CRYPTO_SK_LEN];
	bool has_sk = rc == VD_OK && principal_secret_key(who, sk) == VD_OK;
	if (rc == VD_OK)
		rc = session_start(vd, who->user_id, has_sk ? sk : NULL, false, token_out);
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK) {
		session_end(vd, who->token);
		struct store *s = vd->store;
		if (s->ops->begin(s) == VD_OK)
			app_end(vd, audit_record(vd, who->user_id, "twofactor.login", "user", who->user_id), 0);
	}
	return rc;
}

int twofactor_reset(struct vd *vd, const struct principal *who, const char *email)
{
	if (who != &principal_system)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	struct user_rec u;
	int rc = s->ops->user_find_email(s, &a, email, &u);
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->user_totp_put(s, u.id, NULL, 0, 0, NULL, 0);
		if (rc == VD_OK)
			rc = s->ops->session_delete_user(s, u.id);
		if (rc == VD_OK)
			rc = audit_record(vd, 0, "twofactor.reset", "user", u.id);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}
