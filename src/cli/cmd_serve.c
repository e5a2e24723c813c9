/* cmd_serve: `vertrouwd serve DIR [--listen ADDR:PORT]`. Runs until SIGINT or SIGTERM. */
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../core/accounts.h"
#include "../core/app.h"
#include "../core/files.h"
#include "../core/notify.h"
#include "../core/sessions.h"
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
	files_prepare(vd, true); /* what interrupted uploads left behind */
	struct server *srv = NULL;
	if (server_start(vd, listen ? listen : vd->cfg.listen, &srv, err, sizeof err) != VD_OK) {
		cli_fail("%s", err);
		tpl_unload_all();
		i18n_unload();
		app_close(vd);
		return 1;
	}
	char addr[80];
	snprintf(addr, sizeof addr, "%s", listen ? listen : vd->cfg.listen);
	char *colon = strrchr(addr, ':');
	if (colon)
		snprintf(colon + 1, sizeof addr - (size_t)(colon + 1 - addr), "%d", server_port(srv));
	printf("vertrouwd %s is running at http://%s/ (stop with Ctrl-C)\n", VD_VERSION, addr);
	fflush(stdout);
	log_event(LOG_INFO, "started", LF_LISTEN, addr, LF_END);

	/* The main thread keeps house while libmicrohttpd's threads serve:
	 * notifications go out here, so a slow mail server delays no request. */
	/* libcurl (and its TLS library) only when mail is configured: it costs
	 * several megabytes of memory that an installation without mail need not pay. */
	bool mail = vd->cfg.smtp_url[0] != '\0';
	if (mail)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	int ticks = 0;
	while (!stop_requested) {
		sleep(1);
		if (mail)
			notify_run(vd);
		if (++ticks % 60 == 0) {
			session_purge(vd);
			vd->store->ops->invitation_purge(vd->store, clock_now()); /* spent by time */
		}
	}
	if (mail)
		curl_global_cleanup();
	log_event(LOG_INFO, "stopping", LF_END);
	server_stop(srv);
	tpl_unload_all();
	i18n_unload();
	app_close(vd);
	return 0;
}
