/* totp: see totp.h. */
#include "totp.h"

#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

#include "../util/errors.h"
#include "crypto.h"

int totp_init(void)
{
	return oath_init() == OATH_OK ? VD_OK : VD_ERR_IO;
}

void totp_new_secret(unsigned char secret[TOTP_SECRET_LEN])
{
	crypto_random(secret, TOTP_SECRET_LEN);
}

int totp_base32(const unsigned char secret[TOTP_SECRET_LEN], char out[TOTP_BASE32_LEN + 1])
{
	char *b32 = NULL;
	size_t n = 0;
	if (oath_base32_encode((const char *)secret, TOTP_SECRET_LEN, &b32, &n) != OATH_OK || !b32)
		return VD_ERR_NOMEM;
	/* 20 bytes are 32 characters exactly: no padding to strip */
	int rc = n == TOTP_BASE32_LEN ? VD_OK : VD_ERR_MISUSE;
	if (rc == VD_OK)
		memcpy(out, b32, TOTP_BASE32_LEN + 1);
	crypto_wipe(b32, n);
	free(b32);
	return rc;
}

/* liboath's comparison of a candidate with the code it made: 0 for equal,
 * in constant time. */
static int same_code(void *handle, const char *test_otp)
{
	const char *code = handle;
	return crypto_equal(code, test_otp, TOTP_DIGITS) ? 0 : 1;
}

int totp_check(const unsigned char secret[TOTP_SECRET_LEN], const char *code, int64_t now, uint64_t *step)
{
	*step = 0;
	if (!code || strlen(code) != TOTP_DIGITS || strspn(code, "0123456789") != TOTP_DIGITS)
		return VD_ERR_AUTH;
	int pos = 0;
	uint64_t counter = 0;
	int rc = oath_totp_validate3_callback((const char *)secret, TOTP_SECRET_LEN, (time_t)now, TOTP_STEP_SECONDS, 0,
					      TOTP_DIGITS, TOTP_WINDOW, &pos, &counter, same_code, (void *)code);
	if (rc < 0)
		return VD_ERR_AUTH;
	*step = counter;
	return VD_OK;
}

int totp_code(const unsigned char secret[TOTP_SECRET_LEN], int64_t t, char out[TOTP_DIGITS + 1])
{
	return oath_totp_generate((const char *)secret, TOTP_SECRET_LEN, (time_t)t, TOTP_STEP_SECONDS, 0, TOTP_DIGITS,
				  out) == OATH_OK
		       ? VD_OK
		       : VD_ERR_INVALID;
}
