/* internal/sessions: starting and purging sessions, for the core's own use
 * (a login, a changed password, the server's housekeeping, tests). */
#ifndef VD_INTERNAL_SESSIONS_H
#define VD_INTERNAL_SESSIONS_H

#include <stdbool.h>

#include "app.h"

/* Makes a session for user_id; token_out receives the cookie value. When sk
 * is given (the user's opened secret key), the session keeps it encrypted
 * under a key derived from the cookie value alone. second_factor_due: the
 * session can do nothing until its second factor is answered. */
int session_start(struct vd *vd, int64_t user_id, const unsigned char *sk, bool second_factor_due,
		  char token_out[SESSION_TOKEN_CHARS + 1]);

/* The keyed hash the store keeps of a cookie value. */
int session_token_hash(struct vd *vd, const char *token, unsigned char out[STORE_TOKEN_HASH_LEN]);

/* Removes idle and expired sessions. */
int session_purge(struct vd *vd);

#endif
