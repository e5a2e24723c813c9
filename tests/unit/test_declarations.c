/* The integrity declaration (issue 13) in the core: a round from the
 * invitation to the decision, who is refused, the signed version that
 * stays, no plaintext in the database, bad input, and retention. */
#include <sqlite3.h>
#include <string.h>

#include "../../src/core/declarations.h"
#include "../../src/core/documents.h"
#include "../../src/core/internal/app.h"
#include "../../src/core/retention.h"
#include "../../src/core/rounds.h"
#include "../../src/util/clock.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

#define PW "een-lang-wachtwoord-1"
#define CPW "kandidaat-wachtwoord-9"

struct world {
	char path[128];
	struct vd *vd;
	int64_t root, prov, other;
	int64_t a, b, c, counsellor; /* a, b: the province's committee; c: another unit's */
	unsigned char ka[CRYPTO_SK_LEN], kb[CRYPTO_SK_LEN], kc[CRYPTO_SK_LEN], kcoun[CRYPTO_SK_LEN];
	struct principal pa, pb, pc, pcoun;
	int64_t round;
};

static bool world_open(struct world *w)
{
	memset(w, 0, sizeof *w);
	if (!(w->vd = open_fresh(w->path)))
		return false;
	w->root = add_unit(w->vd, "Landelijk", 0);
	w->prov = add_unit(w->vd, "Provincie", w->root);
	w->other = add_unit(w->vd, "Andere provincie", w->root);
	int rc = user_with_keys(w->vd, "Anna Commissie", "anna@example.org", ROLE_CANDIDATE_COMMITTEE, w->prov, PW, &w->a);
	rc = rc ? rc : user_with_keys(w->vd, "Bert Commissie", "bert@example.org", ROLE_CANDIDATE_COMMITTEE, w->prov, PW, &w->b);
	rc = rc ? rc : user_with_keys(w->vd, "Cees Elders", "cees@example.org", ROLE_CANDIDATE_COMMITTEE, w->other, PW, &w->c);
	rc = rc ? rc : user_with_keys(w->vd, "Dana Vertrouwens", "dana@example.org", ROLE_COUNSELLOR, w->prov, PW, &w->counsellor);
	rc = rc ? rc : open_key(w->vd, w->a, PW, w->ka);
	rc = rc ? rc : open_key(w->vd, w->b, PW, w->kb);
	rc = rc ? rc : open_key(w->vd, w->c, PW, w->kc);
	rc = rc ? rc : open_key(w->vd, w->counsellor, PW, w->kcoun);
	if (rc)
		return false;
	principal_init(&w->pa, w->a, ROLE_CANDIDATE_COMMITTEE, w->ka);
	principal_init(&w->pb, w->b, ROLE_CANDIDATE_COMMITTEE, w->kb);
	principal_init(&w->pc, w->c, ROLE_CANDIDATE_COMMITTEE, w->kc);
	principal_init(&w->pcoun, w->counsellor, ROLE_COUNSELLOR, w->kcoun);
	struct round_input in = { .kind = "election", .unit_id = w->prov, .title = "Lijst Provinciale Staten",
				  .opens_on = date_of(clock_now()), .closes_on = date_of(clock_now()) + 30,
				  .questions = "Welke nevenfuncties heb je?\n\n  Welke financiële belangen?  \r\n",
				  .members = { &w->b, 1 } };
	enum round_field bad;
	return round_open(w->vd, &w->pa, &in, &w->round, &bad) == VD_OK;
}

static void world_close(struct world *w)
{
	fixture_close(w->vd, w->path);
	clock_set_offset(0);
}

/* Invites a candidate and spends their link: their id, and their principal
 * with key in *p. */
static int64_t candidate(struct world *w, const char *name, const char *email, int64_t *decl,
			 unsigned char sk[CRYPTO_SK_LEN], struct principal *p)
{
	char link[CANDIDATE_TOKEN_HEX + 1], email_out[256];
	bool mailed = true;
	enum declaration_field bad;
	if (candidate_invite(w->vd, &w->pa, w->round, name, email, link, &mailed, decl, &bad) != VD_OK || mailed ||
	    strlen(link) != CANDIDATE_TOKEN_HEX)
		return 0;
	if (candidate_accept(w->vd, link, CPW, email_out) != VD_OK || strcmp(email_out, email) != 0)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct user_rec u;
	int64_t uid = 0;
	if (w->vd->store->ops->user_find_email(w->vd->store, &a, email, &u) == VD_OK && open_key(w->vd, u.id, CPW, sk) == VD_OK) {
		uid = u.id;
		principal_init(p, uid, ROLE_CANDIDATE, sk);
	}
	arena_release(&a);
	return uid;
}

/* The round's questions' ids. */
static void question_ids(struct world *w, int64_t ids[2])
{
	struct arena a;
	arena_init(&a, 0);
	struct round_detail r;
	ids[0] = ids[1] = 0;
	if (round_get(w->vd, &w->pa, &a, w->round, &r) == VD_OK && r.nquestions == 2) {
		ids[0] = r.questions[0].id;
		ids[1] = r.questions[1].id;
	}
	arena_release(&a);
}

static int64_t current_code(struct vd *vd)
{
	struct arena a;
	arena_init(&a, 0);
	struct document d;
	int64_t id = document_current(vd, &a, DOC_CODE_OF_CONDUCT, 0, "nl", &d) == VD_OK ? d.id : 0;
	arena_release(&a);
	return id;
}

static void a_round_from_invitation_to_decision(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	struct round_detail r;
	CHECK_EQ_INT(round_get(w.vd, &w.pb, &a, w.round, &r), VD_OK);
	CHECK_EQ_INT(r.nquestions, 2);
	CHECK_STR(r.questions[1].text, "Welke financiële belangen?"); /* trimmed, the blank line left out */
	CHECK_EQ_INT(r.nmembers, 2);
	struct round_list rl;
	CHECK_EQ_INT(round_list(w.vd, &w.pb, &a, &rl), VD_OK);
	CHECK(rl.n == 1 && rl.items[0].id == w.round);

	/* the invitation: a link that a wrong password does not spend */
	char link[CANDIDATE_TOKEN_HEX + 1], email[256];
	bool mailed = true;
	int64_t decl;
	enum declaration_field bad;
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pa, w.round, "Karel Kandidaat", "karel@example.org", link, &mailed, &decl, &bad),
		     VD_OK);
	CHECK(!mailed && strlen(link) == CANDIDATE_TOKEN_HEX);
	char again[CANDIDATE_TOKEN_HEX + 1];
	int64_t twice;
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pb, w.round, "Karel", "KAREL@example.org", again, &mailed, &twice, &bad),
		     VD_ERR_EXISTS); /* once per round, whatever the case of the address */
	CHECK_EQ_INT(candidate_accept(w.vd, link, "kort", email), VD_ERR_INVALID);
	CHECK_EQ_INT(candidate_accept(w.vd, link, "karel@example.org", email), VD_ERR_INVALID);
	CHECK_EQ_INT(candidate_accept(w.vd, "00", CPW, email), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(candidate_accept(w.vd, link, CPW, email), VD_OK);
	CHECK_STR(email, "karel@example.org");
	CHECK_EQ_INT(candidate_accept(w.vd, link, CPW, email), VD_ERR_NOTFOUND); /* once */
	struct user_rec u;
	CHECK_EQ_INT(w.vd->store->ops->user_find_email(w.vd->store, &a, "karel@example.org", &u), VD_OK);
	unsigned char ksk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(w.vd, u.id, CPW, ksk), VD_OK);
	struct principal kp;
	principal_init(&kp, u.id, ROLE_CANDIDATE, ksk);

	/* save, come back, submit */
	int64_t q[2];
	question_ids(&w, q);
	const char *first[] = { "ZZANSWER-SIDEJOB penningmeester" };
	int64_t badq;
	CHECK_EQ_INT(declaration_save(w.vd, &kp, decl, q, first, 1, false, 0, &bad, &badq), VD_OK);
	struct declaration d;
	CHECK_EQ_INT(declaration_own(w.vd, &kp, &a, decl, &d), VD_OK);
	CHECK_STR(d.state, "draft");
	CHECK(d.nanswers == 2 && strcmp(d.answers[0].answer, first[0]) == 0 && d.answers[1].answer[0] == '\0');
	struct declaration seen;
	CHECK_EQ_INT(declaration_review(w.vd, &w.pb, &a, decl, &seen), VD_OK);
	CHECK_EQ_INT(seen.nanswers, 0); /* a draft is the candidate's until submitted */
	int64_t code = current_code(w.vd);
	CHECK_EQ_INT(declaration_save(w.vd, &kp, decl, q, first, 1, true, code, &bad, &badq), VD_ERR_INVALID);
	CHECK(bad == DCF_ANSWER && badq == q[1]); /* every question answered */
	const char *both[] = { "ZZANSWER-SIDEJOB penningmeester", "ZZANSWER-MONEY geen" };
	CHECK_EQ_INT(declaration_save(w.vd, &kp, decl, q, both, 2, true, 0, &bad, &badq), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_SIGN);
	CHECK_EQ_INT(declaration_save(w.vd, &kp, decl, q, both, 2, true, code + 1000, &bad, &badq), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_VERSION);
	CHECK_EQ_INT(declaration_save(w.vd, &kp, decl, q, both, 2, true, code, &bad, &badq), VD_OK);
	CHECK_EQ_INT(declaration_save(w.vd, &kp, decl, q, first, 1, false, 0, &bad, &badq), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_STATE); /* submitted: it stays as signed */
	CHECK_EQ_INT(declaration_own(w.vd, &kp, &a, decl, &d), VD_OK);
	CHECK(strcmp(d.state, "submitted") == 0 && d.code_version_id == code && d.signed_at > 0);

	/* the other member reads it, records the interview and the decision */
	CHECK_EQ_INT(declaration_review(w.vd, &w.pb, &a, decl, &d), VD_OK);
	CHECK(d.nanswers == 2 && strcmp(d.answers[1].answer, "ZZANSWER-MONEY geen") == 0);
	CHECK_STR(d.candidate_name, "Karel Kandidaat");
	int64_t today = date_of(clock_now());
	CHECK_EQ_INT(declaration_interview(w.vd, &w.pb, decl, today, "ZZNOTES gesprek ging goed", &bad), VD_OK);
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, decl, "declined", "ZZREASONS te weinig ervaring", false, &bad), VD_OK);
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, decl, "accepted", "", false, &bad), VD_ERR_INVALID); /* once */
	CHECK_EQ_INT(bad, DCF_STATE);
	CHECK_EQ_INT(declaration_review(w.vd, &w.pa, &a, decl, &d), VD_OK);
	CHECK(strcmp(d.outcome, "declined") == 0 && d.interview_on == today);
	CHECK_STR(d.notes, "ZZNOTES gesprek ging goed");
	CHECK_STR(d.reasons, "ZZREASONS te weinig ervaring");
	CHECK(d.purge_after >= clock_now() + 27 * 86400 && d.purge_after <= clock_now() + 28 * 86400);
	/* the candidate sees their declaration, never the committee's notes */
	CHECK_EQ_INT(declaration_own(w.vd, &kp, &a, decl, &d), VD_OK);
	CHECK(d.notes[0] == '\0' && d.reasons[0] == '\0' && d.interview_on == 0);
	CHECK(audit_count_of(w.vd, "declaration.decide", "declaration", decl) == 1);
	CHECK(audit_count_of(w.vd, "declaration.open", "declaration", decl) == 3); /* the draft, and twice after */

	/* nothing anyone wrote is in the database files */
	const char *markers[] = { "ZZANSWER", "ZZNOTES", "ZZREASONS", link };
	CHECK(!db_has_any(w.path, markers, 4));
	arena_release(&a);
	world_close(&w);
}

static void only_the_round_and_the_candidate(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	int64_t decl, other_decl;
	unsigned char k1[CRYPTO_SK_LEN], k2[CRYPTO_SK_LEN];
	struct principal c1, c2;
	CHECK(candidate(&w, "Eva Een", "eva@example.org", &decl, k1, &c1) != 0);
	CHECK(candidate(&w, "Frits Twee", "frits@example.org", &other_decl, k2, &c2) != 0);
	int64_t q[2];
	question_ids(&w, q);
	const char *ans[] = { "x", "y" };
	enum declaration_field bad;
	int64_t badq;
	CHECK_EQ_INT(declaration_save(w.vd, &c1, decl, q, ans, 2, true, current_code(w.vd), &bad, &badq), VD_OK);

	struct principal admin = actor(0, ROLE_ADMIN);
	const struct principal *outsiders[] = { &w.pc, &w.pcoun, &admin, &c2 };
	for (size_t i = 0; i < 4; i++) {
		struct round_detail r;
		struct declaration d;
		struct declaration_list l;
		CHECK(round_get(w.vd, outsiders[i], &a, w.round, &r) == VD_ERR_NOTFOUND);
		CHECK(declaration_review(w.vd, outsiders[i], &a, decl, &d) == VD_ERR_NOTFOUND);
		CHECK(declaration_list_round(w.vd, outsiders[i], &a, w.round, &l) == VD_ERR_NOTFOUND);
		CHECK(declaration_interview(w.vd, outsiders[i], decl, date_of(clock_now()), "x", &bad) == VD_ERR_NOTFOUND);
		CHECK(declaration_decide(w.vd, outsiders[i], decl, "accepted", "", false, &bad) == VD_ERR_NOTFOUND);
		char link[CANDIDATE_TOKEN_HEX + 1];
		bool mailed;
		int64_t id;
		CHECK(candidate_invite(w.vd, outsiders[i], w.round, "X", "x@example.org", link, &mailed, &id, &bad) ==
		      VD_ERR_NOTFOUND);
		/* and none of them reads the candidate's own */
		CHECK(declaration_own(w.vd, outsiders[i], &a, decl, &d) == VD_ERR_NOTFOUND);
	}
	/* a candidate is no member, and the members are not candidates */
	struct declaration d;
	CHECK_EQ_INT(declaration_review(w.vd, &c1, &a, decl, &d), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(declaration_own(w.vd, &w.pa, &a, decl, &d), VD_ERR_NOTFOUND);
	struct declaration_list mine;
	CHECK_EQ_INT(declaration_mine(w.vd, &c2, &a, &mine), VD_OK);
	CHECK(mine.n == 1 && mine.items[0].id == other_decl);
	/* a member without the key (a session that holds none) reads nothing */
	CHECK_EQ_INT(declaration_review(w.vd, as(&w.pb, NULL), &a, decl, &d), VD_ERR_NOKEY);
	/* a colleague let in later reads what was sealed before */
	int64_t late;
	CHECK_EQ_INT(user_with_keys(w.vd, "Gijs Later", "gijs@example.org", ROLE_CANDIDATE_COMMITTEE, w.prov, PW, &late), VD_OK);
	unsigned char kl[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(w.vd, late, PW, kl), VD_OK);
	struct principal pl;
	principal_init(&pl, late, ROLE_CANDIDATE_COMMITTEE, kl);
	CHECK_EQ_INT(declaration_review(w.vd, &pl, &a, decl, &d), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(round_member_add(w.vd, &w.pc, w.round, late), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(round_member_add(w.vd, &w.pa, w.round, w.c), VD_ERR_INVALID); /* another unit's */
	CHECK_EQ_INT(round_member_add(w.vd, &w.pa, w.round, late), VD_OK);
	CHECK_EQ_INT(round_member_add(w.vd, &w.pa, w.round, late), VD_ERR_EXISTS);
	CHECK_EQ_INT(declaration_review(w.vd, &pl, &a, decl, &d), VD_OK);
	CHECK_STR(d.answers[0].answer, "x");
	/* a round key swapped in the database is refused */
	CHECK_EQ_INT(sql_exec(w.path, "UPDATE rounds SET public_key = randomblob(32)"), SQLITE_OK);
	CHECK_EQ_INT(declaration_review(w.vd, &w.pa, &a, decl, &d), VD_ERR_NOTFOUND);
	arena_release(&a);
	world_close(&w);
}

static void the_signed_version_stays(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	int64_t decl;
	unsigned char k[CRYPTO_SK_LEN];
	struct principal c;
	CHECK(candidate(&w, "Hanna Drie", "hanna@example.org", &decl, k, &c) != 0);
	int64_t q[2];
	question_ids(&w, q);
	const char *ans[] = { "x", "y" };
	enum declaration_field bad;
	int64_t badq, signed_v = current_code(w.vd);
	/* the province adopts its own code: that one is signed there from now on */
	struct document_adoption in = { .kind = DOC_CODE_OF_CONDUCT, .unit_id = w.prov, .body_nl = "Code van de provincie",
					.adopted_by = "Provinciaal bestuur", .adopted_on = date_of(clock_now()) };
	int64_t prov_v;
	enum document_field dbad;
	CHECK_EQ_INT(document_adopt(w.vd, &principal_system, &in, &prov_v, &dbad), VD_OK);
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, q, ans, 2, true, signed_v, &bad, &badq), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_VERSION);
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, q, ans, 2, true, prov_v, &bad, &badq), VD_OK);
	/* a new version is adopted after: the declaration keeps the one signed */
	in.body_nl = "Code van de provincie, herzien";
	int64_t newer;
	CHECK_EQ_INT(document_adopt(w.vd, &principal_system, &in, &newer, &dbad), VD_OK);
	struct declaration d;
	CHECK_EQ_INT(declaration_review(w.vd, &w.pa, &a, decl, &d), VD_OK);
	CHECK_EQ_INT(d.code_version_id, prov_v);
	struct document signed_doc;
	CHECK_EQ_INT(document_version(w.vd, &a, d.code_version_id, "nl", &signed_doc), VD_OK);
	CHECK_STR(signed_doc.body, "Code van de provincie");
	CHECK(!signed_doc.current);
	/* questions changed after submitting do not change what was asked:
	 * the declaration keeps its questions as they were */
	CHECK_EQ_INT(sql_exec(w.path, "UPDATE round_questions SET text = 'Iets anders'"), SQLITE_OK);
	CHECK_EQ_INT(declaration_own(w.vd, &c, &a, decl, &d), VD_OK);
	CHECK_STR(d.answers[0].question, "Welke nevenfuncties heb je?");
	arena_release(&a);
	world_close(&w);
}

static void bad_input_changes_nothing(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	int64_t today = date_of(clock_now()), id;
	enum round_field rbad;
	struct round_input good = { .kind = "appointment", .unit_id = w.prov, .title = "Bestuur", .opens_on = today,
				    .closes_on = today + 10, .questions = "Vraag", .members = { NULL, 0 } };
	struct {
		struct round_input in;
		enum round_field field;
	} refused[] = {
		{ { "verkiezing", w.prov, "T", today, today, "Q", { 0 } }, RND_KIND },
		{ { "election", w.other, "T", today, today, "Q", { 0 } }, RND_UNIT },
		{ { "election", 4242, "T", today, today, "Q", { 0 } }, RND_UNIT },
		{ { "election", w.prov, " ", today, today, "Q", { 0 } }, RND_TITLE },
		{ { "election", w.prov, "Twee\nregels", today, today, "Q", { 0 } }, RND_TITLE },
		{ { "election", w.prov, "T", 0, today, "Q", { 0 } }, RND_OPENS },
		{ { "election", w.prov, "T", today, today - 1, "Q", { 0 } }, RND_CLOSES },
		{ { "election", w.prov, "T", today - 9, today - 2, "Q", { 0 } }, RND_CLOSES },
		{ { "election", w.prov, "T", today, today, "\n \n", { 0 } }, RND_QUESTIONS },
		{ { "election", w.prov, "T", today, today, "bad \xff", { 0 } }, RND_QUESTIONS },
		{ { "election", w.prov, "T", today, today, "Q", { &w.c, 1 } }, RND_MEMBERS },
		{ { "election", w.prov, "T", today, today, "Q", { &w.counsellor, 1 } }, RND_MEMBERS },
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		rbad = RND_NONE;
		CHECK_EQ_INT(round_open(w.vd, &w.pa, &refused[i].in, &id, &rbad), VD_ERR_INVALID);
		CHECK_EQ_INT(rbad, refused[i].field);
	}
	char *many = repeat("Vraag\n", ROUND_QUESTIONS_MAX + 1);
	good.questions = many;
	CHECK_EQ_INT(round_open(w.vd, &w.pa, &good, &id, &rbad), VD_ERR_INVALID);
	CHECK_EQ_INT(rbad, RND_QUESTIONS);
	free(many);
	good.questions = "Vraag";
	CHECK_EQ_INT(round_open(w.vd, &w.pcoun, &good, &id, &rbad), VD_ERR_DENIED);
	CHECK_EQ_INT(round_open(w.vd, as(&w.pa, NULL), &good, &id, &rbad), VD_OK); /* the key is sealed to, not used */
	struct round_list rl;
	CHECK_EQ_INT(round_list(w.vd, &w.pa, &a, &rl), VD_OK);
	CHECK_EQ_INT(rl.n, 2); /* the world's round and this one: none of the refused */

	/* invitations */
	char link[CANDIDATE_TOKEN_HEX + 1];
	bool mailed;
	enum declaration_field bad;
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pa, w.round, "", "z@example.org", link, &mailed, &id, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_NAME);
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pa, w.round, "Zoë", "geen-adres", link, &mailed, &id, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_EMAIL);
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pa, w.round, "Dana", "dana@example.org", link, &mailed, &id, &bad),
		     VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_ACCOUNT); /* a staff account's address */
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM declarations"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM users WHERE role = 'candidate'"), 0);

	/* the candidate's answers, the committee's notes and decision */
	int64_t decl;
	unsigned char k[CRYPTO_SK_LEN];
	struct principal c;
	CHECK(candidate(&w, "Ivo Vier", "ivo@example.org", &decl, k, &c) != 0);
	int64_t q[2], badq;
	question_ids(&w, q);
	char *long_answer = repeat("a", DECLARATION_ANSWER_MAX_CHARS + 1);
	const char *too_long[] = { long_answer };
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, q, too_long, 1, false, 0, &bad, &badq), VD_ERR_INVALID);
	CHECK(bad == DCF_ANSWER && badq == q[0]);
	free(long_answer);
	int64_t unknown[] = { 999999 };
	const char *one[] = { "x" };
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, unknown, one, 1, false, 0, &bad, &badq), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_ANSWER);
	CHECK_EQ_INT(declaration_interview(w.vd, &w.pa, decl, today, "x", &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_STATE); /* not submitted yet */
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, decl, "accepted", "", false, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_STATE);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM declarations WHERE content IS NULL AND state = 'invited'"), 1);
	const char *ans[] = { "x", "y" };
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, q, ans, 2, true, current_code(w.vd), &bad, &badq), VD_OK);
	CHECK_EQ_INT(declaration_interview(w.vd, &w.pa, decl, today + 1, "x", &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_DAY);
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, decl, "misschien", "", false, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_OUTCOME);
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, decl, "accepted", "", true, &bad), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_CONSENT);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM declarations WHERE state = 'submitted' AND notes IS NULL"), 1);
	/* past the closing day, a draft can no longer change */
	int64_t late;
	unsigned char k2[CRYPTO_SK_LEN];
	struct principal c2;
	CHECK(candidate(&w, "Jet Vijf", "jet@example.org", &late, k2, &c2) != 0);
	clock_set_offset(31 * 86400);
	CHECK_EQ_INT(declaration_save(w.vd, &c2, late, q, ans, 2, false, 0, &bad, &badq), VD_ERR_INVALID);
	CHECK_EQ_INT(bad, DCF_LATE);
	arena_release(&a);
	world_close(&w);
}

static void retention_destroys_the_declaration_and_the_account(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	int64_t d1, d2, d3;
	unsigned char k1[CRYPTO_SK_LEN], k2[CRYPTO_SK_LEN], k3[CRYPTO_SK_LEN];
	struct principal c1, c2, c3;
	int64_t u1 = candidate(&w, "Kees Zes", "kees@example.org", &d1, k1, &c1);
	int64_t u2 = candidate(&w, "Lies Zeven", "lies@example.org", &d2, k2, &c2);
	int64_t u3 = candidate(&w, "Mo Acht", "mo@example.org", &d3, k3, &c3);
	CHECK(u1 && u2 && u3);
	int64_t q[2], badq;
	question_ids(&w, q);
	const char *ans[] = { "ZZKEPT-ONE", "y" };
	enum declaration_field bad;
	int64_t code = current_code(w.vd);
	CHECK_EQ_INT(declaration_save(w.vd, &c1, d1, q, ans, 2, true, code, &bad, &badq), VD_OK);
	CHECK_EQ_INT(declaration_save(w.vd, &c2, d2, q, ans, 2, true, code, &bad, &badq), VD_OK);
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, d1, "declined", "", false, &bad), VD_OK);   /* 4 weeks */
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, d2, "declined", "", true, &bad), VD_OK);    /* a year */
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, d3, "withdrawn", "", false, &bad), VD_OK);  /* 4 weeks */
	struct retention_summary sum;
	CHECK_EQ_INT(retention_due(w.vd, &principal_system, &sum), VD_OK);
	CHECK_EQ_INT(sum.declarations, 0);
	clock_set_offset(29 * 86400);
	CHECK_EQ_INT(retention_due(w.vd, &principal_system, &sum), VD_OK);
	CHECK_EQ_INT(sum.declarations, 2);
	CHECK_EQ_INT(retention_purge(w.vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK_EQ_INT(sum.declarations, 2);
	struct declaration d;
	CHECK_EQ_INT(declaration_review(w.vd, &w.pa, &a, d1, &d), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(declaration_review(w.vd, &w.pa, &a, d2, &d), VD_OK); /* consent: kept */
	CHECK_STR(d.answers[0].answer, "ZZKEPT-ONE");
	/* the destroyed one's candidate is gone too: no name, no address, no login */
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM users WHERE email IN ('kees@example.org', 'mo@example.org')"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM user_keys WHERE user_id IN (SELECT id FROM users WHERE active = 0)"),
		     0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM declarations WHERE purged_at > 0 AND content IS NULL"
				     " AND round_key IS NULL AND candidate_key IS NULL AND notes IS NULL"), 2);
	CHECK(audit_count_of(w.vd, "declaration.purge", "declaration", d1) == 1);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM users WHERE email = 'lies@example.org'"), 1);
	clock_set_offset(366 * 86400);
	CHECK_EQ_INT(retention_purge(w.vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK_EQ_INT(sum.declarations, 1);
	arena_release(&a);
	world_close(&w);
}

static void drafts_and_shared_accounts_stay_private(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	int64_t decl;
	unsigned char k[CRYPTO_SK_LEN];
	struct principal c;
	CHECK(candidate(&w, "Nina Negen", "nina@example.org", &decl, k, &c) != 0);
	int64_t q[2], badq;
	question_ids(&w, q);
	const char *draft[] = { "ZZDRAFT-ONLY-MINE" };
	enum declaration_field bad;
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, q, draft, 1, false, 0, &bad, &badq), VD_OK);
	/* a draft is not sealed to the round at all, so withdrawing it shows nothing */
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM declarations WHERE round_key IS NULL AND content IS NOT NULL"), 1);
	CHECK_EQ_INT(declaration_decide(w.vd, &w.pa, decl, "withdrawn", "", false, &bad), VD_OK);
	struct declaration d;
	CHECK_EQ_INT(declaration_review(w.vd, &w.pb, &a, decl, &d), VD_OK);
	CHECK_EQ_INT(d.nanswers, 0);
	CHECK_EQ_INT(declaration_own(w.vd, &c, &a, decl, &d), VD_OK);
	CHECK_STR(d.answers[0].answer, "ZZDRAFT-ONLY-MINE"); /* still the candidate's own, until destroyed */

	/* another unit's committee invites an address this round's invitation made
	 * an account for: no link for them to spend, and their own typed name */
	char link[CANDIDATE_TOKEN_HEX + 1];
	bool mailed = true;
	int64_t pending, other_round, theirs;
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pa, w.round, "Otto Open", "otto@example.org", link, &mailed, &pending, &bad),
		     VD_OK);
	CHECK(!mailed && link[0]);
	char first_link[CANDIDATE_TOKEN_HEX + 1];
	memcpy(first_link, link, sizeof first_link);
	int64_t today = date_of(clock_now());
	struct round_input in = { .kind = "appointment", .unit_id = w.other, .title = "Elders", .opens_on = today,
				  .closes_on = today + 5, .questions = "Vraag" };
	enum round_field rbad;
	CHECK_EQ_INT(round_open(w.vd, &w.pc, &in, &other_round, &rbad), VD_OK);
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pc, other_round, "Wie dan ook", "otto@example.org", link, &mailed, &theirs,
				      &bad), VD_OK);
	CHECK(!mailed && link[0] == '\0');
	struct declaration_list l;
	CHECK_EQ_INT(declaration_list_round(w.vd, &w.pc, &a, other_round, &l), VD_OK);
	CHECK(l.n == 1 && strcmp(l.items[0].candidate_name, "Wie dan ook") == 0);
	bool m2;
	CHECK_EQ_INT(candidate_link_renew(w.vd, &w.pc, theirs, link, &m2), VD_ERR_INUSE);
	/* nor this round's member: the other round's declaration hangs on the
	 * account too */
	CHECK_EQ_INT(candidate_link_renew(w.vd, &w.pa, pending, link, &m2), VD_ERR_INUSE);
	/* the first link still works, and then both rounds are the candidate's */
	char email[256];
	CHECK_EQ_INT(candidate_accept(w.vd, first_link, CPW, email), VD_OK);
	arena_release(&a);
	world_close(&w);
}

static void undecided_declarations_expire_and_members_leave(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	char link[CANDIDATE_TOKEN_HEX + 1];
	bool mailed;
	int64_t decl;
	enum declaration_field bad;
	CHECK_EQ_INT(candidate_invite(w.vd, &w.pa, w.round, "Piet Nooit", "piet@example.org", link, &mailed, &decl, &bad),
		     VD_OK);
	/* a member the administrator moves to another unit no longer reads the round */
	struct account_input moved = { .name = "Bert Commissie", .email = "bert@example.org",
				       .role = ROLE_CANDIDATE_COMMITTEE, .units = { &w.other, 1 }, .active = 1 };
	enum account_field abad;
	CHECK_EQ_INT(account_update(w.vd, &principal_system, w.b, &moved, &abad), VD_OK);
	struct round_detail r;
	CHECK_EQ_INT(round_get(w.vd, &w.pb, &a, w.round, &r), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(round_get(w.vd, &w.pa, &a, w.round, &r), VD_OK);
	/* never decided: destroyed a year after the round closed, with the account */
	struct retention_summary sum;
	clock_set_offset((30 + 365) * 86400);
	CHECK_EQ_INT(retention_due(w.vd, &principal_system, &sum), VD_OK);
	CHECK_EQ_INT(sum.declarations, 0);
	clock_set_offset((30 + 367) * 86400);
	CHECK_EQ_INT(retention_purge(w.vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK_EQ_INT(sum.declarations, 1);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM users WHERE email = 'piet@example.org'"), 0);
	CHECK_EQ_INT(sql_int(w.path, "SELECT count(*) FROM candidate_links"), 0);
	char email[256];
	CHECK_EQ_INT(candidate_accept(w.vd, link, CPW, email), VD_ERR_NOTFOUND);
	arena_release(&a);
	world_close(&w);
}

static void a_forgotten_password_starts_the_draft_again(void)
{
	struct world w;
	CHECK(world_open(&w));
	struct arena a;
	arena_init(&a, 0);
	int64_t decl;
	unsigned char k[CRYPTO_SK_LEN];
	struct principal c;
	int64_t uid = candidate(&w, "Quinten Tien", "quinten@example.org", &decl, k, &c);
	CHECK(uid != 0);
	int64_t q[2], badq;
	question_ids(&w, q);
	const char *one[] = { "ZZBEFORE" };
	enum declaration_field bad;
	CHECK_EQ_INT(declaration_save(w.vd, &c, decl, q, one, 1, false, 0, &bad, &badq), VD_OK);
	char link[CANDIDATE_TOKEN_HEX + 1], email[256];
	bool mailed;
	CHECK_EQ_INT(candidate_link_renew(w.vd, &w.pb, decl, link, &mailed), VD_OK);
	CHECK(!mailed && link[0]);
	CHECK_EQ_INT(candidate_accept(w.vd, link, "een-nieuw-wachtwoord-7", email), VD_OK);
	unsigned char old[CRYPTO_SK_LEN], fresh[CRYPTO_SK_LEN];
	CHECK(open_key(w.vd, uid, CPW, old) != VD_OK); /* the old password opens nothing */
	CHECK_EQ_INT(open_key(w.vd, uid, "een-nieuw-wachtwoord-7", fresh), VD_OK);
	struct principal again;
	principal_init(&again, uid, ROLE_CANDIDATE, fresh);
	struct declaration d;
	CHECK_EQ_INT(declaration_own(w.vd, &again, &a, decl, &d), VD_OK);
	CHECK(strcmp(d.state, "invited") == 0 && d.answers[0].answer[0] == '\0'); /* the draft starts again */
	const char *ans[] = { "x", "y" };
	CHECK_EQ_INT(declaration_save(w.vd, &again, decl, q, ans, 2, true, current_code(w.vd), &bad, &badq), VD_OK);
	/* submitted: no more new links */
	CHECK_EQ_INT(candidate_link_renew(w.vd, &w.pb, decl, link, &mailed), VD_ERR_INVALID);
	CHECK_EQ_INT(declaration_review(w.vd, &w.pa, &a, decl, &d), VD_OK);
	CHECK_STR(d.answers[0].answer, "x");
	arena_release(&a);
	world_close(&w);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(a_round_from_invitation_to_decision),
		TEST(only_the_round_and_the_candidate),
		TEST(the_signed_version_stays),
		TEST(bad_input_changes_nothing),
		TEST(retention_destroys_the_declaration_and_the_account),
		TEST(drafts_and_shared_accounts_stay_private),
		TEST(undecided_declarations_expire_and_members_leave),
		TEST(a_forgotten_password_starts_the_draft_again),
	};
	return check_run("declarations", tests, sizeof tests / sizeof tests[0]);
}
