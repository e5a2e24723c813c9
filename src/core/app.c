/* app: see app.h. */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/text.h"
#include "documents.h"
#include "files.h"
#include "throttle.h"

const struct actor actor_system = { 0, ROLE_ADMIN };

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

static int dir_is_empty(const char *dir)
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

int app_init_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || !dir_is_empty(dir)) {
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
	const char *tpl = config_template();
	/* The database file is made here, owner-only, whatever the caller's umask;
	 * SQLite gives its -wal and -shm files the same permissions. */
	if (write_file(conf, tpl, strlen(tpl)) || write_file(key, secret, sizeof secret) ||
	    write_file(db, "", 0)) {
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

int app_open(const char *dir, int migrate, struct vd **out, char *err, size_t errlen)
{
	struct vd *vd = calloc(1, sizeof *vd);
	if (!vd)
		return VD_ERR_NOMEM;
	pthread_mutex_init(&vd->gen_lock, NULL);
	vd->gen = -1;
	int rc = VD_ERR_NOMEM;
	char *conf = path_join(dir, VD_CONF_FILE), *key = path_join(dir, VD_SECRET_FILE);
	char *db = path_join(dir, VD_DB_FILE);
	vd->dir = strdup(dir);
	vd->secret = crypto_secret_alloc(CRYPTO_KEY_LEN);
	if (!conf || !key || !db || !vd->dir || !vd->secret)
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

	rc = read_secret(key, vd->secret);
	if (rc) {
		snprintf(err, errlen, "%s is missing or damaged", key);
		goto fail;
	}
	crypto_secret_readonly(vd->secret);

	struct stat st;
	if (stat(db, &st) != 0 && !migrate) {
		snprintf(err, errlen, "%s not found: is this a data directory? (vertrouwd init)", db);
		rc = VD_ERR_NOTFOUND;
		goto fail;
	}
	rc = store_sqlite_open(db, migrate, &vd->store);
	if (rc) {
		snprintf(err, errlen, "cannot open the database %s", db);
		goto fail;
	}
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
	free(vd->dir);
	free(vd);
}

#define GEN_KEY "content_generation"

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

	/* Read outside the lock: another server may have edited (shared database). */
	struct arena a;
	arena_init(&a, 4096);
	const char *v = NULL;
	int64_t g = 0;
	if (vd->store->ops->setting_get(vd->store, &a, GEN_KEY, &v) == VD_OK)
		text_parse_i64(v, 0, INT64_MAX, &g);
	arena_release(&a);

	pthread_mutex_lock(&vd->gen_lock);
	vd->gen = g;
	vd->gen_checked_at = now;
	pthread_mutex_unlock(&vd->gen_lock);
	return g;
}

int app_content_changed(struct vd *vd)
{
	struct arena a;
	arena_init(&a, 4096);
	const char *v = NULL;
	int64_t g = 0;
	if (vd->store->ops->setting_get(vd->store, &a, GEN_KEY, &v) == VD_OK)
		text_parse_i64(v, 0, INT64_MAX - 1, &g);
	char next[24];
	snprintf(next, sizeof next, "%lld", (long long)(g + 1));
	int rc = vd->store->ops->setting_put(vd->store, GEN_KEY, next);
	arena_release(&a);
	return rc;
}

int app_end(struct vd *vd, int rc, int public_change)
{
	struct store *s = vd->store;
	if (rc == VD_OK && public_change)
		rc = app_content_changed(vd);
	if (rc) {
		s->ops->rollback(s);
		return rc;
	}
	rc = s->ops->commit(s);
	if (rc == VD_OK && public_change) {
		/* Forget the remembered generation only now: a reader between the
		 * write and the commit would otherwise pin the old one for a second. */
		pthread_mutex_lock(&vd->gen_lock);
		vd->gen = -1;
		pthread_mutex_unlock(&vd->gen_lock);
	}
	return rc;
}
