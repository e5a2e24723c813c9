/* internal/accounts: checking a login and reading an account, for the
 * core's own use (sessions.c). */
#ifndef VD_INTERNAL_ACCOUNTS_H
#define VD_INTERNAL_ACCOUNTS_H

#include "app.h"

/*
 * Checks e-mail and password. On success *out is the active user.
 * VD_ERR_AUTH for any wrong combination (never says which part, and an
 * unknown address costs and answers the same), VD_ERR_THROTTLED when too many
 * attempts were made (throttle.h); *retry_after is then the wait in seconds.
 */
int account_login(struct vd *vd, struct arena *a, const char *email, const char *password,
		  const struct login_attempt *from, struct account *out, int64_t *retry_after);

/* The account of user id as pages see it, without any check. */
int account_read(struct vd *vd, struct arena *a, int64_t id, struct account *out);
/* A stored user as pages see it. */
void account_of(const struct user_rec *u, struct account *out);

#endif
