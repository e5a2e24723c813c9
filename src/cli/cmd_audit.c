/* cmd_audit: `vertrouwd audit verify DIR` checks the whole audit log's chain. */
#include <stdio.h>
#include <string.h>

#include "../core/app.h"
#include "../core/audit.h"
#include "../util/text.h"
#include "cli.h"

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

int cmd_audit(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "verify") != 0) {
		cli_fail("usage: vertrouwd audit verify DIR");
		return 2;
	}
	char err[256] = "";
	struct vd *vd = NULL;
	if (app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		return 1;
	}
	struct audit_report rep;
	int rc = audit_verify(vd->store, &rep);
	app_close(vd);
	if (rc) {
		cli_fail("cannot read the audit log: %s", vd_strerror(rc));
		return 1;
	}
	if (rep.why != AUDIT_INTACT) {
		print_break(&rep);
		return 1;
	}
	char head[2 * AUDIT_HASH_LEN + 1];
	text_hex_encode(rep.head, sizeof rep.head, head);
	printf("audit log: %lld entries, chain intact, head %s\n", (long long)rep.entries, head);
	return 0;
}
