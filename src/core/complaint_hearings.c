/*
 * complaint_hearings: the hearings of a complaint, their minutes and what
 * those heard say of them (see complaint_parties.h).
 *
 * A hearing is planned at the hearings step, each heard party invited in
 * their mailbox. Its minutes go once to each person heard there and start
 * a minutes term (complaint_term_rule, 8 days by default): each reacts
 * (approved, or remarks), and whoever has not when the term ends is taken
 * to approve them, as the regulation says. The term is met when everyone
 * heard reacted, or on its due day when some did not.
 */
#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/complaints.h"
#include "internal/notify.h"
#include "internal/sealed.h"

#define HEARING_SPAN_DAYS 730 /* how far from today a hearing's day may lie */
#define LAPSE_BATCH 200

static void details_ad(int64_t complaint_id, int64_t at, char ad[80])
{
	snprintf(ad, 80, "complaint %lld hearing of %lld", (long long)complaint_id, (long long)at);
}

static void minutes_ad(int64_t complaint_id, int64_t hearing_id, char ad[80])
{
	snprintf(ad, 80, "complaint %lld minutes of hearing %lld", (long long)complaint_id, (long long)hearing_id);
}

/* The minutes term of hearing_id among recs, or NULL. */
static struct complaint_term_rec *minutes_term(struct complaint_term_recs *recs, int64_t hearing_id)
{
	for (size_t i = 0; i < recs->n; i++)
		if (recs->items[i].hearing_id == hearing_id &&
		    strcmp(recs->items[i].kind, complaint_term_names[CT_MINUTES]) == 0)
			return &recs->items[i];
	return NULL;
}

/* The hearing hearing_id among hs, or NULL. */
static struct complaint_hearing_rec *hearing_of(struct complaint_hearing_recs *hs, int64_t hearing_id)
{
	for (size_t i = 0; i < hs->n; i++)
		if (hs->items[i].id == hearing_id)
			return &hs->items[i];
	return NULL;
}

/* pending minutes past their due day count as approved */
static const char *approval_now(const char *stored, int64_t due_day, int64_t today)
{
	return strcmp(stored, "pending") == 0 && due_day && today > due_day ? "deemed" : stored;
}

/* Who was heard at hearing_id (only: party_id, when not 0) and what they
 * said of the minutes, into v->heard. */
static int heard_of(struct arena *a, const struct complaint_heard_recs *heard, int64_t hearing_id, int64_t party_id,
		    struct hearing_view *v, int64_t today)
{
	v->heard = arena_array(a, heard->n ? heard->n : 1, sizeof *v->heard);
	if (!v->heard)
		return VD_ERR_NOMEM;
	for (size_t j = 0; j < heard->n; j++) {
		const struct complaint_heard_rec *d = &heard->items[j];
		if (d->hearing_id == hearing_id && (!party_id || d->party_id == party_id))
			v->heard[v->nheard++] = (struct heard_view){
				.party_id = d->party_id, .reacted_day = d->reacted_day,
				.approval = approval_now(d->approval, v->minutes_due_day, today) };
	}
	return VD_OK;
}

/* What a complaint's hearings are read from: the hearings, who was heard
 * and the terms (the minutes' due days). */
struct hearing_records {
	struct complaint_hearing_recs hs;
	struct complaint_heard_recs heard;
	struct complaint_term_recs terms;
};

static int records_load(struct vd *vd, struct arena *a, int64_t complaint_id, struct hearing_records *r)
{
	struct store *s = vd->store;
	int rc = s->ops->complaint_hearing_list(s, a, complaint_id, &r->hs);
	if (rc == VD_OK)
		rc = s->ops->complaint_heard_list(s, a, complaint_id, &r->heard);
	if (rc == VD_OK)
		rc = s->ops->complaint_term_list(s, a, complaint_id, &r->terms);
	return rc;
}

/* The day hearing h's minutes went out and the last day to react to them. */
static void minutes_days(struct hearing_records *r, const struct complaint_hearing_rec *h, struct hearing_view *v)
{
	const struct complaint_term_rec *t = minutes_term(&r->terms, h->id);
	v->minutes_day = h->minutes_day;
	v->minutes_due_day = t ? t->due_day : 0;
}

int complaint_hearings_load(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			    int64_t complaint_id, struct hearing_view **out, size_t *n)
{
	struct hearing_records r;
	*n = 0;
	int rc = records_load(vd, a, complaint_id, &r);
	if (rc)
		return rc;
	*out = arena_array(a, r.hs.n ? r.hs.n : 1, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	int64_t today = date_of(clock_now());
	for (size_t i = 0; rc == VD_OK && i < r.hs.n; i++) {
		const struct complaint_hearing_rec *h = &r.hs.items[i];
		struct hearing_view *v = &(*out)[(*n)++];
		*v = (struct hearing_view){ .id = h->id, .on_day = h->on_day, .minutes = "" };
		char ad[80];
		details_ad(complaint_id, h->at, ad);
		const char *jointly = "";
		const char **const fields[] = { &v->time, &v->place, &v->witnesses, &v->supporters, &jointly };
		rc = sealed_texts_open(a, key, ad, h->details, h->details_len, fields, 5, 5);
		v->jointly = *jointly != '\0';
		if (rc == VD_OK && h->minutes) {
			minutes_ad(complaint_id, h->id, ad);
			rc = sealed_text_open(a, key, ad, h->minutes, h->minutes_len, &v->minutes);
			minutes_days(&r, h, v);
		}
		if (rc == VD_OK)
			rc = heard_of(a, &r.heard, h->id, 0, v, today);
	}
	return rc;
}

int complaint_party_hearings(struct vd *vd, struct arena *a, int64_t complaint_id, int64_t party_id,
			     const struct letter_view *letters, size_t nletters, struct hearing_view **out, size_t *n)
{
	struct hearing_records r;
	*n = 0;
	int rc = records_load(vd, a, complaint_id, &r);
	if (rc)
		return rc;
	*out = arena_array(a, nletters ? nletters : 1, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	int64_t today = date_of(clock_now());
	/* what they were sent is what they see: the invitation, then the minutes */
	for (size_t i = 0; rc == VD_OK && i < nletters; i++) {
		const struct letter_view *l = &letters[i];
		const struct complaint_hearing_rec *h = l->kind == LK_INVITATION ? hearing_of(&r.hs, l->hearing_id) : NULL;
		if (!h)
			continue;
		struct hearing_view *v = &(*out)[(*n)++];
		*v = (struct hearing_view){ .id = h->id, .on_day = h->on_day, .time = l->invite.time,
					    .place = l->invite.place, .jointly = l->invite.jointly, .witnesses = "",
					    .supporters = "", .minutes = "" };
		for (size_t j = 0; j < nletters; j++)
			if (letters[j].kind == LK_MINUTES && letters[j].hearing_id == h->id) {
				v->minutes = letters[j].text;
				minutes_days(&r, h, v);
			}
		rc = heard_of(a, &r.heard, h->id, party_id, v, today);
	}
	return rc;
}

/* ---- planning a hearing ---------------------------------------------------- */

static field_errors check_hearing(const struct hearing_input *in, int64_t today, int64_t *day)
{
	field_errors e = 0;
	if (!date_parse(in->day ? in->day : "", day) || *day < today - HEARING_SPAN_DAYS ||
	    *day > today + HEARING_SPAN_DAYS)
		e |= 1u << HF_DAY;
	if (!text_fits(in->time, HEARING_TEXT_MAX_CHARS, true))
		e |= 1u << HF_TIME;
	if (!text_fits(in->place, HEARING_TEXT_MAX_CHARS, true))
		e |= 1u << HF_PLACE;
	if (!text_fits(in->witnesses, HEARING_TEXT_MAX_CHARS, false))
		e |= 1u << HF_WITNESSES;
	if (!text_fits(in->supporters, HEARING_TEXT_MAX_CHARS, false))
		e |= 1u << HF_SUPPORTERS;
	if (in->nheard == 0 || in->nheard > PARTIES_MAX)
		e |= 1u << HF_HEARD;
	/* separately by default: together only when asked for */
	if (in->nheard > 1 && !in->jointly)
		e |= 1u << HF_JOINTLY;
	return e;
}

/* Whether every party heard is the complainant or an accused of the
 * complaint who has had the complaint, each once; *complainant whether the
 * complainant is among them. */
static bool heard_valid(struct vd *vd, const struct hearing_input *in, const struct party_view *ps, size_t n,
			bool *complainant)
{
	*complainant = false;
	for (size_t i = 0; i < in->nheard; i++) {
		const struct party_view *p = NULL;
		for (size_t j = 0; j < n; j++)
			if (ps[j].id == in->heard[i])
				p = &ps[j];
		bool informed = true;
		if (!p || p->role == PR_SUPPORTER ||
		    (p->role == PR_ACCUSED && (complaint_accused_informed(vd, p->id, &informed) || !informed)))
			return false;
		for (size_t j = 0; j < i; j++)
			if (in->heard[j] == in->heard[i])
				return false;
		*complainant |= p->role == PR_COMPLAINANT;
	}
	return true;
}

int complaint_hearing_add(struct vd *vd, const struct principal *who, int64_t id, const struct hearing_input *in,
			  field_errors *errs, int64_t *hearing_id)
{
	int64_t today = date_of(clock_now()), day = 0;
	*errs = check_hearing(in, today, &day);
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	struct party_view *ps = NULL;
	size_t n = 0;
	bool complainant = false;
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	if (rc == VD_OK)
		rc = complaint_parties_load(vd, &a, key, id, &ps, &n);
	if (rc == VD_OK && !(*errs & (1u << HF_HEARD)) && !heard_valid(vd, in, ps, n, &complainant))
		*errs |= 1u << HF_HEARD;
	if (rc == VD_OK && complaint_step_parse(c.step) != CS_HEARINGS)
		*errs |= 1u << HF_STEP;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		rc = s->ops->complaint_claim(s, &a, id, &c);
		if (rc == VD_OK && complaint_step_parse(c.step) != CS_HEARINGS) {
			*errs |= 1u << HF_STEP; /* moved on since the page was made */
			rc = VD_ERR_INVALID;
		}
		struct complaint_hearing_rec h = { .complaint_id = id, .on_day = day, .at = clock_now(),
						   .by = who->user_id };
		char ad[80];
		details_ad(id, h.at, ad);
		const char *texts[] = { in->time, in->place, in->witnesses, in->supporters, in->jointly ? "1" : "" };
		unsigned char *details;
		if (rc == VD_OK)
			rc = sealed_texts_seal(&a, key, ad, texts, 5, &details, &h.details_len);
		h.details = details;
		if (rc == VD_OK)
			rc = s->ops->complaint_hearing_insert(s, &h, hearing_id);
		for (size_t i = 0; rc == VD_OK && i < in->nheard; i++) {
			struct complaint_heard_rec d = { .hearing_id = *hearing_id, .party_id = in->heard[i],
							 .approval = "pending" };
			rc = s->ops->complaint_heard_insert(s, &d);
		}
		/* the invitations: each heard, and the supporter with the complainant */
		for (size_t i = 0; rc == VD_OK && i < n; i++) {
			bool invited = ps[i].role == PR_SUPPORTER && complainant;
			for (size_t j = 0; j < in->nheard; j++)
				invited |= in->heard[j] == ps[i].id;
			if (!invited)
				continue;
			/* the day is the hearing's, in the clear; time and place are theirs */
			const char *invite[LETTER_EXTRAS] = { in->time, in->place, in->jointly ? "1" : "" };
			struct letter_out l = { .outgoing = true, .kind = LK_INVITATION, .hearing_id = *hearing_id,
						.by = who->user_id, .text = "", .extra = invite };
			rc = complaint_letter_to(vd, &a, key, id, &ps[i], &l);
		}
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.hearing", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}

/* ---- minutes ----------------------------------------------------------------- */

int complaint_minutes_send(struct vd *vd, const struct principal *who, int64_t id, int64_t hearing_id,
			   const char *text, field_errors *errs)
{
	*errs = 0;
	if (!text || text_blank(text) || !text_fits(text, MINUTES_MAX_CHARS, false))
		*errs |= 1u << MN_TEXT;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	if (rc == VD_OK && !c.open)
		*errs |= 1u << MN_HEARING;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK) {
		struct complaint_hearing_recs hs;
		struct complaint_heard_recs heard;
		struct party_view *ps = NULL;
		size_t n = 0;
		rc = s->ops->complaint_claim(s, &a, id, &c);
		if (rc == VD_OK)
			rc = s->ops->complaint_hearing_list(s, &a, id, &hs);
		struct complaint_hearing_rec *h = rc == VD_OK ? hearing_of(&hs, hearing_id) : NULL;
		/* once: minutes that went out are what the heard reacted to */
		if (rc == VD_OK && (!h || h->minutes || !c.open)) {
			*errs |= 1u << MN_HEARING;
			rc = VD_ERR_INVALID;
		}
		int64_t today = date_of(clock_now());
		if (rc == VD_OK) {
			char ad[80];
			minutes_ad(id, hearing_id, ad);
			unsigned char *blob;
			rc = sealed_text_seal(&a, key, ad, text, &blob, &h->minutes_len);
			h->minutes = blob;
			h->minutes_day = today;
		}
		if (rc == VD_OK)
			rc = s->ops->complaint_hearing_update(s, h);
		if (rc == VD_OK)
			rc = s->ops->complaint_heard_list(s, &a, id, &heard);
		if (rc == VD_OK)
			rc = complaint_parties_load(vd, &a, key, id, &ps, &n);
		for (size_t i = 0; rc == VD_OK && i < heard.n; i++) {
			if (heard.items[i].hearing_id != hearing_id)
				continue;
			for (size_t j = 0; rc == VD_OK && j < n; j++)
				if (ps[j].id == heard.items[i].party_id) {
					/* each heard person gets the minutes under their own key */
					struct letter_out l = { .outgoing = true, .kind = LK_MINUTES,
								.hearing_id = hearing_id, .by = who->user_id, .text = text };
					rc = complaint_letter_to(vd, &a, key, id, &ps[j], &l);
				}
		}
		if (rc == VD_OK)
			rc = complaint_term_start(vd, &c, CT_MINUTES, today, hearing_id);
		if (rc == VD_OK)
			rc = complaint_recount(vd, &a, &c);
		if (rc == VD_OK)
			rc = s->ops->complaint_update(s, &c);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.minutes", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}

/* Meets hearing_id's minutes term on day when nobody heard there is still
 * pending, and recounts c (the caller writes it). */
static int minutes_settle(struct vd *vd, struct arena *a, struct complaint_rec *c, int64_t hearing_id, int64_t day)
{
	struct store *s = vd->store;
	struct complaint_heard_recs heard;
	struct complaint_term_recs terms;
	int rc = s->ops->complaint_heard_list(s, a, c->id, &heard);
	if (rc == VD_OK)
		rc = s->ops->complaint_term_list(s, a, c->id, &terms);
	if (rc)
		return rc;
	for (size_t i = 0; i < heard.n; i++)
		if (heard.items[i].hearing_id == hearing_id && strcmp(heard.items[i].approval, "pending") == 0)
			return VD_OK;
	struct complaint_term_rec *t = minutes_term(&terms, hearing_id);
	if (t && !t->met_day) {
		t->met_day = day;
		rc = s->ops->complaint_term_update(s, t);
	}
	return rc ? rc : complaint_recount(vd, a, c);
}

int complaint_heard_react(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], int64_t id,
			  const struct party_view *p, int64_t hearing_id, bool approve, const char *remarks,
			  field_errors *errs)
{
	struct store *s = vd->store;
	if (!approve && (!remarks || text_blank(remarks) || !text_fits(remarks, LETTER_MAX_CHARS, false)))
		*errs |= 1u << RX_REMARKS;
	if (*errs)
		return VD_ERR_INVALID;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	struct complaint_rec c;
	struct complaint_heard_recs heard;
	struct complaint_term_recs terms;
	rc = s->ops->complaint_claim(s, a, id, &c);
	if (rc == VD_OK)
		rc = s->ops->complaint_heard_list(s, a, id, &heard);
	if (rc == VD_OK)
		rc = s->ops->complaint_term_list(s, a, id, &terms);
	struct complaint_heard_rec *mine = NULL;
	for (size_t i = 0; rc == VD_OK && i < heard.n; i++)
		if (heard.items[i].hearing_id == hearing_id && heard.items[i].party_id == p->id)
			mine = &heard.items[i];
	const struct complaint_term_rec *t = rc == VD_OK ? minutes_term(&terms, hearing_id) : NULL;
	int64_t today = date_of(clock_now());
	/* minutes they were heard at, sent, not reacted to, within the term */
	if (rc == VD_OK && (!mine || !t || strcmp(mine->approval, "pending") != 0 || t->met_day || (t->due_day && today > t->due_day))) {
		*errs |= 1u << RX_HEARING;
		rc = VD_ERR_INVALID;
	}
	if (rc == VD_OK) {
		mine->approval = approve ? "approved" : "remarks";
		mine->reacted_day = today;
		rc = s->ops->complaint_heard_update(s, mine);
	}
	if (rc == VD_OK && !approve) {
		struct letter_out l = { .outgoing = false, .kind = LK_REACTION, .hearing_id = hearing_id, .text = remarks };
		rc = complaint_letter_add(vd, a, key, id, p, &l); /* key: the party's own */
	}
	if (rc == VD_OK)
		rc = minutes_settle(vd, a, &c, hearing_id, today);
	if (rc == VD_OK)
		rc = s->ops->complaint_update(s, &c);
	if (rc == VD_OK)
		rc = audit_record(vd, 0, "complaint.minutes_reaction", "complaint", id);
	rc = app_end(vd, rc, 0);
	if (rc == VD_OK)
		notify_committee_news(vd, id);
	return rc;
}

/* One lapsed minutes term, in a transaction of its own: read again under
 * the claim, as a pause or a reaction may have come in between. */
static int lapse_one(struct vd *vd, struct arena *a, int64_t term_id, int64_t complaint_id)
{
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	struct complaint_rec c;
	struct complaint_heard_recs heard;
	struct complaint_term_recs terms;
	rc = s->ops->complaint_claim(s, a, complaint_id, &c);
	if (rc == VD_OK)
		rc = s->ops->complaint_term_list(s, a, complaint_id, &terms);
	const struct complaint_term_rec *t = NULL;
	for (size_t i = 0; rc == VD_OK && i < terms.n; i++)
		if (terms.items[i].id == term_id)
			t = &terms.items[i];
	int64_t today = date_of(clock_now());
	if (rc == VD_OK && (!t || t->met_day || !t->due_day || t->due_day >= today))
		return app_end(vd, VD_OK, 0); /* nothing lapsed after all: nothing written */
	if (rc == VD_OK)
		rc = s->ops->complaint_heard_list(s, a, c.id, &heard);
	for (size_t i = 0; rc == VD_OK && i < heard.n; i++) {
		struct complaint_heard_rec *d = &heard.items[i];
		if (d->hearing_id != t->hearing_id || strcmp(d->approval, "pending") != 0)
			continue;
		d->approval = "deemed";
		d->reacted_day = t->due_day;
		rc = s->ops->complaint_heard_update(s, d);
	}
	if (rc == VD_OK)
		rc = minutes_settle(vd, a, &c, t->hearing_id, t->due_day);
	if (rc == VD_OK)
		rc = s->ops->complaint_update(s, &c);
	if (rc == VD_OK)
		rc = audit_record(vd, 0, "complaint.minutes_deemed", "complaint", c.id);
	return app_end(vd, rc, 0);
}

int complaints_minutes_lapse(struct vd *vd)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	int64_t today = date_of(clock_now());
	struct complaint_term_recs due;
	int rc = s->ops->complaint_terms_due(s, &a, today - 1, REMIND_LATE, complaint_term_names[CT_MINUTES], LAPSE_BATCH,
					     &due);
	for (size_t i = 0; rc == VD_OK && i < due.n; i++)
		rc = lapse_one(vd, &a, due.items[i].id, due.items[i].complaint_id);
	arena_release_wipe(&a);
	return rc;
}
