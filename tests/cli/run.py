#!/usr/bin/env python3
"""Black-box tests of the `vertrouwd` command line.

Usage: run.py --bin PATH. Prints PASS:/FAIL: lines and "N passed, M failed".
Wrong use must give one clear line on stderr and a non-zero exit, and must
leave nothing half-written.
"""
import argparse
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tempfile

BIN = None
TMP = None
results = []
tests = []


def run(*args, timeout=60):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def one_line(stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    return len(lines) == 1 and lines[0].startswith("vertrouwd: ")


def test(fn):
    tests.append(fn)
    return fn


def run_test(fn):
    name = fn.__name__[5:]
    try:
        fn()
        results.append(True)
        print(f"PASS: cli/{name}", flush=True)
    except AssertionError as e:
        results.append(False)
        print(f"FAIL: cli/{name}: {e}"[:400], flush=True)
    except Exception as e:  # a crash of the test itself is a failure too
        results.append(False)
        print(f"FAIL: cli/{name}: {type(e).__name__}: {e}"[:400], flush=True)


def fresh(name):
    return os.path.join(TMP, name)


@test
def test_help_and_version():
    rc, out, err = run("--help")
    assert rc == 0, rc
    for cmd in ("init DIR", "demo DIR", "serve DIR", "user add DIR", "audit verify DIR", "--noted N:HEAD",
                "report DIR --unit ID --year YYYY", "backup-key DIR KEYFILE", "backup DIR FILE",
                "restore FILE DIR --key KEYFILE", "purge DIR [--dry-run]", "escrow init DIR --trustee EMAIL",
                "--version"):
        assert cmd in out, cmd
    rc, out, _ = run("--version")
    assert rc == 0 and re.fullmatch(r"vertrouwd \d+\.\d+\.\d+\n", out), out


@test
def test_wrong_use_is_one_line_and_nonzero():
    cases = [(), ("frobnicate",), ("init",), ("init", "a", "b"), ("init", "a", "--store-url"), ("serve",),
             ("serve", "x", "--bogus"),
             ("user",), ("user", "del", "x"), ("user", "add", fresh("nope"), "--role"),
             ("audit",), ("audit", "verify"), ("audit", "check", "x")]
    for args in cases:
        rc, out, err = run(*args)
        assert rc != 0, args
        assert one_line(err), (args, err)


@test
def test_init_makes_private_directory():
    d = fresh("init1")
    rc, out, err = run("init", d)
    assert rc == 0, err
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    for f in ("vertrouwd.conf", "secret.key", "vertrouwd.db"):
        mode = stat.S_IMODE(os.stat(os.path.join(d, f)).st_mode)
        assert mode & 0o077 == 0, (f, oct(mode))
    assert os.path.getsize(os.path.join(d, "secret.key")) == 32
    conf = open(os.path.join(d, "vertrouwd.conf")).read()
    assert "# " in conf and "listen = 127.0.0.1:8080" in conf
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
    # every kind of document in its first version, in both languages
    assert db.execute("SELECT count(*) FROM document_versions WHERE number = 1 AND body_nl <> ''"
                      " AND body_en <> ''").fetchone()[0] == 4
    db.close()


@test
def test_init_store_url_checked_and_nothing_left():
    """A connection string that would break the config, or a database that is
    not there, is refused in one line and leaves no directory behind; the
    secret in a connection string is not repeated."""
    for url in ("host=/x # comment", "host=/x\nlisten = 0.0.0.0:80", ""):
        d = fresh("pgurl")
        rc, _, err = run("init", d, "--store-url", url)
        assert rc == 1 and one_line(err), (url, err)
        assert not os.path.exists(d), url
    d = fresh("pgurl2")
    rc, _, err = run("demo", d, "--store-url", "host=/nonexistent-socket-dir dbname=x password=SECRET-PW-9Q")
    assert rc == 1 and one_line(err) and "PostgreSQL" in err, err
    assert "SECRET-PW-9Q" not in err, err
    assert not os.path.exists(d)
    rc, _, err = run("init", d, "--store", "x")
    assert rc == 2 and one_line(err), err


@test
def test_init_refuses_existing_and_leaves_nothing():
    d = fresh("init2")
    os.makedirs(d)
    open(os.path.join(d, "mine.txt"), "w").write("keep")
    rc, _, err = run("init", d)
    assert rc == 1 and one_line(err), err
    assert os.listdir(d) == ["mine.txt"]
    missing = fresh("no/such/parent/dir")
    rc, _, err = run("init", missing)
    assert rc == 1 and one_line(err), err
    leftovers = [n for n in os.listdir(TMP) if ".init-" in n]
    assert not leftovers, leftovers


@test
def test_user_add_prints_activation_password_once():
    d = fresh("users")
    assert run("init", d)[0] == 0
    rc, out, err = run("user", "add", d, "--role", "counsellor", "--name", "Noor Visser",
                       "--email", "noor.visser@example.org")
    assert rc == 0, err
    m = re.search(r"^\s+([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})$", out, re.M)
    assert m, out
    pw = m.group(1)
    # only a hash is stored
    raw = open(os.path.join(d, "vertrouwd.db"), "rb").read()
    wal = os.path.join(d, "vertrouwd.db-wal")
    if os.path.exists(wal):
        raw += open(wal, "rb").read()
    assert pw.encode() not in raw
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    row = db.execute("SELECT role, must_change_password, password_hash FROM users").fetchone()
    db.close()
    assert row[0] == "counsellor" and row[1] == 1 and row[2].startswith("$argon2id$"), row


@test
def test_user_add_bad_input_changes_nothing():
    d = fresh("users2")
    assert run("init", d)[0] == 0
    ok = ("--name", "Sam de Boer", "--email", "sam@example.org")
    cases = [
        (("--role", "wizard") + ok, 2),
        (("--role", "admin", "--name", "Sam", "--email", "not-an-email"), 1),
        (("--role", "admin", "--name", "", "--email", "sam@example.org"), 1),
        (("--role", "admin", "--unit", "99") + ok, 1),
        (("--role", "admin", "--unit", "x") + ok, 2),
        (("--role", "admin", "--name", "Sam"), 2),
    ]
    for args, want in cases:
        rc, out, err = run("user", "add", d, *args)
        assert rc == want and one_line(err), (args, rc, err)
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    db.close()
    assert run("user", "add", d, "--role", "admin", *ok)[0] == 0
    rc, _, err = run("user", "add", d, "--role", "reader", *ok)
    assert rc == 1 and "exists" in err, err
    rc, _, err = run("user", "add", fresh("nowhere"), "--role", "admin", *ok)
    assert rc == 1 and one_line(err), err


@test
def test_demo_prints_logins_and_keeps_them_private():
    d = fresh("demo")
    rc, out, err = run("demo", d)
    assert rc == 0, err
    assert re.search(r"password: \S{20,}", out), out
    for role in ("admin", "counsellor", "committee", "integrity", "reader", "candidate_committee", "candidate"):
        assert re.search(rf"^\s+{role}\s+\S+@example\.org", out, re.M), role
    assert len(re.findall(r"^\s+counsellor\s", out, re.M)) == 7
    assert len(re.findall(r"^\s+committee\s", out, re.M)) == 3
    assert len(re.findall(r"^\s+candidate_committee\s", out, re.M)) == 2
    logins = os.path.join(d, "demo-logins.txt")
    assert stat.S_IMODE(os.stat(logins).st_mode) == 0o600
    rc, _, err = run("demo", d)
    assert rc == 1 and one_line(err), err


def serve_fails(d, *extra):
    p = subprocess.run([BIN, "serve", d, *extra], capture_output=True, text=True, timeout=20)
    return p.returncode, p.stderr


@test
def test_serve_refuses_newer_database():
    d = fresh("newer")
    assert run("init", d)[0] == 0
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    db.execute("PRAGMA user_version=999")
    db.commit()
    db.close()
    rc, err = serve_fails(d, "--listen", "127.0.0.1:0")
    assert rc == 1 and one_line(err) and "newer" in err, err
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    assert db.execute("PRAGMA user_version").fetchone()[0] == 999  # untouched
    db.close()


@test
def test_serve_reports_bad_config_and_address():
    d = fresh("badconf")
    assert run("init", d)[0] == 0
    rc, err = serve_fails(d, "--listen", "not-an-address")
    assert rc == 1 and one_line(err), err
    with open(os.path.join(d, "vertrouwd.conf"), "a") as f:
        f.write("session_idle_seconds = soon\n")
    rc, err = serve_fails(d)
    assert rc == 1 and one_line(err) and "line" in err, err
    rc, err = serve_fails(fresh("nothing-here"))
    assert rc == 1 and one_line(err), err


@test
def test_serve_starts_and_stops_cleanly():
    d = fresh("serve")
    assert run("init", d)[0] == 0
    p = subprocess.Popen([BIN, "serve", d, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line
    import urllib.request
    body = urllib.request.urlopen(f"http://127.0.0.1:{m.group(1)}/", timeout=10).read()
    assert b"<html" in body
    p.terminate()
    rc = p.wait(timeout=20)
    err = p.stderr.read()
    assert rc == 0, (rc, err[-2000:])
    assert "Sanitizer" not in err and "runtime error" not in err, err[-2000:]


# ---- the audit log -------------------------------------------------------------

AUDIT_OK_RE = re.compile(r"audit log: (\d+) entries, chain intact, head ([0-9a-f]{64})\n")
AUDIT_BROKEN_RE = re.compile(r"audit log broken at entry (\d+): ")


def audit_demo(name):
    """A copy of one demo directory (made once: demo is slow)."""
    import shutil
    src = fresh("audit-demo")
    if not os.path.exists(src):
        rc, _, err = run("demo", src)
        assert rc == 0, err
    d = fresh(name)
    shutil.copytree(src, d)
    return d


def audit_db(d):
    return sqlite3.connect(os.path.join(d, "vertrouwd.db"))


def audit_verify(d):
    rc, out, err = run("audit", "verify", d)
    return rc, out + err


def entry_hash(prev, seq, at, actor, action, kind, obj):
    """The documented chain hash (docs/security.md), recomputed independently."""
    import hashlib
    import struct

    def i64(v):
        return struct.pack(">I", 8) + struct.pack(">q", v)

    def text(v):
        b = v.encode()
        return struct.pack(">I", len(b)) + b
    data = prev + text("vertrouwd audit 1") + i64(seq) + i64(at) + i64(actor) + text(action) + text(kind) + i64(obj)
    return hashlib.blake2b(data, digest_size=32).digest()


@test
def test_audit_verify_demo_is_intact():
    d = audit_demo("audit-ok")
    rc, out, err = run("audit", "verify", d)
    assert rc == 0 and err == "", (rc, err)
    m = AUDIT_OK_RE.fullmatch(out)
    assert m, out
    db = audit_db(d)
    rows = db.execute("SELECT seq, at, actor_id, action, object_kind, object_id, prev_hash, hash"
                      " FROM audit_log ORDER BY seq").fetchall()
    db.close()
    assert int(m.group(1)) == len(rows) > 0, (m.group(1), len(rows))
    actions = {r[3] for r in rows}
    assert {"unit.create", "account.create", "case.create", "case.open"} <= actions, actions
    # the chain, recomputed from the documented format, ends in the printed head
    prev = bytes(32)
    for seq, at, actor, action, kind, obj, p, h in rows:
        assert p == prev and h == entry_hash(prev, seq, at, actor, action, kind, obj), seq
        prev = h
    assert prev.hex() == m.group(2)


def tamper(d, *sql):
    db = audit_db(d)
    db.executescript("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;"
                     "DROP TRIGGER IF EXISTS audit_log_no_replace;")
    for q, params in sql:
        db.execute(q, params)
    db.commit()
    db.close()


@test
def test_audit_verify_names_a_changed_entry():
    for column, value in (("action", "logout"), ("actor_id", 4242), ("object_id", 99)):
        d = audit_demo("audit-changed-" + column)
        rc, out = audit_verify(d)
        n = int(AUDIT_OK_RE.fullmatch(out).group(1))
        middle = n // 2
        tamper(d, ("UPDATE audit_log SET %s = ? WHERE seq = ?" % column, (value, middle)))
        rc, out = audit_verify(d)
        assert rc == 1, (column, rc, out)
        m = AUDIT_BROKEN_RE.search(out)
        assert m and int(m.group(1)) == middle, (column, middle, out)
        assert len(out.strip().splitlines()) == 1, out


@test
def test_audit_verify_finds_a_missing_entry():
    d = audit_demo("audit-gap")
    n = int(AUDIT_OK_RE.fullmatch(audit_verify(d)[1]).group(1))
    middle = n // 2
    tamper(d, ("DELETE FROM audit_log WHERE seq = ?", (middle,)))
    rc, out = audit_verify(d)
    assert rc == 1, out
    m = AUDIT_BROKEN_RE.search(out)
    assert m and int(m.group(1)) == middle and "missing" in out, (middle, out)


@test
def test_audit_recomputed_chain_shows_in_the_head():
    """Someone who can write the database can rewrite an entry and recompute
    its hash: the next link then breaks. Recomputing every later hash too
    gives an intact chain, but a different head than the one noted before."""
    d = audit_demo("audit-rewrite")
    rc, out = audit_verify(d)
    m = AUDIT_OK_RE.fullmatch(out)
    n, noted_head = int(m.group(1)), m.group(2)
    middle = n // 2
    db = audit_db(d)
    rows = db.execute("SELECT seq, at, actor_id, action, object_kind, object_id, prev_hash"
                      " FROM audit_log WHERE seq >= ? ORDER BY seq", (middle,)).fetchall()
    db.close()
    seq, at, actor, action, kind, obj, prev = rows[0]
    forged = entry_hash(prev, seq, at, 4242, action, kind, obj)
    tamper(d, ("UPDATE audit_log SET actor_id = 4242, hash = ? WHERE seq = ?", (forged, middle)))
    rc, out = audit_verify(d)
    m = AUDIT_BROKEN_RE.search(out)
    assert rc == 1 and m and int(m.group(1)) == middle + 1, (middle, out)
    updates, prev = [], forged
    for seq, at, actor, action, kind, obj, _ in rows[1:]:
        h = entry_hash(prev, seq, at, actor, action, kind, obj)
        updates.append(("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, seq)))
        prev = h
    tamper(d, *updates)
    rc, out = audit_verify(d)
    m = AUDIT_OK_RE.fullmatch(out)
    assert rc == 0 and m and int(m.group(1)) == n, out
    assert m.group(2) != noted_head and m.group(2) == prev.hex()
    # ... which the head noted before catches
    rc, out, err = run("audit", "verify", d, "--noted", "%d:%s" % (n, noted_head.upper()))
    m = AUDIT_BROKEN_RE.search(out)
    assert rc == 1 and m and int(m.group(1)) == n and "noted" in out, (rc, out, err)
    rc, out, err = run("audit", "verify", d, "--noted", "%d:%s" % (n, prev.hex()))
    assert rc == 0 and AUDIT_OK_RE.match(out) and "still has the head noted" in out, (rc, out, err)


@test
def test_audit_noted_head_catches_removed_newest_entries():
    """Removing the newest entries leaves an intact, shorter chain: the count
    and head noted before catch it, and go on matching as the log grows."""
    d = audit_demo("audit-truncate")
    m = AUDIT_OK_RE.fullmatch(audit_verify(d)[1])
    n, head = int(m.group(1)), m.group(2)
    rc, out, err = run("audit", "verify", d, "--noted", "%d:%s" % (n, head))
    assert rc == 0, out + err
    # the log grows (a new account through the CLI): the old note still matches
    assert run("user", "add", d, "--role", "reader", "--name", "Lid Lezer", "--email", "lezer@example.org")[0] == 0
    m = AUDIT_OK_RE.fullmatch(audit_verify(d)[1])
    assert m and int(m.group(1)) == n + 1, m
    rc, out, err = run("audit", "verify", d, "--noted", "%d:%s" % (n, head))
    assert rc == 0, out + err
    tamper(d, ("DELETE FROM audit_log WHERE seq >= ?", (n - 1,)))
    rc, out = audit_verify(d)
    assert rc == 0 and AUDIT_OK_RE.fullmatch(out).group(1) == str(n - 2), out
    rc, out, err = run("audit", "verify", d, "--noted", "%d:%s" % (n, head))
    m = AUDIT_BROKEN_RE.search(out)
    assert rc == 1 and m and int(m.group(1)) == n, (rc, out, err)


@test
def test_audit_wrong_use():
    d = audit_demo("audit-use")
    head = "0" * 64
    for args in (("audit",), ("audit", "verify"), ("audit", "check", d), ("audit", "verify", d, "x"),
                 ("audit", "verify", "--all", d), ("audit", "verify", d, "--noted"),
                 ("audit", "verify", d, "--noted", "5"), ("audit", "verify", d, "--noted", "0:" + head),
                 ("audit", "verify", d, "--noted", "5:" + head[:-1]), ("audit", "verify", d, "--noted", "5:x" + head[1:]),
                 ("audit", "verify", d, "--noted", "5:" + head, "x")):
        rc, out, err = run(*args)
        assert rc == 2 and one_line(err) and out == "", (args, rc, out, err)
    rc, out, err = run("audit", "verify", fresh("no-such-dir"))
    assert rc == 1 and one_line(err), (rc, err)
    assert not os.path.exists(fresh("no-such-dir"))



@test
def test_report_prints_protected_tables():
    d = fresh("report")
    rc, out, err = run("demo", d)
    assert rc == 0, err
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    try:
        root = db.execute("SELECT id FROM units WHERE parent_id IS NULL OR parent_id = 0 ORDER BY id").fetchone()[0]
        year = db.execute("SELECT CAST(strftime('%Y', created_at, 'unixepoch', 'localtime') AS INTEGER)"
                          " FROM cases LIMIT 1").fetchone()[0]
        cases = db.execute("SELECT count(*) FROM cases").fetchone()[0]
        wb = db.execute("SELECT count(*) FROM wb_reports").fetchone()[0]
    finally:
        db.close()
    rc, out, err = run("report", d, "--unit", str(root), "--year", str(year))
    assert rc == 0, err
    shown = lambda n: "fewer than 5" if 0 < n < 5 else str(n)
    assert "cases: %s\n" % shown(cases) in out and "whistleblower reports: %s\n" % shown(wb) in out, out[:300]
    # no total or cell of 1 to 4 is printed as a number
    for m in re.finditer(r"(?:: |\()(\d+)(?:\)|\n|;)", out):
        assert int(m.group(1)) == 0 or int(m.group(1)) >= 5, m.group(0)
    for table in ("reporter_type", "relation", "behaviour", "wb_channel", "wb_ack"):
        assert re.search(r"^%s \(" % table, out, re.M), table
    # the demo is small: no cell of 1 to 4 is printed as a number
    for line in out.splitlines():
        m = re.match(r"^  \S.*?\s+(\d+)$", line)
        assert not m or int(m.group(1)) == 0 or int(m.group(1)) >= 5, line
    assert "fewer than 5" in out or "too few to split" in out, out[:300]
    # --csv: one file per table, each count as printed
    outdir = os.path.join(TMP, "report-csv")
    rc, out, err = run("report", d, "--unit", str(root), "--year", str(year - 1), "--csv", outdir)
    assert rc == 0 and "wrote" in out, (rc, err)
    files = sorted(os.listdir(outdir))
    assert "question_type.csv" in files and "reporter_type.csv" in files and len(files) >= 20, files
    with open(os.path.join(outdir, "question_type.csv"), newline="") as f:
        lines = f.read().split("\r\n")
    # the demo's last year: 5 questions from members and 5 from employees
    assert lines[0] == "category,count" and "member,5" in lines and "employee,5" in lines, lines
    assert "total,10" in lines, lines
    assert "short questions without a case: 10\n" in out, out[:400]
    rc, out, err = run("report", d, "--unit", str(root), "--year", str(year), "--csv", "/proc/nope/x")
    assert rc != 0 and one_line(err), (rc, err)
    # a year without cases: all zeros; wrong use: one line, nonzero
    rc, out, err = run("report", d, "--unit", str(root), "--year", "2001")
    assert rc == 0 and "cases: 0\n" in out, (rc, err)
    for args in (("report",), ("report", d), ("report", d, "--unit", "x", "--year", "2026"),
                 ("report", d, "--unit", str(root), "--year", "1999"), ("report", d, "--unit", "999999", "--year", "2026"),
                 ("report", fresh("nothing"), "--unit", "1", "--year", "2026"), ("report", d, "--bogus")):
        rc, out, err = run(*args)
        assert rc != 0 and one_line(err), (args, rc, err)

@test
def test_user_reset_2fa():
    d = fresh("reset2fa")
    rc, out, err = run("demo", d)
    assert rc == 0, err
    email = "bram.jansen@example.org"
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    try:
        uid = db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()[0]
        db.execute("UPDATE users SET totp_secret = x'00', totp_on = 1 WHERE id = ?", (uid,))
        db.execute("INSERT INTO backup_codes(user_id, code_hash) VALUES(?, x'01')", (uid,))
        db.execute("INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at, expires_at)"
                   " VALUES(x'02', ?, 1, 1, 9999999999)", (uid,))
        db.commit()
    finally:
        db.close()
    rc, out, err = run("user", "reset-2fa", d, "--email", email.upper())
    assert rc == 0 and "is off" in out, (rc, out, err)
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    try:
        row = db.execute("SELECT totp_secret, totp_on FROM users WHERE id = ?", (uid,)).fetchone()
        codes = db.execute("SELECT count(*) FROM backup_codes WHERE user_id = ?", (uid,)).fetchone()[0]
        sessions = db.execute("SELECT count(*) FROM sessions WHERE user_id = ?", (uid,)).fetchone()[0]
        audit = db.execute("SELECT count(*) FROM audit_log WHERE action = 'twofactor.reset' AND object_id = ?",
                           (uid,)).fetchone()[0]
    finally:
        db.close()
    assert row == (None, 0) and codes == 0 and sessions == 0 and audit == 1, (row, codes, sessions, audit)
    for args in (("user", "reset-2fa", d, "--email", "nobody@example.org"), ("user", "reset-2fa", d),
                 ("user", "reset-2fa", d, "--name", email)):
        rc, out, err = run(*args)
        assert rc != 0 and one_line(err), (args, rc, err)


def backup_setup(name, with_upload=True):
    """A demo directory with a backup key (the key file outside it) and an upload."""
    d, key = fresh(name), fresh(name + ".key")
    rc, out, err = run("demo", d)
    assert rc == 0, err
    rc, out, err = run("backup-key", d, key)
    assert rc == 0 and "secret half" in out, (rc, out, err)
    if with_upload:
        with open(os.path.join(d, "files", "00112233445566778899aabbccddeeff"), "wb") as f:
            f.write(os.urandom(200000))
    return d, key


def tree(d):
    """Every file under d with its bytes."""
    out = {}
    for root, dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, d)] = fh.read()
    return out


@test
def test_backup_and_restore_round_trip():
    d, key = backup_setup("bk1")
    with open(key) as f:
        text = f.read()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600, oct(os.stat(key).st_mode)
    assert re.search(r"^secret [0-9a-f]{64}$", text, re.M) and re.search(r"^verify [0-9a-f]{64}$", text, re.M)
    with open(os.path.join(d, "backup.pub")) as f:
        assert "secret" not in f.read().replace("# the public half", "")
    before = tree(d)
    f = fresh("bk1.vdb")
    rc, out, err = run("backup", d, f)
    assert rc == 0 and "backup written" in out and "schema" in out, (rc, out, err)
    assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
    with open(f, "rb") as fh:
        blob = fh.read()
    assert blob.startswith(b"vertrouwd backup 1\n")
    # Sealed: neither the database's pages nor the upload show through.
    assert b"SQLite format 3" not in blob and before["files/00112233445566778899aabbccddeeff"][:64] not in blob
    assert b"example.org" not in blob
    r = fresh("bk1.restored")
    rc, out, err = run("restore", f, r, "--key", key)
    assert rc == 0 and "every part checked" in out and "audit log intact" in out, (rc, out, err)
    after = tree(r)
    for name, data in before.items():
        if name.startswith("vertrouwd.db"):
            continue
        assert after.get(name) == data, name
    assert stat.S_IMODE(os.stat(r).st_mode) == 0o700
    db = sqlite3.connect(os.path.join(r, "vertrouwd.db"))
    try:
        live = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
        for table in ("users", "cases", "units", "case_keys"):
            n = db.execute("SELECT count(*) FROM " + table).fetchone()[0]
            assert n > 0 and n == live.execute("SELECT count(*) FROM " + table).fetchone()[0], table
        live.close()
        actions = [a for (a,) in db.execute("SELECT action FROM audit_log ORDER BY seq")]
    finally:
        db.close()
    assert actions[-1] == "backup.restore" and "backup.key" in actions, actions[-3:]
    rc, out, err = run("audit", "verify", r)
    assert rc == 0 and "chain intact" in out, (rc, out, err)


@test
def test_backup_refusals_change_nothing():
    d, key = backup_setup("bk2", with_upload=False)
    plain = fresh("bk2.plain")
    assert run("demo", plain)[0] == 0
    rc, out, err = run("backup", plain, fresh("bk2.none.vdb"))
    assert rc == 1 and one_line(err) and "backup-key" in err, (rc, err)
    assert not os.path.exists(fresh("bk2.none.vdb"))
    rc, out, err = run("backup-key", d, fresh("bk2.other.key"))
    assert rc == 1 and one_line(err) and "already has a backup key" in err, err
    assert not os.path.exists(fresh("bk2.other.key"))
    f = fresh("bk2.vdb")
    assert run("backup", d, f)[0] == 0
    size = os.path.getsize(f)
    rc, out, err = run("backup", d, f)
    assert rc == 1 and one_line(err) and "already exists" in err and os.path.getsize(f) == size, err
    for args in (("backup",), ("backup", d), ("backup", d, f, "x"), ("backup-key", d), ("restore", f, "x"),
                 ("restore", f, "x", "--kee", key), ("restore", f, "x", "--key")):
        rc, out, err = run(*args)
        assert rc == 2 and one_line(err) and "usage:" in err, (args, rc, err)
    rc, out, err = run("restore", f, d, "--key", key)
    assert rc == 1 and one_line(err) and "not an empty directory" in err, err
    rc, out, err = run("restore", fresh("bk2.missing"), fresh("bk2.r0"), "--key", key)
    assert rc == 1 and one_line(err), err


@test
def test_backup_keeps_the_secret_half_out():
    d, key = backup_setup("bk4", with_upload=False)
    # Not into the data directory itself ...
    d2 = fresh("bk4b")
    assert run("demo", d2)[0] == 0
    rc, out, err = run("backup-key", d2, os.path.join(d2, "backup.key"))
    assert rc == 1 and one_line(err) and "must not go into" in err, (rc, err)
    assert not os.path.exists(os.path.join(d2, "backup.key")) and not os.path.exists(os.path.join(d2, "backup.pub"))
    # ... and if someone copies it there anyway, it stays out of the backups.
    import shutil
    shutil.copy(key, os.path.join(d, "my-key.txt"))
    f = fresh("bk4.vdb")
    assert run("backup", d, f)[0] == 0
    # A stale directory an interrupted restore left (decrypted data) is swept.
    stale = fresh("bk4.r") + ".restore-AbC123"
    os.makedirs(os.path.join(stale, "files"))
    with open(os.path.join(stale, "secret.key"), "wb") as fh:
        fh.write(b"x" * 32)
    rc, out, err = run("restore", f, fresh("bk4.r") + "/", "--key", key)
    assert rc == 0 and "a backup made 20" in out, (rc, out, err)
    assert not os.path.exists(os.path.join(fresh("bk4.r"), "my-key.txt"))
    assert os.path.exists(os.path.join(fresh("bk4.r"), "backup.pub"))
    assert not os.path.exists(stale), "the interrupted restore's directory is still there"


def restore_fails(f, key, why):
    r = fresh("restore-target")
    rc, out, err = run("restore", f, r, "--key", key)
    assert rc == 1 and one_line(err) and why in err and "nothing was restored" in err, (rc, err)
    left = [n for n in os.listdir(TMP) if n.startswith("restore-target")]
    assert not left, left


@test
def test_restore_refuses_a_changed_cut_or_foreign_backup():
    d, key = backup_setup("bk3")
    f = fresh("bk3.vdb")
    assert run("backup", d, f)[0] == 0
    with open(f, "rb") as fh:
        blob = fh.read()

    def variant(name, data):
        p = fresh(name)
        with open(p, "wb") as fh:
            fh.write(data)
        return p

    mid = len(blob) // 2
    flipped = blob[:mid] + bytes([blob[mid] ^ 1]) + blob[mid + 1:]
    restore_fails(variant("bk3.flip", flipped), key, "damaged or was changed")
    restore_fails(variant("bk3.cut", blob[:mid]), key, "incomplete")
    restore_fails(variant("bk3.nosig", blob[:-64]), key, "incomplete")
    restore_fails(variant("bk3.extra", blob + b"\0"), key, "incomplete")
    sig_flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    restore_fails(variant("bk3.sig", sig_flipped), key, "not signed")
    restore_fails(variant("bk3.text", b"just some file\n"), key, "not a vertrouwd backup")
    # Another installation's key file: made for another key.
    d2, key2 = backup_setup("bk3b", with_upload=False)
    restore_fails(f, key2, "another backup key")
    # A backup sealed to this key's public half (which is no secret) by a
    # server that does not hold this installation's signing key.
    import shutil
    shutil.copy(os.path.join(d, "backup.pub"), os.path.join(d2, "backup.pub"))
    forged = fresh("bk3.forged")
    assert run("backup", d2, forged)[0] == 0
    restore_fails(forged, key, "not signed")
    # Key files that are not one.
    bad = variant("bk3.badkey", b"public 00\nsecret 11\n")
    restore_fails(f, bad, "not a vertrouwd backup key")
    with open(key) as fh:
        text = fh.read()
    wrong_half = re.sub(r"^secret [0-9a-f]{64}$", "secret " + "ab" * 32, text, flags=re.M)
    restore_fails(f, variant("bk3.halves", wrong_half.encode()), "not a vertrouwd backup key")


@test
def test_purge_destroys_what_is_due_only():
    d = fresh("purge1")
    assert run("demo", d)[0] == 0
    dbp = os.path.join(d, "vertrouwd.db")
    db = sqlite3.connect(dbp)
    try:
        # The demo case with a file, closed six years ago; another closed a year ago.
        old = db.execute("SELECT case_id FROM attachments ORDER BY id LIMIT 1").fetchone()[0]
        young = db.execute("SELECT id FROM cases WHERE id <> ? ORDER BY id LIMIT 1", (old,)).fetchone()[0]
        files = [f for (f,) in db.execute("SELECT file_id FROM attachments WHERE case_id = ?", (old,))]
        for cid, years in ((old, 6), (young, 1)):
            db.execute("INSERT INTO case_work(case_id, closed_at) VALUES(?, strftime('%s','now') - ? * 366 * 86400)"
                       " ON CONFLICT(case_id) DO UPDATE SET closed_at = excluded.closed_at", (cid, years))
        db.commit()
        before = db.execute("SELECT behaviours, reporter_type, relation, unit_id FROM cases WHERE id = ?",
                            (old,)).fetchone()
    finally:
        db.close()
    for f in files:
        open(os.path.join(d, "files", f), "wb").write(b"sealed")  # the demo's file rows, made real
    rc, out, err = run("purge", d, "--dry-run")
    assert rc == 0 and "due now: 1 cases" in out and "nothing was destroyed" in out, (rc, out, err)
    assert "cases 5, cases with an exception record 10, complaints 2" in out, out
    rc, out, err = run("purge", d)
    assert rc == 0 and "destroyed: 1 cases" in out and "%d files" % len(files) in out, (rc, out, err)
    assert all(not os.path.exists(os.path.join(d, "files", f)) for f in files)
    db = sqlite3.connect(dbp)
    try:
        row = db.execute("SELECT length(content), length(key_by_receipt), purged_at > 0, behaviours, reporter_type,"
                         " relation, unit_id FROM cases WHERE id = ?", (old,)).fetchone()
        keys = db.execute("SELECT count(*) FROM case_keys WHERE case_id = ?", (old,)).fetchone()[0]
        msgs = db.execute("SELECT count(*) FROM messages WHERE case_id = ?", (old,)).fetchone()[0]
        young_keys = db.execute("SELECT count(*) FROM case_keys WHERE case_id = ?", (young,)).fetchone()[0]
        audit = db.execute("SELECT count(*) FROM audit_log WHERE action = 'case.purge' AND object_id = ?",
                           (old,)).fetchone()[0]
    finally:
        db.close()
    assert row[:3] == (0, 0, 1) and row[3:] == before, row
    assert keys == 0 and msgs == 0 and young_keys > 0 and audit == 1, (keys, msgs, young_keys, audit)
    rc, out, err = run("purge", d)
    assert rc == 0 and "destroyed: 0 cases" in out, out
    rc, out, err = run("audit", "verify", d)
    assert rc == 0 and "chain intact" in out, out
    for args in (("purge",), ("purge", d, "--now"), ("purge", d, "--dry-run", "x"), ("purge", fresh("nope"))):
        rc, out, err = run(*args)
        assert rc != 0 and one_line(err), (args, rc, err)
    with open(os.path.join(d, "vertrouwd.conf"), "a") as f:
        f.write("retention_case_years = 0\n")
    rc, out, err = run("purge", d)
    assert rc == 1 and one_line(err) and "retention_case_years" in err, err


@test
def test_escrow_init_checks_its_trustees():
    d = fresh("escrow1")
    assert run("demo", d)[0] == 0  # the demo sets one up already
    trustees = ["--trustee", "anouk.dewit@example.org", "--trustee", "ingrid.smit@example.org",
                "--trustee", "karin.vos@example.org"]
    rc, out, err = run("escrow", "init", d, *trustees)
    assert rc == 1 and one_line(err) and "--replace" in err, (rc, err)
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    try:
        before = db.execute("SELECT group_concat(user_id) FROM escrow_trustees ORDER BY position").fetchone()[0]
        copies = db.execute("SELECT count(*) FROM escrow_keys").fetchone()[0]
    finally:
        db.close()
    assert copies > 0, "the demo's cases have no escrow copies"
    bad = [("beheer@example.org", "an administrator"), ("anouk.dewit@example.org", "named twice"),
           ("nobody@example.org", "unknown"), ("lucas.peeters@example.org", "a report reader")]
    for email, why in bad:
        args = ["--trustee", "anouk.dewit@example.org", "--trustee", "ingrid.smit@example.org", "--trustee", email]
        rc, out, err = run("escrow", "init", d, *args, "--replace")
        assert rc == 1 and one_line(err) and email in err and "cannot be a trustee" in err, (why, rc, err)
    for args in (("escrow",), ("escrow", "init"), ("escrow", "make", d), ("escrow", "init", d, "--trustee", "a@b.c"),
                 ("escrow", "init", d, "--trustee"), ("escrow", "init", d, *trustees, "--trustee", "x@example.org"),
                 ("escrow", "init", d, *trustees, "--now")):
        rc, out, err = run(*args)
        assert rc == 2 and one_line(err), (args, rc, err)
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    try:
        assert db.execute("SELECT group_concat(user_id) FROM escrow_trustees ORDER BY position").fetchone()[0] == before
        assert db.execute("SELECT count(*) FROM escrow_keys").fetchone()[0] == copies
    finally:
        db.close()
    rc, out, err = run("escrow", "init", d, *trustees, "--replace")
    assert rc == 0 and "three trustees" in out, (rc, out, err)
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    try:
        after = db.execute("SELECT group_concat(u.email) FROM escrow_trustees t JOIN users u ON u.id = t.user_id"
                           " ORDER BY t.position").fetchone()[0]
        copies = db.execute("SELECT count(*) FROM escrow_keys").fetchone()[0]
        audit = db.execute("SELECT count(*) FROM audit_log WHERE action = 'escrow.init'").fetchone()[0]
    finally:
        db.close()
    assert after == "anouk.dewit@example.org,ingrid.smit@example.org,karin.vos@example.org", after
    assert copies == 0 and audit == 2, (copies, audit)  # old copies useless: made again at the next logins


# ---- migrate-store: SQLite onto PostgreSQL (tests/run starts a cluster: VD_TEST_PG) ----

def pg_database(name):
    """A new, empty database in the test cluster; its connection string."""
    base = os.environ.get("VD_TEST_PG", "")
    assert base, "VD_TEST_PG is not set (tests/run starts a PostgreSQL cluster)"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        p = subprocess.run(["psql", base, "-qXc", sql], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
    return re.sub(r"dbname=\S+", f"dbname={name}", base)


def pg_value(url, sql):
    p = subprocess.run(["psql", url, "-qXAtc", sql], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


@test
def test_migrate_store_moves_everything_onto_postgres():
    d = fresh("mig1")
    rc, out, err = run("demo", d)
    assert rc == 0, err
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("cases", "audit_log", "users", "wb_reports", "complaints", "contacts", "declarations")}
    contacts_of = db.execute("SELECT id, contacts, first_contact_day FROM cases ORDER BY id").fetchall()
    db.close()
    old_db = file_bytes(os.path.join(d, "vertrouwd.db"))
    url = pg_database("vd_mig1")
    rc, out, err = run("migrate-store", d, "--store-url", url)
    assert rc == 0, (rc, out, err)
    assert f"({counts['cases']} reports, {counts['audit_log']} audit log entries)" in out, out
    assert "read back and compared" in out and "shred" in out, out
    for t, n in counts.items():
        assert pg_value(url, f"SELECT count(*) FROM {t}") == str(n if t != "audit_log" else n + 1), t
    # the counts kept with a case came as they were, not counted again on loading
    got = pg_value(url, "SELECT id || ':' || contacts || ':' || first_contact_day FROM cases ORDER BY id")
    assert got.split() == [f"{a}:{b}:{c}" for a, b, c in contacts_of], got
    assert pg_value(url, "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1") == "store.migrate"
    conf = open(os.path.join(d, "vertrouwd.conf")).read()
    assert re.search(r"^store = postgres$", conf, re.M) and f"\nstore_url = {url}\n" in conf, conf
    assert file_bytes(os.path.join(d, "vertrouwd.db")) == old_db  # the way back stays as it was
    # the installation now reads and writes PostgreSQL: the chain goes on there
    rc, out, err = run("audit", "verify", d)
    assert rc == 0 and f"{counts['audit_log'] + 1} entries, chain intact" in out, (out, err)
    rc, out, err = run("user", "add", d, "--role", "reader", "--name", "Nadia Noord", "--email", "nadia@example.org")
    assert rc == 0, err
    assert pg_value(url, "SELECT count(*) FROM users") == str(counts["users"] + 1)
    assert pg_value(url, "SELECT max(id) FROM users") == str(counts["users"] + 1)  # ids go on after the copied ones


@test
def test_migrate_store_refusals_change_nothing():
    d = fresh("mig2")
    rc, out, err = run("demo", d)
    assert rc == 0, err
    conf = os.path.join(d, "vertrouwd.conf")
    before = file_bytes(conf), file_bytes(os.path.join(d, "vertrouwd.db"))

    def refused(args, why, code=1):
        rc, out, err = run("migrate-store", *args)
        assert rc == code and one_line(err) and why in err, (args, rc, out, err)
        assert (file_bytes(conf), file_bytes(os.path.join(d, "vertrouwd.db"))) == before, args

    url = pg_database("vd_mig2")
    refused([d], "usage: vertrouwd migrate-store DIR --store-url CONNINFO", 2)
    refused([d, "--url", url], "usage:", 2)
    refused([d, "--store-url", url + " # comment"], "cannot be empty or hold #")
    refused([d, "--store-url", ""], "cannot be empty")
    refused([fresh("mig2-none"), "--store-url", url], "cannot read the configuration file")
    refused([d, "--store-url", "host=/nonexistent/socket dbname=x"], "cannot connect")
    # a server still running would write what the copy misses
    import socket
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]
        with open(conf, "a") as f:
            f.write(f"listen = 127.0.0.1:{port}\n")
        before = file_bytes(conf), before[1]
        refused([d, "--store-url", url], f"a server answers on 127.0.0.1:{port}: stop vertrouwd serve first")
    assert pg_value(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'cases'") == "0"
    # a database that holds records already is never written into
    other = fresh("mig2-other")
    rc, out, err = run("demo", other, "--store-url", url)
    assert rc == 0, err
    users = pg_value(url, "SELECT count(*) FROM users")
    refused([d, "--store-url", url], "the PostgreSQL database holds records already")
    assert pg_value(url, "SELECT count(*) FROM users") == users
    # nor is a database with something else's tables: not one table is added
    alien = pg_database("vd_mig2c")
    pg_value(alien, "CREATE TABLE ledger (id bigint PRIMARY KEY)")
    refused([d, "--store-url", alien], "the PostgreSQL database has tables of something else")
    assert pg_value(alien, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "1"
    # a move that failed after making the tables (empty) may be tried again
    retry = pg_database("vd_mig2d")
    rc, out, err = run("init", fresh("mig2-init"), "--store-url", retry)
    assert rc == 0, err
    pg_value(retry, "SET session_replication_role = replica; DO $$ DECLARE t text; BEGIN"
                    " FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> 'vd_schema' LOOP EXECUTE format('DELETE FROM %I', t); END LOOP; END $$")
    rc, out, err = run("migrate-store", d, "--store-url", retry)
    assert rc == 0 and "read back and compared" in out, (rc, out, err)
    # and a directory on PostgreSQL already is not moved again
    rc, out, err = run("migrate-store", other, "--store-url", pg_database("vd_mig2b"))
    assert rc == 1 and one_line(err) and "on PostgreSQL already" in err, (rc, out, err)


@test
def test_backup_of_postgres_restores_as_sqlite():
    d, key = backup_setup("mig3")
    # a password in the connection string (the test cluster does not ask for it)
    url = pg_database("vd_mig3") + " password=not-in-the-restored-config"
    rc, out, err = run("migrate-store", d, "--store-url", url)
    assert rc == 0, err
    # a change made after the move is in PostgreSQL only: the backup must have it
    pg_value(url, "UPDATE units SET name = 'Afdeling na de verhuizing' WHERE id = 1")
    # what an interrupted backup left beside its copy is swept away, and not backed up
    left = ["backup-k1lled.tmp", "backup-k1lled.tmp-wal", "backup-k1lled.tmp-shm", "backup-0ld.tmp-journal"]
    for name in left:
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(b"records of an interrupted backup")
    f = fresh("mig3.vdb")
    rc, out, err = run("backup", d, f)
    assert not [n for n in left if os.path.exists(os.path.join(d, n))], os.listdir(d)
    assert rc == 0 and "backup written" in out, (rc, out, err)
    r = fresh("mig3-restored")
    rc, out, err = run("restore", f, r, "--key", key)
    assert rc == 0 and "every part checked" in out, (rc, out, err)
    assert "came from a PostgreSQL installation" in out and f"vertrouwd migrate-store {r} --store-url" in out, out
    conf = open(os.path.join(r, "vertrouwd.conf")).read()
    assert not re.search(r"^\s*store\s*=", conf, re.M) and not re.search(r"^\s*store_url\s*=", conf, re.M), conf
    assert "not-in-the-restored-config" not in conf, conf
    assert not [n for n in os.listdir(r) if ".tmp" in n], os.listdir(r)
    assert stat.S_IMODE(os.stat(os.path.join(r, "vertrouwd.conf")).st_mode) == 0o600
    db = sqlite3.connect(os.path.join(r, "vertrouwd.db"))
    assert db.execute("SELECT name FROM units WHERE id = 1").fetchone()[0] == "Afdeling na de verhuizing"
    cases = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    db.close()
    assert str(cases) == pg_value(url, "SELECT count(*) FROM cases")
    rc, out, err = run("audit", "verify", r)
    assert rc == 0 and "chain intact" in out, (out, err)
    assert file_bytes(os.path.join(r, "files", "00112233445566778899aabbccddeeff")) == \
        file_bytes(os.path.join(d, "files", "00112233445566778899aabbccddeeff"))


@test
def test_two_purges_at_once_on_postgres_destroy_each_record_once():
    # The daily jobs run in every server sharing a database: the store makes
    # each step happen once. Two purges at once, each record destroyed once.
    d = fresh("mig4")
    assert run("demo", d)[0] == 0
    db = sqlite3.connect(os.path.join(d, "vertrouwd.db"))
    cols = [r[1] for r in db.execute("PRAGMA table_info(cases)") if r[1] != "id"]
    for i in range(2000):  # copies of a demo case, all closed six years ago
        db.execute(f"INSERT INTO cases({', '.join(cols)}) SELECT "
                   + ", ".join("locator || '-%d'" % i if c == "locator" else c for c in cols)
                   + " FROM cases ORDER BY id LIMIT 1")
    db.execute("INSERT INTO case_work(case_id, closed_at) SELECT id, strftime('%s','now') - 6 * 366 * 86400"
               " FROM cases WHERE locator LIKE '%-%' ON CONFLICT(case_id) DO UPDATE SET closed_at = excluded.closed_at")
    db.commit()
    db.close()
    url = pg_database("vd_mig4")
    rc, out, err = run("migrate-store", d, "--store-url", url)
    assert rc == 0, err
    procs = [subprocess.Popen([BIN, "purge", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    done = [int(re.search(r"destroyed: (\d+) cases", o).group(1)) for o, _ in outs]
    assert sum(done) == 2000, (done, outs)
    assert pg_value(url, "SELECT count(*) FROM audit_log WHERE action = 'case.purge'") == "2000"
    assert pg_value(url, "SELECT count(*) FROM (SELECT object_id FROM audit_log WHERE action = 'case.purge'"
                         " GROUP BY object_id HAVING count(*) > 1) twice") == "0"
    rc, out, err = run("audit", "verify", d)
    assert rc == 0 and "chain intact" in out, (out, err)


def main():
    global BIN, TMP
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    BIN = os.path.abspath(ap.parse_args().bin)
    with tempfile.TemporaryDirectory(prefix="vd-cli-") as t:
        TMP = t
        for fn in tests:
            run_test(fn)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
