/*
 * main: the `vertrouwd` command line — a thin client of the core library.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/app.h"
#include "cli.h"

static const char usage[] =
    "Usage: vertrouwd COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  init DIR [--store-url CONNINFO]\n"
    "                            create a new data directory (database, config, secrets);\n"
    "                            with --store-url the database is that PostgreSQL one\n"
    "  demo DIR [--store-url CONNINFO]\n"
    "                            init DIR with an invented demo organisation; prints logins\n"
    "  serve DIR [--listen ADDR:PORT]\n"
    "                            run the web server (default: the config's listen address)\n"
    "  user add DIR --role ROLE --name NAME --email EMAIL [--unit ID]...\n"
    "                            add a staff account; prints a one-time activation password\n"
    "                            ROLE: admin, counsellor, committee, integrity,\n"
    "                            candidate_committee, reader\n"
    "  user reset-2fa DIR --email EMAIL\n"
    "                            two-step verification off for a user who lost their phone\n"
    "                            and their backup codes (they set it up again if required)\n"
    "  audit verify DIR [--noted N:HEAD]\n"
    "                            check the audit log's hash chain; prints the number of\n"
    "                            entries and the head hash: note both down elsewhere, and\n"
    "                            later give them as --noted to check nothing was rewritten\n"
    "  report DIR --unit ID --year YYYY [--csv OUTDIR]\n"
    "                            the annual report's counts for a unit and the units below\n"
    "                            it, protected against small numbers (docs/annual-report.md)\n"
    "  backup-key DIR KEYFILE    make the key backups are sealed to; its secret half goes to\n"
    "                            KEYFILE, to be kept away from the server (docs/operations.md)\n"
    "  backup DIR FILE           an encrypted, signed copy of DIR while the server runs\n"
    "  restore FILE DIR --key KEYFILE\n"
    "                            check a backup through and through and restore it into DIR\n"
    "  purge DIR [--dry-run]     destroy the records whose retention term is over (their keys,\n"
    "                            content and files; the counts stay); serve does it daily\n"
    "  migrate-store DIR --store-url CONNINFO\n"
    "                            move DIR's records from SQLite into an empty PostgreSQL\n"
    "                            database and switch its config (stop the server first)\n"
    "  escrow init DIR --trustee EMAIL --trustee EMAIL --trustee EMAIL [--replace]\n"
    "                            let any two of three trustees move the cases of a counsellor\n"
    "                            who can no longer open them (docs/security.md, Continuity)\n"
    "  --help                    this text\n"
    "  --version                 the version\n";

void cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vertrouwd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_fail("no command given (try: vertrouwd --help)");
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("vertrouwd %s\n", VD_VERSION);
		return 0;
	}
	/* Everything vertrouwd writes is for its owner's eyes only. */
	umask(077);
	if (app_library_init() != VD_OK) {
		cli_fail("cannot initialise libsodium");
		return 1;
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 2, argv + 2);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(argc - 2, argv + 2);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 2, argv + 2);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - 2, argv + 2);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc - 2, argv + 2);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 2, argv + 2);
	if (strcmp(cmd, "escrow") == 0)
		return cmd_escrow(argc - 2, argv + 2);
	if (strcmp(cmd, "migrate-store") == 0)
		return cmd_migrate_store(argc - 2, argv + 2);
	if (strcmp(cmd, "purge") == 0)
		return cmd_purge(argc - 2, argv + 2);
	if (strcmp(cmd, "backup-key") == 0 || strcmp(cmd, "backup") == 0 || strcmp(cmd, "restore") == 0)
		return cmd_backup(cmd, argc - 2, argv + 2);
	cli_fail("unknown command '%.40s' (try: vertrouwd --help)", cmd);
	return 2;
}
