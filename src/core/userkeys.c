/* userkeys: see userkeys.h. */

#include <stdio.h>
#include <string.h>

#include "../util/text.h"
#include "internal/userkeys.h"

/* The associated data binds each wrapped key to its owner and its purpose. */
static void ad_for(int64_t user_id, bool recovery, char ad[64])
{
	snprintf(ad, 64, "user %lld secret key by %s", (long long)user_id, recovery ? "recovery" : "password");
}

/* The recovery key as a person reads it: no separators, upper case. */
static int recovery_normal(const char *typed, char out[RECOVERY_CHARS + 1])
{
	size_t n = 0;
	for (const char *p = typed; *p; p++) {
		if (*p == '-' || *p == ' ' || *p == '\t')
			continue;
		int v = text_b32_value(*p);
		if (v < 0 || n == RECOVERY_CHARS)
			return VD_ERR_INVALID;
		out[n++] = text_b32_alphabet[v];
	}
	out[n] = '\0';
	return n == RECOVERY_CHARS ? VD_OK : VD_ERR_INVALID;
}

/* Encrypts sk under a key derived from secret with a fresh salt. */
static int wrap(struct vd *vd, int64_t user_id, bool recovery, const char *secret,
		const unsigned char sk[CRYPTO_SK_LEN], unsigned char salt[CRYPTO_SALT_LEN],
		unsigned char wrapped[STORE_WRAPPED_KEY_LEN])
{
	unsigned char kek[CRYPTO_KEY_LEN];
	char ad[64];
	crypto_random(salt, CRYPTO_SALT_LEN);
	int rc = crypto_derive_key(&vd->pwcost, secret, strlen(secret), salt, kek);
	if (rc == VD_OK) {
		ad_for(user_id, recovery, ad);
		crypto_encrypt(kek, ad, sk, CRYPTO_SK_LEN, wrapped);
	}
	crypto_wipe(kek, sizeof kek);
	return rc;
}

bool userkeys_exist(struct vd *vd, int64_t user_id)
{
	struct user_key_rec k;
	bool found = vd->store->ops->user_key_get(vd->store, user_id, &k) == VD_OK;
	crypto_wipe(&k, sizeof k);
	return found;
}

int userkeys_make(struct vd *vd, int64_t user_id, const char *password, struct user_key_rec *out,
		  char recovery_out[RECOVERY_TEXT_LEN + 1], unsigned char *sk_out)
{
	unsigned char sk[CRYPTO_SK_LEN];
	char recovery[RECOVERY_CHARS + 1];
	memset(out, 0, sizeof *out);
	out->user_id = user_id;
	out->created_at = clock_now();
	crypto_keypair(out->public_key, sk);
	size_t o = 0;
	for (int i = 0; i < RECOVERY_CHARS; i++) {
		recovery[i] = text_b32_alphabet[crypto_random_below(32)];
		if (i && i % 5 == 0)
			recovery_out[o++] = '-';
		recovery_out[o++] = recovery[i];
	}
	recovery[RECOVERY_CHARS] = '\0';
	recovery_out[o] = '\0';
	int rc = wrap(vd, user_id, false, password, sk, out->password_salt, out->sk_by_password);
	if (rc == VD_OK)
		rc = wrap(vd, user_id, true, recovery, sk, out->recovery_salt, out->sk_by_recovery);
	if (rc == VD_OK && sk_out)
		memcpy(sk_out, sk, sizeof sk);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(recovery, sizeof recovery);
	if (rc)
		crypto_wipe(recovery_out, RECOVERY_TEXT_LEN + 1);
	return rc;
}

int userkeys_open(struct vd *vd, int64_t user_id, const char *secret, bool recovery,
		  unsigned char sk_out[CRYPTO_SK_LEN])
{
	struct user_key_rec k;
	char normal[RECOVERY_CHARS + 1];
	unsigned char kek[CRYPTO_KEY_LEN];
	char ad[64];
	int rc = vd->store->ops->user_key_get(vd->store, user_id, &k);
	if (rc)
		return rc;
	if (recovery && recovery_normal(secret, normal) != VD_OK) {
		rc = VD_ERR_AUTH;
		goto out;
	}
	const char *s = recovery ? normal : secret;
	rc = crypto_derive_key(&vd->pwcost, s, strlen(s), recovery ? k.recovery_salt : k.password_salt, kek);
	if (rc == VD_OK) {
		ad_for(user_id, recovery, ad);
		rc = crypto_decrypt(kek, ad, recovery ? k.sk_by_recovery : k.sk_by_password,
				    STORE_WRAPPED_KEY_LEN, sk_out);
	}
out:
	crypto_wipe(kek, sizeof kek);
	crypto_wipe(normal, sizeof normal);
	crypto_wipe(&k, sizeof k);
	return rc;
}

int userkeys_rewrap(struct vd *vd, int64_t user_id, const unsigned char sk[CRYPTO_SK_LEN],
		    const char *new_password, struct user_key_rec *out)
{
	int rc = vd->store->ops->user_key_get(vd->store, user_id, out);
	if (rc == VD_OK)
		rc = wrap(vd, user_id, false, new_password, sk, out->password_salt, out->sk_by_password);
	return rc;
}

int userkeys_unseal(struct vd *vd, const struct principal *who, const unsigned char *sealed, size_t len,
		    unsigned char *out)
{
	struct user_key_rec uk;
	unsigned char sk[CRYPTO_SK_LEN];
	int rc = principal_secret_key(who, sk);
	if (rc == VD_OK)
		rc = vd->store->ops->user_key_get(vd->store, who->user_id, &uk);
	if (rc == VD_OK)
		rc = crypto_unseal(uk.public_key, sk, sealed, len, out);
	crypto_wipe(sk, sizeof sk);
	return rc;
}

int userkeys_store(struct vd *vd, const struct user_key_rec *k)
{
	return vd->store->ops->user_key_put(vd->store, k);
}
