/*
 * sessions: staff log in, and each request is matched to its principal.
 *
 * The cookie carries 32 random bytes (base64url); the database holds only a
 * keyed hash of them, so a copied database yields no usable session. A session
 * ends after config.session_idle_seconds without use and at the latest
 * config.session_max_seconds after login. A new session is made at every
 * login (rotation), so a token planted before login is worthless after it.
 *
 * The session keeps the user's secret key, opened with their password at
 * login, encrypted under a key derived from the cookie value alone: the
 * database cannot open it, the browser's cookie can. The front end never
 * sees that key: it passes the principal, and the core opens the key inside
 * the function that needs it.
 */
#ifndef VD_SESSIONS_H
#define VD_SESSIONS_H

#include "../util/arena.h"
#include "accounts.h"
#include "app.h"

#define SESSION_TOKEN_CHARS 43 /* base64url of 32 bytes */

/*
 * Logs in: checks e-mail and password (accounts.h: throttled, and the same
 * answer and cost for every wrong combination), ends the browser's session
 * so far (old_token, the cookie it sent; NULL for none: a new session at
 * every login), opens the user's key pair with the password (when they have
 * one) and starts a session (waiting for the second factor when the
 * account has one on: twofactor.h). On success token_out is the new cookie value
 * (the caller wipes it) and *out the user. VD_ERR_AUTH for a wrong
 * combination, VD_ERR_THROTTLED with *retry_after in seconds: the old
 * session is then left as it was.
 */
int session_login(struct vd *vd, struct arena *a, const char *email, const char *password,
		  const struct login_attempt *from, const char *old_token, char token_out[SESSION_TOKEN_CHARS + 1],
		  struct account *out, int64_t *retry_after);

/* The principal of a cookie value, in the arena a (which must outlive its
 * use; token too). VD_ERR_NOTFOUND for unknown, malformed, expired (which
 * also deletes it) or inactive. Refreshes the session's last use. */
int session_check(struct vd *vd, struct arena *a, const char *token, const struct principal **out);

/* Whether the session waits for its second factor (twofactor.h): then it
 * may only answer that, or log out. */
bool session_second_factor_due(const struct principal *p);

/* Who the principal is, as pages show it. */
const struct account *principal_account(const struct principal *p);

/* Ends the session with this cookie value (no error if it is unknown). */
void session_end(struct vd *vd, const char *token);

#endif
