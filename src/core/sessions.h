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

/* Makes a session for user_id; token_out receives the cookie value. When sk
 * is given (the user's opened secret key), the session keeps it encrypted
 * under a key derived from the cookie value alone: the database cannot open
 * it, the browser's cookie can (session_secret_key). */
int session_start(struct vd *vd, int64_t user_id, const unsigned char *sk,
		  char token_out[SESSION_TOKEN_CHARS + 1]);

/* The user's secret key from the session with this cookie value.
 * VD_ERR_NOTFOUND when the session holds none. The caller wipes sk_out. */
int session_secret_key(struct vd *vd, const char *token, unsigned char sk_out[CRYPTO_SK_LEN]);

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
