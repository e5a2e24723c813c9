/* counsellor_log: see counsellor_log.h. */
#include "counsellor_log.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "cases.h"
#include "units.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/serving.h"

const char *const counsellor_log_kinds[] = { "advice", "training", "supervision", "question", NULL };
const char *const counsellor_log_audiences[] = { "manager", "board", NULL };

static bool in_list(const char *const *list, const char *value)
{
	for (size_t i = 0; value && list[i]; i++)
		if (strcmp(list[i], value) == 0)
			return true;
	return false;
}

/* ---- dates ------------------------------------------------------------------ */

void counsellor_log_today(char out[11])
{
	date_format(date_of(clock_now()), out);
}

/* util/date.h's dates start in 2000, the first year of the log */
_Static_assert(COUNSELLOR_LOG_FIRST_YEAR == DATE_FIRST_YEAR, "the log's dates are util/date's");

/* ---- validation --------------------------------------------------------------- */

/* One line of valid UTF-8, at most the cap; blank only when not required. */
static bool subject_ok(const char *s, bool required)
{
	if (text_blank(s))
		return !required;
	size_t n = strlen(s);
	return text_valid_line(s, n) && text_utf8_len(s, n) <= COUNSELLOR_LOG_SUBJECT_MAX_CHARS;
}

/* Fills errs. Runs inside the write transaction, so the unit it checks
 * cannot be removed before the entry that names it is stored. Fields that
 * do not belong to the kind must be empty (asked is ignored for them). */
static int validate(struct vd *vd, const struct principal *who, struct arena *a,
		    const struct counsellor_log_input *in, struct counsellor_log_errors *errs, int64_t *on_day)
{
	memset(errs, 0, sizeof *errs);
	errs->bad[CLF_KIND] = !in_list(counsellor_log_kinds, in->kind);
	errs->bad[CLF_DATE] = !date_parse(in->on_date, on_day) || *on_day > date_of(clock_now());
	bool advice = !errs->bad[CLF_KIND] && strcmp(in->kind, "advice") == 0;
	bool question = !errs->bad[CLF_KIND] && strcmp(in->kind, "question") == 0;
	if (advice || question) {
		struct unit_list units;
		int rc = in->unit_id > 0 ? unit_list(vd, a, &units) : VD_OK;
		if (rc)
			return rc;
		errs->bad[CLF_UNIT] = in->unit_id <= 0 || !unit_by_id(&units, in->unit_id);
	}
	if (question && !errs->bad[CLF_UNIT]) {
		/* a question counts in the annual report of its unit (and can
		 * decide whether it is big enough for one): only a unit one serves */
		struct unit_list all;
		struct id_list served;
		int rc = served_units(vd, who, a, &all, &served);
		if (rc)
			return rc;
		errs->bad[CLF_UNIT] = !unit_served(&served, in->unit_id);
	}
	errs->bad[CLF_REPORTER_TYPE] = question ? !in_list(reporter_types, in->reporter_type)
						: in->reporter_type && *in->reporter_type;
	if (advice) {
		errs->bad[CLF_ASKED] = in->asked != 0 && in->asked != 1;
		errs->bad[CLF_AUDIENCE] = !in_list(counsellor_log_audiences, in->audience);
		errs->bad[CLF_MINUTES] = in->minutes != 0;
		errs->bad[CLF_SUBJECT] = !subject_ok(in->subject, true);
	} else if (question) {
		errs->bad[CLF_AUDIENCE] = in->audience && *in->audience;
		errs->bad[CLF_MINUTES] = in->minutes < 0 || in->minutes > COUNSELLOR_LOG_MINUTES_MAX;
		errs->bad[CLF_SUBJECT] = !subject_ok(in->subject, false);
	} else if (!errs->bad[CLF_KIND]) {
		bool training = strcmp(in->kind, "training") == 0;
		errs->bad[CLF_UNIT] = in->unit_id != 0;
		errs->bad[CLF_AUDIENCE] = in->audience && *in->audience;
		errs->bad[CLF_MINUTES] = in->minutes < 1 || in->minutes > COUNSELLOR_LOG_MINUTES_MAX;
		/* a training may have a topic; a supervision session is not described */
		errs->bad[CLF_SUBJECT] = training ? !subject_ok(in->subject, false) : !text_blank(in->subject);
	}
	for (int i = 0; i < CLF_COUNT; i++)
		errs->any |= errs->bad[i];
	return VD_OK;
}

/* ---- the sealed subject ------------------------------------------------------ */

/* The first line of a sealed subject: which entry it belongs to. The id is
 * not known before the insert; user, kind, date and the second it was
 * written name the entry just as well. (The date as "YYYY-MM-DD", as it was
 * stored before dates became epoch days, so older entries still open.) */
static char *binding(struct arena *a, const struct counsellor_log_rec *e)
{
	char day[DATE_LEN + 1];
	date_format(e->on_day, day);
	return arena_printf(a, "vertrouwd log %lld %s %s %lld\n", (long long)e->user_id, e->kind, day,
			    (long long)e->created_at);
}

/* Seals the binding line and subject to pk; *out lives in a. */
static int seal_subject(struct arena *a, const unsigned char pk[CRYPTO_PK_LEN], const struct counsellor_log_rec *e,
			const char *subject, const unsigned char **out, size_t *out_len)
{
	char *head = binding(a, e);
	size_t hn = head ? strlen(head) : 0, sn = strlen(subject);
	char *plain = head ? arena_alloc(a, hn + sn + 1) : NULL;
	unsigned char *sealed = plain ? arena_alloc(a, hn + sn + CRYPTO_SEAL_OVERHEAD) : NULL;
	if (!sealed)
		return VD_ERR_NOMEM;
	memcpy(plain, head, hn);
	memcpy(plain + hn, subject, sn);
	crypto_seal(pk, plain, hn + sn, sealed);
	crypto_wipe(plain, hn + sn);
	*out = sealed;
	*out_len = hn + sn + CRYPTO_SEAL_OVERHEAD;
	return VD_OK;
}

/* Opens e's subject into out; unreadable when sk does not open it, or it
 * names another entry. */
static int open_subject(struct arena *a, const unsigned char pk[CRYPTO_PK_LEN], const unsigned char *sk,
			const struct counsellor_log_rec *e, struct counsellor_log_entry *out)
{
	out->subject = "";
	out->unreadable = false;
	if (!e->subject)
		return VD_OK;
	out->unreadable = true;
	if (e->subject_len <= CRYPTO_SEAL_OVERHEAD)
		return VD_OK;
	size_t n = e->subject_len - CRYPTO_SEAL_OVERHEAD;
	char *plain = arena_alloc(a, n + 1);
	char *head = binding(a, e);
	if (!plain || !head)
		return VD_ERR_NOMEM;
	if (crypto_unseal(pk, sk, e->subject, e->subject_len, plain) != VD_OK)
		return VD_OK;
	size_t hn = strlen(head);
	if (n >= hn && memcmp(plain, head, hn) == 0 && text_valid_line(plain + hn, n - hn)) {
		out->subject = plain + hn;
		out->unreadable = false;
	} else {
		crypto_wipe(plain, n);
	}
	return VD_OK;
}

/* who's public key; VD_ERR_AUTH when they have no key pair. */
static int own_key(struct vd *vd, const struct principal *who, struct user_key_rec *k)
{
	int rc = vd->store->ops->user_key_get(vd->store, who->user_id, k);
	return rc == VD_ERR_NOTFOUND ? VD_ERR_AUTH : rc;
}

/* ---- the operations ------------------------------------------------------------ */

int counsellor_log_add(struct vd *vd, const struct principal *who, const struct counsellor_log_input *in,
		       int64_t *id, struct counsellor_log_errors *errs)
{
	memset(errs, 0, sizeof *errs);
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	struct store *s = vd->store;
	struct user_key_rec k;
	int rc = own_key(vd, who, &k);
	if (rc)
		return rc;
	struct counsellor_log_rec e = { 0 };
	int64_t on_day = DATE_NONE;
	struct arena a;
	arena_init(&a, 0);
	rc = s->ops->begin(s);
	if (rc)
		goto out;
	rc = validate(vd, who, &a, in, errs, &on_day);
	if (rc == VD_OK && errs->any)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK) {
		bool advice = strcmp(in->kind, "advice") == 0, question = strcmp(in->kind, "question") == 0;
		e = (struct counsellor_log_rec){
			.user_id = who->user_id, .kind = in->kind, .on_day = on_day,
			.unit_id = advice || question ? in->unit_id : 0, .asked = advice ? in->asked : 0,
			.audience = advice ? in->audience : "", .minutes = advice ? 0 : in->minutes,
			.reporter_type = question ? in->reporter_type : "", .created_at = clock_now(),
		};
		if (!text_blank(in->subject))
			rc = seal_subject(&a, k.public_key, &e, in->subject, &e.subject, &e.subject_len);
	}
	if (rc == VD_OK)
		rc = s->ops->counsellor_log_insert(s, &e, id);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "log.add", "log_entry", *id);
	rc = app_end(vd, rc, 0);
out:
	arena_release_wipe(&a);
	return rc;
}

int counsellor_log_page(struct vd *vd, const struct principal *who, struct arena *a,
			const struct counsellor_log_cursor *after, size_t per_page, struct counsellor_log_entry **out,
			size_t *n, bool *more, struct counsellor_log_cursor *next)
{
	*out = NULL;
	*n = 0;
	*more = false;
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	if (per_page < 1 || per_page > 200)
		return VD_ERR_INVALID;
	struct user_key_rec k;
	unsigned char sk[CRYPTO_SK_LEN];
	int rc = own_key(vd, who, &k);
	if (rc == VD_OK)
		rc = principal_secret_key(who, sk);
	if (rc)
		return rc;
	struct counsellor_log_recs l;
	struct counsellor_log_cursor_rec from;
	if (after)
		from = (struct counsellor_log_cursor_rec){ after->on_day, after->id };
	/* One entry more than asked tells whether a next page exists, without counting. */
	rc = vd->store->ops->counsellor_log_list(vd->store, a, who->user_id, after ? &from : NULL, per_page + 1, &l);
	if (rc) {
		crypto_wipe(sk, sizeof sk);
		return rc;
	}
	if (l.n > per_page) {
		*more = true;
		l.n = per_page;
		const struct counsellor_log_rec *last = &l.items[per_page - 1];
		*next = (struct counsellor_log_cursor){ last->on_day, last->id };
	}
	struct counsellor_log_entry *items = arena_array(a, l.n, sizeof *items);
	if (!items)
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < l.n; i++) {
		const struct counsellor_log_rec *e = &l.items[i];
		items[i] = (struct counsellor_log_entry){
			.id = e->id, .kind = e->kind, .on_day = e->on_day, .unit_id = e->unit_id,
			.asked = e->asked != 0, .audience = e->audience, .minutes = e->minutes,
			.reporter_type = e->reporter_type, .created_at = e->created_at,
		};
		rc = open_subject(a, k.public_key, sk, e, &items[i]);
	}
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK) {
		*out = items;
		*n = l.n;
	}
	return rc;
}

int counsellor_log_remove(struct vd *vd, const struct principal *who, int64_t id)
{
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	/* The store deletes only a row of who's own: anyone else's is "not found". */
	rc = s->ops->counsellor_log_delete(s, who->user_id, id);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "log.delete", "log_entry", id);
	return app_end(vd, rc, 0);
}

int counsellor_log_own_totals(struct vd *vd, const struct principal *who, int year,
			      struct counsellor_log_totals *out)
{
	memset(out, 0, sizeof *out);
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	if (year < COUNSELLOR_LOG_FIRST_YEAR || year > 9998)
		return VD_ERR_INVALID;
	struct counsellor_log_totals_rec t;
	int rc = vd->store->ops->counsellor_log_totals(vd->store, date_year_start(year), date_year_start(year + 1), 0,
						       who->user_id, &t);
	if (rc == VD_OK)
		*out = (struct counsellor_log_totals){ t.advice_asked, t.advice_unasked, t.advice_manager,
						       t.advice_board, t.training_entries, t.training_minutes,
						       t.supervision_sessions, t.supervision_minutes, t.questions };
	return rc;
}

int counsellor_log_question_units(struct vd *vd, const struct principal *who, struct arena *a,
				  struct unit_list *tree, int **depth)
{
	if (who->role != ROLE_COUNSELLOR)
		return VD_ERR_DENIED;
	return served_unit_tree(vd, who, a, tree, depth);
}
