/*
 * complaint_parties: the people a complaint is between, besides the
 * committee (issue 8, DESIGN.md §3): the complainant, the accused (a party
 * with rights: informed, given the complaint, heard, may respond to the
 * minutes) and the counsellor who supports the complainant when they name
 * one; the letters that go between them and the committee, and the
 * hearings with their minutes.
 *
 * Each party sees exactly their part: the letters to and from them, the
 * hearings they are invited to, the minutes of those hearings and the
 * decision. The complainant and the accused come in with a receipt code of
 * their own (the complaint key wrapped under it, as a reporter's), a
 * supporting counsellor with their account (the key sealed to it); the
 * counsellor never sees the committee's file. A party's name and contact
 * details are under the complaint key; the accused never gets the
 * complainant's contact details unless the committee records that the
 * complainant agreed to share them.
 */
#ifndef VD_COMPLAINT_PARTIES_H
#define VD_COMPLAINT_PARTIES_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "app.h"
#include "cases.h"
#include "casework.h"
#include "complaint_flow.h"
#include "receipt.h"

enum party_role { PR_COMPLAINANT, PR_ACCUSED, PR_SUPPORTER, PR_COUNT };
/* "complainant", "accused", "supporter": as stored and as translation keys. */
extern const char *const party_role_names[PR_COUNT];

/* What a letter is. The committee sends: the confirmation of receipt, a
 * step of the procedure with its reasons, the complaint itself (to the
 * accused), an invitation to a hearing, its minutes, the notice of an
 * extension, a message. A party writes: a response (the accused's written
 * response, or anything a party sends), a reaction to minutes. */
enum letter_kind { LK_RECEIPT, LK_STEP, LK_COMPLAINT, LK_INVITATION, LK_MINUTES, LK_EXTENSION, LK_MESSAGE,
		   LK_RESPONSE, LK_REACTION, LK_COUNT };
extern const char *const letter_kind_names[LK_COUNT];

#define PARTY_NAME_MAX_CHARS 200
#define PARTY_PHONE_MAX_CHARS 40
#define LETTER_MAX_CHARS 20000
#define LETTERS_SHOWN 200
#define HEARING_TEXT_MAX_CHARS 500
#define MINUTES_MAX_CHARS 60000
#define PARTIES_MAX 16 /* far more than a complaint has */
#define LETTER_EXTRAS 6 /* the texts a letter's kind carries besides what it says */

struct party_view {
	int64_t id;
	enum party_role role;
	const char *name, *email, *phone; /* a supporter's: their account's name */
	int64_t user_id;                  /* a supporter's account */
	int64_t created_at;
	bool has_code;
};

struct letter_view {
	int64_t id, party_id;
	bool outgoing;                 /* from the committee to the party */
	enum letter_kind kind;
	enum complaint_step step;      /* with LK_STEP; CS_COUNT otherwise */
	int64_t hearing_id;            /* with an invitation, minutes or a reaction; 0 */
	int64_t at;
	const char *text;              /* LK_EXTENSION: the new due day, YYYY-MM-DD */
	struct {                       /* LK_COMPLAINT: the complaint as the accused got it (name ..
					* asks); LK_RECEIPT: as the complainant filed it (account ..
					* files, the names of the files sent with it) */
		const char *name, *email, *phone, *account, *when, *asks, *files;
	} copy;
	struct {                       /* LK_INVITATION: the hearing's time and place */
		const char *time, *place;
		bool jointly;
	} invite;
};

/* What one person heard said of the minutes: "pending", "approved",
 * "remarks", or "deemed" (no reaction within the term: approved). */
struct heard_view {
	int64_t party_id;
	const char *approval;
	int64_t reacted_day;
};

struct hearing_view {
	int64_t id, on_day;
	const char *time, *place, *witnesses, *supporters;
	bool jointly;                  /* the parties heard together (separately is the default) */
	const char *minutes;           /* "" until sent */
	int64_t minutes_day, minutes_due_day; /* 0 until sent */
	struct heard_view *heard;
	size_t nheard;
};

/* A complaint's parties, letters and hearings as the committee sees them
 * (complaint_open fills these in struct complaint_file). */
struct complaint_sides {
	struct party_view *parties;
	size_t nparties;
	struct letter_view *letters;   /* to and from every party, oldest first */
	size_t nletters;
	struct hearing_view *hearings;
	size_t nhearings;
};

/* ---- the committee's side (a member who may open the complaint) ---------- */

enum party_field { PY_ROLE, PY_NAME, PY_EMAIL, PY_PHONE, PY_COUNSELLOR };
struct party_input {
	enum party_role role;
	const char *name, *email, *phone; /* complainant or accused; e-mail and phone optional */
	int64_t counsellor_id;            /* a supporter: a counsellor with a key pair */
};

/* Adds a party. The complainant and the accused get a receipt code, in
 * code (shown once, to pass on by letter; the caller wipes it; "" for a
 * supporter), to open their mailbox at LINK_COMPLAINT_MAILBOX. One
 * complainant and one supporter per complaint; PY_ROLE when taken. Audited;
 * VD_ERR_INVALID with errs set when refused, nothing stored. */
int complaint_party_add(struct vd *vd, const struct principal *who, int64_t id, const struct party_input *in,
			field_errors *errs, char code[RECEIPT_TEXT_LEN + 1]);

enum letter_field { LF_PARTY, LF_TEXT };
/* A message from the committee to one of the complaint's parties. */
int complaint_letter_send(struct vd *vd, const struct principal *who, int64_t id, int64_t party_id,
			  const char *text, field_errors *errs);

enum hearing_field { HF_DAY, HF_TIME, HF_PLACE, HF_HEARD, HF_WITNESSES, HF_SUPPORTERS, HF_JOINTLY, HF_STEP };
struct hearing_input {
	const char *day;                /* YYYY-MM-DD */
	const char *time, *place;       /* free text, optional */
	const int64_t *heard;           /* the parties invited to be heard (complainant or accused) */
	size_t nheard;
	bool jointly;                   /* more than one heard: together, on purpose */
	const char *witnesses, *supporters; /* free text, optional */
};
/* Plans a hearing while the complaint is at the hearings step: each heard
 * party (and the supporter, when the complainant is heard) gets an
 * invitation. The parties are heard separately unless jointly is set
 * (HF_JOINTLY when two are heard without it). */
int complaint_hearing_add(struct vd *vd, const struct principal *who, int64_t id, const struct hearing_input *in,
			  field_errors *errs, int64_t *hearing_id);

enum minutes_field { MN_HEARING, MN_TEXT };
/* Sends a hearing's minutes (once) to each person heard there, who can
 * approve them or give remarks; they count as approved when nobody reacted
 * within the minutes term (complaint_term_rule). */
int complaint_minutes_send(struct vd *vd, const struct principal *who, int64_t id, int64_t hearing_id,
			   const char *text, field_errors *errs);

/* ---- a party's side ----------------------------------------------------- */

/* A party's mailbox: what the complaint is at, their letters and their
 * hearings, and, for the complainant, the complaint as they filed it. */
struct party_mailbox {
	int64_t complaint_id, party_id, received_day;
	enum complaint_step step;
	enum party_role role;
	const char *account, *when, *asks; /* the complainant's own complaint; "" for others */
	const char *files_sent;             /* the names of the files they sent with it, a line each */
	struct letter_view *letters;
	size_t nletters;
	struct hearing_view *hearings;      /* where they are heard (a supporter: the complainant's) */
	size_t nhearings;
	bool pending_minutes;               /* minutes wait for their reaction */
};

/* Opens the mailbox of the party whose code was typed (see report_view for
 * result and the throttle). */
int complaint_mailbox_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
			   struct party_mailbox *out, enum code_result *result, int64_t *retry_after);

/* The party writes to the committee (an LK_RESPONSE). VD_ERR_INVALID for an
 * empty or too long text; VD_ERR_THROTTLED (*retry_after) when this source
 * sent too much, as for reports; a reload that resends their last letter
 * stores nothing. */
int complaint_mailbox_write(struct vd *vd, struct arena *a, const char *typed, const void *source,
			    size_t source_len, const char *text, enum code_result *result, int64_t *retry_after);

/* The party reacts to the minutes of a hearing they were heard at, once,
 * within the term: approved, or remarks (the remarks are a letter). */
enum reaction_field { RX_HEARING, RX_CHOICE, RX_REMARKS };
int complaint_mailbox_react(struct vd *vd, struct arena *a, const char *typed, const void *source,
			    size_t source_len, int64_t hearing_id, bool approve, const char *remarks,
			    field_errors *errs, enum code_result *result, int64_t *retry_after);

/* The complaints a counsellor supports: their ids, newest first. */
int complaint_supported(struct vd *vd, const struct principal *who, struct arena *a, struct id_list *out);

/* The supporting counsellor's view of complaint id: the same as a party's
 * mailbox. VD_ERR_NOTFOUND for anyone who is not its supporter. */
int complaint_support_view(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
			   struct party_mailbox *out);

#endif
