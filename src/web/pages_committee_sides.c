/*
 * pages_committee_sides: the parties, letters and hearings on a complaint's
 * page (issue 8), and the forms that add a party, write to one, plan a
 * hearing and send its minutes. Like the rest of the page
 * (pages_committee.c), each form posts to its own route and returns to its
 * part of the page when accepted, or shows the page again with the reason
 * next to the field.
 */
#include <stdio.h>
#include <string.h>

#include "../core/complaints.h"
#include "../core/links.h"
#include "../core/profiles.h"
#include "../util/date.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "i18n.h"
#include "pages.h"

static const struct party_view *party_of(const struct complaint_sides *sd, int64_t id)
{
	for (size_t i = 0; i < sd->nparties; i++)
		if (sd->parties[i].id == id)
			return &sd->parties[i];
	return NULL;
}

static const char *party_label(struct req *r, const struct party_view *p)
{
	if (!p)
		return "";
	return arena_printf(&r->arena, "%s (%s)", p->name,
			    i18n_choice(r->lang, "party", party_role_names[p->role < PR_COUNT ? p->role : 0]));
}

/* The letter lines of a mailbox or the committee's file: who, what, when. */
void complaint_letters_vars(struct req *r, struct tvars *v, const struct letter_view *ls, size_t n,
			    const struct complaint_sides *sd, const struct hearing_view *hs, size_t nh)
{
	for (size_t i = 0; i < n; i++) {
		const struct letter_view *l = &ls[i];
		struct tvars *o = tv_add(v, "letters");
		tv_set(o, "at", req_time_text(r, l->at));
		tv_set(o, "kind", i18n_choice(r->lang, "letter", letter_kind_names[l->kind < LK_COUNT ? l->kind : 0]));
		tv_set_bool(o, "outgoing", l->outgoing);
		/* every name set on every item: an unset one would be looked up on the page */
		tv_set(o, "party", sd ? party_label(r, party_of(sd, l->party_id)) : "");
		tv_set(o, "l_step", l->step < CS_COUNT ? i18n_choice(r->lang, "cstep", complaint_step_names[l->step]) : "");
		int64_t day = 0;
		bool extension = l->kind == LK_EXTENSION && date_parse(l->text, &day);
		tv_set(o, "due", extension ? req_day_text(r, day) : "");
		/* the minutes are shown with their hearing, the new due day as a date */
		tv_set(o, "text", l->kind == LK_EXTENSION || l->kind == LK_MINUTES ? "" : l->text);
		bool copy = l->kind == LK_COMPLAINT;
		tv_set_bool(o, "copy", copy);
		tv_set(o, "c_name", copy ? l->copy.name : "");
		tv_set(o, "c_email", copy ? l->copy.email : "");
		tv_set(o, "c_phone", copy ? l->copy.phone : "");
		tv_set(o, "c_account", copy ? l->copy.account : "");
		tv_set(o, "c_when", copy ? l->copy.when : "");
		tv_set(o, "c_asks", copy ? l->copy.asks : "");
		tv_set(o, "hearing", "");
		for (size_t j = 0; l->hearing_id && j < nh; j++)
			if (hs[j].id == l->hearing_id)
				tv_set(o, "hearing", req_day_text(r, hs[j].on_day));
	}
}

/* The hearings, with who was heard and what they said of the minutes. */
void complaint_hearings_vars(struct req *r, struct tvars *v, const struct hearing_view *hs, size_t n,
			     const struct complaint_sides *sd, int64_t me)
{
	for (size_t i = 0; i < n; i++) {
		const struct hearing_view *h = &hs[i];
		struct tvars *o = tv_add(v, "hearings");
		tv_set_int(o, "id", h->id);
		tv_set(o, "day", req_day_text(r, h->on_day));
		tv_set(o, "time", h->time);
		tv_set(o, "place", h->place);
		tv_set(o, "witnesses", h->witnesses);
		tv_set(o, "supporters", h->supporters);
		tv_set_bool(o, "jointly", h->jointly);
		tv_set(o, "minutes", h->minutes);
		tv_set_bool(o, "has_minutes", h->minutes_day != 0);
		tv_set(o, "minutes_day", req_day_text(r, h->minutes_day));
		tv_set(o, "minutes_due", req_day_text(r, h->minutes_due_day));
		tv_set(o, "my_approval", "");
		tv_set_bool(o, "can_react", false);
		for (size_t j = 0; j < h->nheard; j++) {
			const struct heard_view *d = &h->heard[j];
			struct tvars *p = tv_add(o, "heard");
			tv_set(p, "name", sd ? party_label(r, party_of(sd, d->party_id)) : "");
			tv_set(p, "approval", h->minutes_day ? i18n_choice(r->lang, "approval", d->approval) : "");
			if (d->party_id == me) {
				tv_set(o, "my_approval", h->minutes_day ? i18n_choice(r->lang, "approval", d->approval) : "");
				tv_set_bool(o, "can_react", h->minutes_day && strcmp(d->approval, "pending") == 0);
			}
		}
	}
}

void complaint_sides_vars(struct req *r, struct tvars *v, const struct complaint_file *f,
			  const struct complaint_refused *fr)
{
	const struct complaint_sides *sd = &f->sides;
	bool has_complainant = false, has_supporter = false;
	for (size_t i = 0; i < sd->nparties; i++) {
		const struct party_view *p = &sd->parties[i];
		struct tvars *o = tv_add(v, "parties");
		tv_set_int(o, "id", p->id);
		tv_set(o, "role", i18n_choice(r->lang, "party", party_role_names[p->role < PR_COUNT ? p->role : 0]));
		tv_set(o, "name", p->name);
		tv_set(o, "email", p->email);
		tv_set(o, "phone", p->phone);
		tv_set_bool(o, "has_code", p->has_code);
		has_complainant |= p->role == PR_COMPLAINANT;
		has_supporter |= p->role == PR_SUPPORTER;
		/* a letter can go to anyone; a hearing hears complainant and accused */
		struct tvars *t = tv_add(v, "recipients");
		tv_set_int(t, "id", p->id);
		tv_set(t, "label", party_label(r, p));
		tv_set_bool(t, "selected", fr && strcmp(fr->form, "letter") == 0 &&
						   strcmp(form_str(r, "party"), arena_printf(&r->arena, "%lld", (long long)p->id)) == 0);
		if (p->role == PR_SUPPORTER)
			continue;
		struct tvars *h = tv_add(v, "hearable");
		tv_set_int(h, "id", p->id);
		tv_set(h, "label", party_label(r, p));
	}
	const char *chosen = fr && strcmp(fr->form, "party") == 0 ? form_str(r, "role") : "";
	for (int role = 0; f->open && role < PR_COUNT; role++) {
		if ((role == PR_COMPLAINANT && has_complainant) || (role == PR_SUPPORTER && has_supporter))
			continue;
		struct tvars *o = tv_add(v, "new_roles");
		tv_set(o, "value", party_role_names[role]);
		tv_set(o, "label", i18n_choice(r->lang, "party_add", party_role_names[role]));
		tv_set_bool(o, "checked", strcmp(chosen, party_role_names[role]) == 0);
	}
	if (!has_supporter) {
		struct counsellor_list all;
		if (directory_list(r->vd, &r->arena, 0, &all) == VD_OK)
			for (size_t i = 0; i < all.n; i++) {
				struct tvars *o = tv_add(v, "counsellors");
				tv_set_int(o, "id", all.items[i].user_id);
				tv_set(o, "name", all.items[i].name);
				tv_set_bool(o, "selected", fr && strcmp(form_str(r, "counsellor"),
									arena_printf(&r->arena, "%lld",
										     (long long)all.items[i].user_id)) == 0);
			}
	}
	complaint_letters_vars(r, v, sd->letters, sd->nletters, sd, sd->hearings, sd->nhearings);
	complaint_hearings_vars(r, v, sd->hearings, sd->nhearings, sd, 0);
	tv_set_bool(v, "can_plan", f->open && f->step == CS_HEARINGS && sd->nparties > 0);
	for (size_t i = 0; i < f->nnext; i++)
		if (f->next[i] == CS_ACCUSED_INFORMED)
			tv_set_bool(v, "informs_accused", true);
}

/* ---- the forms ---------------------------------------------------------------- */

void h_complaint_party(struct req *r)
{
	static const char *const keys[] = {
		[PY_ROLE] = "complaint.error.party.role", [PY_NAME] = "complaint.error.party.name",
		[PY_EMAIL] = "complaint.error.party.email", [PY_PHONE] = "complaint.error.party.phone",
		[PY_COUNSELLOR] = "complaint.error.party.counsellor",
	};
	const char *role = form_str(r, "role");
	struct party_input in = { .role = PR_COUNT, .name = form_str(r, "name"), .email = form_str(r, "email"),
				  .phone = form_str(r, "phone"), .counsellor_id = form_record_id(r, "counsellor") };
	for (int i = 0; i < PR_COUNT; i++)
		if (strcmp(role, party_role_names[i]) == 0)
			in.role = (enum party_role)i;
	struct complaint_refused fr = { .form = "party", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	char code[RECEIPT_TEXT_LEN + 1];
	int rc = complaint_party_add(r->vd, r->who, r->id, &in, &fr.errs, code);
	if (rc != VD_OK || in.role == PR_SUPPORTER) {
		complaint_answer(r, rc, &fr, "partijen");
		return;
	}
	/* the code once, on this page only: not in a link, not stored */
	struct tvars *v = page_vars(r);
	tv_set_int(v, "id", r->id);
	tv_set(v, "name", in.name);
	tv_set(v, "role", i18n_choice(r->lang, "party", party_role_names[in.role]));
	tv_set(v, "code", arena_strdup(&r->arena, code));
	tv_set(v, "mailbox", LINK_COMPLAINT_MAILBOX);
	tv_set_bool(v, "has_email", *in.email != '\0');
	wipe(code, sizeof code);
	page_render(r, "complaint_party_code", v, "complaint_party_code.title");
}

void h_complaint_letter(struct req *r)
{
	static const char *const keys[] = { [LF_PARTY] = "complaint.error.letter.party",
					    [LF_TEXT] = "complaint.error.letter.text" };
	struct complaint_refused fr = { .form = "letter", .keys = keys, .nkeys = 2 };
	const char *text = kv_get(&r->form, "text");
	int rc = complaint_letter_send(r->vd, r->who, r->id, form_record_id(r, "party"), text ? text : "", &fr.errs);
	complaint_answer(r, rc, &fr, "brieven");
}

void h_complaint_hearing(struct req *r)
{
	static const char *const keys[] = {
		[HF_DAY] = "complaint.error.hearing.day", [HF_TIME] = "complaint.error.hearing.time",
		[HF_PLACE] = "complaint.error.hearing.place", [HF_HEARD] = "complaint.error.hearing.heard",
		[HF_WITNESSES] = "complaint.error.hearing.witnesses", [HF_SUPPORTERS] = "complaint.error.hearing.supporters",
		[HF_JOINTLY] = "complaint.error.hearing.jointly", [HF_STEP] = "complaint.error.hearing.step",
	};
	int64_t heard[PARTIES_MAX + 1];
	size_t n = 0;
	bool bad = false;
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.items[i].name, "heard") != 0)
			continue;
		int64_t id = 0;
		if (text_parse_i64(r->form.items[i].value, 1, INT64_MAX, &id) || n > PARTIES_MAX)
			bad = true;
		else
			heard[n++] = id;
	}
	struct hearing_input in = { .day = form_str(r, "day"), .time = form_str(r, "time"),
				    .place = form_str(r, "place"), .heard = heard, .nheard = bad ? PARTIES_MAX + 1 : n,
				    .jointly = *form_str(r, "jointly") != '\0', .witnesses = form_str(r, "witnesses"),
				    .supporters = form_str(r, "supporters") };
	struct complaint_refused fr = { .form = "hearing", .keys = keys, .nkeys = sizeof keys / sizeof keys[0] };
	int64_t hid = 0;
	int rc = complaint_hearing_add(r->vd, r->who, r->id, &in, &fr.errs, &hid);
	complaint_answer(r, rc, &fr, "hoorzittingen");
}

void h_complaint_minutes(struct req *r)
{
	static const char *const keys[] = { [MN_HEARING] = "complaint.error.minutes.hearing",
					    [MN_TEXT] = "complaint.error.minutes.text" };
	struct complaint_refused fr = { .form = "minutes", .keys = keys, .nkeys = 2 };
	const char *text = kv_get(&r->form, "minutes");
	int rc = complaint_minutes_send(r->vd, r->who, r->id, form_record_id(r, "hearing"), text ? text : "", &fr.errs);
	complaint_answer(r, rc, &fr, "hoorzittingen");
}
