/* vd.c: role names (see vd.h). */
#include "vd.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_NONE] = "",
	[ROLE_ADMIN] = "admin",
	[ROLE_COUNSELLOR] = "counsellor",
	[ROLE_COMMITTEE] = "committee",
	[ROLE_INTEGRITY] = "integrity",
	[ROLE_CANDIDATE_COMMITTEE] = "candidate_committee",
	[ROLE_CANDIDATE] = "candidate",
	[ROLE_READER] = "reader",
};

const char *role_name(enum vd_role r)
{
	return (r > ROLE_NONE && r < ROLE_COUNT) ? role_names[r] : "";
}

enum vd_role role_parse(const char *s)
{
	if (!s || !*s)
		return ROLE_NONE;
	for (int r = ROLE_NONE + 1; r < ROLE_COUNT; r++)
		if (strcmp(s, role_names[r]) == 0)
			return (enum vd_role)r;
	return ROLE_NONE;
}
