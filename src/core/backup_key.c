/* backup_key: the backup key pair and its two files; see backup.h. */
#include "internal/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/errors.h"
#include "../util/text.h"
#include "internal/app.h"
#include "internal/audit.h"

#define HEX_LEN (2 * CRYPTO_PK_LEN)
#define KEYFILE_MAX 2048

static const char keyfile_head[] =
    "# vertrouwd backup key: the secret half that restores a backup.\n"
    "# Keep it away from the server, in a safe place, and nowhere near the backups:\n"
    "# without it no backup can be restored; with it, anyone holding a backup can\n"
    "# read every case in it.\n";

int backup_path(char *out, size_t n, const char *dir, const char *name)
{
	int w = snprintf(out, n, "%s/%s", dir, name);
	return w > 0 && (size_t)w < n ? VD_OK : VD_ERR_TOOBIG;
}

bool backup_name_valid(const char *name)
{
	static const char upload[] = "files/";
	size_t n = strlen(name);
	if (strncmp(name, upload, sizeof upload - 1) == 0) {
		const char *id = name + sizeof upload - 1;
		return strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32;
	}
	if (n == 0 || n > 64 || name[0] == '.')
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

bool backup_is_keyfile(const char *path)
{
	char head[sizeof keyfile_head];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, head, sizeof keyfile_head - 1);
	close(fd);
	return n == (ssize_t)(sizeof keyfile_head - 1) && memcmp(head, keyfile_head, sizeof keyfile_head - 1) == 0;
}

void backup_parent(const char *path, char *out, size_t n)
{
	snprintf(out, n, "%s", path);
	char *slash = strrchr(out, '/');
	if (!slash)
		snprintf(out, n, ".");
	else
		*(slash == out ? slash + 1 : slash) = '\0';
}

void backup_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Fsyncs the directory a path is in, so a new name in it lasts. */
static void sync_parent(const char *path)
{
	char parent[4096];
	backup_parent(path, parent, sizeof parent);
	backup_sync_dir(parent);
}

/* Is the directory that would hold path the directory dir itself? */
static bool inside(const char *path, const char *dir)
{
	char parent[4096];
	backup_parent(path, parent, sizeof parent);
	struct stat a, b;
	return stat(parent, &a) == 0 && stat(dir, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Reads a small file whole into buf (NUL-terminated); wipes what it read on error. */
static int read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? VD_ERR_NOTFOUND : VD_ERR_IO;
	size_t n = 0;
	ssize_t r;
	while (n < cap - 1 && ((r = read(fd, buf + n, cap - 1 - n)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			n += (size_t)r;
	char extra;
	bool more = n == cap - 1 && read(fd, &extra, 1) > 0;
	close(fd);
	buf[n] = '\0';
	if (more) {
		crypto_wipe(buf, cap);
		return VD_ERR_INVALID;
	}
	return VD_OK;
}

/* The 2n hex digits after "label " at the start of a line of text. */
static int hex_after(const char *text, const char *label, unsigned char *out, size_t n)
{
	size_t ln = strlen(label), hn = 2 * n;
	char digits[2 * CRYPTO_SIGN_SK_LEN + 1];
	if (hn >= sizeof digits)
		return VD_ERR_MISUSE;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, label, ln) != 0 || p[ln] != ' ')
			continue;
		const char *h = p + ln + 1;
		if (strspn(h, "0123456789abcdef") != hn || (h[hn] != '\n' && h[hn] != '\0'))
			return VD_ERR_INVALID;
		memcpy(digits, h, hn);
		digits[hn] = '\0';
		int rc = text_hex_decode(digits, out, n);
		crypto_wipe(digits, sizeof digits);
		return rc;
	}
	return VD_ERR_INVALID;
}

int backup_server_keys(const char *dir, unsigned char pk[CRYPTO_PK_LEN], unsigned char sign_sk[CRYPTO_SIGN_SK_LEN])
{
	char path[4096], text[512];
	int rc = backup_path(path, sizeof path, dir, BACKUP_PUBLIC_FILE);
	if (rc == VD_OK)
		rc = read_small(path, text, sizeof text);
	if (rc == VD_OK)
		rc = hex_after(text, "public", pk, CRYPTO_PK_LEN);
	if (rc == VD_OK)
		rc = backup_path(path, sizeof path, dir, BACKUP_SIGN_FILE);
	if (rc == VD_OK)
		rc = read_small(path, text, sizeof text);
	if (rc == VD_OK)
		rc = hex_after(text, "sign", sign_sk, CRYPTO_SIGN_SK_LEN);
	crypto_wipe(text, sizeof text);
	if (rc)
		crypto_wipe(sign_sk, CRYPTO_SIGN_SK_LEN);
	return rc;
}

int backup_keyfile_read(const char *path, struct backup_keyfile *k)
{
	char text[KEYFILE_MAX];
	unsigned char derived[CRYPTO_PK_LEN];
	int rc = read_small(path, text, sizeof text);
	if (rc == VD_OK)
		rc = hex_after(text, "public", k->pk, sizeof k->pk);
	if (rc == VD_OK)
		rc = hex_after(text, "secret", k->sk, sizeof k->sk);
	if (rc == VD_OK)
		rc = hex_after(text, "verify", k->verify, sizeof k->verify);
	if (rc == VD_OK)
		rc = crypto_public_key(k->sk, derived);
	if (rc == VD_OK && !crypto_equal(derived, k->pk, CRYPTO_PK_LEN))
		rc = VD_ERR_INVALID;
	crypto_wipe(text, sizeof text);
	if (rc)
		crypto_wipe(k, sizeof *k);
	return rc;
}

/* Writes text to a new file at path (owner-only), synced. */
static int write_new(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno == EEXIST ? VD_ERR_EXISTS : VD_ERR_IO;
	size_t n = strlen(text);
	ssize_t w = write(fd, text, n);
	int rc = w == (ssize_t)n && fsync(fd) == 0 ? VD_OK : VD_ERR_IO;
	if (close(fd) != 0)
		rc = VD_ERR_IO;
	if (rc)
		unlink(path);
	return rc;
}

/* Writes the three files: the key file first (if that fails nothing is
 * left), then the server's two. */
static int write_keys(const char *dir, const char *keyfile, char *err, size_t errlen)
{
	char pubpath[4096], signpath[4096];
	if (backup_path(pubpath, sizeof pubpath, dir, BACKUP_PUBLIC_FILE) ||
	    backup_path(signpath, sizeof signpath, dir, BACKUP_SIGN_FILE))
		return VD_ERR_TOOBIG;
	unsigned char pk[CRYPTO_PK_LEN], sk[CRYPTO_SK_LEN], vk[CRYPTO_SIGN_PK_LEN], ssk[CRYPTO_SIGN_SK_LEN];
	char pkhex[2 * CRYPTO_PK_LEN + 1], skhex[2 * CRYPTO_SK_LEN + 1], vkhex[2 * CRYPTO_SIGN_PK_LEN + 1];
	char sskhex[2 * CRYPTO_SIGN_SK_LEN + 1], text[KEYFILE_MAX];
	crypto_keypair(pk, sk);
	crypto_sign_keypair_new(vk, ssk);
	text_hex_encode(pk, sizeof pk, pkhex);
	text_hex_encode(sk, sizeof sk, skhex);
	text_hex_encode(vk, sizeof vk, vkhex);
	text_hex_encode(ssk, sizeof ssk, sskhex);
	snprintf(text, sizeof text, "%spublic %s\nsecret %s\nverify %s\n", keyfile_head, pkhex, skhex, vkhex);
	int rc = write_new(keyfile, text);
	if (rc == VD_OK)
		sync_parent(keyfile);
	bool wrote_keyfile = rc == VD_OK;
	if (rc)
		snprintf(err, errlen, rc == VD_ERR_EXISTS ? "%s already exists" : "cannot write %s", keyfile);
	if (rc == VD_OK) {
		snprintf(text, sizeof text, "# the public half of the backup key: backups are sealed to it\npublic %s\n",
			 pkhex);
		rc = write_new(pubpath, text);
	}
	if (rc == VD_OK) {
		snprintf(text, sizeof text, "# the key this server signs its backups with (secret)\nsign %s\n", sskhex);
		if ((rc = write_new(signpath, text)) != VD_OK)
			unlink(pubpath);
	}
	if (rc && wrote_keyfile) {
		snprintf(err, errlen, "cannot write the backup key's files in %s", dir);
		unlink(keyfile);
	}
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(ssk, sizeof ssk);
	crypto_wipe(skhex, sizeof skhex);
	crypto_wipe(sskhex, sizeof sskhex);
	crypto_wipe(text, sizeof text);
	return rc;
}

int backup_key_new(const char *dir, const char *keyfile, char *err, size_t errlen)
{
	char pubpath[4096], signpath[4096];
	struct stat st;
	if (backup_path(pubpath, sizeof pubpath, dir, BACKUP_PUBLIC_FILE) ||
	    backup_path(signpath, sizeof signpath, dir, BACKUP_SIGN_FILE))
		return VD_ERR_TOOBIG;
	struct vd *vd = NULL;
	int rc = app_open(dir, 0, &vd, err, errlen);
	if (rc)
		return rc;
	if (inside(keyfile, dir)) {
		snprintf(err, errlen, "the key file must not go into %s itself: write it elsewhere and move it off this"
			 " server", dir);
		app_close(vd);
		return VD_ERR_INVALID;
	}
	if (lstat(pubpath, &st) == 0 || lstat(signpath, &st) == 0) {
		snprintf(err, errlen,
			 "%s already has a backup key; to make a new one, first remove " BACKUP_PUBLIC_FILE
			 " and " BACKUP_SIGN_FILE " (backups made since need the new key, older ones the old)",
			 dir);
		app_close(vd);
		return VD_ERR_EXISTS;
	}
	rc = write_keys(dir, keyfile, err, errlen);
	if (rc == VD_OK) {
		sync_parent(pubpath);
		struct store *s = vd->store;
		rc = s->ops->begin(s);
		if (rc == VD_OK)
			rc = app_end(vd, audit_record(vd, 0, "backup.key", "installation", 0), 0);
		if (rc)
			snprintf(err, errlen, "the key was made, but the audit log could not record it");
	}
	app_close(vd);
	return rc;
}
