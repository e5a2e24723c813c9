/* audit: see audit.h. */
#include "internal/audit.h"

#include <string.h>

/* The closed lists. An entry names only these and ids, so no caller can put
 * content into the log by mistake. NULL-terminated. */
const char *const audit_actions[] = {
	"login", "logout", "password.change",
	"account.create", "account.update", "account.reset",
	"unit.create", "unit.update", "unit.delete",
	"document.update", "document.adopt", "profile.update",
	"case.create", "case.open", "case.message", "case.note", "case.file",
	"case.phase", "case.progress", "case.outcome", "case.contact", "case.appointment", "case.consent",
	"case.forward", "case.handover", "case.conflict", "case.exception", "case.withdraw",
	"log.add", "log.delete",
	"complaint.create", "complaint.open", "complaint.move", "complaint.extend", "complaint.incident", "complaint.terms",
	"complaint.party", "complaint.letter", "complaint.hearing", "complaint.minutes", "complaint.minutes_reaction",
	"complaint.minutes_deemed", "complaint.response", "complaint.support_open", "complaint.file",
	"wb.create", "wb.open", "wb.ack", "wb.message", "wb.feedback", "wb.note", "wb.minutes", "wb.minutes_reaction",
	"wb.assess", "wb.close", "wb.identity", "wb.consent", "wb.consent_answer", "wb.disclose", "wb.response", "wb.code", "wb.file",
	"annual.write", "annual.submit", "annual.publish",
	"twofactor.on", "twofactor.off", "twofactor.login", "twofactor.reset",
	"backup.key", "backup.make", "backup.restore", "store.migrate",
	"case.purge", "complaint.purge", "wb.purge", "log.purge",
	"escrow.init", "escrow.request", "escrow.approve", "escrow.recover", "escrow.cancel", "case.handover_all",
	"round.open", "round.member", "declaration.invite", "declaration.link", "declaration.accept", "declaration.save",
	"declaration.submit", "declaration.open", "declaration.interview", "declaration.decide", "declaration.purge",
	NULL,
};
const char *const audit_object_kinds[] = { "user", "unit", "document", "profile", "case", "log_entry", "complaint", "wb_report", "annual_report", "installation", "document_version", "round", "declaration", NULL };

static bool in_list(const char *const *list, const char *name)
{
	for (size_t i = 0; name && list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

bool audit_action_valid(const char *name)
{
	return in_list(audit_actions, name);
}

bool audit_object_kind_valid(const char *name)
{
	return in_list(audit_object_kinds, name);
}

/* ---- the hash of an entry ---------------------------------------------------
 *
 * hash = BLAKE2b-256(prev_hash || enc), where enc is every field below as a
 * 4-byte big-endian length and its bytes: the format tag AUDIT_FORMAT, then
 * seq, at, actor_id (each 8 bytes, big-endian two's complement), action,
 * object_kind (UTF-8) and object_id (8 bytes). Lengths make the encoding
 * unambiguous; docs/security.md repeats it so that anyone can recompute it.
 */
#define AUDIT_FORMAT "vertrouwd audit 1"
#define AUDIT_NAME_MAX 64 /* longer than any name in the lists */
#define AUDIT_ENC_MAX (AUDIT_HASH_LEN + 7 * 4 + sizeof AUDIT_FORMAT + 4 * 8 + 2 * AUDIT_NAME_MAX)

_Static_assert(AUDIT_HASH_LEN == CRYPTO_DIGEST_LEN, "the chain's hash is crypto_digest");

struct enc {
	unsigned char data[AUDIT_ENC_MAX];
	size_t len;
};

static void put_u32(struct enc *e, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		e->data[e->len++] = (unsigned char)(v >> (8 * i));
}

static void put_i64(struct enc *e, int64_t v)
{
	uint64_t u = (uint64_t)v;
	put_u32(e, 8);
	for (int i = 7; i >= 0; i--)
		e->data[e->len++] = (unsigned char)(u >> (8 * i));
}

static int put_str(struct enc *e, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max)
		return VD_ERR_INVALID;
	put_u32(e, (uint32_t)n);
	memcpy(e->data + e->len, s, n);
	e->len += n;
	return VD_OK;
}

/* The hash r should carry. VD_ERR_INVALID for names too long to be ours. */
static int entry_hash(const struct audit_rec *r, unsigned char out[AUDIT_HASH_LEN])
{
	struct enc e = { .len = 0 };
	memcpy(e.data, r->prev_hash, AUDIT_HASH_LEN);
	e.len = AUDIT_HASH_LEN;
	put_str(&e, AUDIT_FORMAT, sizeof AUDIT_FORMAT);
	put_i64(&e, r->seq);
	put_i64(&e, r->at);
	put_i64(&e, r->actor_id);
	if (put_str(&e, r->action, AUDIT_NAME_MAX) || put_str(&e, r->object_kind, AUDIT_NAME_MAX))
		return VD_ERR_INVALID;
	put_i64(&e, r->object_id);
	crypto_digest(e.data, e.len, out);
	return VD_OK;
}

/* ---- writing ---------------------------------------------------------------- */

/* The store's callback: the hash of an entry whose seq and prev_hash it set. */
static int seal_entry(struct audit_rec *r)
{
	return entry_hash(r, r->hash);
}

int audit_record(struct vd *vd, int64_t actor_id, const char *action, const char *object_kind,
		 int64_t object_id)
{
	if (!audit_action_valid(action) || !audit_object_kind_valid(object_kind))
		return VD_ERR_INVALID;
	struct audit_rec r = {
		.at = clock_now(), .actor_id = actor_id, .action = action,
		.object_kind = object_kind, .object_id = object_id,
	};
	/* The store reads the newest entry and appends after it in one step;
	 * the first entry follows 32 zero bytes. */
	return vd->store->ops->audit_append_next(vd->store, &r, seal_entry);
}

/* ---- verifying -------------------------------------------------------------- */

#define VERIFY_PAGE 1000 /* entries read at a time: memory stays bounded */

const char *audit_break_text(enum audit_break why)
{
	switch (why) {
	case AUDIT_INTACT: return "intact";
	case AUDIT_GAP: return "the entry is missing";
	case AUDIT_PREV: return "the entry does not follow the previous entry (prev_hash differs)";
	case AUDIT_HASH: return "the entry's hash does not match its contents";
	case AUDIT_MALFORMED: return "the entry is malformed";
	}
	return "unknown";
}

/* Checks one entry against the seq and hash the chain expects next. */
static enum audit_break check_entry(const struct audit_rec *r, int64_t want_seq,
				    const unsigned char prev[AUDIT_HASH_LEN])
{
	unsigned char h[AUDIT_HASH_LEN];
	if (r->seq != want_seq)
		return AUDIT_GAP;
	if (r->malformed)
		return AUDIT_MALFORMED;
	if (!crypto_equal(r->prev_hash, prev, AUDIT_HASH_LEN))
		return AUDIT_PREV;
	if (entry_hash(r, h) != VD_OK)
		return AUDIT_MALFORMED;
	return crypto_equal(h, r->hash, AUDIT_HASH_LEN) ? AUDIT_INTACT : AUDIT_HASH;
}

int audit_verify(struct vd *vd, struct audit_report *out)
{
	struct store *s = vd->store;
	unsigned char prev[AUDIT_HASH_LEN] = { 0 };
	int64_t last = 0; /* seq of the last good entry; the schema keeps seq > 0 */
	memset(out, 0, sizeof *out);
	for (;;) {
		struct arena a;
		struct audit_recs page;
		arena_init(&a, 0);
		int rc = s->ops->audit_after(s, &a, last, VERIFY_PAGE, &page);
		for (size_t i = 0; rc == VD_OK && i < page.n; i++) {
			const struct audit_rec *r = &page.items[i];
			enum audit_break why = check_entry(r, last + 1, prev);
			if (why != AUDIT_INTACT) {
				out->why = why;
				out->broken_at = why == AUDIT_GAP ? last + 1 : r->seq;
				out->found_seq = r->seq;
				arena_release(&a);
				return VD_OK;
			}
			memcpy(prev, r->hash, AUDIT_HASH_LEN);
			last = r->seq;
			out->entries++;
		}
		size_t n = rc == VD_OK ? page.n : 0;
		arena_release(&a);
		if (rc)
			return rc;
		if (n < VERIFY_PAGE)
			break;
	}
	memcpy(out->head, prev, AUDIT_HASH_LEN);
	return VD_OK;
}

int audit_hash_at(struct vd *vd, int64_t seq, unsigned char out[AUDIT_HASH_LEN])
{
	struct store *s = vd->store;
	struct arena a;
	struct audit_recs l;
	arena_init(&a, 0);
	int rc = seq > 0 ? s->ops->audit_after(s, &a, seq - 1, 1, &l) : VD_ERR_NOTFOUND;
	if (rc == VD_OK && (l.n != 1 || l.items[0].seq != seq))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		memcpy(out, l.items[0].hash, AUDIT_HASH_LEN);
	arena_release(&a);
	return rc;
}

/* ---- reading ---------------------------------------------------------------- */

int audit_page(struct vd *vd, const struct principal *who, struct arena *a, int64_t before, size_t per_page,
	       struct audit_list *out, bool *more)
{
	*more = false;
	out->n = 0;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (per_page < 1 || per_page > 200 || before < 0)
		return VD_ERR_INVALID;
	/* One entry more than asked tells whether an older page exists. */
	struct audit_recs recs;
	int rc = vd->store->ops->audit_before(vd->store, a, before, per_page + 1, &recs);
	if (rc == VD_OK && !(out->items = arena_array(a, recs.n, sizeof *out->items)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < recs.n && i < per_page; i++) {
		const struct audit_rec *r = &recs.items[i];
		out->items[out->n++] = (struct audit_entry){ r->seq, r->at, r->actor_id, r->action, r->object_kind,
							     r->object_id };
	}
	*more = rc == VD_OK && recs.n > per_page;
	return rc;
}
