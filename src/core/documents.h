/*
 * documents: the organisation's own texts that public pages show — code of
 * conduct, complaints regulation, whistleblower regulation, integrity
 * policy — each kept in every version it had (issue 13).
 *
 * A version holds the Dutch text and, when there is one, the English; who
 * adopted it (the body, as typed: "het partijbestuur") and on which day;
 * and who recorded it. Versions never change: a correction is a new
 * version, so what a candidate signed stays readable as they signed it.
 * The newest version is the current one. Besides the whole organisation's
 * document, a unit may adopt its own; a unit without one follows the unit
 * above it (document_current).
 *
 * The administrator records versions as plain text with a tiny markup
 * (web/markup.h); they are stored as text, never as HTML, so nothing typed
 * in the editor can reach a page unescaped.
 */
#ifndef VD_DOCUMENTS_H
#define VD_DOCUMENTS_H

#include <stdbool.h>

#include "../util/arena.h"
#include "app.h"

enum doc_kind { DOC_CODE_OF_CONDUCT, DOC_COMPLAINTS, DOC_WHISTLEBLOWER, DOC_INTEGRITY, DOC_COUNT };

#define DOCUMENT_MAX_BYTES (200 * 1024)
#define DOCUMENT_ADOPTER_MAX_CHARS 120
#define DOCUMENT_HISTORY_MAX 1000 /* versions listed per kind */

struct document {
	int64_t id;             /* the version's id: a link to it stays valid for good */
	enum doc_kind kind;
	int64_t unit_id;        /* 0: the whole organisation */
	int64_t number;         /* 1, 2, ... per kind and unit */
	const char *body;       /* in the language asked for; the Dutch when not translated */
	bool translated;        /* false: body is the Dutch text shown in place of an English one */
	const char *adopted_by; /* "" for the built-in default text */
	int64_t adopted_on;     /* day */
	int64_t recorded_at;
	int64_t recorded_by;    /* user id, 0 for the defaults */
	bool current;           /* the newest of its kind and unit */
};

struct document_list {
	struct document *items; /* by unit (0 first), newest first; bodies "" */
	size_t n;
};

/* A new version, as the administrator's form gives it. */
struct document_adoption {
	enum doc_kind kind;
	int64_t unit_id;        /* 0: the whole organisation */
	const char *body_nl;    /* required */
	const char *body_en;    /* "" or NULL: not translated */
	const char *adopted_by; /* required */
	int64_t adopted_on;     /* a day, not after today */
};

/* The field a refused adoption names, for the form. */
enum document_field { DF_NONE, DF_UNIT, DF_BODY_NL, DF_BODY_EN, DF_ADOPTER, DF_DAY };

const char *document_kind_name(enum doc_kind k); /* "code_of_conduct", ... */
int document_kind_parse(const char *name, enum doc_kind *out);
/* "nl" or "en"; anything else is VD_ERR_INVALID. */
int document_lang_valid(const char *lang);

/* The number the audit log gave a document before versions (1 + 2 * kind,
 * plus 1 for English), for reading old entries; VD_ERR_INVALID for a
 * number that names none. New entries name the version. */
int document_from_number(int64_t n, enum doc_kind *k, const char **lang);

/* Anyone may read. The version in force for unit_id: its own, else that of
 * the nearest unit above with one, else the whole organisation's.
 * VD_ERR_NOTFOUND if none was ever adopted. */
int document_current(struct vd *vd, struct arena *a, enum doc_kind k, int64_t unit_id, const char *lang,
		     struct document *out);

/* Anyone may read: one version by its id, current or not. */
int document_version(struct vd *vd, struct arena *a, int64_t id, const char *lang, struct document *out);

/* Anyone may read: every version of k, of every unit (bodies ""). */
int document_history(struct vd *vd, struct arena *a, enum doc_kind k, struct document_list *out);

/* Administrator only: records a new version; *id its id. On
 * VD_ERR_INVALID or VD_ERR_TOOBIG, *bad names the field. */
int document_adopt(struct vd *vd, const struct principal *who, const struct document_adoption *in, int64_t *id,
		   enum document_field *bad);

#endif
