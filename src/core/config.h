/*
 * config: the data directory's vertrouwd.conf ("key = value" lines, # comments).
 *
 * Unknown keys and bad values are errors, reported with the line number, so a
 * typo never silently falls back to a default.
 */
#ifndef VD_CONFIG_H
#define VD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* The Argon2id costs the configuration accepts, for passwords and codes
 * alike: below 8 MiB Argon2id stops being a real obstacle (tests use 8). */
#define CONFIG_ARGON2_OPS_MAX 20
#define CONFIG_ARGON2_KIB_MIN 8192
#define CONFIG_ARGON2_KIB_MAX (4 * 1024 * 1024)

struct config {
	int store_postgres;           /* 1: store = postgres (store_url); 0: SQLite in the data directory */
	char store_url[512];          /* a libpq connection string; never logged (it may hold a password) */
	char listen[64];              /* "127.0.0.1:8080" */
	int secure_cookies;           /* 1 behind TLS: cookies get Secure */
	int trust_proxy;              /* 1: take the client address from X-Forwarded-For */
	int64_t session_idle_seconds; /* session ends after this much inactivity */
	int64_t session_max_seconds;  /* and at the latest after this */
	unsigned long long password_ops; /* Argon2id passes */
	size_t password_mem;          /* Argon2id memory, bytes */
	unsigned long long receipt_ops; /* Argon2id passes for a new receipt code */
	size_t receipt_mem;           /* and its memory, bytes (docs/security.md, "Receipt codes") */
	size_t max_body_bytes;        /* request body cap for staff forms */
	int threads;                  /* HTTP event threads, and as many POST workers */
	char org_name[128];           /* shown in the page header */
	char smtp_url[256];           /* "smtp://host:port" or "smtps://..."; "" sends no mail */
	char smtp_from[256];          /* sender address of notifications */
	int64_t mail_retry_seconds;   /* first wait after a failed send (doubles each time) */
	int64_t no_contact_weeks;     /* the dashboard lists open cases without contact this long */
	int64_t reports_per_hour;     /* public reports taken from one source in an hour */
	unsigned two_factor_roles;    /* ROLE_BIT()s whose staff must log in with a second factor */
	int64_t small_numbers;        /* the annual report's threshold: fewer shows as "fewer than" */
	char base_url[256];           /* how users reach the site, for the link in a mail */
	/* The complaints regulation's terms (complaint_flow.h). */
	int64_t complaint_complete_days;      /* for the complainant to complete a complaint */
	int64_t complaint_admissibility_days; /* to decide whether it is admissible */
	int64_t minutes_approval_days;        /* minutes count as approved after this */
	int64_t complaint_decision_weeks;     /* from receipt to the board's decision */
	int64_t complaint_extension_weeks;    /* longest extension of that on notice alone */
	/* Retention (retention.h): years a record is kept after it closed. */
	int64_t retention_case_years;      /* a counsellor's case */
	int64_t retention_exception_years; /* a case with an exception record */
	int64_t retention_complaint_years; /* a complaint file */
	int64_t retention_wb_years;        /* a report of wrongdoing */
	int64_t retention_log_years;       /* the subject of a counsellor's log entry */
	/* An integrity declaration, after the committee's decision (days). */
	int64_t retention_declined_days;         /* a candidate not chosen, or who withdrew */
	int64_t retention_declined_consent_days; /* the same, who agreed to be kept longer */
	int64_t retention_candidate_days;        /* a candidate chosen: while the office lasts */
	int64_t retention_undecided_days;        /* never decided: after the round's closing day */
};


#endif
