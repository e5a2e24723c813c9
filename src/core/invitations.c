/* invitations: see invitations.h. */

#include <stdio.h>
#include <string.h>

#include "../util/text.h"
#include "internal/invitations.h"
#include "internal/notify.h"

#define TOKEN_BYTES (INVITATION_TOKEN_HEX / 2)

static void token_hash(struct vd *vd, const unsigned char token[TOKEN_BYTES], unsigned char out[CRYPTO_MAC_LEN])
{
	crypto_mac(vd->secret, "invitation-token", token, TOKEN_BYTES, out);
}

static void code_ad(char *ad, size_t n, int64_t case_id)
{
	snprintf(ad, n, "invitation case %lld", (long long)case_id);
}

int invitation_add(struct vd *vd, int64_t case_id, const char *code, const char *email)
{
	unsigned char token[TOKEN_BYTES], key[CRYPTO_KEY_LEN];
	unsigned char sealed[RECEIPT_TEXT_LEN + CRYPTO_AEAD_OVERHEAD];
	char hex[INVITATION_TOKEN_HEX + 1], ad[64];
	if (strlen(code) != RECEIPT_TEXT_LEN)
		return VD_ERR_INVALID;
	crypto_random(token, sizeof token);
	text_hex_encode(token, sizeof token, hex);
	struct invitation_rec v = { .case_id = case_id, .expires_at = clock_now() + INVITATION_DAYS * 86400,
				    .code = sealed, .code_len = sizeof sealed };
	token_hash(vd, token, v.token_hash);
	crypto_derive_fast("invitation-key", token, sizeof token, key);
	code_ad(ad, sizeof ad, case_id);
	crypto_encrypt(key, ad, code, RECEIPT_TEXT_LEN, sealed);
	int rc = vd->store->ops->invitation_insert(vd->store, &v);
	if (rc == VD_OK)
		rc = notify_invitation(vd, email, hex);
	crypto_wipe(token, sizeof token);
	crypto_wipe(key, sizeof key);
	crypto_wipe(hex, sizeof hex);
	return rc;
}

int invitation_redeem(struct vd *vd, const char *token_text, char code[RECEIPT_TEXT_LEN + 1])
{
	unsigned char token[TOKEN_BYTES], key[CRYPTO_KEY_LEN];
	struct invitation_rec v;
	struct arena a;
	int rc = VD_ERR_NOTFOUND;
	if (text_hex_decode(token_text, token, sizeof token) != VD_OK)
		return VD_ERR_NOTFOUND;
	arena_init(&a, 0);
	unsigned char hash[CRYPTO_MAC_LEN];
	token_hash(vd, token, hash);
	struct store *s = vd->store;
	rc = s->ops->begin(s);
	if (rc == VD_OK) {
		/* Spent whether or not it is still valid: an expired link is gone too. */
		rc = app_end(vd, s->ops->invitation_take(s, &a, hash, &v), 0);
	}
	if (rc == VD_OK && (v.expires_at <= clock_now() || v.code_len != RECEIPT_TEXT_LEN + CRYPTO_AEAD_OVERHEAD))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK) {
		char ad[64];
		code_ad(ad, sizeof ad, v.case_id);
		crypto_derive_fast("invitation-key", token, sizeof token, key);
		rc = crypto_decrypt(key, ad, v.code, v.code_len, code) == VD_OK ? VD_OK : VD_ERR_NOTFOUND;
		code[RECEIPT_TEXT_LEN] = '\0';
	}
	crypto_wipe(token, sizeof token);
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}
