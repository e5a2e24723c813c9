/* Unit tests: crypto wrappers. */
#include <string.h>

#include "../../src/core/vd.h"
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

int main(void)
{
	if (crypto_init() != VD_OK)
		return 1;
	static const struct test tests[] = {
		TEST(password_hash_verifies), TEST(mac_separates_domains), TEST(random_below_in_range),
		TEST(wipe_zeroes),
	};
	return check_run("crypto", tests, sizeof tests / sizeof tests[0]);
}
