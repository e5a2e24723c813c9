/*
 * complaints: who may open a complaint, the committee's list and the
 * complaint's page (see complaints.h). The changes are in
 * complaint_steps.c.
 */
#include "internal/complaints.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "units.h"
#include "internal/audit.h"
#include "internal/files.h"
#include "internal/sealed.h"
#include "internal/serving.h"
#include "internal/userkeys.h"

void complaint_content_ad(const struct complaint_rec *c, char ad[64])
{
	/* each complaint has a key of its own: this tells its content from its
	 * reasons, and a forwarded one's case */
	if (c->case_id)
		snprintf(ad, 64, "complaint from case %lld", (long long)c->case_id);
	else
		snprintf(ad, 64, "complaint filed directly");
}

void complaint_reason_ad(const struct complaint_move_rec *m, char ad[96])
{
	snprintf(ad, 96, "complaint %lld step %lld %.20s %.20s", (long long)m->complaint_id, (long long)m->at,
		 m->from ? m->from : "", m->to ? m->to : "");
}

/* The committee members who can receive a complaint about unit. */
int complaint_committee_keys(struct vd *vd, struct arena *a, int64_t unit, const unsigned char key[CRYPTO_KEY_LEN],
			      struct case_key_rec **out, size_t *n)
{
	struct unit_staff *staff;
	size_t nstaff;
	*n = 0;
	int rc = unit_staff_of(vd, a, ROLE_COMMITTEE, unit, &staff, &nstaff);
	if (rc == VD_OK && !(*out = arena_array(a, nstaff ? nstaff : 1, sizeof **out)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < nstaff; i++) {
		(*out)[i].user_id = staff[i].user_id;
		crypto_seal(staff[i].public_key, key, CRYPTO_KEY_LEN, (*out)[i].sealed_key);
		*n = i + 1;
	}
	return rc;
}

int complaint_member_check(struct vd *vd, const struct principal *who, struct arena *a,
			   const struct complaint_rec *c, struct case_key_rec *key_row)
{
	struct unit_list all;
	struct id_list units;
	struct case_key_rec k;
	if (who->role != ROLE_COMMITTEE)
		return VD_ERR_NOTFOUND;
	int rc = served_units(vd, who, a, &all, &units);
	if (rc == VD_OK && !unit_served(&units, c->unit_id))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		rc = vd->store->ops->complaint_key_get(vd->store, c->id, who->user_id, key_row ? key_row : &k);
	return rc;
}

int complaint_member_key(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
			 struct complaint_rec *rec, unsigned char key[CRYPTO_KEY_LEN])
{
	struct store *s = vd->store;
	struct case_key_rec k;
	if (who->role != ROLE_COMMITTEE)
		return VD_ERR_NOTFOUND;
	int rc = s->ops->complaint_get(s, a, id, rec);
	if (rc == VD_OK)
		rc = complaint_member_check(vd, who, a, rec, &k);
	if (rc)
		return rc;
	/* The session's key last: a complaint that is not theirs says so
	 * whether or not they have one. */
	return userkeys_unseal(vd, who, k.sealed_key, sizeof k.sealed_key, key);
}

/* Page page of what who may list: the complaints sealed to them, of the
 * units they serve (one more row than a page, to tell if there is a next). */
static int member_query(struct vd *vd, const struct principal *who, struct arena *a, size_t page,
			struct complaint_query *q)
{
	if (who->role != ROLE_COMMITTEE)
		return VD_ERR_DENIED;
	struct unit_list all;
	struct id_list units;
	int rc = served_units(vd, who, a, &all, &units);
	if (rc)
		return rc;
	*q = (struct complaint_query){ .user_id = who->user_id, .units = units.ids, .nunits = units.n,
				       .offset = page * COMPLAINTS_PAGE, .limit = COMPLAINTS_PAGE + 1 };
	return VD_OK;
}

int complaint_list(struct vd *vd, const struct principal *who, struct arena *a, enum complaint_list_kind kind,
		   size_t page, struct complaint_lines *out)
{
	memset(out, 0, sizeof *out);
	struct complaint_query q;
	int rc = member_query(vd, who, a, page, &q);
	if (rc)
		return rc;
	int64_t today = date_of(clock_now());
	q.open = kind != CL_CLOSED;
	q.due_before = kind == CL_OVERDUE ? today : 0;
	struct complaint_recs recs;
	rc = vd->store->ops->complaint_list(vd->store, a, &q, &recs);
	if (rc)
		return rc;
	out->more = recs.n > COMPLAINTS_PAGE;
	out->n = out->more ? COMPLAINTS_PAGE : recs.n;
	out->items = arena_array(a, out->n ? out->n : 1, sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < out->n; i++) {
		const struct complaint_rec *c = &recs.items[i];
		out->items[i] = (struct complaint_line){
			.id = c->id, .received_day = c->received_day, .next_due_day = c->next_due_day,
			.step = complaint_step_parse(c->step), .forwarded = c->case_id != 0, .channel = c->channel,
			.filed_late = c->filed_late, .overdue = c->open && c->next_due_day && c->next_due_day < today,
		};
	}
	return VD_OK;
}

int complaint_clock_list(struct vd *vd, const struct principal *who, struct arena *a, size_t page,
			 struct complaint_clocks *out)
{
	memset(out, 0, sizeof *out);
	struct complaint_query q;
	int rc = member_query(vd, who, a, page, &q);
	if (rc)
		return rc;
	struct complaint_term_recs recs;
	rc = vd->store->ops->complaint_running_terms(vd->store, a, &q, &recs);
	if (rc)
		return rc;
	int64_t today = date_of(clock_now());
	out->more = recs.n > COMPLAINTS_PAGE;
	out->n = out->more ? COMPLAINTS_PAGE : recs.n;
	out->items = arena_array(a, out->n ? out->n : 1, sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < out->n; i++) {
		const struct complaint_term_rec *t = &recs.items[i];
		struct complaint_clock *o = &out->items[i];
		*o = (struct complaint_clock){ .complaint_id = t->complaint_id, .term_id = t->id, .kind = CT_COUNT,
					       .start_day = t->start_day, .due_day = t->due_day,
					       .working_days_left = working_days_between(&vd->holidays, today, t->due_day),
					       .overdue = today > t->due_day };
		for (int k = 0; k < CT_COUNT; k++)
			if (strcmp(t->kind, complaint_term_names[k]) == 0)
				o->kind = (enum complaint_term)k;
	}
	return VD_OK;
}

/* What the complainant shared, from the complaint's content. Who it is
 * about is a ninth text since complaints are also entered directly: a
 * forwarded one, which names nobody, may end before it. */
int complaint_content_open(struct arena *a, const struct complaint_rec *c, const unsigned char key[CRYPTO_KEY_LEN],
			   struct complaint_file *out)
{
	char ad[64];
	complaint_content_ad(c, ad);
	const char **const fields[] = { &out->name, &out->email, &out->phone, &out->contact_pref, &out->account,
					&out->when, &out->hopes, &out->summary, &out->accused };
	return sealed_texts_open(a, key, ad, c->content, c->content_len, fields, 9, 8);
}

static int load_terms(struct vd *vd, struct arena *a, const struct complaint_rec *c, struct complaint_file *out)
{
	struct complaint_term_recs recs;
	struct term *terms;
	int rc = complaint_terms_of(vd, a, c, &recs, &terms);
	if (rc)
		return rc;
	int64_t today = date_of(clock_now());
	out->terms = arena_array(a, recs.n ? recs.n : 1, sizeof *out->terms);
	if (!out->terms)
		return VD_ERR_NOMEM;
	out->nterms = recs.n;
	for (size_t i = 0; i < recs.n; i++) {
		const struct complaint_term_rec *r = &recs.items[i];
		const struct term *t = &terms[i];
		struct complaint_term_view *v = &out->terms[i];
		int64_t extended = 0;
		for (size_t j = 0; j < t->nextensions; j++)
			extended += t->extensions[j].days;
		struct term_reading now;
		term_read(t, &vd->holidays, today, &now);
		*v = (struct complaint_term_view){
			.id = r->id, .kind = CT_COUNT, .start_day = r->start_day, .due_day = now.due,
			.met_day = r->met_day, .length = t->length, .unit = t->unit, .state = now.state,
			.working_days_left = now.working_days_left, .nextensions = t->nextensions,
			.extended_days = extended,
		};
		for (int k = 0; k < CT_COUNT; k++)
			if (strcmp(r->kind, complaint_term_names[k]) == 0)
				v->kind = (enum complaint_term)k;
		/* the decision term can be extended; the others only with consent,
		 * which the regulation does not foresee: not offered */
		v->extendable = c->open && !r->met_day && r->max_notice_days > 0;
	}
	return VD_OK;
}

static int load_steps(struct vd *vd, struct arena *a, const struct complaint_rec *c,
		      const unsigned char key[CRYPTO_KEY_LEN], struct complaint_file *out)
{
	struct complaint_move_recs ms;
	int rc = vd->store->ops->complaint_move_list(vd->store, a, c->id, COMPLAINT_MOVES_LISTED, &ms);
	if (rc)
		return rc;
	out->steps = arena_array(a, ms.n ? ms.n : 1, sizeof *out->steps);
	if (!out->steps)
		return VD_ERR_NOMEM;
	out->nsteps = ms.n;
	for (size_t i = 0; rc == VD_OK && i < ms.n; i++) {
		const struct complaint_move_rec *m = &ms.items[i];
		struct complaint_step_view *v = &out->steps[i];
		*v = (struct complaint_step_view){ .at = m->at, .by = m->by, .from = complaint_step_parse(m->from),
						   .to = complaint_step_parse(m->to), .reason = "" };
		if (!m->reason)
			continue;
		if (m->reason_len < CRYPTO_AEAD_OVERHEAD)
			return VD_ERR_STORE;
		size_t n = m->reason_len - CRYPTO_AEAD_OVERHEAD;
		char *plain = arena_alloc(a, n + 1);
		if (!plain)
			return VD_ERR_NOMEM;
		char ad[96];
		complaint_reason_ad(m, ad);
		rc = crypto_decrypt(key, ad, m->reason, m->reason_len, (unsigned char *)plain);
		plain[n] = '\0';
		v->reason = plain;
	}
	return rc;
}

int complaint_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		   struct complaint_file *out)
{
	memset(out, 0, sizeof *out);
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	int rc = complaint_member_key(vd, who, a, id, &c, key);
	if (rc == VD_OK)
		rc = complaint_content_open(a, &c, key, out);
	if (rc == VD_OK)
		rc = load_terms(vd, a, &c, out);
	if (rc == VD_OK)
		rc = load_steps(vd, a, &c, key, out);
	struct complaint_sides *sd = &out->sides;
	if (rc == VD_OK)
		rc = complaint_parties_load(vd, a, key, c.id, &sd->parties, &sd->nparties);
	if (rc == VD_OK)
		rc = complaint_letters_all(vd, a, key, c.id, &sd->letters, &sd->nletters);
	if (rc == VD_OK)
		rc = complaint_hearings_load(vd, a, key, c.id, &sd->hearings, &sd->nhearings);
	if (rc == VD_OK)
		rc = files_list_complaint(vd, a, c.id, key, &out->files, &out->nfiles);
	crypto_wipe(key, sizeof key);
	if (rc)
		return rc;
	out->id = c.id;
	out->case_id = c.case_id;
	out->unit_id = c.unit_id;
	out->received_day = c.received_day;
	out->last_incident_day = c.last_incident_day;
	out->step = complaint_step_parse(c.step);
	out->before = complaint_step_parse(c.step_before);
	out->open = c.open;
	out->filed_late = c.filed_late;
	out->channel = c.channel;
	out->advice = c.advice;
	out->measures = c.measures;
	out->paused = complaint_step_pauses(out->step);
	if (out->step == CS_COUNT)
		return VD_ERR_STORE; /* a step this build does not know: a damaged row */
	out->nnext = complaint_moves(out->step, out->before, out->next);
	struct store *s = vd->store;
	if ((rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "complaint.open", "complaint", id), 0);
	return rc;
}

int complaint_file_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *file_id,
			struct case_file *info, struct file_reader **reader)
{
	struct complaint_rec c;
	unsigned char key[CRYPTO_KEY_LEN];
	*reader = NULL;
	int rc = complaint_member_key(vd, who, a, id, &c, key);
	if (rc == VD_OK)
		rc = files_open_complaint(vd, a, id, key, file_id, info, reader);
	crypto_wipe(key, sizeof key);
	/* who read which file is recorded, as for a case's */
	struct store *s = vd->store;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "complaint.file", "complaint", id), 0);
	if (rc && *reader) {
		file_reader_close(*reader);
		*reader = NULL;
	}
	return rc;
}
