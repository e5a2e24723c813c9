/* workflow: see workflow.h. */
#include "workflow.h"

#include <string.h>

const char *const phase_names[PH_COUNT] = { "new", "intake", "consultation", "evaluation", "aftercare", "closed" };

/* Every allowed move, and only those. */
static const struct {
	enum phase from, to;
} moves[] = {
	{ PH_NEW, PH_INTAKE },
	{ PH_NEW, PH_CLOSED },                 /* e.g. the reporter only wanted it on record */
	{ PH_INTAKE, PH_CONSULTATION },
	{ PH_INTAKE, PH_CLOSED },
	{ PH_CONSULTATION, PH_EVALUATION },
	{ PH_CONSULTATION, PH_CLOSED },
	{ PH_EVALUATION, PH_AFTERCARE },
	{ PH_EVALUATION, PH_CONSULTATION },    /* more conversations are needed after all */
	{ PH_EVALUATION, PH_CLOSED },
	{ PH_AFTERCARE, PH_CLOSED },
	{ PH_CLOSED, PH_CONSULTATION },        /* reopened */
};

enum phase phase_parse(const char *s)
{
	for (int p = 0; s && p < PH_COUNT; p++)
		if (strcmp(s, phase_names[p]) == 0)
			return (enum phase)p;
	return PH_COUNT;
}

bool phase_move_allowed(enum phase from, enum phase to)
{
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == from && moves[i].to == to)
			return true;
	return false;
}

size_t phase_moves(enum phase from, enum phase out[PH_COUNT])
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == from)
			out[n++] = moves[i].to;
	return n;
}
