/*
 * backup: a whole data directory as one encrypted file, and back again.
 *
 * A backup is sealed to the installation's backup key, an X25519 key pair
 * made once with backup_key_new. The data directory keeps only the public
 * half (backup.pub), so the server can make backups it cannot read itself;
 * the secret half is a small file the administrator keeps elsewhere (a safe,
 * a password manager) and needs only to restore. A stolen backup without it
 * is noise. How to use it: docs/operations.md.
 *
 * The copy is consistent while the server runs: the database is copied as
 * it was at one moment (the store's copy_to), then the uploaded files,
 * which are written before the record that names them commits, so every
 * file the copied database names is there.
 */
#ifndef VD_BACKUP_H
#define VD_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BACKUP_PUBLIC_FILE "backup.pub"

/* Called now and then with the bytes done of the total, for a progress bar. */
struct backup_progress {
	void (*report)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

struct backup_summary {
	int64_t files;          /* files in the backup: the database, config, keys, uploads */
	uint64_t bytes;         /* their size before encryption */
	int64_t vanished;       /* uploads removed while the backup ran (backup_make) */
	int schema;             /* the database's schema version */
	int64_t made_at;        /* when the backup was made */
	int64_t audit_entries;  /* backup_restore: the audit log checked, and its head */
	char audit_head[65];
	bool from_postgres;     /* backup_restore: made on PostgreSQL, restored as SQLite (vertrouwd.db) */
};

/*
 * Makes the backup key: writes its secret half to keyfile (a new file,
 * owner-only) and its public half to dir's backup.pub. Refuses if either
 * exists: a new key means old backups need the old secret, so replacing it
 * is a deliberate step (remove backup.pub first).
 */
int backup_key_new(const char *dir, const char *keyfile, char *err, size_t errlen);

/* Writes a backup of dir to file (a new file; it appears whole or not at
 * all). progress may be NULL. */
int backup_make(const char *dir, const char *file, const struct backup_progress *progress,
		struct backup_summary *out, char *err, size_t errlen);

/*
 * Restores file into dir (which must not exist, or be empty) with the
 * secret key in keyfile. Everything is checked before dir appears: every
 * chunk authentic and in order, nothing cut off or added, the database's
 * integrity, its schema, the audit log's whole chain. Either dir then holds
 * the data directory as it was, or nothing was made.
 */
int backup_restore(const char *file, const char *keyfile, const char *dir, const struct backup_progress *progress,
		   struct backup_summary *out, char *err, size_t errlen);

#endif
