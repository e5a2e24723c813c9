#!/usr/bin/env python3
"""Durability: the server is killed with SIGKILL during a stream of report
submissions; afterwards every receipt code that was acknowledged (a 200 page
showing it) opens its report, and the database passes its integrity check.

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    binary = os.path.abspath(ap.parse_args().bin)
    with tempfile.TemporaryDirectory(prefix="vd-durability-") as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run([binary, "demo", data], check=True, capture_output=True)
        with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
            f.write("\nreports_per_hour = 100000\n")  # one client sends them all
        server, base = start(binary, data)
        acknowledged = []  # (code, marker)
        lock = threading.Lock()
        stop = threading.Event()

        def submitter(n):
            b = Browser(base)
            status, page = b.get("/melden")
            tok, unit = token(page), unit_id(page, "Provincie Utrecht")
            i = 0
            while not stop.is_set():
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
                    with lock:
                        acknowledged.append((m.group(1), marker))

        threads = [threading.Thread(target=submitter, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        time.sleep(2.5)
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop.set()
        for t in threads:
            t.join(30)
        report("submissions_were_acknowledged", len(acknowledged) >= 5,
               "only %d submissions were acknowledged before the kill" % len(acknowledged),
               " (%d before SIGKILL)" % len(acknowledged))

        db = sqlite3.connect(os.path.join(data, "vertrouwd.db"))
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        report("integrity_check_after_kill", check == "ok", "integrity_check says %r" % check)

        server, base = start(binary, data)
        try:
            b = Browser(base)
            status, page = b.get("/mijn-melding")
            tok = token(page)
            lost = []
            for code, marker in acknowledged:
                status, page = b.post("/mijn-melding", {"csrf": tok, "code": code})
                if status != 200 or marker not in page:
                    lost.append((code[:4], status))
            report("every_acknowledged_report_opens", not lost,
                   "%d of %d acknowledged reports do not open: %s" % (len(lost), len(acknowledged), lost[:3]))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(20)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
