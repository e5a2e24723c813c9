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

#endif
