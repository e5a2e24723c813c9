/* sessions: see sessions.h. */
#include "sessions.h"

#include <stdio.h>
#include <string.h>

#include "../util/text.h"
#include "internal/accounts.h"
#include "internal/app.h"
#include "escrow.h"
#include "internal/audit.h"
#include "internal/session_cache.h"
#include "internal/sessions.h"
#include "internal/userkeys.h"

_Static_assert(SESSION_TOKEN_CHARS == APP_TOKEN_CHARS, "a session token is an app token");

/* The keyed hash the database stores; VD_ERR_INVALID for a malformed token. */
static int token_hash(struct vd *vd, const char *token, unsigned char out[STORE_TOKEN_HASH_LEN])
{
	unsigned char raw[CRYPTO_TOKEN_LEN];
	if (!token || text_b64url_decode(token, raw, sizeof raw) != VD_OK)
		return VD_ERR_INVALID;
	crypto_mac(vd->secret, "session", raw, sizeof raw, out);
	crypto_wipe(raw, sizeof raw);
	return VD_OK;
}

/* The key that wraps the user's secret key in a session: from the raw cookie
 * token only (not the server secret), so only the cookie's holder can open it. */
static int session_kek(const char *token, unsigned char kek[CRYPTO_KEY_LEN])
{
	unsigned char raw[CRYPTO_TOKEN_LEN];
	if (text_b64url_decode(token, raw, sizeof raw) != VD_OK)
		return VD_ERR_INVALID;
	crypto_derive_fast("session-key", raw, sizeof raw, kek);
	crypto_wipe(raw, sizeof raw);
	return VD_OK;
}

#define SESSION_SK_AD "session secret key"

/* sk wrapped under the key token gives. */
static void wrap_sk(const char *token, const unsigned char sk[CRYPTO_SK_LEN],
		    unsigned char out[STORE_WRAPPED_KEY_LEN])
{
	_Static_assert(STORE_WRAPPED_KEY_LEN == CRYPTO_SK_LEN + CRYPTO_AEAD_OVERHEAD, "wrapped key size");
	unsigned char kek[CRYPTO_KEY_LEN];
	session_kek(token, kek);
	crypto_encrypt(kek, SESSION_SK_AD, sk, CRYPTO_SK_LEN, out);
	crypto_wipe(kek, sizeof kek);
}

int session_token_hash(struct vd *vd, const char *token, unsigned char out[STORE_TOKEN_HASH_LEN])
{
	return token_hash(vd, token, out);
}

int session_start(struct vd *vd, int64_t user_id, const unsigned char *sk, bool second_factor_due,
		  char token_out[SESSION_TOKEN_CHARS + 1])
{
	struct session_rec r;
	memset(&r, 0, sizeof r);
	int64_t now = clock_now();
	app_token_random(token_out);
	token_hash(vd, token_out, r.token_hash);
	if (sk) {
		wrap_sk(token_out, sk, r.sk_wrapped);
		r.has_sk = 1;
	}
	r.user_id = user_id;
	r.created_at = now;
	r.last_seen_at = now;
	r.expires_at = now + vd->cfg.session_max_seconds;
	r.second_factor_due = second_factor_due;
	/* The session and its audit entry commit together. */
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->session_insert(s, &r);
		if (rc == VD_OK)
			rc = audit_record(vd, user_id, "login", "user", user_id);
		rc = app_end(vd, rc, 0);
	}
	if (rc)
		crypto_wipe(token_out, SESSION_TOKEN_CHARS + 1);
	crypto_wipe(&r, sizeof r);
	return rc;
}

int session_login(struct vd *vd, struct arena *a, const char *email, const char *password,
		  const struct login_attempt *from, const char *old_token, char token_out[SESSION_TOKEN_CHARS + 1],
		  struct account *out, int64_t *retry_after)
{
	int rc = account_login(vd, a, email, password, from, out, retry_after);
	if (rc)
		return rc;
	/* The browser's old session first (rotation): if the new one cannot be
	 * made, none is left behind for the next person at this browser. */
	if (old_token)
		session_end(vd, old_token);
	/* The session keeps the user's secret key, opened with the password
	 * (none yet before the first own password, or after a reset). */
	unsigned char sk[CRYPTO_SK_LEN];
	bool has_sk = userkeys_open(vd, out->id, password, false, sk) == VD_OK;
	/* with a second factor on, the session waits for it (twofactor.h) */
	struct user_totp_rec t;
	rc = vd->store->ops->user_totp_get(vd->store, a, out->id, &t);
	if (rc == VD_OK)
		rc = session_start(vd, out->id, has_sk ? sk : NULL, t.on != 0, token_out);
	if (rc == VD_OK && has_sk) {
		/* cases from before the escrow get their copy now (escrow.h);
		 * best effort: the next login tries again */
		struct principal p;
		int64_t n;
		principal_init(&p, out->id, out->role, sk);
		escrow_cover(vd, &p, &n);
		crypto_wipe(&p, sizeof p);
	}
	crypto_wipe(sk, sizeof sk);
	return rc;
}

/* Ends the session of hash h outside a transaction (a lapsed one). */
static void drop(struct vd *vd, const unsigned char *h)
{
	vd->store->ops->session_delete(vd->store, h);
	session_cache_forget(vd->sessions); /* after the write: app_end says why */
}

/* The session of hash h and its account: from the session cache, or in one
 * read of both (every staff request passes here: bench/README.md). */
static int load(struct vd *vd, struct arena *a, const unsigned char *h, struct session_rec *r, struct account *acc)
{
	if (session_cache_get(vd->sessions, h, a, r, acc))
		return VD_OK;
	uint64_t epoch = session_cache_epoch(vd->sessions);
	struct user_rec u;
	int rc = vd->store->ops->session_user_get(vd->store, a, h, r, &u);
	if (rc == VD_OK) {
		account_of(&u, acc);
		session_cache_put(vd->sessions, epoch, r, acc);
	}
	return rc;
}

int session_check(struct vd *vd, struct arena *a, const char *token, const struct principal **out)
{
	unsigned char h[STORE_TOKEN_HASH_LEN];
	*out = NULL;
	if (token_hash(vd, token, h) != VD_OK)
		return VD_ERR_NOTFOUND;
	struct session_rec r;
	struct account acc;
	int rc = load(vd, a, h, &r, &acc);
	if (rc)
		return rc;
	int64_t now = clock_now();
	if (now >= r.expires_at || now - r.last_seen_at >= vd->cfg.session_idle_seconds) {
		drop(vd, h);
		crypto_wipe(&r, sizeof r);
		return VD_ERR_NOTFOUND;
	}
	struct principal *p = arena_alloc(a, sizeof *p);
	rc = p ? VD_OK : VD_ERR_NOMEM;
	if (p)
		p->account = acc;
	if (rc == VD_OK && (!p->account.active || p->account.role == ROLE_NONE)) {
		drop(vd, h);
		rc = VD_ERR_NOTFOUND;
	}
	if (rc == VD_OK) {
		/* Write the last use at most once a minute: a page view should not
		 * always cost a durable commit. */
		if (now - r.last_seen_at >= 60) {
			vd->store->ops->session_touch(vd->store, h, now);
			session_cache_forget(vd->sessions);
		}
		p->user_id = p->account.id;
		/* a session whose second factor is due has no role's powers yet */
		p->second_factor_due = r.second_factor_due != 0;
		p->role = p->second_factor_due ? ROLE_NONE : p->account.role;
		if (p->second_factor_due)
			p->account.role = ROLE_NONE; /* pages too: no menu, no staff upload caps */
		p->has_key = r.has_sk;
		memcpy(p->sk_wrapped, r.sk_wrapped, sizeof p->sk_wrapped);
		snprintf(p->token, sizeof p->token, "%s", token);
		*out = p;
	}
	crypto_wipe(&r, sizeof r);
	return rc;
}

const struct account *principal_account(const struct principal *p)
{
	return &p->account;
}

bool session_second_factor_due(const struct principal *p)
{
	return p->second_factor_due;
}

int principal_secret_key(const struct principal *p, unsigned char sk[CRYPTO_SK_LEN])
{
	unsigned char kek[CRYPTO_KEY_LEN];
	if (!p || !p->has_key || session_kek(p->token, kek) != VD_OK)
		return VD_ERR_NOKEY;
	int rc = crypto_decrypt(kek, SESSION_SK_AD, p->sk_wrapped, sizeof p->sk_wrapped, sk);
	crypto_wipe(kek, sizeof kek);
	return rc == VD_OK ? VD_OK : VD_ERR_NOKEY;
}

void principal_init(struct principal *p, int64_t user_id, enum vd_role role, const unsigned char *sk)
{
	memset(p, 0, sizeof *p);
	p->user_id = p->account.id = user_id;
	p->role = p->account.role = role;
	p->account.name = p->account.email = "";
	p->account.active = true;
	app_token_random(p->token);
	if (sk) {
		wrap_sk(p->token, sk, p->sk_wrapped);
		p->has_key = true;
	}
}

void session_end(struct vd *vd, const char *token)
{
	unsigned char h[STORE_TOKEN_HASH_LEN];
	struct session_rec r;
	struct store *s = vd->store;
	if (token_hash(vd, token, h) != VD_OK)
		return;
	/* The end of the session and its audit entry commit together. */
	int rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->session_get(s, h, &r);
		if (rc == VD_OK)
			rc = s->ops->session_delete(s, h);
		if (rc == VD_OK)
			rc = audit_record(vd, r.user_id, "logout", "user", r.user_id);
		rc = app_end(vd, rc, 0);
		crypto_wipe(&r, sizeof r);
	}
	/* Ending the session matters more than recording it. */
	if (rc && rc != VD_ERR_NOTFOUND)
		drop(vd, h);
}

int session_purge(struct vd *vd)
{
	int64_t now = clock_now();
	int rc = vd->store->ops->session_purge(vd->store, now - vd->cfg.session_idle_seconds, now);
	session_cache_forget(vd->sessions);
	return rc;
}
