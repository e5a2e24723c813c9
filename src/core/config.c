/* config: see config.h. */
#include "internal/config.h"

#include <stdio.h>
#include <string.h>

#include "../crypto/crypto.h"
#include "../util/text.h"
#include "vd.h"

/* "counsellor, committee" as role bits; "none" for none. */
static int parse_roles(const char *val, unsigned *out)
{
	*out = 0;
	if (strcmp(val, "none") == 0)
		return VD_OK;
	char buf[256];
	if (strlen(val) >= sizeof buf)
		return VD_ERR_INVALID;
	snprintf(buf, sizeof buf, "%s", val);
	char *save = NULL;
	int n = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save), n++) {
		enum vd_role r = role_parse(text_trim(t));
		if (r == ROLE_NONE)
			return VD_ERR_INVALID;
		*out |= 1u << r;
	}
	return n ? VD_OK : VD_ERR_INVALID;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
	c->secure_cookies = 0;
	c->session_idle_seconds = 30 * 60;
	c->session_max_seconds = 12 * 3600;
	struct crypto_pwcost cost;
	crypto_pwcost_default(&cost);
	c->password_ops = cost.ops;
	c->password_mem = cost.mem;
	c->receipt_ops = 2;
	c->receipt_mem = 8192 * 1024;
	c->max_body_bytes = 1024 * 1024;
	c->threads = 2;
	snprintf(c->org_name, sizeof c->org_name, "vertrouwd");
	snprintf(c->smtp_from, sizeof c->smtp_from, "vertrouwd@localhost");
	snprintf(c->base_url, sizeof c->base_url, "http://127.0.0.1:8080");
	c->mail_retry_seconds = 30;
	c->no_contact_weeks = 4;
	c->reports_per_hour = 20;
	c->small_numbers = 5;
	c->retention_case_years = 5;
	c->retention_exception_years = 10;
	c->retention_complaint_years = 2;
	c->retention_wb_years = 5;
	c->retention_log_years = 5;
	c->retention_declined_days = 28;
	c->retention_declined_consent_days = 365;
	c->retention_candidate_days = 4 * 365 + 1;
	c->retention_undecided_days = 365;
	/* the roles that read what people told in confidence */
	c->two_factor_roles = 1u << ROLE_COUNSELLOR | 1u << ROLE_COMMITTEE | 1u << ROLE_INTEGRITY |
			      1u << ROLE_CANDIDATE_COMMITTEE;
	c->complaint_complete_days = 14;
	c->complaint_admissibility_days = 14;
	c->minutes_approval_days = 8;
	c->complaint_decision_weeks = 10;
	c->complaint_extension_weeks = 4;
}

const char *config_template(void)
{
	return "# vertrouwd configuration. Lines are \"key = value\"; # starts a comment.\n"
	       "# Restart `vertrouwd serve` after a change.\n"
	       "\n"
	       "# Where the records are kept: sqlite (vertrouwd.db in this directory) or\n"
	       "# postgres, the database that store_url names (a libpq connection string;\n"
	       "# keep its password in a password file, PGPASSFILE, not here). See\n"
	       "# docs/operations.md, \"PostgreSQL\".\n"
	       "# store = postgres\n"
	       "# store_url = host=/run/postgresql dbname=vertrouwd\n"
	       "\n"
	       "# Address and port to listen on. Keep 127.0.0.1 and put a TLS proxy in front.\n"
	       "listen = 127.0.0.1:8080\n"
	       "\n"
	       "# yes when users reach vertrouwd over HTTPS (through the proxy): cookies then\n"
	       "# get the Secure flag. Always yes in production.\n"
	       "secure_cookies = no\n"
	       "\n"
	       "# yes when a reverse proxy on this machine forwards requests: the login\n"
	       "# throttle then tells clients apart by X-Forwarded-For (kept in memory only,\n"
	       "# never stored or logged). Only set this when the proxy sets that header.\n"
	       "trust_proxy = no\n"
	       "\n"
	       "# A staff session ends after this many seconds without activity, and at the\n"
	       "# latest this many seconds after logging in.\n"
	       "session_idle_seconds = 1800\n"
	       "session_max_seconds = 43200\n"
	       "\n"
	       "# Cost of the Argon2id password hash (libsodium crypto_pwhash). The defaults\n"
	       "# are libsodium's interactive limits: 2 passes over 64 MiB (about 70 ms).\n"
	       "password_ops = 2\n"
	       "password_mem_kib = 65536\n"
	       "\n"
	       "# Cost of the Argon2id hash of a receipt code. A code's secret is 80 random\n"
	       "# bits, not a password a person chose, so guessing it offline stays out of\n"
	       "# reach at a far lower cost (the arithmetic: docs/security.md, \"Receipt\n"
	       "# codes\"); the default lets a small server take 100 reports a second.\n"
	       "# Each code keeps the cost it was made with: changing this never locks a\n"
	       "# reporter out (nor does changing the password cost: older codes keep theirs).\n"
	       "receipt_ops = 2\n"
	       "receipt_mem_kib = 8192\n"
	       "\n"
	       "# Largest request body accepted, in bytes (larger: 413).\n"
	       "max_body_bytes = 1048576\n"
	       "\n"
	       "# HTTP event threads, and as many workers for the forms sent (a form may\n"
	       "# hash a password or a code, which is a core's work): the number of cores.\n"
	       "threads = 2\n"
	       "\n"
	       "# The organisation's name, shown at the top of every page.\n"
	       "org_name = vertrouwd\n"
	       "\n"
	       "# E-mail notifications: when set, counsellors (and named reporters who left an\n"
	       "# e-mail address) get a mail saying only that there is news, never what.\n"
	       "# smtp_url = smtp://mail.example.org:25\n"
	       "# smtp_from = vertrouwd@example.org\n"
	       "# The address users reach vertrouwd at, for the link in those mails.\n"
	       "# base_url = https://vertrouwd.example.org\n"
	       "# After a failed send, wait this many seconds (doubling each time, at most an\n"
	       "# hour) before trying again; 20 tries at most.\n"
	       "# mail_retry_seconds = 30\n"
	       "# Weeks without a conversation before the dashboard lists an open case.\n"
	       "# no_contact_weeks = 4\n"
	       "# Reports taken through the public form from one address in an hour (more\n"
	       "# only if many people share one address, such as an office behind one router).\n"
	       "# reports_per_hour = 20\n"
	       "# The annual report shows a count below this as \"fewer than\" it, and hides\n"
	       "# what would let a reader work such a count out (docs/annual-report.md).\n"
	       "# 5 is the usual rule for reports on small groups; 3 to 50.\n"
	       "# small_numbers = 5\n"
	       "# Staff of these roles log in with a one-time code from an app as well as\n"
	       "# their password (they set it up at their first login); \"none\" for nobody.\n"
	       "# Anyone else may turn it on for themselves.\n"
	       "# two_factor_roles = counsellor, committee, integrity, candidate_committee\n"
	       "\n"
	       "# The complaints regulation's terms, counted from the day after the event\n"
	       "# and moved off weekends and holidays as the Algemene termijnenwet says.\n"
	       "# Days for the complainant to complete a complaint, and for the committee\n"
	       "# to decide whether it is admissible:\n"
	       "# complaint_complete_days = 14\n"
	       "# complaint_admissibility_days = 14\n"
	       "# Minutes count as approved when a heard person has not reacted in:\n"
	       "# minutes_approval_days = 8\n"
	       "# Weeks from receipt to the board's decision, and the one extension that a\n"
	       "# notice to both parties allows (more only with the complainant's consent):\n"
	       "# complaint_decision_weeks = 10\n"
	       "# complaint_extension_weeks = 4\n"
	       "# Public holidays set by decree are added in holidays.txt beside this file.\n"
	       "\n"
	       "# How long records are kept, in years after they were closed. Then\n"
	       "# `vertrouwd purge` (run by `serve` once a day) destroys every key that opens\n"
	       "# them, and their content and files; only the counts for the annual report\n"
	       "# remain. The public page on confidentiality states these terms.\n"
	       "# A counsellor's case: long enough for someone to come back about the same\n"
	       "# matter, or for a pattern around one person to show; the term of the usual\n"
	       "# professional rules for confidential counsellors.\n"
	       "# retention_case_years = 5\n"
	       "# A case in which confidentiality was broken (an exception record): the\n"
	       "# counsellor must be able to show why, condition by condition, for as long as\n"
	       "# a complaint or a claim about it can still come.\n"
	       "# retention_exception_years = 10\n"
	       "# A complaint file, after the decision (or the withdrawal): the term an appeal\n"
	       "# or a second complaint about the same conduct can take.\n"
	       "# retention_complaint_years = 2\n"
	       "# A report of wrongdoing, after it was closed: the reporter's protection\n"
	       "# against retaliation may have to be shown years later, and five years is\n"
	       "# the term of a claim for damages.\n"
	       "# retention_wb_years = 5\n"
	       "# The subject of a counsellor's log entry (advice, training, a short question):\n"
	       "# its counts stay.\n"
	       "# retention_log_years = 5\n"
	       "# An integrity declaration, in days after the candidate committee's decision.\n"
	       "# A candidate not chosen (or who withdrew): four weeks, the usual term for\n"
	       "# the papers of an applicant in the Netherlands; a year if they agreed.\n"
	       "# retention_declined_days = 28\n"
	       "# retention_declined_consent_days = 365\n"
	       "# A candidate chosen: while the office lasts (a four-year term), so that the\n"
	       "# declaration can be held against what comes to light in it.\n"
	       "# retention_candidate_days = 1461\n"
	       "# A declaration the committee never decided on (an invitation never\n"
	       "# used, a draft, a forgotten one), in days after the round's closing day.\n"
	       "# retention_undecided_days = 365\n";
}

static int parse_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else
		return VD_ERR_INVALID;
	return VD_OK;
}

static int apply(struct config *c, const char *key, const char *val, char *err, size_t errlen)
{
	int64_t n = 0;
	if (strcmp(key, "listen") == 0) {
		if (strlen(val) >= sizeof c->listen || !strchr(val, ':'))
			goto bad;
		snprintf(c->listen, sizeof c->listen, "%s", val);
	} else if (strcmp(key, "secure_cookies") == 0) {
		if (parse_bool(val, &c->secure_cookies))
			goto bad;
	} else if (strcmp(key, "trust_proxy") == 0) {
		if (parse_bool(val, &c->trust_proxy))
			goto bad;
	} else if (strcmp(key, "session_idle_seconds") == 0) {
		if (text_parse_i64(val, 1, 7 * 86400, &n))
			goto bad;
		c->session_idle_seconds = n;
	} else if (strcmp(key, "session_max_seconds") == 0) {
		if (text_parse_i64(val, 1, 30 * 86400, &n))
			goto bad;
		c->session_max_seconds = n;
	} else if (strcmp(key, "password_ops") == 0 || strcmp(key, "receipt_ops") == 0) {
		if (text_parse_i64(val, 1, CONFIG_ARGON2_OPS_MAX, &n))
			goto bad;
		*(key[0] == 'p' ? &c->password_ops : &c->receipt_ops) = (unsigned long long)n;
	} else if (strcmp(key, "password_mem_kib") == 0 || strcmp(key, "receipt_mem_kib") == 0) {
		/* for codes, 8 MiB is also what the arithmetic in docs/security.md needs */
		if (text_parse_i64(val, CONFIG_ARGON2_KIB_MIN, CONFIG_ARGON2_KIB_MAX, &n))
			goto bad;
		*(key[0] == 'p' ? &c->password_mem : &c->receipt_mem) = (size_t)n * 1024;
	} else if (strcmp(key, "max_body_bytes") == 0) {
		if (text_parse_i64(val, 1024, 64 * 1024 * 1024, &n))
			goto bad;
		c->max_body_bytes = (size_t)n;
	} else if (strcmp(key, "threads") == 0) {
		if (text_parse_i64(val, 1, 64, &n))
			goto bad;
		c->threads = (int)n;
	} else if (strcmp(key, "store") == 0) {
		if (strcmp(val, "sqlite") != 0 && strcmp(val, "postgres") != 0)
			goto bad;
		c->store_postgres = strcmp(val, "postgres") == 0;
	} else if (strcmp(key, "store_url") == 0) {
		if (strlen(val) >= sizeof c->store_url)
			goto bad;
		snprintf(c->store_url, sizeof c->store_url, "%s", val);
	} else if (strcmp(key, "smtp_url") == 0) {
		if (strlen(val) >= sizeof c->smtp_url || (strncmp(val, "smtp://", 7) && strncmp(val, "smtps://", 8)))
			goto bad;
		snprintf(c->smtp_url, sizeof c->smtp_url, "%s", val);
	} else if (strcmp(key, "smtp_from") == 0) {
		if (strlen(val) >= sizeof c->smtp_from || !text_valid_email(val))
			goto bad;
		snprintf(c->smtp_from, sizeof c->smtp_from, "%s", val);
	} else if (strcmp(key, "reports_per_hour") == 0) {
		if (text_parse_i64(val, 1, 1000000, &n))
			goto bad;
		c->reports_per_hour = n;
	} else if (strcmp(key, "two_factor_roles") == 0) {
		if (parse_roles(val, &c->two_factor_roles))
			goto bad;
	} else if (strcmp(key, "small_numbers") == 0) {
		if (text_parse_i64(val, 3, 50, &n))
			goto bad;
		c->small_numbers = n;
	} else if (strcmp(key, "no_contact_weeks") == 0) {
		if (text_parse_i64(val, 1, 52, &n))
			goto bad;
		c->no_contact_weeks = n;
	} else if (strcmp(key, "mail_retry_seconds") == 0) {
		if (text_parse_i64(val, 1, 3600, &n))
			goto bad;
		c->mail_retry_seconds = n;
	} else if (strcmp(key, "complaint_complete_days") == 0) {
		if (text_parse_i64(val, 1, 365, &n))
			goto bad;
		c->complaint_complete_days = n;
	} else if (strcmp(key, "complaint_admissibility_days") == 0) {
		if (text_parse_i64(val, 1, 365, &n))
			goto bad;
		c->complaint_admissibility_days = n;
	} else if (strcmp(key, "minutes_approval_days") == 0) {
		if (text_parse_i64(val, 1, 365, &n))
			goto bad;
		c->minutes_approval_days = n;
	} else if (strcmp(key, "complaint_decision_weeks") == 0) {
		if (text_parse_i64(val, 1, 52, &n))
			goto bad;
		c->complaint_decision_weeks = n;
	} else if (strcmp(key, "complaint_extension_weeks") == 0) {
		if (text_parse_i64(val, 0, 26, &n))
			goto bad;
		c->complaint_extension_weeks = n;
	} else if (strncmp(key, "retention_", 10) == 0) {
		int64_t *field = strcmp(key, "retention_case_years") == 0        ? &c->retention_case_years
				 : strcmp(key, "retention_exception_years") == 0 ? &c->retention_exception_years
				 : strcmp(key, "retention_complaint_years") == 0 ? &c->retention_complaint_years
				 : strcmp(key, "retention_wb_years") == 0        ? &c->retention_wb_years
				 : strcmp(key, "retention_log_years") == 0       ? &c->retention_log_years
										 : NULL;
		int64_t *days = strcmp(key, "retention_declined_days") == 0           ? &c->retention_declined_days
				: strcmp(key, "retention_declined_consent_days") == 0 ? &c->retention_declined_consent_days
				: strcmp(key, "retention_candidate_days") == 0        ? &c->retention_candidate_days
				: strcmp(key, "retention_undecided_days") == 0        ? &c->retention_undecided_days
										      : NULL;
		if (!field && !days) {
			snprintf(err, errlen, "unknown setting '%.40s'", key);
			return VD_ERR_INVALID;
		}
		if (text_parse_i64(val, 1, field ? 50 : 50 * 366, &n))
			goto bad;
		*(field ? field : days) = n;
	} else if (strcmp(key, "base_url") == 0) {
		if (strlen(val) >= sizeof c->base_url || (strncmp(val, "http://", 7) && strncmp(val, "https://", 8)) ||
		    !text_valid_line(val, strlen(val)) || strpbrk(val, " <>\"'"))
			goto bad;
		snprintf(c->base_url, sizeof c->base_url, "%s", val);
	} else if (strcmp(key, "org_name") == 0) {
		if (strlen(val) >= sizeof c->org_name || !text_valid_line(val, strlen(val)))
			goto bad;
		snprintf(c->org_name, sizeof c->org_name, "%s", val);
	} else {
		snprintf(err, errlen, "unknown setting '%.40s'", key);
		return VD_ERR_INVALID;
	}
	return VD_OK;
bad:
	snprintf(err, errlen, "bad value for '%.40s'", key);
	return VD_ERR_INVALID;
}

/* One line of the file, cut in place: 1 with *key and *val trimmed, 0 for
 * a blank line or a comment (# starts one anywhere), -1 without '='. */
static int split_line(char *l, char **key, char **val)
{
	char *hash = strchr(l, '#');
	if (hash)
		*hash = '\0';
	text_trim(l);
	if (!*l)
		return 0;
	char *eq = strchr(l, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	*key = text_trim(l);
	*val = text_trim(eq + 1);
	return 1;
}

bool config_line_sets(const char *line, size_t n, const char *key)
{
	char l[CONFIG_LINE_MAX], *k, *v;
	if (n >= sizeof l)
		return false; /* config_load refuses such a line */
	memcpy(l, line, n);
	l[n] = '\0';
	bool sets = split_line(l, &k, &v) == 1 && strcmp(k, key) == 0;
	crypto_wipe(l, sizeof l); /* a store_url line may hold a password */
	return sets;
}

int config_load(struct config *c, const char *path, int *line, char *err, size_t errlen)
{
	*line = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read the configuration file");
		return VD_ERR_IO;
	}
	char l[CONFIG_LINE_MAX];
	int rc = VD_OK;
	while (fgets(l, sizeof l, f)) {
		(*line)++;
		if (!strchr(l, '\n') && !feof(f)) {
			snprintf(err, errlen, "line too long");
			rc = VD_ERR_INVALID;
			break;
		}
		char *key, *val;
		int got = split_line(l, &key, &val);
		if (got == 0)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "expected key = value");
			rc = VD_ERR_INVALID;
			break;
		}
		rc = apply(c, key, val, err, errlen);
		if (rc)
			break;
	}
	fclose(f);
	if (rc == VD_OK && c->session_max_seconds < c->session_idle_seconds) {
		snprintf(err, errlen, "session_max_seconds is shorter than session_idle_seconds");
		*line = 0;
		rc = VD_ERR_INVALID;
	}
	if (rc == VD_OK && c->retention_exception_years < c->retention_case_years) {
		snprintf(err, errlen, "retention_exception_years is shorter than retention_case_years");
		*line = 0;
		rc = VD_ERR_INVALID;
	}
	return rc;
}
