/* complaint_flow: see complaint_flow.h. */
#include "complaint_flow.h"

#include <string.h>

#include "../util/date.h"

const char *const complaint_step_names[CS_COUNT] = {
	"received",   "incomplete", "admissible", "not_admissible", "accused_informed", "hearings",
	"advice",     "decided",    "closed",     "withdrawn",      "mediation",
};

const char *const complaint_term_names[CT_COUNT] = { "complete", "admissibility", "minutes", "decision" };

/* Every allowed move, and only those. A move out of mediation is here as
 * MEDIATION -> WITHDRAWN only: its way back is to the interrupted step. */
static const struct {
	enum complaint_step from, to;
} moves[] = {
	{ CS_RECEIVED, CS_INCOMPLETE },
	{ CS_RECEIVED, CS_ADMISSIBLE },
	{ CS_RECEIVED, CS_NOT_ADMISSIBLE },
	{ CS_RECEIVED, CS_MEDIATION },
	{ CS_RECEIVED, CS_WITHDRAWN },
	{ CS_INCOMPLETE, CS_ADMISSIBLE },      /* completed */
	{ CS_INCOMPLETE, CS_NOT_ADMISSIBLE },  /* not completed in time, or still not admissible */
	{ CS_INCOMPLETE, CS_WITHDRAWN },
	{ CS_ADMISSIBLE, CS_ACCUSED_INFORMED },
	{ CS_ADMISSIBLE, CS_MEDIATION },
	{ CS_ADMISSIBLE, CS_WITHDRAWN },
	{ CS_NOT_ADMISSIBLE, CS_CLOSED },
	{ CS_ACCUSED_INFORMED, CS_HEARINGS },
	{ CS_ACCUSED_INFORMED, CS_MEDIATION },
	{ CS_ACCUSED_INFORMED, CS_WITHDRAWN },
	{ CS_HEARINGS, CS_ADVICE },
	{ CS_HEARINGS, CS_MEDIATION },
	{ CS_HEARINGS, CS_WITHDRAWN },
	{ CS_ADVICE, CS_DECIDED },
	{ CS_ADVICE, CS_WITHDRAWN },
	{ CS_DECIDED, CS_CLOSED },
	{ CS_WITHDRAWN, CS_CLOSED },
	{ CS_MEDIATION, CS_WITHDRAWN },        /* settled */
};

/* The steps mediation can interrupt, and so return to. */
static bool mediation_can_return_to(enum complaint_step s)
{
	return s == CS_RECEIVED || s == CS_ADMISSIBLE || s == CS_ACCUSED_INFORMED || s == CS_HEARINGS;
}

enum complaint_step complaint_step_parse(const char *s)
{
	for (int i = 0; s && i < CS_COUNT; i++)
		if (strcmp(s, complaint_step_names[i]) == 0)
			return (enum complaint_step)i;
	return CS_COUNT;
}

bool complaint_step_open(enum complaint_step s)
{
	return s < CS_COUNT && s != CS_CLOSED && s != CS_WITHDRAWN;
}

bool complaint_move_allowed(enum complaint_step from, enum complaint_step to, enum complaint_step before)
{
	if (from == CS_MEDIATION && to == before && mediation_can_return_to(before))
		return true;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == from && moves[i].to == to)
			return true;
	return false;
}

size_t complaint_moves(enum complaint_step from, enum complaint_step before, enum complaint_step out[CS_COUNT])
{
	size_t n = 0;
	if (from == CS_MEDIATION && mediation_can_return_to(before))
		out[n++] = before;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == from)
			out[n++] = moves[i].to;
	return n;
}

void complaint_term_rule(const struct config *c, enum complaint_term kind, struct term *t, int64_t *max_notice_days)
{
	t->atw = true;
	t->unit = TU_DAYS;
	*max_notice_days = 0;
	switch (kind) {
	case CT_COMPLETE:
		t->length = (int)c->complaint_complete_days;
		break;
	case CT_ADMISSIBILITY:
		t->length = (int)c->complaint_admissibility_days;
		break;
	case CT_MINUTES:
		t->length = (int)c->minutes_approval_days;
		break;
	case CT_DECISION:
		t->unit = TU_WEEKS;
		t->length = (int)c->complaint_decision_weeks;
		*max_notice_days = 7 * c->complaint_extension_weeks;
		break;
	case CT_COUNT:
		t->length = 0; /* term_valid refuses it */
		break;
	}
}

size_t complaint_step_terms(enum complaint_step step, enum complaint_term out[CT_COUNT])
{
	size_t n = 0;
	if (step == CS_RECEIVED) {
		out[n++] = CT_ADMISSIBILITY;
		out[n++] = CT_DECISION;
	} else if (step == CS_INCOMPLETE) {
		out[n++] = CT_COMPLETE;
	}
	return n;
}

bool complaint_step_pauses(enum complaint_step step)
{
	return step == CS_MEDIATION || step == CS_INCOMPLETE;
}

bool complaint_filed_late(int64_t last_incident, int64_t received)
{
	return last_incident != DATE_NONE && received > date_add_years(last_incident, 1);
}
