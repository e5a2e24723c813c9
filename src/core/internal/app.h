/*
 * internal/app: what the core's modules share and no front end sees: the
 * opened data directory, the principal's inside, and the helpers every write
 * path uses. Only src/core/ includes this (tests/layers checks it).
 */
#ifndef VD_INTERNAL_APP_H
#define VD_INTERNAL_APP_H

#include <pthread.h>

#include "../../crypto/crypto.h"
#include "../../store/store.h"
#include "../../util/arena.h"
#include "../accounts.h"
#include "../app.h"
#include "../calendar.h"
#include "../sessions.h"

struct vd {
	struct config cfg;
	struct holidays holidays;  /* built in, and the data directory's holidays.txt */
	struct store *store;
	unsigned char *secret;     /* CRYPTO_KEY_LEN bytes in crypto_secret_alloc'd memory */
	struct crypto_pwcost pwcost;
	struct crypto_pwcost receipt_cost; /* of new receipt codes */
	char *dir;
	/* Public content generation (app_content_generation). */
	pthread_mutex_t gen_lock;
	int64_t gen;               /* last value read from the store */
	int64_t gen_checked_at;    /* when it was read; re-read at most once a second */
	struct session_cache *sessions; /* internal/session_cache.h */
	/* Serving (app_serve_begin, app_housekeep). */
	bool mail;                 /* smtp_url is set: libcurl is initialised */
	unsigned ticks;            /* app_housekeep calls */
	int64_t purge_at;          /* when the daily retention run is next due */
	int64_t purged;            /* records the run going on destroyed so far */
};

/*
 * Who acts. Made by session_check for a staff user's session, or as
 * principal_system for the CLI. The user's secret key is never in it: it
 * holds the session's wrapped copy and the cookie value whose derived key
 * opens it, so the key exists only for as long as a core function needs it
 * (principal_secret_key).
 */
struct principal {
	int64_t user_id;     /* 0 for the system */
	enum vd_role role;
	struct account account; /* its id and role are user_id and role again, for the checks' brevity */
	bool has_key;
	bool second_factor_due; /* the session waits for its second factor: role ROLE_NONE until then */
	char token[SESSION_TOKEN_CHARS + 1];
	unsigned char sk_wrapped[STORE_WRAPPED_KEY_LEN];
};

/* The principal's secret key into sk (the caller wipes it). VD_ERR_NOKEY
 * when it has none (before the first own password, after a reset, the
 * system) or the one it has does not open. */
int principal_secret_key(const struct principal *p, unsigned char sk[CRYPTO_SK_LEN]);

/* Makes p act as user_id with role, holding sk (NULL: no key) under a fresh
 * random token, as session_check does with a session's: for the demo, which
 * acts as its counsellors without logging in, and for tests. */
void principal_init(struct principal *p, int64_t user_id, enum vd_role role, const unsigned char *sk);

/* 1 if dir is a directory with nothing in it, 0 otherwise (also when it
 * cannot be read): where a new data directory may go (init, restore). */
int app_dir_is_empty(const char *dir);

/*
 * Ends a transaction begun with store begin(): when rc is VD_OK it commits
 * (first marking public content as changed if public_change is set),
 * otherwise it rolls back. Returns rc, or the commit's error. Write paths read:
 *   int rc = s->ops->begin(s); if (rc) return rc;
 *   rc = ...writes...;
 *   return app_end(vd, rc, true);
 */
int app_end(struct vd *vd, int rc, int public_change);

/* VD_OK if url can be the store_url line of vertrouwd.conf; else a reason in err. */
int app_store_url_check(const char *url, char *err, size_t errlen);

#endif
