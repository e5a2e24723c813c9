/* cli: the `vertrouwd` command. Each subcommand is a function returning the
 * process exit status; wrong use prints one line on stderr and returns 2. */
#ifndef VD_CLI_H
#define VD_CLI_H

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Prints "vertrouwd: <msg>" on stderr. */
void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
