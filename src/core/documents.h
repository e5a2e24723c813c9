/*
 * documents: the organisation's own texts that public pages show — code of
 * conduct, complaints regulation, whistleblower regulation — per language.
 *
 * The administrator edits them as plain text with a tiny markup (web/markup.h);
 * they are stored as text, never as HTML, so nothing typed in the editor can
 * reach a page unescaped.
 */
#ifndef VD_DOCUMENTS_H
#define VD_DOCUMENTS_H

#include "../util/arena.h"
#include "app.h"

enum doc_kind { DOC_CODE_OF_CONDUCT, DOC_COMPLAINTS, DOC_WHISTLEBLOWER, DOC_COUNT };

#define DOCUMENT_MAX_BYTES (200 * 1024)

struct document {
	const char *kind; /* document_kind_name() */
	const char *lang; /* "nl", "en" */
	const char *body; /* plain markup, see web/markup.h */
	int64_t updated_at;
	int64_t updated_by; /* user id, 0 for the defaults */
};

const char *document_kind_name(enum doc_kind k); /* "code_of_conduct", ... */
int document_kind_parse(const char *name, enum doc_kind *out);
/* "nl" or "en"; anything else is VD_ERR_INVALID. */
int document_lang_valid(const char *lang);

/* A document's number, for records that hold ids only (the audit log):
 * 1 + 2 * kind, plus 1 for English. 1: the code of conduct in Dutch, 2: in
 * English, 3: the complaints regulation in Dutch, ... */
int64_t document_number(enum doc_kind k, const char *lang);
/* The reverse; VD_ERR_INVALID for a number that names no document. */
int document_from_number(int64_t n, enum doc_kind *k, const char **lang);

/* Anyone may read. VD_ERR_NOTFOUND if never written. */
int document_read(struct vd *vd, struct arena *a, enum doc_kind k, const char *lang,
		  struct document *out);

/* Administrator only. body must be valid UTF-8 text of at most DOCUMENT_MAX_BYTES. */
int document_save(struct vd *vd, const struct principal *who, enum doc_kind k, const char *lang,
		  const char *body);

#endif
