#!/usr/bin/env python3
"""Deployment as docs/operations.md describes it, tried here.

- `meson install --destdir` puts the program, the man page, the systemd unit
  and the sysusers file where the docs say; the unit passes
  `systemd-analyze verify` and rates 2.0 or better in `systemd-analyze
  security`; the man page has no groff warnings and names every command of
  `vertrouwd --help`.
- nginx, run with the configuration block from the docs (own ports and a
  certificate made here), in front of a server on loopback: pages over TLS
  with HSTS, Secure cookies, no visitor address stored, no access log.
- Tor accepts the onion configuration block from the docs.

Usage: run.py --bin PATH --build DIR. Prints PASS:/FAIL: lines and
"N passed, M failed".
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "operations.md")
results = []


def report(name, ok, why="", note=""):
    results.append(bool(ok))
    print(("PASS: deploy/%s%s" % (name, note)) if ok else ("FAIL: deploy/%s: %s" % (name, why)), flush=True)


def check(name, fn):
    try:
        note = fn()
        report(name, True, note=note or "")
    except AssertionError as e:
        report(name, False, str(e)[:400])
    except Exception as e:
        report(name, False, ("%s: %s" % (type(e).__name__, e))[:400])


def doc_block(lang):
    """The one fenced block of that language in docs/operations.md."""
    with open(DOC) as f:
        blocks = re.findall(r"```%s\n(.*?)```" % re.escape(lang), f.read(), re.S)
    assert len(blocks) == 1, "docs/operations.md should hold one %s block, has %d" % (lang, len(blocks))
    return blocks[0]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- install ----------------------------------------------------------------

def installed(build, dest):
    p = subprocess.run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild", "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-400:]
    prefix = os.path.join(dest, "usr/local")
    return {name: os.path.join(prefix, rel) for name, rel in (
        ("bin", "bin/vertrouwd"), ("man", "share/man/man8/vertrouwd.8"),
        ("unit", "lib/systemd/system/vertrouwd.service"), ("sysusers", "lib/sysusers.d/vertrouwd.conf"))}


def test_install_layout(build, tmp):
    paths = installed(build, os.path.join(tmp, "dest"))
    missing = [n for n, p in paths.items() if not os.path.isfile(p)]
    assert not missing, "not installed: %s" % missing
    assert os.access(paths["bin"], os.X_OK), "the program is not executable"
    with open(paths["unit"]) as f:
        unit = f.read()
    assert "ExecStart=/usr/local/bin/vertrouwd serve /var/lib/vertrouwd" in unit, "ExecStart"
    for line in ("User=vertrouwd", "StateDirectory=vertrouwd", "ProtectSystem=strict", "NoNewPrivileges=yes",
                 "PrivateTmp=yes", "SystemCallFilter=@system-service", "CapabilityBoundingSet=\n"):
        assert line in unit, "the unit lacks %r" % line.strip()
    with open(paths["sysusers"]) as f:
        assert re.search(r"^u vertrouwd - .* /var/lib/vertrouwd$", f.read(), re.M), "sysusers line"
    return paths


def test_unit_verifies(paths, tmp):
    # verify wants ExecStart's program to exist: point it into the destdir.
    unit = os.path.join(tmp, "vertrouwd.service")
    with open(paths["unit"]) as f, open(unit, "w") as out:
        out.write(f.read().replace("/usr/local/bin/vertrouwd", paths["bin"]))
    p = subprocess.run(["systemd-analyze", "--man=no", "verify", unit], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and not p.stderr.strip(), "systemd-analyze verify: %s" % (p.stderr or p.stdout)[-400:]
    p = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit], capture_output=True, text=True,
                       timeout=60)
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", p.stdout + p.stderr)
    assert m, "no exposure level: %s" % (p.stdout + p.stderr)[-300:]
    assert float(m.group(1)) <= 2.0, "exposure %s (should be 2.0 or lower)" % m.group(1)
    return " (exposure %s)" % m.group(1)


def test_man_page(binary, paths):
    p = subprocess.run(["groff", "-man", "-ww", "-z", paths["man"]], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and not p.stderr.strip(), "groff: %s" % p.stderr[-300:]
    text = subprocess.run(["groff", "-man", "-Tutf8", "-P-c", paths["man"]], capture_output=True, text=True,
                          timeout=60).stdout
    text = re.sub(r".\x08", "", text).replace("\u2010", "-").replace("\u2212", "-")
    usage = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^  ([a-z][a-z-]*(?: [a-z][a-z0-9-]*)?) [A-Z]", usage, re.M)
    assert len(commands) >= 10, commands
    missing = [c for c in commands if "vertrouwd " + c not in text and c not in text]
    assert not missing, "the man page does not name: %s" % missing
    for section in ("SYNOPSIS", "COMMANDS", "FILES", "EXIT STATUS", "EXAMPLES"):
        assert section in text, section


# ---- nginx in front ---------------------------------------------------------

def make_cert(tmp):
    key, crt = os.path.join(tmp, "tls.key"), os.path.join(tmp, "tls.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return key, crt


def start_server(binary, data):
    p = subprocess.Popen([binary, "serve", data, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", p.stdout.readline())
    if not m:
        p.kill()
        raise AssertionError("the server did not start")
    return p, int(m.group(1))


def nginx_conf(tmp, https, http_port, upstream, key, crt):
    site = doc_block("nginx")
    site = site.replace("listen 443 ssl;", "listen 127.0.0.1:%d ssl;" % https)
    site = site.replace("listen 80;", "listen 127.0.0.1:%d;" % http_port)
    site = site.replace("http://127.0.0.1:8080", "http://127.0.0.1:%d" % upstream)
    site = re.sub(r"ssl_certificate /\S+;", "ssl_certificate %s;" % crt, site)
    site = re.sub(r"ssl_certificate_key /\S+;", "ssl_certificate_key %s;" % key, site)
    site = site.replace("/var/log/nginx/", tmp + "/")
    assert "8080" not in site and "/etc/" not in site, "the docs' block changed shape: adapt the test"
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""daemon off;
pid %(t)s/nginx.pid;
error_log %(t)s/main-error.log warn;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log %(t)s/default-access.log;
    client_body_temp_path %(t)s/body;
    proxy_temp_path %(t)s/proxy;
    fastcgi_temp_path %(t)s/fastcgi;
    uwsgi_temp_path %(t)s/uwsgi;
    scgi_temp_path %(t)s/scgi;
%(site)s
}
""" % {"t": tmp, "site": site})
    return conf


class Tls:
    """A tiny HTTPS client that verifies the test certificate and keeps cookies."""

    def __init__(self, port, crt):
        self.port = port
        self.ctx = ssl.create_default_context(cafile=crt)
        self.cookies = {}

    def request(self, method, path, fields=None, headers=None):
        c = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read().decode("utf-8", "replace")
        set_cookies = r.headers.get_all("Set-Cookie") or []
        for sc in set_cookies:
            name, _, rest = sc.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        c.close()
        return r.status, r.headers, data, set_cookies


def csrf(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    assert m, "no csrf token on the page"
    return m.group(1)


def demo_login(data):
    with open(os.path.join(data, "demo-logins.txt")) as f:
        text = f.read()
    pw = re.search(r"password: (\S+)", text).group(1)
    email = re.search(r"(\S+@example\.org)", text).group(1)
    return email, pw


def behind_nginx(binary, tmp):
    data = os.path.join(tmp, "data")
    subprocess.run([binary, "demo", data], check=True, capture_output=True, timeout=120)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsecure_cookies = yes\ntrust_proxy = yes\n")  # as the docs say
    key, crt = make_cert(tmp)
    server, upstream = start_server(binary, data)
    https, http_port = free_port(), free_port()
    conf = nginx_conf(tmp, https, http_port, upstream, key, crt)
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                if nginx.poll() is not None:
                    raise AssertionError("nginx did not start: %s" % nginx.stderr.read()[-300:])
                time.sleep(0.1)
        return run_through_nginx(data, https, http_port, crt, tmp)
    finally:
        nginx.terminate()
        nginx.wait(20)
        server.terminate()
        server.wait(20)


def run_through_nginx(data, https, http_port, crt, tmp):
    b = Tls(https, crt)
    status, headers, page, _ = b.request("GET", "/")
    assert status == 200, "GET / through nginx: %d" % status
    hsts = headers.get_all("Strict-Transport-Security") or []
    assert len(hsts) == 1 and hsts[0].startswith("max-age="), "HSTS headers: %s" % hsts
    c = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
    c.request("GET", "/melden")
    r = c.getresponse()
    assert r.status == 301 and r.headers["Location"].startswith("https://"), "plain HTTP is not sent to HTTPS"
    c.close()
    # A staff login: its cookies only ever go over TLS.
    email, pw = demo_login(data)
    status, headers, page, _ = b.request("GET", "/login")
    status, headers, page, set_cookies = b.request("POST", "/login", [("csrf", csrf(page)), ("email", email),
                                                                      ("password", pw)])
    assert status in (302, 303), "login through nginx: %d" % status
    assert set_cookies, "no cookie set at login"
    for sc in set_cookies:
        flags = [x.strip().lower() for x in sc.split(";")[1:]]
        assert "secure" in flags and "httponly" in flags, "cookie without Secure or HttpOnly: %s" % sc.split("=")[0]
    status, headers, page, _ = b.request("GET", "/start")
    assert status == 200, "the staff page after login: %d" % status
    # A report with a made-up forwarded address: taken, and no address kept.
    r = Tls(https, crt)
    spoofed = "203.0.113.77"
    status, headers, page, _ = r.request("GET", "/melden", headers={"X-Forwarded-For": spoofed})
    unit = re.search(r'<option value="(\d+)">[^<]*Provincie Utrecht</option>', page).group(1)
    marker = "sent through nginx"
    status, headers, page, _ = r.request("POST", "/melden", [
        ("csrf", csrf(page)), ("unit", unit), ("counsellor", ""), ("named", "no"), ("account", marker),
        ("behaviour", "bullying"), ("location", "online"), ("relation", "colleague"),
        ("reporter_type", "member")], headers={"X-Forwarded-For": spoofed})
    assert status == 200 and re.search(r'class="secret"[^>]*>[0-9A-Z-]{29}<', page), "report through nginx: %d" % status
    found = []
    for root, _, files in os.walk(data):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                blob = fh.read()
            for needle in (spoofed.encode(), b"127.0.0.1"):
                if needle in blob and not (f == "vertrouwd.conf" and needle == b"127.0.0.1"):
                    found.append((f, needle.decode()))
    assert not found, "addresses found in the data directory: %s" % found
    assert not os.path.exists(os.path.join(tmp, "default-access.log")) or \
        os.path.getsize(os.path.join(tmp, "default-access.log")) == 0, "nginx wrote an access log"
    return ""


# ---- Tor --------------------------------------------------------------------

def tor_config(tmp):
    block = doc_block("torrc")
    hs = os.path.join(tmp, "hs")
    os.makedirs(hs, mode=0o700)
    block = block.replace("/var/lib/tor/vertrouwd/", hs + "/")
    assert "/var/lib" not in block, "the docs' block changed shape: adapt the test"
    torrc = os.path.join(tmp, "torrc")
    with open(torrc, "w") as f:
        f.write("DataDirectory %s\nSocksPort 0\n%s" % (os.path.join(tmp, "tor-data"), block))
    p = subprocess.run(["tor", "--verify-config", "-f", torrc], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "Configuration was valid" in p.stdout, "tor: %s" % p.stdout[-400:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    binary, build = os.path.abspath(a.bin), os.path.abspath(a.build)
    os.environ["PATH"] += ":/usr/sbin:/sbin"  # nginx and tor live there
    with tempfile.TemporaryDirectory(prefix="vd-deploy-") as tmp:
        paths = {}

        def layout():
            paths.update(test_install_layout(build, tmp))

        check("meson_install_puts_everything_in_place", layout)
        if paths:
            check("systemd_unit_verifies_and_is_hardened", lambda: test_unit_verifies(paths, tmp))
            check("man_page_is_clean_and_complete", lambda: test_man_page(binary, paths))
        for tool, name, fn in (("nginx", "behind_nginx_with_tls", behind_nginx), ("tor", "onion_config_valid", None)):
            if not shutil.which(tool):
                report(name, False, "%s is not installed (scripts/deps --test installs it)" % tool)
                continue
            sub = os.path.join(tmp, tool)
            os.makedirs(sub)
            if fn:
                check(name, lambda: fn(binary, sub))
            else:
                check(name, lambda: tor_config(sub))
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
