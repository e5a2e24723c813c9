/* receipt: see receipt.h. */
#include "receipt.h"

#include <string.h>

#include "../crypto/crypto.h"
#include "../util/text.h"
#include "vd.h"

#define alphabet text_b32_alphabet

/* Luhn mod 32 over values v[0..n): the check value that makes the sum vanish. */
static int luhn32(const int *v, size_t n)
{
	int sum = 0, factor = 2;
	for (size_t i = n; i-- > 0;) {
		int addend = factor * v[i];
		factor = factor == 2 ? 1 : 2;
		addend = addend / 32 + addend % 32;
		sum += addend;
	}
	return (32 - sum % 32) % 32;
}

/* 5 bits of a hash of the first 23 values (22 data + Luhn). */
static int hash5(const int *v, size_t n)
{
	unsigned char in[32], out[CRYPTO_KEY_LEN];
	for (size_t i = 0; i < n; i++)
		in[i] = (unsigned char)v[i];
	crypto_derive_fast("receipt-check", in, n, out);
	int v5 = out[0] & 31;
	crypto_wipe(in, sizeof in); /* the code's digits */
	crypto_wipe(out, sizeof out);
	return v5;
}

static void checks(const int *v, int *c1, int *c2)
{
	int w[RECEIPT_CHARS];
	memcpy(w, v, (RECEIPT_CHARS - 2) * sizeof *w);
	*c1 = luhn32(w, RECEIPT_CHARS - 2);
	w[RECEIPT_CHARS - 2] = *c1;
	*c2 = hash5(w, RECEIPT_CHARS - 1);
	crypto_wipe(w, sizeof w);
}

/* The locator and the secret as characters, from the 24 values. */
static void receipt_fill(struct receipt *r, const int *v)
{
	for (int i = 0; i < RECEIPT_LOCATOR_CHARS; i++)
		r->locator[i] = alphabet[v[i]];
	r->locator[RECEIPT_LOCATOR_CHARS] = '\0';
	for (int i = 0; i < RECEIPT_SECRET_CHARS; i++)
		r->secret[i] = alphabet[v[RECEIPT_LOCATOR_CHARS + i]];
	r->secret[RECEIPT_SECRET_CHARS] = '\0';
}

void receipt_new(struct receipt *r, char text[RECEIPT_TEXT_LEN + 1])
{
	int v[RECEIPT_CHARS];
	for (int i = 0; i < RECEIPT_CHARS - 2; i++)
		v[i] = (int)crypto_random_below(32);
	checks(v, &v[RECEIPT_CHARS - 2], &v[RECEIPT_CHARS - 1]);
	size_t o = 0;
	for (int i = 0; i < RECEIPT_CHARS; i++) {
		if (i && i % 4 == 0)
			text[o++] = '-';
		text[o++] = alphabet[v[i]];
	}
	text[o] = '\0';
	receipt_fill(r, v);
	crypto_wipe(v, sizeof v);
}

int receipt_parse(const char *typed, struct receipt *r)
{
	int v[RECEIPT_CHARS];
	size_t n = 0;
	int rc = VD_OK;
	for (const char *p = typed; *p && rc == VD_OK; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t' || *p == '.')
			continue;
		int x = text_b32_value(*p);
		if (x < 0 || n == RECEIPT_CHARS)
			rc = VD_ERR_INVALID;
		else
			v[n++] = x;
	}
	if (rc == VD_OK && n != RECEIPT_CHARS)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK) {
		int c1, c2;
		checks(v, &c1, &c2);
		if (c1 != v[RECEIPT_CHARS - 2] || c2 != v[RECEIPT_CHARS - 1])
			rc = VD_ERR_AUTH;
	}
	if (rc == VD_OK)
		receipt_fill(r, v);
	crypto_wipe(v, sizeof v);
	return rc;
}
