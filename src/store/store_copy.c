/*
 * store_copy: a whole store into another, whatever their backends (store.h).
 *
 * The backends give and take whole rows (rows_each, load_row); this file
 * only walks them across and checks the result. The check reads the copy
 * back inside the loading transaction and compares, table by table, the
 * number of rows and a digest of them: each row's digest is taken over its
 * columns sorted by name (SQLite added later columns at the end, PostgreSQL
 * has them where the schema put them), texts and bytes alike (a column's
 * kind may differ between the backends, its bytes may not), and the rows'
 * digests are combined by XOR, so the order the rows come in does not
 * count. XOR guards against a copy gone wrong, not against someone forging
 * rows: whoever can write the database needs no copy to do so.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/errors.h"
#include "store.h"
#include "store_rows.h"

/* The PostgreSQL schema's order of creation (pg_schema.c), which is an order
 * in which each table comes after those it refers to. */
const char *const store_tables[] = {
	"units", "users", "user_units", "counsellor_profiles", "sessions", "settings", "user_keys", "cases",
	"case_keys", "messages", "outbox", "attachments", "invitations", "audit_log", "case_work", "phase_moves",
	"contacts", "appointments", "consents", "complaints", "complaint_keys", "conflicts", "exceptions",
	"counsellor_log", "counters", "complaint_terms", "complaint_pauses", "complaint_extensions",
	"complaint_moves", "complaint_parties", "complaint_letters", "complaint_hearings", "complaint_heard",
	"complaint_attachments", "wb_reports", "wb_report_keys", "wb_events", "wb_attachments", "annual_reports",
	"backup_codes", "escrow", "escrow_trustees", "escrow_keys", "escrow_requests", "escrow_approvals",
	"document_versions", "rounds", "round_members", "round_questions", "declarations", "candidate_links", "throttles",
};
const size_t store_table_count = sizeof store_tables / sizeof store_tables[0];

_Static_assert(sizeof store_tables / sizeof store_tables[0] <= sizeof ((struct store_copy_counts *)0)->rows /
							       sizeof(int64_t),
	       "store_copy_counts holds a count per table");

const char store_units_in_order[] =
	"WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM units WHERE parent_id IS NULL"
	" UNION ALL SELECT u.id, t.depth + 1 FROM units u JOIN tree t ON u.parent_id = t.id)"
	" SELECT units.* FROM units LEFT JOIN tree ON tree.id = units.id"
	" ORDER BY coalesce(tree.depth, 1000000), units.id";

static bool column_name_plain(const char *s)
{
	if (!*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

int store_insert_sql(struct buf *sql, const struct store_row *row, size_t max, char mark)
{
	if (store_table_index(row->table) < 0 || row->n == 0 || row->n > max)
		return VD_ERR_MISUSE;
	int rc = buf_printf(sql, "INSERT INTO %s (", row->table);
	for (size_t i = 0; rc == VD_OK && i < row->n; i++)
		rc = column_name_plain(row->columns[i]) ? buf_printf(sql, "%s%s", i ? ", " : "", row->columns[i])
							: VD_ERR_MISUSE;
	if (rc == VD_OK)
		rc = buf_puts(sql, ") VALUES (");
	for (size_t i = 0; rc == VD_OK && i < row->n; i++)
		rc = buf_printf(sql, "%s%c%zu", i ? ", " : "", mark, i + 1);
	return rc == VD_OK ? buf_putc(sql, ')') : rc;
}

int store_table_index(const char *table)
{
	for (size_t i = 0; i < store_table_count; i++)
		if (strcmp(store_tables[i], table) == 0)
			return (int)i;
	return -1;
}

/* What one side of the copy holds, table by table. */
struct tally {
	int64_t rows[sizeof store_tables / sizeof store_tables[0]];
	unsigned char digest[sizeof store_tables / sizeof store_tables[0]][STORE_DIGEST_LEN];
	struct buf scratch;
	store_digest_fn hash;
};

static int put_u64(struct buf *b, uint64_t v)
{
	unsigned char be[8];
	for (int k = 0; k < 8; k++)
		be[k] = (unsigned char)(v >> (56 - 8 * k));
	return buf_append(b, be, sizeof be);
}

/* The row's digest: per column in name order, its name, a kind (null,
 * integer, or bytes for texts and bytes) and the value. */
static int row_digest(struct buf *b, store_digest_fn digest, const struct store_row *row,
		      unsigned char out[STORE_DIGEST_LEN])
{
	size_t order[128];
	if (row->n > sizeof order / sizeof order[0])
		return VD_ERR_TOOBIG;
	for (size_t i = 0; i < row->n; i++) { /* insertion sort: a row has a few dozen columns */
		size_t j = i;
		for (; j > 0 && strcmp(row->columns[order[j - 1]], row->columns[i]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	buf_reset(b);
	int rc = VD_OK;
	for (size_t k = 0; rc == VD_OK && k < row->n; k++) {
		const struct store_value *v = &row->values[order[k]];
		rc = buf_append(b, row->columns[order[k]], strlen(row->columns[order[k]]) + 1);
		if (rc == VD_OK)
			rc = buf_putc(b, v->kind == STORE_NULL ? 'n' : v->kind == STORE_INT ? 'i' : 'b');
		if (rc == VD_OK && v->kind == STORE_INT)
			rc = put_u64(b, (uint64_t)v->i);
		if (rc == VD_OK && (v->kind == STORE_TEXT || v->kind == STORE_BYTES)) {
			rc = put_u64(b, v->n);
			if (rc == VD_OK && v->n)
				rc = buf_append(b, v->p, v->n);
		}
	}
	if (rc == VD_OK)
		digest(b->data, b->len, out);
	return rc;
}

static int tally_row(struct tally *t, const struct store_row *row)
{
	int i = store_table_index(row->table);
	if (i < 0)
		return VD_ERR_STORE;
	unsigned char d[STORE_DIGEST_LEN];
	int rc = row_digest(&t->scratch, t->hash, row, d);
	if (rc)
		return rc;
	for (size_t k = 0; k < sizeof d; k++)
		t->digest[i][k] ^= d[k];
	t->rows[i]++;
	return VD_OK;
}

struct copying {
	struct store *to;
	struct tally *from;
};

static int copy_row(void *ctx, const struct store_row *row)
{
	struct copying *c = ctx;
	int rc = tally_row(c->from, row);
	return rc ? rc : c->to->ops->load_row(c->to, row);
}

static int count_row(void *ctx, const struct store_row *row)
{
	return tally_row(ctx, row);
}

static int refuse_row(void *ctx, const struct store_row *row)
{
	(void)ctx;
	(void)row;
	return VD_ERR_EXISTS;
}

int store_copy(struct store *from, struct store *to, store_digest_fn digest, struct store_copy_counts *out)
{
	int vf = 0, vt = 0;
	int rc = from->ops->schema_version(from, &vf);
	if (rc == VD_OK)
		rc = to->ops->schema_version(to, &vt);
	if (rc)
		return rc;
	if (vf != vt)
		return VD_ERR_TOONEW;
	struct tally *sent = calloc(1, sizeof *sent), *kept = calloc(1, sizeof *kept);
	if (!sent || !kept) {
		free(sent);
		free(kept);
		return VD_ERR_NOMEM;
	}
	sent->hash = kept->hash = digest;
	/* a row is at most what the store takes (a 64 MiB upload is a file, not a row) */
	buf_init(&sent->scratch, (size_t)256 << 20);
	buf_init(&kept->scratch, (size_t)256 << 20);
	sent->scratch.secret = kept->scratch.secret = true; /* the rows are case content, sealed or not */
	rc = to->ops->load_begin(to);
	if (rc == VD_OK) {
		rc = to->ops->rows_each(to, refuse_row, NULL); /* inside the transaction: nobody fills it meanwhile */
		struct copying c = { to, sent };
		if (rc == VD_OK)
			rc = from->ops->rows_each(from, copy_row, &c);
		if (rc == VD_OK)
			rc = to->ops->rows_each(to, count_row, kept);
		if (rc == VD_OK && (memcmp(sent->rows, kept->rows, sizeof sent->rows) != 0 ||
				    memcmp(sent->digest, kept->digest, sizeof sent->digest) != 0)) /* no secret: plain compare */
			rc = VD_ERR_STORE;
		rc = to->ops->load_end(to, rc);
	}
	if (rc == VD_OK && out) {
		memset(out, 0, sizeof *out);
		for (size_t i = 0; i < store_table_count; i++) {
			out->rows[i] = sent->rows[i];
			out->total += sent->rows[i];
		}
	}
	buf_release_wipe(&sent->scratch);
	buf_release_wipe(&kept->scratch);
	free(sent);
	free(kept);
	return rc;
}
