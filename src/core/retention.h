/*
 * retention: records whose term is over are destroyed (crypto-shredding).
 *
 * The terms are the config's retention_* settings (years after a record
 * closed; config.c says why each default is what it is). Destroying a
 * record removes every key that opens it first (the readers' sealed copies
 * and the copy under the receipt code), then its content, the rows of
 * content that belong to it and its files. Its *stat* fields stay, so
 * annual reports still count it. Each destruction is one transaction with
 * its audit entry. What it cannot reach is a copy made before: a backup
 * holds the record and its readers' sealed keys, which their passwords
 * still open (docs/operations.md: keep backups for a short time only).
 */
#ifndef VD_RETENTION_H
#define VD_RETENTION_H

#include <stdint.h>

#include "app.h"

struct retention_summary {
	int64_t cases, complaints, wb_reports; /* destroyed (or, counting, due) */
	int64_t declarations;                  /* integrity declarations, with their last candidates' accounts */
	int64_t log_entries;                   /* log entries whose subject was emptied */
	int64_t files;                         /* uploads removed */
	int64_t failed;                        /* records that could not be destroyed (logged; tried next run) */
	bool more;                             /* limit reached: more is due */
	bool compact_later;                    /* a reader kept the write-ahead log from being cleared */
};

struct retention_progress {
	void (*report)(void *ctx, int64_t done, int64_t total);
	void *ctx;
};

/* What is due now, without destroying anything (log_entries and files are
 * not counted). The system principal only (the CLI, the server itself). */
int retention_due(struct vd *vd, const struct principal *who, struct retention_summary *out);

/* Destroys what is due now, at most limit records (0: all; the server
 * does a little at a time so it goes on serving); progress may be NULL. A
 * record that cannot be destroyed is counted in failed and left for the
 * next run; an error is returned only when the store cannot be read. */
int retention_purge(struct vd *vd, const struct principal *who, size_t limit, const struct retention_progress *progress,
		    struct retention_summary *out);

#endif
