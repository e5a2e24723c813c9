"""Two-step verification for staff (issue 12): set up at /tweestaps with a QR
code drawn by the server and the key as text, turned on by a code from the
app, with ten backup codes shown once; a login with it on asks for the code
at /login/code and can reach nothing else until then; each code works once,
a backup code too; wrong codes are throttled; a role that must have it is
sent to set it up before anything else (a server of its own, configured so)."""

import base64
import hashlib
import hmac
import html
import os
import re
import struct
import time

from client import Client
from harness import Server, check, expect_redirect, expect_status, run_demo, secret_text, test
from test_access import session_token


def totp(key, t=None, step_offset=0):
    """RFC 6238 as an authenticator app computes it (SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if t is None else t) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def fresh_code(key, used):
    """A code of a step not used yet (waits for the next step when needed)."""
    while True:
        c = totp(key)
        step = int(time.time() // 30)
        if step not in used:
            used.add(step)
            return c
        time.sleep(max(0.05, 30 - time.time() % 30 + 0.05))


def key_of(page_text):
    m = re.search(r'<p class="secret" translate="no">([A-Z2-7 ]+)</p>', page_text)
    check(m, "the setup page shows no key")
    return base64.b32decode(m.group(1).replace(" ", ""))


def set_up(c, env):
    """Turns it on for c's account: (key, backup codes, used steps)."""
    r = c.post("/tweestaps", {"csrf": session_token(c)})
    expect_status(r, 200, "beginning the setup")
    check('<svg class="qr"' in r.text and 'role="img"' in r.text, "no QR code drawn by the server")
    check("<script" not in r.text.lower(), "the setup page uses a script")
    check(r.header("Cache-Control") == "no-store", "the setup page may be cached")
    key = key_of(r.text)
    # a wrong code: refused, the same key shown again
    r = c.post("/tweestaps/bevestigen", {"csrf": session_token(c), "code": "000000"})
    expect_status(r, 400, "a wrong code at setup")
    check("Deze code klopt niet" in html.unescape(r.text), "the wrong code is not explained")
    check(key_of(r.text) == key, "a mistyped code gave a new key")
    used = set()
    r = c.post("/tweestaps/bevestigen", {"csrf": session_token(c), "code": fresh_code(key, used)})
    expect_status(r, 200, "confirming the setup")
    codes = re.findall(r"<li>([A-Z2-9]{4}-[A-Z2-9]{4})</li>", r.text)
    check(len(codes) == 10 and len(set(codes)) == 10, "the backup codes page shows %r" % codes)
    r = c.get("/tweestaps")
    check("Tweestapsverificatie staat aan." in r.text and "Reservecodes over: 10" in html.unescape(r.text),
          "the status page does not say it is on")
    # the codes themselves (a pattern would also match a random form token)
    check(not any(code in r.text for code in codes), "the backup codes are shown again")
    return key, codes, used


def login_until_code(env, email, pw):
    c = Client(env.port)
    r = c.login(email, pw)
    expect_redirect(r, "/login/code", "a login with two-step verification on")
    return c


@test("twofactor_setup_login_codes_once")
def _(env):
    uid, email, _, pw = env.create_account("committee")
    c, new_pw = env.activate(email, pw)
    check("/tweestaps" in c.get("/start").page.links, "the start page has no link to two-step verification")
    key, codes, used = set_up(c, env)
    env.markers.update(codes)
    # the key and the codes are nowhere in the data directory as shown
    found = []
    for root, _, files in os.walk(env.datadir):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                data = fh.read()
            for s in [base64.b32encode(key)] + [x.encode() for x in codes] + [x.replace("-", "").encode() for x in codes]:
                if s in data:
                    found.append((f, s))
    check(not found, "the key or a backup code is in the data directory: %r" % found[:3])
    # a login asks for the code and reaches nothing else until then
    c2 = login_until_code(env, email, new_pw)
    for path in ("/start", "/klachten", "/tweestaps", "/wachtwoord"):
        expect_redirect(c2.get(path), "/login/code", "GET %s before the code" % path)
    r = c2.post("/klachten/nieuw", {"csrf": session_token_of_code_page(c2)})
    expect_redirect(r, "/login/code", "a POST before the code")
    r = c2.get("/login/code")
    expect_status(r, 200, "the code page")
    check('autocomplete="one-time-code"' in r.text, "the code field does not ask for a one-time code")
    tok = session_token_of_code_page(c2)
    # (every wrong code counts, the one at setup too: 5 before any wait)
    for bad, status in (("", 400), ("12345x", 400), ("999999", 400)):
        r = c2.post("/login/code", {"csrf": tok, "code": bad})
        expect_status(r, status, "the code %r" % bad)
    check("klopt niet" in html.unescape(r.text), "a wrong code is not explained")
    code = fresh_code(key, used)
    r = c2.post("/login/code", {"csrf": tok, "code": code})
    expect_redirect(r, "/start", "the right code")
    expect_status(c2.get("/start"), 200, "the start page after the code")
    # the same code does not open a second login
    c3 = login_until_code(env, email, new_pw)
    r = c3.post("/login/code", {"csrf": session_token_of_code_page(c3), "code": code})
    expect_status(r, 400, "a code used before")
    # a backup code works once
    r = c3.post("/login/code", {"csrf": session_token_of_code_page(c3), "code": codes[0].lower().replace("-", " ")})
    expect_redirect(r, "/tweestaps?over=9", "a backup code")
    check("Reservecodes over: 9" in html.unescape(c3.get("/tweestaps?over=9").text), "the codes left are not shown")
    c4 = login_until_code(env, email, new_pw)
    r = c4.post("/login/code", {"csrf": session_token_of_code_page(c4), "code": codes[0]})
    expect_status(r, 400, "a backup code used before")
    time.sleep(1.1)  # five wrong ones so far: the next waits a second
    # logging out from the code page ends the half-made session
    r = c4.post("/uitloggen", {"csrf": session_token_of_code_page(c4)})
    check(r.status == 303, "logging out before the code: %d" % r.status)
    expect_redirect(c4.get("/login/code"), "/login", "the code page after logging out", path_only=True)
    # turned off with a code (the committee need not have it on this server)
    r = c.post("/tweestaps/uit", {"csrf": session_token(c), "code": "000000"})
    expect_status(r, 400, "turning off with a wrong code")
    time.sleep(2.1)
    r = c.post("/tweestaps/uit", {"csrf": session_token(c), "code": fresh_code(key, used)})
    expect_redirect(r, "/tweestaps?uit=1", "turning off")
    r = Client(env.port).login(email, new_pw)
    expect_redirect(r, "/start", "a login after turning it off")


@test("twofactor_after_a_password_reset")
def _(env):
    """An administrator resets the password of someone with the second factor
    on: knowing the new password is not enough, and the owner gets in with
    it and their code, then sets a password of their own."""
    uid, email, _, pw = env.create_account("reader")
    c, new_pw = env.activate(email, pw)
    key, codes, used = set_up(c, env)
    path = "/beheer/accounts/%d" % uid
    r = env.admin.submit(path, path + "/wachtwoord", {})
    expect_status(r, 200, "resetting the password")
    activation = secret_text(r.page)
    check(activation, "no activation password shown")
    c2 = login_until_code(env, email, activation)
    for p in ("/wachtwoord", "/start"):
        expect_redirect(c2.get(p), "/login/code", "GET %s before the code after a reset" % p)
    old_cookie = dict(c2.cookies)
    r = c2.post("/login/code", {"csrf": session_token_of_code_page(c2), "code": fresh_code(key, used)})
    expect_redirect(r, "/wachtwoord", "the code after a reset: on to a new password")
    expect_status(c2.get("/wachtwoord"), 200, "the password page after the code")
    # the cookie of the half-way session is worth nothing now
    stale = Client(env.port)
    stale.cookies = old_cookie
    r = stale.get("/wachtwoord")
    check(r.status == 303 and r.location_path == "/login", "the half-way cookie still works: %d" % r.status)


def session_token_of_code_page(c):
    return c.csrf_for("/login/code", "/login/code")


@test("twofactor_code_page_only_while_due")
def _(env):
    # anonymous: to the login; a session without a code due: on to /start
    expect_redirect(Client(env.port).get("/login/code"), "/login", "anonymous GET /login/code", path_only=True)
    for role in ("admin", "counsellor", "committee", "integrity", "reader"):
        c = env.session(role)
        expect_redirect(c.get("/login/code"), "/start", "GET /login/code as %s" % role)
        r = c.post("/login/code", {"csrf": session_token(c), "code": "123456"})
        expect_redirect(r, "/start", "POST /login/code as %s" % role)
        expect_status(c.get("/tweestaps"), 200, "GET /tweestaps as %s" % role)


@test("twofactor_wrong_codes_throttled")
def _(env):
    uid, email, _, pw = env.create_account("reader")
    c, new_pw = env.activate(email, pw)
    key, codes, used = set_up(c, env)
    c2 = login_until_code(env, email, new_pw)
    tok = session_token_of_code_page(c2)
    # 5 free tries (the wrong one at setup was the first), then a wait that doubles
    for i in range(4):
        expect_status(c2.post("/login/code", {"csrf": tok, "code": "%06d" % i}), 400, "wrong code %d" % (i + 1))
    # two more after waiting 1 s and 2 s: the next wait is 4 s (room for a slow login below)
    for i, wait in ((5, 1.1), (6, 2.1)):
        time.sleep(wait)
        expect_status(c2.post("/login/code", {"csrf": tok, "code": "%06d" % i}), 400, "wrong code %d" % (i + 1))
    r = c2.post("/login/code", {"csrf": tok, "code": totp(key, step_offset=1)})
    expect_status(r, 429, "a try at once after 7 wrong ones, with a right code")
    check(r.header("Retry-After"), "no Retry-After")
    check("Te veel verkeerde codes" in r.text, "the wait is not explained")
    # a backup code from another browser waits too: the account is throttled, not the browser
    c3 = login_until_code(env, email, new_pw)
    r = c3.post("/login/code", {"csrf": session_token_of_code_page(c3), "code": codes[1]})
    expect_status(r, 429, "a backup code while throttled")


@test("twofactor_required_role_sets_it_up_first")
def _(env):
    data = os.path.join(env.tmp, "data-2fa")
    password, accounts = run_demo(env.binary, data)
    conf = os.path.join(data, "vertrouwd.conf")
    with open(conf) as f:
        text = f.read()
    check("two_factor_roles = none" in text, "the demo does not say how it logs in")
    with open(conf, "w") as f:
        f.write(text.replace("two_factor_roles = none", "two_factor_roles = counsellor"))
    srv = Server(env.binary, data, os.path.join(env.tmp, "2fa.log"))
    try:
        c = Client(srv.port)
        r = c.login(accounts["counsellor"][0][0], password)
        expect_redirect(r, "/start", "the counsellor's password")
        for path in ("/start", "/dossiers", "/logboek"):
            expect_redirect(c.get(path), "/tweestaps", "GET %s before setting it up" % path)
        r = c.get("/tweestaps")
        expect_status(r, 200, "the setup page")
        check("verplicht" in r.text, "the page does not say it is required")
        r = c.post("/tweestaps", {"csrf": c.csrf_for("/tweestaps", "/tweestaps")})
        key = key_of(r.text)
        used = set()
        r = c.post("/tweestaps/bevestigen", {"csrf": c.csrf_for("/tweestaps", "/uitloggen"),
                                             "code": fresh_code(key, used)})
        expect_status(r, 200, "confirming")
        expect_status(c.get("/dossiers"), 200, "the cases after setting it up")
        # required: it cannot be turned off
        r = c.post("/tweestaps/uit", {"csrf": c.csrf_for("/tweestaps", "/uitloggen"), "code": fresh_code(key, used)})
        expect_status(r, 403, "turning off a required second factor")
        # a reader is not asked
        r = Client(srv.port).login(accounts["reader"][0][0], password)
        expect_redirect(r, "/start", "the reader's login")
    finally:
        code = srv.stop()
    check(code == 0, "the second server exited with %r" % code)
    for bad in ("AddressSanitizer", "runtime error", "LeakSanitizer"):
        check(bad not in srv.log(), "the second server's stderr contains %r" % bad)
