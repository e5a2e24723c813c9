/*
 * audit: the append-only, hash-chained audit log (DESIGN.md §4).
 *
 * Every entry records who did what to which record and when: an actor id, an
 * action and an object kind from closed lists, an object id, a time. Never
 * content, never a name, code or address: the administrator may read this log.
 *
 * The chain: entry n's hash is BLAKE2b-256 over entry n-1's hash and a
 * canonical, length-prefixed encoding of entry n's fields (the first entry
 * follows 32 zero bytes). Changing, removing or inserting an entry breaks the
 * chain at that point, unless every later hash is recomputed too; that takes
 * write access to the database, and is caught by comparing the head hash with
 * one noted down elsewhere earlier (docs/security.md).
 */
#ifndef VD_AUDIT_H
#define VD_AUDIT_H

#include <stdbool.h>

#include "../util/arena.h"
#include "app.h"

#define AUDIT_HASH_LEN 32

/* An entry as the administrator reads it. */
struct audit_entry {
	int64_t seq;             /* 1, 2, 3, ... in the order written */
	int64_t at;
	int64_t actor_id;        /* staff user id; 0 for a reporter or the system */
	const char *action;      /* one of audit_actions */
	const char *object_kind; /* one of audit_object_kinds */
	int64_t object_id;
};

struct audit_list {
	struct audit_entry *items;
	size_t n;
};

/* The closed lists (NULL-terminated): what may be recorded, and nothing else. */
extern const char *const audit_actions[];
extern const char *const audit_object_kinds[];
/* True if name is one of the closed list of actions / object kinds. */
bool audit_action_valid(const char *name);
bool audit_object_kind_valid(const char *name);

/* Why the chain breaks at an entry. */
enum audit_break {
	AUDIT_INTACT = 0,
	AUDIT_GAP,        /* an entry is missing: the next one has a later seq */
	AUDIT_PREV,       /* its prev_hash is not the previous entry's hash */
	AUDIT_HASH,       /* its hash does not match its own fields */
	AUDIT_MALFORMED,  /* a hash of the wrong size, or fields too large to hash */
};

/* What a verification found. */
struct audit_report {
	int64_t entries;                    /* entries checked (all of them when intact) */
	unsigned char head[AUDIT_HASH_LEN]; /* the last entry's hash; zeros for an empty log */
	int64_t broken_at;                  /* seq of the first bad entry; 0 when intact */
	int64_t found_seq;                  /* AUDIT_GAP: the seq found where broken_at was due */
	enum audit_break why;
};

/* A short English reason, e.g. "the entry's hash does not match its contents". */
const char *audit_break_text(enum audit_break why);

/*
 * Walks the whole log in seq order, in pages (bounded memory, whatever its
 * length), and checks every link. VD_OK with *out filled whether the chain is
 * intact or not; an error only when the store cannot be read.
 */
int audit_verify(struct vd *vd, struct audit_report *out);

/* The stored hash of entry seq (VD_ERR_NOTFOUND if there is none): after an
 * intact verification, compare it with a head noted down when the log had
 * seq entries. Equal means nothing up to that entry was rewritten since. */
int audit_hash_at(struct vd *vd, int64_t seq, unsigned char out[AUDIT_HASH_LEN]);

/* The administrator reads the log, newest first: per_page entries with seq
 * below before (0: from the newest). *more tells whether older ones follow;
 * the next page is then "before = the last entry's seq". */
int audit_page(struct vd *vd, const struct principal *who, struct arena *a, int64_t before, size_t per_page,
	       struct audit_list *out, bool *more);

#endif
