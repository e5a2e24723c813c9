/*
 * escrow: see escrow.h. A trustee's parts: their two parts of the escrow's
 * secret (crypto.h, "2 of 3"), 64 bytes sealed to the trustee's own key.
 * An approval: the approver's two parts, each sealed to the trustee it
 * pairs them with (2 x 80 bytes, in the order of crypto_share_other).
 */
#include "internal/escrow.h"

#include <string.h>

#include "../util/clock.h"
#include "../util/errors.h"
#include "../util/log.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/cases.h"
#include "internal/handover.h"

#define PARTS_PLAIN (2 * CRYPTO_KEY_LEN)
#define PARTS_SEALED (PARTS_PLAIN + CRYPTO_SEAL_OVERHEAD)
/* A part left for another trustee travels with the digest of the request
 * it was given for, so it serves that request (its counsellors) only. */
#define PART_PLAIN (CRYPTO_KEY_LEN + CRYPTO_DIGEST_LEN)
#define PART_SEALED (PART_PLAIN + CRYPTO_SEAL_OVERHEAD)
#define APPROVAL_LEN (2 * PART_SEALED)
#define REQUESTS_SHOWN 50
#define REQUEST_DAYS 14   /* an open request not carried out by then lapses, and the parts left with it go */
#define COVER_PER_LOGIN 2000

_Static_assert(ESCROW_TRUSTEES == STORE_ESCROW_TRUSTEES, "three trustees");
_Static_assert(CRYPTO_SK_LEN == CRYPTO_KEY_LEN, "the secret half is split as a 32-byte key");

/* The check of the escrow record under the data directory's secret: the
 * public half, when, the trustees and their parts. Someone who can write
 * the database but not read secret.key cannot put a key of their own in
 * its place (every case key would then be sealed to them). */
static void escrow_mac(struct vd *vd, const struct escrow_rec *e, unsigned char out[CRYPTO_MAC_LEN])
{
	unsigned char buf[CRYPTO_PK_LEN + 8 + ESCROW_TRUSTEES * (8 + CRYPTO_DIGEST_LEN)];
	size_t n = 0;
	memcpy(buf, e->public_key, CRYPTO_PK_LEN);
	n += CRYPTO_PK_LEN;
	for (int b = 7; b >= 0; b--)
		buf[n++] = (unsigned char)((uint64_t)e->created_at >> (8 * b));
	for (int i = 0; i < ESCROW_TRUSTEES; i++) {
		for (int b = 7; b >= 0; b--)
			buf[n++] = (unsigned char)((uint64_t)e->trustees[i].user_id >> (8 * b));
		crypto_digest(e->trustees[i].parts, e->trustees[i].parts_len, buf + n);
		n += CRYPTO_DIGEST_LEN;
	}
	crypto_mac(vd->secret, "escrow", buf, n, out);
}

/* The escrow, checked: VD_ERR_NOTFOUND if there is none, VD_ERR_STORE
 * (logged) if it does not match its check. */
static int escrow_load(struct vd *vd, struct arena *a, struct escrow_rec *e)
{
	int rc = vd->store->ops->escrow_get(vd->store, a, e);
	if (rc)
		return rc;
	unsigned char mac[CRYPTO_MAC_LEN];
	escrow_mac(vd, e, mac);
	if (!crypto_equal(mac, e->mac, sizeof mac)) {
		log_event(LOG_ERROR, "escrow", LF_WHAT, "the escrow record does not match its check: not used", LF_END);
		return VD_ERR_STORE;
	}
	return VD_OK;
}

/* What a part left for another trustee is bound to. */
static void request_digest(const struct escrow_request_rec *r, unsigned char out[CRYPTO_DIGEST_LEN])
{
	char text[160];
	int n = snprintf(text, sizeof text, "vertrouwd escrow request %lld %lld %lld %lld", (long long)r->id,
			 (long long)r->from_user, (long long)r->to_user, (long long)r->started_at);
	crypto_digest(text, (size_t)n, out);
}

/* The position of user_id among the trustees; -1 if none. */
static int trustee_position(const struct escrow_rec *e, int64_t user_id)
{
	for (int i = 0; i < ESCROW_TRUSTEES; i++)
		if (user_id && e->trustees[i].user_id == user_id)
			return i;
	return -1;
}

/* Staff who hold case keys of their own: never the administrator. */
static bool may_be_trustee(const struct user_rec *u)
{
	enum vd_role r = role_parse(u->role);
	return u->active && (r == ROLE_COUNSELLOR || r == ROLE_COMMITTEE || r == ROLE_INTEGRITY);
}

int escrow_init(struct vd *vd, const struct principal *who, const char *const emails[ESCROW_TRUSTEES], bool replace,
		int *bad)
{
	*bad = -1;
	if (who != &principal_system)
		return VD_ERR_DENIED;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e = { .created_at = clock_now() };
	struct user_key_rec keys[ESCROW_TRUSTEES];
	int rc = VD_OK;
	for (int i = 0; rc == VD_OK && i < ESCROW_TRUSTEES; i++) {
		struct user_rec u;
		if (!emails[i] || s->ops->user_find_email(s, &a, emails[i], &u) != VD_OK || !may_be_trustee(&u) ||
		    s->ops->user_key_get(s, u.id, &keys[i]) != VD_OK || trustee_position(&e, u.id) >= 0) {
			*bad = i;
			rc = VD_ERR_INVALID;
		}
		e.trustees[i].user_id = rc == VD_OK ? u.id : 0;
	}
	struct escrow_rec old;
	if (rc == VD_OK && !replace && s->ops->escrow_get(s, &a, &old) == VD_OK)
		rc = VD_ERR_EXISTS;
	unsigned char sk[CRYPTO_SK_LEN], parts[ESCROW_TRUSTEES][2][CRYPTO_KEY_LEN];
	unsigned char *sealed = rc == VD_OK ? arena_alloc(&a, ESCROW_TRUSTEES * PARTS_SEALED) : NULL;
	if (rc == VD_OK && !sealed)
		rc = VD_ERR_NOMEM;
	if (rc == VD_OK) {
		crypto_keypair(e.public_key, sk);
		crypto_share_split(sk, parts);
		for (int i = 0; i < ESCROW_TRUSTEES; i++) {
			crypto_seal(keys[i].public_key, parts[i], PARTS_PLAIN, sealed + i * PARTS_SEALED);
			e.trustees[i].parts = sealed + i * PARTS_SEALED;
			e.trustees[i].parts_len = PARTS_SEALED;
		}
		crypto_wipe(sk, sizeof sk);
		crypto_wipe(parts, sizeof parts);
		escrow_mac(vd, &e, e.mac);
		rc = s->ops->begin(s);
		if (rc == VD_OK) {
			rc = s->ops->escrow_put(s, &e);
			if (rc == VD_OK)
				rc = audit_record(vd, 0, "escrow.init", "installation", 0);
			rc = app_end(vd, rc, 0);
		}
	}
	arena_release(&a);
	return rc;
}

int escrow_seal_case(struct vd *vd, int64_t case_id, const unsigned char case_key[CRYPTO_KEY_LEN])
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e;
	int rc = escrow_load(vd, &a, &e);
	if (rc == VD_OK) {
		unsigned char sealed[STORE_SEALED_KEY_LEN];
		crypto_seal(e.public_key, case_key, CRYPTO_KEY_LEN, sealed);
		rc = s->ops->escrow_key_put(s, case_id, sealed);
	}
	arena_release(&a);
	/* no escrow, or one that fails its check: the report is taken all the same */
	return rc == VD_ERR_NOTFOUND || rc == VD_ERR_STORE ? VD_OK : rc;
}

int escrow_cover(struct vd *vd, const struct principal *who, int64_t *n)
{
	*n = 0;
	if (!who->has_key || who->role != ROLE_COUNSELLOR)
		return VD_OK;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e;
	struct id_list ids;
	int rc = escrow_load(vd, &a, &e);
	if (rc == VD_OK)
		rc = s->ops->escrow_uncovered(s, &a, who->user_id, COVER_PER_LOGIN, &ids);
	for (size_t i = 0; rc == VD_OK && i < ids.n; i++) {
		unsigned char key[CRYPTO_KEY_LEN], sealed[STORE_SEALED_KEY_LEN];
		/* one that does not open (damaged) is skipped, not the rest with it */
		if (case_reader_key(vd, who, ids.ids[i], key) == VD_OK) {
			crypto_seal(e.public_key, key, sizeof key, sealed);
			if (s->ops->escrow_key_put(s, ids.ids[i], sealed) == VD_OK)
				(*n)++;
		}
		crypto_wipe(key, sizeof key);
	}
	arena_release(&a);
	return rc == VD_ERR_NOTFOUND ? VD_OK : rc;
}

/* The escrow, and who's place in it: VD_ERR_NOTFOUND if who is no trustee. */
static int as_trustee(struct vd *vd, const struct principal *who, struct arena *a, struct escrow_rec *e, int *pos)
{
	int rc = escrow_load(vd, a, e);
	*pos = rc == VD_OK ? trustee_position(e, who->user_id) : -1;
	/* still one who may be: an account made administrator since is not */
	struct user_rec u;
	if (rc == VD_OK && *pos >= 0 &&
	    (vd->store->ops->user_get(vd->store, a, who->user_id, &u) != VD_OK || !may_be_trustee(&u)))
		*pos = -1;
	return rc ? rc : *pos < 0 ? VD_ERR_NOTFOUND : VD_OK;
}

/* Open requests older than REQUEST_DAYS lapse, with the parts left in them. */
static void lapse_old(struct vd *vd, struct arena *a)
{
	struct store *s = vd->store;
	struct escrow_request_recs l;
	int64_t now = clock_now();
	if (s->ops->escrow_request_list(s, a, REQUESTS_SHOWN, &l) != VD_OK)
		return;
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.items[i].state, "open") != 0 || now - l.items[i].started_at < REQUEST_DAYS * 86400LL)
			continue;
		if (s->ops->begin(s) != VD_OK)
			return;
		int rc = s->ops->escrow_request_end(s, l.items[i].id, "open", "cancelled", 0, 0, now);
		if (rc == VD_OK)
			rc = audit_record(vd, 0, "escrow.cancel", "user", l.items[i].from_user);
		app_end(vd, rc, 0);
	}
}

static const char *name_of(struct vd *vd, struct arena *a, int64_t id)
{
	struct user_rec u;
	return id && vd->store->ops->user_get(vd->store, a, id, &u) == VD_OK ? u.name : "";
}

int escrow_get(struct vd *vd, const struct principal *who, struct arena *a, struct escrow_view *out)
{
	memset(out, 0, sizeof *out);
	struct escrow_rec e;
	int pos;
	int rc = as_trustee(vd, who, a, &e, &pos);
	if (rc)
		return rc;
	lapse_old(vd, a);
	out->exists = out->trustee = true;
	for (int i = 0; i < ESCROW_TRUSTEES; i++) {
		out->trustees[i].user_id = e.trustees[i].user_id;
		out->trustees[i].name = name_of(vd, a, e.trustees[i].user_id);
	}
	struct escrow_request_recs l;
	rc = vd->store->ops->escrow_request_list(vd->store, a, REQUESTS_SHOWN, &l);
	out->requests = rc == VD_OK ? arena_alloc(a, (l.n ? l.n : 1) * sizeof *out->requests) : NULL;
	if (rc == VD_OK && !out->requests)
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < l.n; i++) {
		const struct escrow_request_rec *r = &l.items[i];
		struct escrow_request_view *v = &out->requests[out->n++];
		*v = (struct escrow_request_view){
			.id = r->id, .from_user = r->from_user, .to_user = r->to_user, .started_by = r->started_by,
			.from_name = name_of(vd, a, r->from_user), .to_name = name_of(vd, a, r->to_user),
			.started_name = name_of(vd, a, r->started_by), .started_at = r->started_at, .state = r->state,
			.moved = r->moved, .not_moved = r->not_moved, .done_at = r->done_at,
		};
		struct escrow_approval_recs ap;
		rc = vd->store->ops->escrow_approval_list(vd->store, a, r->id, &ap);
		for (size_t k = 0; rc == VD_OK && k < ap.n; k++) {
			v->approvals++;
			v->approved_by_me |= ap.items[k].trustee_id == who->user_id;
		}
	}
	return rc;
}

/* For a link on the start page (every request for a staff page asks): one
 * read, no check of the record; whatever a trustee then does checks it
 * all (as_trustee). */
bool escrow_is_trustee(struct vd *vd, const struct principal *who)
{
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e;
	enum vd_role r = who->role;
	bool yes = (r == ROLE_COUNSELLOR || r == ROLE_COMMITTEE || r == ROLE_INTEGRITY) &&
		   vd->store->ops->escrow_get(vd->store, &a, &e) == VD_OK && trustee_position(&e, who->user_id) >= 0;
	arena_release(&a);
	return yes;
}

int escrow_counsellors(struct vd *vd, const struct principal *who, struct arena *a, struct escrow_person **out,
		       size_t *n)
{
	*out = NULL;
	*n = 0;
	struct escrow_rec e;
	int pos;
	struct user_recs users;
	int rc = as_trustee(vd, who, a, &e, &pos);
	if (rc == VD_OK)
		rc = vd->store->ops->user_list(vd->store, a, &users);
	if (rc == VD_OK && !(*out = arena_alloc(a, (users.n ? users.n : 1) * sizeof **out)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < users.n; i++) {
		const struct user_rec *u = &users.items[i];
		struct user_key_rec k;
		if (role_parse(u->role) != ROLE_COUNSELLOR)
			continue;
		(*out)[(*n)++] = (struct escrow_person){ .user_id = u->id, .name = u->name, .active = u->active != 0,
							 .has_key = vd->store->ops->user_key_get(vd->store, u->id, &k) == VD_OK };
	}
	return rc;
}

/* A counsellor account, whether it can still log in or not: whose cases
 * a request may be for. */
static bool is_counsellor(struct vd *vd, struct arena *a, int64_t id)
{
	struct user_rec u;
	return vd->store->ops->user_get(vd->store, a, id, &u) == VD_OK && role_parse(u.role) == ROLE_COUNSELLOR;
}

int escrow_request(struct vd *vd, const struct principal *who, int64_t from_user, int64_t to_user, int64_t *id)
{
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e;
	int pos;
	int rc = as_trustee(vd, who, &a, &e, &pos);
	if (rc == VD_OK && (from_user == to_user || !is_counsellor(vd, &a, from_user) ||
			    !handover_may_take(vd, &a, to_user)))
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = vd->store->ops->begin(vd->store);
	if (rc == VD_OK) {
		struct escrow_request_rec r = { .from_user = from_user, .to_user = to_user, .started_by = who->user_id,
						.started_at = clock_now() };
		rc = vd->store->ops->escrow_request_insert(vd->store, &r, id);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "escrow.request", "user", from_user);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}

/* who's own two parts, opened with their key. */
static int own_parts(struct vd *vd, const struct principal *who, const struct escrow_rec *e, int pos,
		     unsigned char mine[2][CRYPTO_KEY_LEN], unsigned char pk[CRYPTO_PK_LEN])
{
	unsigned char sk[CRYPTO_SK_LEN];
	struct user_key_rec uk;
	int rc = principal_secret_key(who, sk);
	if (rc == VD_OK)
		rc = vd->store->ops->user_key_get(vd->store, who->user_id, &uk);
	if (rc == VD_OK && e->trustees[pos].parts_len != PARTS_SEALED)
		rc = VD_ERR_STORE;
	if (rc == VD_OK)
		rc = crypto_unseal(uk.public_key, sk, e->trustees[pos].parts, PARTS_SEALED, mine);
	if (rc == VD_OK)
		memcpy(pk, uk.public_key, CRYPTO_PK_LEN);
	crypto_wipe(sk, sizeof sk);
	/* a key that does not open them is a trustee whose key pair changed */
	return rc == VD_ERR_AUTH ? VD_ERR_NOKEY : rc;
}

/* The first approval: who's parts sealed to the two others. */
static int leave_parts(struct vd *vd, const struct principal *who, const struct escrow_rec *e, int pos,
		       const struct escrow_request_rec *r, unsigned char mine[2][CRYPTO_KEY_LEN])
{
	struct store *s = vd->store;
	unsigned char parts[APPROVAL_LEN], plain[PART_PLAIN];
	int rc = VD_OK;
	request_digest(r, plain + CRYPTO_KEY_LEN);
	for (int k = 0; rc == VD_OK && k < 2; k++) {
		struct user_key_rec other;
		rc = s->ops->user_key_get(s, e->trustees[crypto_share_other(pos, k)].user_id, &other);
		memcpy(plain, mine[k], CRYPTO_KEY_LEN);
		if (rc == VD_OK)
			crypto_seal(other.public_key, plain, sizeof plain, parts + k * PART_SEALED);
	}
	crypto_wipe(plain, sizeof plain);
	if (rc == VD_ERR_NOTFOUND)
		rc = VD_ERR_NOKEY; /* another trustee has no key pair: nothing can be left for them */
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		struct escrow_approval_rec p = { .request_id = r->id, .trustee_id = who->user_id, .at = clock_now(),
						 .parts = parts, .parts_len = sizeof parts };
		rc = s->ops->escrow_approval_put(s, &p);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "escrow.approve", "user", r->from_user);
		rc = app_end(vd, rc, 0);
	}
	return rc;
}

/* The second approval: the escrow's secret from who's part and the first
 * approver's part for who, checked against its public half. */
static int rebuild(const struct principal *who, const struct escrow_rec *e, int pos,
		   const struct escrow_request_rec *r, const struct escrow_approval_rec *first,
		   const unsigned char mine[2][CRYPTO_KEY_LEN], const unsigned char my_pk[CRYPTO_PK_LEN],
		   unsigned char esk[CRYPTO_SK_LEN])
{
	int fpos = trustee_position(e, first->trustee_id);
	if (fpos < 0 || fpos == pos || first->parts_len != APPROVAL_LEN)
		return VD_ERR_STORE;
	unsigned char sk[CRYPTO_SK_LEN], theirs[PART_PLAIN], check[CRYPTO_PK_LEN], bound[CRYPTO_DIGEST_LEN];
	int rc = principal_secret_key(who, sk);
	if (rc == VD_OK)
		rc = crypto_unseal(my_pk, sk, first->parts + crypto_share_index(fpos, pos) * PART_SEALED, PART_SEALED,
				   theirs);
	/* given for this request as it was approved: whose cases to whom */
	request_digest(r, bound);
	if (rc == VD_OK && !crypto_equal(bound, theirs + CRYPTO_KEY_LEN, CRYPTO_DIGEST_LEN))
		rc = VD_ERR_STORE;
	if (rc == VD_OK) {
		crypto_share_join(theirs, mine[crypto_share_index(pos, fpos)], esk);
		rc = crypto_public_key(esk, check);
	}
	if (rc == VD_OK && !crypto_equal(check, e->public_key, CRYPTO_PK_LEN))
		rc = VD_ERR_STORE; /* the parts do not make the key: damaged */
	crypto_wipe(sk, sizeof sk);
	crypto_wipe(theirs, sizeof theirs);
	return rc;
}

/* With the escrow's secret: every case of the request's counsellor to the new one. */
static int carry_out(struct vd *vd, const struct principal *who, const struct escrow_rec *e,
		     const struct escrow_request_rec *r, const unsigned char esk[CRYPTO_SK_LEN], int64_t *moved,
		     int64_t *not_moved)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct id_list ids;
	/* Claimed first, so a second approval or a withdrawal meanwhile finds
	 * it running; if this stops half-way, it stays running and the next
	 * approval of a trustee goes on with the cases left. */
	int rc = VD_OK;
	if (strcmp(r->state, "open") == 0) {
		rc = s->ops->begin(s);
		if (rc == VD_OK)
			rc = app_end(vd, s->ops->escrow_request_end(s, r->id, "open", "running", 0, 0, clock_now()), 0);
		if (rc == VD_ERR_NOTFOUND)
			rc = VD_ERR_INVALID; /* carried out or withdrawn meanwhile */
	}
	if (rc == VD_OK)
		rc = s->ops->user_case_ids(s, &a, r->from_user, &ids);
	for (size_t i = 0; rc == VD_OK && i < ids.n; i++) {
		unsigned char sealed[STORE_SEALED_KEY_LEN], key[CRYPTO_KEY_LEN];
		int one = s->ops->escrow_key_get(s, ids.ids[i], sealed);
		if (one == VD_OK && crypto_unseal(e->public_key, esk, sealed, sizeof sealed, key) != VD_OK)
			one = VD_ERR_STORE; /* a copy that does not open: damaged, or not ours */
		if (one == VD_OK)
			one = handover_move(vd, who->user_id, ids.ids[i], key, r->from_user, r->to_user);
		crypto_wipe(key, sizeof key);
		if (one == VD_OK)
			(*moved)++;
		else if (one == VD_ERR_NOTFOUND || one == VD_ERR_INVALID)
			(*not_moved)++; /* no copy (never covered), gone meanwhile, or the new one may not take it */
		else
			rc = one;
	}
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->escrow_request_end(s, r->id, "running", "done", *moved, *not_moved, clock_now());
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "escrow.recover", "user", r->from_user);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}

int escrow_approve(struct vd *vd, const struct principal *who, int64_t request_id, bool *done, int64_t *moved,
		   int64_t *not_moved)
{
	*done = false;
	*moved = *not_moved = 0;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e;
	struct escrow_request_rec r;
	struct escrow_approval_recs ap;
	int pos;
	int rc = as_trustee(vd, who, &a, &e, &pos);
	if (rc == VD_OK) {
		lapse_old(vd, &a);
		rc = s->ops->escrow_request_get(s, &a, request_id, &r);
	}
	if (rc == VD_OK && strcmp(r.state, "open") != 0 && strcmp(r.state, "running") != 0)
		rc = VD_ERR_INVALID; /* carried out, withdrawn or lapsed */
	if (rc == VD_OK && !handover_may_take(vd, &a, r.to_user))
		rc = VD_ERR_INVALID; /* the one to take them can no longer */
	if (rc == VD_OK)
		rc = s->ops->escrow_approval_list(s, &a, request_id, &ap);
	const struct escrow_approval_rec *first = NULL;
	for (size_t i = 0; rc == VD_OK && i < ap.n; i++) {
		if (ap.items[i].trustee_id == who->user_id)
			rc = VD_ERR_DENIED; /* two approvals take two people */
		else if (!first)
			first = &ap.items[i];
	}
	unsigned char mine[2][CRYPTO_KEY_LEN], pk[CRYPTO_PK_LEN], esk[CRYPTO_SK_LEN];
	if (rc == VD_OK)
		rc = own_parts(vd, who, &e, pos, mine, pk);
	if (rc == VD_OK && !first && strcmp(r.state, "open") == 0)
		rc = leave_parts(vd, who, &e, pos, &r, mine);
	else if (rc == VD_OK && !first)
		rc = VD_ERR_STORE; /* running without an approval: cannot be */
	else if (rc == VD_OK) {
		rc = rebuild(who, &e, pos, &r, first, (const unsigned char(*)[CRYPTO_KEY_LEN])mine, pk, esk);
		if (rc == VD_OK)
			rc = carry_out(vd, who, &e, &r, esk, moved, not_moved);
		*done = rc == VD_OK;
		crypto_wipe(esk, sizeof esk);
	}
	crypto_wipe(mine, sizeof mine);
	arena_release(&a);
	return rc;
}

int escrow_cancel(struct vd *vd, const struct principal *who, int64_t request_id)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct escrow_rec e;
	struct escrow_request_rec r;
	int pos;
	int rc = as_trustee(vd, who, &a, &e, &pos);
	if (rc == VD_OK)
		rc = s->ops->escrow_request_get(s, &a, request_id, &r);
	if (rc == VD_OK && r.started_by != who->user_id)
		rc = VD_ERR_DENIED;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->escrow_request_end(s, request_id, "open", "cancelled", 0, 0, clock_now());
		if (rc == VD_ERR_NOTFOUND)
			rc = VD_ERR_INVALID; /* running, carried out or withdrawn already */
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "escrow.cancel", "user", r.from_user);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}
