/*
 * sessions: server-side staff sessions and CSRF tokens.
 *
 * The cookie carries 32 random bytes (base64url); the database holds only a
 * keyed hash of them, so a copied database yields no usable session. A session
 * ends after config.session_idle_seconds without use and at the latest
 * config.session_max_seconds after login. A new session is made at every
 * login (rotation), so a token planted before login is worthless after it.
 *
 * CSRF tokens are a keyed hash of the session token (or, before login, of a
 * random pre-session cookie), compared in constant time.
 */
#ifndef VD_SESSIONS_H
#define VD_SESSIONS_H

#include "app.h"

#define SESSION_TOKEN_CHARS 43 /* base64url of 32 bytes */
#define CSRF_TOKEN_CHARS 43

struct session_info {
	struct user user;
	struct actor actor;
	int64_t expires_at;
};

/* Makes a session for user_id; token_out receives the cookie value. */
int session_start(struct vd *vd, int64_t user_id, char token_out[SESSION_TOKEN_CHARS + 1]);

/* Looks up a cookie value. VD_ERR_NOTFOUND for unknown, malformed, expired
 * (which also deletes it) or inactive. Refreshes last use. */
int session_check(struct vd *vd, struct arena *a, const char *token, struct session_info *out);

/* Ends the session with this cookie value (no error if it is unknown). */
void session_end(struct vd *vd, const char *token);

/* Removes idle and expired sessions. */
int session_purge(struct vd *vd);

/* CSRF token bound to a cookie value (the session or pre-session token). */
void csrf_token(struct vd *vd, const char *cookie_value, char out[CSRF_TOKEN_CHARS + 1]);
/* 1 if token is the right one for cookie_value, in constant time. */
int csrf_valid(struct vd *vd, const char *cookie_value, const char *token);

/* A fresh random value for a pre-session cookie. */
void session_random_token(char out[SESSION_TOKEN_CHARS + 1]);

#endif
