/*
 * rounds: a candidate committee's round (DESIGN.md §1, §3): an election or
 * an appointment for a unit, with its dates, the questions candidates
 * answer and the members who read the declarations.
 *
 * Only the round's members see it, and nobody else: not another round's
 * committee, not a counsellor, not the administrator. Each round has a key
 * pair. Candidates seal their declaration's key to its public half; its
 * secret half is sealed to each member's own key pair, so a member reads
 * with their password and a copy of the database alone opens nothing. A
 * member can let a colleague of the committee in (round_member_add): the
 * round's secret is then sealed to them too.
 */
#ifndef VD_ROUNDS_H
#define VD_ROUNDS_H

#include <stdbool.h>

#include "../util/arena.h"
#include "../util/ids.h"
#include "app.h"
#include "units.h"

#define ROUND_TITLE_MAX_CHARS 160
#define ROUND_QUESTIONS_MAX 30
#define ROUND_QUESTION_MAX_CHARS 500
#define ROUND_MEMBERS_MAX 12
#define ROUNDS_LIST_MAX 200

/* The kinds of round: "election" (a place on a list of candidates) and
 * "appointment" (a board or other office). NULL-terminated. */
extern const char *const round_kinds[];

struct round {
	int64_t id;
	int64_t unit_id;
	const char *kind;
	const char *title;
	int64_t opens_on, closes_on; /* days */
	int64_t created_by, created_at;
	int64_t n_invited, n_draft, n_submitted, n_decided; /* declarations by state */
};

struct round_list {
	struct round *items;
	size_t n;
};

struct round_question {
	int64_t id;
	const char *text;
};

struct round_person {
	int64_t user_id;
	const char *name;
};

/* A round as its page shows it. */
struct round_detail {
	struct round round;
	struct round_question *questions;
	size_t nquestions;
	struct round_person *members;
	size_t nmembers;
};

/* A new round, as the form gives it. */
struct round_input {
	const char *kind;
	int64_t unit_id;
	const char *title;
	int64_t opens_on, closes_on;
	const char *questions;  /* one per line; blank lines are left out */
	struct id_list members; /* colleagues besides the one who opens it */
};

enum round_field { RND_NONE, RND_KIND, RND_UNIT, RND_TITLE, RND_OPENS, RND_CLOSES, RND_QUESTIONS, RND_MEMBERS, RND_KEYS };

/* A member of the candidate committee opens a round for a unit they
 * serve, with members of the committee of that unit (or one above) who
 * have a key pair. *id is the new round. On VD_ERR_INVALID, *bad names the
 * field (RND_KEYS: the one who opens it has no key pair yet). */
int round_open(struct vd *vd, const struct principal *who, const struct round_input *in, int64_t *id,
	       enum round_field *bad);

/* The rounds who is a member of, newest first. */
int round_list(struct vd *vd, const struct principal *who, struct arena *a, struct round_list *out);

/* A round of which who is a member; VD_ERR_NOTFOUND for any other (one
 * answer, whether it exists or not). */
int round_get(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, struct round_detail *out);

/* The colleagues who could be members of a round of unit (0: of any unit
 * who serves): active candidate committee accounts with a key pair,
 * attached to it or a unit above, without who. */
int round_colleagues(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit,
		     struct round_person **out, size_t *n);

/* The units who may open a round for (those they serve), in tree order
 * with their depth. */
int round_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out, int **depth);

/* A member lets a colleague in (one round_colleagues gives for the
 * round's unit). VD_ERR_EXISTS if they are a member already, VD_ERR_TOOBIG
 * when the round has ROUND_MEMBERS_MAX. A member stops reading the round
 * once the administrator takes them off the committee of its unit (their
 * role or units changed): round_member_check looks each time. */
int round_member_add(struct vd *vd, const struct principal *who, int64_t round_id, int64_t user_id);

#endif
