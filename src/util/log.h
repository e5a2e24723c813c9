/*
 * log: structured, allowlisted logging to stderr.
 *
 * Only the fields in enum log_field can ever be written, each with a fixed
 * type, and every string is encoded (printable ASCII only, quoted). There is
 * deliberately no field for free text from a request, an IP address, a user
 * agent, a password, a code or case content: what cannot be named cannot leak.
 */
#ifndef VD_LOG_H
#define VD_LOG_H

#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

enum log_field {
	LF_END = 0,  /* terminates the list */
	LF_METHOD,   /* const char *: HTTP method name from our own table */
	LF_ROUTE,    /* const char *: the route pattern, never the raw path */
	LF_STATUS,   /* int: HTTP status */
	LF_BYTES,    /* long long: response size */
	LF_USEC,     /* long long: duration in microseconds */
	LF_USER,     /* long long: staff user id (never a reporter) */
	LF_RECORD,   /* long long: id of a record acted upon */
	LF_ERROR,    /* int: a VD_ERR_* code, written as its name */
	LF_WHAT,     /* const char *: a fixed string from our code */
	LF_LISTEN,   /* const char *: the server's own listen address */
	LF_N,        /* long long: how many (records destroyed, say) */
	LF_COUNT     /* sentinel */
};

/* Where and from what level. Default: stderr, LOG_INFO. Not thread-safe to call
 * while logging; call once at start-up. */
void log_setup(FILE *out, enum log_level min);

/* log_event(LOG_INFO, "request", LF_METHOD, "GET", LF_STATUS, 200, LF_END);
 * One line per event, written with a single fwrite so lines never interleave. */
void log_event(enum log_level level, const char *event, ...);

#endif
