/*
 * restore: a backup back into a data directory, checked whole before it is
 * put in place; see backup.h (and backup.c for what the chunks say).
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

#include "../util/errors.h"
#include "../util/io.h"
#include "../util/text.h"
#include "internal/app.h"
#include "internal/archive.h"
#include "internal/audit.h"
#include "internal/config.h"
#include "internal/config_file.h"

struct reader {
	struct archive ar;
	unsigned char *chunk; /* ARCHIVE_CHUNK + 1 bytes: room for a NUL after a line */
	size_t n;
	bool final;
	const struct backup_progress *progress;
	uint64_t total;
};

static int next(struct reader *r)
{
	if (r->final)
		return VD_ERR_INVALID; /* something is missing: the end came early */
	int rc = archive_read(&r->ar, r->chunk, &r->n, &r->final);
	r->chunk[r->n] = '\0';
	if (rc == VD_OK && r->progress && r->progress->report)
		r->progress->report(r->progress->ctx, r->ar.offset, r->total);
	return rc;
}

/* The chunk is one line "WORD NUMBER REST\n"; *rest points into the chunk. */
static int parse_line(struct reader *r, const char *word, uint64_t *num, char **rest)
{
	char *s = (char *)r->chunk;
	size_t wl = strlen(word);
	if (r->n == 0 || s[r->n - 1] != '\n' || strlen(s) != r->n || strncmp(s, word, wl) != 0 || s[wl] != ' ')
		return VD_ERR_INVALID;
	s[r->n - 1] = '\0';
	char *p = s + wl + 1, *sp = strchr(p, ' ');
	if (sp)
		*sp = '\0';
	int64_t v;
	if (text_parse_i64(p, 0, INT64_MAX, &v) != VD_OK)
		return VD_ERR_INVALID;
	*num = (uint64_t)v;
	*rest = sp ? sp + 1 : NULL;
	return VD_OK;
}

/* The number after "label " on a line of the header; VD_ERR_INVALID if none. */
static int header_number(const char *text, const char *label, int64_t max, int64_t *out)
{
	char want[32], num[24];
	snprintf(want, sizeof want, "\n%s ", label);
	const char *p = strstr(text, want);
	size_t n = p ? strcspn(p + strlen(want), "\n") : 0;
	if (n == 0 || n >= sizeof num)
		return VD_ERR_INVALID;
	memcpy(num, p + strlen(want), n);
	num[n] = '\0';
	return text_parse_i64(num, 1, max, out);
}

/* The header chunk: the format line, then "schema N" and "made T". */
static int read_header(struct reader *r, struct backup_summary *out)
{
	int rc = next(r);
	if (rc)
		return rc;
	const char *s = (const char *)r->chunk;
	int64_t schema;
	if (strncmp(s, BACKUP_FORMAT_LINE, sizeof BACKUP_FORMAT_LINE - 1) != 0 ||
	    header_number(s + sizeof BACKUP_FORMAT_LINE - 2, "schema", 1000000, &schema) != VD_OK ||
	    header_number(s + sizeof BACKUP_FORMAT_LINE - 2, "made", INT64_MAX, &out->made_at) != VD_OK)
		return VD_ERR_INVALID;
	out->schema = (int)schema;
	return VD_OK;
}

/* One file's bytes from the chunks after its line into tmp/name. */
static int read_file(struct reader *r, const char *tmp, const char *name, uint64_t size)
{
	char path[4096];
	if (backup_path(path, sizeof path, tmp, name) != VD_OK)
		return VD_ERR_TOOBIG;
	/* O_EXCL: a name given twice is refused, not written over. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno == EEXIST ? VD_ERR_INVALID : VD_ERR_IO;
	int rc = VD_OK;
	uint64_t left = size;
	while (rc == VD_OK && left) {
		rc = next(r);
		if (rc == VD_OK && (r->n == 0 || r->n > left || r->final))
			rc = VD_ERR_INVALID;
		if (rc == VD_OK)
			rc = io_write_all(fd, r->chunk, r->n);
		left -= rc == VD_OK ? r->n : 0;
	}
	if (rc == VD_OK && fsync(fd) != 0)
		rc = VD_ERR_IO;
	if (close(fd) != 0 && rc == VD_OK)
		rc = VD_ERR_IO;
	return rc;
}

/* Every file up to the final "end" chunk, whose counts must agree. */
static int read_files(struct reader *r, const char *tmp, struct backup_summary *out)
{
	for (;;) {
		int rc = next(r);
		if (rc)
			return rc;
		uint64_t num;
		char *rest;
		if (r->final) {
			int64_t bytes;
			if (parse_line(r, "end", &num, &rest) != VD_OK || !rest || num != (uint64_t)out->files ||
			    text_parse_i64(rest, 0, INT64_MAX, &bytes) != VD_OK)
				return VD_ERR_INVALID;
			return (uint64_t)bytes == out->bytes ? VD_OK : VD_ERR_INVALID;
		}
		if (parse_line(r, "file", &num, &rest) != VD_OK || !rest || !backup_name_valid(rest))
			return VD_ERR_INVALID;
		char name[80];
		snprintf(name, sizeof name, "%s", rest);
		rc = read_file(r, tmp, name, num);
		if (rc)
			return rc;
		out->files++;
		out->bytes += num;
	}
}

/* Removes what a failed restore wrote (only names a backup may hold). */
static void remove_tmp(const char *tmp)
{
	const char *subs[] = { "files/tmp", "files", "." };
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		char path[4096];
		backup_path(path, sizeof path, tmp, subs[i]);
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			char file[4096];
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
			    backup_path(file, sizeof file, path, de->d_name) == VD_OK)
				unlink(file);
		}
		if (d)
			closedir(d);
		rmdir(path);
	}
	rmdir(tmp);
}

static bool dir_usable(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) != 0)
		return errno == ENOENT;
	return S_ISDIR(st.st_mode) && app_dir_is_empty(dir);
}

/* What must be in a data directory before it is opened. */
static bool has_essentials(const char *tmp)
{
	const char *names[] = { VD_CONF_FILE, VD_SECRET_FILE, VD_DB_FILE };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[4096];
		struct stat st;
		if (backup_path(path, sizeof path, tmp, names[i]) != VD_OK || lstat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return false;
	}
	return true;
}

/* Opens the restored directory and checks the database and the audit log
 * through and through; records the restore in the log. */
static int check_restored(const char *tmp, struct backup_summary *out, char *err, size_t errlen)
{
	struct vd *vd = NULL;
	char why[256];
	int rc = app_open(tmp, 0, &vd, why, sizeof why);
	if (rc) {
		snprintf(err, errlen, "the restored data does not open: %s", why);
		return rc;
	}
	struct store *s = vd->store;
	struct audit_report rep;
	rc = s->ops->check(s);
	if (rc)
		snprintf(err, errlen, "the database in the backup fails its integrity check");
	if (rc == VD_OK && (rc = audit_verify(vd, &rep)) != VD_OK)
		snprintf(err, errlen, "cannot read the audit log in the backup");
	if (rc == VD_OK && rep.broken_at) {
		snprintf(err, errlen, "the audit log in the backup is broken at entry %" PRId64 ": %s", rep.broken_at,
			 audit_break_text(rep.why));
		rc = VD_ERR_INVALID;
	}
	if (rc == VD_OK) {
		out->audit_entries = rep.entries;
		text_hex_encode(rep.head, sizeof rep.head, out->audit_head);
		rc = s->ops->begin(s);
		if (rc == VD_OK)
			rc = app_end(vd, audit_record(vd, 0, "backup.restore", "installation", 0), 0);
		if (rc)
			snprintf(err, errlen, "cannot record the restore in the audit log");
	}
	app_close(vd);
	return rc;
}

static const char *read_error(int rc)
{
	switch (rc) {
	case VD_ERR_NOKEY: return "this backup was made for another backup key";
	case VD_ERR_DENIED: return "the backup is not signed by the server the key file belongs to: it was not made by it";
	case VD_ERR_AUTH: return "the backup is damaged or was changed: a part of it does not open with the key";
	case VD_ERR_IO: return "cannot read the backup or write the restored files";
	case VD_ERR_NOMEM: return "out of memory";
	default: return "the backup is incomplete or not a vertrouwd backup";
	}
}

/* Whether the restored config says store = postgres. */
static int restored_from_postgres(const char *tmp, bool *yes)
{
	struct config cfg;
	config_defaults(&cfg);
	char conf[4096], why[160];
	int line = 0;
	*yes = false;
	if (backup_path(conf, sizeof conf, tmp, VD_CONF_FILE) != VD_OK)
		return VD_ERR_TOOBIG;
	if (config_load(&cfg, conf, &line, why, sizeof why) != VD_OK)
		return VD_OK; /* check_restored says what is wrong with it */
	*yes = cfg.store_postgres;
	crypto_wipe(cfg.store_url, sizeof cfg.store_url);
	return VD_OK;
}

/* The backup's contents into the new directory tmp, then checked. */
static int restore_into(int fd, const struct backup_keyfile *k, const char *tmp, struct reader *r, struct backup_summary *out, char *err, size_t errlen)
{
	char files[4096], ftmp[4096];
	if (backup_path(files, sizeof files, tmp, "files") || backup_path(ftmp, sizeof ftmp, tmp, "files/tmp"))
		return VD_ERR_TOOBIG;
	int rc = mkdir(files, 0700) == 0 && mkdir(ftmp, 0700) == 0 ? VD_OK : VD_ERR_IO;
	if (rc == VD_OK)
		rc = archive_read_begin(&r->ar, fd, k->pk, k->sk);
	if (rc == VD_OK)
		rc = read_header(r, out);
	if (rc == VD_OK)
		rc = read_files(r, tmp, out);
	if (rc == VD_OK)
		rc = archive_read_finished(&r->ar, k->verify);
	if (rc) {
		snprintf(err, errlen, "%s", read_error(rc));
		return rc;
	}
	if (!has_essentials(tmp)) {
		snprintf(err, errlen, "the backup lacks the database, the config or the secret key");
		return VD_ERR_INVALID;
	}
	/* a PostgreSQL installation's backup holds its records as SQLite: the
	 * restored directory uses them, never the database it was made from */
	if (restored_from_postgres(tmp, &out->from_postgres) != VD_OK ||
	    (out->from_postgres && config_switch_store(tmp, NULL) != VD_OK)) {
		snprintf(err, errlen, "cannot read or change the restored config");
		return VD_ERR_IO;
	}
	return check_restored(tmp, out, err, errlen);
}

/* Removes what an interrupted restore into dir left beside it (decrypted
 * data): a running restore holds a lock on its own directory. */
static void sweep_interrupted(const char *dir)
{
	char parent[4096], prefix[4200];
	backup_parent(dir, parent, sizeof parent);
	const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	snprintf(prefix, sizeof prefix, "%s.restore-", base);
	DIR *d = opendir(parent);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char path[4096];
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    backup_path(path, sizeof path, parent, de->d_name) != VD_OK)
			continue;
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			remove_tmp(path);
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
}

/* Refuses a target that would fail only after all the work: not empty, or
 * a mount point (the restored directory is renamed onto it). */
static int target_usable(const char *dir, char *err, size_t errlen)
{
	if (!dir_usable(dir)) {
		snprintf(err, errlen, "%s already exists and is not an empty directory", dir);
		return VD_ERR_EXISTS;
	}
	char parent[4096];
	backup_parent(dir, parent, sizeof parent);
	struct stat d, p;
	if (stat(parent, &p) != 0 || !S_ISDIR(p.st_mode)) {
		snprintf(err, errlen, "the directory %s is to go into does not exist", dir);
		return VD_ERR_NOTFOUND;
	}
	if (stat(dir, &d) == 0 && d.st_dev != p.st_dev) {
		snprintf(err, errlen, "%s is a mount point: restore into a directory inside it", dir);
		return VD_ERR_INVALID;
	}
	return VD_OK;
}

/* The restored directory into place and made to last. */
static int put_in_place(const char *tmp, const char *dir, char *err, size_t errlen)
{
	char sub[4096], parent[4096];
	backup_path(sub, sizeof sub, tmp, "files");
	backup_sync_dir(sub);
	backup_sync_dir(tmp);
	/* rename replaces an empty directory: if it fails, that one is still there */
	if (rename(tmp, dir) != 0) {
		snprintf(err, errlen, "cannot move the restored directory into place");
		return VD_ERR_IO;
	}
	backup_parent(dir, parent, sizeof parent);
	backup_sync_dir(parent);
	return VD_OK;
}

int backup_restore(const char *file, const char *keyfile, const char *dir_in, const struct backup_progress *progress,
		   struct backup_summary *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	char dir[4096];
	size_t dn = strlen(dir_in);
	while (dn > 1 && dir_in[dn - 1] == '/')
		dn--; /* "r/" is r */
	if (dn >= sizeof dir - 32) {
		snprintf(err, errlen, "the path is too long");
		return VD_ERR_TOOBIG;
	}
	memcpy(dir, dir_in, dn);
	dir[dn] = '\0';
	struct backup_keyfile k;
	int rc = backup_keyfile_read(keyfile, &k);
	if (rc) {
		snprintf(err, errlen, rc == VD_ERR_NOTFOUND ? "%s not found"
				      : rc == VD_ERR_IO   ? "cannot read %s (is it yours to read?)"
							  : "%s is not a vertrouwd backup key",
			 keyfile);
		return rc;
	}
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		crypto_wipe(&k, sizeof k);
		snprintf(err, errlen, "cannot open %s", file);
		return VD_ERR_NOTFOUND;
	}
	char tmp[4200];
	struct stat st;
	struct reader r = { .progress = progress, .total = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0 };
	r.chunk = malloc(ARCHIVE_CHUNK + 1);
	sweep_interrupted(dir);
	int lockfd = -1;
	snprintf(tmp, sizeof tmp, "%s.restore-XXXXXX", dir);
	if ((rc = target_usable(dir, err, errlen)) != VD_OK) {
		/* said */
	} else if (!r.chunk) {
		snprintf(err, errlen, "out of memory");
		rc = VD_ERR_NOMEM;
	} else if (!mkdtemp(tmp) || (lockfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
		   flock(lockfd, LOCK_EX) != 0) {
		snprintf(err, errlen, "cannot create a directory next to %s", dir);
		rc = VD_ERR_IO;
	} else {
		chmod(tmp, 0700);
		rc = restore_into(fd, &k, tmp, &r, out, err, errlen);
		if (rc == VD_OK)
			rc = put_in_place(tmp, dir, err, errlen);
		if (rc)
			remove_tmp(tmp);
	}
	if (lockfd >= 0)
		close(lockfd);
	crypto_wipe(&k, sizeof k);
	archive_end(&r.ar);
	if (r.chunk)
		crypto_wipe(r.chunk, ARCHIVE_CHUNK + 1);
	free(r.chunk);
	close(fd);
	return rc;
}
