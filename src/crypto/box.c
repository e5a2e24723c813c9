/* box: keys and encryption; see crypto.h. Thin wrappers over libsodium that
 * fix the algorithms in one place. */
#include <string.h>

#include <sodium.h>

#include "../util/errors.h"
#include "crypto.h"

_Static_assert(CRYPTO_AEAD_OVERHEAD == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
					       crypto_aead_xchacha20poly1305_ietf_ABYTES, "aead overhead");
_Static_assert(CRYPTO_SEAL_OVERHEAD == crypto_box_SEALBYTES, "seal overhead");
_Static_assert(CRYPTO_PK_LEN == crypto_box_PUBLICKEYBYTES, "pk");
_Static_assert(CRYPTO_SK_LEN == crypto_box_SECRETKEYBYTES, "sk");
_Static_assert(CRYPTO_SALT_LEN == crypto_pwhash_SALTBYTES, "salt");
_Static_assert(CRYPTO_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key");

void crypto_keypair(unsigned char pk[CRYPTO_PK_LEN], unsigned char sk[CRYPTO_SK_LEN])
{
	crypto_box_keypair(pk, sk);
}

int crypto_public_key(const unsigned char sk[CRYPTO_SK_LEN], unsigned char pk[CRYPTO_PK_LEN])
{
	return crypto_scalarmult_base(pk, sk) == 0 ? VD_OK : VD_ERR_INVALID;
}

void crypto_key_new(unsigned char key[CRYPTO_KEY_LEN])
{
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

void crypto_encrypt(const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const void *msg, size_t n,
		    unsigned char *out)
{
	/* 24-byte random nonces: collisions are not a concern at any volume we see. */
	randombytes_buf(out, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, NULL,
						   msg, n, (const unsigned char *)ad, ad ? strlen(ad) : 0,
						   NULL, out, key);
}

int crypto_decrypt(const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const unsigned char *in,
		   size_t n, void *out)
{
	if (n < CRYPTO_AEAD_OVERHEAD)
		return VD_ERR_AUTH;
	const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, in + nb, n - nb,
						       (const unsigned char *)ad, ad ? strlen(ad) : 0,
						       in, key) != 0)
		return VD_ERR_AUTH;
	return VD_OK;
}

void crypto_seal(const unsigned char pk[CRYPTO_PK_LEN], const void *msg, size_t n, unsigned char *out)
{
	crypto_box_seal(out, msg, n, pk);
}

int crypto_unseal(const unsigned char pk[CRYPTO_PK_LEN], const unsigned char sk[CRYPTO_SK_LEN],
		  const unsigned char *in, size_t n, void *out)
{
	if (n < CRYPTO_SEAL_OVERHEAD || crypto_box_seal_open(out, in, n, pk, sk) != 0)
		return VD_ERR_AUTH;
	return VD_OK;
}

int crypto_derive_key(const struct crypto_pwcost *c, const char *secret, size_t n,
		      const unsigned char salt[CRYPTO_SALT_LEN], unsigned char key[CRYPTO_KEY_LEN])
{
	if (crypto_pwhash(key, CRYPTO_KEY_LEN, secret, n, salt, c->ops, c->mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return VD_ERR_NOMEM;
	return VD_OK;
}

void crypto_derive_fast(const char *domain, const void *in, size_t n, unsigned char key[CRYPTO_KEY_LEN])
{
	crypto_generichash_state st;
	unsigned char dlen = (unsigned char)strlen(domain);
	crypto_generichash_init(&st, NULL, 0, CRYPTO_KEY_LEN);
	crypto_generichash_update(&st, &dlen, 1);
	crypto_generichash_update(&st, (const unsigned char *)domain, dlen);
	crypto_generichash_update(&st, in, n);
	crypto_generichash_final(&st, key, CRYPTO_KEY_LEN);
	sodium_memzero(&st, sizeof st);
}

_Static_assert(sizeof(crypto_sign_state) <= sizeof(struct crypto_signer), "signer state");
_Static_assert(CRYPTO_SIGN_SK_LEN == crypto_sign_SECRETKEYBYTES && CRYPTO_SIG_LEN == crypto_sign_BYTES,
	       "signature sizes");

static crypto_sign_state *sign_state(struct crypto_signer *sg)
{
	return (crypto_sign_state *)(void *)sg->state;
}

void crypto_sign_keypair_new(unsigned char pk[CRYPTO_SIGN_PK_LEN], unsigned char sk[CRYPTO_SIGN_SK_LEN])
{
	crypto_sign_keypair(pk, sk);
}

void crypto_signer_init(struct crypto_signer *sg)
{
	crypto_sign_init(sign_state(sg));
}

void crypto_signer_update(struct crypto_signer *sg, const void *p, size_t n)
{
	crypto_sign_update(sign_state(sg), p, n);
}

void crypto_signer_sign(struct crypto_signer *sg, const unsigned char sk[CRYPTO_SIGN_SK_LEN],
			unsigned char sig[CRYPTO_SIG_LEN])
{
	crypto_sign_final_create(sign_state(sg), sig, NULL, sk);
}

int crypto_signer_verify(struct crypto_signer *sg, const unsigned char sig[CRYPTO_SIG_LEN],
			 const unsigned char pk[CRYPTO_SIGN_PK_LEN])
{
	return crypto_sign_final_verify(sign_state(sg), sig, pk) == 0 ? VD_OK : VD_ERR_AUTH;
}
