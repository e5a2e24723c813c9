/*
 * cmd_escrow: `vertrouwd escrow init DIR --trustee EMAIL --trustee EMAIL
 * --trustee EMAIL [--replace]` sets up the escrow that lets two of three
 * trustees move the cases of a counsellor who can no longer open them
 * (escrow.h). The trustees then act in the web interface (/herstel).
 */
#include <stdio.h>
#include <string.h>

#include "../core/app.h"
#include "../core/escrow.h"
#include "../util/errors.h"
#include "cli.h"

#define USAGE "usage: vertrouwd escrow init DIR --trustee EMAIL --trustee EMAIL --trustee EMAIL [--replace]"

int cmd_escrow(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[0], "init") != 0) {
		cli_fail(USAGE);
		return 2;
	}
	const char *dir = argv[1], *emails[ESCROW_TRUSTEES] = { 0 };
	int n = 0;
	bool replace = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--replace") == 0)
			replace = true;
		else if (strcmp(argv[i], "--trustee") == 0 && i + 1 < argc && n < ESCROW_TRUSTEES)
			emails[n++] = argv[++i];
		else {
			cli_fail(USAGE);
			return 2;
		}
	}
	if (n != ESCROW_TRUSTEES) {
		cli_fail("name three trustees (%s)", USAGE);
		return 2;
	}
	struct vd *vd = NULL;
	char err[512] = "";
	if (app_open(dir, 0, &vd, err, sizeof err) != 0) {
		cli_fail("%s", err);
		return 1;
	}
	int bad = -1;
	int rc = escrow_init(vd, &principal_system, emails, replace, &bad);
	app_close(vd);
	if (rc == VD_ERR_INVALID && bad >= 0) {
		cli_fail("%.80s cannot be a trustee: it must be an active staff account, not an administrator, that has"
			 " logged in and chosen its own password, and each trustee is named once",
			 emails[bad]);
		return 1;
	}
	if (rc == VD_ERR_EXISTS) {
		cli_fail("there is an escrow already; --replace makes a new one (cases are then sealed to it as their"
			 " counsellors next log in)");
		return 1;
	}
	if (rc != VD_OK) {
		cli_fail("cannot set up the escrow (%s)", vd_strerror(rc));
		return 1;
	}
	printf("The escrow is set up with three trustees: %s, %s and %s.\n"
	       "Any two of them together can move the cases of a counsellor who can no longer open them to\n"
	       "another counsellor (Herstel in the menu); one alone cannot, and nor can the administrator.\n"
	       "Cases are sealed to it as they come in, and older ones when their counsellor next logs in.\n",
	       emails[0], emails[1], emails[2]);
	return 0;
}
