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

/* One file as it arrives. Everything in it is private to files.c; the front
 * end holds it, feeds it and finally hands it to the core or discards it. */
struct upload {
	char file_id[FILE_ID_LEN + 1];
	char *name;             /* cleaned-up file name (heap) */
	unsigned char key[CRYPTO_KEY_LEN];
	struct crypto_stream stream;
	int fd;                 /* the temporary file, -1 when closed */
	unsigned char *chunk;   /* plaintext waiting to be encrypted (heap, wiped) */
	size_t chunk_len;
	unsigned char head[8];  /* the first bytes, for the type check */
	size_t head_len;
	int64_t size;
	int64_t budget;
	int64_t reserved;       /* of the bytes that may be arriving at once (files.c) */
	enum file_type type;
	enum upload_error error;
	bool finished;          /* upload_finish succeeded: ready to attach */
	bool attached;          /* moved into files/ by the core */
};

/* Starts receiving a file named name (as the browser sent it) for vd; at most
 * budget bytes will be taken (what is left of the caps for this request).
 * A name of a type not taken sets u->error at once. VD_ERR_IO if no
 * temporary file can be made. */
int upload_begin(struct vd *vd, const char *name, int64_t budget, struct upload *u);
/* Takes the next bytes. Once u->error is set, the rest is ignored. */
void upload_write(struct upload *u, const void *data, size_t n);
/* The last bytes are in: checks the type, writes the last chunk, syncs. */
void upload_finish(struct upload *u);
/* Removes the temporary file unless attached, wipes the key. Always call. */
void upload_discard(struct vd *vd, struct upload *u);

/* A file as a reader sees it (key and all, decrypted from the row). */
struct case_file {
	int64_t message_id;
	const char *kind;     /* "report", "reporter", "counsellor", "note" */
	char file_id[FILE_ID_LEN + 1];
	int64_t created_at;
	const char *name;
	enum file_type type;
	int64_t size;
	unsigned char key[CRYPTO_KEY_LEN];
};

/* Inside the caller's transaction: records the finished uploads as files of
 * case c (locator for the associated data) that came with message_id (0: the
 * report) of kind, and moves them into files/. On error the caller rolls
 * back and then calls files_unattach(). */
int files_attach(struct vd *vd, const struct case_rec *c, const unsigned char case_key[CRYPTO_KEY_LEN],
		 int64_t message_id, const char *kind, struct upload *const *ups, size_t n);
/* After a rollback: moves files that files_attach moved back out of the way. */
void files_unattach(struct vd *vd, struct upload *const *ups, size_t n);

/* A case's files, decrypted; with_notes false leaves out the files of notes. */
int files_list(struct vd *vd, struct arena *a, const struct case_rec *c,
	       const unsigned char case_key[CRYPTO_KEY_LEN], bool with_notes, struct case_file **out, size_t *n);
/* One file of case c by its id; VD_ERR_NOTFOUND if c has none such (or it is
 * a note's file and with_notes is false). The key in *out is the caller's to wipe. */
int files_get(struct vd *vd, struct arena *a, const struct case_rec *c,
	      const unsigned char case_key[CRYPTO_KEY_LEN], const char *file_id, bool with_notes,
	      struct case_file *out);

/* Reads a file back, decrypted, a piece at a time (for a streamed download). */
struct file_reader;
int file_reader_open(struct vd *vd, const struct case_file *f, struct file_reader **out);
/* Up to max bytes into buf: the count, 0 at the end, or a VD_ERR_* (a
 * damaged or cut file is VD_ERR_AUTH: the download then breaks off). */
int64_t file_reader_read(struct file_reader *fr, void *buf, size_t max);
void file_reader_close(struct file_reader *fr);

/* Creates files/ and files/tmp/ if missing. clear_tmp: also removes what an
 * interrupted upload left in files/tmp/ (the server does that at start). */
int files_prepare(struct vd *vd, bool clear_tmp);

#endif
