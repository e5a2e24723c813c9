/*
 * internal/files: what the core does with files (see ../files.h): keeping
 * an upload with a record, listing a case's files and opening one.
 */
#ifndef VD_INTERNAL_FILES_H
#define VD_INTERNAL_FILES_H

#include "../files.h"
#include "app.h"

/* Removes an upload's file once the rows naming it are gone (retention). */
void files_remove(struct vd *vd, const char *file_id);

/* One file as it arrives. */
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
/* One file of case c by its id, ready to be read: *info describes it and
 * *reader reads it. VD_ERR_NOTFOUND if c has none such (or it is a note's
 * file and with_notes is false); VD_ERR_STORE for a missing or damaged file. */
int files_open(struct vd *vd, struct arena *a, const struct case_rec *c,
	       const unsigned char case_key[CRYPTO_KEY_LEN], const char *file_id, bool with_notes,
	       struct case_file *info, struct file_reader **reader);

/* The same for the files of a complaint (under its key; letter_id 0: with
 * the complaint itself). */
int files_attach_complaint(struct vd *vd, int64_t complaint_id, const unsigned char key[CRYPTO_KEY_LEN],
			   int64_t letter_id, const char *kind, struct upload *const *ups, size_t n);
int files_list_complaint(struct vd *vd, struct arena *a, int64_t complaint_id, const unsigned char key[CRYPTO_KEY_LEN],
			 struct case_file **out, size_t *n);
int files_open_complaint(struct vd *vd, struct arena *a, int64_t complaint_id, const unsigned char key[CRYPTO_KEY_LEN],
			 const char *file_id, struct case_file *info, struct file_reader **reader);

/* And for a report of wrongdoing, under its mailbox key (event_id 0: with
 * the report itself, else the reporter's message). */
int files_attach_wb(struct vd *vd, int64_t report_id, const unsigned char key[CRYPTO_KEY_LEN], int64_t event_id,
		    const char *kind, struct upload *const *ups, size_t n);
int files_list_wb(struct vd *vd, struct arena *a, int64_t report_id, const unsigned char key[CRYPTO_KEY_LEN],
		  struct case_file **out, size_t *n);
int files_open_wb(struct vd *vd, struct arena *a, int64_t report_id, const unsigned char key[CRYPTO_KEY_LEN],
		  const char *file_id, struct case_file *info, struct file_reader **reader);

/* Creates files/ and files/tmp/ if missing. clear_tmp: also removes what an
 * interrupted upload left in files/tmp/, and files no row names. */
int files_prepare(struct vd *vd, bool clear_tmp);

#endif
