/*
 * receipt: the receipt code a reporter gets instead of an account.
 *
 * A code is 24 characters in six groups of four, e.g. "7KQ2-M9XA-3FHD-PQ8R-TV2N-W6YC",
 * from a 32-letter alphabet without look-alikes (Crockford's base32: no I, L, O, U;
 * when read back, O counts as 0 and I or L as 1, case and spaces do not matter):
 *   - 6 characters locate the report (30 random bits, not secret),
 *   - 16 characters are the secret (80 random bits),
 *   - 2 check characters: a Luhn mod 32 digit, which catches every single
 *     mistyped character and almost every swap of two neighbours, and 5 bits
 *     of a hash, which catches most other typos. A typo is reported as a typo.
 * Only a slow hash of the secret is stored (Argon2id); see docs/security.md.
 */
#ifndef VD_RECEIPT_H
#define VD_RECEIPT_H

#include <stddef.h>

#define RECEIPT_LOCATOR_CHARS 6
#define RECEIPT_SECRET_CHARS 16
#define RECEIPT_CHARS 24                          /* without separators */
#define RECEIPT_TEXT_LEN (RECEIPT_CHARS + 5)      /* with the five hyphens */

struct receipt {
	char locator[RECEIPT_LOCATOR_CHARS + 1];
	char secret[RECEIPT_SECRET_CHARS + 1];
};

/* A fresh random code; text gets the printable form with hyphens. */
void receipt_new(struct receipt *r, char text[RECEIPT_TEXT_LEN + 1]);

/* Reads what a person typed. VD_OK; VD_ERR_INVALID when it is not a code at all
 * (wrong length or characters); VD_ERR_AUTH when it has the shape of a code but
 * the check characters do not match (a typo). The caller wipes r after use. */
int receipt_parse(const char *typed, struct receipt *r);

#endif
