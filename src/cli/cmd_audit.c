/*
 * cmd_audit: `vertrouwd audit verify DIR [--noted N:HEAD]` checks the whole
 * audit log's chain. With --noted it also checks that entry N still has the
 * head hash printed (and noted down elsewhere) when the log had N entries:
 * the chain alone cannot catch someone who recomputed it (docs/security.md).
 */
#include <stdio.h>
#include <string.h>

#include "../core/app.h"
#include "../core/audit.h"
#include "../util/text.h"
#include "cli.h"

#define USAGE "usage: vertrouwd audit verify DIR [--noted N:HEAD]"

struct noted {
	int64_t seq;
	char head[2 * AUDIT_HASH_LEN + 1]; /* lower-case hex */
};

/* Parses "N:HEAD", HEAD being 64 hex digits in either case. */
static int parse_noted(const char *s, struct noted *out)
{
	const char *colon = strchr(s, ':');
	char num[24];
	size_t n = colon ? (size_t)(colon - s) : 0;
	if (!colon || n == 0 || n >= sizeof num || strlen(colon + 1) != 2 * AUDIT_HASH_LEN)
		return VD_ERR_INVALID;
	memcpy(num, s, n);
	num[n] = '\0';
	if (text_parse_i64(num, 1, INT64_MAX, &out->seq) != VD_OK)
		return VD_ERR_INVALID;
	for (size_t i = 0; i < 2 * AUDIT_HASH_LEN; i++) {
		char c = colon[1 + i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return VD_ERR_INVALID;
		out->head[i] = c;
	}
	out->head[2 * AUDIT_HASH_LEN] = '\0';
	return VD_OK;
}

/* The one line that says where the chain breaks, and why. */
static void print_break(const struct audit_report *rep)
{
	if (rep->why == AUDIT_GAP)
		printf("audit log broken at entry %lld: %s (the next entry found is %lld)\n",
		       (long long)rep->broken_at, audit_break_text(rep->why), (long long)rep->found_seq);
	else
		printf("audit log broken at entry %lld: %s\n", (long long)rep->broken_at,
		       audit_break_text(rep->why));
}

/* Entry noted->seq of an intact chain against the head noted earlier. */
static int check_noted(struct vd *vd, const struct audit_report *rep, const struct noted *noted)
{
	unsigned char h[AUDIT_HASH_LEN];
	char hex[2 * AUDIT_HASH_LEN + 1];
	if (noted->seq > rep->entries) {
		printf("audit log broken at entry %lld: the log has only %lld entries\n", (long long)noted->seq,
		       (long long)rep->entries);
		return 1;
	}
	int rc = audit_hash_at(vd, noted->seq, h);
	if (rc) {
		cli_fail("cannot read the audit log: %s", vd_strerror(rc));
		return 1;
	}
	text_hex_encode(h, sizeof h, hex);
	if (strcmp(hex, noted->head) != 0) {
		printf("audit log broken at entry %lld: its hash differs from the head noted earlier "
		       "(the log was rewritten up to there)\n", (long long)noted->seq);
		return 1;
	}
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	struct noted noted = { 0 };
	if (argc == 4 && strcmp(argv[2], "--noted") == 0) {
		if (parse_noted(argv[3], &noted) != VD_OK) {
			cli_fail("--noted wants N:HEAD, the entry count and the 64 hex digits audit verify printed");
			return 2;
		}
		argc = 2;
	}
	if (argc != 2 || strcmp(argv[0], "verify") != 0) {
		cli_fail(USAGE);
		return 2;
	}
	char err[256] = "";
	struct vd *vd = NULL;
	if (app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		return 1;
	}
	struct audit_report rep;
	int status = 0;
	int rc = audit_verify(vd, &rep);
	if (rc) {
		cli_fail("cannot read the audit log: %s", vd_strerror(rc));
		status = 1;
	} else if (rep.why != AUDIT_INTACT) {
		print_break(&rep);
		status = 1;
	} else if (noted.seq) {
		status = check_noted(vd, &rep, &noted);
	}
	app_close(vd);
	if (status)
		return status;
	char head[2 * AUDIT_HASH_LEN + 1];
	text_hex_encode(rep.head, sizeof rep.head, head);
	printf("audit log: %lld entries, chain intact, head %s\n", (long long)rep.entries, head);
	if (noted.seq)
		printf("entry %lld still has the head noted earlier\n", (long long)noted.seq);
	return 0;
}
