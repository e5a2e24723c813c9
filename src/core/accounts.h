/*
 * accounts: staff accounts — creation with a one-time activation password,
 * login with Argon2id and throttling (throttle.h), password changes,
 * administration.
 */
#ifndef VD_ACCOUNTS_H
#define VD_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/ids.h"
#include "app.h"

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 256
#define NAME_MAX_CHARS 120
#define ACTIVATION_PASSWORD_LEN 19 /* "xxxx-xxxx-xxxx-xxxx" */
#define RECOVERY_CHARS 25                      /* 125 random bits (userkeys) */
#define RECOVERY_TEXT_LEN (RECOVERY_CHARS + 4) /* five groups of five */

/* A staff account as pages show it (never its password hash or keys). */
struct account {
	int64_t id;
	const char *email;
	const char *name;
	enum vd_role role;
	bool must_change_password; /* until the owner sets their own */
	bool active;               /* false: cannot log in */
	int64_t created_at;
};

struct account_list {
	struct account *items;
	size_t n;
};

/* What a new or edited account looks like. */
struct account_input {
	const char *name;
	const char *email;
	enum vd_role role;
	struct id_list units; /* units the account belongs to */
	int active;
};

/* Field-level validation result, so forms can show the error next to the field. */
/* AF_SELF: an administrator tried to demote or deactivate themself. */
enum account_field { AF_NONE, AF_NAME, AF_EMAIL, AF_ROLE, AF_UNITS, AF_PASSWORD, AF_SELF, AF_RECOVERY };

/*
 * Creates an account (administrator or system only). On success *id is set and
 * pw_out holds the one-time activation password (the caller shows it once and
 * wipes it). On VD_ERR_INVALID/VD_ERR_EXISTS, *bad names the field.
 */
int account_create(struct vd *vd, const struct principal *who, const struct account_input *in,
		   int64_t *id, char pw_out[ACTIVATION_PASSWORD_LEN + 1], enum account_field *bad);

/* Administrator only: change name, e-mail, role, units, active. */
int account_update(struct vd *vd, const struct principal *who, int64_t id,
		   const struct account_input *in, enum account_field *bad);

/* Administrator only: a new activation password; ends the user's sessions. */
int account_reset_password(struct vd *vd, const struct principal *who, int64_t id,
			   char pw_out[ACTIVATION_PASSWORD_LEN + 1]);

/* Administrator only; account_get also for the user themself. units (may
 * be NULL) gets the account's units. */
int account_list(struct vd *vd, const struct principal *who, struct arena *a, struct account_list *out);
int account_get(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		struct account *out, struct id_list *units);

/* The name of staff user id, for a page that shows who did something (a
 * phase move, a declared conflict, a complaint's step): a counsellor,
 * committee member or administrator with an account may read it, also of
 * an account no longer active. "" for no such user, and for anyone else. */
const char *account_name(struct vd *vd, const struct principal *who, struct arena *a, int64_t id);

/* True if the principal has a key pair (after a reset, a password change
 * then needs the recovery key). */
bool account_has_keys(struct vd *vd, const struct principal *who);

/* Where a login attempt comes from; used in memory only, never stored. */
struct login_attempt {
	const void *source;  /* the client's address bytes */
	size_t source_len;
	const char *device;  /* the device cookie from an earlier good login, or NULL */
};

/* A device cookie value for email, to hand out after a good login: it exempts
 * this browser from the account-wide throttle. */
#define DEVICE_TOKEN_CHARS 43
void account_device_token(struct vd *vd, const char *email, char out[DEVICE_TOKEN_CHARS + 1]);

/* A password change, with what it takes to keep the key pair (userkeys.h). */
struct password_change {
	const char *old_pw;
	const char *new_pw;
	const char *recovery; /* after a reset: the recovery key ("" or NULL if none) */
	bool new_keys;        /* after a reset without it: give up the old pair, make a new one */
};

/* The result of a password change. */
struct password_changed {
	bool made_keys;                       /* a new pair: show recovery once */
	char recovery[RECOVERY_TEXT_LEN + 1];
	bool signed_in;                       /* token is a new session for this browser */
	char token[APP_TOKEN_CHARS + 1];      /* its cookie value (sessions.h) */
};

/*
 * The user changes their own password; the old one must be right (wrong
 * guesses are throttled like logins). The new one must have
 * PASSWORD_MIN_CHARS characters and differ from the old one and the e-mail
 * address. The first own password makes the user's key pair; later ones
 * re-wrap it. When the old password does not open the pair (after a reset),
 * the recovery key must, or new_keys must be set: otherwise VD_ERR_INVALID
 * with *bad = AF_RECOVERY (a wrong recovery key: VD_ERR_AUTH, AF_RECOVERY).
 * Every session of the account ends in the same transaction as the change;
 * then a new one starts for this browser (done->token; if that fails,
 * signed_in is false and the user logs in again). The caller wipes *done.
 */
int account_change_password(struct vd *vd, const struct principal *who, const struct password_change *pc,
			    const struct login_attempt *from, enum account_field *bad,
			    int64_t *retry_after, struct password_changed *done);

/* Checks a candidate password against the policy (length, valid text). */
int account_password_ok(const char *pw);


#endif
