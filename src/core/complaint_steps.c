/*
 * complaint_steps: the changes to a complaint (see complaints.h): filing
 * one, the moves of the procedure, extensions and the day of the last
 * incident, and keeping its clocks counted.
 *
 * Every change claims the complaint first and is one transaction with its
 * audit entry. The clocks are counted by terms.c from what is stored (the
 * terms as they were set, the complaint's pauses, the extensions) and the
 * due days written back, so that the list can sort on them.
 */
#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/complaints.h"

static enum term_unit unit_parse(const char *s)
{
	for (int u = 0; s && u < TU_COUNT; u++)
		if (strcmp(s, term_unit_names[u]) == 0)
			return (enum term_unit)u;
	return TU_COUNT;
}

static enum complaint_term kind_parse(const char *s)
{
	for (int k = 0; s && k < CT_COUNT; k++)
		if (strcmp(s, complaint_term_names[k]) == 0)
			return (enum complaint_term)k;
	return CT_COUNT;
}

int complaint_terms_of(struct vd *vd, struct arena *a, const struct complaint_rec *c,
		       struct complaint_term_recs *recs, struct term **out)
{
	struct store *s = vd->store;
	struct complaint_pause_recs ps;
	struct complaint_extension_recs xs;
	int rc = s->ops->complaint_term_list(s, a, c->id, recs);
	if (rc == VD_OK)
		rc = s->ops->complaint_pause_list(s, a, c->id, &ps);
	if (rc == VD_OK)
		rc = s->ops->complaint_extension_list(s, a, c->id, &xs);
	if (rc)
		return rc;
	*out = arena_array(a, recs->n ? recs->n : 1, sizeof **out);
	struct term_pause *pauses = arena_array(a, ps.n ? ps.n : 1, sizeof *pauses);
	if (!*out || !pauses)
		return VD_ERR_NOMEM;
	size_t np = 0;
	for (size_t i = 0; i < ps.n; i++) {
		/* stopped on the day it began: nothing stood still */
		if (ps.items[i].to_day && ps.items[i].to_day <= ps.items[i].from_day)
			continue;
		pauses[np].from = ps.items[i].from_day;
		pauses[np].to = ps.items[i].to_day;
		np++;
	}
	for (size_t i = 0; i < recs->n; i++) {
		const struct complaint_term_rec *r = &recs->items[i];
		struct term *t = &(*out)[i];
		struct term_extension *ext = arena_array(a, xs.n ? xs.n : 1, sizeof *ext);
		if (!ext)
			return VD_ERR_NOMEM;
		size_t nx = 0;
		for (size_t j = 0; j < xs.n; j++)
			if (xs.items[j].term_id == r->id)
				ext[nx++] = (struct term_extension){
					xs.items[j].days, strcmp(xs.items[j].basis, "consent") == 0 ? TB_CONSENT : TB_NOTICE
				};
		*t = (struct term){ .start = r->start_day, .length = (int)r->length, .unit = unit_parse(r->unit),
				    .atw = r->atw, .extensions = ext, .nextensions = nx, .met = r->met_day };
		/* A request to complete stops the other clocks, not its own; a
		 * heard person's days to react to the minutes are theirs and stop
		 * for nothing; a term met is counted with the pauses begun by then,
		 * so that what came after it does not change whether it was in
		 * time. */
		struct term_pause *mine = arena_array(a, np ? np : 1, sizeof *mine);
		if (!mine)
			return VD_ERR_NOMEM;
		size_t nm = 0;
		enum complaint_term kind = kind_parse(r->kind);
		for (size_t j = 0; kind != CT_COMPLETE && kind != CT_MINUTES && j < np; j++)
			if (!r->met_day || pauses[j].from <= r->met_day)
				mine[nm++] = pauses[j];
		t->pauses = mine;
		t->npauses = nm;
	}
	return VD_OK;
}

int complaint_recount(struct vd *vd, struct arena *a, struct complaint_rec *c)
{
	struct complaint_term_recs recs;
	struct term *terms;
	int rc = complaint_terms_of(vd, a, c, &recs, &terms);
	int64_t next = 0;
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++) {
		/* a term met keeps counting too: its due day says whether in time */
		struct complaint_term_rec *r = &recs.items[i];
		int64_t due = term_due(&terms[i], &vd->holidays);
		if (due != r->due_day) {
			r->due_day = due;
			rc = vd->store->ops->complaint_term_update(vd->store, r);
		}
		if (!r->met_day && due && (!next || due < next))
			next = due;
	}
	c->next_due_day = next;
	return rc;
}

int complaint_term_start(struct vd *vd, const struct complaint_rec *c, enum complaint_term kind, int64_t day,
			 int64_t hearing_id)
{
	struct term t;
	int64_t max_notice = 0;
	memset(&t, 0, sizeof t);
	complaint_term_rule(&vd->cfg, kind, &t, &max_notice);
	struct complaint_term_rec r = { .complaint_id = c->id, .kind = complaint_term_names[kind], .start_day = day,
					.length = t.length, .unit = term_unit_names[t.unit], .atw = t.atw,
					.max_notice_days = max_notice, .hearing_id = hearing_id };
	int64_t id;
	return vd->store->ops->complaint_term_insert(vd->store, &r, &id);
}

/* The terms a move into step starts, from day. */
static int start_terms(struct vd *vd, const struct complaint_rec *c, enum complaint_step step, int64_t day)
{
	enum complaint_term kinds[CT_COUNT];
	size_t n = complaint_step_terms(step, kinds);
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < n; i++)
		rc = complaint_term_start(vd, c, kinds[i], day, 0);
	return rc;
}

/* Marks c's open terms of kind (CT_COUNT: all of them) met on day. */
static int meet_terms(struct vd *vd, struct arena *a, const struct complaint_rec *c, enum complaint_term kind,
		      int64_t day)
{
	struct complaint_term_recs recs;
	int rc = vd->store->ops->complaint_term_list(vd->store, a, c->id, &recs);
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++) {
		struct complaint_term_rec *r = &recs.items[i];
		if (r->met_day || (kind != CT_COUNT && kind_parse(r->kind) != kind))
			continue;
		r->met_day = day;
		rc = vd->store->ops->complaint_term_update(vd->store, r);
	}
	return rc;
}

int complaint_file_new(struct vd *vd, struct arena *a, struct complaint_rec *c, const struct case_key_rec *keys,
		       size_t nkeys, int64_t *id)
{
	int64_t now = clock_now();
	c->step = complaint_step_names[CS_RECEIVED];
	c->step_before = "";
	c->step_at = now;
	c->open = 1;
	if (!c->received_day)
		c->received_day = date_of(now);
	c->filed_late = complaint_filed_late(c->last_incident_day, c->received_day);
	c->next_due_day = 0;
	int rc = vd->store->ops->complaint_insert(vd->store, c, keys, nkeys, id);
	if (rc)
		return rc;
	c->id = *id;
	rc = start_terms(vd, c, CS_RECEIVED, c->received_day);
	if (rc == VD_OK)
		rc = complaint_recount(vd, a, c);
	return rc ? rc : vd->store->ops->complaint_update(vd->store, c);
}

/* Once per complaint, in a transaction of its own: starts its terms of
 * receipt if it has none, or recounts them, and writes what changed. */
static int refresh_one(struct vd *vd, struct arena *a, int64_t id, bool start)
{
	struct store *s = vd->store;
	struct complaint_rec c;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = s->ops->complaint_claim(s, a, id, &c);
	int64_t before = rc == VD_OK ? c.next_due_day : 0;
	if (rc == VD_OK && start)
		rc = start_terms(vd, &c, CS_RECEIVED, c.received_day);
	if (rc == VD_OK)
		rc = complaint_recount(vd, a, &c);
	if (rc == VD_OK && (start || c.next_due_day != before)) {
		rc = s->ops->complaint_update(s, &c);
		if (rc == VD_OK)
			rc = audit_record(vd, 0, "complaint.terms", "complaint", id);
	}
	return app_end(vd, rc, 0);
}

/* A fingerprint of the holidays (FNV-1a over the days): the due days
 * stored were counted with the holidays that gave the stored one. */
static void holidays_print(const struct holidays *h, char out[24])
{
	uint64_t x = 14695981039346656037ull;
	for (size_t i = 0; i < h->n; i++)
		for (int b = 0; b < 8; b++) {
			x ^= (uint64_t)(h->days[i] >> (8 * b)) & 0xff;
			x *= 1099511628211ull;
		}
	snprintf(out, 24, "%016llx", (unsigned long long)x);
}

#define HOLIDAYS_SETTING "complaint_holidays"

int complaints_refresh(struct vd *vd)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct id_list ids;
	int rc = s->ops->complaint_without_terms(s, &a, 1000, &ids);
	for (size_t i = 0; rc == VD_OK && i < ids.n; i++)
		rc = refresh_one(vd, &a, ids.ids[i], true);
	/* holidays added (a decree day in holidays.txt) move due days: count
	 * the open complaints' again, once */
	char print[24];
	const char *stored = NULL;
	holidays_print(&vd->holidays, print);
	if (rc == VD_OK) {
		rc = s->ops->setting_get(s, &a, HOLIDAYS_SETTING, &stored);
		if (rc == VD_ERR_NOTFOUND)
			rc = VD_OK;
	}
	bool recount = rc == VD_OK && (!stored || strcmp(stored, print) != 0);
	for (int64_t after = 0; recount && rc == VD_OK;) {
		arena_release(&a);
		arena_init(&a, 0);
		rc = s->ops->complaint_open_after(s, &a, after, 500, &ids);
		for (size_t i = 0; rc == VD_OK && i < ids.n; i++)
			rc = refresh_one(vd, &a, after = ids.ids[i], false);
		if (rc == VD_OK && ids.n < 500)
			break;
	}
	if (recount && rc == VD_OK)
		rc = s->ops->setting_put(s, HOLIDAYS_SETTING, print);
	arena_release(&a);
	return rc;
}

bool complaint_move_needs_reason(enum complaint_step to)
{
	return to == CS_NOT_ADMISSIBLE || to == CS_ADVICE || to == CS_DECIDED;
}

/* Which term a move into step meets: declaring it admissible meets the
 * admissibility term, the board's decision the decision term; a complaint
 * not admissible, withdrawn or closed has no clock left running. */
static enum complaint_term term_met_by(enum complaint_step step, bool *any)
{
	*any = step == CS_NOT_ADMISSIBLE || step == CS_WITHDRAWN || step == CS_CLOSED;
	if (step == CS_ADMISSIBLE)
		return CT_ADMISSIBILITY;
	if (step == CS_DECIDED)
		return CT_DECISION;
	return CT_COUNT;
}

/* The move's changes to c's clocks and record, inside the transaction. */
static int apply_move(struct vd *vd, struct arena *a, struct complaint_rec *c, enum complaint_step from,
		      enum complaint_step to, int64_t now)
{
	struct store *s = vd->store;
	int64_t today = date_of(now);
	int rc = VD_OK;
	if (complaint_step_pauses(from)) {
		rc = s->ops->complaint_pause_end(s, c->id, today);
		if (rc == VD_ERR_NOTFOUND)
			rc = VD_OK; /* none was running */
	}
	if (rc == VD_OK && from == CS_INCOMPLETE)
		rc = meet_terms(vd, a, c, CT_COMPLETE, today);
	bool all = false;
	enum complaint_term met = term_met_by(to, &all);
	if (rc == VD_OK && (met != CT_COUNT || all))
		rc = meet_terms(vd, a, c, all ? CT_COUNT : met, today);
	if (rc == VD_OK && complaint_step_pauses(to)) {
		struct complaint_pause_recs ps;
		rc = s->ops->complaint_pause_list(s, a, c->id, &ps);
		if (rc == VD_OK && ps.n >= COMPLAINT_PAUSES_MAX)
			rc = VD_ERR_TOOBIG;
	}
	if (rc == VD_OK && complaint_step_pauses(to)) {
		/* the day it starts still counts, as the day it ends does again */
		struct complaint_pause_rec p = { .complaint_id = c->id, .from_day = today + 1, .to_day = 0,
						 .step = complaint_step_names[to] };
		int64_t pid;
		rc = s->ops->complaint_pause_insert(s, &p, &pid);
	}
	/* back from mediation is back in a step whose terms run already */
	if (rc == VD_OK && from != CS_MEDIATION)
		rc = start_terms(vd, c, to, today);
	c->step_before = to == CS_MEDIATION ? complaint_step_names[from] : "";
	c->step = complaint_step_names[to];
	c->step_at = now;
	c->open = complaint_step_open(to);
	if (rc == VD_OK)
		rc = complaint_recount(vd, a, c);
	return rc;
}

/* Claims complaint id for who inside the transaction begun: the record
 * as it is now, and who still one who may change it (a member removed from
 * the unit since the page was made may not). */
static int claim(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct complaint_rec *c)
{
	int rc = vd->store->ops->complaint_claim(vd->store, a, id, c);
	return rc ? rc : complaint_member_check(vd, who, a, c, NULL);
}

const char *const complaint_advice_kinds[] = { "well_founded", "partly_well_founded", "unfounded", NULL };
const char *const complaint_measure_names[MS_COUNT] = { "none", "conversation", "warning", "training",
							 "mediation", "suspension", "expulsion", "other" };

static bool advice_valid(const char *s)
{
	for (size_t i = 0; s && complaint_advice_kinds[i]; i++)
		if (strcmp(s, complaint_advice_kinds[i]) == 0)
			return true;
	return false;
}

static bool measures_valid(int64_t m)
{
	return m > 0 && m < ((int64_t)1 << MS_COUNT) && (m == 1 << MS_NONE || !(m & (1 << MS_NONE)));
}

int complaint_move(struct vd *vd, const struct principal *who, int64_t id, const struct complaint_move_input *in,
		   field_errors *errs)
{
	*errs = 0;
	enum complaint_step from = in->from, to = in->to;
	const char *reason = in->reason ? in->reason : "";
	if ((unsigned)from >= CS_COUNT || (unsigned)to >= CS_COUNT)
		*errs |= 1u << MF_STEP;
	if (!text_fits(reason, COMPLAINT_REASON_MAX_CHARS, false) ||
	    ((unsigned)to < CS_COUNT && complaint_move_needs_reason(to) && text_blank(reason)))
		*errs |= 1u << MF_REASON;
	if (to == CS_ADVICE && !advice_valid(in->advice))
		*errs |= 1u << MF_ADVICE;
	if (to == CS_DECIDED && !measures_valid(in->measures))
		*errs |= 1u << MF_MEASURES;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	unsigned char *sealed = NULL;
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	/* said early with the other errors; checked again under the claim */
	if (rc == VD_OK && (complaint_step_parse(c.step) != from ||
			    !complaint_move_allowed(from, to, complaint_step_parse(c.step_before))))
		*errs |= 1u << MF_STEP;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	size_t rlen = strlen(reason);
	bool with_reason = !text_blank(reason);
	if (rc == VD_OK && with_reason && !(sealed = arena_alloc(&a, rlen + CRYPTO_AEAD_OVERHEAD)))
		rc = VD_ERR_NOMEM;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = claim(vd, who, &a, id, &c);
		enum complaint_step cur = rc == VD_OK ? complaint_step_parse(c.step) : CS_COUNT;
		enum complaint_step before = rc == VD_OK ? complaint_step_parse(c.step_before) : CS_COUNT;
		/* the page was made when it was still at from; it has moved on since */
		if (rc == VD_OK && (cur != from || !complaint_move_allowed(cur, to, before)))
			rc = VD_ERR_INVALID;
		int64_t now = clock_now();
		if (rc == VD_OK)
			rc = apply_move(vd, &a, &c, from, to, now);
		/* *stat*: what the annual report counts of the outcome */
		if (to == CS_ADVICE)
			c.advice = in->advice;
		if (to == CS_DECIDED)
			c.measures = in->measures;
		if (rc == VD_ERR_INVALID || rc == VD_ERR_TOOBIG) {
			*errs |= 1u << MF_STEP; /* moved on, or stopped more often than a record keeps */
			rc = VD_ERR_INVALID;
		}
		if (rc == VD_OK) {
			struct complaint_move_rec m = { .complaint_id = id, .at = now, .by = who->user_id,
							.from = complaint_step_names[from], .to = complaint_step_names[to] };
			if (with_reason) {
				char ad[96];
				complaint_reason_ad(&m, ad);
				crypto_encrypt(key, ad, (const unsigned char *)reason, rlen, sealed);
				m.reason = sealed;
				m.reason_len = rlen + CRYPTO_AEAD_OVERHEAD;
			}
			int64_t mid;
			rc = s->ops->complaint_move_insert(s, &m, &mid);
		}
		if (rc == VD_OK)
			rc = s->ops->complaint_update(s, &c);
		bool no_accused = false;
		if (rc == VD_OK)
			rc = complaint_tell_step(vd, &a, key, &c, to, reason, in->share_contact, who->user_id, &no_accused);
		if (no_accused)
			*errs |= 1u << MF_ACCUSED;
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.move", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}

/* The checks of an extension that need no record. */
static void extension_fields(const struct extension_input *in, int64_t today, int64_t *days, bool *consent,
			     int64_t *consent_day, field_errors *errs)
{
	const char *basis = in->basis ? in->basis : "";
	*consent = strcmp(basis, "consent") == 0;
	if (text_parse_i64(in->days ? in->days : "", 1, TERM_MAX_EXTENSION_DAYS, days))
		*errs |= 1u << XF_DAYS;
	if (!*consent && strcmp(basis, "notice") != 0)
		*errs |= 1u << XF_BASIS;
	if (*consent && (!date_parse(in->consent_on ? in->consent_on : "", consent_day) || *consent_day > today))
		*errs |= 1u << XF_CONSENT_DAY;
}

/* Whether term at of the claimed complaint c may be extended by e: errs
 * says why not. Only a term the regulation lets be extended (the decision
 * term: one with an extension on notice) is, and consent must be given
 * after the complaint came in. */
static int extension_allowed(const struct complaint_rec *c, const struct complaint_term_recs *recs, size_t at,
			     const struct term *t, const struct term_extension *e, int64_t consent_day,
			     field_errors *errs)
{
	if (at == recs->n || !c->open || recs->items[at].max_notice_days == 0 || t->nextensions >= COMPLAINT_EXTENSIONS_MAX) {
		*errs |= 1u << XF_TERM;
		return VD_ERR_INVALID;
	}
	if (e->basis == TB_CONSENT && consent_day < c->received_day) {
		*errs |= 1u << XF_CONSENT_DAY;
		return VD_ERR_INVALID;
	}
	int rc = term_extension_check(t, e, recs->items[at].max_notice_days);
	if (rc == VD_ERR_DENIED)
		*errs |= 1u << XF_CONSENT;
	else if (rc)
		*errs |= 1u << XF_TERM;
	return rc;
}

int complaint_extend(struct vd *vd, const struct principal *who, int64_t id, int64_t term_id,
		     const struct extension_input *in, field_errors *errs)
{
	*errs = 0;
	int64_t days = 0, consent_day = 0, today = date_of(clock_now());
	bool consent = false;
	extension_fields(in, today, &days, &consent, &consent_day, errs);
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		struct complaint_term_recs recs = { 0 };
		struct term *terms = NULL;
		rc = claim(vd, who, &a, id, &c);
		if (rc == VD_OK)
			rc = complaint_terms_of(vd, &a, &c, &recs, &terms);
		size_t at = recs.n;
		for (size_t i = 0; rc == VD_OK && i < recs.n; i++)
			if (recs.items[i].id == term_id)
				at = i;
		struct term_extension e = { days, consent ? TB_CONSENT : TB_NOTICE };
		if (rc == VD_OK)
			rc = extension_allowed(&c, &recs, at, at < recs.n ? &terms[at] : NULL, &e, consent_day, errs);
		if (rc == VD_OK) {
			struct complaint_extension_rec x = { .term_id = term_id, .days = days,
							     .basis = consent ? "consent" : "notice",
							     .consent_day = consent_day, .at = clock_now(),
							     .by = who->user_id };
			int64_t xid;
			rc = s->ops->complaint_extension_insert(s, &x, &xid);
		}
		if (rc == VD_OK)
			rc = complaint_recount(vd, &a, &c);
		if (rc == VD_OK)
			rc = s->ops->complaint_update(s, &c);
		/* notice to both parties, with the new end of the term */
		struct complaint_term_recs after;
		if (rc == VD_OK)
			rc = s->ops->complaint_term_list(s, &a, id, &after);
		for (size_t i = 0; rc == VD_OK && i < after.n; i++)
			if (after.items[i].id == term_id)
				rc = complaint_tell_extension(vd, &a, key, &c, after.items[i].due_day, who->user_id);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.extend", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	crypto_wipe(key, sizeof key);
	arena_release_wipe(&a);
	return rc;
}

int complaint_set_last_incident(struct vd *vd, const struct principal *who, int64_t id, const char *date,
				field_errors *errs)
{
	*errs = 0;
	int64_t day = 0;
	if (date && *date && !date_parse(date, &day))
		*errs |= 1u << IF_DATE;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = complaint_member_key(vd, who, &a, id, &c, key);
	crypto_wipe(key, sizeof key);
	if (rc == VD_OK && day > c.received_day)
		*errs |= 1u << IF_DATE; /* after the complaint came in */
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = claim(vd, who, &a, id, &c);
		if (rc == VD_OK) {
			c.last_incident_day = day;
			c.filed_late = complaint_filed_late(day, c.received_day);
			rc = s->ops->complaint_update(s, &c);
		}
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "complaint.incident", "complaint", id);
		rc = app_end(vd, rc, 0);
	}
	arena_release(&a);
	return rc;
}
