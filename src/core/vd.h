/*
 * vd.h: what every part of the core's public API shares: the version and the
 * staff roles. Errors (util/errors.h) and the clock (util/clock.h) are the
 * lowest layer's, so that the store and crypto can use them too.
 */
#ifndef VD_VD_H
#define VD_VD_H

#include <stdint.h>

#include "../util/clock.h"
#include "../util/errors.h"

#define VD_VERSION "0.1.0"

/*
 * Staff roles (DESIGN.md §1). Reporters have no role: they are never logged in
 * as staff. Stored as their name, so the database stays readable.
 */
enum vd_role {
	ROLE_NONE = 0,
	ROLE_ADMIN,
	ROLE_COUNSELLOR,
	ROLE_COMMITTEE,
	ROLE_INTEGRITY,
	ROLE_CANDIDATE_COMMITTEE,
	ROLE_CANDIDATE,
	ROLE_READER,
	ROLE_COUNT
};

const char *role_name(enum vd_role r);      /* "admin", ...; "" for ROLE_NONE */
enum vd_role role_parse(const char *s);     /* ROLE_NONE when unknown */

#endif
