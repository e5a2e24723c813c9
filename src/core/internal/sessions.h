/* internal/sessions: starting and purging sessions, for the core's own use
 * (a login, a changed password, the server's housekeeping, tests). */
#ifndef VD_INTERNAL_SESSIONS_H
#define VD_INTERNAL_SESSIONS_H

#include "app.h"

/* Makes a session for user_id; token_out receives the cookie value. When sk
 * is given (the user's opened secret key), the session keeps it encrypted
 * under a key derived from the cookie value alone. */
int session_start(struct vd *vd, int64_t user_id, const unsigned char *sk,
		  char token_out[SESSION_TOKEN_CHARS + 1]);

/* Removes idle and expired sessions. */
int session_purge(struct vd *vd);

#endif
