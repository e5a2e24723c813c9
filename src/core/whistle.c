/*
 * whistle: making a report of suspected wrongdoing, opening it, its
 * timeline and its clocks (see whistle.h). The officers' changes are in
 * wb_work.c, the reporter's mailbox in wb_mailbox.c.
 */
#include "internal/whistle.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/audit.h"
#include "internal/codes.h"
#include "internal/files.h"
#include "internal/notify.h"
#include "internal/sealed.h"
#include "internal/serving.h"
#include "wb_clocks.h"

const char *const wb_channel_names[WC_COUNT] = { "written", "oral", "meeting" };
/* After the typology Dutch integrity offices use, and what the Wbk calls a
 * wrongdoing (a breach of a rule, a danger to health, safety or the
 * environment, improper conduct that harms the organisation). */
const char *const wb_categories[] = { "corruption", "fraud", "conflict_of_interest", "misuse_of_power",
				      "information", "resources", "rules", "danger", "other", NULL };
const char *const wb_relations[] = { "employee", "volunteer", "former", "intern", "contractor", "applicant",
				     "other", NULL };
const char *const wb_outcomes[] = { "substantiated", "partly_substantiated", "not_substantiated",
				    "referred", "not_investigated", NULL };
const char *const wb_event_names[WE_COUNT] = {
	"message_in", "message_out", "ack", "feedback", "note", "minutes", "minutes_approved", "minutes_corrected",
	"consent_asked", "consent_given", "consent_refused", "consent_withdrawn", "identity_opened", "disclosed",
	"assessed", "closed",
};

#define AD_CONTENT "wb report content"
#define AD_IDENTITY "wb report identity"
#define AD_MAILBOX_BY_RECEIPT "wb mailbox key by receipt"
#define AD_MAILBOX_BY_REPORT "wb mailbox key by report"

bool wb_event_for_reporter(enum wb_event_kind k)
{
	return k != WE_NOTE && k != WE_IDENTITY_OPENED && k != WE_ASSESSED;
}

void wb_keys_wipe(struct wb_keys *k)
{
	crypto_wipe(k, sizeof *k);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- making a report ------------------------------------------------------------ */

static field_errors check_input(const struct wb_input *in, bool officer, int64_t today, int64_t *received,
				int64_t *meeting, enum wb_channel *channel)
{
	field_errors e = 0;
	*received = today;
	*meeting = 0;
	*channel = WC_WRITTEN;
	if (officer) {
		*channel = WC_COUNT;
		for (int c = 0; c < WC_COUNT; c++)
			if (strcmp(or_empty(in->channel), wb_channel_names[c]) == 0)
				*channel = (enum wb_channel)c;
		if (*channel == WC_COUNT)
			e |= 1u << WF_CHANNEL;
		if (!date_parse(or_empty(in->received_on), received) || *received > today ||
		    *received < today - WB_RECEIVED_MAX_DAYS)
			e |= 1u << WF_RECEIVED;
		if (*channel == WC_ORAL || *channel == WC_MEETING) {
			/* the conversation was the report, or came after it */
			if (!date_parse(or_empty(in->meeting_on), meeting) || *meeting > today ||
			    (!(e & (1u << WF_RECEIVED)) && *meeting < *received))
				e |= 1u << WF_MEETING;
			if (text_blank(in->minutes) || !text_fits(in->minutes, WB_MINUTES_MAX_CHARS, false))
				e |= 1u << WF_MINUTES;
		}
	}
	if (!case_choice_valid(wb_relations, in->relation))
		e |= 1u << WF_RELATION;
	if (*or_empty(in->category) && !case_choice_valid(wb_categories, in->category))
		e |= 1u << WF_CATEGORY;
	if (text_blank(in->what) || !text_fits(in->what, WB_TEXT_MAX_CHARS, false))
		e |= 1u << WF_WHAT;
	if (!text_fits(or_empty(in->when_where), WB_SHORT_MAX_CHARS, false))
		e |= 1u << WF_WHEN;
	if (!text_fits(or_empty(in->involved), WB_SHORT_MAX_CHARS, false))
		e |= 1u << WF_INVOLVED;
	if (!text_fits(or_empty(in->other), WB_TEXT_MAX_CHARS, false))
		e |= 1u << WF_OTHER;
	if (!text_fits(or_empty(in->name), WB_NAME_MAX_CHARS, true))
		e |= 1u << WF_NAME;
	if (*or_empty(in->email) && !text_valid_email(in->email))
		e |= 1u << WF_EMAIL;
	if (!text_fits(or_empty(in->phone), WB_PHONE_MAX_CHARS, true))
		e |= 1u << WF_PHONE;
	return e;
}

/* A report ready to store, made before any transaction (the code's slow
 * hash): its row, its officers' keys, and the keys to wipe. */
struct wb_new {
	struct wb_report_rec rec;
	struct wb_key_rec *keys;
	size_t nkeys;
	struct wb_keys k;
	struct receipt receipt;
};

static int prepare(struct vd *vd, struct arena *a, const struct wb_input *in, enum wb_channel channel,
		   int64_t received, int64_t by, char code[RECEIPT_TEXT_LEN + 1], struct wb_new *out,
		   field_errors *errs)
{
	memset(out, 0, sizeof *out);
	struct unit_staff *officers;
	size_t n;
	int rc = unit_staff_of(vd, a, ROLE_INTEGRITY, in->unit_id, &officers, &n);
	if (rc == VD_OK && !n) {
		*errs |= 1u << WF_OFFICER;
		return VD_ERR_INVALID;
	}
	if (rc == VD_OK && !(out->keys = arena_array(a, n, sizeof *out->keys)))
		rc = VD_ERR_NOMEM;
	if (rc)
		return rc;
	struct wb_keys *k = &out->k;
	crypto_key_new(k->report);
	crypto_key_new(k->mailbox);
	crypto_key_new(k->identity);
	k->has_report = k->has_identity = true;
	for (size_t i = 0; i < n; i++) {
		out->keys[i].user_id = officers[i].user_id;
		crypto_seal(officers[i].public_key, k->report, CRYPTO_KEY_LEN, out->keys[i].sealed_key);
		crypto_seal(officers[i].public_key, k->identity, CRYPTO_KEY_LEN, out->keys[i].identity_key);
	}
	out->nkeys = n;
	struct wb_report_rec *r = &out->rec;
	*r = (struct wb_report_rec){ .unit_id = in->unit_id, .by = by, .created_at = clock_now(),
				     .channel = wb_channel_names[channel], .category = or_empty(in->category),
				     .relation = in->relation, .received_day = received, .outcome = "", .open = 1,
				     /* an officer who hands the code over has seen it */
				     .code_own = by == 0 };
	rc = wb_code_new(vd, r, k, &out->receipt, code);
	if (rc == VD_OK) {
		crypto_encrypt(k->report, AD_MAILBOX_BY_REPORT, k->mailbox, CRYPTO_KEY_LEN, r->mailbox_by_report);
		const char *texts[] = { in->what, in->when_where, in->involved, in->other };
		unsigned char *blob;
		rc = sealed_texts_seal(a, k->mailbox, AD_CONTENT, texts, 4, &blob, &r->content_len);
		r->content = blob;
	}
	/* named: anything that tells who they are (a phone number does too) */
	bool identity = !text_blank(in->name) || *or_empty(in->email) || !text_blank(in->phone);
	r->named = identity;
	if (rc == VD_OK && identity) {
		const char *texts[] = { in->name, in->email, in->phone };
		unsigned char *blob;
		rc = sealed_texts_seal(a, k->identity, AD_IDENTITY, texts, 3, &blob, &r->identity_len);
		r->identity = blob;
	}
	wb_recount(vd, r);
	return rc;
}

int wb_code_new(struct vd *vd, struct wb_report_rec *rec, const struct wb_keys *k, struct receipt *r,
		char code[RECEIPT_TEXT_LEN + 1])
{
	unsigned char kek[CRYPTO_KEY_LEN];
	int rc = code_new(vd, r, code, rec->receipt_salt, rec->receipt_verifier, &rec->receipt_ops,
			  &rec->receipt_mem_kib, kek);
	rec->locator = r->locator;
	if (rc == VD_OK)
		crypto_encrypt(kek, AD_MAILBOX_BY_RECEIPT, k->mailbox, CRYPTO_KEY_LEN, rec->mailbox_by_receipt);
	crypto_wipe(kek, sizeof kek);
	return rc;
}

static void forget(struct wb_new *n)
{
	wb_keys_wipe(&n->k);
	crypto_wipe(&n->receipt, sizeof n->receipt);
}

/* Stores a prepared report, in a transaction of its own: the minutes of
 * an oral report go to the mailbox with it. */
static int store_new(struct vd *vd, struct arena *a, struct wb_new *n, const struct wb_input *in, int64_t meeting,
		     int64_t *id)
{
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = s->ops->wb_report_insert(s, &n->rec, n->keys, n->nkeys, id);
	if (rc == VD_OK && meeting)
		rc = wb_event_add(vd, a, &n->k, *id, WE_MINUTES, 0, meeting, n->rec.by, in->minutes, NULL);
	if (rc == VD_OK)
		rc = files_attach_wb(vd, *id, n->k.mailbox, 0, "report", in->files, in->nfiles);
	if (rc == VD_OK)
		rc = audit_record(vd, n->rec.by, "wb.create", "wb_report", *id);
	return app_end(vd, rc, 0);
}

/* Both ways in: prepared and stored, a taken locator (30 random bits,
 * rare) drawn again. */
static int make_report(struct vd *vd, struct arena *a, const struct wb_input *in, enum wb_channel channel,
		       int64_t received, int64_t meeting, int64_t by, char code[RECEIPT_TEXT_LEN + 1],
		       field_errors *errs, int64_t *id)
{
	int rc = VD_OK;
	for (int attempt = 0; attempt < 5; attempt++) {
		struct wb_new n;
		rc = prepare(vd, a, in, channel, received, by, code, &n, errs);
		if (rc == VD_OK)
			rc = store_new(vd, a, &n, in, meeting, id);
		forget(&n);
		if (rc != VD_ERR_EXISTS)
			break;
	}
	if (rc) {
		crypto_wipe(code, RECEIPT_TEXT_LEN + 1);
		files_unattach(vd, in->files, in->nfiles); /* rolled back: the files go too */
	} else {
		wb_tell_officers(vd, *id, "wb_news");
	}
	return rc;
}

static bool unit_exists(struct vd *vd, struct arena *a, int64_t unit, int *rc)
{
	struct unit_list units;
	*rc = unit_list(vd, a, &units);
	return *rc == VD_OK && unit_by_id(&units, unit) != NULL;
}

int wb_submit(struct vd *vd, const struct wb_input *in, const void *source, size_t source_len, field_errors *errs,
	      int64_t *id, char code[RECEIPT_TEXT_LEN + 1], int64_t *retry_after)
{
	code[0] = '\0';
	*errs = 0;
	*retry_after = report_rate_wait(vd, source, source_len);
	if (*retry_after > 0)
		return VD_ERR_THROTTLED; /* nothing taken: a flood would fill the database */
	int64_t received, meeting;
	enum wb_channel channel;
	*errs = check_input(in, false, date_of(clock_now()), &received, &meeting, &channel);
	struct arena a;
	arena_init(&a, 0);
	int rc = VD_OK;
	if (!unit_exists(vd, &a, in->unit_id, &rc) && rc == VD_OK)
		*errs |= 1u << WF_UNIT;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = make_report(vd, &a, in, WC_WRITTEN, received, 0, 0, code, errs, id);
	if (rc == VD_OK)
		report_rate_count(vd, source, source_len);
	arena_release_wipe(&a);
	return rc;
}

int wb_entry_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out, int **depth)
{
	if (who->role != ROLE_INTEGRITY)
		return VD_ERR_DENIED;
	return served_unit_tree(vd, who, a, out, depth);
}

int wb_enter(struct vd *vd, const struct principal *who, const struct wb_input *in, field_errors *errs, int64_t *id,
	     char code[RECEIPT_TEXT_LEN + 1])
{
	code[0] = '\0';
	*errs = 0;
	if (who->role != ROLE_INTEGRITY)
		return VD_ERR_DENIED;
	int64_t received, meeting;
	enum wb_channel channel;
	*errs = check_input(in, true, date_of(clock_now()), &received, &meeting, &channel);
	struct arena a;
	arena_init(&a, 0);
	struct unit_list all;
	struct id_list served;
	int rc = served_units(vd, who, &a, &all, &served);
	if (rc == VD_OK && !unit_served(&served, in->unit_id))
		*errs |= 1u << WF_UNIT;
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = make_report(vd, &a, in, channel, received, meeting, who->user_id, code, errs, id);
	arena_release_wipe(&a);
	return rc;
}

/* ---- opening ------------------------------------------------------------------------ */

int wb_officer_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, bool claim,
		    bool want_identity, struct wb_report_rec *rec, struct wb_keys *k)
{
	struct store *s = vd->store;
	memset(k, 0, sizeof *k);
	if (who->role != ROLE_INTEGRITY)
		return VD_ERR_NOTFOUND;
	int rc = claim ? s->ops->wb_report_claim(s, a, id, rec) : s->ops->wb_report_get(s, a, id, rec);
	struct unit_list all;
	struct id_list served;
	if (rc == VD_OK)
		rc = served_units(vd, who, a, &all, &served);
	if (rc == VD_OK && !unit_served(&served, rec->unit_id))
		rc = VD_ERR_NOTFOUND; /* no longer theirs: moved to another part */
	struct wb_key_rec kr;
	if (rc == VD_OK)
		rc = s->ops->wb_key_get(s, id, who->user_id, &kr);
	if (rc)
		return rc;
	/* the session's key last: a report that is not theirs says so whether
	 * or not they have one */
	unsigned char sk[CRYPTO_SK_LEN];
	struct user_key_rec uk;
	rc = principal_secret_key(who, sk);
	if (rc == VD_OK)
		rc = s->ops->user_key_get(s, who->user_id, &uk);
	if (rc == VD_OK)
		rc = crypto_unseal(uk.public_key, sk, kr.sealed_key, sizeof kr.sealed_key, k->report);
	want_identity = want_identity && rec->identity; /* nothing to open for an anonymous report */
	if (rc == VD_OK && want_identity)
		rc = crypto_unseal(uk.public_key, sk, kr.identity_key, sizeof kr.identity_key, k->identity);
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK)
		rc = crypto_decrypt(k->report, AD_MAILBOX_BY_REPORT, rec->mailbox_by_report, sizeof rec->mailbox_by_report,
				    k->mailbox);
	k->has_report = rc == VD_OK;
	k->has_identity = rc == VD_OK && want_identity;
	if (rc)
		wb_keys_wipe(k);
	return rc;
}

int wb_mailbox_key(const struct wb_report_rec *rec, const unsigned char kek[CRYPTO_KEY_LEN], struct wb_keys *k)
{
	memset(k, 0, sizeof *k);
	return crypto_decrypt(kek, AD_MAILBOX_BY_RECEIPT, rec->mailbox_by_receipt, sizeof rec->mailbox_by_receipt,
			      k->mailbox);
}

/* Binds an event's text to all of its row but its id, so that no row can
 * be changed or made up without the key (an answer of the reporter's is an
 * event with an empty text, sealed all the same). */
static void event_ad(const struct wb_event_rec *e, char ad[160])
{
	snprintf(ad, 160, "wb event %lld %.24s %lld %lld %lld %lld", (long long)e->report_id, e->kind, (long long)e->at,
		 (long long)e->ref_id, (long long)e->by, (long long)e->on_day);
}

int wb_event_add(struct vd *vd, struct arena *a, const struct wb_keys *k, int64_t report_id,
		 enum wb_event_kind kind, int64_t ref_id, int64_t on_day, int64_t by, const char *text, int64_t *id)
{
	struct wb_event_rec e = { .report_id = report_id, .ref_id = ref_id, .on_day = on_day, .at = clock_now(),
				  .by = by, .kind = wb_event_names[kind] };
	bool officers_only = !wb_event_for_reporter(kind);
	if ((unsigned)kind >= WE_COUNT || (officers_only && !k->has_report))
		return VD_ERR_MISUSE;
	/* a report's whole timeline is read for every view and every check of
	 * its state: past WB_EVENTS_MAX (far beyond any real report) nothing is
	 * added, rather than anything read in part */
	int64_t now;
	int rc = vd->store->ops->wb_event_count(vd->store, report_id, &now);
	if (rc == VD_OK && now >= WB_EVENTS_MAX)
		rc = VD_ERR_TOOBIG;
	char ad[160];
	event_ad(&e, ad);
	unsigned char *blob = NULL;
	if (rc == VD_OK)
		rc = sealed_text_seal(a, officers_only ? k->report : k->mailbox, ad, text ? text : "", &blob, &e.body_len);
	e.body = blob;
	int64_t ignored;
	return rc ? rc : vd->store->ops->wb_event_insert(vd->store, &e, id ? id : &ignored);
}

/* ---- the clocks ------------------------------------------------------------------- */

static void clock_read(struct vd *vd, const struct term *t, int64_t met, int64_t today, struct wb_clock_view *out)
{
	struct term_reading tr;
	term_read(t, &vd->holidays, today, &tr);
	*out = (struct wb_clock_view){ .due_day = tr.due, .met_day = met, .overdue = !met && today > tr.due,
				       .working_days_left = tr.working_days_left < 0 ? 0 : tr.working_days_left };
}

static void clocks_of(struct vd *vd, const struct wb_report_rec *rec, int64_t today, struct wb_clock_view *ack,
		      struct wb_clock_view *feedback)
{
	struct term t;
	wb_ack_term(rec->received_day, &t);
	clock_read(vd, &t, rec->ack_day, today, ack);
	wb_feedback_term(rec->received_day, rec->ack_day ? rec->ack_day : DATE_NONE, &t);
	clock_read(vd, &t, rec->feedback_day, today, feedback);
}

void wb_recount(struct vd *vd, struct wb_report_rec *rec)
{
	struct wb_clock_view ack, fb;
	clocks_of(vd, rec, date_of(clock_now()), &ack, &fb);
	rec->next_due_day = !rec->open ? 0 : !rec->ack_day ? ack.due_day : !rec->feedback_day ? fb.due_day : 0;
}

/* ---- the report as its holder sees it ------------------------------------------- */

static int events_of(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
		     struct wb_report *out)
{
	struct wb_event_recs recs;
	int rc = vd->store->ops->wb_event_list(vd->store, a, rec->id, WB_EVENTS_MAX + 1, &recs);
	if (rc == VD_OK && recs.n > WB_EVENTS_MAX)
		rc = VD_ERR_STORE; /* wb_event_add adds none past it */
	if (rc)
		return rc;
	out->events = arena_array(a, recs.n ? recs.n : 1, sizeof *out->events);
	if (!out->events)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < recs.n; i++) {
		const struct wb_event_rec *e = &recs.items[i];
		enum wb_event_kind kind = WE_COUNT;
		for (int j = 0; j < WE_COUNT; j++)
			if (strcmp(e->kind, wb_event_names[j]) == 0)
				kind = (enum wb_event_kind)j;
		if (kind == WE_COUNT)
			return VD_ERR_STORE;
		bool officers_only = !wb_event_for_reporter(kind);
		if (officers_only && !k->has_report)
			continue;
		struct wb_event_view *v = &out->events[out->nevents++];
		*v = (struct wb_event_view){ .id = e->id, .ref_id = e->ref_id, .on_day = e->on_day, .at = e->at,
					     .by = e->by, .kind = kind, .text = "" };
		/* every event is sealed: one without its body was not written by us */
		char ad[160];
		event_ad(e, ad);
		rc = e->body ? sealed_text_open(a, officers_only ? k->report : k->mailbox, ad, e->body, e->body_len, &v->text)
			     : VD_ERR_STORE;
		if (rc)
			return rc;
	}
	return VD_OK;
}

/* The minutes and the questions of consent, from the timeline. */
static int threads_of(struct arena *a, struct wb_report *out)
{
	out->minutes = arena_array(a, out->nevents ? out->nevents : 1, sizeof *out->minutes);
	out->consents = arena_array(a, out->nevents ? out->nevents : 1, sizeof *out->consents);
	if (!out->minutes || !out->consents)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < out->nevents; i++) {
		const struct wb_event_view *e = &out->events[i];
		if (e->kind == WE_MINUTES) {
			for (size_t j = 0; j < out->nminutes; j++)
				if (out->minutes[j].id == e->ref_id)
					out->minutes[j].state = "replaced";
			out->minutes[out->nminutes++] = (struct wb_minutes_view){
				.id = e->id, .on_day = e->on_day, .at = e->at, .replaces = e->ref_id, .text = e->text,
				.state = "pending", .correction = "" };
		} else if (e->kind == WE_CONSENT_ASKED) {
			out->consents[out->nconsents++] = (struct wb_consent_view){ .id = e->id, .at = e->at,
										    .request = e->text, .state = "pending" };
		}
		for (size_t j = 0; j < out->nminutes; j++) {
			struct wb_minutes_view *m = &out->minutes[j];
			if (m->id != e->ref_id || (e->kind != WE_MINUTES_APPROVED && e->kind != WE_MINUTES_CORRECTED))
				continue;
			m->state = e->kind == WE_MINUTES_APPROVED ? "approved" : "corrected";
			m->reacted_at = e->at;
			m->correction = e->text;
		}
		for (size_t j = 0; j < out->nconsents; j++) {
			struct wb_consent_view *c = &out->consents[j];
			if (c->id != e->ref_id)
				continue;
			if (e->kind == WE_CONSENT_GIVEN || e->kind == WE_CONSENT_REFUSED || e->kind == WE_CONSENT_WITHDRAWN) {
				c->state = e->kind == WE_CONSENT_GIVEN	   ? "given"
					   : e->kind == WE_CONSENT_REFUSED ? "refused"
									   : "withdrawn";
				c->answered_at = e->at;
			} else if (e->kind == WE_DISCLOSED) {
				c->disclosed_at = e->at;
			}
		}
	}
	for (size_t j = 0; j < out->nminutes; j++)
		out->pending_minutes |= strcmp(out->minutes[j].state, "pending") == 0;
	for (size_t j = 0; j < out->nconsents; j++)
		out->pending_consent |= strcmp(out->consents[j].state, "pending") == 0;
	return VD_OK;
}

int wb_assemble(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
		struct wb_report *out)
{
	memset(out, 0, sizeof *out);
	*out = (struct wb_report){ .id = rec->id, .unit_id = rec->unit_id, .received_day = rec->received_day,
				   .closed_day = rec->closed_day, .channel = rec->channel, .category = rec->category,
				   .relation = rec->relation, .outcome = rec->outcome, .open = rec->open,
				   .named = rec->named, .code_own = rec->code_own };
	clocks_of(vd, rec, date_of(clock_now()), &out->ack, &out->feedback);
	const char **fields[] = { &out->what, &out->when_where, &out->involved, &out->other };
	int rc = sealed_texts_open(a, k->mailbox, AD_CONTENT, rec->content, rec->content_len, fields, 4, 1);
	if (rc == VD_OK)
		rc = events_of(vd, a, rec, k, out);
	if (rc == VD_OK)
		rc = threads_of(a, out);
	if (rc == VD_OK)
		rc = files_list_wb(vd, a, rec->id, k->mailbox, &out->files, &out->nfiles);
	return rc;
}

/* ---- the register -------------------------------------------------------------------- */

int wb_list(struct vd *vd, const struct principal *who, struct arena *a, bool open, size_t page,
	    struct wb_lines *out)
{
	memset(out, 0, sizeof *out);
	if (who->role != ROLE_INTEGRITY)
		return VD_ERR_DENIED;
	struct unit_list all;
	struct id_list served;
	int rc = served_units(vd, who, a, &all, &served);
	struct wb_query q = { .user_id = who->user_id, .units = served.ids, .nunits = served.n, .open = open,
			      .offset = page * WB_PAGE, .limit = WB_PAGE + 1 };
	struct wb_report_recs recs;
	if (rc == VD_OK)
		rc = vd->store->ops->wb_report_list(vd->store, a, &q, &recs);
	if (rc == VD_OK && !(out->items = arena_array(a, recs.n ? recs.n : 1, sizeof *out->items)))
		rc = VD_ERR_NOMEM;
	int64_t today = date_of(clock_now());
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++) {
		const struct wb_report_rec *r = &recs.items[i];
		if (i == WB_PAGE) {
			out->more = true;
			break;
		}
		struct wb_clock_view ack, fb;
		clocks_of(vd, r, today, &ack, &fb);
		out->items[out->n++] = (struct wb_line){
			.id = r->id, .received_day = r->received_day, .next_due_day = r->next_due_day,
			.channel = r->channel, .category = r->category, .outcome = r->outcome,
			.closed_day = r->closed_day, .acknowledged = r->ack_day != 0,
			.feedback_given = r->feedback_day != 0,
			.overdue = r->open && ((!r->ack_day && ack.overdue) || (!r->feedback_day && fb.overdue)),
			.next_clock = !r->open ? "" : !r->ack_day ? "ack" : !r->feedback_day ? "feedback" : "" };
	}
	return rc;
}

int wb_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct wb_report *out)
{
	struct wb_report_rec rec;
	struct wb_keys k;
	memset(out, 0, sizeof *out);
	int rc = wb_officer_open(vd, who, a, id, false, false, &rec, &k);
	if (rc == VD_OK)
		rc = wb_assemble(vd, a, &rec, &k, out);
	wb_keys_wipe(&k);
	struct store *s = vd->store;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "wb.open", "wb_report", id), 0);
	return rc;
}

int wb_file_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *file_id,
		 struct case_file *info, struct file_reader **reader)
{
	struct wb_report_rec rec;
	struct wb_keys k;
	*reader = NULL;
	int rc = wb_officer_open(vd, who, a, id, false, false, &rec, &k);
	if (rc == VD_OK)
		rc = files_open_wb(vd, a, id, k.mailbox, file_id, info, reader);
	wb_keys_wipe(&k);
	/* who read which file is recorded, as for a case's */
	struct store *s = vd->store;
	if (rc == VD_OK && (rc = s->ops->begin(s)) == VD_OK)
		rc = app_end(vd, audit_record(vd, who->user_id, "wb.file", "wb_report", id), 0);
	if (rc && *reader) {
		file_reader_close(*reader);
		*reader = NULL;
	}
	return rc;
}

/* ---- notices ---------------------------------------------------------------------------- */

int wb_tell_reporter(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k)
{
	if (!rec->identity || !k->has_identity)
		return VD_OK;
	const char *name = "", *email = "", *phone = "";
	const char **fields[] = { &name, &email, &phone };
	int rc = sealed_texts_open(a, k->identity, AD_IDENTITY, rec->identity, rec->identity_len, fields, 3, 3);
	return rc ? rc : notify_wb_reporter(vd, email);
}

int wb_tell_officers(struct vd *vd, int64_t report_id, const char *kind)
{
	return notify_wb_officers(vd, report_id, kind);
}

int wb_identity_read(struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k, struct wb_identity *out)
{
	*out = (struct wb_identity){ .name = "", .email = "", .phone = "" };
	if (!rec->identity)
		return VD_OK;
	const char **fields[] = { &out->name, &out->email, &out->phone };
	int rc = sealed_texts_open(a, k->identity, AD_IDENTITY, rec->identity, rec->identity_len, fields, 3, 3);
	out->given = rc == VD_OK;
	return rc;
}
