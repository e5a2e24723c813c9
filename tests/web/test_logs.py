"""After the server has stopped: how it ended, and what its log (stderr)
holds. The log may hold only allowlisted fields: no client addresses,
e-mail addresses, passwords, tokens or request paths."""

import re

from client import SEEN_SECRETS
from harness import check, test

REQUEST_FIELDS = ["time", "level", "event", "method", "route", "status", "bytes", "usec"]
LINE_RE = re.compile(r'^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=(debug|info|warn|error) event="[^"]*"'
                     r'( [a-z_]+=("[^"\\]*"|-?\d+))*$')
PAIR_RE = re.compile(r'([a-z_]+)=("[^"]*"|\S+)')


def log_lines(env):
    return [l for l in env.server.log().splitlines() if l.strip()]


def where(line):
    return line if len(line) < 160 else line[:157] + "..."


@test("server_clean_exit", phase="after_stop")
def _(env):
    code = env.server.exit_code
    check(code == 0, "the server exited with %r after SIGTERM" % code)
    log = env.server.log()
    for bad in ("AddressSanitizer", "runtime error", "LeakSanitizer"):
        check(bad not in log, "the server's stderr contains %r" % bad)
    check('event="stopping"' in log, "the log does not say the server stopped")


@test("log_format", phase="after_stop")
def _(env):
    lines = log_lines(env)
    check(len(lines) > 100, "the log has only %d lines" % len(lines))
    for line in lines:
        check(LINE_RE.match(line), "a log line is not logfmt of allowlisted shape: %s" % where(line))
    levels = [re.match(r"time=\S+ level=(\w+)", l).group(1) for l in lines]
    errors = [l for l in lines if "level=error" in l]
    check(not errors, "the log has error lines: %s" % (where(errors[0]) if errors else ""))


@test("log_request_fields", phase="after_stop")
def _(env):
    requests = [l for l in log_lines(env) if 'event="request"' in l]
    check(len(requests) > 100, "only %d request lines" % len(requests))
    from test_access import MATRIX  # the route patterns
    patterns = {p for _, p in MATRIX} | {"/", "/vertrouwenspersonen", "/vertrouwenspersonen/:id",
                                          "/vertrouwelijkheid", "/documenten/:slug", "/documenten/:slug/versies/:id", "/taal/:slug",
                                          "/static/:slug", "/melden", "/mijn-melding", "/login", "/uitloggen", "-",
                                          "/klacht-indienen", "/mijn-klacht", "/uitnodiging/:slug", "/kandidaat/:slug",
                                          "/misstand-melden", "/mijn-misstand"}
    statuses = set()
    for line in requests:
        pairs = PAIR_RE.findall(line)
        names = [k for k, _ in pairs]
        check(names == REQUEST_FIELDS, "a request line has fields %s: %s" % (names, where(line)))
        d = dict(pairs)
        route = d["route"].strip('"')
        check(route in patterns, "a request line logs route %r, not a route pattern" % route)
        check(d["method"].strip('"') in ("GET", "HEAD", "POST", "OTHER"), "odd method in %s" % where(line))
        statuses.add(int(d["status"]))
    for s in (200, 303, 400, 401, 403, 404, 405, 413, 429):
        check(s in statuses, "no request line with status %d" % s)


@test("log_no_client_address", phase="after_stop")
def _(env):
    for line in log_lines(env):
        if "127.0.0.1" in line:
            check('event="started"' in line, "a log line holds the client address: %s" % where(line))
        for a in env.forwarded_addresses:
            check(not re.search(r"\b%s\b" % re.escape(a), line), "a log line holds a forwarded address: %s" % where(line))
        check(not re.search(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", line) or 'event="started"' in line,
              "a log line holds an IP address: %s" % where(line))


@test("log_no_secrets", phase="after_stop")
def _(env):
    log = env.server.log()
    check("@" not in log, "the log holds an e-mail address: %s" % where(
        next((l for l in log.splitlines() if "@" in l), "")))
    check(env.password not in log, "the log holds the demo password")
    for pw in env.activation_passwords:
        check(pw not in log, "the log holds an activation password")
    leaked = [s for s in SEEN_SECRETS if len(s) >= 16 and s in log]
    check(not leaked, "the log holds %d tokens or passwords (e.g. a cookie or csrf value)" % len(leaked))
    check(len(SEEN_SECRETS) > 20, "internal: only %d secrets were collected" % len(SEEN_SECRETS))
    for marker in ("zzmarker", "zzintro", "zzdoc", "zzadmin", "Geheim", "wrong-password", "Nieuw-", "<script"):
        check(marker not in log, "the log holds request content (%r)" % marker)
    # What reporters wrote (test_report plants unique markers in every field).
    check(len(env.markers) >= 10, "internal: only %d report markers were planted" % len(env.markers))
    leaked = [m for m in env.markers if m in log]
    check(not leaked, "the log holds report content: %s" % leaked[:3])


@test("log_report_received_record_only", phase="after_stop")
def _(env):
    lines = [l for l in log_lines(env) if 'event="report-received"' in l]
    check(len(lines) >= 30, "only %d report-received lines" % len(lines))
    for line in lines:
        check(re.match(r'^time=\S+ level=info event="report-received" record=\d+$', line),
              "a report-received line holds more than a record id: %s" % where(line))
