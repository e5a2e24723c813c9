/* sessions: see sessions.h. */
#include "sessions.h"

#include <string.h>

#include "../util/text.h"
#include "audit.h"

void session_random_token(char out[SESSION_TOKEN_CHARS + 1])
{
	unsigned char raw[CRYPTO_TOKEN_LEN];
	crypto_random(raw, sizeof raw);
	text_b64url_encode(raw, sizeof raw, out);
	crypto_wipe(raw, sizeof raw);
}

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

int session_start(struct vd *vd, int64_t user_id, const unsigned char *sk,
		  char token_out[SESSION_TOKEN_CHARS + 1])
{
	struct session_rec r;
	memset(&r, 0, sizeof r);
	int64_t now = clock_now();
	session_random_token(token_out);
	token_hash(vd, token_out, r.token_hash);
	if (sk) {
		unsigned char kek[CRYPTO_KEY_LEN];
		session_kek(token_out, kek);
		crypto_encrypt(kek, SESSION_SK_AD, sk, CRYPTO_SK_LEN, r.sk_wrapped);
		r.has_sk = 1;
		crypto_wipe(kek, sizeof kek);
	}
	r.user_id = user_id;
	r.created_at = now;
	r.last_seen_at = now;
	r.expires_at = now + vd->cfg.session_max_seconds;
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
	return rc;
}

int session_check(struct vd *vd, struct arena *a, const char *token, struct session_info *out)
{
	unsigned char h[STORE_TOKEN_HASH_LEN];
	if (token_hash(vd, token, h) != VD_OK)
		return VD_ERR_NOTFOUND;
	struct store *s = vd->store;
	struct session_rec r;
	int rc = s->ops->session_get(s, h, &r);
	if (rc)
		return rc;
	int64_t now = clock_now();
	if (now >= r.expires_at || now - r.last_seen_at >= vd->cfg.session_idle_seconds) {
		s->ops->session_delete(s, h);
		return VD_ERR_NOTFOUND;
	}
	rc = s->ops->user_get(s, a, r.user_id, &out->user);
	if (rc == VD_ERR_NOTFOUND || (rc == VD_OK && !out->user.active)) {
		s->ops->session_delete(s, h);
		return VD_ERR_NOTFOUND;
	}
	if (rc)
		return rc;
	/* Write the last use at most once a minute: a page view should not always
	 * cost a durable commit. */
	if (now - r.last_seen_at >= 60)
		s->ops->session_touch(s, h, now);
	out->actor.user_id = out->user.id;
	out->actor.role = role_parse(out->user.role);
	out->expires_at = r.expires_at;
	return out->actor.role == ROLE_NONE ? VD_ERR_NOTFOUND : VD_OK;
}

int session_secret_key(struct vd *vd, const char *token, unsigned char sk_out[CRYPTO_SK_LEN])
{
	unsigned char h[STORE_TOKEN_HASH_LEN], kek[CRYPTO_KEY_LEN];
	struct session_rec r;
	if (token_hash(vd, token, h) != VD_OK)
		return VD_ERR_NOTFOUND;
	int rc = vd->store->ops->session_get(vd->store, h, &r);
	if (rc == VD_OK && !r.has_sk)
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		rc = session_kek(token, kek);
	if (rc == VD_OK)
		rc = crypto_decrypt(kek, SESSION_SK_AD, r.sk_wrapped, STORE_WRAPPED_KEY_LEN, sk_out);
	crypto_wipe(kek, sizeof kek);
	crypto_wipe(&r, sizeof r);
	return rc;
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
		s->ops->session_delete(s, h);
}

int session_purge(struct vd *vd)
{
	int64_t now = clock_now();
	return vd->store->ops->session_purge(vd->store, now - vd->cfg.session_idle_seconds, now);
}

void csrf_token(struct vd *vd, const char *cookie_value, char out[CSRF_TOKEN_CHARS + 1])
{
	unsigned char mac[CRYPTO_MAC_LEN];
	crypto_mac(vd->secret, "csrf", cookie_value, strlen(cookie_value), mac);
	text_b64url_encode(mac, sizeof mac, out);
}

int csrf_valid(struct vd *vd, const char *cookie_value, const char *token)
{
	if (!cookie_value || !token || strlen(token) != CSRF_TOKEN_CHARS)
		return 0;
	char want[CSRF_TOKEN_CHARS + 1];
	csrf_token(vd, cookie_value, want);
	return crypto_equal(want, token, CSRF_TOKEN_CHARS);
}
