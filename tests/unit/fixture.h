/* fixture: temporary data directories for the unit tests, and principals.
 *
 * The core's unit tests are white-box tests: they may use the core's
 * internal headers (the front ends may not: tests/layers). */
#ifndef VD_FIXTURE_H
#define VD_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <stdbool.h>

#include "../../src/core/internal/app.h"
#include "../../src/core/internal/files.h"
#include "../../src/core/internal/userkeys.h"

/* Makes "/tmp/vd-unit-XXXXXX/data" initialised, with cheap Argon2 settings,
 * and opens it. Returns NULL on failure. path receives the data dir. */
static inline struct vd *fixture_open(char path[128])
{
	clock_freeze(0); /* every test starts on the real clock */
	clock_set_offset(0);
	char base[] = "/tmp/vd-unit-XXXXXX";
	if (!mkdtemp(base))
		return NULL;
	snprintf(path, 128, "%s/data", base);
	char err[256];
	if (app_init_dir(path, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "fixture: %s\n", err);
		return NULL;
	}
	char conf[160];
	snprintf(conf, sizeof conf, "%s/vertrouwd.conf", path);
	FILE *f = fopen(conf, "a");
	if (!f)
		return NULL;
	fputs("password_ops = 1\npassword_mem_kib = 8192\nsession_idle_seconds = 60\n", f);
	fclose(f);
	struct vd *vd = NULL;
	if (app_open(path, 0, &vd, err, sizeof err) != 0) {
		fprintf(stderr, "fixture: %s\n", err);
		return NULL;
	}
	return vd;
}

/* Appends text to the file name in the data directory path (made if it is
 * not there): a line of vertrouwd.conf, say. False if it cannot. */
static inline bool fixture_append(const char *path, const char *name, const char *text)
{
	char file[200];
	snprintf(file, sizeof file, "%s/%s", path, name);
	FILE *f = fopen(file, "a");
	if (!f)
		return false;
	bool ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

/* Runs one statement on the data directory's database behind the app's back
 * (another process, say). False if it cannot. */
static inline bool fixture_sql(const char *path, const char *sql)
{
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", path);
	sqlite3 *h;
	bool ok = sqlite3_open(db, &h) == SQLITE_OK && sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(h);
	return ok;
}

/* Closes vd and removes the directory tree made by fixture_open. */
static inline void fixture_close(struct vd *vd, const char *path)
{
	app_close(vd);
	char cmd[300];
	char base[128];
	snprintf(base, sizeof base, "%s", path);
	char *slash = strrchr(base, '/');
	if (slash)
		*slash = '\0';
	if (strncmp(base, "/tmp/vd-unit-", 13) == 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		if (system(cmd) != 0)
			fprintf(stderr, "fixture: could not remove %s\n", base);
	}
}

/* Is needle anywhere in the first 8 MiB of the file at path? (Marker scans.) */
static inline bool file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char data[8 * 1024 * 1024];
	size_t n = fread(data, 1, sizeof data, f);
	fclose(f);
	return memmem(data, n, needle, strlen(needle)) != NULL;
}

/* Runs SQL on the data directory's database behind vertrouwd's back
 * (tampering tests); the SQLite result code. */
static inline int raw_sql(const char *path, const char *sql)
{
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", path);
	sqlite3 *h;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(h, 5000);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

/* A principal for user_id with role and no key: the roles and access lists
 * of the core, without anything to open. */
static inline struct principal actor(int64_t user_id, enum vd_role role)
{
	struct principal p;
	principal_init(&p, user_id, role, NULL);
	return p;
}

/* who, holding the secret key sk (as a session with that key would): a
 * principal in a small ring of static slots, so that a test can pass any
 * key with any principal, a wrong one included, in one expression. */
static inline const struct principal *as(const struct principal *who, const unsigned char *sk)
{
	static struct principal ring[8];
	static unsigned next;
	struct principal *p = &ring[next++ % 8];
	principal_init(p, who->user_id, who->role, sk);
	return p;
}

/* The user's secret key, opened with their password. VD_ERR_NOTFOUND when
 * they have no key pair or the password does not open it (after a reset). */
static inline int open_key(struct vd *vd, int64_t user_id, const char *password, unsigned char sk[CRYPTO_SK_LEN])
{
	int rc = userkeys_open(vd, user_id, password, false, sk);
	return rc == VD_ERR_AUTH ? VD_ERR_NOTFOUND : rc;
}

#endif
