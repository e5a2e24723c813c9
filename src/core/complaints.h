/*
 * complaints: the complaints committee's files (issue 8, DESIGN.md §2-§3):
 * the list of a member's complaints with the next deadline of each, a
 * complaint with what the complainant shared, its clocks and the steps
 * taken, and the moves of the procedure (complaint_flow.h) with their
 * terms (terms.h).
 *
 * Only a committee member who holds the complaint's key (it was sealed to
 * the members of its unit and the units above when it came in) and still
 * serves that unit or one above it gets anywhere; anyone else, whatever
 * their role (the counsellor who forwarded it too: the committee's file is
 * not theirs), gets VD_ERR_NOTFOUND. Every change is one transaction with
 * its audit entry. The step and the days are kept in the clear (*stat*, for
 * the annual report and the list); what people wrote is under the
 * complaint's key.
 */
#ifndef VD_COMPLAINTS_H
#define VD_COMPLAINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "app.h"
#include "cases.h"
#include "casework.h"
#include "complaint_flow.h"
#include "complaint_parties.h"
#include "files.h"
#include "terms.h"
#include "units.h"

#define COMPLAINT_REASON_MAX_CHARS 8000
#define COMPLAINTS_PAGE 50
#define COMPLAINT_MOVES_LISTED 200
/* How often one complaint's clocks can stop, and its decision term be
 * extended: far beyond any real procedure, and what one record keeps. */
#define COMPLAINT_PAUSES_MAX 32
#define COMPLAINT_EXTENSIONS_MAX 16

enum complaint_list_kind { CL_OPEN, CL_OVERDUE, CL_CLOSED };

struct complaint_line {
	int64_t id, received_day;
	int64_t next_due_day;      /* 0: none (paused, or no open term) */
	enum complaint_step step;
	bool forwarded;            /* by a counsellor, with the reporter's consent */
	const char *channel;       /* complaint_channels */
	bool filed_late;
	bool overdue;              /* the next due day has passed */
};
struct complaint_lines {
	struct complaint_line *items;
	size_t n;
	bool more;                 /* there is a next page */
};

/* Page page (0-based) of who's complaints of kind. VD_ERR_DENIED for anyone
 * but a committee member. */
int complaint_list(struct vd *vd, const struct principal *who, struct arena *a, enum complaint_list_kind kind,
		   size_t page, struct complaint_lines *out);

/* A running clock in the overview of all of them. */
struct complaint_clock {
	int64_t complaint_id, term_id;
	enum complaint_term kind;
	int64_t start_day, due_day;
	int working_days_left;     /* 0 from the due day on */
	bool overdue;
};
struct complaint_clocks {
	struct complaint_clock *items;
	size_t n;
	bool more;
};

/* Page page of the running clocks of who's open complaints, the soonest
 * end first (overdue ones first of all). VD_ERR_DENIED for anyone but a
 * committee member. */
int complaint_clock_list(struct vd *vd, const struct principal *who, struct arena *a, size_t page,
			 struct complaint_clocks *out);

struct complaint_term_view {
	int64_t id;
	enum complaint_term kind;
	int64_t start_day, due_day, met_day; /* due_day 0: stopped by a pause */
	int length;
	enum term_unit unit;
	enum term_state state;
	int working_days_left;               /* -1: no due day */
	size_t nextensions;
	int64_t extended_days;               /* all its extensions together */
	bool extendable;                     /* open, and extensions are allowed for it */
};

struct complaint_step_view {
	int64_t at, by;
	enum complaint_step from, to;
	const char *reason;                  /* "" when none was given */
};

struct complaint_file {
	int64_t id, case_id, unit_id, received_day, last_incident_day;
	enum complaint_step step, before;    /* before: the step mediation interrupted */
	bool open, filed_late, paused;
	/* What the complainant shared (for a forwarded complaint, what the
	 * reporter agreed to pass on, and the counsellor's summary). */
	const char *name, *email, *phone, *contact_pref, *account, *when, *hopes, *summary;
	const char *accused;                 /* who it is about ("" when not named) */
	const char *advice;                  /* complaint_advice_kinds, "" before the advice */
	int64_t measures;                    /* bit set of enum measure, 0 before the decision */
	const char *channel;                 /* complaint_channels */
	struct complaint_term_view *terms;
	size_t nterms;
	struct complaint_step_view *steps;
	size_t nsteps;
	enum complaint_step next[CS_COUNT];  /* the moves the table allows from here */
	size_t nnext;
	struct complaint_sides sides;        /* parties, letters, hearings */
	struct case_file *files;             /* what came with it, oldest first */
	size_t nfiles;
};

/* How a complaint came in, as stored and as translation keys: forwarded by
 * a counsellor, by e-mail or letter (entered by the committee's secretary),
 * or through the public form. NULL-terminated. */
extern const char *const complaint_channels[];

/*
 * A complaint that reached the committee by e-mail or letter, entered by a
 * member (the secretary): the complainant is never anonymous towards the
 * committee, so a name and a way to reach them (e-mail or phone) are
 * required, and so are who it is about and what happened.
 */
enum entry_field {
	EF_UNIT, EF_CHANNEL, EF_RECEIVED, EF_NAME, EF_CONTACT, EF_EMAIL, EF_PHONE, EF_ACCUSED, EF_ACCOUNT,
	EF_WHEN, EF_INCIDENT, EF_ASKS, EF_COMMITTEE, EF_FILES /* the web's: files it refused */
};
struct complaint_entry {
	int64_t unit_id;         /* a unit the member serves */
	const char *channel;     /* "email" or "letter" */
	const char *received_on; /* YYYY-MM-DD: the day it came in (its terms count from then) */
	const char *name, *email, *phone;
	const char *accused;     /* who it is about */
	const char *account;     /* what happened */
	const char *when;        /* when, in the complainant's words (optional) */
	const char *last_incident; /* YYYY-MM-DD or "" */
	const char *asks;        /* what the complainant asks for (optional) */
	struct upload *const *files; /* finished uploads: the letter, or what the complainant sent with it */
	size_t nfiles;
};
#define ENTRY_NAME_MAX_CHARS 200
#define ENTRY_PHONE_MAX_CHARS 40
#define ENTRY_ACCOUNT_MAX_CHARS 20000
#define ENTRY_WHEN_MAX_CHARS 500
#define ENTRY_ASKS_MAX_CHARS 4000
#define ENTRY_RECEIVED_MAX_DAYS 366 /* how far back the day it came in may lie */

/* Files it, sealed to the committee members of its unit and the units
 * above, audited; *id the new complaint. VD_ERR_INVALID with errs set when
 * refused, nothing stored. Only for a committee member (VD_ERR_DENIED). */
int complaint_enter(struct vd *vd, const struct principal *who, const struct complaint_entry *in,
		    field_errors *errs, int64_t *id);

/* A complaint filed by the complainant through the public form
 * (LINK_COMPLAINT_FORM): the same fields as an entry but for the channel and
 * the day (today), about any unit with a committee. The complainant gets a
 * receipt code in code (shown once; the caller wipes it) for their mailbox,
 * with the confirmation of receipt in it. VD_ERR_THROTTLED with
 * *retry_after when this source sent too many (as reports); VD_ERR_INVALID
 * with errs. */
int complaint_file_public(struct vd *vd, const struct complaint_entry *in, const void *source, size_t source_len,
			  field_errors *errs, int64_t *id, char code[RECEIPT_TEXT_LEN + 1], int64_t *retry_after);

/* The units who may enter a complaint for: those they serve and below, in
 * tree order (units.h's unit_tree), into out. */
int complaint_entry_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out,
			  int **depth);

/* Opens the complaint (recorded in the audit log). */
int complaint_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		   struct complaint_file *out);

/* A file of the complaint for a member who may open it (audited): as
 * case_file_open. */
int complaint_file_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *file_id,
			struct case_file *info, struct file_reader **reader);

/* Does the move from -> to need reasons? Not admissible, the advice and the
 * board's decision are reasoned. */
bool complaint_move_needs_reason(enum complaint_step to);

/* The committee's advice, kept in the clear for the annual report:
 * "well_founded", "partly_well_founded", "unfounded". NULL-terminated. */
extern const char *const complaint_advice_kinds[];

/* The measures the board can take, as a bit set (1 << enum measure). "none"
 * stands alone. */
enum measure { MS_NONE, MS_CONVERSATION, MS_WARNING, MS_TRAINING, MS_MEDIATION, MS_SUSPENSION, MS_EXPULSION,
	       MS_OTHER, MS_COUNT };
extern const char *const complaint_measure_names[MS_COUNT];

enum complaint_move_field { MF_STEP, MF_REASON, MF_ADVICE, MF_MEASURES, MF_ACCUSED };

struct complaint_move_input {
	enum complaint_step from, to;
	const char *reason;   /* may be "" where none are needed */
	const char *advice;   /* with the move to the advice: one of complaint_advice_kinds */
	int64_t measures;     /* with the board's decision: what it decided to do */
	bool share_contact;   /* informing the accused: the complainant agreed to share their contact details */
};

/*
 * Moves the complaint from step from to step to, if it is still at from
 * and the table allows it; the terms the step starts begin today, those it
 * ends are met today, and mediation or a request to complete stops the
 * others until it ends. The advice says whether the complaint is
 * well-founded, the decision which measures the board takes. The parties
 * hear of the step in their mailbox (complaint_parties.h); informing the
 * accused sends them the complaint, and needs an accused party
 * (MF_ACCUSED). VD_ERR_INVALID with errs set when refused.
 */
int complaint_move(struct vd *vd, const struct principal *who, int64_t id, const struct complaint_move_input *in,
		   field_errors *errs);

enum extension_field { XF_DAYS, XF_BASIS, XF_CONSENT_DAY, XF_CONSENT, XF_TERM };

/* An extension of term term_id, which must be one the regulation lets be
 * extended (the decision term; XF_TERM otherwise): days
 * (1..TERM_MAX_EXTENSION_DAYS), on basis "notice" or "consent"; with
 * consent, the day the complainant gave it in writing ("YYYY-MM-DD", from
 * the day the complaint came in to today). One extension on notice within
 * the term's limit; anything more needs consent (errs XF_CONSENT,
 * VD_ERR_DENIED). */
struct extension_input {
	const char *days, *basis, *consent_on;
};
int complaint_extend(struct vd *vd, const struct principal *who, int64_t id, int64_t term_id,
		     const struct extension_input *in, field_errors *errs);

enum incident_field { IF_DATE };

/* The day of the last incident ("YYYY-MM-DD", not after the complaint came
 * in), for the flag on a complaint made more than a year after it. */
int complaint_set_last_incident(struct vd *vd, const struct principal *who, int64_t id, const char *date,
				field_errors *errs);

#endif
