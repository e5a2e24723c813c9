"""The test registry, assertions, and the environment the tests share: a
demo data directory, a running server, and logged-in clients per role."""

import html
import os
import re
import select
import signal
import subprocess
import time

import db as database
from client import Client, SEEN_SECRETS

TESTS = []  # (name, function, phase); phase "run" or "after_stop"


def test(name, phase="run"):
    """Registers a test function f(env) under web/<name>."""
    def register(fn):
        if any(t[0] == name for t in TESTS):
            raise RuntimeError("two tests are named %s" % name)
        TESTS.append((name, fn, phase))
        return fn
    return register


class Failure(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def expect_status(resp, expected, what):
    if isinstance(expected, int):
        expected = (expected,)
    check(resp.status in expected, "%s: status %d, want %s" % (
        what, resp.status, " or ".join(str(e) for e in expected)))


def expect_redirect(resp, target, what, path_only=False):
    """A 303 whose Location is target (a local path, with query unless path_only)."""
    check(resp.status == 303, "%s: status %d, want 303 to %s" % (what, resp.status, target))
    got = resp.location_path if path_only else resp.location
    check(got == target, "%s: redirects to %r, want %r" % (what, resp.header("Location"), target))


def eventually(fn, timeout=1.5, interval=0.1):
    """Calls fn until it returns a true value or timeout passes; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)


def secret_text(page):
    """The one-time password an activation page shows in .secret."""
    vals = [v for v in page.classed("secret") if v]
    return vals[0] if vals else None


ACTIVATION_RE = re.compile(r"^[a-z2-9]{4}(-[a-z2-9]{4}){3}$")


class Server:
    """One `vertrouwd serve` process on a free port."""

    def __init__(self, binary, datadir, log_path):
        self.log_path = log_path
        self.log_file = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [binary, "serve", datadir, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=self.log_file, stdin=subprocess.DEVNULL)
        self.port = None
        self.exit_code = None
        line = self._read_line(timeout=30)
        m = re.search(r"is running at http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("the server did not start: stdout %r, log %r" % (line, self.log()[-2000:]))
        self.port = int(m.group(1))
        self.first_line = line

    def _read_line(self, timeout):
        out = b""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while not out.endswith(b"\n") and time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            b = os.read(fd, 1)
            if not b:
                break
            out += b
        return out.decode("utf-8", errors="replace")

    def stop(self, timeout=20):
        """SIGTERM, wait; returns the exit code (None if it had to be killed)."""
        if self.exit_code is not None or self.proc.poll() is not None:
            self.exit_code = self.proc.poll() if self.exit_code is None else self.exit_code
            return self.exit_code
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.exit_code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.exit_code = None
        self.log_file.close()
        try:
            self.proc.stdout.close()
        except OSError:
            pass
        return self.exit_code

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")


ROLES = ("admin", "counsellor", "committee", "integrity", "reader", "candidate_committee", "candidate")


_databases = [0]


def store_args():
    """With VD_WEB_STORE=postgres, the arguments that put a new data directory
    on a new, empty PostgreSQL database of the cluster VD_TEST_PG names
    (tests/pg/cluster); else none: SQLite in the directory."""
    if os.environ.get("VD_WEB_STORE") != "postgres":
        return []
    base = os.environ["VD_TEST_PG"]
    _databases[0] += 1
    name = "vd_web_%d_%d" % (os.getpid(), _databases[0])
    subprocess.run(["psql", base, "-q", "-c", "CREATE DATABASE " + name], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)
    return ["--store-url", re.sub(r"dbname=\S+", "dbname=" + name, base)]


def run_demo(binary, datadir):
    """`vertrouwd demo DIR`: returns (password, {role: [(email, name)]})."""
    p = subprocess.run([binary, "demo", datadir] + store_args(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    out = p.stdout.decode("utf-8", errors="replace")
    if p.returncode != 0:
        raise RuntimeError("demo failed (%d): %s" % (p.returncode, p.stderr.decode(errors="replace")))
    m = re.search(r"^\s+password: (\S+)\s*$", out, re.M)
    if not m:
        raise RuntimeError("no password in the demo output")
    accounts = {}
    for role, email, name in re.findall(r"^\s+(admin|counsellor|committee|integrity|reader|candidate_committee|candidate)\s+(\S+@\S+) \((.*)\)\s*$", out, re.M):
        accounts.setdefault(role, []).append((email, name))
    for role in ROLES:
        if role not in accounts:
            raise RuntimeError("no %s account in the demo output" % role)
    return m.group(1), accounts




class Env:
    def __init__(self, binary, tmp):
        self.binary = binary
        self.tmp = tmp
        self.datadir = os.path.join(tmp, "data")
        self.password, self.accounts = run_demo(binary, self.datadir)
        SEEN_SECRETS.add(self.password)
        # The login throttle counts failures per client address as well as per
        # account. All tests come from 127.0.0.1, so the throttle tests tell the
        # server a different address through X-Forwarded-For, which it only
        # believes when told to (and never stores or logs: test_logs checks).
        with open(os.path.join(self.datadir, "vertrouwd.conf"), "a") as f:
            f.write("\n# added by tests/web\ntrust_proxy = yes\n"
                    "reports_per_hour = 100000\n"  # every test reports from 127.0.0.1
                    # terms unlike the defaults, so the public page is seen to read them
                    "retention_case_years = 7\nretention_wb_years = 1\n")
        self.server = Server(binary, self.datadir, os.path.join(tmp, "server.log"))
        self.port = self.server.port
        self.expiry_server = None
        self._sessions = {}
        self._counter = 0
        self.forwarded_addresses = set()
        self.activation_passwords = set()
        self.recovery_keys = {}
        self.markers = set()  # strings sent in requests that must never reach the log

    # -- clients --
    def client(self, **kw):
        return Client(self.port, **kw)

    def email(self, role, i=0):
        return self.accounts[role][i][0]

    def name(self, role, i=0):
        return self.accounts[role][i][1]

    def login(self, email, password, **kw):
        """A fresh client logged in as email; fails the test if it cannot."""
        c = self.client(**kw)
        r = c.login(email, password)
        check(r.status == 303, "logging in as %s: status %d" % (email, r.status))
        return c, r

    def session(self, role):
        """A logged-in client for the first demo account of role (shared: tests
        using it must not log it out)."""
        c = self._sessions.get(role)
        if c is None or c.get("/start").status != 200:
            c, r = self.login(self.email(role), self.password)
            check(r.location == "/start", "login as %s goes to %r" % (role, r.location))
            self._sessions[role] = c
        return c

    @property
    def admin(self):
        return self.session("admin")

    def unique(self, prefix):
        self._counter += 1
        return "%s%d%s" % (prefix, self._counter, os.urandom(3).hex())

    def forwarded(self):
        """A fresh documentation address (RFC 5737) for X-Forwarded-For."""
        self._counter += 1
        a = "198.51.100.%d" % (self._counter % 250 + 1)
        while a in self.forwarded_addresses:
            self._counter += 1
            a = "203.0.113.%d" % (self._counter % 250 + 1)
        self.forwarded_addresses.add(a)
        return a

    # -- records, through the administrator's pages --
    def accounts_table(self):
        """{email: (id, name)} from /beheer/accounts."""
        r = self.admin.get("/beheer/accounts")
        check(r.status == 200, "GET /beheer/accounts: %d" % r.status)
        rows = re.findall(r'<a href="/beheer/accounts/(\d+)">([^<]*)</a></td><td>([^<]*)</td>', r.text)
        return {unescape_html(email): (int(i), unescape_html(name)) for i, name, email in rows}

    def user_id(self, email):
        t = self.accounts_table()
        check(email in t, "account %s not in the account list" % email)
        return t[email][0]

    def units_table(self):
        """{name: id} from /beheer/eenheden (depth dashes removed)."""
        r = self.admin.get("/beheer/eenheden")
        check(r.status == 200, "GET /beheer/eenheden: %d" % r.status)
        rows = re.findall(r'<a href="/beheer/eenheden/(\d+)">([^<]*)</a>', r.text)
        return {re.sub(r"^[–\s]+", "", unescape_html(label)): int(i) for i, label in rows}

    def unit_id(self, name):
        t = self.units_table()
        check(name in t, "unit %r not in the unit list" % name)
        return t[name]

    def create_unit(self, name, kind="other", parent=""):
        r = self.admin.submit("/beheer/eenheden", "/beheer/eenheden",
                              {"name": name, "kind": kind, "parent": str(parent)})
        expect_redirect(r, "/beheer/eenheden?klaar=1", "adding unit %r" % name)
        return self.unit_id(name)

    def create_account(self, role, units=(), name=None, email=None):
        """Creates an account; returns (id, email, name, activation password)."""
        name = name or self.unique("Test %s " % role)
        email = email or (self.unique("t-%s-" % role) + "@example.org")
        r = self.admin.submit("/beheer/accounts/nieuw", "/beheer/accounts/nieuw",
                              {"name": name, "email": email, "role": role,
                               "unit": [str(u) for u in units]}, keep=False)
        check(r.status == 200, "creating account %s: status %d" % (email, r.status))
        pw = secret_text(r.page)
        check(pw and ACTIVATION_RE.match(pw), "creating account %s: no activation password in .secret" % email)
        self.activation_passwords.add(pw)
        SEEN_SECRETS.add(pw)
        return self.user_id(email), email, name, pw

    def activate(self, email, activation_pw, new_pw=None):
        """Logs in with an activation password and sets a real one; returns
        (client, new password). The first own password makes the account's
        key pair, and the answer shows its recovery key once: it is kept in
        self.recovery_keys[email]."""
        new_pw = new_pw or ("Nieuw-" + os.urandom(8).hex())
        SEEN_SECRETS.add(new_pw)
        c, r = self.login(email, activation_pw)
        check(r.location == "/wachtwoord", "first login of %s goes to %r" % (email, r.location))
        r = c.submit("/wachtwoord", "/wachtwoord", {"old": activation_pw, "new": new_pw, "again": new_pw})
        expect_status(r, 200, "changing the activation password of %s" % email)
        recovery = secret_text(r.page)
        check(recovery and re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}", recovery),
              "no recovery key shown after the first own password: %r" % recovery)
        check(r.header("Cache-Control") == "no-store", "the recovery key page may be cached")
        SEEN_SECRETS.add(recovery)
        self.recovery_keys[email] = recovery
        return c, new_pw

    def public_key(self, uid):
        """The account's public key as stored (read straight from the database)."""
        db = database.connect(self.datadir)
        try:
            row = db.execute("SELECT public_key FROM user_keys WHERE user_id = ?", (uid,)).fetchone()
        finally:
            db.close()
        return row[0] if row else None

    def session_as(self, email, password=None):
        """A logged-in client for email (cached; never logged out)."""
        cache = self.__dict__.setdefault("_email_sessions", {})
        c = cache.get(email)
        if c is None or c.get("/start").status != 200:
            c, r = self.login(email, password or self.password)
            check(r.location == "/start", "login as %s goes to %r" % (email, r.location))
            cache[email] = c
        return c

    def counsellor_email(self, name):
        """The e-mail address of the demo counsellor called name."""
        for email, n in self.accounts["counsellor"]:
            if n == name:
                return email
        raise Failure("no demo counsellor named %r" % name)

    def db_count(self, table):
        """Rows in a table, read straight from the database (read only)."""
        db = database.connect(self.datadir)
        try:
            return db.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
        finally:
            db.close()

    def stop(self):
        codes = {}
        if self.expiry_server:
            codes["expiry"] = self.expiry_server.stop()
        codes["main"] = self.server.stop()
        return codes


def unescape_html(s):
    return html.unescape(s)


# ---- reports (/melden) and cases (/dossiers) ----------------------------------

RECEIPT_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$")


def report_fields(unit, counsellor="", **kw):
    """A valid anonymous report for unit (and counsellor, "" for anyone
    serving it); keyword arguments replace or add fields (None drops one)."""
    f = {"unit": str(unit), "counsellor": str(counsellor), "named": "no", "name": "", "email": "",
         "phone": "", "contact_pref": "", "account": "Er gebeurde iets vervelends.", "when": "",
         "hopes": "", "location": "online", "relation": "colleague", "reporter_type": "member",
         "behaviour": ["bullying"]}
    f.update(kw)
    return {k: v for k, v in f.items() if v is not None}


def form_pairs(fields):
    pairs = []
    for k, v in (fields.items() if isinstance(fields, dict) else fields):
        if isinstance(v, (list, tuple)):
            pairs.extend((k, x) for x in v)
        else:
            pairs.append((k, v))
    return pairs


def submit_report(env, fields, client=None, **kw):
    """GET /melden and POST fields with its csrf token, as a fresh anonymous
    visitor unless a client is given. Returns (client, response)."""
    c = client or env.client(**kw)
    r = c.get("/melden")
    check(r.status == 200, "GET /melden: status %d" % r.status)
    tok = r.page.csrf("/melden")
    check(tok, "the report form has no csrf token")
    return c, c.post("/melden", [("csrf", tok)] + form_pairs(fields))


def receipt_of(r, what):
    """The receipt code on a successful report's answer (checked, remembered
    as a secret that must never reach the log)."""
    check(r.status == 200, "%s: status %d, want 200 (errors: %s)" % (
        what, r.status, " | ".join(r.page.classed("errors"))[:300]))
    code = secret_text(r.page)
    check(code and RECEIPT_RE.match(code), "%s: no receipt code in .secret (got %r)" % (what, code))
    SEEN_SECRETS.add(code)
    SEEN_SECRETS.add(code.replace("-", ""))
    return code


CASE_ROW_RE = re.compile(r'<tr><td><a href="/dossiers/(\d+)">(.*?)</tr>', re.S)


def case_rows(c, max_pages=40):
    """A counsellor's whole case list, following its own "next" links:
    [(id, unopened)] in the order shown."""
    rows, path, visited = [], "/dossiers", set()
    for _ in range(max_pages):
        visited.add(path)
        r = c.get(path)
        check(r.status == 200, "GET %s: status %d" % (path, r.status))
        rows += [(int(i), "<strong>" in rest) for i, rest in CASE_ROW_RE.findall(r.text)]
        links = [html.unescape(l) for l in re.findall(r'href="(/dossiers\?[^"]*)"', r.text)]
        links = [l for l in links if l not in visited]
        if not links:
            return rows
        path = links[-1]
    raise Failure("the case list has more than %d pages" % max_pages)


def case_ids(c):
    return [i for i, _ in case_rows(c)]


def new_case_id(c, before, what):
    """The one case in c's list that was not in before."""
    new = set(case_ids(c)) - set(before)
    check(len(new) == 1, "%s: %d new cases in the counsellor's list, want 1" % (what, len(new)))
    return new.pop()
