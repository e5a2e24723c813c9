/* internal/complaints: what complaints.c and complaint_steps.c share, and
 * how forward.c (and later the public form) files a new complaint. */
#ifndef VD_INTERNAL_COMPLAINTS_H
#define VD_INTERNAL_COMPLAINTS_H

#include "../complaint_parties.h"
#include "../complaints.h"
#include "../receipt.h"
#include "app.h"
#include "serving.h"

/* The complaint and its key for a committee member who may open it (see
 * complaints.h): VD_ERR_NOTFOUND for anyone else, VD_ERR_NOKEY without a
 * key in the session, VD_ERR_AUTH when it does not open. The caller wipes
 * key. */
int complaint_member_key(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
			 struct complaint_rec *rec, unsigned char key[CRYPTO_KEY_LEN]);

/* The committee members who receive a complaint about unit: active, with a
 * key pair, attached to the unit or one above it; key sealed to each into
 * *out (in a), *n of them (0: nobody can receive it). */
int complaint_committee_keys(struct vd *vd, struct arena *a, int64_t unit, const unsigned char key[CRYPTO_KEY_LEN],
			     struct case_key_rec **out, size_t *n);

/* Whether who may see and change complaint c: a committee member who
 * serves its unit or one above and holds a key to it (into *key_row unless
 * NULL). VD_ERR_NOTFOUND if not. */
int complaint_member_check(struct vd *vd, const struct principal *who, struct arena *a,
			   const struct complaint_rec *c, struct case_key_rec *key_row);

/* The additional data that binds a complaint's texts to it: its content to
 * the complaint, a step's reasons to the step (complaint, moment, from, to). */
void complaint_content_ad(const struct complaint_rec *c, char ad[64]);
void complaint_reason_ad(const struct complaint_move_rec *m, char ad[96]);

/* Files complaint c (content, channel, unit, case, by, and the day of the
 * last incident if known: the caller's) with its readers' keys: received
 * on c->received_day (0: today), the terms of receipt started from then.
 * Inside the caller's transaction or on its own. */
int complaint_file_new(struct vd *vd, struct arena *a, struct complaint_rec *c, const struct case_key_rec *keys,
		       size_t nkeys, int64_t *id);

/* Starts a term of kind for c from day (hearing_id: the minutes term's
 * hearing, 0 otherwise), inside the caller's transaction. */
int complaint_term_start(struct vd *vd, const struct complaint_rec *c, enum complaint_term kind, int64_t day,
			 int64_t hearing_id);

/* Recounts the due days of c's open terms (after a pause, an extension, a
 * step) and sets c->next_due_day; the caller writes c. */
int complaint_recount(struct vd *vd, struct arena *a, struct complaint_rec *c);

/* The terms of c as terms.h counts them, into out[0..n) (at most 64). */
int complaint_terms_of(struct vd *vd, struct arena *a, const struct complaint_rec *c,
		       struct complaint_term_recs *recs, struct term **out);

/* At serve start: starts the terms of open complaints that have none
 * (forwarded before the procedure existed) as received on the day they
 * came in, and recounts every open complaint's clocks when the holidays
 * differ from those they were counted with (a decree day added). Audited
 * as the system's. */
int complaints_refresh(struct vd *vd);

/* The reminders of a term (complaint_term_rec.reminded): three working
 * days before its end, and after it. */
#define REMIND_SOON 1
#define REMIND_LATE 2
#define REMIND_WORKING_DAYS 3

/* Queues the reminders that are due today (see complaint_reminders.c). */
int complaints_remind(struct vd *vd);

/* ---- parties and letters (complaint_parties.c) ---- */

#define PARTIES_LISTED 64 /* what complaint_party_list gives */

/* A letter to write: to the party (outgoing) or from it. text says what it
 * is; extra, when set, the LETTER_EXTRAS texts its kind carries (see
 * struct letter_view). */
struct letter_out {
	bool outgoing;
	enum letter_kind kind;
	const char *step;
	int64_t hearing_id, by;
	const char *text;
	const char *const *extra;
};

void complaint_letter_ad(const struct complaint_letter_rec *l, char ad[128]);

/* The complaint's parties with their names and contact details, in *out. */
int complaint_parties_load(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			   int64_t complaint_id, struct party_view **out, size_t *n);
const struct party_view *complaint_party_find(const struct party_view *ps, size_t n, enum party_role role);

/* A party's own key: from their code (kek from code_finish), or through the
 * complaint key (the committee's way). */
int complaint_party_key_by_code(const struct complaint_party_rec *p, const unsigned char kek[CRYPTO_KEY_LEN],
				unsigned char key[CRYPTO_KEY_LEN]);
int complaint_party_key_by_complaint(const struct complaint_party_rec *p,
				     const unsigned char complaint_key[CRYPTO_KEY_LEN], unsigned char key[CRYPTO_KEY_LEN]);

/* Every letter of the complaint (the committee's view, with the complaint
 * key), or those to and from one party (with that party's key). */
int complaint_letters_all(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			  int64_t complaint_id, struct letter_view **out, size_t *n);
int complaint_letters_of_party(struct vd *vd, struct arena *a, const unsigned char party_key[CRYPTO_KEY_LEN],
			       int64_t complaint_id, int64_t party_id, struct letter_view **out, size_t *n);

/* Stores letter l to (or from) party to under that party's key, inside the
 * caller's transaction; an outgoing one queues a content-free mail to the
 * party. complaint_letter_to does the same with the complaint key. */
int complaint_letter_add(struct vd *vd, struct arena *a, const unsigned char party_key[CRYPTO_KEY_LEN],
			 int64_t complaint_id, const struct party_view *to, const struct letter_out *l);
int complaint_letter_to(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			int64_t complaint_id, const struct party_view *to, const struct letter_out *l);

/* Whether accused party_id was given the complaint. */
int complaint_accused_informed(struct vd *vd, int64_t party_id, bool *informed);

/* A new party, ready to store: its row (complaint_id may still be 0),
 * its own key, and its code into code unless a supporter (the slow part:
 * before the transaction). complaint_party_forget wipes it. */
struct party_new {
	struct complaint_party_rec rec;
	unsigned char key[CRYPTO_KEY_LEN];
	struct receipt receipt;
};
int complaint_party_prepare(struct vd *vd, struct arena *a, const unsigned char complaint_key[CRYPTO_KEY_LEN],
			    int64_t complaint_id, const struct party_input *in, int64_t by,
			    char code[RECEIPT_TEXT_LEN + 1], struct party_new *out);
void complaint_party_forget(struct party_new *pn);

/* Tells the parties of a move into step to (inside the caller's
 * transaction): a step letter with the reasons to those who hear of it,
 * and, on informing the accused, the complaint to each accused who has not
 * had it. *no_accused with VD_ERR_INVALID when there is nobody to inform. */
int complaint_tell_step(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			const struct complaint_rec *c, enum complaint_step to, const char *reason, bool share_contact,
			int64_t by, bool *no_accused);

/* Notice of an extension of the decision term, to both parties. */
int complaint_tell_extension(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			     const struct complaint_rec *c, int64_t due_day, int64_t by);

/* The complaint's hearings as the committee sees them, with their minutes. */
int complaint_hearings_load(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN],
			    int64_t complaint_id, struct hearing_view **out, size_t *n);

/* The hearings party_id is invited to, from their own letters (the
 * invitations and the minutes sent to them) and what is kept in the clear
 * (the day, who was heard, the reactions). */
int complaint_party_hearings(struct vd *vd, struct arena *a, int64_t complaint_id, int64_t party_id,
			     const struct letter_view *letters, size_t nletters, struct hearing_view **out, size_t *n);

/* What complaints.c's decrypt_content gives, for the copy to the accused. */
int complaint_content_open(struct arena *a, const struct complaint_rec *c, const unsigned char key[CRYPTO_KEY_LEN],
			   struct complaint_file *out);

/* Party p reacts to hearing_id's minutes (see complaint_mailbox_react),
 * in a transaction of its own; key is the party's. */
int complaint_heard_react(struct vd *vd, struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], int64_t id,
			  const struct party_view *p, int64_t hearing_id, bool approve, const char *remarks,
			  field_errors *errs);

/* From the housekeeping: minutes nobody reacted to within their term count
 * as approved; their terms are met on their due day. */
int complaints_minutes_lapse(struct vd *vd);

#endif
