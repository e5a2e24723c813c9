/* internal/sealed: the encrypted records that hold several texts (a
 * report, a complaint, an exception): length-prefixed texts (buf_put_lp)
 * under a record's key, bound to what they are by the additional data. */
#ifndef VD_INTERNAL_SEALED_H
#define VD_INTERNAL_SEALED_H

#include <stddef.h>

#include "../../crypto/crypto.h"
#include "../../util/arena.h"

/*
 * Decrypts blob (AEAD under key, bound to ad) and reads its texts into
 * *fields[0..n), copied into the arena; the plaintext is wiped. The first
 * required texts must be there; a record that ends before the others (an
 * older one, written before they existed) leaves them "". The decryption's
 * error when it does not open; VD_ERR_STORE for a damaged record.
 */
int sealed_texts_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		      const unsigned char *blob, size_t len, const char **const fields[], size_t n, size_t required);

/* The other way round: texts[0..n) (NULL counts as "") length-prefixed and
 * encrypted under key, bound to ad, into *blob (in the arena), *len bytes. */
int sealed_texts_seal(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		      const char *const texts[], size_t n, unsigned char **blob, size_t *len);

/* One text, as sealed_texts_seal with n = 1 would not need: a plain AEAD of
 * text (a letter, a reason), and its opening ("" for a NULL blob). */
int sealed_text_seal(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const char *text,
		     unsigned char **blob, size_t *len);
int sealed_text_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		     const unsigned char *blob, size_t len, const char **text);

#endif
