/*
 * totp: time-based one-time passwords (RFC 6238: HMAC-SHA-1, 30-second
 * steps, 6 digits, what every authenticator app reads), by liboath. The
 * secret is 20 random bytes; it is shown to its owner once, in base32, to
 * put in their app.
 */
#ifndef VD_TOTP_H
#define VD_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_LEN 20
#define TOTP_DIGITS 6
#define TOTP_STEP_SECONDS 30
#define TOTP_WINDOW 1          /* one step either side: a clock 30 s off still works */
#define TOTP_BASE32_LEN 32     /* 20 bytes in base32, no padding */

/* Once, before anything else (liboath's global state). */
int totp_init(void);

void totp_new_secret(unsigned char secret[TOTP_SECRET_LEN]);

/* The secret in base32 (RFC 4648, no padding), for the app. */
int totp_base32(const unsigned char secret[TOTP_SECRET_LEN], char out[TOTP_BASE32_LEN + 1]);

/*
 * Whether code (6 digits) is the password of a step within TOTP_WINDOW of
 * now; *step is then that step (the caller refuses a step used before:
 * a code works once). Compared in constant time. VD_ERR_AUTH otherwise.
 */
int totp_check(const unsigned char secret[TOTP_SECRET_LEN], const char *code, int64_t now, uint64_t *step);

/* The code of the step of moment t (for the tests). */
int totp_code(const unsigned char secret[TOTP_SECRET_LEN], int64_t t, char out[TOTP_DIGITS + 1]);

#endif
