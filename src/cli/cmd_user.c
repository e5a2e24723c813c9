/* cmd_user: `vertrouwd init`, `demo` and `user add`. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/accounts.h"
#include "../core/app.h"
#include "../core/demo.h"
#include "../util/text.h"
#include "../util/wipe.h"
#include "../core/twofactor.h"
#include "cli.h"

/* DIR [--store-url CONNINFO]: the data directory and, for PostgreSQL, the
 * connection string; false if the arguments are not that. */
static bool dir_and_database(int argc, char **argv, const char **dir, const char **db_url)
{
	*dir = argc >= 1 ? argv[0] : NULL;
	*db_url = NULL;
	if (argc == 3 && strcmp(argv[1], "--store-url") == 0)
		*db_url = argv[2];
	return argc == 1 || (argc == 3 && *db_url);
}

int cmd_init(int argc, char **argv)
{
	const char *dir, *db_url;
	if (!dir_and_database(argc, argv, &dir, &db_url)) {
		cli_fail("usage: vertrouwd init DIR [--store-url CONNINFO]");
		return 2;
	}
	char err[256] = "";
	if (app_init_dir(dir, db_url, err, sizeof err) != VD_OK) {
		cli_fail("init failed: %s", err);
		return 1;
	}
	printf("Created data directory %s\nStart the server with: vertrouwd serve %s\n", dir, dir);
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	const char *dir, *db_url;
	if (!dir_and_database(argc, argv, &dir, &db_url)) {
		cli_fail("usage: vertrouwd demo DIR [--store-url CONNINFO]");
		return 2;
	}
	char err[256] = "";
	if (app_init_dir(dir, db_url, err, sizeof err) != VD_OK) {
		cli_fail("demo failed: %s", err);
		return 1;
	}
	/* The demo organisation's name goes into its config file. */
	size_t n = strlen(dir) + 32;
	char *conf = malloc(n);
	FILE *f = NULL;
	if (conf) {
		snprintf(conf, n, "%s/%s", dir, VD_CONF_FILE);
		f = fopen(conf, "a");
	}
	free(conf);
	if (!f || fputs("\n# Set by `vertrouwd demo`.\norg_name = Demopartij\n"
			 "# The demo's invented staff log in with their password alone; remove this\n"
			 "# line to have counsellors, the committee and integrity officers set up\n"
			 "# two-step verification at their next login, as a real installation does.\n"
			 "two_factor_roles = none\n", f) < 0 || fclose(f) != 0) {
		cli_fail("demo failed: cannot write the configuration file");
		return 1;
	}
	struct vd *vd = NULL;
	if (app_open(dir, 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("demo failed: %s", err);
		return 1;
	}
	int rc = demo_populate(vd, stdout);
	app_close(vd);
	if (rc) {
		cli_fail("demo failed: %s (remove %s and try again)", vd_strerror(rc), dir);
		return 1;
	}
	printf("Demo data directory %s is ready. Start it with: vertrouwd serve %s\n", dir, dir);
	return 0;
}

/* `vertrouwd user reset-2fa DIR --email EMAIL`: for a user who lost their
 * phone and their backup codes. Only the owner of the data directory can
 * (no page does it: an administrator who could would get past the second
 * factor of anyone whose password they reset). */
static int user_reset_2fa(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[2], "--email") != 0) {
		cli_fail("usage: vertrouwd user reset-2fa DIR --email EMAIL");
		return 2;
	}
	char err[256] = "";
	struct vd *vd = NULL;
	if (app_open(argv[1], 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		return 1;
	}
	int rc = twofactor_reset(vd, &principal_system, argv[3]);
	app_close(vd);
	if (rc == VD_ERR_NOTFOUND) {
		cli_fail("no account with that e-mail address");
		return 1;
	}
	if (rc) {
		cli_fail("not reset: %s", vd_strerror(rc));
		return 1;
	}
	printf("Two-step verification of %s is off and their sessions have ended; if their role needs it,\n"
	       "they set it up again at their next login.\n", argv[3]);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[0], "reset-2fa") == 0)
		return user_reset_2fa(argc, argv);
	if (argc < 2 || strcmp(argv[0], "add") != 0) {
		cli_fail("usage: vertrouwd user add DIR --role ROLE --name NAME --email EMAIL [--unit ID]...");
		return 2;
	}
	const char *dir = argv[1], *role = NULL, *name = NULL, *email = NULL;
	int64_t units[32];
	size_t nunits = 0;
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i];
		if (i + 1 >= argc) {
			cli_fail("%.40s needs a value", opt);
			return 2;
		}
		const char *val = argv[++i];
		if (strcmp(opt, "--role") == 0) {
			role = val;
		} else if (strcmp(opt, "--name") == 0) {
			name = val;
		} else if (strcmp(opt, "--email") == 0) {
			email = val;
		} else if (strcmp(opt, "--unit") == 0) {
			if (nunits == sizeof units / sizeof units[0] ||
			    text_parse_i64(val, 1, INT64_MAX, &units[nunits]) != VD_OK) {
				cli_fail("--unit wants a unit number");
				return 2;
			}
			nunits++;
		} else {
			cli_fail("unknown option '%.40s'", opt);
			return 2;
		}
	}
	if (!role || !name || !email) {
		cli_fail("user add needs --role, --name and --email");
		return 2;
	}
	enum vd_role r = role_parse(role);
	if (r == ROLE_NONE) {
		cli_fail("unknown role '%.40s' (admin, counsellor, committee, integrity, "
			 "candidate_committee, reader; a candidate is invited by a candidate committee)", role);
		return 2;
	}
	char err[256] = "";
	struct vd *vd = NULL;
	if (app_open(dir, 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		return 1;
	}
	struct account_input in = {
		.name = name, .email = email, .role = r, .units = { units, nunits }, .active = 1,
	};
	int64_t id = 0;
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	enum account_field bad = AF_NONE;
	int rc = account_create(vd, &principal_system, &in, &id, pw, &bad);
	app_close(vd);
	if (rc) {
		const char *why = rc == VD_ERR_EXISTS ? "an account with this e-mail address exists already"
				  : bad == AF_NAME ? "the name is empty, too long or has control characters"
				  : bad == AF_EMAIL ? "the e-mail address is not valid"
				  : bad == AF_UNITS ? "a unit number does not exist"
				  : vd_strerror(rc);
		cli_fail("user not added: %s", why);
		return 1;
	}
	printf("Added %s (%s) as %s, account %lld.\n"
	       "One-time activation password (shown once; the user must change it at first login):\n"
	       "  %s\n",
	       name, email, role_name(r), (long long)id, pw);
	wipe(pw, sizeof pw);
	return 0;
}
