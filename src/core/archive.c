/* archive: the encrypted container of a backup; see internal/archive.h. */
#include "internal/archive.h"

#include <stdlib.h>
#include <string.h>

#include "../util/errors.h"
#include "../util/io.h"

static const char magic[] = "vertrouwd backup 1\n";
#define MAGIC_LEN (sizeof magic - 1)
#define SEALED_KEY_LEN (CRYPTO_KEY_LEN + CRYPTO_SEAL_OVERHEAD)
#define CHUNK_MAX (ARCHIVE_CHUNK + CRYPTO_STREAM_OVERHEAD)

/* The file's head: the magic line, the public key, the sealed stream key
 * and the stream's header, written and read in one piece. */
#define HEAD_LEN (MAGIC_LEN + CRYPTO_PK_LEN + SEALED_KEY_LEN + CRYPTO_STREAM_HEADER_LEN)

/* Written bytes are signed too. */
static int write_all(struct archive *ar, const void *p, size_t n)
{
	crypto_signer_update(&ar->sg, p, n);
	return io_write_all(ar->fd, p, n);
}

/* What both directions start with. */
static int archive_open(struct archive *ar, int fd)
{
	memset(ar, 0, sizeof *ar);
	ar->fd = fd;
	crypto_signer_init(&ar->sg);
	ar->buf = malloc(CHUNK_MAX);
	return ar->buf ? VD_OK : VD_ERR_NOMEM;
}

int archive_write_begin(struct archive *ar, int fd, const unsigned char pk[CRYPTO_PK_LEN])
{
	int rc = archive_open(ar, fd);
	if (rc)
		return rc;
	unsigned char key[CRYPTO_KEY_LEN], head[HEAD_LEN];
	memcpy(head, magic, MAGIC_LEN);
	memcpy(head + MAGIC_LEN, pk, CRYPTO_PK_LEN);
	crypto_key_new(key);
	crypto_seal(pk, key, sizeof key, head + MAGIC_LEN + CRYPTO_PK_LEN);
	crypto_stream_push_init(&ar->st, key, head + MAGIC_LEN + CRYPTO_PK_LEN + SEALED_KEY_LEN);
	crypto_wipe(key, sizeof key);
	ar->offset = sizeof head;
	return write_all(ar, head, sizeof head);
}

int archive_write(struct archive *ar, const void *p, size_t n, bool final)
{
	if (n > ARCHIVE_CHUNK || ar->done)
		return VD_ERR_MISUSE;
	size_t len = n + CRYPTO_STREAM_OVERHEAD;
	unsigned char be[4] = { (unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
				(unsigned char)len };
	crypto_stream_push(&ar->st, p, n, ar->buf, final);
	int rc = write_all(ar, be, sizeof be);
	if (rc == VD_OK)
		rc = write_all(ar, ar->buf, len);
	ar->offset += sizeof be + len;
	ar->done = final;
	return rc;
}

int archive_write_signature(struct archive *ar, const unsigned char sign_sk[CRYPTO_SIGN_SK_LEN])
{
	if (!ar->done)
		return VD_ERR_MISUSE;
	unsigned char sig[CRYPTO_SIG_LEN];
	crypto_signer_sign(&ar->sg, sign_sk, sig);
	ar->offset += sizeof sig;
	return io_write_all(ar->fd, sig, sizeof sig); /* not itself signed */
}

int archive_read_begin(struct archive *ar, int fd, const unsigned char pk[CRYPTO_PK_LEN],
		       const unsigned char sk[CRYPTO_SK_LEN])
{
	int rc = archive_open(ar, fd);
	if (rc)
		return rc;
	unsigned char head[HEAD_LEN];
	size_t got;
	rc = io_read_all(fd, head, sizeof head, &got);
	if (rc)
		return rc;
	ar->offset = got;
	crypto_signer_update(&ar->sg, head, got);
	if (got < MAGIC_LEN || memcmp(head, magic, MAGIC_LEN) != 0)
		return VD_ERR_INVALID;
	if (got < sizeof head)
		return VD_ERR_INVALID; /* cut short within the header */
	if (!crypto_equal(head + MAGIC_LEN, pk, CRYPTO_PK_LEN))
		return VD_ERR_NOKEY;
	unsigned char key[CRYPTO_KEY_LEN];
	rc = crypto_unseal(pk, sk, head + MAGIC_LEN + CRYPTO_PK_LEN, SEALED_KEY_LEN, key);
	if (rc == VD_OK)
		rc = crypto_stream_pull_init(&ar->st, key, head + MAGIC_LEN + CRYPTO_PK_LEN + SEALED_KEY_LEN);
	crypto_wipe(key, sizeof key);
	return rc == VD_OK ? VD_OK : VD_ERR_AUTH;
}

int archive_read(struct archive *ar, unsigned char *out, size_t *n, bool *final)
{
	unsigned char be[4];
	size_t got;
	int rc = io_read_all(ar->fd, be, sizeof be, &got);
	if (rc)
		return rc;
	if (ar->done)
		return VD_ERR_MISUSE;
	if (got != sizeof be)
		return VD_ERR_INVALID; /* the file ends before its final chunk */
	crypto_signer_update(&ar->sg, be, sizeof be);
	size_t len = (size_t)be[0] << 24 | (size_t)be[1] << 16 | (size_t)be[2] << 8 | be[3];
	if (len < CRYPTO_STREAM_OVERHEAD || len > CHUNK_MAX)
		return VD_ERR_AUTH;
	rc = io_read_all(ar->fd, ar->buf, len, &got);
	if (rc)
		return rc;
	if (got != len)
		return VD_ERR_INVALID;
	crypto_signer_update(&ar->sg, ar->buf, len);
	ar->offset += sizeof be + len;
	rc = crypto_stream_pull(&ar->st, ar->buf, len, out, final);
	if (rc)
		return VD_ERR_AUTH;
	*n = len - CRYPTO_STREAM_OVERHEAD;
	ar->done = *final;
	return VD_OK;
}

int archive_read_finished(struct archive *ar, const unsigned char sign_pk[CRYPTO_SIGN_PK_LEN])
{
	unsigned char sig[CRYPTO_SIG_LEN + 1];
	size_t got;
	if (!ar->done)
		return VD_ERR_INVALID;
	int rc = io_read_all(ar->fd, sig, sizeof sig, &got);
	if (rc)
		return rc;
	if (got != CRYPTO_SIG_LEN)
		return VD_ERR_INVALID;
	return crypto_signer_verify(&ar->sg, sig, sign_pk) == VD_OK ? VD_OK : VD_ERR_DENIED;
}

void archive_end(struct archive *ar)
{
	free(ar->buf);
	ar->buf = NULL;
	crypto_wipe(&ar->st, sizeof ar->st);
	crypto_wipe(&ar->sg, sizeof ar->sg);
}
