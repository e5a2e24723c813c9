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
#define CRYPTO_DIGEST_LEN 32    /* unkeyed BLAKE2b-256 */

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
/* True if hash was made with another cost than c (then it is redone at login). */
bool crypto_password_needs_rehash(const char *hash, const struct crypto_pwcost *c);
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

/* Unkeyed BLAKE2b-256 of data: for values anyone may recompute and compare,
 * such as the links of the audit log's hash chain. */
void crypto_digest(const void *data, size_t n, unsigned char out[CRYPTO_DIGEST_LEN]);

/* Constant-time equality of two equal-length byte strings. */
bool crypto_equal(const void *a, const void *b, size_t n);

void crypto_wipe(void *p, size_t n);

/* Memory for a long-lived secret (the data directory's key): guard pages
 * around it, never swapped, wiped when freed (sodium_malloc). NULL on
 * failure. crypto_secret_readonly makes it read-only once filled in. */
void *crypto_secret_alloc(size_t n);
void crypto_secret_readonly(void *p);
void crypto_secret_free(void *p);

/* ---- keys and encryption (box.c) -----------------------------------------
 *
 * Case content is encrypted with a random 32-byte key per case (DESIGN.md §4).
 * Records are sealed with XChaCha20-Poly1305 and "associated data" naming the
 * record (e.g. "case 12 message 3"), so a ciphertext cannot be moved to
 * another row unnoticed. Keys are handed to readers by sealing them to an
 * X25519 public key (crypto_box_seal) or by wrapping them under a key derived
 * from a password or code (Argon2id, crypto_pwhash).
 */
#define CRYPTO_PK_LEN 32
#define CRYPTO_SK_LEN 32
#define CRYPTO_SALT_LEN 16
#define CRYPTO_AEAD_OVERHEAD 40 /* 24-byte nonce + 16-byte tag */
#define CRYPTO_SEAL_OVERHEAD 48 /* crypto_box_SEALBYTES */

/* A new X25519 key pair; sk is the caller's to wipe. */
void crypto_keypair(unsigned char pk[CRYPTO_PK_LEN], unsigned char sk[CRYPTO_SK_LEN]);
/* The public half that belongs to sk (to check a key pair kept as text). */
int crypto_public_key(const unsigned char sk[CRYPTO_SK_LEN], unsigned char pk[CRYPTO_PK_LEN]);
/* A new random symmetric key. */
void crypto_key_new(unsigned char key[CRYPTO_KEY_LEN]);

/* out (n + CRYPTO_AEAD_OVERHEAD bytes) = nonce || ciphertext || tag. */
void crypto_encrypt(const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const void *msg, size_t n,
		    unsigned char *out);
/* in is n bytes from crypto_encrypt; out gets n - CRYPTO_AEAD_OVERHEAD bytes.
 * VD_ERR_AUTH if the key, the associated data or a single byte is wrong. */
int crypto_decrypt(const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const unsigned char *in,
		   size_t n, void *out);

/* out (n + CRYPTO_SEAL_OVERHEAD bytes): msg sealed to pk; only sk opens it. */
void crypto_seal(const unsigned char pk[CRYPTO_PK_LEN], const void *msg, size_t n, unsigned char *out);
int crypto_unseal(const unsigned char pk[CRYPTO_PK_LEN], const unsigned char sk[CRYPTO_SK_LEN],
		  const unsigned char *in, size_t n, void *out);

/* A 32-byte key from a password or code and a salt (Argon2id at cost c).
 * Slow on purpose. VD_ERR_NOMEM if the memory cannot be had. */
int crypto_derive_key(const struct crypto_pwcost *c, const char *secret, size_t n,
		      const unsigned char salt[CRYPTO_SALT_LEN], unsigned char key[CRYPTO_KEY_LEN]);

/* A key from high-entropy input (a session token): fast, one BLAKE2b. */
void crypto_derive_fast(const char *domain, const void *in, size_t n, unsigned char key[CRYPTO_KEY_LEN]);

/* Signatures (Ed25519ph over a long message fed in parts): a backup is
 * signed by the server that made it, so one made by anybody else who knows
 * the public half it is sealed to is refused on restore. */
#define CRYPTO_SIGN_PK_LEN 32
#define CRYPTO_SIGN_SK_LEN 64
#define CRYPTO_SIG_LEN 64
struct crypto_signer {
	_Alignas(16) unsigned char state[224]; /* libsodium's state; checked in box.c */
};
void crypto_sign_keypair_new(unsigned char pk[CRYPTO_SIGN_PK_LEN], unsigned char sk[CRYPTO_SIGN_SK_LEN]);
void crypto_signer_init(struct crypto_signer *sg);
void crypto_signer_update(struct crypto_signer *sg, const void *p, size_t n);
void crypto_signer_sign(struct crypto_signer *sg, const unsigned char sk[CRYPTO_SIGN_SK_LEN],
			unsigned char sig[CRYPTO_SIG_LEN]);
/* VD_OK if sig is pk's signature of what was fed, VD_ERR_AUTH if not. */
int crypto_signer_verify(struct crypto_signer *sg, const unsigned char sig[CRYPTO_SIG_LEN],
			 const unsigned char pk[CRYPTO_SIGN_PK_LEN]);

/* ---- 2 of 3 (share.c) ------------------------------------------------------
 *
 * A secret key in parts for three holders (0, 1, 2) so that any two of them
 * together give it back and one alone learns nothing of it: each holder
 * gets two parts, parts[h][k] for the pair of h and crypto_share_other(h, k).
 * Two holders h and o join their parts for their pair:
 * crypto_share_join(parts[h][crypto_share_index(h, o)], parts[o][crypto_share_index(o, h)]).
 * The caller wipes the parts and the joined secret.
 */
void crypto_share_split(const unsigned char secret[CRYPTO_KEY_LEN], unsigned char parts[3][2][CRYPTO_KEY_LEN]);
void crypto_share_join(const unsigned char a[CRYPTO_KEY_LEN], const unsigned char b[CRYPTO_KEY_LEN],
		       unsigned char secret[CRYPTO_KEY_LEN]);
int crypto_share_other(int holder, int k);
int crypto_share_index(int holder, int other);

/* ---- files (stream.c) ----------------------------------------------------
 *
 * Files are encrypted as a stream of chunks (libsodium secretstream,
 * XChaCha20-Poly1305), so a large file never sits whole in memory and a
 * reordered, cut or extended file is detected. Each chunk's ciphertext is
 * CRYPTO_STREAM_OVERHEAD bytes longer than its plaintext; the last chunk is
 * marked final, so a file cut at a chunk boundary is caught too.
 */
#define CRYPTO_STREAM_HEADER_LEN 24
#define CRYPTO_STREAM_OVERHEAD 17

struct crypto_stream {
	_Alignas(16) unsigned char state[64]; /* libsodium's state; checked in stream.c */
};

/* Starts encrypting under key; header (CRYPTO_STREAM_HEADER_LEN) goes first in the file. */
void crypto_stream_push_init(struct crypto_stream *st, const unsigned char key[CRYPTO_KEY_LEN],
			     unsigned char header[CRYPTO_STREAM_HEADER_LEN]);
/* out (n + CRYPTO_STREAM_OVERHEAD bytes) = the next chunk; final marks the last. */
void crypto_stream_push(struct crypto_stream *st, const void *in, size_t n, unsigned char *out, bool final);
/* Starts decrypting; VD_ERR_AUTH for a header that does not fit the key. */
int crypto_stream_pull_init(struct crypto_stream *st, const unsigned char key[CRYPTO_KEY_LEN],
			    const unsigned char header[CRYPTO_STREAM_HEADER_LEN]);
/* out (n - CRYPTO_STREAM_OVERHEAD bytes) = the chunk in; *final is set on the
 * last. VD_ERR_AUTH if the chunk was changed, moved or does not belong. */
int crypto_stream_pull(struct crypto_stream *st, const unsigned char *in, size_t n, void *out, bool *final);

#endif
