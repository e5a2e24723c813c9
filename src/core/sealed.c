/* sealed: see internal/sealed.h. */
#include "internal/sealed.h"

#include "../util/buf.h"
#include "../util/errors.h"

#include <string.h>

int sealed_texts_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		      const unsigned char *blob, size_t len, const char **const fields[], size_t n, size_t required)
{
	if (!blob || len < CRYPTO_AEAD_OVERHEAD)
		return VD_ERR_STORE;
	size_t plain_len = len - CRYPTO_AEAD_OVERHEAD;
	unsigned char *plain = arena_alloc(a, plain_len + 1);
	if (!plain)
		return VD_ERR_NOMEM;
	int rc = crypto_decrypt(key, ad, blob, len, plain);
	const unsigned char *p = plain, *end = plain + plain_len;
	for (size_t i = 0; rc == VD_OK && i < n; i++) {
		*fields[i] = "";
		if (i < required || p < end)
			rc = lp_read(a, &p, end, fields[i]);
	}
	crypto_wipe(plain, plain_len);
	return rc;
}

int sealed_texts_seal(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		      const char *const texts[], size_t n, unsigned char **blob, size_t *len)
{
	struct buf b;
	buf_init(&b, 16 * 1024 * 1024);
	b.secret = true;
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		rc = buf_put_lp(&b, texts[i] ? texts[i] : "");
	*blob = rc == VD_OK ? arena_alloc(a, b.len + CRYPTO_AEAD_OVERHEAD) : NULL;
	if (rc == VD_OK && !*blob)
		rc = VD_ERR_NOMEM;
	if (rc == VD_OK) {
		crypto_encrypt(key, ad, (const unsigned char *)b.data, b.len, *blob);
		*len = b.len + CRYPTO_AEAD_OVERHEAD;
	}
	buf_release_wipe(&b);
	return rc;
}

int sealed_text_seal(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad, const char *text,
		     unsigned char **blob, size_t *len)
{
	size_t n = text ? strlen(text) : 0;
	*blob = arena_alloc(a, n + CRYPTO_AEAD_OVERHEAD);
	if (!*blob)
		return VD_ERR_NOMEM;
	crypto_encrypt(key, ad, (const unsigned char *)(text ? text : ""), n, *blob);
	*len = n + CRYPTO_AEAD_OVERHEAD;
	return VD_OK;
}

int sealed_text_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const char *ad,
		     const unsigned char *blob, size_t len, const char **text)
{
	*text = "";
	if (!blob)
		return VD_OK;
	if (len < CRYPTO_AEAD_OVERHEAD)
		return VD_ERR_STORE;
	size_t n = len - CRYPTO_AEAD_OVERHEAD;
	char *plain = arena_alloc(a, n + 1);
	if (!plain)
		return VD_ERR_NOMEM;
	int rc = crypto_decrypt(key, ad, blob, len, (unsigned char *)plain);
	plain[n] = '\0';
	if (rc == VD_OK)
		*text = plain;
	return rc;
}
