/*
 * cases: a report becomes a counsellor case (DESIGN.md §2-§3).
 *
 * What the reporter wrote, and who they are, is encrypted with a random key
 * for this case alone; only the fields marked *stat* in DESIGN.md §3 are kept
 * in the clear, so that the annual report never needs to open a case. The
 * case key is sealed to each reader (the chosen counsellor, or every
 * counsellor serving the unit) and wrapped under the receipt code, so the
 * reporter can come back without an account.
 */
#ifndef VD_CASES_H
#define VD_CASES_H

#include <stdbool.h>

#include "../util/arena.h"
#include "app.h"
#include "casework.h"
#include "files.h"
#include "receipt.h"

/* Kinds of behaviour (a bit set in the case), in this order. */
enum behaviour {
	BEH_SEXUAL_HARASSMENT, BEH_AGGRESSION, BEH_THREATS, BEH_BULLYING, BEH_DISCRIMINATION,
	BEH_EXCLUSION, BEH_INTIMIDATION, BEH_STALKING, BEH_MANIPULATION, BEH_INTEGRITY, BEH_OTHER,
	BEH_COUNT
};
extern const char *const behaviour_names[BEH_COUNT];

/* The closed lists of the other *stat* fields; NULL-terminated. */
extern const char *const reporter_types[];
extern const char *const relations[];
extern const char *const locations[];
extern const char *const channels[];
bool case_choice_valid(const char *const *list, const char *value);

/* One line of a counsellor's case list. */
struct case_summary {
	int64_t id;
	int64_t unit_id;
	int64_t behaviours;
	const char *phase;
	const char *channel;
	int64_t created_at;
	bool unopened; /* new to this reader (never opened, or a reporter wrote since) */
};

struct case_list {
	struct case_summary *items;
	size_t n;
};

/* Where a page of a case list starts: after this line. */
struct case_cursor {
	int unopened;
	int64_t created_at;
	int64_t id;
};

#define REPORT_ACCOUNT_MAX_CHARS 20000
#define REPORT_TEXT_MAX_CHARS 4000
#define REPORT_LINE_MAX_CHARS 200

struct report_input {
	int64_t unit_id;
	int64_t counsellor_id; /* 0: any counsellor serving the unit */
	bool named;
	const char *name, *email, *phone, *contact_pref; /* only when named */
	const char *account;   /* what happened */
	const char *when;      /* date or period, free text */
	const char *hopes;     /* what they hope for */
	const char *location, *relation, *reporter_type;
	int64_t behaviours;    /* bit set, at least one */
	const char *channel;   /* "web" for the public form */
	bool invite;           /* entered on the reporter's behalf: e-mail them a link to the code */
	struct upload *const *files; /* finished uploads to keep with the report */
	size_t nfiles;
};

enum report_field {
	RF_UNIT, RF_COUNSELLOR, RF_NAMED, RF_NAME, RF_EMAIL, RF_PHONE, RF_CONTACT, RF_ACCOUNT, RF_WHEN,
	RF_HOPES, RF_LOCATION, RF_RELATION, RF_TYPE, RF_BEHAVIOURS, RF_CHANNEL, RF_INVITE, RF_COUNT
};

/* Which fields are wrong, so a form can say so next to each. */
struct report_errors {
	bool bad[RF_COUNT];
	bool any;
	bool no_reader; /* nobody who could read it (no counsellor with keys serves the unit) */
};

/* Checks a report without storing it (when something else on the form is
 * already wrong, so that every error is shown at once). */
void report_check(struct vd *vd, const struct report_input *in, struct report_errors *errs);

/* Reports from one source (the client's address, in memory only): seconds
 * to wait before the next is taken (0: now), and counting one that was. */
int64_t report_rate_wait(struct vd *vd, const void *source, size_t source_len);
void report_rate_count(struct vd *vd, const void *source, size_t source_len);

/*
 * Stores a report as a new case, durably, in one transaction. On success
 * receipt_text holds the receipt code to show once (the caller wipes it) and
 * *id the case. VD_ERR_INVALID with errs filled when the input is wrong.
 */
int report_submit(struct vd *vd, const struct report_input *in, int64_t *id,
		  char receipt_text[RECEIPT_TEXT_LEN + 1], struct report_errors *errs);

#define MESSAGE_MAX_CHARS 20000
#define CONVERSATION_SHOWN 100 /* newest messages on a page */
#define CONSENTS_SHOWN 200     /* consent records a reporter's mailbox reads */

/* One message of the conversation, or an internal note, decrypted. */
struct case_message {
	int64_t id;
	const char *kind;  /* "reporter", "counsellor" or "note" */
	int64_t author_id; /* staff user id; 0 for the reporter */
	int64_t created_at;
	const char *text;
};

/* A case as its reader (or its reporter) sees it: its facts, the decrypted
 * text and the conversation. */
struct case_view {
	int64_t id;
	int64_t created_at;
	int64_t opened_at;        /* 0 until a reader first opened it */
	const char *phase;
	struct report_input text; /* everything the report said, decrypted and *stat* */
	struct case_message *messages;
	size_t nmessages;
	struct case_file *files; /* oldest first; a reader's view includes the notes' files */
	size_t nfiles;
	struct appointment_view *appointments; /* the reporter's view: the shared ones */
	size_t nappointments;
	struct consent_view *consents; /* the reporter's view: newest first, the counsellor's questions too */
	size_t nconsents;
	bool older_hidden; /* more than CONVERSATION_SHOWN messages: the oldest are not shown */
};

/* Opens a case for a reader. VD_ERR_NOKEY when who's session holds no key
 * that opens; VD_ERR_NOTFOUND when who is not one of its readers (whatever
 * their role: nothing tells them the case exists); VD_ERR_AUTH when their
 * key does not open it (sealed to a key pair they no longer have). Marks the
 * case as opened, and records who opened it. */
int case_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct case_view *out);

/* What a typed receipt code turned out to be. */
enum code_result {
	CODE_OK,        /* *out holds the reporter's own case */
	CODE_MALFORMED, /* not a code at all */
	CODE_TYPO,      /* shaped like a code, but its check characters do not match */
	CODE_UNKNOWN,   /* no case has this code (unknown and wrong look and take the same) */
	CODE_THROTTLED, /* too many wrong codes from this source; *retry_after seconds */
};

/* The reporter opens their own report with the receipt code. source is the
 * client's address, in memory only (throttle.h, TH_CODE). */
int report_view(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		struct case_view *out, enum code_result *result, int64_t *retry_after);

/* A reader writes to the reporter (kind "counsellor") or adds an internal
 * note the reporter never sees (kind "note"). VD_ERR_NOTFOUND for anyone who
 * is not a reader; VD_ERR_INVALID for a too long text, or an empty one
 * without files; VD_ERR_NOKEY and VD_ERR_AUTH as for case_open. */
int case_post(struct vd *vd, const struct principal *who, int64_t id, const char *kind, const char *text,
	      struct upload *const *files, size_t nfiles);

/* The reporter answers with the receipt code (checked as in report_view),
 * with text, files or both. */
int report_reply(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		 const char *text, struct upload *const *files, size_t nfiles, enum code_result *result,
		 int64_t *retry_after);

/* The reporter answers a question of consent in their mailbox (the code
 * checked as in report_view): give is the answer to a step the counsellor
 * asked about (CONSENT_ASKED); a consent in force can be withdrawn (give
 * false) at any time. VD_ERR_INVALID for a step nobody asked and no consent
 * is in force for. Recorded as given "mailbox", today, by the reporter; the
 * counsellor sees it in the case at once. */
int report_consent(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		   const char *step, bool give, enum code_result *result, int64_t *retry_after);

/* The reporter withdraws their report with the code: the case is closed
 * (from whatever open phase), its outcome "stopped_by_reporter", every
 * consent in force and every open question of consent ends, a line in the
 * conversation says so, and the counsellor is told. Its data then follows
 * the retention rules as any closed case's. VD_ERR_DENIED when the case is
 * closed already (withdrawn, or finished by the counsellor). */
int report_withdraw(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		    enum code_result *result, int64_t *retry_after);

/* One file of a case, for download: a reader's (any file, recorded in the
 * audit log) or the reporter's with the code (not the notes' files). On
 * success *info describes it and *reader gives its bytes, decrypted as they
 * are read (the caller closes it). VD_ERR_NOTFOUND as in case_open, or for
 * a file the case does not have; VD_ERR_STORE when the file is missing or
 * damaged. */
int case_file_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, const char *file_id,
		   struct case_file *info, struct file_reader **reader);
int report_file_open(struct vd *vd, struct arena *a, const char *typed, const void *source, size_t source_len,
		     const char *file_id, struct case_file *info, struct file_reader **reader,
		     enum code_result *result, int64_t *retry_after);

/* who's cases, unopened first, newest first: per_page of them after the
 * cursor (NULL: from the top). *more tells whether another page follows;
 * *next is then its cursor. */
int case_list_page(struct vd *vd, const struct principal *who, struct arena *a,
		   const struct case_cursor *after, size_t per_page, struct case_list *out, bool *more,
		   struct case_cursor *next);

#endif
