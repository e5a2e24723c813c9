/*
 * app: an opened data directory — configuration, store and server secret —
 * and the "actor" on whose behalf a core function runs.
 *
 * Every core function that reads or changes records takes the actor and
 * checks the role itself, so no front end can reach a record by another path.
 */
#ifndef VD_APP_H
#define VD_APP_H

#include <pthread.h>
#include <stdint.h>

#include "../crypto/crypto.h"
#include "../store/store.h"
#include "config.h"
#include "vd.h"

struct vd {
	struct config cfg;
	struct store *store;
	unsigned char *secret;     /* CRYPTO_KEY_LEN bytes in sodium_malloc'd memory */
	struct crypto_pwcost pwcost;
	char *dir;
	/* Public content generation: bumped on every edit of what public pages show. */
	pthread_mutex_t gen_lock;
	int64_t gen;               /* last value read from the store */
	int64_t gen_checked_at;    /* when it was read; re-read at most once a second */
};

struct actor {
	int64_t user_id;   /* 0 for the system (CLI as the data directory's owner) */
	enum vd_role role;
};

/* The CLI acts as the owner of the data directory. */
extern const struct actor actor_system;

#define VD_CONF_FILE "vertrouwd.conf"
#define VD_DB_FILE "vertrouwd.db"
#define VD_SECRET_FILE "secret.key"

/*
 * Creates a new data directory: config, secret and an empty, migrated database,
 * readable by the owner only. The directory must not exist or be empty. Either
 * everything is written or nothing is left behind. err gets a short reason.
 */
int app_init_dir(const char *dir, char *err, size_t errlen);

/* Opens a data directory. migrate: bring the schema up to date (else refuse an
 * old one). A database from a newer version is refused with VD_ERR_TOONEW. */
int app_open(const char *dir, int migrate, struct vd **out, char *err, size_t errlen);
void app_close(struct vd *vd);

/*
 * Ends a transaction begun with store begin(): when rc is VD_OK it commits
 * (first marking public content as changed if public is set), otherwise it
 * rolls back. Returns rc, or the commit's error. Write paths read:
 *   int rc = s->ops->begin(s); if (rc) return rc;
 *   rc = ...writes...;
 *   return app_end(vd, rc, true);
 */
int app_end(struct vd *vd, int rc, int public_change);

/* The public content generation (see struct vd); cheap to call per request. */
int64_t app_content_generation(struct vd *vd);
/* Records that public content changed (inside the caller's transaction;
 * app_end with public_change calls it). */
int app_content_changed(struct vd *vd);

#endif
