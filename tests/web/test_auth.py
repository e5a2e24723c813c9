"""Logging in and out, CSRF before and after login, sessions (malformed
cookies, rotation, expiry), the login throttle, activation and changing
one's own password, and a counsellor's own profile."""

import os
import re
import time

from client import SEEN_SECRETS, Client, raw_response
from harness import Server, check, secret_text, eventually, expect_redirect, expect_status, run_demo, test


def login_page(c):
    r = c.get("/login")
    expect_status(r, 200, "GET /login")
    return r


@test("login_page")
def _(env):
    c = env.client()
    r = login_page(c)
    check("vd_pre" in r.set_cookies(), "GET /login sets no vd_pre cookie")
    check({"csrf", "email", "password"} <= r.page.field_names("/login"),
          "the login form lacks fields: %s" % sorted(r.page.field_names("/login")))
    check(r.page.form("/login")["method"] == "post", "the login form does not POST")
    check(r.header("Cache-Control") == "no-store", "the login page may be cached: %r" % r.header("Cache-Control"))
    # A second visit keeps the same pre-session and sets no new cookie.
    r2 = login_page(c)
    check("vd_pre" not in r2.set_cookies(), "a second GET /login sets another vd_pre")
    check(r2.page.csrf("/login") == r.page.csrf("/login"), "the login token changes within one pre-session")
    # Another browser gets another token.
    other = login_page(env.client())
    check(other.page.csrf("/login") != r.page.csrf("/login"), "two browsers get the same login token")


@test("login_success")
def _(env):
    c = env.client()
    login_page(c)
    pre = c.cookies.get("vd_pre")
    r = c.login(env.email("reader"), env.password)
    expect_redirect(r, "/start", "a valid login")
    sc = r.set_cookies()
    check("vd_session" in sc and sc["vd_session"][0], "a valid login sets no vd_session cookie")
    tok = sc["vd_session"][0]
    check(tok != pre, "the session token is the pre-session token")
    check(re.fullmatch(r"[A-Za-z0-9_-]{40,}", tok), "the session token looks weak: %r" % tok)
    check("vd_pre" in sc and ("max-age=0" in sc["vd_pre"][1] or sc["vd_pre"][0] == ""),
          "the pre-session cookie is not removed at login")
    r = c.get("/start")
    expect_status(r, 200, "GET /start after login")
    check(env.name("reader") in r.page.text, "/start does not greet the user")
    check(r.header("Cache-Control") == "no-store", "/start may be cached: %r" % r.header("Cache-Control"))
    check(r.page.form("/uitloggen") is not None, "/start has no logout form")
    # Logged in, /login sends you on.
    expect_redirect(c.get("/login"), "/start", "GET /login while logged in")


@test("login_wrong_password")
def _(env):
    c = env.client()
    email = env.email("reader")
    r = c.login(email, env.password + "x")
    expect_status(r, 401, "a wrong password")
    check("vd_session" not in r.set_cookies(), "a wrong password sets a session cookie")
    check(r.page.form("/login") is not None, "a wrong password does not show the login form again")
    check(r.page.field("/login", "email") == email, "the e-mail is not kept: %r" % r.page.field("/login", "email"))
    check(r.page.classed("errors"), "a wrong password shows no error")
    check(env.password not in r.text, "the login page shows the password")
    expect_redirect(c.get("/start"), "/login", "GET /start after a failed login")


@test("login_unknown_email_same_as_wrong_password")
def _(env):
    c = env.client()
    tok = c.csrf_for("/login", "/login")
    known = env.email("integrity")
    unknown = "nobody.%s@example.org" % os.urandom(3).hex()
    t0 = time.monotonic()
    a = c.post("/login", [("csrf", tok), ("email", known), ("password", "wrong-password-1")])
    t1 = time.monotonic()
    b = c.post("/login", [("csrf", tok), ("email", unknown), ("password", "wrong-password-1")])
    t2 = time.monotonic()
    expect_status(a, 401, "a wrong password")
    expect_status(b, 401, "an unknown e-mail address")
    na = a.text.replace(known, "EMAIL")
    nb = b.text.replace(unknown, "EMAIL")
    check(na == nb, "the page for an unknown address differs from the one for a wrong password")
    check(a.header("Content-Type") == b.header("Content-Type"), "other Content-Type")
    # Both cost a password hash; an unknown address must not answer at once.
    check((t2 - t1) > 0.3 * (t1 - t0), "an unknown address answers much faster (%.3f s vs %.3f s)" % (t2 - t1, t1 - t0))


@test("login_email_escaped")
def _(env):
    c = env.client()
    evil = '"><b>zz</b>@example.org'
    r = c.login(evil, "wrong-password-2")
    expect_status(r, (400, 401), "login with markup in the e-mail")
    check('"><b>zz</b>' not in r.text, "the e-mail is shown unescaped")
    check(r.page.field("/login", "email") == evil, "the e-mail is not kept (escaped) in the field")


@test("login_missing_fields")
def _(env):
    c = env.client()
    tok = c.csrf_for("/login", "/login")
    for fields in ([("email", env.email("reader"))], [("password", env.password)], [],
                   [("email", ""), ("password", "")], [("email", "   "), ("password", env.password)]):
        r = c.post("/login", [("csrf", tok)] + fields)
        expect_status(r, 400, "login with %s" % [f[0] for f in fields if f[1].strip()])
        check("vd_session" not in r.set_cookies(), "an incomplete login logged in")
        check(r.page.form("/login") is not None, "an incomplete login does not show the form again")


@test("login_bad_csrf")
def _(env):
    c = env.client()
    good = c.csrf_for("/login", "/login")
    other = env.client().csrf_for("/login", "/login")  # bound to another vd_pre
    creds = [("email", env.email("reader")), ("password", env.password)]
    for what, tok in (("a wrong token", "A" * len(good)), ("another browser's token", other),
                      ("a short token", good[:-1]), ("a long token", good + "A"), ("an empty token", "")):
        r = c.post("/login", [("csrf", tok)] + creds)
        expect_status(r, 403, "login with %s" % what)
        check("vd_session" not in r.set_cookies(), "login with %s logged in" % what)
    r = c.post("/login", creds)
    expect_status(r, 403, "login without a token")
    r = c.post("/login", [("csrf", good), ("csrf", "x")] + creds)
    check(r.status in (303, 403), "login with two tokens: %d" % r.status)


@test("login_without_pre_cookie")
def _(env):
    c = env.client()
    tok = c.csrf_for("/login", "/login")
    pre = c.cookies.pop("vd_pre")
    r = c.post("/login", [("csrf", tok), ("email", env.email("reader")), ("password", env.password)])
    expect_status(r, 403, "login without the vd_pre cookie")
    check("vd_session" not in r.set_cookies(), "a login without vd_pre logged in")
    c.cookies["vd_pre"] = pre + "x"
    r = c.post("/login", [("csrf", tok), ("email", env.email("reader")), ("password", env.password)])
    expect_status(r, 403, "login with a changed vd_pre cookie")


@test("login_session_rotation")
def _(env):
    email = env.email("committee", 1)
    c = env.client()
    r = c.login(email, env.password)
    expect_redirect(r, "/start", "first login")
    old = c.cookies["vd_session"]
    keep = Client(env.port)
    keep.cookies["vd_session"] = old
    expect_status(keep.get("/start"), 200, "the first session")
    # Log in again in the same browser, still holding the valid old session.
    tok = c.csrf_for("/start", "/uitloggen")
    r = c.post("/login", [("csrf", tok), ("email", email), ("password", env.password)])
    expect_redirect(r, "/start", "a second login with a valid old session cookie")
    new = r.set_cookies().get("vd_session", ("", []))[0]
    check(new and new != old, "the second login did not give a new session token")
    expect_status(c.get("/start"), 200, "the new session")
    r = keep.get("/start")
    check(r.status == 303 and r.location_path == "/login", "the old session still works after a new login (%d)" % r.status)
    # A session token fixed by someone else before login is not adopted.
    fixed = Client(env.port)
    fixed.cookies["vd_session"] = "A" * 43
    r = fixed.login(email, env.password)
    expect_redirect(r, "/start", "login with a planted session cookie")
    check(fixed.cookies.get("vd_session") not in (None, "A" * 43), "the planted session token was kept")


@test("logout")
def _(env):
    c, _ = env.login(env.email("committee", 2), env.password)
    old = c.cookies["vd_session"]
    tok = c.csrf_for("/start", "/uitloggen")
    r = c.post("/uitloggen", {"csrf": tok})
    expect_redirect(r, "/login?uit=1", "POST /uitloggen")
    sc = r.set_cookies()
    check("vd_session" in sc and ("max-age=0" in sc["vd_session"][1]), "logout does not remove the session cookie")
    r = c.get("/login?uit=1")
    expect_status(r, 200, "GET /login?uit=1")
    check(r.page.classed("notice"), "the login page does not say you logged out")
    stale = Client(env.port)
    stale.cookies["vd_session"] = old
    r = stale.get("/start")
    check(r.status == 303 and r.location_path == "/login", "the session still works after logout (%d)" % r.status)
    r = stale.post("/uitloggen", {"csrf": tok})
    check(r.status == 303 and r.location_path == "/login", "POST /uitloggen with an ended session: %d" % r.status)


@test("logout_without_csrf")
def _(env):
    c, _ = env.login(env.email("committee", 2), env.password)
    other, _ = env.login(env.email("committee", 1), env.password)
    other_tok = other.csrf_for("/start", "/uitloggen")
    for what, fields in (("no token", {}), ("a wrong token", {"csrf": "B" * 43}),
                         ("another session's token", {"csrf": other_tok})):
        r = c.post("/uitloggen", fields)
        expect_status(r, 403, "POST /uitloggen with %s" % what)
        expect_status(c.get("/start"), 200, "the session after POST /uitloggen with %s" % what)
    # The login form's token (bound to vd_pre) is no good after login either.
    pre_client = env.client()
    pre_tok = pre_client.csrf_for("/login", "/login")
    c.cookies["vd_pre"] = pre_client.cookies["vd_pre"]
    r = c.post("/uitloggen", {"csrf": pre_tok})
    expect_status(r, 403, "POST /uitloggen with a pre-session token")
    expect_status(c.get("/start"), 200, "the session after a refused logout")


@test("start_requires_login")
def _(env):
    c = env.client()
    for path in ("/start", "/wachtwoord", "/profiel", "/beheer", "/beheer/accounts"):
        expect_redirect(c.get(path), "/login", "GET %s without a session" % path)


@test("malformed_session_cookies")
def _(env):
    cookies = [
        "vd_session=%%%; ;;=; garbage",
        "vd_session=" + "A" * 4000,
        "vd_session=not base64!!",
        "vd_session=" + "A" * 43,
        "vd_session=" + "_" * 42 + "$",
        'vd_session="%s"' % ("B" * 43),
        "vd_session=; vd_session=x",
        ";;;;",
        "=",
        "vd_session",
        "; ".join("c%d=v" % i for i in range(40)),
        "vd_session==",
        "vd_session=%00",
    ]
    for ck in cookies:
        r = raw_response(env.port, ("GET /start HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: %s\r\n\r\n" % ck).encode())
        check(r is not None, "no answer with Cookie %r" % ck[:40])
        check(r.status == 303 and r.location_path == "/login",
              "GET /start with Cookie %r: %d %r" % (ck[:40], r.status, r.header("Location")))
    # A 10 KB cookie is over the server's cap for a request head: it may be
    # refused as too large instead (413 ours, 431 libmicrohttpd's), never fail.
    r = raw_response(env.port, ("GET /start HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: vd_session=%s\r\n\r\n"
                                % ("A" * 10000)).encode())
    check(r is not None, "no answer with a 10 KB session cookie")
    check((r.status == 303 and r.location_path == "/login") or r.status in (413, 431),
          "GET /start with a 10 KB session cookie: %d %r" % (r.status, r.header("Location")))
    # Raw non-UTF-8 bytes.
    r = raw_response(env.port, b"GET /start HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: vd_session=\xff\xfe\x80\r\n\r\n")
    check(r is not None and r.status == 303 and r.location_path == "/login", "GET /start with a binary cookie: %r" % r)
    # Public pages and POSTs with junk cookies do not fail either.
    r = raw_response(env.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: vd_session=%%%; ;;=; garbage\r\n\r\n")
    check(r is not None and r.status == 200, "GET / with a junk cookie: %r" % r)
    junk = env.client()
    junk.cookies["vd_session"] = "%%%"
    r = junk.post("/uitloggen", {"csrf": "x"})
    check(r.status == 303 and r.location_path == "/login", "POST /uitloggen with a junk session: %d" % r.status)
    r = junk.get("/login")
    expect_status(r, 200, "GET /login with a junk session cookie")


@test("session_expired")
def _(env):
    data = os.path.join(env.tmp, "data-expiry")
    password, accounts = run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsession_idle_seconds = 2\n")
    env.expiry_server = Server(env.binary, data, os.path.join(env.tmp, "expiry.log"))
    c = Client(env.expiry_server.port)
    r = c.login(accounts["reader"][0][0], password)
    expect_redirect(r, "/start", "login on the second server")
    expect_status(c.get("/start"), 200, "GET /start at once")
    time.sleep(3.1)
    r = c.get("/start")
    expect_redirect(r, "/login?verlopen=1", "GET /start after the idle time")
    r = c.get("/login?verlopen=1")
    expect_status(r, 200, "GET /login?verlopen=1")
    check(r.page.form("/login") is not None, "the expired-session page has no login form")
    check(r.page.classed("notice"), "the login page does not say the session expired")
    r = c.get("/start")
    check(r.status == 303 and r.location_path == "/login", "an expired session came back: %d" % r.status)
    # A POST with an expired session goes to the login page too, and does nothing.
    r = c.post("/uitloggen", {"csrf": "x"})
    check(r.status == 303 and r.location_path == "/login", "POST with an expired session: %d" % r.status)


@test("secure_cookies_use_host_prefix")
def _(env):
    # Behind TLS (secure_cookies = yes) our cookies get Secure and the
    # "__Host-" prefix, and answers carry Strict-Transport-Security.
    data = os.path.join(env.tmp, "data-secure")
    password, accounts = run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsecure_cookies = yes\n")
    srv = Server(env.binary, data, os.path.join(env.tmp, "secure.log"))
    try:
        c = Client(srv.port)
        r = c.get("/login")
        expect_status(r, 200, "GET /login behind TLS")
        check(r.header("Strict-Transport-Security"), "no Strict-Transport-Security header")
        pre = [v for v in r.header_all("Set-Cookie") if v.startswith("__Host-vd_pre=")]
        check(pre and "Secure" in pre[0] and "Path=/" in pre[0] and "Domain" not in pre[0],
              "the pre-session cookie is not a __Host- cookie: %s" % r.header_all("Set-Cookie"))
        r = c.login(accounts["reader"][0][0], password)
        expect_redirect(r, "/start", "login behind TLS")
        names = [v.split("=", 1)[0] for v in r.header_all("Set-Cookie")]
        check("__Host-vd_session" in names and "__Host-vd_device" in names,
              "login set %s" % names)
        check("vd_session" not in names, "an unprefixed session cookie was set")
        expect_status(c.get("/start"), 200, "GET /start with the __Host- session cookie")
    finally:
        srv.stop()


@test("expiry_server_clean_exit")
def _(env):
    srv = env.expiry_server
    check(srv is not None, "the second server was not started")
    code = srv.stop()
    log = srv.log()
    check(code == 0, "the second server exited with %r" % code)
    for bad in ("AddressSanitizer", "runtime error", "LeakSanitizer"):
        check(bad not in log, "the second server's stderr contains %r" % bad)


def throttled_login(env, address):
    return Client(env.port, forwarded_for=address)


@test("throttle_account")
def _(env):
    uid, email, name, pw = env.create_account("reader")
    src = env.forwarded()
    c = throttled_login(env, src)
    for i in range(4):
        r = c.login(email, "wrong-password-%d" % i)
        expect_status(r, 401, "wrong password %d of 5" % (i + 1))
    # The server counts whole seconds (time(), whose coarse clock may lag a few
    # ms): start the 5th failure early in a second, so that it and the next
    # tries fall within one second and the 1 s wait cannot run out between them.
    while not 0.05 < time.time() % 1.0 < 0.3:
        time.sleep(0.02)
    r = c.login(email, "wrong-password-5")
    expect_status(r, 401, "wrong password 5 of 5")
    r = c.login(email, pw)
    expect_status(r, 429, "the right password after 5 failures")
    check("vd_session" not in r.set_cookies(), "a throttled login logged in")
    ra = r.header("Retry-After")
    check(ra is not None and ra.isdigit() and 1 <= int(ra) <= 1, "Retry-After after 5 failures: %r, want 1" % ra)
    check(r.page.form("/login") is not None, "the throttled answer has no login form")
    # The owner on another machine is not locked out by someone else's guesses.
    r = throttled_login(env, env.forwarded()).login(email, pw)
    expect_redirect(r, "/wachtwoord", "the right password from another address")
    time.sleep(1.2)
    r = c.login(email, "wrong-password-6")
    expect_status(r, 401, "a 6th wrong password after the wait")
    r = c.login(email, pw)
    expect_status(r, 429, "the right password after 6 failures")
    ra = r.header("Retry-After")
    check(ra is not None and ra.isdigit() and 1 <= int(ra) <= 2, "Retry-After after 6 failures: %r, want 2" % ra)
    time.sleep(int(ra) + 0.3 if ra and ra.isdigit() else 2.3)
    r = c.login(email, pw)
    expect_redirect(r, "/wachtwoord", "the right password after waiting")


@test("throttle_account_wide_spares_known_browser")
def _(env):
    # Guesses at one account spread over many addresses slow the account down
    # for strangers; a browser that logged in before (its device cookie) is
    # exempt, so guessing cannot keep the owner out.
    uid, email, name, pw = env.create_account("reader")
    owner = throttled_login(env, env.forwarded())
    r = owner.login(email, pw)
    expect_redirect(r, "/wachtwoord", "the owner's first login")
    device = [k for k in owner.cookies if k.endswith("vd_device")]
    check(device, "a good login sets no device cookie: %s" % r.set_cookies())
    owner.cookies.pop("vd_session", None)
    for i in range(29):
        r = throttled_login(env, env.forwarded()).login(email, "guess-%d" % i)
        expect_status(r, 401, "guess %d from its own address" % (i + 1))
    # After the 30th the account waits 1 s, counted in whole seconds: start the
    # 30th early in a second (as throttle_account does), so that the next try
    # falls in the same second even on a slow sanitizer build.
    nxt = throttled_login(env, env.forwarded())
    expect_status(nxt.get("/login"), 200, "GET /login for the next try")
    while not 0.02 < time.time() % 1.0 < 0.2:
        time.sleep(0.01)
    r = throttled_login(env, env.forwarded()).login(email, "guess-29")
    expect_status(r, 401, "guess 30 from its own address")
    tok = nxt.get("/login").page.csrf("/login")
    r = nxt.post("/login", [("csrf", tok), ("email", email), ("password", pw)])
    expect_status(r, 429, "the right password from a new address after 30 spread guesses")
    r = owner.login(email, pw)
    expect_redirect(r, "/wachtwoord", "the owner's browser with its device cookie")


@test("throttle_source")
def _(env):
    src = env.forwarded()
    c = throttled_login(env, src)
    statuses = []
    for i in range(20):
        r = c.login("nobody%d.%s@example.org" % (i, os.urandom(2).hex()), "wrong-password")
        statuses.append(r.status)
    check(statuses[0] == 401, "the first unknown address gives %d" % statuses[0])
    r = c.login(env.email("reader"), env.password)
    expect_status(r, 429, "a good login from an address with 20 failures")
    check((r.header("Retry-After") or "").isdigit(), "no Retry-After: %r" % r.header("Retry-After"))
    r = throttled_login(env, env.forwarded()).login(env.email("reader"), env.password)
    expect_redirect(r, "/start", "the same good login from another address")


@test("activation_and_password_change")
def _(env):
    uid, email, name, pw = env.create_account("counsellor", units=[env.unit_id("Landelijk")])
    c = env.client()
    r = c.login(email, pw)
    expect_redirect(r, "/wachtwoord", "first login with the activation password")
    for path in ("/start", "/profiel"):
        expect_redirect(c.get(path), "/wachtwoord", "GET %s before the password change" % path)
    r = c.get("/wachtwoord")
    expect_status(r, 200, "GET /wachtwoord")
    check({"csrf", "old", "new", "again"} <= r.page.field_names("/wachtwoord"), "the password form lacks fields")
    check(r.page.classed("notice"), "/wachtwoord does not say a change is needed")
    tok = r.page.csrf("/wachtwoord")
    good = "Een-goed-wachtwoord-" + os.urandom(4).hex()
    SEEN_SECRETS.add(good)
    cases = [
        ("a too short password", {"old": pw, "new": "kort", "again": "kort"}),
        ("11 characters", {"old": pw, "new": "abcdefghijk", "again": "abcdefghijk"}),
        ("a mismatch", {"old": pw, "new": good, "again": good + "x"}),
        ("a wrong old password", {"old": pw + "x", "new": good, "again": good}),
        ("the same password", {"old": pw, "new": pw, "again": pw}),
        ("the e-mail address", {"old": pw, "new": email, "again": email}),
        ("no old password", {"new": good, "again": good}),
        ("no repeat", {"old": pw, "new": good}),
    ]
    for what, fields in cases:
        r = c.post("/wachtwoord", dict(fields, csrf=tok))
        expect_status(r, 400, "password change with %s" % what)
        check(r.page.classed("errors"), "password change with %s shows no error" % what)
        check(pw not in r.text and good not in r.text, "the password page shows a password")
        expect_redirect(c.get("/start"), "/wachtwoord", "GET /start after a refused change (%s)" % what)
    r = c.post("/wachtwoord", {"csrf": "C" * 43, "old": pw, "new": good, "again": good})
    expect_status(r, 403, "password change with a bad token")
    r = c.post("/wachtwoord", {"csrf": tok, "old": pw, "new": good, "again": good})
    # The first own password makes the key pair: its recovery key shows once.
    expect_status(r, 200, "a good password change")
    recovery = secret_text(r.page)
    check(recovery and re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){4}", recovery), "no recovery key: %r" % recovery)
    SEEN_SECRETS.add(recovery)
    check('href="/start"' in r.text, "no way on from the recovery page")
    expect_status(c.get("/wachtwoord?klaar=1"), 200, "GET /wachtwoord?klaar=1")
    check(recovery not in c.get("/wachtwoord?klaar=1").text, "the recovery key is shown again")
    expect_status(c.get("/start"), 200, "GET /start after the change")
    expect_status(c.get("/profiel"), 200, "GET /profiel after the change")
    r = env.client().login(email, good)
    expect_redirect(r, "/start", "login with the new password")
    r = env.client().login(email, pw)
    expect_status(r, 401, "login with the old activation password")


@test("own_profile")
def _(env):
    c = env.session("counsellor")
    name = env.name("counsellor")
    cid = env.user_id(env.email("counsellor"))
    r = c.get("/profiel")
    expect_status(r, 200, "GET /profiel")
    names = r.page.field_names("/profiel")
    for f in ("csrf", "external", "region", "phone", "public_email", "languages", "intro"):
        check(f in names, "the profile form has no %s field" % f)
    public = env.client()
    expect_status(public.get("/vertrouwenspersonen/%d" % cid), 200, "the public profile before")  # fill the cache
    intro = "Nieuwe <b>introductie</b> & meer " + env.unique("zzintro")
    r = c.submit("/profiel", "/profiel", {"intro": intro, "region": "Utrecht-stad"})
    expect_redirect(r, "/profiel?klaar=1", "saving one's own profile")
    r = c.get("/profiel?klaar=1")
    check(r.page.field("/profiel", "intro") == intro, "the saved intro is not in the form")
    ok = eventually(lambda: intro in public.get("/vertrouwenspersonen/%d" % cid).page.text)
    check(ok, "the public profile does not show the new intro within 1.5 s")
    t = public.get("/vertrouwenspersonen/%d" % cid).text
    check("&lt;b&gt;introductie&lt;/b&gt; &amp; meer" in t and "<b>introductie" not in t,
          "the intro is not escaped on the public page")
    check(eventually(lambda: "Utrecht-stad" in public.get("/vertrouwenspersonen").page.text),
          "the directory does not show the new region within 1.5 s")
    # Bad input: 400, error shown, input kept, nothing saved.
    r = c.submit("/profiel", "/profiel", {"public_email": "geen-adres", "region": "Elders"})
    expect_status(r, 400, "a profile with a bad e-mail")
    check(r.page.classed("errors"), "a bad e-mail shows no error")
    check(r.page.field("/profiel", "public_email") == "geen-adres", "the typed e-mail is not kept")
    r = c.submit("/profiel", "/profiel", {"external": "2"})
    expect_status(r, 400, "a profile with external=2")
    r = c.submit("/profiel", "/profiel", {"intro": "x" * 2001})
    expect_status(r, 400, "an intro over 2000 characters")
    r = c.get("/profiel")
    check(r.page.field("/profiel", "region") == "Utrecht-stad", "a refused save changed the profile")
    check(name in public.get("/vertrouwenspersonen/%d" % cid).page.text, "the public profile lost the name")
