/*
 * backup: writing a backup of a running installation; see backup.h.
 *
 * The chunks say, in order: a header ("vertrouwd backup 1", the schema
 * version, when it was made); per file a line "file SIZE NAME" and then
 * SIZE bytes in as many chunks as they take; and last, in the final chunk,
 * "end FILES BYTES". restore.c reads the same.
 */
#include "internal/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/clock.h"
#include "../util/errors.h"
#include "../util/io.h"
#include "internal/app.h"
#include "internal/archive.h"
#include "internal/audit.h"

#define TMP_PREFIX "backup-"
#define TMP_SUFFIX ".tmp"

struct entry {
	char name[80];   /* as kept in the backup (backup_name_valid: at most 64) */
	char path[4096]; /* where it is read from */
	uint64_t size;   /* when listed: for the progress bar's total */
};

struct entries {
	struct entry *items;
	size_t n, cap;
};

static int entries_add(struct entries *es, const char *name, const char *path, uint64_t size)
{
	if (es->n == es->cap) {
		size_t cap = es->cap ? 2 * es->cap : 64;
		struct entry *p = realloc(es->items, cap * sizeof *p);
		if (!p)
			return VD_ERR_NOMEM;
		es->items = p;
		es->cap = cap;
	}
	struct entry *e = &es->items[es->n];
	if (strlen(name) >= sizeof e->name || strlen(path) >= sizeof e->path)
		return VD_ERR_TOOBIG;
	strcpy(e->name, name);
	strcpy(e->path, path);
	e->size = size;
	es->n++;
	return VD_OK;
}

/* A copy an interrupted backup left, or SQLite's files beside it (its
 * journal; its -wal and -shm when the copy was made by store_copy, whose
 * SQLite store writes in WAL mode). */
static bool is_temp_copy(const char *name)
{
	const char *suffix = strstr(name, TMP_SUFFIX);
	return strncmp(name, TMP_PREFIX, sizeof TMP_PREFIX - 1) == 0 && suffix &&
	       (strcmp(suffix, TMP_SUFFIX) == 0 || strcmp(suffix, TMP_SUFFIX "-journal") == 0 ||
		strcmp(suffix, TMP_SUFFIX "-wal") == 0 || strcmp(suffix, TMP_SUFFIX "-shm") == 0);
}

/* The database's own files are left out: its consistent copy goes in instead. */
static bool is_database_file(const char *name)
{
	return strncmp(name, VD_DB_FILE, sizeof VD_DB_FILE - 1) == 0;
}

/*
 * The directory's own regular files (the config, the secret, the backup
 * key's public half, the holidays; not symlinks, not the database), or with
 * sub "files" the uploads, into es. A file like the output (same inode) is
 * left out, so a backup written into the directory does not hold itself.
 */
static int list_files(const char *dir, const char *sub, const struct stat *output, struct entries *es)
{
	char path[4096];
	if (backup_path(path, sizeof path, dir, sub ? sub : ".") != VD_OK)
		return VD_ERR_TOOBIG;
	DIR *d = opendir(path);
	if (!d)
		return VD_ERR_IO;
	int rc = VD_OK;
	struct dirent *de;
	while (rc == VD_OK && (de = readdir(d))) {
		char name[300], file[4096];
		snprintf(name, sizeof name, "%s%s%s", sub ? sub : "", sub ? "/" : "", de->d_name);
		if (!backup_name_valid(name) || (!sub && (is_database_file(name) || is_temp_copy(name))))
			continue;
		struct stat st;
		if (backup_path(file, sizeof file, path, de->d_name) != VD_OK || lstat(file, &st) != 0 ||
		    !S_ISREG(st.st_mode) || (st.st_dev == output->st_dev && st.st_ino == output->st_ino))
			continue;
		if (!sub && backup_is_keyfile(file))
			continue; /* the secret half never goes into a backup, wherever it was put */
		rc = entries_add(es, name, file, (uint64_t)st.st_size);
	}
	closedir(d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Removes copies an earlier, interrupted backup left: a running backup
 * holds a lock on its own, so it is never taken away from under it. */
static void sweep_temp_copies(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[4096], copy[4096];
		if (!is_temp_copy(de->d_name) || backup_path(path, sizeof path, dir, de->d_name) != VD_OK)
			continue;
		/* the lock is on the copy itself: its companions go with it */
		snprintf(copy, sizeof copy, "%s", path);
		copy[strstr(copy + strlen(dir), TMP_SUFFIX) - copy + sizeof TMP_SUFFIX - 1] = '\0';
		int fd = open(copy, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(path);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
}

struct writer {
	struct archive ar;
	unsigned char *chunk;
	const struct backup_progress *progress;
	uint64_t done, total;
};

static void report(struct writer *w)
{
	if (w->progress && w->progress->report)
		w->progress->report(w->progress->ctx, w->done, w->total);
}

/* One file: its line, then its bytes. *vanished for an upload removed meanwhile. */
static int put_file(struct writer *w, const struct entry *e, bool *vanished, uint64_t *size)
{
	*vanished = false;
	int fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		*vanished = errno == ENOENT && strncmp(e->name, "files/", 6) == 0;
		if (*vanished)
			w->total -= e->size; /* the bar's end stays reachable */
		return *vanished ? VD_OK : VD_ERR_IO;
	}
	struct stat st;
	int rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? VD_OK : VD_ERR_IO;
	if (rc == VD_OK) {
		*size = (uint64_t)st.st_size;
		int n = snprintf((char *)w->chunk, ARCHIVE_CHUNK, "file %" PRIu64 " %s\n", *size, e->name);
		rc = archive_write(&w->ar, w->chunk, (size_t)n, false);
	}
	uint64_t left = *size;
	while (rc == VD_OK && left) {
		size_t want = left < ARCHIVE_CHUNK ? (size_t)left : ARCHIVE_CHUNK, got = 0;
		if (io_read_all(fd, w->chunk, want, &got) != VD_OK || got != want) {
			rc = VD_ERR_IO; /* it shrank while being read */
			break;
		}
		rc = archive_write(&w->ar, w->chunk, want, false);
		left -= want;
		w->done += want;
		report(w);
	}
	close(fd);
	return rc;
}

static int put_all(struct writer *w, const struct entries *es, int schema, struct backup_summary *out)
{
	int n = snprintf((char *)w->chunk, ARCHIVE_CHUNK, BACKUP_FORMAT_LINE "schema %d\nmade %" PRId64 "\n", schema,
			 clock_now());
	int rc = archive_write(&w->ar, w->chunk, (size_t)n, false);
	for (size_t i = 0; rc == VD_OK && i < es->n; i++) {
		bool vanished;
		uint64_t size = 0;
		rc = put_file(w, &es->items[i], &vanished, &size);
		if (vanished)
			out->vanished++;
		else if (rc == VD_OK) {
			out->files++;
			out->bytes += size;
		}
	}
	if (rc == VD_OK) {
		n = snprintf((char *)w->chunk, ARCHIVE_CHUNK, "end %" PRId64 " %" PRIu64 "\n", out->files, out->bytes);
		rc = archive_write(&w->ar, w->chunk, (size_t)n, true);
	}
	return rc;
}

static uint64_t total_size(const struct entries *es)
{
	uint64_t t = 0;
	for (size_t i = 0; i < es->n; i++)
		t += es->items[i].size;
	return t;
}

/* Moves the finished part into place, never over an existing file. */
static int publish(const char *part, const char *file)
{
	if (link(part, file) != 0)
		return errno == EEXIST ? VD_ERR_EXISTS : VD_ERR_IO;
	unlink(part);
	char parent[4096];
	backup_parent(file, parent, sizeof parent);
	backup_sync_dir(parent);
	return VD_OK;
}

/* The database as it was at one moment into path (an empty file): the
 * store's own copy; or, for a database outside the directory (PostgreSQL),
 * its rows into a new SQLite database there, read back and compared, so a
 * backup restores the same way whichever store made it. */
static int copy_database(struct store *s, const char *path)
{
	if (s->ops->copy_to)
		return s->ops->copy_to(s, path);
	struct store *copy = NULL;
	int rc = store_sqlite_open(path, 1, &copy);
	if (rc == VD_OK)
		rc = copy->ops->migrate(copy, NULL, NULL);
	if (rc == VD_OK)
		rc = store_copy(s, copy, crypto_digest, NULL);
	store_close(copy);
	return rc;
}

/* The uploads and the directory's files with the database's copy at tmpdb,
 * encrypted to pk, into outfd. */
static int write_backup(struct vd *vd, const char *tmpdb, int outfd, const unsigned char pk[CRYPTO_PK_LEN],
			const unsigned char sign_sk[CRYPTO_SIGN_SK_LEN], const struct backup_progress *progress, struct backup_summary *out, char *err, size_t errlen)
{
	struct stat self, copy;
	struct entries es = { 0 };
	struct writer w = { .progress = progress };
	int rc = fstat(outfd, &self) == 0 && stat(tmpdb, &copy) == 0 ? VD_OK : VD_ERR_IO;
	if (rc == VD_OK)
		rc = entries_add(&es, VD_DB_FILE, tmpdb, (uint64_t)copy.st_size);
	if (rc == VD_OK)
		rc = list_files(vd->dir, NULL, &self, &es);
	if (rc == VD_OK)
		rc = list_files(vd->dir, "files", &self, &es);
	if (rc) {
		snprintf(err, errlen, "cannot read the files of %s", vd->dir);
		free(es.items);
		return rc;
	}
	qsort(es.items, es.n, sizeof *es.items, by_name);
	w.total = total_size(&es);
	w.chunk = malloc(ARCHIVE_CHUNK);
	rc = w.chunk ? archive_write_begin(&w.ar, outfd, pk) : VD_ERR_NOMEM;
	if (rc == VD_OK)
		rc = put_all(&w, &es, out->schema, out);
	if (rc == VD_OK)
		rc = archive_write_signature(&w.ar, sign_sk);
	if (rc == VD_OK && fsync(outfd) != 0)
		rc = VD_ERR_IO;
	if (rc)
		snprintf(err, errlen, rc == VD_ERR_NOMEM ? "out of memory"
				      : "cannot write the backup, or a file changed while it was read (is the disk full?)");
	archive_end(&w.ar);
	if (w.chunk)
		crypto_wipe(w.chunk, ARCHIVE_CHUNK);
	free(w.chunk);
	free(es.items);
	return rc;
}

int backup_make(const char *dir, const char *file, const struct backup_progress *progress,
		struct backup_summary *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	unsigned char pk[CRYPTO_PK_LEN], sign_sk[CRYPTO_SIGN_SK_LEN];
	int rc = backup_server_keys(dir, pk, sign_sk);
	if (rc) {
		snprintf(err, errlen,
			 rc == VD_ERR_NOTFOUND ? "%s has no backup key yet: make one with vertrouwd backup-key DIR KEYFILE"
			 : rc == VD_ERR_IO     ? "cannot read the backup key's files in %s (run this as their owner)"
					       : "the backup key's files in %s are damaged",
			 dir);
		return rc;
	}
	struct stat st;
	struct vd *vd = NULL;
	if (lstat(file, &st) == 0) {
		snprintf(err, errlen, "%s already exists", file);
		rc = VD_ERR_EXISTS;
	}
	if (rc == VD_OK)
		rc = app_open(dir, 0, &vd, err, errlen);
	if (rc) {
		crypto_wipe(sign_sk, sizeof sign_sk);
		return rc;
	}
	rc = vd->store->ops->schema_version(vd->store, &out->schema);
	char tmpdb[4096], part[4096];
	int lockfd = -1, outfd = -1;
	if (rc == VD_OK)
		sweep_temp_copies(vd->dir);
	if (rc == VD_OK && (backup_path(tmpdb, sizeof tmpdb, vd->dir, TMP_PREFIX "XXXXXX" TMP_SUFFIX) != VD_OK ||
			    snprintf(part, sizeof part, "%s.part-XXXXXX", file) >= (int)sizeof part)) {
		snprintf(err, errlen, "the path is too long");
		rc = VD_ERR_TOOBIG;
	}
	if (rc == VD_OK && ((lockfd = mkstemps(tmpdb, sizeof TMP_SUFFIX - 1)) < 0 || flock(lockfd, LOCK_EX) != 0)) {
		snprintf(err, errlen, "cannot write a temporary copy in %s", vd->dir);
		rc = VD_ERR_IO;
	}
	if (rc == VD_OK && (rc = copy_database(vd->store, tmpdb)) != VD_OK)
		snprintf(err, errlen, "cannot copy the database");
	if (rc == VD_OK && (outfd = mkstemp(part)) < 0) {
		snprintf(err, errlen, "cannot write next to %s", file);
		rc = VD_ERR_IO;
	}
	if (rc == VD_OK)
		rc = write_backup(vd, tmpdb, outfd, pk, sign_sk, progress, out, err, errlen);
	crypto_wipe(sign_sk, sizeof sign_sk);
	if (outfd >= 0 && close(outfd) != 0 && rc == VD_OK)
		rc = VD_ERR_IO;
	if (rc == VD_OK && (rc = publish(part, file)) != VD_OK)
		snprintf(err, errlen, rc == VD_ERR_EXISTS ? "%s already exists" : "cannot move the backup to %s", file);
	if (outfd >= 0 && rc)
		unlink(part);
	if (lockfd >= 0) {
		unlink(tmpdb);
		close(lockfd);
	}
	if (rc == VD_OK) {
		struct store *s = vd->store;
		rc = s->ops->begin(s);
		if (rc == VD_OK)
			rc = app_end(vd, audit_record(vd, 0, "backup.make", "installation", 0), 0);
		if (rc)
			snprintf(err, errlen, "the backup was made, but the audit log could not record it");
	}
	app_close(vd);
	return rc;
}
