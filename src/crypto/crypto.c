/* crypto: see crypto.h. Thin, deliberate wrappers over libsodium. */
#include "crypto.h"

#include <string.h>

#include <sodium.h>

#include "../util/errors.h"

int crypto_init(void)
{
	return sodium_init() < 0 ? VD_ERR_IO : VD_OK;
}

void crypto_pwcost_default(struct crypto_pwcost *c)
{
	c->ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	c->mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int crypto_password_hash(const struct crypto_pwcost *c, const char *pw, size_t pwlen,
			 char out[CRYPTO_PWHASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_PWHASH_MAX, "pwhash buffer");
	if (crypto_pwhash_str_alg(out, pw, pwlen, c->ops, c->mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return VD_ERR_NOMEM;
	return VD_OK;
}

int crypto_password_verify(const char *hash, const char *pw, size_t pwlen)
{
	return crypto_pwhash_str_verify(hash, pw, pwlen) == 0 ? VD_OK : VD_ERR_AUTH;
}

bool crypto_password_needs_rehash(const char *hash, const struct crypto_pwcost *c)
{
	return crypto_pwhash_str_needs_rehash(hash, c->ops, c->mem) != 0;
}

void crypto_password_dummy(const struct crypto_pwcost *c)
{
	char out[CRYPTO_PWHASH_MAX];
	(void)crypto_password_hash(c, "dummy-password", 14, out);
	sodium_memzero(out, sizeof out);
}

void crypto_random(void *out, size_t n)
{
	randombytes_buf(out, n);
}

unsigned crypto_random_below(unsigned upper)
{
	return (unsigned)randombytes_uniform(upper);
}

void crypto_mac(const unsigned char key[CRYPTO_KEY_LEN], const char *domain,
		const void *data, size_t n, unsigned char out[CRYPTO_MAC_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, CRYPTO_KEY_LEN, CRYPTO_MAC_LEN);
	/* Length-prefix the domain so ("ab","c") and ("a","bc") differ. */
	unsigned char dlen = (unsigned char)strlen(domain);
	crypto_generichash_update(&st, &dlen, 1);
	crypto_generichash_update(&st, (const unsigned char *)domain, dlen);
	crypto_generichash_update(&st, data, n);
	crypto_generichash_final(&st, out, CRYPTO_MAC_LEN);
	sodium_memzero(&st, sizeof st);
}

void crypto_digest(const void *data, size_t n, unsigned char out[CRYPTO_DIGEST_LEN])
{
	_Static_assert(CRYPTO_DIGEST_LEN >= crypto_generichash_BYTES_MIN &&
			       CRYPTO_DIGEST_LEN <= crypto_generichash_BYTES_MAX,
		       "hash length");
	crypto_generichash(out, CRYPTO_DIGEST_LEN, data, n, NULL, 0);
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void crypto_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

void *crypto_secret_alloc(size_t n)
{
	return sodium_malloc(n);
}

void crypto_secret_readonly(void *p)
{
	sodium_mprotect_readonly(p);
}

void crypto_secret_free(void *p)
{
	sodium_free(p);
}
