/*
 * whistle: the whistleblower channel (meldregeling klokkenluiders, Wet
 * bescherming klokkenluiders; issue 10, DESIGN.md §2 route 4 and §3).
 *
 * Anyone who works for or with the organisation, paid or volunteer, former
 * ones too, reports suspected wrongdoing through its own public form
 * (LINK_WB_FORM), anonymously or by name, and gets a receipt code for a
 * mailbox (LINK_WB_MAILBOX). An integrity officer records an oral report or
 * a meeting, and its minutes go to that mailbox, where the reporter approves
 * or corrects them. Every report is in the register, with its channel,
 * dates, category, the two clocks (wb_clocks.h) and the outcome.
 *
 * Three keys per report. The report key, sealed to the integrity officers
 * of the unit and the units above when it came in, opens the officers'
 * investigation notes and the reasons identity was opened. The mailbox key
 * (under the report key and under the reporter's code) opens what the
 * reporter and the officers share: the report as made, the messages, the
 * minutes, the questions of consent. The identity key, sealed to the same
 * officers apart from the others, opens who the reporter is; the core opens
 * it for an officer only with a reason, recorded under the report key and
 * in the audit log (wb_identity_open), and telling anyone else needs the
 * reporter's recorded consent (wb_consent_ask, wb_disclose). The system
 * reads the e-mail address in it for content-free notices only.
 *
 * Only an integrity officer who holds a report's keys and still serves its
 * unit or one above gets anywhere; anyone else, whatever their role, gets
 * VD_ERR_NOTFOUND. Every change is one transaction with its audit entry.
 */
#ifndef VD_WHISTLE_H
#define VD_WHISTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "app.h"
#include "cases.h"
#include "casework.h"
#include "files.h"
#include "receipt.h"
#include "terms.h"
#include "units.h"

/* How it came in: through the form or by letter ("written"), by phone
 * ("oral"), in a meeting. As stored and as translation keys. */
enum wb_channel { WC_WRITTEN, WC_ORAL, WC_MEETING, WC_COUNT };
extern const char *const wb_channel_names[WC_COUNT];

/* The integrity typology (*stat*), who reported (*stat*) and how it ended
 * (*stat*), NULL-terminated; translation keys "wbcat.", "wbrel.", "wbout.". */
extern const char *const wb_categories[];
extern const char *const wb_relations[];
extern const char *const wb_outcomes[];

#define WB_TEXT_MAX_CHARS 20000
#define WB_SHORT_MAX_CHARS 2000
#define WB_NAME_MAX_CHARS 200
#define WB_PHONE_MAX_CHARS 40
#define WB_MINUTES_MAX_CHARS 60000
#define WB_REASON_MAX_CHARS 2000
#define WB_RECEIVED_MAX_DAYS 366 /* how far back an entered report's day may lie */
#define WB_PAGE 50
#define WB_EVENTS_MAX 2000 /* events of one report (wb_event_add refuses more: VD_ERR_TOOBIG) */

/* ---- making a report ------------------------------------------------------ */

enum wb_field {
	WF_UNIT, WF_RELATION, WF_CATEGORY, WF_WHAT, WF_WHEN, WF_INVOLVED, WF_OTHER, WF_NAME, WF_EMAIL, WF_PHONE,
	WF_CHANNEL, WF_RECEIVED, WF_MEETING, WF_MINUTES, WF_OFFICER /* nobody could receive it */,
	WF_FILES /* the web's: files it refused */
};
struct wb_input {
	int64_t unit_id;          /* the part of the organisation it is about */
	const char *relation;     /* one of wb_relations */
	const char *category;     /* one of wb_categories, or "" (the reporter does not know) */
	const char *what;         /* the suspected wrongdoing */
	const char *when_where;   /* optional */
	const char *involved;     /* who is involved (optional) */
	const char *other;        /* who else knows, evidence (optional) */
	const char *name, *email, *phone; /* all optional: no name is anonymous */
	/* entered by an officer: */
	const char *channel;      /* wb_channel_names */
	const char *received_on;  /* YYYY-MM-DD: the day it was made (its clocks count from then) */
	const char *meeting_on;   /* oral or meeting: the day of the conversation, YYYY-MM-DD */
	const char *minutes;      /* oral or meeting: the minutes, for the reporter to approve */
	struct upload *const *files; /* finished uploads: what came with it (evidence, a letter) */
	size_t nfiles;
};

/* Through the public form: written, received today. The reporter gets a
 * receipt code in code (shown once; the caller wipes it). VD_ERR_THROTTLED
 * with *retry_after when this source sent too many (as reports);
 * VD_ERR_INVALID with errs set, nothing stored. */
int wb_submit(struct vd *vd, const struct wb_input *in, const void *source, size_t source_len, field_errors *errs,
	      int64_t *id, char code[RECEIPT_TEXT_LEN + 1], int64_t *retry_after);

/* Entered by an officer (a report by phone, in a meeting, or by letter),
 * with a code for the reporter in code (to pass on; the caller wipes it);
 * an oral or meeting report needs its minutes, which go to the mailbox for
 * approval. VD_ERR_DENIED for anyone but an integrity officer. */
int wb_enter(struct vd *vd, const struct principal *who, const struct wb_input *in, field_errors *errs, int64_t *id,
	     char code[RECEIPT_TEXT_LEN + 1]);

/* The units who may enter a report for, in tree order, with their depth. */
int wb_entry_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out, int **depth);

/* ---- what a report holds --------------------------------------------------- */

/* What happened, as kept in the report's timeline. Notes and the reasons
 * identity was opened are the officers' alone (under the report key). */
enum wb_event_kind {
	WE_MESSAGE_IN, WE_MESSAGE_OUT, WE_ACK, WE_FEEDBACK, WE_NOTE, WE_MINUTES, WE_MINUTES_APPROVED,
	WE_MINUTES_CORRECTED, WE_CONSENT_ASKED, WE_CONSENT_GIVEN, WE_CONSENT_REFUSED, WE_CONSENT_WITHDRAWN,
	WE_IDENTITY_OPENED, WE_DISCLOSED, WE_ASSESSED, WE_CLOSED, WE_COUNT
};
extern const char *const wb_event_names[WE_COUNT];
bool wb_event_for_reporter(enum wb_event_kind k);

struct wb_event_view {
	int64_t id, ref_id, on_day, at, by; /* by 0: the reporter */
	enum wb_event_kind kind;
	const char *text;                   /* "" when none */
};

/* Minutes of a conversation, and what became of them: "pending" (with the
 * reporter), "approved", "corrected" (the reporter sent corrections:
 * correction), "replaced" (by newer minutes). */
struct wb_minutes_view {
	int64_t id, on_day, at, reacted_at, replaces;
	const char *text, *state, *correction;
};

/* A question of consent to tell the reporter's identity to someone:
 * "pending", "given", "refused", "withdrawn"; disclosed_at once it was told. */
struct wb_consent_view {
	int64_t id, at, answered_at, disclosed_at;
	const char *request, *state;
};

struct wb_clock_view {
	int64_t due_day, met_day;  /* met_day 0: not yet */
	bool overdue;              /* not met and the due day has passed */
	int working_days_left;     /* until the due day; 0 from it on */
};

struct wb_report {
	int64_t id, unit_id, received_day, closed_day;
	const char *channel, *category, *relation, *outcome; /* names; "" when not set */
	bool open, named;
	bool code_own;                     /* false: the reporter still uses the code an officer handed over */
	struct wb_clock_view ack, feedback;
	const char *what, *when_where, *involved, *other;
	struct wb_event_view *events;      /* oldest first; the reporter's view: theirs only */
	size_t nevents;
	struct wb_minutes_view *minutes;   /* oldest first */
	size_t nminutes;
	struct wb_consent_view *consents;  /* oldest first */
	size_t nconsents;
	bool pending_minutes, pending_consent; /* something waits for the reporter */
	struct case_file *files;           /* what the reporter sent, oldest first (message_id: the event) */
	size_t nfiles;
};

/* ---- the register (an integrity officer) ---------------------------------- */

struct wb_line {
	int64_t id, received_day, next_due_day; /* 0: no clock runs */
	const char *channel, *category, *outcome; /* outcome: "" while open */
	int64_t closed_day;
	bool acknowledged, feedback_given, overdue;
	const char *next_clock;                 /* "ack", "feedback" or "" */
};
struct wb_lines {
	struct wb_line *items;
	size_t n;
	bool more;
};

/* Page page (0-based) of who's open (or closed) reports, the next deadline
 * first. VD_ERR_DENIED for anyone but an integrity officer. */
int wb_list(struct vd *vd, const struct principal *who, struct arena *a, bool open, size_t page,
	    struct wb_lines *out);

/* Opens a report (audited): everything but the identity. */
int wb_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct wb_report *out);

/* WW_CODE: the reporter still uses the code an officer handed over. */
enum wb_work_field { WW_TEXT, WW_KIND, WW_DAY, WW_MINUTES, WW_CONSENT, WW_CATEGORY, WW_OUTCOME, WW_STATE, WW_CODE,
		     WW_FILES /* the web's: files it refused */ };

/* The acknowledgement of receipt, with a message to the reporter (text may
 * be "": a standard one is given on the page). Once only (WW_STATE). */
int wb_acknowledge(struct vd *vd, const struct principal *who, int64_t id, const char *text, field_errors *errs);

/* A message to the reporter (kind WE_MESSAGE_OUT), the feedback (WE_FEEDBACK:
 * what was done with the report; the first one meets the feedback clock),
 * or an investigation note for the officers only (WE_NOTE). */
int wb_write(struct vd *vd, const struct principal *who, int64_t id, enum wb_event_kind kind, const char *text,
	     field_errors *errs);

/* Minutes of a conversation on day ("YYYY-MM-DD", not in the future) to the
 * reporter for approval; replaces: the minutes they correct (0: new ones). */
int wb_minutes_add(struct vd *vd, const struct principal *who, int64_t id, const char *day, const char *text,
		   int64_t replaces, field_errors *errs);

/* The category after assessment (one of wb_categories). */
int wb_assess(struct vd *vd, const struct principal *who, int64_t id, const char *category, field_errors *errs);

/* Closes the report with its outcome (wb_outcomes) and a last message to
 * the reporter (optional). */
int wb_close(struct vd *vd, const struct principal *who, int64_t id, const char *outcome, const char *text,
	     field_errors *errs);

/* Who the reporter is, for an officer who gives a reason (recorded under
 * the report key and audited) before anything is shown. */
struct wb_identity {
	const char *name, *email, *phone; /* "" when not given */
	bool given;                       /* anything at all */
};
int wb_identity_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *reason,
		     field_errors *errs, struct wb_identity *out);

/* Asks the reporter's consent to tell their identity to someone: request
 * says to whom and why. */
int wb_consent_ask(struct vd *vd, const struct principal *who, int64_t id, const char *request, field_errors *errs);

/* Records that the identity was told, as consent consent_id allowed: only
 * with that consent given and not withdrawn (WW_CONSENT otherwise). */
int wb_disclose(struct vd *vd, const struct principal *who, int64_t id, int64_t consent_id, field_errors *errs);

/* ---- the reporter's mailbox (with the receipt code) ---------------------- */

int wb_mailbox_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		    struct wb_report *out, enum code_result *result, int64_t *retry_after);

/* A report an officer entered opens first with the code the officer
 * handed over, so the officer has seen it: until the reporter replaces it
 * (wb_mailbox_renew) they read and write, but their answers to minutes and
 * to questions of consent are refused (WW_CODE), so nobody else can give
 * them. The new code in code (shown once; the caller wipes it); the old
 * one opens nothing from then on. */
int wb_mailbox_renew(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     char code[RECEIPT_TEXT_LEN + 1], enum code_result *result, int64_t *retry_after);

/* A message from the reporter; VD_ERR_INVALID for an empty or too long
 * text (or a closed report: nothing changes then), VD_ERR_THROTTLED as
 * reports. */
int wb_mailbox_write(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     const char *text, struct upload *const *files, size_t nfiles, field_errors *errs,
		     enum code_result *result, int64_t *retry_after);

/* A file the reporter sent, for an officer who may open the report
 * (audited): as case_file_open. */
int wb_file_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *file_id,
		 struct case_file *info, struct file_reader **reader);

/* The reporter approves minutes_id or sends corrections (correction
 * required then). WW_MINUTES when they are not pending. */
int wb_mailbox_minutes(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		       int64_t minutes_id, bool approve, const char *correction, field_errors *errs,
		       enum code_result *result, int64_t *retry_after);

/* The reporter answers a question of consent ("give", "refuse") or
 * withdraws consent given ("withdraw") before their identity was told. */
int wb_mailbox_consent(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		       int64_t consent_id, const char *choice, field_errors *errs, enum code_result *result,
		       int64_t *retry_after);

/* ---- housekeeping ------------------------------------------------------------ */

/* Queues the officers' content-free reminders that are due today: a clock
 * that ends within WB_REMIND_WORKING_DAYS working days, and one that passed. */
#define WB_REMIND_WORKING_DAYS 2
int wb_remind(struct vd *vd);

#endif
