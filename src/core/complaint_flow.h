/*
 * complaint_flow: the steps of a formal complaint before the complaints
 * committee and the moves between them (issue 8, DESIGN.md §2), and the
 * terms each step starts.
 *
 *   received -> incomplete -> admissible | not_admissible
 *   admissible -> accused_informed -> hearings -> advice -> decided -> closed
 *
 * A complaint can be withdrawn at any open step. Mediation can start at
 * any step from receipt to the hearings; it stops the clocks (terms.h) and
 * leads back only to the step it interrupted, or to a withdrawal when it
 * settled the matter. The table in complaint_flow.c is the only place
 * that says which move is allowed, as workflow.c is for a counsellor's case.
 */
#ifndef VD_COMPLAINT_FLOW_H
#define VD_COMPLAINT_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "terms.h"

enum complaint_step {
	CS_RECEIVED,
	CS_INCOMPLETE,       /* the complainant has a term to complete it */
	CS_ADMISSIBLE,
	CS_NOT_ADMISSIBLE,   /* reasoned; then closed */
	CS_ACCUSED_INFORMED, /* the accused has the complaint and may respond */
	CS_HEARINGS,
	CS_ADVICE,           /* the committee's advice is with the board */
	CS_DECIDED,          /* the board's reasoned decision, sent to both parties */
	CS_CLOSED,
	CS_WITHDRAWN,
	CS_MEDIATION,        /* the terms stand still */
	CS_COUNT
};

/* "received", "incomplete", ...: as stored and as translation keys. */
extern const char *const complaint_step_names[CS_COUNT];

/* CS_COUNT when s is not a step. */
enum complaint_step complaint_step_parse(const char *s);

/* Open: neither closed nor withdrawn. */
bool complaint_step_open(enum complaint_step s);

/*
 * Is the move from -> to allowed? before is the step mediation
 * interrupted, used only when from is CS_MEDIATION (CS_COUNT otherwise).
 */
bool complaint_move_allowed(enum complaint_step from, enum complaint_step to, enum complaint_step before);

/* The steps reachable from from, in the table's order; returns how many. */
size_t complaint_moves(enum complaint_step from, enum complaint_step before, enum complaint_step out[CS_COUNT]);

/* The clocks of a complaint. */
enum complaint_term {
	CT_COMPLETE,      /* the complainant completes the complaint */
	CT_ADMISSIBILITY, /* the committee decides whether it is admissible */
	CT_MINUTES,       /* a heard person reacts to the minutes, or they count as approved */
	CT_DECISION,      /* the board decides, counted from receipt */
	CT_COUNT
};

extern const char *const complaint_term_names[CT_COUNT];

/*
 * The term kind runs for this organisation (vertrouwd.conf, with the
 * regulation's defaults): its length and unit into t (start, pauses,
 * extensions and met are the caller's), and in *max_notice_days the
 * longest extension on notice alone (0: none; only the decision term has
 * one). Every complaint term follows the Atw, as the Awb's chapter 9 that
 * the regulation follows does.
 */
void complaint_term_rule(const struct config *c, enum complaint_term kind, struct term *t, int64_t *max_notice_days);

/* The terms a move into step starts, into out; returns how many. Receipt
 * starts the admissibility and decision terms; a request to complete, the
 * completion term. The minutes term starts per set of minutes, not with a
 * step. */
size_t complaint_step_terms(enum complaint_step step, enum complaint_term out[CT_COUNT]);

/* Does step stop the complaint's other clocks while it lasts? Mediation
 * does, and so does a request to complete (as Awb 4:15 suspends a decision
 * term until the applicant has completed, or their term has passed). */
bool complaint_step_pauses(enum complaint_step step);

/* Filed more than a year after the last incident: the committee is told,
 * and decides whether it is still admissible. */
bool complaint_filed_late(int64_t last_incident, int64_t received);

#endif
