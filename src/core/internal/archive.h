/*
 * internal/archive: the encrypted container a backup is written in.
 *
 * On disk: the line "vertrouwd backup 1\n", the backup public key it was
 * made for (32 bytes), a fresh stream key sealed to that key (80 bytes),
 * the stream's header (24 bytes), then chunks, each a 4-byte big-endian
 * length and a secretstream chunk of at most ARCHIVE_CHUNK plaintext bytes,
 * the last one marked final, and last the server's signature (Ed25519ph)
 * of everything before it. Only the secret half of the backup key opens
 * it; a changed, reordered, cut or extended file is refused (crypto.h), and
 * so is one not signed by the installation's signing key: the public half
 * it is sealed to is no secret, so without the signature anyone could make
 * a file that restores.
 * What the chunks say is backup.c's business.
 */
#ifndef VD_INTERNAL_ARCHIVE_H
#define VD_INTERNAL_ARCHIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../crypto/crypto.h"

#define ARCHIVE_CHUNK 65536

struct archive {
	int fd;
	struct crypto_stream st;
	struct crypto_signer sg;
	unsigned char *buf; /* one chunk's ciphertext (heap) */
	uint64_t offset;    /* bytes of the file written or read so far */
	bool done;          /* the final chunk went by */
};

/* Starts writing to fd for the backup public key pk. */
int archive_write_begin(struct archive *ar, int fd, const unsigned char pk[CRYPTO_PK_LEN]);
/* Encrypts and writes one chunk (n <= ARCHIVE_CHUNK); final for the last. */
int archive_write(struct archive *ar, const void *p, size_t n, bool final);
/* After the final chunk: the signature with the signing key sign_sk. */
int archive_write_signature(struct archive *ar, const unsigned char sign_sk[CRYPTO_SIGN_SK_LEN]);

/*
 * Starts reading from fd with the backup key pair (pk, sk): VD_ERR_INVALID
 * if fd is not a backup, VD_ERR_NOKEY if it was made for another key,
 * VD_ERR_AUTH if the key does not open it.
 */
int archive_read_begin(struct archive *ar, int fd, const unsigned char pk[CRYPTO_PK_LEN],
		       const unsigned char sk[CRYPTO_SK_LEN]);
/* The next chunk into out (ARCHIVE_CHUNK bytes), *n its length, *final set
 * on the last. VD_ERR_AUTH for a changed chunk, VD_ERR_INVALID for a file
 * cut short or going on after the final chunk. */
int archive_read(struct archive *ar, unsigned char *out, size_t *n, bool *final);

/* After the final chunk: VD_OK if the signature of sign_pk follows and the
 * file ends there; VD_ERR_DENIED for a signature that does not fit,
 * VD_ERR_INVALID if it is missing, anything follows, or the final chunk has
 * not come yet. Until it says VD_OK nothing read may be trusted. */
int archive_read_finished(struct archive *ar, const unsigned char sign_pk[CRYPTO_SIGN_PK_LEN]);

/* Frees the buffer (the fd stays the caller's). */
void archive_end(struct archive *ar);

#endif
