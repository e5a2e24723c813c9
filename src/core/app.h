/*
 * app: an opened data directory (configuration, store, server secret) and
 * the principal on whose behalf a core function runs.
 *
 * This is the front ends' door into the core. struct vd and struct
 * principal are opaque here: a front end holds them and hands them back,
 * and every core function that reads or changes records takes the principal
 * and checks the role, and the record's own access list, itself; so no
 * front end can reach a record by another path, or hold a key.
 *
 * The types of the public headers (struct unit, struct account, struct
 * case_view, ...) are what pages see; the store has rows of its own
 * (store.h). Where a page shows what is stored the two look alike, on
 * purpose kept apart: a front end never sees a row (a password hash, a
 * wrapped key), and the store never needs the core's headers.
 */
#ifndef VD_APP_H
#define VD_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "vd.h"

struct vd;        /* an opened data directory */
struct principal; /* who acts: a logged-in staff user (sessions.h), or the system */

/* The CLI acts as the owner of the data directory: an administrator with
 * no user id and no keys. */
extern const struct principal principal_system;

#define VD_CONF_FILE "vertrouwd.conf"
#define VD_DB_FILE "vertrouwd.db"
#define VD_SECRET_FILE "secret.key"

/* Once per process, before anything else (libsodium). */
int app_library_init(void);

/*
 * Creates a new data directory: config, secret and an empty, migrated database,
 * readable by the owner only. The directory must not exist or be empty. Either
 * everything is written or nothing is left behind. err gets a short reason.
 * store_url NULL: the database is SQLite's vertrouwd.db in the directory;
 * else the PostgreSQL database that libpq connection string names (the
 * config says store = postgres; its tables are made if it has none).
 */
int app_init_dir(const char *dir, const char *store_url, char *err, size_t errlen);

/* Opens a data directory. migrate: bring the schema up to date (else refuse an
 * old one). A database from a newer version is refused with VD_ERR_TOONEW. */
int app_open(const char *dir, int migrate, struct vd **out, char *err, size_t errlen);
void app_close(struct vd *vd);

/* The configuration it was opened with (vertrouwd.conf over the defaults). */
const struct config *app_config(const struct vd *vd);

/* The public holidays the terms skip (calendar.h), read when it opened. */
const struct holidays *app_holidays(const struct vd *vd);

/* The public content generation: it changes whenever something public pages
 * show is edited, so a page cache keyed on it is never stale. Cheap to call
 * per request (read from the store at most once a second). */
int64_t app_content_generation(struct vd *vd);

/* Tokens for the front end, 32 bytes as base64url: app_token_random is
 * fresh random bytes (a cookie value); app_csrf_token the CSRF token that
 * belongs with a cookie value (a keyed hash of it under the data directory's
 * secret, for that one purpose: no caller can pick another, so nothing else
 * keyed with the secret can be had this way); app_csrf_valid whether token
 * is that one, compared in constant time. */
#define APP_TOKEN_CHARS 43
void app_token_random(char out[APP_TOKEN_CHARS + 1]);
void app_csrf_token(struct vd *vd, const char *cookie_value, char out[APP_TOKEN_CHARS + 1]);
bool app_csrf_valid(struct vd *vd, const char *cookie_value, const char *token);

/* Serving. app_serve_begin at start: sweeps what interrupted uploads left
 * and readies mail. app_housekeep once a second from the server's main
 * thread: sends due notifications and, once a minute, removes expired
 * sessions and invitations. app_serve_end before app_close. */
int app_serve_begin(struct vd *vd);
void app_housekeep(struct vd *vd);
void app_serve_end(struct vd *vd);

#endif
