/* handover: see handover.h. */
#include "handover.h"
#include "internal/handover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "units.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/cases.h"
#include "internal/notify.h"

const char *const handover_reasons[] = { "leaving", "conflict_of_interest", "reporter_wish", NULL };

/* May the case (of unit) go to to_user? An active counsellor with a key pair
 * (into *to and *to_key), who declared no conflict on it and serves its unit
 * (as the reporter could have chosen them). Read inside the transaction,
 * under the claim on the case: nothing can change in between. */
static bool may_take(struct vd *vd, struct arena *a, int64_t user_id, struct user_rec *to, struct user_key_rec *to_key)
{
	struct store *s = vd->store;
	return s->ops->user_get(s, a, user_id, to) == VD_OK && to->active && role_parse(to->role) == ROLE_COUNSELLOR &&
	       s->ops->user_key_get(s, user_id, to_key) == VD_OK;
}

bool handover_may_take(struct vd *vd, struct arena *a, int64_t user_id)
{
	struct user_rec to;
	struct user_key_rec to_key;
	return may_take(vd, a, user_id, &to, &to_key);
}

static int check_recipient(struct vd *vd, struct arena *a, int64_t id, int64_t unit, int64_t to_user,
			   struct user_rec *to, struct user_key_rec *to_key)
{
	struct store *s = vd->store;
	if (!may_take(vd, a, to_user, to, to_key))
		return VD_ERR_INVALID;
	struct id_list conflicts, member_of;
	struct unit_list units;
	int rc = s->ops->conflict_list(s, a, id, &conflicts);
	for (size_t i = 0; rc == VD_OK && i < conflicts.n; i++)
		if (conflicts.ids[i] == to_user)
			rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = unit_list(vd, a, &units);
	if (rc == VD_OK)
		rc = s->ops->user_units_get(s, a, to_user, &member_of);
	bool serves = false;
	for (size_t i = 0; rc == VD_OK && i < member_of.n && !serves; i++)
		serves = unit_within(&units, unit, member_of.ids[i]);
	return rc ? rc : serves ? VD_OK : VD_ERR_INVALID;
}

int handover_move(struct vd *vd, int64_t actor, int64_t id, const unsigned char key[CRYPTO_KEY_LEN], int64_t from_user,
		  int64_t to_user)
{
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	struct case_rec rec;
	struct case_work_rec w;
	struct user_rec to;
	struct user_key_rec to_key;
	int rc = to_user == from_user ? VD_ERR_INVALID : s->ops->case_get(s, &a, id, &rec);
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		/* The claim holds off every other change to the case's work until
		 * the hand-over commits (a conflict declared, a forward). */
		rc = s->ops->case_work_claim(s, &a, id, &w);
		if (rc == VD_OK)
			rc = check_recipient(vd, &a, id, rec.unit_id, to_user, &to, &to_key);
		struct case_key_rec k = { .user_id = to_user };
		if (rc == VD_OK) {
			crypto_seal(to_key.public_key, key, CRYPTO_KEY_LEN, k.sealed_key);
			/* only if from_user still reads it: the compare-and-set of the store */
			rc = s->ops->case_reader_replace(s, id, from_user, &k);
		}
		/* The reporter reads in their mailbox who has their case now. */
		size_t n = rc == VD_OK ? strlen(to.name) : 0;
		unsigned char *body = rc == VD_OK ? malloc(n + CRYPTO_AEAD_OVERHEAD) : NULL;
		char ad[80];
		snprintf(ad, sizeof ad, "case %s handover message", rec.locator);
		if (rc == VD_OK && !body)
			rc = VD_ERR_NOMEM;
		if (rc == VD_OK) {
			crypto_encrypt(key, ad, to.name, n, body);
			struct message_rec m = { .case_id = id, .kind = "handover", .author_id = actor,
						 .created_at = clock_now(), .body = body, .body_len = n + CRYPTO_AEAD_OVERHEAD };
			int64_t mid;
			rc = s->ops->message_insert(s, &m, &mid);
		}
		free(body);
		if (rc == VD_OK)
			rc = audit_record(vd, actor, "case.handover", "case", id);
		rc = app_end(vd, rc, 0);
		if (rc == VD_OK)
			notify_readers(vd, id); /* the new counsellor hears of it */
	}
	arena_release(&a);
	return rc;
}

int case_handover(struct vd *vd, const struct principal *who, int64_t id, int64_t to_user, const char *reason)
{
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = case_reader_key(vd, who, id, key);
	if (rc == VD_OK && (!case_choice_valid(handover_reasons, reason) || to_user == who->user_id))
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = handover_move(vd, who->user_id, id, key, who->user_id, to_user);
	crypto_wipe(key, sizeof key);
	return rc;
}

int case_handover_all(struct vd *vd, const struct principal *who, int64_t to_user, const char *reason,
		      int64_t *moved, int64_t *not_moved)
{
	*moved = *not_moved = 0;
	if (who->role != ROLE_COUNSELLOR || !case_choice_valid(handover_reasons, reason) || to_user == who->user_id)
		return VD_ERR_INVALID;
	struct arena a;
	arena_init(&a, 0);
	struct id_list ids;
	/* someone who could take a case at all; per case, check_recipient decides */
	int rc = handover_may_take(vd, &a, to_user) ? vd->store->ops->user_case_ids(vd->store, &a, who->user_id, &ids)
						    : VD_ERR_INVALID;
	for (size_t i = 0; rc == VD_OK && i < ids.n; i++) {
		rc = case_handover(vd, who, ids.ids[i], to_user, reason);
		if (rc == VD_ERR_INVALID || rc == VD_ERR_NOTFOUND) { /* the colleague cannot take this one, or it went meanwhile */
			(*not_moved)++;
			rc = VD_OK;
		} else if (rc == VD_OK)
			(*moved)++;
	}
	arena_release(&a);
	return rc;
}

int case_declare_conflict(struct vd *vd, const struct principal *who, int64_t id)
{
	struct store *s = vd->store;
	struct case_key_rec k;
	int rc = who->role == ROLE_COUNSELLOR ? s->ops->case_key_get(s, id, who->user_id, &k) : VD_ERR_NOTFOUND;
	struct arena a;
	arena_init(&a, 0);
	struct case_work_rec w;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		/* under the claim on the case, like a hand-over (which reads the conflicts) */
		rc = s->ops->case_work_claim(s, &a, id, &w);
		if (rc == VD_OK)
			rc = s->ops->conflict_put(s, id, who->user_id, clock_now());
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "case.conflict", "case", id);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}
