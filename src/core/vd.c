/* vd.c: error names, role names and the clock (see vd.h). */
#include "vd.h"

#include <string.h>
#include <time.h>

const char *vd_strerror(int err)
{
	switch (err) {
	case VD_OK: return "ok";
	case VD_ERR_NOMEM: return "out of memory";
	case VD_ERR_INVALID: return "invalid input";
	case VD_ERR_NOTFOUND: return "not found";
	case VD_ERR_EXISTS: return "already exists";
	case VD_ERR_DENIED: return "not allowed";
	case VD_ERR_STORE: return "database error";
	case VD_ERR_IO: return "file or system error";
	case VD_ERR_TOOBIG: return "too large";
	case VD_ERR_THROTTLED: return "too many attempts";
	case VD_ERR_TOONEW: return "data from a newer version";
	case VD_ERR_AUTH: return "wrong credentials";
	case VD_ERR_BUSY: return "database busy";
	}
	return "unknown error";
}

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

static int64_t clock_offset;

int64_t vd_now(void)
{
	return (int64_t)time(NULL) + clock_offset;
}

void vd_set_clock_offset(int64_t seconds)
{
	clock_offset = seconds;
}
