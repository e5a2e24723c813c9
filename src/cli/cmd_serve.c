/* cmd_serve: `vertrouwd serve DIR [--listen ADDR:PORT]`. Runs until SIGINT or SIGTERM. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/app.h"
#include "../util/log.h"
#include "../web/i18n.h"
#include "../web/template.h"
#include "../web/web.h"
#include "cli.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int cmd_serve(int argc, char **argv)
{
	const char *dir = NULL, *listen = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			listen = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else {
			cli_fail("usage: vertrouwd serve DIR [--listen ADDR:PORT]");
			return 2;
		}
	}
	if (!dir) {
		cli_fail("usage: vertrouwd serve DIR [--listen ADDR:PORT]");
		return 2;
	}
	char err[256] = "";
	struct vd *vd = NULL;
	/* serve brings an older schema up to date, and refuses a newer one. */
	if (app_open(dir, 0, &vd, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		return 1;
	}
	if (tpl_load_all(err, sizeof err) || i18n_load(err, sizeof err) || static_init()) {
		cli_fail("built-in files are damaged: %s", err);
		app_close(vd);
		return 1;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Argon2id takes 64 MiB per receipt code. glibc raises its mmap threshold
	 * after the first such block is freed, and then serves the next ones from
	 * the heap, which it keeps: an idle server would sit on 100+ MB after a
	 * few reports. A fixed threshold keeps large blocks in mmap, given back
	 * to the system when freed. */
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
	if (app_serve_begin(vd) != VD_OK) {
		cli_fail("cannot prepare the files directory in %s", dir);
		tpl_unload_all();
		i18n_unload();
		app_close(vd);
		return 1;
	}
	struct server *srv = NULL;
	if (server_start(vd, listen ? listen : app_config(vd)->listen, &srv, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		app_serve_end(vd);
		tpl_unload_all();
		i18n_unload();
		app_close(vd);
		return 1;
	}
	char addr[80];
	snprintf(addr, sizeof addr, "%s", listen ? listen : app_config(vd)->listen);
	char *colon = strrchr(addr, ':');
	if (colon)
		snprintf(colon + 1, sizeof addr - (size_t)(colon + 1 - addr), "%d", server_port(srv));
	printf("vertrouwd %s is running at http://%s/ (stop with Ctrl-C)\n", VD_VERSION, addr);
	fflush(stdout);
	log_event(LOG_INFO, "started", LF_LISTEN, addr, LF_END);

	/* The main thread keeps house while libmicrohttpd's threads serve:
	 * notifications go out here, so a slow mail server delays no request. */
	while (!stop_requested) {
		sleep(1);
		app_housekeep(vd);
	}
	log_event(LOG_INFO, "stopping", LF_END);
	server_stop(srv);
	app_serve_end(vd);
	tpl_unload_all();
	i18n_unload();
	app_close(vd);
	return 0;
}
