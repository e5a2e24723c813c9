/* codes: see internal/codes.h. */
#include "internal/codes.h"

#include <string.h>

#include "../util/clock.h"

/* The cost a record's code was hashed with: its own, or the password cost
 * for a code from before schema 23 that the update did not reach (app_open
 * writes that cost beside them). false for a cost outside what the
 * configuration accepts: a damaged row must not set Argon2id's memory. */
static bool cost_of(const struct vd *vd, uint32_t ops, uint32_t mem_kib, struct crypto_pwcost *out)
{
	if (ops == 0 || mem_kib == 0) {
		*out = vd->pwcost;
		return true;
	}
	*out = (struct crypto_pwcost){ .ops = ops, .mem = (size_t)mem_kib * 1024 };
	return ops <= CONFIG_ARGON2_OPS_MAX && mem_kib >= CONFIG_ARGON2_KIB_MIN && mem_kib <= CONFIG_ARGON2_KIB_MAX;
}

/* One Argon2id per code; its output is split into the two keys. */
static int keys_at(const struct crypto_pwcost *cost, const char *secret, const unsigned char salt[CRYPTO_SALT_LEN],
		   unsigned char verifier[CRYPTO_KEY_LEN], unsigned char kek[CRYPTO_KEY_LEN])
{
	unsigned char k[CRYPTO_KEY_LEN];
	int rc = crypto_derive_key(cost, secret, strlen(secret), salt, k);
	if (rc == VD_OK) {
		crypto_derive_fast("receipt-verifier", k, sizeof k, verifier);
		crypto_derive_fast("receipt-key", k, sizeof k, kek);
	}
	crypto_wipe(k, sizeof k);
	return rc;
}

int receipt_keys(struct vd *vd, const char *secret, const unsigned char salt[CRYPTO_SALT_LEN], uint32_t ops,
		 uint32_t mem_kib, unsigned char verifier[CRYPTO_KEY_LEN], unsigned char kek[CRYPTO_KEY_LEN])
{
	struct crypto_pwcost cost;
	return cost_of(vd, ops, mem_kib, &cost) ? keys_at(&cost, secret, salt, verifier, kek) : VD_ERR_STORE;
}

int code_new(struct vd *vd, struct receipt *r, char text[RECEIPT_TEXT_LEN + 1], unsigned char salt[CRYPTO_SALT_LEN],
	     unsigned char verifier[CRYPTO_KEY_LEN], uint32_t *ops, uint32_t *mem_kib, unsigned char kek[CRYPTO_KEY_LEN])
{
	receipt_new(r, text);
	crypto_random(salt, CRYPTO_SALT_LEN);
	*ops = (uint32_t)vd->receipt_cost.ops;
	*mem_kib = (uint32_t)(vd->receipt_cost.mem / 1024);
	return keys_at(&vd->receipt_cost, r->secret, salt, verifier, kek);
}

bool code_begin(struct vd *vd, const char *typed, const void *source, size_t source_len, struct receipt *r,
		struct throttle_key *k, enum code_result *result, int64_t *retry_after)
{
	*retry_after = 0;
	/* arithmetic on what was typed: it says nothing about which codes exist */
	int p = receipt_parse(typed, r);
	if (p != VD_OK) {
		*result = p == VD_ERR_AUTH ? CODE_TYPO : CODE_MALFORMED;
		return false;
	}
	throttle_key(vd->secret, TH_CODE, source ? source : "", source ? source_len : 0, NULL, 0, k);
	*retry_after = throttle_wait(TH_CODE, k, clock_now());
	if (*retry_after > 0) {
		*result = CODE_THROTTLED;
		return false;
	}
	return true;
}

int code_finish(struct vd *vd, const struct receipt *r, const struct throttle_key *k, bool found,
		const unsigned char *salt, const unsigned char *verifier, uint32_t ops, uint32_t mem_kib,
		unsigned char kek[CRYPTO_KEY_LEN], enum code_result *result)
{
	static const unsigned char dummy_salt[CRYPTO_SALT_LEN];
	unsigned char mine[CRYPTO_KEY_LEN];
	*result = CODE_UNKNOWN;
	/* an unknown code costs what a new one does (docs/security.md: a code
	 * of another cost takes another time); a damaged cost opens nothing */
	struct crypto_pwcost cost = vd->receipt_cost;
	if (found && !cost_of(vd, ops, mem_kib, &cost)) {
		found = false;
		cost = vd->receipt_cost;
	}
	int rc = keys_at(&cost, r->secret, found ? salt : dummy_salt, mine, kek);
	if (rc == VD_OK && found && crypto_equal(mine, verifier, sizeof mine))
		*result = CODE_OK;
	else if (rc == VD_OK)
		throttle_fail(TH_CODE, k, clock_now());
	if (*result != CODE_OK)
		crypto_wipe(kek, CRYPTO_KEY_LEN);
	crypto_wipe(mine, sizeof mine);
	return rc;
}
