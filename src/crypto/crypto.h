/*
 * crypto: the only module that touches key material (libsodium).
 *
 * Knows bytes and keys, not tables or roles. Secrets handed out by this module
 * are the caller's to wipe with crypto_wipe() once used.
 */
#ifndef VD_CRYPTO_H
#define VD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_KEY_LEN 32       /* symmetric keys and MAC keys */
#define CRYPTO_TOKEN_LEN 32     /* random session/CSRF tokens */
#define CRYPTO_MAC_LEN 32       /* keyed BLAKE2b output */
#define CRYPTO_PWHASH_MAX 128   /* crypto_pwhash_STRBYTES */

/* Must be called once before anything else; VD_ERR_* on failure. */
int crypto_init(void);

/* Argon2id cost. The defaults are libsodium's "interactive" limits (64 MiB,
 * 2 passes: ~70 ms here). Tests may lower them through the config file. */
struct crypto_pwcost {
	unsigned long long ops;
	size_t mem;
};
void crypto_pwcost_default(struct crypto_pwcost *c);

/* Hashes a password into out (an encoded Argon2id string, NUL-terminated). */
int crypto_password_hash(const struct crypto_pwcost *c, const char *pw, size_t pwlen,
			 char out[CRYPTO_PWHASH_MAX]);
/* 0 if pw matches, VD_ERR_AUTH if not. Takes the same time either way. */
int crypto_password_verify(const char *hash, const char *pw, size_t pwlen);
/* Runs one hash of the given cost on a dummy password, so that "no such
 * account" costs as much as "wrong password". */
void crypto_password_dummy(const struct crypto_pwcost *c);

void crypto_random(void *out, size_t n);
/* A uniformly random number in [0, upper). */
unsigned crypto_random_below(unsigned upper);

/* Keyed BLAKE2b: out = MAC(key, domain || data). The domain string keeps
 * the uses of one key apart (session ids, CSRF tokens, throttle keys). */
void crypto_mac(const unsigned char key[CRYPTO_KEY_LEN], const char *domain,
		const void *data, size_t n, unsigned char out[CRYPTO_MAC_LEN]);

/* Constant-time equality of two equal-length byte strings. */
bool crypto_equal(const void *a, const void *b, size_t n);

void crypto_wipe(void *p, size_t n);

#endif
