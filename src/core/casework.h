/*
 * casework: what a counsellor does with a case after it came in (issue 4,
 * seed 001): moving it through its phases, what each phase asks for, the
 * route, referrals and outcome, conversations, appointments, and the
 * reporter's consent to every step that involves others.
 *
 * Only a reader of the case (a counsellor it was addressed or handed to)
 * gets anywhere; anyone else gets VD_ERR_NOTFOUND, as for the case itself.
 * Every change is one transaction with its audit entry. What the *stat*
 * fields of DESIGN.md §3 hold is in the clear (the annual report counts it);
 * what people said (the inventory, conversation notes, places) is under
 * the case key.
 */
#ifndef VD_CASEWORK_H
#define VD_CASEWORK_H

#include <stdbool.h>

#include "../util/arena.h"
#include "../util/ids.h"
#include "app.h"
#include "workflow.h"

/* Closed lists, NULL-terminated, stored by name. */
extern const char *const case_routes[];   /* support_only, own_talk, talk_with_counsellor, mediation, ... */
extern const char *const case_outcomes[];
extern const char *const contact_ways[];  /* phone, video, in_person */
extern const char *const contact_parties[]; /* reporter, other_party, manager, mediator */
extern const char *const consent_steps[]; /* contact_other_party, inform_manager, mediation, forward_committee */
extern const char *const consent_ways[];  /* how consent was given or refused */

enum referral { REF_COMMITTEE, REF_POLICE, REF_COMPANY_DOCTOR, REF_LEGAL_ADVICE, REF_MEDIATOR,
		REF_WHISTLEBLOWER_AUTHORITY, REF_COUNT };
extern const char *const referral_names[REF_COUNT];

#define INVENTORY_MAX_CHARS 4000
#define CONTACT_NOTES_MAX_CHARS 20000
#define PLACE_MAX_CHARS 200
#define CONTACT_MAX_MINUTES (12 * 60)
#define WORK_LISTED 200 /* conversations, appointments, consents shown */

/* Which fields of a form are wrong (bit (1 << field)), so the page can
 * say so next to each; 0 when all is well. */
typedef unsigned field_errors;

/* Dates in the views below are epoch days (util/date.h; 0: none), moments
 * seconds since the epoch. */

/* The *stat* classification of a case, which its counsellor may correct. */
struct case_stats {
	int64_t behaviours; /* bit set of enum behaviour (cases.h) */
	const char *reporter_type, *relation, *location;
};

/* ---- phases and what they ask for ---- */

/* Moves the case from phase from (PH_COUNT: wherever it is) to phase to, if
 * it is there and the table allows the move; VD_ERR_INVALID if not. */
int case_move(struct vd *vd, const struct principal *who, int64_t id, enum phase from, enum phase to);

enum progress_field { PF_INVENTORY, PF_AGREEMENT, PF_FOLLOW_UP, PF_AFTERCARE_DUE };
struct progress_input {
	const char *inventory;   /* intake: short inventory */
	const char *agreement_on; /* intake: confidentiality agreement signed, YYYY-MM-DD or "" */
	int follow_up;           /* consultation: 0 not decided, 1 yes, 2 no */
	bool progress_evaluated, legal_advice; /* evaluation */
	bool aftercare_offered, aftercare_done; /* aftercare */
	const char *aftercare_due; /* YYYY-MM-DD or "" */
};
int case_progress_save(struct vd *vd, const struct principal *who, int64_t id,
		       const struct progress_input *in, field_errors *errs);

enum outcome_field { OF_ROUTE, OF_OUTCOME, OF_REFERRALS, OF_BEHAVIOURS, OF_TYPE, OF_RELATION, OF_LOCATION };
/* The route, referrals and outcome, and the report's classification (the
 * other *stat* fields), which the counsellor may correct after talking. */
struct outcome_input {
	const char *route, *outcome; /* "" for not yet */
	int64_t referrals;           /* bit set of enum referral */
	struct case_stats stats;     /* all zero: the classification stays as it is */
};
int case_outcome_save(struct vd *vd, const struct principal *who, int64_t id, const struct outcome_input *in,
		      field_errors *errs);

/* ---- conversations, appointments, consent ---- */

enum contact_field { CF_DATE, CF_WAY, CF_WITH, CF_MINUTES, CF_NOTES, CF_CONSENT };
struct contact_input {
	const char *on_date, *way, *with_whom, *notes;
	int64_t minutes;
};
/* A conversation with anyone but the reporter needs the reporter's consent
 * to that step first (CF_CONSENT, VD_ERR_DENIED). */
int case_contact_add(struct vd *vd, const struct principal *who, int64_t id,
		     const struct contact_input *in, field_errors *errs);

enum appointment_field { AF_DATE, AF_TIME, AF_PLACE };
struct appointment_input {
	const char *date, *time, *place;
	bool shared; /* shown to the reporter in their mailbox */
};
int case_appointment_add(struct vd *vd, const struct principal *who, int64_t id,
			 const struct appointment_input *in, field_errors *errs);

enum consent_field { NF_STEP, NF_GIVEN, NF_DATE, NF_HOW };
/* CONSENT_ASKED: the counsellor proposes the step and asks the reporter in
 * their mailbox (how "mailbox", today); until they answer it is not given. */
#define CONSENT_ASKED 2
struct consent_input {
	const char *step, *how, *on_date;
	int given; /* 1 given, 0 refused, CONSENT_ASKED, -1 not said */
};
int case_consent_record(struct vd *vd, const struct principal *who, int64_t id, const struct consent_input *in,
			field_errors *errs);

/* ---- reading it all back ---- */

struct phase_move {
	enum phase from, to;
	int64_t at, by;
};
struct contact_view {
	int64_t on_day;
	const char *way, *with_whom;
	int64_t minutes, by;
	const char *notes; /* decrypted, "" when none */
};
struct appointment_view {
	int64_t starts_at;
	bool shared;
	const char *place; /* decrypted */
};
struct consent_view {
	const char *step;
	bool given;
	bool asked;      /* a proposal waiting for the reporter's answer */
	int64_t on_day;
	const char *how;
};
/* What the phases asked for, as recorded (see progress_input). */
struct case_progress {
	int64_t phase_at;  /* when the current phase began; 0: when the case came in */
	int64_t closed_at; /* 0 while open */
	int64_t agreement_day;
	int follow_up;
	bool progress_evaluated, legal_advice, aftercare_offered, aftercare_done;
	int64_t aftercare_due_day;
	const char *route, *outcome; /* "" until chosen */
	int64_t referrals;
	int64_t contacts, last_contact_day;
};
struct case_work_view {
	enum phase phase;
	struct case_stats stats;
	struct phase_move *moves; /* newest first */
	size_t nmoves;
	struct case_progress work;
	const char *inventory; /* decrypted, "" when none */
	struct contact_view *contacts;
	size_t ncontacts;
	struct appointment_view *appointments;
	size_t nappointments;
	struct consent_view *consents; /* newest first */
	size_t nconsents;
	struct id_list conflicts; /* counsellors who declared a conflict of interest */
};
/* VD_ERR_STORE for a case whose stored phase this version does not know. */
int case_work_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		   struct case_work_view *out);

/* ---- the counsellor's dashboard ---- */

struct dashboard_item {
	int64_t case_id;
	int64_t day; /* the last conversation (or the arrival), or the aftercare date; 0: none */
	int64_t at;  /* the appointment; 0: none */
};
struct dashboard_items {
	struct dashboard_item *items;
	size_t n;
};
struct dashboard_view {
	int64_t by_phase[PH_COUNT];
	struct dashboard_items appointments; /* this week */
	struct dashboard_items quiet;        /* open, no contact for no_contact_weeks */
	struct dashboard_items aftercare;    /* aftercare due */
	int quiet_weeks;
};
int casework_dashboard(struct vd *vd, const struct principal *who, struct arena *a, struct dashboard_view *out);

#endif
