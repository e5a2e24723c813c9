/* internal/declarations: what rounds.c and the declaration modules share:
 * the check that someone is a member of a round, and the round's secret
 * key opened with the member's own. */
#ifndef VD_INTERNAL_DECLARATIONS_H
#define VD_INTERNAL_DECLARATIONS_H

#include "../declarations.h"
#include "../rounds.h"
#include "app.h"

/* The round's record if who is a member of it (and of the candidate
 * committee) and its key checks out; VD_ERR_NOTFOUND otherwise, one answer
 * for "no such round" and "not yours". */
int round_member_check(struct vd *vd, const struct principal *who, struct arena *a, int64_t round_id,
		       struct round_rec *out);

/* As round_member_check, and the round's secret key into sk (the caller
 * wipes it); VD_ERR_NOKEY when who's session holds no key that opens it. */
int round_secret(struct vd *vd, const struct principal *who, struct arena *a, int64_t round_id,
		 struct round_rec *out, unsigned char sk[CRYPTO_SK_LEN]);

/* The round's public key is the one its creator made (its keyed hash under
 * the data directory's secret): a key swapped in the database is refused. */
bool round_key_valid(struct vd *vd, const struct round_rec *r);

/* A round_rec as pages show it. */
void round_from_rec(const struct round_rec *r, struct round *out);

/* What a declaration's content and the committee's notes are bound to. */
void declaration_content_ad(int64_t id, char ad[64]);
void declaration_notes_ad(int64_t id, char ad[64]);

/* A declaration_rec (and its round, when r is not NULL) as pages show it,
 * without answers or notes. */
void declaration_from_rec(const struct declaration_rec *d, const struct round_rec *r, struct declaration *out);

/* The answers in d's content under key (none for a declaration never
 * saved), and the other way round. */
int declaration_answers_open(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], const struct declaration_rec *d,
			     struct declaration_answer **out, size_t *n);
int declaration_answers_seal(struct arena *a, const unsigned char key[CRYPTO_KEY_LEN], int64_t id,
			     const struct declaration_answer *answers, size_t n, unsigned char **blob, size_t *len);

#endif
