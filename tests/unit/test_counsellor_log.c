/* Unit tests: the counsellor's own log — every field validated (and nothing
 * stored when one is wrong), only its counsellor reaches an entry, the
 * subject is sealed (not in the database file or its WAL), totals per unit
 * and year, paging, and the audit entries of adding and deleting. */
#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "../../src/core/accounts.h"
#include "../../src/core/audit.h"
#include "../../src/core/counsellor_log.h"
#include "../../src/core/internal/throttle.h"
#include "../../src/core/units.h"
#include "../../src/util/date.h"
#include "../../src/web/i18n.h"
#include "check.h"
#include "fixture.h"

/* The epoch day of a date written as text. */
static int64_t day_of(const char *ymd)
{
	int64_t day = -1;
	date_parse(ymd, &day);
	return day;
}

/* ---- helpers ------------------------------------------------------------------ */

static int64_t add_unit(struct vd *vd, const char *name, int64_t parent)
{
	int64_t id = 0;
	if (unit_add(vd, &principal_system, name, parent ? "province" : "national", parent, &id))
		return 0;
	return id;
}

static int64_t add_account(struct vd *vd, const char *email, enum vd_role role, int64_t unit,
			   char pw[ACTIVATION_PASSWORD_LEN + 1])
{
	struct account_input in = { .name = "Test Persoon", .email = email, .role = role,
				    .units = { &unit, unit ? 1 : 0 }, .active = 1 };
	int64_t id = 0;
	enum account_field bad;
	return account_create(vd, &principal_system, &in, &id, pw, &bad) == VD_OK ? id : 0;
}

static const struct login_attempt from_here = { "t", 1, NULL };

/* A counsellor with a key pair (made by their first own password); sk gets
 * their secret key. */
static int64_t counsellor(struct vd *vd, const char *email, int64_t unit, const char *password,
			  unsigned char sk[CRYPTO_SK_LEN])
{
	char act[ACTIVATION_PASSWORD_LEN + 1];
	int64_t id = add_account(vd, email, ROLE_COUNSELLOR, unit, act);
	if (!id)
		return 0;
	struct principal me = actor(id, ROLE_COUNSELLOR);
	struct password_change pc = { act, password, NULL, false };
	struct password_changed done;
	enum account_field bad;
	int64_t retry;
	int rc = account_change_password(vd, &me, &pc, &from_here, &bad, &retry, &done);
	crypto_wipe(&done, sizeof done);
	if (rc || open_key(vd, id, password, sk))
		return 0;
	return id;
}

/* "YYYY-MM-DD" of today plus days, by the same clock as the module's. */
static void day_from_today(int days, char out[11])
{
	time_t t = (time_t)(clock_now() + (int64_t)days * 86400);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int64_t audit_count(struct vd *vd)
{
	struct arena a;
	struct audit_rec last;
	arena_init(&a, 0);
	int rc = vd->store->ops->audit_last(vd->store, &a, &last);
	arena_release(&a);
	return rc == VD_OK ? last.seq : rc == VD_ERR_NOTFOUND ? 0 : -1;
}

/* True if the newest audit entry is (actor, action, log_entry, id). */
static bool last_audit_is(struct vd *vd, int64_t actor, const char *action, int64_t id)
{
	struct arena a;
	struct audit_rec r;
	arena_init(&a, 0);
	bool ok = vd->store->ops->audit_last(vd->store, &a, &r) == VD_OK && r.actor_id == actor &&
		  strcmp(r.action, action) == 0 && strcmp(r.object_kind, "log_entry") == 0 && r.object_id == id;
	arena_release(&a);
	return ok;
}

/* Rows in counsellor_log, read behind the module's back. */
static int64_t rows(const char *path)
{
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", path);
	sqlite3 *h;
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM counsellor_log", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return n;
}

static struct counsellor_log_input advice(const char *date, int64_t unit)
{
	return (struct counsellor_log_input){ .kind = "advice", .on_date = date, .unit_id = unit, .asked = 1,
					      .audience = "manager", .subject = "Voorlichting over pesten" };
}

static struct counsellor_log_input timed(const char *kind, const char *date, int64_t minutes)
{
	return (struct counsellor_log_input){ .kind = kind, .on_date = date, .asked = -1, .minutes = minutes };
}

/* Which fields errs marks, as a bit set. */
static unsigned bad_set(const struct counsellor_log_errors *errs)
{
	unsigned set = 0;
	for (int i = 0; i < CLF_COUNT; i++)
		if (errs->bad[i])
			set |= 1u << i;
	return set;
}

#define BIT(f) (1u << (f))

/* ---- tests -------------------------------------------------------------------- */

static void dates_are_checked_strictly(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	CHECK(date_valid("2000-01-01"));
	CHECK(date_valid("2024-02-29"));
	CHECK(date_valid("2026-12-31"));
	const char *bad[] = { "2026-02-30", "2023-02-29", "1900-02-29", "1999-12-31", "2024-13-01", "2024-00-10",
			      "2024-04-31", "2024-04-00", "2024-4-01", "24-04-01", "2024/04/01", "2024-04-01 ",
			      " 2024-04-01", "20240401", "2024-04-0a", "2024-04-+1", "", "14-03-2026" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!date_valid(bad[i]));
	CHECK(!date_valid(NULL));
	char today[11], mine[11];
	counsellor_log_today(today);
	day_from_today(0, mine);
	CHECK_STR(today, mine);
	CHECK(date_valid(today));
	fixture_close(vd, path);
}

static void every_field_is_validated_and_nothing_stored(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0);
	unsigned char sk[CRYPTO_SK_LEN];
	int64_t c = counsellor(vd, "anna@example.org", root, "password of anna", sk);
	CHECK(root && c);
	struct principal me = actor(c, ROLE_COUNSELLOR);
	char today[11], tomorrow[11], later[11];
	counsellor_log_today(today);
	day_from_today(1, tomorrow);
	day_from_today(400, later);
	static char long_subject[202], long_wide[2 * 201 + 1], max_wide[2 * 200 + 1];
	memset(long_subject, 'x', 201);
	for (int i = 0; i < 201; i++)
		memcpy(long_wide + 2 * i, "\xc3\xa9", 2); /* é */
	memcpy(max_wide, long_wide, 2 * 200);

	/* One field of a valid entry (advice, training or supervision) changed. */
	enum { A, T, S };
	const struct {
		int base;
		enum counsellor_log_field field;
		const char *text; /* the new value of a text field */
		int64_t num;      /* of a number field */
		unsigned want;    /* the fields that must be marked, and only those */
	} cases[] = {
		/* dates, on every kind */
		{ A, CLF_DATE, "2026-02-30", 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, "2023-02-29", 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, "1999-12-31", 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, tomorrow, 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, later, 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, "", 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, NULL, 0, BIT(CLF_DATE) },
		{ A, CLF_DATE, "6-5-2024", 0, BIT(CLF_DATE) },
		{ T, CLF_DATE, tomorrow, 0, BIT(CLF_DATE) },
		{ S, CLF_DATE, "2024-02-30", 0, BIT(CLF_DATE) },
		/* the kind */
		{ A, CLF_KIND, "advise", 0, BIT(CLF_KIND) },
		{ A, CLF_KIND, "Advice", 0, BIT(CLF_KIND) },
		{ A, CLF_KIND, "", 0, BIT(CLF_KIND) },
		{ A, CLF_KIND, NULL, 0, BIT(CLF_KIND) },
		/* advice: unit, asked, audience, subject; no duration */
		{ A, CLF_UNIT, NULL, 0, BIT(CLF_UNIT) },
		{ A, CLF_UNIT, NULL, -1, BIT(CLF_UNIT) },
		{ A, CLF_UNIT, NULL, 999999, BIT(CLF_UNIT) },
		{ A, CLF_ASKED, NULL, -1, BIT(CLF_ASKED) },
		{ A, CLF_ASKED, NULL, 2, BIT(CLF_ASKED) },
		{ A, CLF_AUDIENCE, "", 0, BIT(CLF_AUDIENCE) },
		{ A, CLF_AUDIENCE, NULL, 0, BIT(CLF_AUDIENCE) },
		{ A, CLF_AUDIENCE, "ceo", 0, BIT(CLF_AUDIENCE) },
		{ A, CLF_AUDIENCE, "Manager", 0, BIT(CLF_AUDIENCE) },
		{ A, CLF_SUBJECT, "", 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, "   ", 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, NULL, 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, long_subject, 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, long_wide, 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, "twee\nregels", 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, "tab\there", 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, "bad \xff byte", 0, BIT(CLF_SUBJECT) },
		{ A, CLF_SUBJECT, "\xc3\x28", 0, BIT(CLF_SUBJECT) },
		{ A, CLF_MINUTES, NULL, 30, BIT(CLF_MINUTES) },
		/* training: a duration of 1..1440 minutes, maybe a topic, no unit or audience */
		{ T, CLF_MINUTES, NULL, 0, BIT(CLF_MINUTES) },
		{ T, CLF_MINUTES, NULL, -5, BIT(CLF_MINUTES) },
		{ T, CLF_MINUTES, NULL, 24 * 60 + 1, BIT(CLF_MINUTES) },
		{ T, CLF_MINUTES, NULL, 100000, BIT(CLF_MINUTES) },
		{ T, CLF_SUBJECT, long_subject, 0, BIT(CLF_SUBJECT) },
		{ T, CLF_SUBJECT, "a\nb", 0, BIT(CLF_SUBJECT) },
		{ T, CLF_UNIT, NULL, 1, BIT(CLF_UNIT) },
		{ T, CLF_AUDIENCE, "board", 0, BIT(CLF_AUDIENCE) },
		/* supervision: a duration, and no subject at all */
		{ S, CLF_MINUTES, NULL, 0, BIT(CLF_MINUTES) },
		{ S, CLF_MINUTES, NULL, 1441, BIT(CLF_MINUTES) },
		{ S, CLF_SUBJECT, "Wie was er bij", 0, BIT(CLF_SUBJECT) },
	};
	const struct counsellor_log_input bases[] = {
		[A] = advice("2024-05-06", root), [T] = timed("training", "2024-05-06", 90),
		[S] = timed("supervision", "2024-05-06", 120),
	};
	int64_t entries = audit_count(vd);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct counsellor_log_input in = bases[cases[i].base];
		switch (cases[i].field) {
		case CLF_KIND: in.kind = cases[i].text; break;
		case CLF_DATE: in.on_date = cases[i].text; break;
		case CLF_UNIT: in.unit_id = cases[i].num; break;
		case CLF_ASKED: in.asked = (int)cases[i].num; break;
		case CLF_AUDIENCE: in.audience = cases[i].text; break;
		case CLF_MINUTES: in.minutes = cases[i].num; break;
		case CLF_SUBJECT: in.subject = cases[i].text; break;
		default: CHECK(!"no such field");
		}
		struct counsellor_log_errors errs;
		int64_t id = 0;
		if (counsellor_log_add(vd, &me, &in, &id, &errs) != VD_ERR_INVALID || bad_set(&errs) != cases[i].want ||
		    !errs.any) {
			fprintf(stderr, "case %zu: marked %x, want %x\n", i, bad_set(&errs), cases[i].want);
			CHECK(!"a bad entry was not refused with its fields marked");
		}
	}
	/* several wrong at once: each one is said */
	struct counsellor_log_input several[] = {
		{ .kind = "advice", .on_date = "2024-02-30", .asked = -1 },
		{ .kind = "training", .on_date = tomorrow, .minutes = 0, .subject = long_subject },
	};
	const unsigned several_want[] = {
		BIT(CLF_DATE) | BIT(CLF_UNIT) | BIT(CLF_ASKED) | BIT(CLF_AUDIENCE) | BIT(CLF_SUBJECT),
		BIT(CLF_DATE) | BIT(CLF_MINUTES) | BIT(CLF_SUBJECT),
	};
	for (size_t i = 0; i < 2; i++) {
		struct counsellor_log_errors errs;
		int64_t id;
		CHECK_EQ_INT(counsellor_log_add(vd, &me, &several[i], &id, &errs), VD_ERR_INVALID);
		CHECK_EQ_INT(bad_set(&errs), several_want[i]);
	}
	CHECK_EQ_INT(rows(path), 0);
	CHECK_EQ_INT(audit_count(vd), entries); /* no entry for a refused one */

	/* the edges that are right */
	struct counsellor_log_errors errs;
	int64_t id;
	struct counsellor_log_input ok[] = {
		advice(today, root), advice("2000-01-01", root), advice("2024-02-29", root),
		timed("training", today, 1), timed("training", "2024-05-06", 24 * 60),
		timed("supervision", today, 45),
	};
	ok[1].asked = 0;
	ok[1].audience = "board";
	ok[2].subject = max_wide;
	ok[3].subject = "Training over grenzen stellen";
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		CHECK_EQ_INT(counsellor_log_add(vd, &me, &ok[i], &id, &errs), VD_OK);
		CHECK(!errs.any && id > 0);
	}
	CHECK_EQ_INT(rows(path), 6);
	/* what was stored is what was given */
	struct arena ar;
	arena_init(&ar, 0);
	struct counsellor_log_entry *items;
	size_t n;
	bool more;
	struct counsellor_log_cursor next;
	CHECK_EQ_INT(counsellor_log_page(vd, as(&me, sk), &ar, NULL, 50, &items, &n, &more, &next), VD_OK);
	CHECK(n == 6 && !more);
	bool seen_board = false, seen_day = false;
	for (size_t i = 0; i < n; i++) {
		const struct counsellor_log_entry *e = &items[i];
		CHECK(!e->unreadable);
		if (e->on_day == day_of("2000-01-01")) {
			CHECK(strcmp(e->kind, "advice") == 0 && !e->asked && strcmp(e->audience, "board") == 0);
			CHECK(e->unit_id == root && e->minutes == 0 && strcmp(e->subject, "Voorlichting over pesten") == 0);
			seen_board = true;
		}
		if (strcmp(e->kind, "training") == 0 && e->minutes == 24 * 60) {
			CHECK(e->unit_id == 0 && !e->asked && strcmp(e->audience, "") == 0 && strcmp(e->subject, "") == 0);
			seen_day = true;
		}
		if (e->on_day == day_of("2024-02-29"))
			CHECK_STR(e->subject, max_wide);
		if (strcmp(e->kind, "supervision") == 0)
			CHECK(e->minutes == 45 && strcmp(e->subject, "") == 0);
	}
	CHECK(seen_board && seen_day);
	crypto_wipe(sk, sizeof sk);
	arena_release_wipe(&ar);
	fixture_close(vd, path);
}

static void only_the_counsellor_reaches_their_own_log(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0);
	unsigned char sk1[CRYPTO_SK_LEN], sk2[CRYPTO_SK_LEN];
	int64_t c1 = counsellor(vd, "een@example.org", root, "password of een", sk1);
	int64_t c2 = counsellor(vd, "twee@example.org", root, "password of twee", sk2);
	char act[ACTIVATION_PASSWORD_LEN + 1];
	int64_t nokeys = add_account(vd, "nieuw@example.org", ROLE_COUNSELLOR, root, act);
	int64_t admin = add_account(vd, "beheer@example.org", ROLE_ADMIN, 0, act);
	int64_t reader = add_account(vd, "lezer@example.org", ROLE_READER, root, act);
	CHECK(c1 && c2 && nokeys && admin && reader);
	struct principal one = actor(c1, ROLE_COUNSELLOR), two = actor(c2, ROLE_COUNSELLOR);
	struct principal adm = actor(admin, ROLE_ADMIN), rd = actor(reader, ROLE_READER), nk = actor(nokeys, ROLE_COUNSELLOR);
	struct counsellor_log_input in = advice("2024-05-06", root);
	struct counsellor_log_errors errs;
	int64_t id, id2, other;
	CHECK_EQ_INT(counsellor_log_add(vd, &one, &in, &id, &errs), VD_OK);
	CHECK(last_audit_is(vd, c1, "log.add", id));
	CHECK_EQ_INT(counsellor_log_add(vd, &one, &in, &id2, &errs), VD_OK);
	CHECK(last_audit_is(vd, c1, "log.add", id2));
	CHECK_EQ_INT(counsellor_log_add(vd, &two, &in, &other, &errs), VD_OK);
	int64_t entries = audit_count(vd);
	/* other roles may not keep, read or change a log at all */
	const struct principal *refused[] = { &adm, &rd, &principal_system };
	struct arena a;
	arena_init(&a, 0);
	struct counsellor_log_entry *items;
	size_t n;
	bool more;
	struct counsellor_log_cursor next;
	struct counsellor_log_totals tot;
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		int64_t x;
		CHECK_EQ_INT(counsellor_log_add(vd, refused[i], &in, &x, &errs), VD_ERR_DENIED);
		CHECK_EQ_INT(counsellor_log_page(vd, as(refused[i], sk1), &a, NULL, 25, &items, &n, &more, &next),
			     VD_ERR_DENIED);
		CHECK_EQ_INT(counsellor_log_remove(vd, refused[i], id), VD_ERR_DENIED);
		CHECK_EQ_INT(counsellor_log_own_totals(vd, refused[i], 2024, &tot), VD_ERR_DENIED);
	}
	/* a counsellor without a key pair is refused clearly, and nothing is stored */
	int64_t x;
	CHECK_EQ_INT(counsellor_log_add(vd, &nk, &in, &x, &errs), VD_ERR_AUTH);
	CHECK_EQ_INT(counsellor_log_page(vd, as(&nk, sk1), &a, NULL, 25, &items, &n, &more, &next), VD_ERR_AUTH);
	/* another counsellor's entry does not exist for them */
	CHECK_EQ_INT(counsellor_log_page(vd, as(&two, sk2), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 1 && items[0].id == other);
	CHECK_EQ_INT(counsellor_log_remove(vd, &two, id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(counsellor_log_remove(vd, &one, other), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(counsellor_log_remove(vd, &one, 999999), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(rows(path), 3);
	CHECK_EQ_INT(audit_count(vd), entries); /* refusals leave no entry */
	/* its own counsellor removes it, once */
	CHECK_EQ_INT(counsellor_log_remove(vd, &one, id), VD_OK);
	CHECK(last_audit_is(vd, c1, "log.delete", id));
	CHECK_EQ_INT(counsellor_log_remove(vd, &one, id), VD_ERR_NOTFOUND);
	CHECK_EQ_INT(counsellor_log_page(vd, as(&one, sk1), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 1 && items[0].id == id2);
	CHECK_EQ_INT(counsellor_log_page(vd, as(&two, sk2), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 1 && items[0].id == other);
	/* when the audit entry cannot be written, the add and the delete are undone */
	CHECK_EQ_INT(raw_sql(path, "CREATE TRIGGER block BEFORE INSERT ON audit_log"
				   " BEGIN SELECT RAISE(ABORT, 'blocked'); END;"), SQLITE_OK);
	CHECK(counsellor_log_add(vd, &one, &in, &x, &errs) != VD_OK);
	CHECK(counsellor_log_remove(vd, &one, id2) != VD_OK);
	CHECK_EQ_INT(raw_sql(path, "DROP TRIGGER block"), SQLITE_OK);
	CHECK_EQ_INT(rows(path), 2);
	struct audit_report rep;
	CHECK_EQ_INT(audit_verify(vd, &rep), VD_OK);
	CHECK_EQ_INT(rep.why, AUDIT_INTACT);
	crypto_wipe(sk1, sizeof sk1);
	crypto_wipe(sk2, sizeof sk2);
	arena_release_wipe(&a);
	fixture_close(vd, path);
}

static void subjects_are_sealed_to_their_counsellor(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0);
	unsigned char sk1[CRYPTO_SK_LEN], sk2[CRYPTO_SK_LEN];
	int64_t c1 = counsellor(vd, "een@example.org", root, "password of een", sk1);
	int64_t c2 = counsellor(vd, "twee@example.org", root, "password of twee", sk2);
	CHECK(c1 && c2);
	struct principal one = actor(c1, ROLE_COUNSELLOR);
	struct counsellor_log_input in = advice("2024-05-06", root);
	in.subject = "LOGMARK-ADVICE-8Q over Jan de Vries";
	struct counsellor_log_input tr = timed("training", "2024-05-07", 60);
	tr.subject = "LOGMARK-TOPIC-8Q";
	struct counsellor_log_errors errs;
	int64_t ida, idt;
	CHECK_EQ_INT(counsellor_log_add(vd, &one, &in, &ida, &errs), VD_OK);
	CHECK_EQ_INT(counsellor_log_add(vd, &one, &tr, &idt, &errs), VD_OK);
	/* nowhere in the clear: not in the database file, not in its WAL */
	const char *markers[] = { "LOGMARK-ADVICE-8Q", "LOGMARK-TOPIC-8Q", "Jan de Vries" };
	const char *files[] = { "vertrouwd.db", "vertrouwd.db-wal" };
	char p[200];
	snprintf(p, sizeof p, "%s/vertrouwd.db-wal", path);
	FILE *wal = fopen(p, "rb");
	CHECK(wal != NULL); /* the entries are in the WAL now: the scan below reads them */
	fclose(wal);
	for (int round = 0; round < 2; round++) {
		for (size_t f = 0; f < 2; f++) {
			snprintf(p, sizeof p, "%s/%s", path, files[f]);
			for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++)
				CHECK(!file_has(p, markers[m]));
		}
		if (round == 0) { /* and again after a checkpoint into the main file */
			app_close(vd);
			char err[200];
			CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
		}
	}
	struct arena a;
	arena_init(&a, 0);
	struct counsellor_log_entry *items;
	size_t n;
	bool more;
	struct counsellor_log_cursor next;
	CHECK_EQ_INT(counsellor_log_page(vd, as(&one, sk1), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 2 && items[0].id == idt && items[1].id == ida);
	CHECK_STR(items[0].subject, "LOGMARK-TOPIC-8Q");
	CHECK_STR(items[1].subject, "LOGMARK-ADVICE-8Q over Jan de Vries");
	/* a key that is not theirs opens nothing, but the entries still show */
	CHECK_EQ_INT(counsellor_log_page(vd, as(&one, sk2), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 2 && items[0].unreadable && items[1].unreadable);
	CHECK(strcmp(items[0].subject, "") == 0 && strcmp(items[1].subject, "") == 0);
	/* a subject moved onto another row does not pass for that row's */
	CHECK_EQ_INT(raw_sql(path, "UPDATE counsellor_log SET subject ="
				   " (SELECT subject FROM counsellor_log WHERE kind = 'advice') WHERE kind = 'training'"),
		     SQLITE_OK);
	CHECK_EQ_INT(counsellor_log_page(vd, as(&one, sk1), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 2 && items[0].unreadable && !items[1].unreadable);
	/* a damaged subject likewise */
	CHECK_EQ_INT(raw_sql(path, "UPDATE counsellor_log SET subject = x'00' WHERE kind = 'advice'"), SQLITE_OK);
	CHECK_EQ_INT(counsellor_log_page(vd, as(&one, sk1), &a, NULL, 25, &items, &n, &more, &next), VD_OK);
	CHECK(n == 2 && items[1].unreadable);
	crypto_wipe(sk1, sizeof sk1);
	crypto_wipe(sk2, sizeof sk2);
	arena_release_wipe(&a);
	fixture_close(vd, path);
}

/* The store's totals over one calendar year. */
static int year_totals(struct store *s, int year, int64_t unit, int64_t user, struct counsellor_log_totals *out)
{
	struct counsellor_log_totals_rec t;
	int rc = s->ops->counsellor_log_totals(s, date_year_start(year), date_year_start(year + 1), unit, user, &t);
	*out = (struct counsellor_log_totals){ t.advice_asked, t.advice_unasked, t.advice_manager, t.advice_board,
					       t.training_entries, t.training_minutes, t.supervision_sessions,
					       t.supervision_minutes, t.questions };
	return rc;
}

static bool totals_are(const struct counsellor_log_totals *t, int64_t asked, int64_t unasked, int64_t manager,
		       int64_t board, int64_t trainings, int64_t training_minutes, int64_t sessions,
		       int64_t supervision_minutes)
{
	return t->advice_asked == asked && t->advice_unasked == unasked && t->advice_manager == manager &&
	       t->advice_board == board && t->training_entries == trainings &&
	       t->training_minutes == training_minutes && t->supervision_sessions == sessions &&
	       t->supervision_minutes == supervision_minutes;
}

static void totals_count_per_unit_and_year(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0), p1 = add_unit(vd, "P1", root), p2 = add_unit(vd, "P2", root);
	unsigned char sk1[CRYPTO_SK_LEN], sk2[CRYPTO_SK_LEN];
	int64_t c1 = counsellor(vd, "een@example.org", root, "password of een", sk1);
	int64_t c2 = counsellor(vd, "twee@example.org", p1, "password of twee", sk2);
	CHECK(root && p1 && p2 && c1 && c2);
	struct principal one = actor(c1, ROLE_COUNSELLOR), two = actor(c2, ROLE_COUNSELLOR);
	struct {
		const struct principal *who;
		struct counsellor_log_input in;
	} add[] = {
		/* 2024 */
		{ &one, { "advice", "2024-01-01", root, 1, "manager", 0, "a", "" } },
		{ &one, { "advice", "2024-06-30", p1, 0, "board", 0, "b", "" } },
		{ &one, { "advice", "2024-12-31", p1, 1, "board", 0, "c", "" } },
		{ &two, { "advice", "2024-03-03", p1, 0, "manager", 0, "d", "" } },
		{ &one, { "training", "2024-02-02", 0, -1, "", 90, "", "" } },
		{ &one, { "training", "2024-02-03", 0, -1, "", 30, "topic", "" } },
		{ &two, { "training", "2024-04-04", 0, -1, "", 240, "", "" } },
		{ &one, { "supervision", "2024-05-05", 0, -1, "", 120, "", "" } },
		{ &two, { "supervision", "2024-05-06", 0, -1, "", 60, "", "" } },
		{ &two, { "supervision", "2024-11-06", 0, -1, "", 90, "", "" } },
		/* 2025, and the edges of 2024 */
		{ &one, { "advice", "2025-01-01", root, 1, "manager", 0, "e", "" } },
		{ &two, { "training", "2025-01-01", 0, -1, "", 600, "", "" } },
		{ &one, { "supervision", "2023-12-31", 0, -1, "", 60, "", "" } },
	};
	for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
		struct counsellor_log_errors errs;
		int64_t id;
		CHECK_EQ_INT(counsellor_log_add(vd, add[i].who, &add[i].in, &id, &errs), VD_OK);
	}
	struct store *s = vd->store;
	struct counsellor_log_totals t;
	/* everyone, everywhere, 2024 */
	CHECK_EQ_INT(year_totals(s, 2024, 0, 0, &t), VD_OK);
	CHECK(totals_are(&t, 2, 2, 2, 2, 3, 360, 3, 270));
	/* about the root unit: its advice, and the training and supervision of its counsellor (c1) */
	CHECK_EQ_INT(year_totals(s, 2024, root, 0, &t), VD_OK);
	CHECK(totals_are(&t, 1, 0, 1, 0, 2, 120, 1, 120));
	/* P1: three pieces of advice about it (by both), and c2's training and supervision */
	CHECK_EQ_INT(year_totals(s, 2024, p1, 0, &t), VD_OK);
	CHECK(totals_are(&t, 1, 2, 1, 2, 1, 240, 2, 150));
	/* P2: nothing */
	CHECK_EQ_INT(year_totals(s, 2024, p2, 0, &t), VD_OK);
	CHECK(totals_are(&t, 0, 0, 0, 0, 0, 0, 0, 0));
	/* one counsellor's, and one counsellor's about one unit */
	CHECK_EQ_INT(year_totals(s, 2024, 0, c1, &t), VD_OK);
	CHECK(totals_are(&t, 2, 1, 1, 2, 2, 120, 1, 120));
	CHECK_EQ_INT(year_totals(s, 2024, p1, c1, &t), VD_OK);
	CHECK(totals_are(&t, 1, 1, 0, 2, 0, 0, 0, 0));
	/* other years */
	CHECK_EQ_INT(year_totals(s, 2025, 0, 0, &t), VD_OK);
	CHECK(totals_are(&t, 1, 0, 1, 0, 1, 600, 0, 0));
	CHECK_EQ_INT(year_totals(s, 2023, 0, 0, &t), VD_OK);
	CHECK(totals_are(&t, 0, 0, 0, 0, 0, 0, 1, 60));
	CHECK_EQ_INT(year_totals(s, 2022, 0, 0, &t), VD_OK);
	CHECK(totals_are(&t, 0, 0, 0, 0, 0, 0, 0, 0));
	/* the core gives a counsellor their own */
	CHECK_EQ_INT(counsellor_log_own_totals(vd, &two, 2024, &t), VD_OK);
	CHECK(totals_are(&t, 0, 1, 1, 0, 1, 240, 2, 150));
	CHECK_EQ_INT(counsellor_log_own_totals(vd, &two, 1999, &t), VD_ERR_INVALID);
	/* a unit that advice names stays until the advice is gone */
	CHECK_EQ_INT(unit_remove(vd, &principal_system, p2), VD_OK);
	int64_t p3 = add_unit(vd, "P3", root), id;
	struct counsellor_log_errors errs;
	struct counsellor_log_input in = advice("2024-07-07", p3);
	CHECK_EQ_INT(counsellor_log_add(vd, &one, &in, &id, &errs), VD_OK);
	CHECK_EQ_INT(unit_remove(vd, &principal_system, p3), VD_ERR_INUSE);
	CHECK_EQ_INT(counsellor_log_remove(vd, &one, id), VD_OK);
	CHECK_EQ_INT(unit_remove(vd, &principal_system, p3), VD_OK);
	crypto_wipe(sk1, sizeof sk1);
	crypto_wipe(sk2, sizeof sk2);
	fixture_close(vd, path);
}

static void pages_go_newest_date_first(void)
{
	char path[128];
	struct vd *vd = fixture_open(path);
	CHECK(vd != NULL);
	throttle_reset_all();
	int64_t root = add_unit(vd, "Landelijk", 0);
	unsigned char sk[CRYPTO_SK_LEN];
	int64_t c = counsellor(vd, "een@example.org", root, "password of een", sk);
	CHECK(c);
	struct principal me = actor(c, ROLE_COUNSELLOR);
	/* written in another order than their dates; two on one day */
	const char *dates[] = { "2024-03-01", "2025-01-09", "2024-03-01", "2001-07-07", "2024-12-24", "2024-03-02",
				"2020-02-29" };
	int64_t ids[7];
	for (size_t i = 0; i < 7; i++) {
		struct counsellor_log_input in = timed("supervision", dates[i], 60 + (int64_t)i);
		struct counsellor_log_errors errs;
		CHECK_EQ_INT(counsellor_log_add(vd, &me, &in, &ids[i], &errs), VD_OK);
	}
	const int64_t want[] = { ids[1], ids[4], ids[5], ids[2], ids[0], ids[6], ids[3] };
	struct arena a;
	arena_init(&a, 0);
	int64_t got[8];
	size_t ngot = 0, pages = 0;
	struct counsellor_log_cursor cur, next;
	bool more = true, first = true;
	while (more && pages < 5) {
		struct counsellor_log_entry *items;
		size_t n;
		CHECK_EQ_INT(counsellor_log_page(vd, as(&me, sk), &a, first ? NULL : &cur, 3, &items, &n, &more, &next),
			     VD_OK);
		for (size_t i = 0; i < n && ngot < 8; i++)
			got[ngot++] = items[i].id;
		cur = next;
		first = false;
		pages++;
	}
	CHECK_EQ_INT(pages, 3);
	CHECK_EQ_INT(ngot, 7);
	CHECK(memcmp(got, want, sizeof want) == 0);
	struct counsellor_log_entry *items;
	size_t n;
	CHECK_EQ_INT(counsellor_log_page(vd, as(&me, sk), &a, NULL, 0, &items, &n, &more, &next), VD_ERR_INVALID);
	CHECK_EQ_INT(counsellor_log_page(vd, as(&me, sk), &a, NULL, 201, &items, &n, &more, &next), VD_ERR_INVALID);
	/* exactly a page full: no next page */
	CHECK_EQ_INT(counsellor_log_page(vd, as(&me, sk), &a, NULL, 7, &items, &n, &more, &next), VD_OK);
	CHECK(n == 7 && !more);
	crypto_wipe(sk, sizeof sk);
	arena_release_wipe(&a);
	fixture_close(vd, path);
}

/* The words the log page builds at run time exist in both languages. */
static void every_word_is_translated(void)
{
	char err[256] = "";
	CHECK_EQ_INT(i18n_load(err, sizeof err), VD_OK);
	char key[96];
	for (size_t i = 0; counsellor_log_kinds[i]; i++) {
		snprintf(key, sizeof key, "log.kind.%s", counsellor_log_kinds[i]);
		CHECK(i18n_has("nl", key) && i18n_has("en", key));
	}
	for (size_t i = 0; counsellor_log_audiences[i]; i++) {
		snprintf(key, sizeof key, "log.to.%s", counsellor_log_audiences[i]);
		CHECK(i18n_has("nl", key) && i18n_has("en", key));
		snprintf(key, sizeof key, "log.to_detail.%s", counsellor_log_audiences[i]);
		CHECK(i18n_has("nl", key) && i18n_has("en", key));
	}
	const char *keys[] = { "log.error.date", "log.error.unit", "log.error.asked", "log.error.audience",
			       "log.error.subject", "log.error.topic", "log.error.duration", "log.asked",
			       "log.unasked", "log.unit_hours", "log.unit_minutes", "log.cannot_open",
			       "audit.action.log.add", "audit.action.log.delete", "audit.object.log_entry" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		CHECK(i18n_has("nl", keys[i]) && i18n_has("en", keys[i]));
	i18n_unload();
}

int main(void)
{
	if (crypto_init() != VD_OK)
		return 1;
	static const struct test tests[] = {
		TEST(dates_are_checked_strictly), TEST(every_field_is_validated_and_nothing_stored),
		TEST(only_the_counsellor_reaches_their_own_log), TEST(subjects_are_sealed_to_their_counsellor),
		TEST(totals_count_per_unit_and_year), TEST(pages_go_newest_date_first),
		TEST(every_word_is_translated),
	};
	return check_run("counsellor_log", tests, sizeof tests / sizeof tests[0]);
}
