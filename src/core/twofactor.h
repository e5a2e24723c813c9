/*
 * twofactor: staff log in with a second factor (issue 12): a one-time code
 * from an authenticator app (TOTP, RFC 6238), or one of ten backup codes
 * for when the phone is lost.
 *
 * Setting it up: twofactor_setup_begin makes a new secret (kept sealed
 * under the data directory's key, off until confirmed) and gives it once
 * as text and as an otpauth:// address for a QR code; the user types the
 * code their app then shows, and twofactor_setup_finish turns it on and
 * hands out the backup codes once (only their keyed hashes are kept).
 *
 * Logging in: a right password for an account with the second factor on
 * starts a session whose second factor is still due (sessions.h); the
 * session can do nothing but answer it. twofactor_answer takes the code
 * (each works once: a used time step is refused) or a backup code (used up),
 * throttled per account (TH_FACTOR) so that guessing one of a million codes
 * takes years.
 *
 * The configuration's two_factor_roles must use it (by default counsellors,
 * the complaints committee and integrity officers: they read what people
 * told in confidence); anyone else may.
 */
#ifndef VD_TWOFACTOR_H
#define VD_TWOFACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "accounts.h"
#include "app.h"
#include "sessions.h"

#define TWOFACTOR_SECRET_TEXT 32 /* base32 of the secret */
#define TWOFACTOR_URI_MAX 600
#define TWOFACTOR_BACKUP_CODES 10
#define TWOFACTOR_BACKUP_LEN 9   /* "ABCD-EFGH" */

struct twofactor_status {
	bool on;
	bool required;      /* the role must have it */
	int64_t backup_left;
};

/* Whether staff of role must log in with a second factor. */
bool twofactor_required(struct vd *vd, enum vd_role role);

int twofactor_status(struct vd *vd, const struct principal *who, struct twofactor_status *out);

/* Whether who must set it up before anything else: their role requires it
 * and it is not on. */
bool twofactor_setup_needed(struct vd *vd, const struct principal *who);

/* A secret for who, not on until confirmed: a new one with fresh (replacing
 * one not yet confirmed), else the one being set up if there is one (a
 * mistyped code, tried again). VD_ERR_EXISTS when it is on. Its text and
 * the otpauth:// address for an app; the caller wipes both. */
int twofactor_setup_begin(struct vd *vd, const struct principal *who, bool fresh,
			  char secret[TWOFACTOR_SECRET_TEXT + 1], char uri[TWOFACTOR_URI_MAX]);

/* Turns it on with a code the app shows for the new secret: VD_ERR_AUTH for
 * a wrong code (throttled: VD_ERR_THROTTLED, *retry_after), VD_ERR_NOTFOUND
 * when no setup was begun. On success codes are the backup codes, shown
 * once (the caller wipes them). Audited ("twofactor.on"). */
int twofactor_setup_finish(struct vd *vd, const struct principal *who, const char *code,
			   char codes[TWOFACTOR_BACKUP_CODES][TWOFACTOR_BACKUP_LEN + 1], int64_t *retry_after);

/* Turns it off, with a current code: VD_ERR_DENIED when the role must have
 * it. Audited ("twofactor.off"). */
int twofactor_disable(struct vd *vd, const struct principal *who, const char *code, int64_t *retry_after);

/*
 * The second step of a login: code (6 digits) or a backup code for the
 * session whose second factor is due. On success a new session replaces
 * it (token_out: its cookie value; the caller wipes it). VD_ERR_AUTH for a
 * wrong one, VD_ERR_THROTTLED with *retry_after, VD_ERR_NOTFOUND for a
 * session that is not waiting for one. *backup_left: backup codes left
 * when one was used (-1 otherwise).
 */
int twofactor_answer(struct vd *vd, const struct principal *who, const char *code,
		     char token_out[SESSION_TOKEN_CHARS + 1], int64_t *retry_after, int64_t *backup_left);

/* The owner of the data directory (the system principal) turns email's
 * second factor off and ends their sessions: a lost phone and lost backup
 * codes. VD_ERR_DENIED for anyone else, VD_ERR_NOTFOUND for no such
 * account. Audited ("twofactor.reset"). */
int twofactor_reset(struct vd *vd, const struct principal *who, const char *email);

#endif
