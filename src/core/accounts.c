/* accounts: see accounts.h. */
#include "accounts.h"

#include <pthread.h>
#include <string.h>

#include "../util/text.h"

#define ACCOUNT_FREE_FAILURES 5
#define ACCOUNT_MAX_WAIT 300
#define SOURCE_MAX_FAILURES 20
#define SOURCE_WINDOW 600
#define SOURCE_SLOTS 1024

/* ---- per-source throttle, in memory only ---------------------------------- */

struct source_slot {
	unsigned char key[CRYPTO_MAC_LEN]; /* keyed hash of the source; never the address */
	int64_t window_start;
	int failures;
};

static struct source_slot sources[SOURCE_SLOTS];
static pthread_mutex_t sources_lock = PTHREAD_MUTEX_INITIALIZER;

void account_throttle_reset(void)
{
	pthread_mutex_lock(&sources_lock);
	memset(sources, 0, sizeof sources);
	pthread_mutex_unlock(&sources_lock);
}

/* The slot for key; a colliding slot is simply taken over (the table forgets,
 * which errs on the side of letting people in, never of locking them out). */
static struct source_slot *source_slot(const unsigned char *key, int64_t now)
{
	unsigned idx = ((unsigned)key[0] | (unsigned)key[1] << 8) % SOURCE_SLOTS;
	struct source_slot *s = &sources[idx];
	if (!crypto_equal(s->key, key, CRYPTO_MAC_LEN) || now - s->window_start >= SOURCE_WINDOW) {
		memcpy(s->key, key, CRYPTO_MAC_LEN);
		s->window_start = now;
		s->failures = 0;
	}
	return s;
}

static int64_t source_wait(const unsigned char *key, int64_t now)
{
	pthread_mutex_lock(&sources_lock);
	struct source_slot *s = source_slot(key, now);
	int64_t wait = s->failures >= SOURCE_MAX_FAILURES ? s->window_start + SOURCE_WINDOW - now : 0;
	pthread_mutex_unlock(&sources_lock);
	return wait;
}

static void source_fail(const unsigned char *key, int64_t now)
{
	pthread_mutex_lock(&sources_lock);
	source_slot(key, now)->failures++;
	pthread_mutex_unlock(&sources_lock);
}

static int64_t account_wait(const struct user *u, int64_t now)
{
	if (u->failed_logins < ACCOUNT_FREE_FAILURES)
		return 0;
	int shift = u->failed_logins - ACCOUNT_FREE_FAILURES;
	int64_t wait = shift >= 9 ? ACCOUNT_MAX_WAIT : (int64_t)1 << shift;
	if (wait > ACCOUNT_MAX_WAIT)
		wait = ACCOUNT_MAX_WAIT;
	int64_t left = u->last_failed_at + wait - now;
	return left > 0 ? left : 0;
}

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
	if (in->role <= ROLE_NONE || in->role >= ROLE_COUNT) {
		*bad = AF_ROLE;
		return VD_ERR_INVALID;
	}
	/* Every unit must exist. */
	struct unit_list units;
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

static int set_activation_password(struct vd *vd, int64_t id, char pw_out[ACTIVATION_PASSWORD_LEN + 1])
{
	char hash[CRYPTO_PWHASH_MAX];
	activation_password(pw_out);
	int rc = crypto_password_hash(&vd->pwcost, pw_out, strlen(pw_out), hash);
	if (rc == VD_OK)
		rc = vd->store->ops->user_set_password(vd->store, id, hash, 1);
	crypto_wipe(hash, sizeof hash);
	return rc;
}

/* ---- administration ------------------------------------------------------- */

int account_create(struct vd *vd, const struct actor *who, const struct account_input *in,
		   int64_t *id, char pw_out[ACTIVATION_PASSWORD_LEN + 1], enum account_field *bad)
{
	*bad = AF_NONE;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	int rc = validate_input(vd, &a, in, bad);
	if (rc)
		goto out;
	rc = s->ops->begin(s);
	if (rc)
		goto out;
	struct user u = {
		.email = in->email,
		.name = in->name,
		.role = role_name(in->role),
		.password_hash = "!", /* replaced below; "!" never verifies */
		.must_change_password = 1,
		.active = 1,
	};
	rc = s->ops->user_insert(s, &u, id);
	if (rc == VD_ERR_EXISTS)
		*bad = AF_EMAIL;
	if (rc == VD_OK)
		rc = s->ops->user_units_set(s, *id, &in->units);
	if (rc == VD_OK)
		rc = set_activation_password(vd, *id, pw_out);
	if (rc == VD_OK && in->role == ROLE_COUNSELLOR) {
		struct profile p = { .user_id = *id };
		rc = s->ops->profile_put(s, &p);
	}
	/* A new counsellor appears in the public directory. */
	rc = app_end(vd, rc, in->role == ROLE_COUNSELLOR);
	if (rc)
		crypto_wipe(pw_out, ACTIVATION_PASSWORD_LEN + 1);
out:
	arena_release(&a);
	return rc;
}

int account_update(struct vd *vd, const struct actor *who, int64_t id,
		   const struct account_input *in, enum account_field *bad)
{
	*bad = AF_NONE;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
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
	struct user u = {
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
		struct profile p;
		if (s->ops->profile_get(s, &a, id, &p) == VD_ERR_NOTFOUND) {
			memset(&p, 0, sizeof p);
			p.user_id = id;
			rc = s->ops->profile_put(s, &p);
		}
	}
	/* Names, units and activity show in the public directory. */
	rc = app_end(vd, rc, 1);
out:
	arena_release(&a);
	return rc;
}

int account_reset_password(struct vd *vd, const struct actor *who, int64_t id,
			   char pw_out[ACTIVATION_PASSWORD_LEN + 1])
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = set_activation_password(vd, id, pw_out);
	if (rc == VD_OK)
		rc = s->ops->session_delete_user(s, id);
	rc = app_end(vd, rc, 0);
	if (rc)
		crypto_wipe(pw_out, ACTIVATION_PASSWORD_LEN + 1);
	return rc;
}

int account_list(struct vd *vd, const struct actor *who, struct arena *a, struct user_list *out)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	return vd->store->ops->user_list(vd->store, a, out);
}

int account_get(struct vd *vd, const struct actor *who, struct arena *a, int64_t id,
		struct user *out, struct id_list *units)
{
	if (who->role != ROLE_ADMIN && who->user_id != id)
		return VD_ERR_DENIED;
	int rc = vd->store->ops->user_get(vd->store, a, id, out);
	if (rc == VD_OK && units)
		rc = vd->store->ops->user_units_get(vd->store, a, id, units);
	return rc;
}

/* ---- login and own password ---------------------------------------------- */

int account_login(struct vd *vd, struct arena *a, const char *email, const char *password,
		  const void *source, size_t source_len, struct user *out, int64_t *retry_after)
{
	struct store *s = vd->store;
	int64_t now = vd_now();
	*retry_after = 0;
	unsigned char skey[CRYPTO_MAC_LEN];
	crypto_mac(vd->secret, "login-source", source, source_len, skey);

	int64_t wait = source_wait(skey, now);
	if (wait > 0) {
		*retry_after = wait;
		return VD_ERR_THROTTLED;
	}
	size_t pwlen = strlen(password);
	if (pwlen > PASSWORD_MAX_BYTES || strlen(email) > 254) {
		source_fail(skey, now);
		return VD_ERR_AUTH;
	}
	struct user u;
	int rc = s->ops->user_find_email(s, a, email, &u);
	if (rc == VD_ERR_NOTFOUND || (rc == VD_OK && !u.active)) {
		/* Same cost as a real check, so timing does not tell who has an account. */
		crypto_password_dummy(&vd->pwcost);
		source_fail(skey, now);
		return VD_ERR_AUTH;
	}
	if (rc)
		return rc;
	wait = account_wait(&u, now);
	if (wait > 0) {
		*retry_after = wait;
		return VD_ERR_THROTTLED;
	}
	if (crypto_password_verify(u.password_hash, password, pwlen) != VD_OK) {
		source_fail(skey, now);
		s->ops->user_set_failures(s, u.id, u.failed_logins + 1, now);
		return VD_ERR_AUTH;
	}
	if (u.failed_logins)
		s->ops->user_set_failures(s, u.id, 0, 0);
	u.failed_logins = 0;
	*out = u;
	return VD_OK;
}

int account_change_password(struct vd *vd, const struct actor *who, const char *old_pw,
			    const char *new_pw, enum account_field *bad)
{
	*bad = AF_NONE;
	if (who->user_id <= 0)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct user u;
	struct store *s = vd->store;
	char hash[CRYPTO_PWHASH_MAX];
	int rc = s->ops->user_get(s, &a, who->user_id, &u);
	if (rc)
		goto out;
	if (strlen(old_pw) > PASSWORD_MAX_BYTES ||
	    crypto_password_verify(u.password_hash, old_pw, strlen(old_pw)) != VD_OK) {
		*bad = AF_PASSWORD;
		rc = VD_ERR_AUTH;
		goto out;
	}
	if (account_password_ok(new_pw) != VD_OK || strcmp(old_pw, new_pw) == 0 ||
	    text_ieq(new_pw, u.email)) {
		rc = VD_ERR_INVALID;
		goto out;
	}
	rc = crypto_password_hash(&vd->pwcost, new_pw, strlen(new_pw), hash);
	if (rc == VD_OK)
		rc = s->ops->user_set_password(s, u.id, hash, 0);
out:
	crypto_wipe(hash, sizeof hash);
	arena_release(&a);
	return rc;
}
