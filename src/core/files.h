/*
 * files: files that a reporter or counsellor sends with a report or a
 * message (DESIGN.md §4: "no plaintext of ... files").
 *
 * A file is encrypted while it arrives, chunk by chunk, with a random key of
 * its own, into files/tmp/ in the data directory; it never sits whole in
 * memory and never touches the disk in the clear. When the report or message
 * it belongs to is stored, the file is moved to files/ and its key, name,
 * type and size are stored in the database under the case key. Destroying
 * the case key therefore destroys the files too.
 *
 * Only a few types are taken, each checked by its name's extension and by its
 * first bytes: a file that claims to be a PDF must start like one.
 */
#ifndef VD_FILES_H
#define VD_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"

#define FILE_MAX_BYTES (8 * 1024 * 1024)   /* one file */
#define FILES_MAX 4                         /* per report or message */
#define FILES_TOTAL_BYTES (20 * 1024 * 1024) /* together */
#define FILE_NAME_MAX_CHARS 120
#define FILE_ID_LEN 32 /* hex digits of the random file name */
#define FILES_LISTED 400 /* a case's files shown on its page */

enum file_type { FT_PDF, FT_JPEG, FT_PNG, FT_TEXT, FT_DOCX, FT_ODT, FT_COUNT };
/* For the form and for downloads: "pdf", ...; and the media type. */
extern const char *const file_type_names[FT_COUNT];
extern const char *const file_type_media[FT_COUNT];

/* What is wrong with a file the user sent. */
enum upload_error {
	UP_OK,
	UP_TOO_BIG,   /* over FILE_MAX_BYTES, or over FILES_TOTAL_BYTES together */
	UP_TOO_MANY,  /* more than FILES_MAX */
	UP_BAD_TYPE,  /* not one of the types taken, or its content does not match its name */
	UP_EMPTY,     /* no bytes */
	UP_FAILED,    /* our side: the disk (logged) */
};

/* One file as it arrives: opaque; the front end makes it, feeds it and
 * finally hands it to the core (with a report or message) or discards it. */
struct upload;

/* Starts receiving a file named name (as the browser sent it) for vd; at most
 * budget bytes will be taken (what is left of the caps for this request).
 * *out is always made (NULL only when memory ran out: VD_ERR_NOMEM), also
 * when it is refused at once: a name of a type not taken, no room on the
 * disk (upload_error says which). VD_ERR_IO if no temporary file can be made. */
int upload_begin(struct vd *vd, const char *name, int64_t budget, struct upload **out);
/* Takes the next bytes. Once the upload has an error, the rest is ignored. */
void upload_write(struct upload *u, const void *data, size_t n);
/* The last bytes are in: checks the type, writes the last chunk, syncs. */
void upload_finish(struct upload *u);
/* What is wrong with it (UP_OK: nothing, so far). */
enum upload_error upload_error(const struct upload *u);
/* Removes the temporary file unless the core kept it, wipes the key, frees
 * u. Always call (NULL is fine). */
void upload_discard(struct vd *vd, struct upload *u);

/* A file of a case as its reader or reporter sees it. */
struct case_file {
	int64_t message_id;   /* 0: it came with the report */
	const char *kind;     /* "report", "reporter", "counsellor", "note" */
	char file_id[FILE_ID_LEN + 1];
	int64_t created_at;
	const char *name;
	enum file_type type;
	int64_t size;
};

/* A file read back, decrypted, a piece at a time (a streamed download; made
 * by case_file_open or report_file_open in cases.h). */
struct file_reader;
/* Up to max bytes into buf: the count, 0 at the end, or a VD_ERR_* (a
 * damaged or cut file is VD_ERR_AUTH: the download then breaks off). */
int64_t file_reader_read(struct file_reader *fr, void *buf, size_t max);
void file_reader_close(struct file_reader *fr);

#endif
