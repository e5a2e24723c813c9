#!/usr/bin/env python3
"""Durability: the server is killed with SIGKILL during a stream of report
submissions; afterwards every receipt code that was acknowledged (a 200 page
showing it) opens its report, and the database passes its integrity check.
And a backup taken while submissions stream in restores into a directory
where every report acknowledged before the backup began opens.

Usage: run.py --bin PATH. Prints PASS:/FAIL: lines and "N passed, M failed".
"""
import argparse
import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

results = []


def report(name, ok, why="", note=""):
    results.append(ok)
    print(("PASS: durability/%s%s" % (name, note)) if ok else ("FAIL: durability/%s: %s" % (name, why)), flush=True)


def start(binary, data):
    p = subprocess.Popen([binary, "serve", data, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        p.kill()
        raise RuntimeError("the server did not start: %r" % line)
    return p, "http://127.0.0.1:%s" % m.group(1)


class Browser:
    """Keeps cookies; reads the form token from a page."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=20) as r:
            return r.status, r.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=20) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def token(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    return m.group(1) if m else None


def unit_id(page, name):
    m = re.search(r'<option value="(\d+)">[^<]*%s</option>' % re.escape(name), page)
    return m.group(1) if m else None


class Load:
    """Three reporters sending reports through the form until stopped."""

    def __init__(self, base):
        self.base = base
        self.acknowledged = []  # (code, marker), in the order acknowledged
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.submitter, args=(n,)) for n in range(3)]
        for t in self.threads:
            t.start()

    def submitter(self, n):
        b = Browser(self.base)
        status, page = b.get("/melden")
        tok, unit = token(page), unit_id(page, "Provincie Utrecht")
        i = 0
        while not self.stop.is_set():
            i += 1
            marker = "durability %d.%d" % (n, i)
            try:
                status, page = b.post("/melden", {
                    "csrf": tok, "unit": unit, "counsellor": "", "named": "no", "account": marker,
                    "behaviour": "bullying", "location": "online", "relation": "colleague",
                    "reporter_type": "member"})
            except Exception:
                return  # the server died under us: this one was not acknowledged
            m = re.search(r'class="secret"[^>]*>([0-9A-Z-]{29})<', page)
            if status == 200 and m:
                with self.lock:
                    self.acknowledged.append((m.group(1), marker))

    def count(self):
        with self.lock:
            return len(self.acknowledged)

    def end(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)


def lost_reports(base, acknowledged):
    """The acknowledged reports whose code does not open them."""
    b = Browser(base)
    status, page = b.get("/mijn-melding")
    tok = token(page)
    lost = []
    for code, marker in acknowledged:
        status, page = b.post("/mijn-melding", {"csrf": tok, "code": code})
        if status != 200 or marker not in page:
            lost.append((code[:4], status))
    return lost


def new_demo(binary, data):
    subprocess.run([binary, "demo", data], check=True, capture_output=True)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nreports_per_hour = 100000\n")  # one client sends them all


def killed_mid_stream(binary, tmp):
    data = os.path.join(tmp, "data")
    new_demo(binary, data)
    server, base = start(binary, data)
    load = Load(base)
    time.sleep(2.5)
    server.send_signal(signal.SIGKILL)
    server.wait()
    load.end()
    acknowledged = load.acknowledged
    report("submissions_were_acknowledged", len(acknowledged) >= 5,
           "only %d submissions were acknowledged before the kill" % len(acknowledged),
           " (%d before SIGKILL)" % len(acknowledged))

    db = sqlite3.connect(os.path.join(data, "vertrouwd.db"))
    check = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    report("integrity_check_after_kill", check == "ok", "integrity_check says %r" % check)

    server, base = start(binary, data)
    try:
        lost = lost_reports(base, acknowledged)
        report("every_acknowledged_report_opens", not lost,
               "%d of %d acknowledged reports do not open: %s" % (len(lost), len(acknowledged), lost[:3]))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)


def backup_under_load(binary, tmp):
    data, key = os.path.join(tmp, "live"), os.path.join(tmp, "backup.key")
    backup, restored = os.path.join(tmp, "live.vdb"), os.path.join(tmp, "restored")
    new_demo(binary, data)
    subprocess.run([binary, "backup-key", data, key], check=True, capture_output=True)
    server, base = start(binary, data)
    try:
        load = Load(base)
        time.sleep(1.5)
        with load.lock:
            before = list(load.acknowledged)  # acknowledged before the backup began
        p = subprocess.run([binary, "backup", data, backup], capture_output=True, text=True, timeout=120)
        during = load.count()
        time.sleep(0.5)
        load.end()
        after = load.count()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    report("backup_while_reports_stream_in", p.returncode == 0 and len(before) >= 3 and after > during,
           "backup rc %d (%s); %d acknowledged before it, %d during, %d after" % (
               p.returncode, p.stderr.strip(), len(before), during - len(before), after - during),
           " (%d acknowledged before the backup, %d while it ran, %d after)" % (
               len(before), during - len(before), after - during))
    p = subprocess.run([binary, "restore", backup, restored, "--key", key], capture_output=True, text=True,
                       timeout=120)
    report("backup_restores", p.returncode == 0 and "every part checked" in p.stdout,
           "restore rc %d: %s" % (p.returncode, p.stderr.strip()))
    if p.returncode != 0:
        return
    server, base = start(binary, restored)
    try:
        lost = lost_reports(base, before)
        report("every_report_acknowledged_before_the_backup_is_in_it", not lost,
               "%d of %d reports acknowledged before the backup do not open from it: %s" % (
                   len(lost), len(before), lost[:3]))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    binary = os.path.abspath(ap.parse_args().bin)
    with tempfile.TemporaryDirectory(prefix="vd-durability-") as tmp:
        killed_mid_stream(binary, tmp)
        backup_under_load(binary, tmp)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
