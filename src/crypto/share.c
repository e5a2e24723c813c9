/*
 * share: a 32-byte secret in three parts, any two of which give it back
 * (see crypto.h). For each pair of holders (0,1), (0,2), (1,2) a fresh
 * random pad r: the pair's first holder keeps r, the second the secret
 * XOR r. Two holders share a pair, so together they have r and secret ^ r;
 * one alone holds only pads, each uniformly random and independent of the
 * secret. This is the simplest scheme for 2 of 3 (no field arithmetic to
 * get wrong), at the price of two parts per holder instead of one.
 */
#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"

/* The other holders of h, in ascending order: others[h][k]. */
static const int others[3][2] = { { 1, 2 }, { 0, 2 }, { 0, 1 } };

int crypto_share_other(int holder, int k)
{
	assert(holder >= 0 && holder < 3 && (k == 0 || k == 1));
	return others[holder][k];
}

int crypto_share_index(int holder, int other)
{
	assert(holder >= 0 && holder < 3 && other >= 0 && other < 3 && holder != other);
	return others[holder][0] == other ? 0 : 1;
}

void crypto_share_split(const unsigned char secret[CRYPTO_KEY_LEN],
			unsigned char parts[3][2][CRYPTO_KEY_LEN])
{
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++) {
			unsigned char *low = parts[i][crypto_share_index(i, j)];
			unsigned char *high = parts[j][crypto_share_index(j, i)];
			randombytes_buf(low, CRYPTO_KEY_LEN);
			for (int b = 0; b < CRYPTO_KEY_LEN; b++)
				high[b] = secret[b] ^ low[b];
		}
}

void crypto_share_join(const unsigned char a[CRYPTO_KEY_LEN], const unsigned char b[CRYPTO_KEY_LEN],
		       unsigned char secret[CRYPTO_KEY_LEN])
{
	for (int i = 0; i < CRYPTO_KEY_LEN; i++)
		secret[i] = a[i] ^ b[i];
}
