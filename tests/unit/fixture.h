/* fixture: temporary data directories for the unit tests. */
#ifndef VD_FIXTURE_H
#define VD_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <stdbool.h>

#include "../../src/core/app.h"

/* Makes "/tmp/vd-unit-XXXXXX/data" initialised, with cheap Argon2 settings,
 * and opens it. Returns NULL on failure. path receives the data dir. */
static inline struct vd *fixture_open(char path[128])
{
	char base[] = "/tmp/vd-unit-XXXXXX";
	if (!mkdtemp(base))
		return NULL;
	snprintf(path, 128, "%s/data", base);
	char err[256];
	if (app_init_dir(path, err, sizeof err) != 0) {
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

#endif
