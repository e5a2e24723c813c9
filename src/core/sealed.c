/* sealed: see internal/sealed.h. */
#include "internal/sealed.h"

#include "../util/buf.h"
#include "../util/errors.h"

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
