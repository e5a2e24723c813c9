/*
 * userkeys: each staff user's X25519 key pair (DESIGN.md §4).
 *
 * Case keys will be sealed to a user's public key; only the secret half opens
 * them. That secret half is stored twice, never in the clear: encrypted under a
 * key derived from the user's password (Argon2id), and under a key derived from
 * a recovery key that is shown to the user once, when the pair is made.
 *
 * Consequences, on purpose: an administrator who resets a password cannot
 * open anything the user could; after a reset the user needs their recovery
 * key (or gives up access to what was sealed to the old pair and gets a new
 * one). A changed password re-wraps the same pair.
 *
 * The functions that derive keys are slow (one Argon2id each) and must be
 * called outside a write transaction; userkeys_store is the one that writes.
 */
#ifndef VD_USERKEYS_H
#define VD_USERKEYS_H

#include <stdbool.h>

#include "app.h"

/* RECOVERY_CHARS and RECOVERY_TEXT_LEN are in accounts.h (a page shows it). */

/* True if user_id has a key pair. */
bool userkeys_exist(struct vd *vd, int64_t user_id);

/* Makes a new pair for user_id, wrapped under password and a new recovery key
 * (written to recovery_out, for the caller to show once and wipe). *out is then
 * ready for userkeys_store. sk_out, when not NULL, gets the secret key (the
 * caller wipes it). */
int userkeys_make(struct vd *vd, int64_t user_id, const char *password, struct user_key_rec *out,
		  char recovery_out[RECOVERY_TEXT_LEN + 1], unsigned char *sk_out);

/* Opens the secret key with the password (recovery false) or the recovery key.
 * VD_ERR_NOTFOUND: no pair; VD_ERR_AUTH: that secret does not open it. */
int userkeys_open(struct vd *vd, int64_t user_id, const char *secret, bool recovery,
		  unsigned char sk_out[CRYPTO_SK_LEN]);

/* Re-wraps an opened secret key under a new password (the recovery wrap stays). */
int userkeys_rewrap(struct vd *vd, int64_t user_id, const unsigned char sk[CRYPTO_SK_LEN],
		    const char *new_password, struct user_key_rec *out);

/* Opens sealed (a key sealed to who's public key) with the secret key
 * who's session holds, into out (len - CRYPTO_SEAL_OVERHEAD bytes; the
 * caller wipes it). VD_ERR_NOKEY when the session holds no key; the
 * unsealing's error when it does not open. */
int userkeys_unseal(struct vd *vd, const struct principal *who, const unsigned char *sealed, size_t len,
		    unsigned char *out);

/* Writes a pair made or re-wrapped above (inside the caller's transaction). */
int userkeys_store(struct vd *vd, const struct user_key_rec *k);

#endif
