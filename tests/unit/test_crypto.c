/* Unit tests: crypto wrappers. */
#include <string.h>

#include "../../src/util/errors.h"
#include "../../src/crypto/crypto.h"
#include "check.h"

static const struct crypto_pwcost cheap = { 1, 8 * 1024 * 1024 };

static void password_hash_verifies(void)
{
	char h[CRYPTO_PWHASH_MAX];
	CHECK_EQ_INT(crypto_password_hash(&cheap, "correct horse battery", 21, h), VD_OK);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	CHECK_EQ_INT(crypto_password_verify(h, "correct horse battery", 21), VD_OK);
	CHECK_EQ_INT(crypto_password_verify(h, "correct horse batterY", 21), VD_ERR_AUTH);
	CHECK_EQ_INT(crypto_password_verify("!", "x", 1), VD_ERR_AUTH);
	char h2[CRYPTO_PWHASH_MAX];
	crypto_password_hash(&cheap, "correct horse battery", 21, h2);
	CHECK(strcmp(h, h2) != 0); /* salted */
}

static void mac_separates_domains(void)
{
	unsigned char key[CRYPTO_KEY_LEN] = { 1, 2, 3 };
	unsigned char a[CRYPTO_MAC_LEN], b[CRYPTO_MAC_LEN], c[CRYPTO_MAC_LEN];
	crypto_mac(key, "session", "abc", 3, a);
	crypto_mac(key, "csrf", "abc", 3, b);
	crypto_mac(key, "session", "abc", 3, c);
	CHECK(!crypto_equal(a, b, sizeof a));
	CHECK(crypto_equal(a, c, sizeof a));
	/* ("ab","c") differs from ("a","bc") */
	crypto_mac(key, "ab", "c", 1, a);
	crypto_mac(key, "a", "bc", 2, b);
	CHECK(!crypto_equal(a, b, sizeof a));
	key[0] = 9;
	crypto_mac(key, "session", "abc", 3, a);
	CHECK(!crypto_equal(a, c, sizeof a));
}

static void random_below_in_range(void)
{
	int seen[7] = { 0 };
	for (int i = 0; i < 700; i++) {
		unsigned v = crypto_random_below(7);
		CHECK(v < 7);
		seen[v]++;
	}
	for (int i = 0; i < 7; i++)
		CHECK(seen[i] > 0);
}

static void wipe_zeroes(void)
{
	char s[16] = "secret-secret";
	crypto_wipe(s, sizeof s);
	for (size_t i = 0; i < sizeof s; i++)
		CHECK(s[i] == 0);
}

static void aead_binds_key_and_place(void)
{
	unsigned char key[CRYPTO_KEY_LEN], other[CRYPTO_KEY_LEN];
	crypto_key_new(key);
	crypto_key_new(other);
	const char msg[] = "wat er gebeurde";
	unsigned char c[sizeof msg + CRYPTO_AEAD_OVERHEAD], c2[sizeof msg + CRYPTO_AEAD_OVERHEAD];
	char out[sizeof msg];
	crypto_encrypt(key, "case 1 message 1", msg, sizeof msg, c);
	crypto_encrypt(key, "case 1 message 1", msg, sizeof msg, c2);
	CHECK(memcmp(c, c2, sizeof c) != 0); /* fresh nonce each time */
	CHECK(memmem(c, sizeof c, "gebeurde", 8) == NULL);
	CHECK_EQ_INT(crypto_decrypt(key, "case 1 message 1", c, sizeof c, out), VD_OK);
	CHECK(memcmp(out, msg, sizeof msg) == 0);
	CHECK_EQ_INT(crypto_decrypt(other, "case 1 message 1", c, sizeof c, out), VD_ERR_AUTH);
	CHECK_EQ_INT(crypto_decrypt(key, "case 2 message 1", c, sizeof c, out), VD_ERR_AUTH);
	c[30] ^= 1;
	CHECK_EQ_INT(crypto_decrypt(key, "case 1 message 1", c, sizeof c, out), VD_ERR_AUTH);
	CHECK_EQ_INT(crypto_decrypt(key, "x", c, 10, out), VD_ERR_AUTH);
}

static void seal_opens_only_with_secret_key(void)
{
	unsigned char pk[CRYPTO_PK_LEN], sk[CRYPTO_SK_LEN], pk2[CRYPTO_PK_LEN], sk2[CRYPTO_SK_LEN];
	crypto_keypair(pk, sk);
	crypto_keypair(pk2, sk2);
	unsigned char key[CRYPTO_KEY_LEN], sealed[CRYPTO_KEY_LEN + CRYPTO_SEAL_OVERHEAD], got[CRYPTO_KEY_LEN];
	crypto_key_new(key);
	crypto_seal(pk, key, sizeof key, sealed);
	CHECK_EQ_INT(crypto_unseal(pk, sk, sealed, sizeof sealed, got), VD_OK);
	CHECK(memcmp(key, got, sizeof key) == 0);
	CHECK_EQ_INT(crypto_unseal(pk2, sk2, sealed, sizeof sealed, got), VD_ERR_AUTH);
	CHECK_EQ_INT(crypto_unseal(pk, sk, sealed, 10, got), VD_ERR_AUTH);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(sk2, sizeof sk2);
}

static void derived_keys_depend_on_everything(void)
{
	unsigned char salt[CRYPTO_SALT_LEN] = { 1 }, a[CRYPTO_KEY_LEN], b[CRYPTO_KEY_LEN], c[CRYPTO_KEY_LEN];
	CHECK_EQ_INT(crypto_derive_key(&cheap, "pw", 2, salt, a), VD_OK);
	CHECK_EQ_INT(crypto_derive_key(&cheap, "pw", 2, salt, b), VD_OK);
	CHECK(memcmp(a, b, sizeof a) == 0);
	salt[0] = 2;
	CHECK_EQ_INT(crypto_derive_key(&cheap, "pw", 2, salt, c), VD_OK);
	CHECK(memcmp(a, c, sizeof a) != 0);
	CHECK_EQ_INT(crypto_derive_key(&cheap, "pW", 2, salt, b), VD_OK);
	CHECK(memcmp(b, c, sizeof a) != 0);
	crypto_derive_fast("one", "token", 5, a);
	crypto_derive_fast("two", "token", 5, b);
	CHECK(memcmp(a, b, sizeof a) != 0);
}

int main(void)
{
	if (crypto_init() != VD_OK)
		return 1;
	static const struct test tests[] = {
		TEST(password_hash_verifies), TEST(mac_separates_domains), TEST(random_below_in_range),
		TEST(wipe_zeroes), TEST(aead_binds_key_and_place), TEST(seal_opens_only_with_secret_key),
		TEST(derived_keys_depend_on_everything),
	};
	return check_run("crypto", tests, sizeof tests / sizeof tests[0]);
}
