/* rounds: see rounds.h. */
#include "internal/declarations.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/log.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/serving.h"
#include "internal/userkeys.h"

const char *const round_kinds[] = { "election", "appointment", NULL };

static bool kind_valid(const char *kind)
{
	for (size_t i = 0; kind && round_kinds[i]; i++)
		if (strcmp(kind, round_kinds[i]) == 0)
			return true;
	return false;
}

static void key_mac(struct vd *vd, const struct round_rec *r, unsigned char out[CRYPTO_MAC_LEN])
{
	unsigned char msg[STORE_KEY_LEN + 3 * 8];
	int64_t fields[3] = { r->unit_id, r->created_by, r->created_at };
	memcpy(msg, r->public_key, STORE_KEY_LEN);
	for (size_t i = 0; i < 3; i++)
		for (size_t b = 0; b < 8; b++)
			msg[STORE_KEY_LEN + 8 * i + b] = (unsigned char)((uint64_t)fields[i] >> (8 * b));
	crypto_mac(vd->secret, "round-key", msg, sizeof msg, out);
}

bool round_key_valid(struct vd *vd, const struct round_rec *r)
{
	unsigned char want[CRYPTO_MAC_LEN];
	key_mac(vd, r, want);
	return crypto_equal(want, r->mac, CRYPTO_MAC_LEN);
}

void round_from_rec(const struct round_rec *r, struct round *out)
{
	*out = (struct round){
		.id = r->id, .unit_id = r->unit_id, .kind = r->kind, .title = r->title, .opens_on = r->opens_on,
		.closes_on = r->closes_on, .created_by = r->created_by, .created_at = r->created_at,
		.n_invited = r->n_invited, .n_draft = r->n_draft, .n_submitted = r->n_submitted,
		.n_decided = r->n_decided,
	};
}

int round_member_check(struct vd *vd, const struct principal *who, struct arena *a, int64_t round_id,
		       struct round_rec *out)
{
	struct store *s = vd->store;
	struct round_member_rec m;
	if (who->role != ROLE_CANDIDATE_COMMITTEE)
		return VD_ERR_NOTFOUND;
	int rc = s->ops->round_member_get(s, round_id, who->user_id, &m);
	if (rc == VD_OK)
		rc = s->ops->round_get(s, a, round_id, out);
	/* a member taken off the committee of the round's unit (their units
	 * changed by the administrator) no longer reads it */
	struct unit_list all;
	struct id_list served;
	if (rc == VD_OK && (rc = served_units(vd, who, a, &all, &served)) == VD_OK && !unit_served(&served, out->unit_id))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK && !round_key_valid(vd, out)) {
		log_event(LOG_ERROR, "round", LF_WHAT, "a round's key does not match its check: not used", LF_END);
		rc = VD_ERR_NOTFOUND;
	}
	return rc;
}

int round_secret(struct vd *vd, const struct principal *who, struct arena *a, int64_t round_id,
		 struct round_rec *out, unsigned char sk[CRYPTO_SK_LEN])
{
	struct round_member_rec m;
	int rc = round_member_check(vd, who, a, round_id, out);
	if (rc == VD_OK)
		rc = vd->store->ops->round_member_get(vd->store, round_id, who->user_id, &m);
	if (rc == VD_OK && userkeys_unseal(vd, who, m.sealed_key, sizeof m.sealed_key, sk) != VD_OK)
		rc = VD_ERR_NOKEY;
	return rc;
}

/* The round's questions from the form's text, one per line. */
static int parse_questions(struct arena *a, const char *text, const char ***out, size_t *n)
{
	*n = 0;
	if (!(*out = arena_array(a, ROUND_QUESTIONS_MAX, sizeof **out)))
		return VD_ERR_NOMEM;
	if (!text || !text_valid_utf8(text, strlen(text)))
		return VD_ERR_INVALID;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\r\n");
		char *line = arena_strndup(a, p, len);
		if (!line)
			return VD_ERR_NOMEM;
		text_trim(line);
		if (line[0]) {
			if (*n == ROUND_QUESTIONS_MAX || !text_fits(line, ROUND_QUESTION_MAX_CHARS, true))
				return VD_ERR_INVALID;
			(*out)[(*n)++] = line;
		}
		p += len;
		p += strspn(p, "\r\n");
	}
	return *n ? VD_OK : VD_ERR_INVALID;
}

static const struct unit_staff *staff_find(const struct unit_staff *staff, size_t n, int64_t user_id)
{
	for (size_t i = 0; i < n; i++)
		if (staff[i].user_id == user_id)
			return &staff[i];
	return NULL;
}

static int check_input(struct vd *vd, const struct principal *who, struct arena *a, const struct round_input *in,
		       const struct unit_staff *staff, size_t nstaff, enum round_field *bad)
{
	struct unit_list all;
	struct id_list served;
	int64_t today = date_of(clock_now());
	if (!kind_valid(in->kind))
		return *bad = RND_KIND, VD_ERR_INVALID;
	int rc = served_units(vd, who, a, &all, &served);
	if (rc)
		return rc;
	if (!unit_served(&served, in->unit_id))
		return *bad = RND_UNIT, VD_ERR_INVALID;
	if (text_blank(in->title) || !text_fits(in->title, ROUND_TITLE_MAX_CHARS, true))
		return *bad = RND_TITLE, VD_ERR_INVALID;
	if (in->opens_on <= 0)
		return *bad = RND_OPENS, VD_ERR_INVALID;
	if (in->closes_on < in->opens_on || in->closes_on < today)
		return *bad = RND_CLOSES, VD_ERR_INVALID;
	if (!staff_find(staff, nstaff, who->user_id))
		return *bad = RND_KEYS, VD_ERR_INVALID;
	if (in->members.n > ROUND_MEMBERS_MAX - 1)
		return *bad = RND_MEMBERS, VD_ERR_INVALID;
	for (size_t i = 0; i < in->members.n; i++)
		if (in->members.ids[i] == who->user_id || !staff_find(staff, nstaff, in->members.ids[i]))
			return *bad = RND_MEMBERS, VD_ERR_INVALID;
	return VD_OK;
}

int round_open(struct vd *vd, const struct principal *who, const struct round_input *in, int64_t *id,
	       enum round_field *bad)
{
	*bad = RND_NONE;
	if (who->role != ROLE_CANDIDATE_COMMITTEE)
		return VD_ERR_DENIED;
	struct arena a;
	arena_init(&a, 0);
	struct unit_staff *staff = NULL;
	size_t nstaff = 0;
	const char **questions = NULL;
	size_t nq = 0;
	int rc = unit_staff_of(vd, &a, ROLE_CANDIDATE_COMMITTEE, in->unit_id, &staff, &nstaff);
	if (rc == VD_OK)
		rc = check_input(vd, who, &a, in, staff, nstaff, bad);
	if (rc == VD_OK && (rc = parse_questions(&a, in->questions, &questions, &nq)) == VD_ERR_INVALID)
		*bad = RND_QUESTIONS;
	/* the members without doubles, the one who opens it first */
	struct round_member_rec *members = rc ? NULL : arena_array(&a, in->members.n + 1, sizeof *members);
	if (rc == VD_OK && !members)
		rc = VD_ERR_NOMEM;
	size_t nm = 0;
	unsigned char sk[CRYPTO_SK_LEN];
	struct round_rec r = { .unit_id = in->unit_id, .kind = in->kind, .title = in->title, .opens_on = in->opens_on,
			       .closes_on = in->closes_on, .created_by = who->user_id, .created_at = clock_now() };
	if (rc == VD_OK) {
		crypto_keypair(r.public_key, sk);
		key_mac(vd, &r, r.mac);
		for (size_t i = 0; i <= in->members.n; i++) {
			int64_t uid = i == 0 ? who->user_id : in->members.ids[i - 1];
			bool twice = false;
			for (size_t j = 0; j < nm; j++)
				twice = twice || members[j].user_id == uid;
			if (twice)
				continue;
			members[nm].user_id = uid;
			crypto_seal(staff_find(staff, nstaff, uid)->public_key, sk, sizeof sk, members[nm].sealed_key);
			nm++;
		}
		crypto_wipe(sk, sizeof sk);
	}
	struct store *s = vd->store;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		rc = s->ops->round_insert(s, &r, members, nm, questions, nq, id);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "round.open", "round", *id);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}

int round_list(struct vd *vd, const struct principal *who, struct arena *a, struct round_list *out)
{
	out->n = 0;
	if (who->role != ROLE_CANDIDATE_COMMITTEE)
		return VD_ERR_DENIED;
	struct round_recs recs;
	int rc = vd->store->ops->round_list(vd->store, a, who->user_id, ROUNDS_LIST_MAX, &recs);
	if (rc)
		return rc;
	if (!(out->items = arena_array(a, recs.n ? recs.n : 1, sizeof *out->items)))
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < recs.n; i++)
		round_from_rec(&recs.items[i], &out->items[out->n++]);
	return VD_OK;
}

int round_get(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct round_detail *out)
{
	struct store *s = vd->store;
	struct round_rec r;
	struct round_question_recs qs;
	struct id_list members;
	memset(out, 0, sizeof *out);
	int rc = round_member_check(vd, who, a, id, &r);
	if (rc == VD_OK)
		rc = s->ops->round_questions(s, a, id, &qs);
	if (rc == VD_OK)
		rc = s->ops->round_members(s, a, id, &members);
	if (rc)
		return rc;
	round_from_rec(&r, &out->round);
	out->questions = arena_array(a, qs.n ? qs.n : 1, sizeof *out->questions);
	out->members = arena_array(a, members.n ? members.n : 1, sizeof *out->members);
	if (!out->questions || !out->members)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < qs.n; i++)
		out->questions[out->nquestions++] = (struct round_question){ qs.items[i].id, qs.items[i].text };
	for (size_t i = 0; i < members.n; i++) {
		struct user_rec u;
		if (s->ops->user_get(s, a, members.ids[i], &u) == VD_OK)
			out->members[out->nmembers++] = (struct round_person){ u.id, u.name };
	}
	return VD_OK;
}

int round_colleagues(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit,
		     struct round_person **out, size_t *n)
{
	struct store *s = vd->store;
	*n = 0;
	if (who->role != ROLE_CANDIDATE_COMMITTEE)
		return VD_ERR_DENIED;
	struct unit_list all;
	struct id_list served;
	int rc = served_units(vd, who, a, &all, &served);
	if (rc)
		return rc;
	if (!(*out = arena_array(a, 64, sizeof **out)))
		return VD_ERR_NOMEM;
	/* of any unit: everyone who could join a round of a unit who serves */
	for (size_t u = 0; u < served.n; u++) {
		if (unit && served.ids[u] != unit)
			continue;
		struct unit_staff *staff;
		size_t nstaff;
		if ((rc = unit_staff_of(vd, a, ROLE_CANDIDATE_COMMITTEE, served.ids[u], &staff, &nstaff)))
			return rc;
		for (size_t i = 0; i < nstaff && *n < 64; i++) {
			bool seen = staff[i].user_id == who->user_id;
			for (size_t j = 0; j < *n && !seen; j++)
				seen = (*out)[j].user_id == staff[i].user_id;
			struct user_rec rec;
			if (!seen && s->ops->user_get(s, a, staff[i].user_id, &rec) == VD_OK)
				(*out)[(*n)++] = (struct round_person){ rec.id, rec.name };
		}
	}
	return VD_OK;
}

int round_member_add(struct vd *vd, const struct principal *who, int64_t round_id, int64_t user_id)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct round_rec r;
	unsigned char sk[CRYPTO_SK_LEN];
	struct unit_staff *staff = NULL;
	size_t nstaff = 0;
	struct round_member_rec m = { .user_id = user_id };
	struct id_list members;
	int rc = round_secret(vd, who, &a, round_id, &r, sk);
	if (rc == VD_OK)
		rc = s->ops->round_members(s, &a, round_id, &members);
	if (rc == VD_OK && members.n >= ROUND_MEMBERS_MAX)
		rc = VD_ERR_TOOBIG;
	if (rc == VD_OK)
		rc = unit_staff_of(vd, &a, ROLE_CANDIDATE_COMMITTEE, r.unit_id, &staff, &nstaff);
	const struct unit_staff *to = rc ? NULL : staff_find(staff, nstaff, user_id);
	if (rc == VD_OK && !to)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		crypto_seal(to->public_key, sk, sizeof sk, m.sealed_key);
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		rc = s->ops->round_member_add(s, round_id, &m);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "round.member", "round", round_id);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}

int round_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out, int **depth)
{
	out->n = 0;
	if (who->role != ROLE_CANDIDATE_COMMITTEE)
		return VD_ERR_DENIED;
	return served_unit_tree(vd, who, a, out, depth);
}
