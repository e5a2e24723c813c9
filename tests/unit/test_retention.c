/* Unit tests: retention (issue 12) — a closed case whose term is over is
 * destroyed by the core: its keys, content and files go, the reporter's
 * code and the counsellor no longer open it, and the annual report counts
 * it as before. */
#include <dirent.h>
#include <sqlite3.h>
#include <string.h>

#include "../../src/core/annual.h"
#include "../../src/core/cases.h"
#include "../../src/core/files.h"
#include "../../src/core/retention.h"
#include "../../src/util/buf.h"
#include "../../src/util/date.h"
#include "check.h"
#include "fixture.h"
#include "people.h"

#define DAY (24 * 60 * 60)

/* The uploads in the data directory's files/. */
static int files_on_disk(const char *dir)
{
	char path[200];
	snprintf(path, sizeof path, "%s/files", dir);
	DIR *d = opendir(path);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strlen(e->d_name) == FILE_ID_LEN;
	if (d)
		closedir(d);
	return n;
}

/* Are the n bytes anywhere in the database's files (the database and its
 * write-ahead log)? */
static bool db_files_hold(const char *dir, const unsigned char *p, size_t n)
{
	static const char *const names[] = { "vertrouwd.db", "vertrouwd.db-wal" };
	for (size_t i = 0; i < 2; i++) {
		char path[200];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		static unsigned char buf[16 << 20];
		size_t len = fread(buf, 1, sizeof buf, f);
		fclose(f);
		if (n && len >= n && memmem(buf, len, p, n))
			return true;
	}
	return false;
}

/* The annual report's counts for the unit and year, as text. */
static char *counts_text(struct vd *vd, int64_t unit, int year)
{
	struct arena a;
	arena_init(&a, 0);
	struct annual_counts c;
	struct buf b;
	buf_init(&b, 1 << 20);
	char *text = NULL;
	size_t n;
	if (annual_counts_make(vd, &principal_system, &a, unit, year, &c) == VD_OK && annual_counts_write(&c, &b) == VD_OK)
		text = buf_take(&b, &n);
	buf_release(&b);
	arena_release(&a);
	return text;
}

static enum code_result view(struct vd *vd, const char *code)
{
	struct arena a;
	arena_init(&a, 0);
	struct case_view v;
	enum code_result res = CODE_MALFORMED;
	int64_t retry;
	report_view(vd, &a, code, "test", 4, &v, &res, &retry);
	arena_release(&a);
	return res;
}

static void closed_case_is_destroyed_after_its_term(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	unsigned char sk[CRYPTO_SK_LEN];
	CHECK_EQ_INT(open_key(vd, c, "password of c", sk), VD_OK);
	struct principal me = actor(c, ROLE_COUNSELLOR);
	on("2020-03-10");
	int64_t gone, kept;
	char code_gone[RECEIPT_TEXT_LEN + 1], code_kept[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(submit(vd, root, c, true, "RET-ACCOUNT-MARKER-9Q", &gone, code_gone), VD_OK);
	CHECK_EQ_INT(submit(vd, root, c, false, "RET-KEPT-9Q", &kept, code_kept), VD_OK);
	static const char pdf[] = "%PDF-1.4 RET-FILE-MARKER-9Q";
	struct upload *u = upload_of(vd, "verslag.pdf", pdf, sizeof pdf - 1);
	CHECK(u != NULL);
	CHECK_EQ_INT(case_post(vd, as(&me, sk), gone, "counsellor", "RET-MESSAGE-MARKER-9Q", &u, 1), VD_OK);
	upload_discard(vd, u);
	CHECK_EQ_INT(files_on_disk(path), 1);
	struct arena a;
	arena_init(&a, 0);
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(report_withdraw(vd, &a, code_gone, "test", 4, &res, &retry), VD_OK); /* closed today */
	char *before = counts_text(vd, root, 2020);
	CHECK(before != NULL);
	/* What the database holds of it: its sealed content, the copy of its
	 * key under the code and the counsellor's sealed copy. */
	char sql[200];
	size_t content_n, key_n, sealed_n;
	snprintf(sql, sizeof sql, "SELECT content FROM cases WHERE id = %lld", (long long)gone);
	unsigned char *content = sql_blob(path, sql, &content_n);
	snprintf(sql, sizeof sql, "SELECT key_by_receipt FROM cases WHERE id = %lld", (long long)gone);
	unsigned char *by_code = sql_blob(path, sql, &key_n);
	snprintf(sql, sizeof sql, "SELECT sealed_key FROM case_keys WHERE case_id = %lld", (long long)gone);
	unsigned char *sealed = sql_blob(path, sql, &sealed_n);
	CHECK(content && by_code && sealed && content_n > 40 && key_n > 40 && sealed_n > 40);
	CHECK(db_files_hold(path, sealed, sealed_n));

	/* Not yet: four years and eleven months later nothing is due. */
	on("2025-02-10");
	struct retention_summary sum;
	CHECK_EQ_INT(retention_due(vd, &principal_system, &sum), VD_OK);
	CHECK_EQ_INT(sum.cases, 0);
	CHECK_EQ_INT(retention_purge(vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK_EQ_INT(sum.cases, 0);
	CHECK_EQ_INT(view(vd, code_gone), CODE_OK);

	/* Five years after it closed: only the closed one goes, and only the system may. */
	on("2025-03-11");
	CHECK_EQ_INT(retention_due(vd, &me, &sum), VD_ERR_DENIED);
	CHECK_EQ_INT(retention_purge(vd, as(&me, sk), 0, NULL, &sum), VD_ERR_DENIED);
	CHECK_EQ_INT(retention_due(vd, &principal_system, &sum), VD_OK);
	CHECK_EQ_INT(sum.cases, 1);
	CHECK_EQ_INT(retention_purge(vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK(sum.cases == 1 && sum.files == 1 && sum.complaints == 0 && sum.wb_reports == 0);
	CHECK_EQ_INT(audit_count(vd, "case.purge", gone), 1);

	/* The reporter's code and the counsellor open nothing any more. */
	CHECK_EQ_INT(view(vd, code_gone), CODE_UNKNOWN);
	struct case_view cv;
	CHECK(case_open(vd, as(&me, sk), &a, gone, &cv) != VD_OK);
	CHECK_EQ_INT(case_open(vd, as(&me, sk), &a, kept, &cv), VD_OK);
	CHECK_EQ_INT(view(vd, code_kept), CODE_OK);
	CHECK_EQ_INT(files_on_disk(path), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_keys WHERE case_id = %lld", (long long)gone);
	CHECK_EQ_INT(sql_int(path, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM messages WHERE case_id = %lld", (long long)gone);
	CHECK_EQ_INT(sql_int(path, sql), 0);
	snprintf(sql, sizeof sql, "SELECT length(content) + length(key_by_receipt) FROM cases WHERE id = %lld",
		 (long long)gone);
	CHECK_EQ_INT(sql_int(path, sql), 0);
	/* Not a byte of its ciphertexts or keys is left in the database's files
	 * (secure_delete, and the write-ahead log cleared), and the counts are
	 * the same. */
	CHECK(!db_files_hold(path, content, content_n));
	CHECK(!db_files_hold(path, by_code, key_n));
	CHECK(!db_files_hold(path, sealed, sealed_n));
	free(content);
	free(by_code);
	free(sealed);
	char *after = counts_text(vd, root, 2020);
	CHECK(after != NULL && strcmp(before, after) == 0);

	/* The database lets an exception record be emptied only once its case
	 * is destroyed, and nothing else of it be changed even then. */
	snprintf(sql, sizeof sql, "INSERT INTO exceptions(case_id, at, by, conditions, content) VALUES(%lld, 1, 1, 3, x'01')",
		 (long long)kept);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "INSERT INTO exceptions(case_id, at, by, conditions, content) VALUES(%lld, 1, 1, 3, x'01')",
		 (long long)gone);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE exceptions SET content = x'' WHERE case_id = %lld", (long long)kept);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE exceptions SET content = x'', conditions = 1 WHERE case_id = %lld",
		 (long long)gone);
	CHECK(sql_exec(path, sql) != SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE exceptions SET content = x'' WHERE case_id = %lld", (long long)gone);
	CHECK_EQ_INT(sql_exec(path, sql), SQLITE_OK);
	CHECK(sql_exec(path, "DELETE FROM exceptions") != SQLITE_OK);

	/* A second run finds nothing more. */
	CHECK_EQ_INT(retention_purge(vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK_EQ_INT(sum.cases, 0);
	free(before);
	free(after);
	crypto_wipe(sk, sizeof sk);
	arena_release(&a);
	fixture_close(vd, path);
}

/* The terms come from the config: a shorter one takes effect, a term of 0,
 * a word, or an exception term shorter than the case term is refused. */
static void terms_come_from_the_config(void)
{
	char path[128];
	struct vd *vd = open_fresh(path);
	CHECK(vd != NULL);
	int64_t root = add_unit(vd, "Landelijk", 0), c, id;
	CHECK_EQ_INT(user_with_keys(vd, "Cas", "c@example.org", ROLE_COUNSELLOR, root, "password of c", &c), VD_OK);
	on("2022-06-01");
	char code[RECEIPT_TEXT_LEN + 1];
	CHECK_EQ_INT(submit(vd, root, c, false, "short term", &id, code), VD_OK);
	struct arena a;
	arena_init(&a, 0);
	enum code_result res;
	int64_t retry;
	CHECK_EQ_INT(report_withdraw(vd, &a, code, "test", 4, &res, &retry), VD_OK);
	app_close(vd);
	CHECK(fixture_append(path, "vertrouwd.conf", "retention_case_years = 1\n"));
	char err[200];
	CHECK_EQ_INT(app_open(path, 0, &vd, err, sizeof err), VD_OK);
	on("2023-06-02");
	struct retention_summary sum;
	CHECK_EQ_INT(retention_purge(vd, &principal_system, 0, NULL, &sum), VD_OK);
	CHECK_EQ_INT(sum.cases, 1);
	app_close(vd);
	vd = NULL;
	static const char *const bad[] = { "retention_case_years = 0\n", "retention_wb_years = vijf\n",
					   "retention_complaint_years = 51\n", "retention_forever_years = 3\n",
					   "retention_case_years = 20\n" /* longer than the exception term */ };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char dir[160];
		snprintf(dir, sizeof dir, "%s-bad%zu", path, i);
		struct vd *b = NULL;
		CHECK_EQ_INT(app_init_dir(dir, NULL, err, sizeof err), VD_OK);
		CHECK(fixture_append(dir, "vertrouwd.conf", bad[i]));
		CHECK_EQ_INT(app_open(dir, 0, &b, err, sizeof err), VD_ERR_INVALID);
		CHECK(strstr(err, "retention_") != NULL);
	}
	arena_release(&a);
	fixture_close(vd, path);
}

int main(void)
{
	if (app_library_init() != 0)
		return 1;
	static const struct test tests[] = {
		TEST(closed_case_is_destroyed_after_its_term),
		TEST(terms_come_from_the_config),
	};
	return check_run("retention", tests, sizeof tests / sizeof tests[0]);
}
