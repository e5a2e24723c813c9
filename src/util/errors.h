/*
 * errors: the one error convention of every layer.
 *
 * Functions return 0 (VD_OK) or a negative VD_ERR_* code; results go
 * through out-parameters. The codes live here, at the bottom, so that the
 * store and crypto can answer in them without knowing the core.
 */
#ifndef VD_ERRORS_H
#define VD_ERRORS_H

enum vd_err {
	VD_OK = 0,
	VD_ERR_NOMEM = -1,     /* allocation failed */
	VD_ERR_INVALID = -2,   /* bad input; nothing changed */
	VD_ERR_NOTFOUND = -3,  /* no such record */
	VD_ERR_EXISTS = -4,    /* unique key taken */
	VD_ERR_DENIED = -5,    /* the actor may not do this (or the record may never change) */
	VD_ERR_STORE = -6,     /* the database failed */
	VD_ERR_IO = -7,        /* a file or system call failed */
	VD_ERR_TOOBIG = -8,    /* over a size cap */
	VD_ERR_THROTTLED = -9, /* too many attempts; try later */
	VD_ERR_TOONEW = -10,   /* data written by a newer version */
	VD_ERR_AUTH = -11,     /* wrong credentials (never says which part) */
	VD_ERR_BUSY = -12,     /* the database is locked or the transaction lost a race; retry */
	VD_ERR_INUSE = -13,    /* other records still refer to this one */
	VD_ERR_NOKEY = -14,    /* the session holds no key that opens this */
	VD_ERR_MISUSE = -15,   /* a call our own code should never make (a bug): nothing changed */
};

/* A short English name for err ("not found"), for logs and the CLI. */
const char *vd_strerror(int err);

#endif
