/* accounts: see accounts.h. */
#include "accounts.h"

#include <stdio.h>

#include <pthread.h>
#include <string.h>

#include "../util/text.h"
#include "internal/accounts.h"
#include "internal/audit.h"
#include "internal/throttle.h"
#include "internal/sessions.h"
#include "internal/userkeys.h"

/* ---- validation ------------------------------------------------------------ */

int account_password_ok(const char *pw)
{
	size_t n = strlen(pw);
	if (n > PASSWORD_MAX_BYTES || !text_valid_line(pw, n))
		return VD_ERR_INVALID;
	return text_utf8_len(pw, n) >= PASSWORD_MIN_CHARS ? VD_OK : VD_ERR_INVALID;
}

static int validate_input(struct vd *vd, struct arena *a, const struct account_input *in,
			  enum account_field *bad)
{
	size_t nl = in->name ? strlen(in->name) : 0;
	if (!nl || !text_valid_line(in->name, nl) || text_utf8_len(in->name, nl) > NAME_MAX_CHARS) {
		*bad = AF_NAME;
		return VD_ERR_INVALID;
	}
	if (!in->email || !text_valid_email(in->email)) {
		*bad = AF_EMAIL;
		return VD_ERR_INVALID;
	}
	/* a candidate's account comes with a candidate committee's invitation
	 * only (declarations.h), never from the administrator */
	if (in->role <= ROLE_NONE || in->role >= ROLE_COUNT || in->role == ROLE_CANDIDATE) {
		*bad = AF_ROLE;
		return VD_ERR_INVALID;
	}
	/* Every unit must exist. */
	struct unit_recs units;
	int rc = vd->store->ops->unit_list(vd->store, a, &units);
	if (rc)
		return rc;
	for (size_t i = 0; i < in->units.n; i++) {
		int found = 0;
		for (size_t j = 0; j < units.n; j++)
			found |= units.items[j].id == in->units.ids[i];
		if (!found) {
			*bad = AF_UNITS;
			return VD_ERR_INVALID;
		}
	}
	return VD_OK;
}

/* Four groups of four from an alphabet without look-alikes (31^16: 79 bits). */
static void activation_password(char out[ACTIVATION_PASSWORD_LEN + 1])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	size_t o = 0;
	for (int g = 0; g < 4; g++) {
		if (g)
			out[o++] = '-';
		for (int i = 0; i < 4; i++)
			out[o++] = alphabet[crypto_random_below(sizeof alphabet - 1)];
	}
	out[o] = '\0';
}

/* A new activation password and its hash. Hashing is slow, so it is done
 * before a transaction begins: never while holding the write lock. */
static int new_activation(struct vd *vd, char pw_out[ACTIVATION_PASSWORD_LEN + 1],
			  char hash[CRYPTO_PWHASH_MAX])
{
	activation_password(pw_out);
	int rc = crypto_password_hash(&vd->pwcost, pw_out, strlen(pw_out), hash);
	if (rc)
		crypto_wipe(pw_out, ACTIVATION_PASSWORD_LEN + 1);
	return rc;
}

/* ---- administration ------------------------------------------------------- */

int account_create(struct vd *vd, const struct principal *who, const struct account_input *in,
		   int64_t *id, char pw_out[ACTIVATION_PASSWORD_LEN + 1], enum account_field *bad)
{
	*bad = AF_NONE;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	char hash[CRYPTO_PWHASH_MAX];
	int rc = validate_input(vd, &a, in, bad);
	if (rc == VD_OK)
		rc = new_activation(vd, pw_out, hash);
	if (rc)
		goto out;
	rc = s->ops->begin(s);
	if (rc) {
		crypto_wipe(pw_out, ACTIVATION_PASSWORD_LEN + 1);
		goto out;
	}
	struct user_rec u = {
		.email = in->email,
		.name = in->name,
		.role = role_name(in->role),
		.password_hash = hash,
		.must_change_password = 1,
		.active = 1,
		.created_at = clock_now(),
	};
	rc = s->ops->user_insert(s, &u, id);
	if (rc == VD_ERR_EXISTS)
		*bad = AF_EMAIL;
	if (rc == VD_OK)
		rc = s->ops->user_units_set(s, *id, &in->units);
	if (rc == VD_OK && in->role == ROLE_COUNSELLOR) {
		struct profile_rec p = { .user_id = *id };
		rc = s->ops->profile_put(s, &p);
	}
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "account.create", "user", *id);
	/* A new counsellor appears in the public directory. */
	rc = app_end(vd, rc, in->role == ROLE_COUNSELLOR);
	if (rc)
		crypto_wipe(pw_out, ACTIVATION_PASSWORD_LEN + 1);
out:
	crypto_wipe(hash, sizeof hash);
	arena_release(&a);
	return rc;
}

/* A candidate's account is the candidate committee's business, not the
 * administrator's: it is not listed, read or changed here. */
static bool is_candidate(struct vd *vd, int64_t id)
{
	struct arena a;
	arena_init(&a, 0);
	struct user_rec u;
	bool yes = vd->store->ops->user_get(vd->store, &a, id, &u) == VD_OK && role_parse(u.role) == ROLE_CANDIDATE;
	arena_release(&a);
	return yes;
}

int account_update(struct vd *vd, const struct principal *who, int64_t id,
		   const struct account_input *in, enum account_field *bad)
{
	*bad = AF_NONE;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (is_candidate(vd, id))
		return VD_ERR_NOTFOUND;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	int rc = validate_input(vd, &a, in, bad);
	if (rc)
		goto out;
	/* An administrator cannot lock themselves out of administration. */
	if (id == who->user_id && (in->role != ROLE_ADMIN || !in->active)) {
		*bad = AF_SELF;
		rc = VD_ERR_INVALID;
		goto out;
	}
	rc = s->ops->begin(s);
	if (rc)
		goto out;
	struct user_rec u = {
		.id = id, .email = in->email, .name = in->name,
		.role = role_name(in->role), .active = in->active,
	};
	rc = s->ops->user_update(s, &u);
	if (rc == VD_ERR_EXISTS)
		*bad = AF_EMAIL;
	if (rc == VD_OK)
		rc = s->ops->user_units_set(s, id, &in->units);
	if (rc == VD_OK && !in->active)
		rc = s->ops->session_delete_user(s, id);
	if (rc == VD_OK && in->role == ROLE_COUNSELLOR) {
		struct profile_rec p;
		if (s->ops->profile_get(s, &a, id, &p) == VD_ERR_NOTFOUND) {
			memset(&p, 0, sizeof p);
			p.user_id = id;
			rc = s->ops->profile_put(s, &p);
		}
	}
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "account.update", "user", id);
	/* Names, units and activity show in the public directory. */
	rc = app_end(vd, rc, 1);
out:
	arena_release(&a);
	return rc;
}

int account_reset_password(struct vd *vd, const struct principal *who, int64_t id,
			   char pw_out[ACTIVATION_PASSWORD_LEN + 1])
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (is_candidate(vd, id))
		return VD_ERR_NOTFOUND;
	struct store *s = vd->store;
	char hash[CRYPTO_PWHASH_MAX];
	int rc = new_activation(vd, pw_out, hash);
	if (rc)
		return rc;
	rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->user_set_password(s, id, hash, 1);
		if (rc == VD_OK)
			rc = s->ops->session_delete_user(s, id);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "account.reset", "user", id);
		rc = app_end(vd, rc, 0);
	}
	if (rc)
		crypto_wipe(pw_out, ACTIVATION_PASSWORD_LEN + 1);
	crypto_wipe(hash, sizeof hash);
	return rc;
}

void account_of(const struct user_rec *u, struct account *out)
{
	*out = (struct account){
		.id = u->id, .email = u->email, .name = u->name, .role = role_parse(u->role),
		.must_change_password = u->must_change_password != 0, .active = u->active != 0,
		.created_at = u->created_at,
	};
}

int account_read(struct vd *vd, struct arena *a, int64_t id, struct account *out)
{
	struct user_rec u;
	int rc = vd->store->ops->user_get(vd->store, a, id, &u);
	if (rc == VD_OK)
		account_of(&u, out);
	return rc;
}

int account_list(struct vd *vd, const struct principal *who, struct arena *a, struct account_list *out)
{
	struct user_recs users;
	out->n = 0;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	int rc = vd->store->ops->user_list(vd->store, a, &users);
	if (rc == VD_OK && !(out->items = arena_array(a, users.n, sizeof *out->items)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < users.n; i++)
		if (role_parse(users.items[i].role) != ROLE_CANDIDATE)
			account_of(&users.items[i], &out->items[out->n++]);
	return rc;
}

int account_get(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		struct account *out, struct id_list *units)
{
	if (who->role != ROLE_ADMIN && who->user_id != id)
		return VD_ERR_DENIED;
	if (who->user_id != id && is_candidate(vd, id))
		return VD_ERR_NOTFOUND;
	int rc = account_read(vd, a, id, out);
	if (rc == VD_OK && units)
		rc = vd->store->ops->user_units_get(vd->store, a, id, units);
	return rc;
}

const char *account_name(struct vd *vd, const struct principal *who, struct arena *a, int64_t id)
{
	struct account u;
	if (who->user_id <= 0 || (who->role != ROLE_COUNSELLOR && who->role != ROLE_ADMIN && who->role != ROLE_COMMITTEE) ||
	    account_read(vd, a, id, &u) != VD_OK)
		return "";
	return u.name;
}

bool account_has_keys(struct vd *vd, const struct principal *who)
{
	return who->user_id > 0 && userkeys_exist(vd, who->user_id);
}

/* ---- login and own password ---------------------------------------------- */

/* ASCII lower case of an e-mail address, for keys that must not depend on case. */
static void lower_email(const char *email, char out[256])
{
	size_t i = 0;
	for (; email[i] && i < 255; i++)
		out[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ? email[i] - 'A' + 'a' : email[i]);
	out[i] = '\0';
}

/* Device token: nonce(16) || MAC(secret, "device", email || nonce)[0..16]. */
static void device_mac(struct vd *vd, const char *lower, const unsigned char nonce[16], unsigned char out[16])
{
	unsigned char buf[256 + 16], mac[CRYPTO_MAC_LEN];
	size_t n = strlen(lower);
	memcpy(buf, lower, n);
	memcpy(buf + n, nonce, 16);
	crypto_mac(vd->secret, "device", buf, n + 16, mac);
	memcpy(out, mac, 16);
}

void account_device_token(struct vd *vd, const char *email, char out[DEVICE_TOKEN_CHARS + 1])
{
	char lower[256];
	unsigned char raw[32];
	lower_email(email, lower);
	crypto_random(raw, 16);
	device_mac(vd, lower, raw, raw + 16);
	text_b64url_encode(raw, sizeof raw, out);
}

static bool device_valid(struct vd *vd, const char *lower, const char *token)
{
	unsigned char raw[32], want[16];
	if (!token || text_b64url_decode(token, raw, sizeof raw) != VD_OK)
		return false;
	device_mac(vd, lower, raw, want);
	return crypto_equal(want, raw + 16, 16);
}

/* The three throttle keys of an attempt (throttle.h). */
struct attempt_keys {
	struct throttle_key source, pair, account;
	bool exempt; /* a valid device cookie: the account-wide counter does not apply */
};

static void attempt_keys(struct vd *vd, const char *email, const struct login_attempt *from,
			 struct attempt_keys *k)
{
	char lower[256];
	lower_email(email, lower);
	const void *src = from && from->source ? from->source : "";
	size_t srclen = from && from->source ? from->source_len : 0;
	throttle_key(vd->secret, TH_SOURCE, src, srclen, NULL, 0, &k->source);
	throttle_key(vd->secret, TH_PAIR, lower, strlen(lower), src, srclen, &k->pair);
	throttle_key(vd->secret, TH_ACCOUNT, lower, strlen(lower), NULL, 0, &k->account);
	k->exempt = from && device_valid(vd, lower, from->device);
}

/* A try, before anything is checked: the waits of the source and of the
 * pair (this process's counters) and of the account (the store's, shared by
 * every server on the database), the account's failure counted up front in
 * one step, so that tries sent at once, to one server or to several, cannot
 * each find the way clear. A browser with the account's device cookie is
 * counted but never made to wait for the account (throttle.h). */
static int64_t attempt_begin(struct vd *vd, const struct attempt_keys *k, int64_t now)
{
	int64_t w = throttle_wait(TH_SOURCE, &k->source, now);
	int64_t p = throttle_wait(TH_PAIR, &k->pair, now);
	if (p > w)
		w = p;
	if (w > 0)
		return w;
	if (k->exempt) {
		throttle_stored_fail(vd, TH_ACCOUNT, &k->account, now);
		return 0;
	}
	return throttle_stored_try(vd, TH_ACCOUNT, &k->account, now);
}

/* A wrong one: the source's and the pair's counted (the account's was, up front). */
static void attempt_failed(const struct attempt_keys *k, int64_t now)
{
	throttle_fail(TH_SOURCE, &k->source, now);
	throttle_fail(TH_PAIR, &k->pair, now);
}

static void attempt_succeeded(struct vd *vd, const struct attempt_keys *k)
{
	throttle_clear(TH_PAIR, &k->pair);
	throttle_stored_clear(vd, &k->account);
}

int account_login(struct vd *vd, struct arena *a, const char *email, const char *password,
		  const struct login_attempt *from, struct account *out, int64_t *retry_after)
{
	struct store *s = vd->store;
	int64_t now = clock_now();
	*retry_after = 0;
	struct attempt_keys k;
	attempt_keys(vd, email, from, &k);
	/* A throttled attempt checks nothing, whether or not the account exists. */
	int64_t wait = attempt_begin(vd, &k, now);
	if (wait > 0) {
		*retry_after = wait;
		return VD_ERR_THROTTLED;
	}
	size_t pwlen = strlen(password);
	struct user_rec u;
	int rc = (pwlen > PASSWORD_MAX_BYTES || strlen(email) > 254) ? VD_ERR_NOTFOUND
								      : s->ops->user_find_email(s, a, email, &u);
	if (rc == VD_ERR_NOTFOUND || (rc == VD_OK && !u.active)) {
		/* Same cost as a real check, so timing does not tell who has an account. */
		crypto_password_dummy(&vd->pwcost);
		attempt_failed(&k, now);
		return VD_ERR_AUTH;
	}
	if (rc)
		return rc;
	if (crypto_password_verify(u.password_hash, password, pwlen) != VD_OK) {
		attempt_failed(&k, now);
		return VD_ERR_AUTH;
	}
	attempt_succeeded(vd, &k);
	/* Hashes made at an older cost are redone at the configured one, so that
	 * the dummy check above keeps costing the same as a real one. */
	if (crypto_password_needs_rehash(u.password_hash, &vd->pwcost)) {
		char hash[CRYPTO_PWHASH_MAX];
		if (crypto_password_hash(&vd->pwcost, password, pwlen, hash) == VD_OK)
			s->ops->user_set_password(s, u.id, hash, u.must_change_password);
		crypto_wipe(hash, sizeof hash);
	}
	account_of(&u, out);
	return VD_OK;
}

/* Decides what happens to the key pair in a password change (slow: Argon2id),
 * before any transaction. *keys is what to store; sk the opened secret key
 * (the caller wipes it). */
static int change_keys(struct vd *vd, int64_t uid, const struct password_change *pc, struct user_key_rec *keys,
		       unsigned char sk[CRYPTO_SK_LEN], struct password_changed *done, enum account_field *bad)
{
	if (!userkeys_exist(vd, uid)) {
		done->made_keys = true;
		return userkeys_make(vd, uid, pc->new_pw, keys, done->recovery, sk);
	}
	int rc = userkeys_open(vd, uid, pc->old_pw, false, sk);
	if (rc == VD_ERR_AUTH && pc->recovery && *pc->recovery) {
		rc = userkeys_open(vd, uid, pc->recovery, true, sk);
		if (rc == VD_ERR_AUTH) {
			*bad = AF_RECOVERY;
			return VD_ERR_AUTH;
		}
	} else if (rc == VD_ERR_AUTH && pc->new_keys) {
		done->made_keys = true;
		return userkeys_make(vd, uid, pc->new_pw, keys, done->recovery, sk);
	} else if (rc == VD_ERR_AUTH) {
		*bad = AF_RECOVERY;
		return VD_ERR_INVALID;
	}
	if (rc)
		return rc;
	return userkeys_rewrap(vd, uid, sk, pc->new_pw, keys);
}

int account_change_password(struct vd *vd, const struct principal *who, const struct password_change *pc,
			    const struct login_attempt *from, enum account_field *bad,
			    int64_t *retry_after, struct password_changed *done)
{
	/* a session half-way through its login cannot make a whole one */
	if (who->second_factor_due)
		return VD_ERR_DENIED;
	*bad = AF_NONE;
	*retry_after = 0;
	memset(done, 0, sizeof *done);
	if (who->user_id <= 0)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct user_rec u;
	struct user_key_rec keys;
	struct store *s = vd->store;
	char hash[CRYPTO_PWHASH_MAX];
	unsigned char sk[CRYPTO_SK_LEN];
	int64_t now = clock_now();
	struct attempt_keys k;
	memset(&keys, 0, sizeof keys);
	int rc = s->ops->user_get(s, &a, who->user_id, &u);
	if (rc)
		goto out;
	/* Guessing the current password here is throttled like a login. */
	attempt_keys(vd, u.email, from, &k);
	k.exempt = true; /* the session already proves this browser */
	*retry_after = attempt_begin(vd, &k, now);
	if (*retry_after > 0) {
		rc = VD_ERR_THROTTLED;
		goto out;
	}
	const char *old_pw = pc->old_pw, *new_pw = pc->new_pw;
	if (strlen(old_pw) > PASSWORD_MAX_BYTES ||
	    crypto_password_verify(u.password_hash, old_pw, strlen(old_pw)) != VD_OK) {
		attempt_failed(&k, now);
		*bad = AF_PASSWORD;
		rc = VD_ERR_AUTH;
		goto out;
	}
	throttle_stored_undo(vd, &k.account); /* the current password was right: its try is taken back */
	if (account_password_ok(new_pw) != VD_OK || strcmp(old_pw, new_pw) == 0 ||
	    text_ieq(new_pw, u.email)) {
		rc = VD_ERR_INVALID;
		goto out;
	}
	/* The slow parts first, outside the write lock. */
	rc = change_keys(vd, u.id, pc, &keys, sk, done, bad);
	if (rc == VD_ERR_AUTH) { /* a wrong recovery key counts as a guess */
		attempt_failed(&k, now);
		throttle_stored_fail(vd, TH_ACCOUNT, &k.account, now);
	}
	if (rc == VD_OK)
		rc = crypto_password_hash(&vd->pwcost, new_pw, strlen(new_pw), hash);
	if (rc)
		goto out;
	/* The new password, the (re-)wrapped keys and the end of every session of
	 * this account commit together: no session outlives its password. */
	rc = s->ops->begin(s);
	if (rc)
		goto out;
	rc = s->ops->user_set_password(s, u.id, hash, 0);
	if (rc == VD_OK)
		rc = userkeys_store(vd, &keys);
	if (rc == VD_OK)
		rc = s->ops->session_delete_user(s, u.id);
	if (rc == VD_OK)
		rc = audit_record(vd, u.id, "password.change", "user", u.id);
	rc = app_end(vd, rc, 0);
	/* The change ended every session of this account (in the same
	 * transaction); this browser continues in a fresh one. */
	if (rc == VD_OK)
		/* from a session that has passed its second factor: so has this one */
		done->signed_in = session_start(vd, u.id, sk, false, done->token) == VD_OK;
out:
	if (rc)
		crypto_wipe(done, sizeof *done);
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(&keys, sizeof keys);
	crypto_wipe(hash, sizeof hash);
	arena_release(&a);
	return rc;
}
