/* internal/backup: what making and restoring a backup share (../backup.h). */
#ifndef VD_INTERNAL_BACKUP_H
#define VD_INTERNAL_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "../../crypto/crypto.h"
#include "../backup.h"

/* The first chunk of every backup begins with this line. */
#define BACKUP_FORMAT_LINE "vertrouwd backup 1\n"

/* dir/name into out; VD_ERR_TOOBIG if it does not fit. */
int backup_path(char *out, size_t n, const char *dir, const char *name);

/* The directory that holds path ("." for a bare name) into out; and an
 * fsync of a directory, so the names made in it last (best effort). */
void backup_parent(const char *path, char *out, size_t n);
void backup_sync_dir(const char *dir);

/* A name a backup may hold: a file of the data directory itself (letters,
 * digits, '.', '_', '-', at most 64, not starting with a dot) or an upload,
 * "files/" and 32 lower-case hex digits. Nothing else is written on restore,
 * so a crafted backup cannot reach outside the directory. */
bool backup_name_valid(const char *name);

/* Whether the file at path is an administrator's key file (it begins as
 * backup_key_new writes one). */
bool backup_is_keyfile(const char *path);

/* The server's side of the backup key: the public half backups are sealed
 * to (backup.pub) and the signing key they are signed with (backup-sign.key;
 * the caller wipes sign_sk). VD_ERR_NOTFOUND if there are none,
 * VD_ERR_INVALID if one is damaged. */
#define BACKUP_SIGN_FILE "backup-sign.key"
int backup_server_keys(const char *dir, unsigned char pk[CRYPTO_PK_LEN], unsigned char sign_sk[CRYPTO_SIGN_SK_LEN]);

/* The administrator's key file (backup_key_new): both halves of the backup
 * key and the public half of the server's signing key. sk is the caller's
 * to wipe. VD_ERR_NOTFOUND, or VD_ERR_INVALID if it is not such a file or
 * its halves do not belong together. */
struct backup_keyfile {
	unsigned char pk[CRYPTO_PK_LEN];
	unsigned char sk[CRYPTO_SK_LEN];
	unsigned char verify[CRYPTO_SIGN_PK_LEN];
};
int backup_keyfile_read(const char *path, struct backup_keyfile *k);

#endif
