/*
 * vd.h: the conventions shared by every module of vertrouwd.
 *
 * One error convention everywhere: functions return 0 (VD_OK) or a negative
 * VD_ERR_* code; results go through out-parameters. Roles are a closed set.
 */
#ifndef VD_VD_H
#define VD_VD_H

#include <stdint.h>

#define VD_VERSION "0.1.0"

enum vd_err {
	VD_OK = 0,
	VD_ERR_NOMEM = -1,     /* allocation failed */
	VD_ERR_INVALID = -2,   /* bad input; nothing changed */
	VD_ERR_NOTFOUND = -3,  /* no such record */
	VD_ERR_EXISTS = -4,    /* unique key taken */
	VD_ERR_DENIED = -5,    /* the actor may not do this */
	VD_ERR_STORE = -6,     /* the database failed */
	VD_ERR_IO = -7,        /* a file or system call failed */
	VD_ERR_TOOBIG = -8,    /* over a size cap */
	VD_ERR_THROTTLED = -9, /* too many attempts; try later */
	VD_ERR_TOONEW = -10,   /* data written by a newer version */
	VD_ERR_AUTH = -11,     /* wrong credentials (never says which part) */
	VD_ERR_BUSY = -12,     /* the database is locked; retry */
};

const char *vd_strerror(int err);

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

/* Seconds since the epoch; one place so tests can move the clock. */
int64_t vd_now(void);
void vd_set_clock_offset(int64_t seconds);

#endif
