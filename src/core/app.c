/* app: see app.h. */
#include "internal/app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../util/log.h"
#include "../util/text.h"
#include "internal/complaints.h"
#include "internal/config.h"
#include "internal/documents.h"
#include "internal/files.h"
#include "retention.h"
#include "../crypto/totp.h"
#include "internal/notify.h"
#include "internal/session_cache.h"
#include "internal/sessions.h"
#include "internal/throttle.h"
#include "whistle.h"

const struct principal principal_system = { .user_id = 0, .role = ROLE_ADMIN };

int app_library_init(void)
{
	int rc = crypto_init();
	return rc ? rc : totp_init();
}

const struct config *app_config(const struct vd *vd)
{
	return &vd->cfg;
}

const struct holidays *app_holidays(const struct vd *vd)
{
	return &vd->holidays;
}

static char *path_join(const char *dir, const char *file)
{
	size_t n = strlen(dir) + strlen(file) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, file);
	return p;
}

static int write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return VD_ERR_IO;
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return VD_ERR_IO;
		}
		p += w;
		n -= (size_t)w;
	}
	int rc = fsync(fd) == 0 ? VD_OK : VD_ERR_IO;
	if (close(fd) != 0)
		rc = VD_ERR_IO;
	return rc;
}

/* Removes the files init may have written, then the directory. */
static void remove_tree(const char *dir)
{
	const char *files[] = { VD_CONF_FILE, VD_DB_FILE, VD_DB_FILE "-wal", VD_DB_FILE "-shm",
				VD_SECRET_FILE };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = path_join(dir, files[i]);
		if (p)
			unlink(p);
		free(p);
	}
	const char *dirs[] = { "files/tmp", "files" }; /* empty at init */
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char *p = path_join(dir, dirs[i]);
		if (p)
			rmdir(p);
		free(p);
	}
	rmdir(dir);
}

int app_dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

int app_store_url_check(const char *url, char *err, size_t errlen)
{
	/* it becomes one line of vertrouwd.conf, where # starts a comment */
	if (!*url || strpbrk(url, "\r\n#")) {
		snprintf(err, errlen, "a connection string cannot be empty or hold # or a line break");
		return VD_ERR_INVALID;
	}
	return VD_OK;
}

int app_init_dir(const char *dir, const char *store_url, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || !app_dir_is_empty(dir)) {
			snprintf(err, errlen, "%s already exists and is not an empty directory", dir);
			return VD_ERR_EXISTS;
		}
		if (rmdir(dir) != 0) {
			snprintf(err, errlen, "cannot replace the empty directory %s", dir);
			return VD_ERR_IO;
		}
	}
	/* Build it under a temporary name and rename at the end: all or nothing. */
	size_t tn = strlen(dir) + 16;
	char *tmp = malloc(tn);
	if (!tmp)
		return VD_ERR_NOMEM;
	snprintf(tmp, tn, "%s.init-XXXXXX", dir);
	if (!mkdtemp(tmp)) {
		snprintf(err, errlen, "cannot create a directory next to %s", dir);
		free(tmp);
		return VD_ERR_IO;
	}
	chmod(tmp, 0700);
	int rc = VD_ERR_IO;
	struct vd *vd = NULL;
	unsigned char secret[CRYPTO_KEY_LEN];
	crypto_random(secret, sizeof secret);
	char *conf = path_join(tmp, VD_CONF_FILE), *key = path_join(tmp, VD_SECRET_FILE);
	char *db = path_join(tmp, VD_DB_FILE);
	if (!conf || !key || !db) {
		rc = VD_ERR_NOMEM;
		goto out;
	}
	if (store_url && (rc = app_store_url_check(store_url, err, errlen)) != VD_OK)
		goto out;
	const char *tpl = config_template();
	char *choice = store_url ? malloc(strlen(tpl) + strlen(store_url) + 80) : NULL;
	if (store_url && !choice) {
		rc = VD_ERR_NOMEM;
		goto out;
	}
	if (choice)
		sprintf(choice, "%s\n# Set by `vertrouwd init --store-url`.\nstore = postgres\nstore_url = %s\n", tpl,
			store_url);
	/* The database file is made here, owner-only, whatever the caller's umask;
	 * SQLite gives its -wal and -shm files the same permissions. */
	int wrote = write_file(conf, choice ? choice : tpl, strlen(choice ? choice : tpl));
	free(choice);
	if (wrote || write_file(key, secret, sizeof secret) || (!store_url && write_file(db, "", 0))) {
		snprintf(err, errlen, "cannot write files in the new directory");
		goto out;
	}
	rc = app_open(tmp, 1, &vd, err, errlen);
	if (rc)
		goto out;
	rc = documents_install_defaults(vd);
	if (rc) {
		snprintf(err, errlen, "cannot store the default documents");
		goto out;
	}
	app_close(vd);
	vd = NULL;
	if (rename(tmp, dir) != 0) {
		snprintf(err, errlen, "cannot move the new directory into place");
		rc = VD_ERR_IO;
		goto out;
	}
	rc = VD_OK;
out:
	if (vd)
		app_close(vd);
	if (rc)
		remove_tree(tmp);
	crypto_wipe(secret, sizeof secret);
	free(conf);
	free(key);
	free(db);
	free(tmp);
	return rc;
}

static int read_secret(const char *path, unsigned char *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return VD_ERR_IO;
	unsigned char extra;
	ssize_t n = read(fd, out, CRYPTO_KEY_LEN);
	ssize_t more = read(fd, &extra, 1);
	close(fd);
	return (n == CRYPTO_KEY_LEN && more == 0) ? VD_OK : VD_ERR_INVALID;
}

/* The store vertrouwd.conf names: SQLite in the data directory (made when
 * migrate is set), or the PostgreSQL database of store_url. */
static int open_store(struct vd *vd, const char *db, int migrate, char *err, size_t errlen)
{
	if (vd->cfg.store_postgres) {
		if (!vd->cfg.store_url[0]) {
			snprintf(err, errlen, "store = postgres needs store_url (a connection string)");
			return VD_ERR_INVALID;
		}
		int rc = store_postgres_open(vd->cfg.store_url, &vd->store);
		if (rc) /* the connection string is not repeated: it may hold a password */
			snprintf(err, errlen, "cannot connect to the PostgreSQL database of store_url");
		return rc;
	}
	struct stat st;
	if (stat(db, &st) != 0 && !migrate) {
		snprintf(err, errlen, "%s not found: is this a data directory? (vertrouwd init)", db);
		return VD_ERR_NOTFOUND;
	}
	int rc = store_sqlite_open(db, migrate, &vd->store);
	if (rc)
		snprintf(err, errlen, "cannot open the database %s", db);
	return rc;
}

int app_open(const char *dir, int migrate, struct vd **out, char *err, size_t errlen)
{
	struct vd *vd = calloc(1, sizeof *vd);
	if (!vd)
		return VD_ERR_NOMEM;
	pthread_mutex_init(&vd->gen_lock, NULL);
	vd->gen = -1;
	vd->sessions = session_cache_new();
	int rc = VD_ERR_NOMEM;
	char *conf = path_join(dir, VD_CONF_FILE), *key = path_join(dir, VD_SECRET_FILE);
	char *db = path_join(dir, VD_DB_FILE);
	vd->dir = strdup(dir);
	vd->secret = crypto_secret_alloc(CRYPTO_KEY_LEN);
	if (!conf || !key || !db || !vd->dir || !vd->secret || !vd->sessions)
		goto fail;

	config_defaults(&vd->cfg);
	int line = 0;
	char why[160];
	rc = config_load(&vd->cfg, conf, &line, why, sizeof why);
	if (rc) {
		if (line)
			snprintf(err, errlen, "%s line %d: %s", conf, line, why);
		else
			snprintf(err, errlen, "%s: %s", conf, why);
		goto fail;
	}
	vd->pwcost.ops = vd->cfg.password_ops;
	vd->pwcost.mem = vd->cfg.password_mem;
	vd->receipt_cost.ops = vd->cfg.receipt_ops;
	vd->receipt_cost.mem = vd->cfg.receipt_mem;
	rc = holidays_load(&vd->holidays, dir, err, errlen);
	if (rc)
		goto fail;

	rc = read_secret(key, vd->secret);
	if (rc) {
		snprintf(err, errlen, "%s is missing or damaged", key);
		goto fail;
	}
	crypto_secret_readonly(vd->secret);

	rc = open_store(vd, db, migrate, err, errlen);
	if (rc)
		goto fail;
	int version = 0;
	rc = vd->store->ops->schema_version(vd->store, &version);
	if (rc) {
		snprintf(err, errlen, "cannot read the database %s", db);
		goto fail;
	}
	if (version > STORE_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "the database has schema version %d, newer than this vertrouwd (%d) understands; "
			 "use a newer vertrouwd",
			 version, STORE_SCHEMA_VERSION);
		rc = VD_ERR_TOONEW;
		goto fail;
	}
	if (version < STORE_SCHEMA_VERSION) {
		rc = vd->store->ops->migrate(vd->store, NULL, NULL);
		/* the codes made before were hashed at the password cost: they keep
		 * it, whatever password_ops and password_mem_kib become later */
		if (rc == VD_OK && version < 23)
			rc = vd->store->ops->receipt_costs_fill(vd->store, (uint32_t)vd->pwcost.ops,
								(uint32_t)(vd->pwcost.mem / 1024));
		if (rc) {
			snprintf(err, errlen, "cannot update the database schema");
			goto fail;
		}
	}
	throttle_set_allowance(TH_REPORT, (int)vd->cfg.reports_per_hour);
	if (files_prepare(vd, false) != VD_OK) {
		snprintf(err, errlen, "cannot create the files directory in %s", dir);
		rc = VD_ERR_IO;
		goto fail;
	}
	free(conf);
	free(key);
	free(db);
	*out = vd;
	return VD_OK;
fail:
	free(conf);
	free(key);
	free(db);
	app_close(vd);
	return rc;
}

void app_close(struct vd *vd)
{
	if (!vd)
		return;
	store_close(vd->store);
	if (vd->secret)
		crypto_secret_free(vd->secret);
	pthread_mutex_destroy(&vd->gen_lock);
	session_cache_free(vd->sessions);
	holidays_free(&vd->holidays);
	free(vd->dir);
	free(vd);
}

/* The counter bumped whenever public content changes (a shared database:
 * another server may bump it too). */
#define GEN_COUNTER "content_generation"

int64_t app_content_generation(struct vd *vd)
{
	int64_t now = clock_now();
	pthread_mutex_lock(&vd->gen_lock);
	if (vd->gen >= 0 && vd->gen_checked_at == now) {
		int64_t g = vd->gen;
		pthread_mutex_unlock(&vd->gen_lock);
		return g;
	}
	pthread_mutex_unlock(&vd->gen_lock);

	/* Read outside the lock: the store may take a moment. */
	int64_t g = 0;
	if (vd->store->ops->counter_get(vd->store, GEN_COUNTER, &g) != VD_OK)
		g = 0;

	pthread_mutex_lock(&vd->gen_lock);
	vd->gen = g;
	vd->gen_checked_at = now;
	pthread_mutex_unlock(&vd->gen_lock);
	return g;
}

int app_end(struct vd *vd, int rc, int public_change)
{
	struct store *s = vd->store;
	int64_t gen;
	if (rc == VD_OK && public_change)
		rc = s->ops->counter_increment(s, GEN_COUNTER, &gen);
	if (rc) {
		s->ops->rollback(s);
		session_cache_forget(vd->sessions);
		return rc;
	}
	rc = s->ops->commit(s);
	/* Whatever was written may end or change a session (session_cache.h).
	 * After the commit: a reader that saw the old row read the old epoch
	 * before it, so what it puts is not used. */
	session_cache_forget(vd->sessions);
	if (rc == VD_OK && public_change) {
		/* Forget the remembered generation only now: a reader between the
		 * write and the commit would otherwise pin the old one for a second. */
		pthread_mutex_lock(&vd->gen_lock);
		vd->gen = -1;
		pthread_mutex_unlock(&vd->gen_lock);
	}
	return rc;
}

/* ---- tokens for the front end ------------------------------------------------ */

void app_token_random(char out[APP_TOKEN_CHARS + 1])
{
	unsigned char raw[CRYPTO_TOKEN_LEN];
	crypto_random(raw, sizeof raw);
	text_b64url_encode(raw, sizeof raw, out);
	crypto_wipe(raw, sizeof raw);
}

/* The MAC domain of CSRF tokens: fixed here, never the caller's. */
#define CSRF_DOMAIN "csrf"

void app_csrf_token(struct vd *vd, const char *cookie_value, char out[APP_TOKEN_CHARS + 1])
{
	_Static_assert(CRYPTO_MAC_LEN == CRYPTO_TOKEN_LEN, "a token is one MAC long");
	unsigned char mac[CRYPTO_MAC_LEN];
	crypto_mac(vd->secret, CSRF_DOMAIN, cookie_value, strlen(cookie_value), mac);
	text_b64url_encode(mac, sizeof mac, out);
	crypto_wipe(mac, sizeof mac);
}

bool app_csrf_valid(struct vd *vd, const char *cookie_value, const char *token)
{
	if (!cookie_value || !token || strlen(token) != APP_TOKEN_CHARS)
		return false;
	char want[APP_TOKEN_CHARS + 1];
	app_csrf_token(vd, cookie_value, want);
	bool ok = crypto_equal(want, token, APP_TOKEN_CHARS);
	crypto_wipe(want, sizeof want);
	return ok;
}

/* ---- serving ---------------------------------------------------------------- */

int app_serve_begin(struct vd *vd)
{
	int rc = files_prepare(vd, true); /* what interrupted uploads left behind */
	if (rc == VD_OK)
		rc = complaints_refresh(vd); /* older complaints, new holidays */
	if (rc == VD_OK)
		rc = documents_install_missing(vd); /* a kind newer than the data directory */
	/* libcurl (and its TLS library) only when mail is configured: it costs
	 * several megabytes of memory that an installation without mail need not pay. */
	vd->mail = vd->cfg.smtp_url[0] != '\0';
	if (vd->mail && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		vd->mail = false;
	return rc;
}

/* Retention once a day, the first time a minute after the start: a few
 * records a second until nothing is due, so the server goes on serving
 * while a long backlog goes (each record is its own transaction). */
#define PURGE_PER_TICK 20
static void daily_purge(struct vd *vd)
{
	int64_t now = clock_now();
	if (!vd->purge_at)
		vd->purge_at = now + 60;
	if (now < vd->purge_at)
		return;
	struct retention_summary sum;
	int rc = retention_purge(vd, &principal_system, PURGE_PER_TICK, NULL, &sum);
	vd->purged += sum.cases + sum.complaints + sum.wb_reports + sum.declarations;
	if (rc == VD_OK && sum.more && !sum.failed)
		return; /* on at the next tick */
	vd->purge_at = now + 86400;
	if (rc)
		log_event(LOG_ERROR, "retention", LF_ERROR, rc, LF_END);
	if (vd->purged)
		log_event(LOG_INFO, "retention", LF_WHAT, "destroyed after their term", LF_N, (long long)vd->purged, LF_END);
	if (sum.compact_later)
		log_event(LOG_WARN, "retention", LF_WHAT, "the write-ahead log is cleared at the next run", LF_END);
	vd->purged = 0;
}

void app_housekeep(struct vd *vd)
{
	/* the committee's reminders at the first tick, then every five minutes */
	if (vd->mail && vd->ticks % 300 == 0) {
		complaints_remind(vd);
		wb_remind(vd); /* and the integrity officers' */
	}
	/* minutes nobody reacted to count as approved, mail or not */
	if (vd->ticks % 300 == 0)
		complaints_minutes_lapse(vd);
	if (vd->mail)
		notify_run(vd);
	if (++vd->ticks % 60 == 0) {
		session_purge(vd);
		vd->store->ops->invitation_purge(vd->store, clock_now()); /* spent by time */
		throttle_stored_purge(vd, clock_now());                  /* run out */
	}
	daily_purge(vd);
}

void app_serve_end(struct vd *vd)
{
	if (vd->mail)
		curl_global_cleanup();
	vd->mail = false;
}
