/* internal/codes: opening something with a typed receipt code, shared by a
 * reporter's case (cases.c) and a party's complaint mailbox
 * (complaint_parties.c): the same parsing, throttling and slow hash. */
#ifndef VD_INTERNAL_CODES_H
#define VD_INTERNAL_CODES_H

#include <stdbool.h>

#include "../cases.h"
#include "../receipt.h"
#include "app.h"
#include "throttle.h"

/* The receipt's two keys, from the secret part of the code and the cost
 * the record keeps (Argon2id): a verifier to store and compare, and the key
 * that wraps the record's key. */
int receipt_keys(struct vd *vd, const char *secret, const unsigned char salt[CRYPTO_SALT_LEN], uint32_t ops,
		 uint32_t mem_kib, unsigned char verifier[CRYPTO_KEY_LEN], unsigned char kek[CRYPTO_KEY_LEN]);

/* A new code for a record: its text to show once, and the salt, verifier
 * and Argon2id cost (ops, mem_kib: receipt_ops and receipt_mem_kib) to
 * store, and the key that wraps the record's key (kek: the caller wraps and
 * wipes). One Argon2id of the code's secret gives both keys. */
int code_new(struct vd *vd, struct receipt *r, char text[RECEIPT_TEXT_LEN + 1], unsigned char salt[CRYPTO_SALT_LEN],
	     unsigned char verifier[CRYPTO_KEY_LEN], uint32_t *ops, uint32_t *mem_kib, unsigned char kek[CRYPTO_KEY_LEN]);

/* The first half of opening with a typed code: parses it (a typo is told as
 * a typo, at no cost) and asks the throttle. false with *result set when
 * there is nothing to look up; true with r (the caller wipes it) and k. */
bool code_begin(struct vd *vd, const char *typed, const void *source, size_t source_len, struct receipt *r,
		struct throttle_key *k, enum code_result *result, int64_t *retry_after);

/* The second half, once the locator was looked up (found: salt, verifier
 * and cost are the record's): an Argon2id whether or not it was, a wrong
 * or unknown code counted against the source. CODE_OK with kek set, or
 * CODE_UNKNOWN. */
int code_finish(struct vd *vd, const struct receipt *r, const struct throttle_key *k, bool found,
		const unsigned char *salt, const unsigned char *verifier, uint32_t ops, uint32_t mem_kib,
		unsigned char kek[CRYPTO_KEY_LEN], enum code_result *result);

#endif
