"""Public pages: home, directory, counsellor profiles, confidentiality,
documents, the language switch, the stylesheet, HEAD, security headers,
caching, and that every page is fully translated."""

import re

from client import SEEN_SET_COOKIES, raw_response
from harness import check, expect_redirect, expect_status, test

PUBLIC_PAGES = ["/", "/vertrouwenspersonen", "/vertrouwelijkheid", "/documenten/gedragscode",
                "/documenten/klachtenregeling", "/documenten/klokkenluidersregeling", "/login"]


def get_ok(c, path):
    r = c.get(path)
    expect_status(r, 200, "GET %s" % path)
    ct = r.header("Content-Type", "")
    check(ct.startswith("text/html"), "GET %s: Content-Type %r" % (path, ct))
    return r


def directory_units(env):
    """{unit name: id} from the directory's filter."""
    r = get_ok(env.client(), "/vertrouwenspersonen")
    opts = r.page.select_options("/vertrouwenspersonen", "eenheid")
    return {re.sub(r"^[–\s]+", "", label): int(v) for v, _, label in opts if v}


def counsellor_ids(env):
    """{name: id} of the counsellors listed in the public directory."""
    r = get_ok(env.client(), "/vertrouwenspersonen")
    return {name.strip(): int(i) for i, name in
            re.findall(r'<a href="/vertrouwenspersonen/(\d+)">([^<]+)</a>', r.text)}


@test("home_page")
def _(env):
    r = get_ok(env.client(), "/")
    p = r.page
    check(p.html_lang == "nl", "the default language is not nl: %r" % p.html_lang)
    for href in ("/vertrouwenspersonen", "/vertrouwelijkheid", "/login", "/documenten/gedragscode"):
        check(href in p.links, "/ has no link to %s" % href)
    check(any(h.startswith("/taal/en") for h in p.links), "/ has no link to switch to English")
    check(p.title.strip(), "/ has no <title>")


@test("home_cached_identical")
def _(env):
    c = env.client()
    a, b = c.get("/"), c.get("/")
    expect_status(a, 200, "first GET /")
    expect_status(b, 200, "second GET /")
    check(a.body == b.body, "two GETs of / gave different bodies")
    check(a.header("Content-Type") == b.header("Content-Type"), "cached / has another Content-Type")


@test("directory_page")
def _(env):
    r = get_ok(env.client(), "/vertrouwenspersonen")
    ids = counsellor_ids(env)
    for email, name in env.accounts["counsellor"]:
        check(name in r.page.text, "directory does not list counsellor %s" % name)
        check(name in ids, "directory has no profile link for %s" % name)
    for role in ("admin", "committee", "integrity", "reader"):
        for _, name in env.accounts[role]:
            check(name not in r.page.text, "directory lists the %s %s" % (role, name))
    check(r.page.form("/vertrouwenspersonen") is not None, "directory has no unit filter form")
    check(len(directory_units(env)) >= 5, "directory filter lists fewer than 5 units")


@test("directory_filter_unit")
def _(env):
    units = directory_units(env)
    check("Provincie Utrecht" in units, "no Provincie Utrecht in the filter: %s" % sorted(units))
    uid = units["Provincie Utrecht"]
    r = get_ok(env.client(), "/vertrouwenspersonen?eenheid=%d" % uid)
    t = r.page.text
    # Bram and Chaima serve Utrecht, Anouk and Gerda the whole (national) party.
    for name in ("Bram Jansen", "Chaima El Idrissi", "Anouk de Wit", "Gerda Hoekstra"):
        check(name in t, "filter on Utrecht leaves out %s" % name)
    for name in ("Daan Verhoeven", "Finn Mulder"):
        check(name not in t, "filter on Utrecht shows %s" % name)
    opts = r.page.select_options("/vertrouwenspersonen", "eenheid")
    sel = [v for v, s, _ in opts if s]
    check(sel == [str(uid)], "the chosen unit is not selected in the filter: %r" % sel)
    r = get_ok(env.client(), "/vertrouwenspersonen?eenheid=")
    check("Daan Verhoeven" in r.page.text, "an empty filter does not list everyone")


@test("directory_filter_bad_unit")
def _(env):
    c = env.client()
    for q in ("99999", "abc", "0", "-1", "1x", "99999999999999999999999"):
        r = c.get("/vertrouwenspersonen?eenheid=" + q)
        expect_status(r, 404, "directory filter eenheid=%s" % q)


@test("counsellor_page")
def _(env):
    ids = counsellor_ids(env)
    name = env.name("counsellor")
    r = get_ok(env.client(), "/vertrouwenspersonen/%d" % ids[name])
    check(name in r.page.title and name in r.page.text, "profile page does not show %s" % name)
    check("/vertrouwenspersonen" in r.page.links, "profile page has no link back to the directory")


@test("counsellor_page_not_found")
def _(env):
    c = env.client()
    committee_id = env.user_id(env.email("committee"))
    admin_id = env.user_id(env.email("admin"))
    for path in ("/vertrouwenspersonen/%d" % committee_id, "/vertrouwenspersonen/%d" % admin_id,
                 "/vertrouwenspersonen/999999", "/vertrouwenspersonen/0", "/vertrouwenspersonen/01",
                 "/vertrouwenspersonen/abc", "/vertrouwenspersonen/-1",
                 "/vertrouwenspersonen/99999999999999999999"):
        r = c.get(path)
        expect_status(r, 404, "GET %s" % path)
    r = c.get("/vertrouwenspersonen/%d" % committee_id)
    check(env.name("committee") not in r.text, "the 404 for a committee member shows their name")


@test("public_pages_ignore_session")
def _(env):
    # Public pages are cached and shared by everyone: they may not carry a
    # logged-in user's name, a CSRF token or a cookie.
    adm = env.admin
    name = env.name("admin")
    anon = env.client()
    for path in ("/", "/vertrouwenspersonen", "/vertrouwelijkheid", "/documenten/gedragscode",
                 "/vertrouwenspersonen/%d" % min(counsellor_ids(env).values())):
        for c in (adm, anon, adm):
            r = c.get(path)
            expect_status(r, 200, "GET " + path)
            check(name not in r.text, "%s shows the logged-in user's name" % path)
            check('name="csrf"' not in r.text, "%s carries a CSRF token" % path)
            check(not r.header_all("Set-Cookie"), "%s sets a cookie: %r" % (path, r.header_all("Set-Cookie")))
    # The login page is per browser: never cached.
    a, b = env.client().get("/login"), env.client().get("/login")
    check(a.page.csrf("/login") != b.page.csrf("/login"), "two browsers got the same cached login page")


@test("confidentiality_page")
def _(env):
    r = get_ok(env.client(), "/vertrouwelijkheid")
    check(len(r.page.text) > 200, "/vertrouwelijkheid is nearly empty")


@test("document_pages")
def _(env):
    c = env.client()
    for slug in ("gedragscode", "klachtenregeling", "klokkenluidersregeling", "integriteitsbeleid"):
        get_ok(c, "/documenten/" + slug)
    for slug in ("onbekend", "Gedragscode", "gedragscode.html", "code_of_conduct-nl", "..", ".x"):
        r = c.get("/documenten/" + slug)
        expect_status(r, 404, "GET /documenten/%s" % slug)
    expect_status(c.get("/documenten"), 404, "GET /documenten")
    expect_status(c.get("/documenten/gedragscode/x"), 404, "GET /documenten/gedragscode/x")
    for tail in ("versies", "versies/0", "versies/01", "versies/x", "versies/1/x", "versies/-1"):
        expect_status(c.get("/documenten/gedragscode/" + tail), 404, "GET /documenten/gedragscode/" + tail)


@test("language_switch")
def _(env):
    c = env.client()
    r = c.get("/taal/en?terug=/vertrouwenspersonen")
    expect_redirect(r, "/vertrouwenspersonen", "GET /taal/en?terug=/vertrouwenspersonen")
    sc = r.set_cookies()
    check("vd_lang" in sc and sc["vd_lang"][0] == "en", "no vd_lang=en cookie: %r" % r.header_all("Set-Cookie"))
    check(any(a.startswith("max-age=") and a != "max-age=0" for a in sc["vd_lang"][1]),
          "vd_lang is not a lasting cookie: %r" % sc["vd_lang"][1])
    for path in ("/", "/vertrouwenspersonen", "/login", "/documenten/gedragscode", "/bestaat-niet"):
        r = c.get(path)
        check(r.page.html_lang == "en", "after switching, %s has lang %r" % (path, r.page.html_lang))
    # With a query in the return path.
    r = c.get("/taal/en?terug=/vertrouwenspersonen?eenheid=2")
    expect_redirect(r, "/vertrouwenspersonen?eenheid=2", "switch with a query in terug")
    r = c.get("/taal/nl?terug=/")
    expect_redirect(r, "/", "GET /taal/nl")
    check(c.cookies.get("vd_lang") == "nl", "switching back does not set vd_lang=nl")
    check(c.get("/").page.html_lang == "nl", "after switching back, / is not Dutch")
    r = c.get("/taal/de")
    expect_status(r, 404, "GET /taal/de")
    check("vd_lang" not in r.set_cookies(), "/taal/de sets a cookie")


@test("language_switch_unsafe_return")
def _(env):
    c = env.client()
    for back in ("//evil.example", "//evil.example/x", "https://x", "http://evil.example/",
                 "/\\x", "\\\\evil.example", "javascript:alert(1)", "evil.example",
                 "/%0d%0aSet-Cookie:%20x=1", "/a b", "/" + "a" * 300):
        r = c.get("/taal/en?terug=" + back.replace("\\", "%5C").replace(" ", "%20"))
        expect_redirect(r, "/", "GET /taal/en?terug=%s" % back)
        loc = r.header("Location", "")
        check("evil" not in loc and "\r" not in loc and "\n" not in loc,
              "unsafe Location %r" % loc)
    r = c.get("/taal/en")
    expect_redirect(r, "/", "GET /taal/en without terug")


@test("language_cache_per_language")
def _(env):
    en, nl = env.client(), env.client()
    en.cookies["vd_lang"] = "en"
    for path in ("/", "/vertrouwenspersonen", "/vertrouwelijkheid", "/documenten/gedragscode"):
        for _ in range(2):  # the second time from the page cache
            check(en.get(path).page.html_lang == "en", "%s in English is not lang=en" % path)
            check(nl.get(path).page.html_lang == "nl", "%s in Dutch is not lang=nl" % path)
    a, b = en.get("/").body, nl.get("/").body
    check(a != b, "/ in English and Dutch is the same page")
    odd = env.client()
    odd.cookies["vd_lang"] = "xx"
    check(odd.get("/").page.html_lang == "nl", "an unknown vd_lang does not fall back to Dutch")


@test("stylesheet")
def _(env):
    c = env.client()
    r = get_ok(c, "/")
    css = r.page.stylesheets
    check(len(css) == 1, "/ links %d stylesheets" % len(css))
    href = css[0]
    check(re.fullmatch(r"/static/style-[0-9a-f]{8,64}\.css", href), "stylesheet path %r is not versioned" % href)
    for path in ("/vertrouwenspersonen", "/login", "/bestaat-niet"):
        check(c.get(path).page.stylesheets == [href], "%s links another stylesheet" % path)
    r = c.get(href)
    expect_status(r, 200, "GET %s" % href)
    check(r.header("Content-Type", "").startswith("text/css"), "stylesheet Content-Type %r" % r.header("Content-Type"))
    check(r.header("Cache-Control") == "public, max-age=31536000, immutable",
          "stylesheet Cache-Control %r" % r.header("Cache-Control"))
    check(len(r.body) > 100 and b"{" in r.body, "the stylesheet is (nearly) empty")
    hexpart = href[len("/static/style-"):-len(".css")]
    wrong = "0" * len(hexpart) if hexpart != "0" * len(hexpart) else "1" * len(hexpart)
    for path in ("/static/style.css", "/static/style-%s.css" % wrong, "/static/app.js",
                 "/static/" + href.rsplit("/", 1)[1].upper(), "/static", "/static/"):
        r = c.get(path)
        expect_status(r, 404, "GET %s" % path)


@test("head_requests")
def _(env):
    c = env.client()
    css = c.get("/").page.stylesheets[0]
    for path in ("/", "/vertrouwenspersonen", "/vertrouwelijkheid", "/documenten/gedragscode",
                 "/login", css, "/bestaat-niet", "/start"):
        g = c.get(path, cookies=False)
        h = c.head(path, cookies=False)
        check(h.status == g.status, "HEAD %s: %d, GET gave %d" % (path, h.status, g.status))
        check(h.body == b"", "HEAD %s has a body of %d bytes" % (path, len(h.body)))
        cl = h.header("Content-Length")
        if cl is not None and g.status == 200:
            check(int(cl) == len(g.body), "HEAD %s: Content-Length %s, GET body %d" % (path, cl, len(g.body)))
        check(h.header("Content-Type") == g.header("Content-Type"), "HEAD %s: other Content-Type" % path)
        check(h.header("Content-Security-Policy"), "HEAD %s has no CSP" % path)


def check_security_headers(r, what):
    csp = r.header("Content-Security-Policy", "")
    check("default-src 'none'" in csp, "%s: CSP %r lacks default-src 'none'" % (what, csp))
    check("frame-ancestors 'none'" in csp, "%s: CSP %r lacks frame-ancestors 'none'" % (what, csp))
    check("unsafe-inline" not in csp and "unsafe-eval" not in csp, "%s: CSP allows unsafe code: %r" % (what, csp))
    check(r.header("Referrer-Policy") == "no-referrer", "%s: Referrer-Policy %r" % (what, r.header("Referrer-Policy")))
    check(r.header("X-Content-Type-Options") == "nosniff",
          "%s: X-Content-Type-Options %r" % (what, r.header("X-Content-Type-Options")))


@test("security_headers")
def _(env):
    c = env.client()
    css = c.get("/").page.stylesheets[0]
    answers = []
    for path in ("/", "/", "/vertrouwenspersonen", "/vertrouwenspersonen", "/documenten/gedragscode",
                 "/documenten/gedragscode", "/login", css, "/bestaat-niet", "/start",
                 "/taal/en?terug=/", "/?a=%zz"):
        answers.append(("GET " + path, c.get(path, cookies=False)))
    answers.append(("DELETE /", c.request("DELETE", "/")))
    answers.append(("POST /login (no csrf)", c.post("/login", {"email": "a@b.c"}, cookies=False)))
    answers.append(("POST /login (too big)", c.post("/login", raw=b"a=" + b"x" * 20000, cookies=False)))
    answers.append(("POST /login (text/plain)", c.post("/login", raw=b"a=b", content_type="text/plain")))
    adm = env.admin
    answers.append(("GET /beheer", adm.get("/beheer")))
    answers.append(("GET /start (counsellor)", env.session("counsellor").get("/start")))
    answers.append(("GET /beheer (counsellor)", env.session("counsellor").get("/beheer")))
    answers.append(("GET /beheer/accounts/999999", adm.get("/beheer/accounts/999999")))
    raw = raw_response(env.port, b"GET /%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(raw is not None, "no answer to GET /%ff")
    answers.append(("GET /%ff", raw))
    seen = set()
    for what, r in answers:
        check_security_headers(r, "%s (%d)" % (what, r.status))
        seen.add(r.status)
    for s in (200, 303, 400, 403, 404, 405, 413):
        check(s in seen, "internal: no %d answer was checked" % s)


@test("no_inline_script_or_style")
def _(env):
    pages = []
    c = env.client()
    for path in PUBLIC_PAGES + ["/bestaat-niet", "/vertrouwenspersonen/%d" % min(counsellor_ids(env).values())]:
        pages.append((path, c.get(path)))
    adm = env.admin
    for path in ("/start", "/beheer", "/beheer/eenheden", "/beheer/eenheden/1", "/beheer/accounts",
                 "/beheer/accounts/nieuw", "/beheer/accounts/%d" % env.user_id(env.email("counsellor")),
                 "/beheer/documenten", "/beheer/documenten/code_of_conduct", "/wachtwoord"):
        pages.append((path + " (admin)", adm.get(path)))
    cs = env.session("counsellor")
    for path in ("/start", "/profiel", "/beheer"):
        pages.append((path + " (counsellor)", cs.get(path)))
    for what, r in pages:
        check(b"<script" not in r.body.lower(), "%s contains <script" % what)
        for tag, attrs in r.page.tags:
            check("style" not in attrs, "%s: <%s> has a style attribute" % (what, tag))
            ev = [a for a in attrs if a.startswith("on")]
            check(not ev, "%s: <%s> has event handler attributes %s" % (what, tag, ev))
            check(tag != "style", "%s has a <style> element" % what)
            for a in ("href", "src", "action"):
                check(not attrs.get(a, "").strip().lower().startswith("javascript:"),
                      "%s: javascript: URL in <%s %s>" % (what, tag, a))


@test("cookie_flags")
def _(env):
    c = env.client()
    c.get("/login")                                   # vd_pre
    c.get("/taal/en?terug=/")                          # vd_lang
    r = c.login(env.email("reader"), env.password)     # vd_session, vd_pre deleted
    expect_status(r, 303, "login")
    tok = c.csrf_for("/start")
    c.post("/uitloggen", {"csrf": tok})                # vd_session deleted
    names = set()
    for sc in SEEN_SET_COOKIES:
        parts = [p.strip() for p in sc.split(";")]
        names.add(parts[0].split("=", 1)[0])
        attrs = [p.lower() for p in parts[1:]]
        check("httponly" in attrs, "cookie without HttpOnly: %r" % sc)
        check("samesite=strict" in attrs, "cookie without SameSite=Strict: %r" % sc)
        check("path=/" in attrs, "cookie without Path=/: %r" % sc)
        check(not any(a.startswith("domain=") for a in attrs), "cookie with a Domain: %r" % sc)
    for n in ("vd_pre", "vd_session", "vd_lang"):
        check(n in names, "no %s cookie was seen" % n)


# Translation keys look like "area.key". Visible text must hold none: a key
# shows where a translation is missing.
KEY_RE = re.compile(r"\b(error|login|nav|layout|units|accounts|documents?|profile|password|start|"
                    r"directory|form|role|unitkind|doc|home|confidentiality|admin|lang)\.[a-z_0-9]+\b")


def untranslated(r):
    p = r.page
    found = set()
    for s in [p.title, p.text] + p.attr_text:
        for m in KEY_RE.finditer(s):
            found.add(m.group(0))
    # option labels and button texts are part of p.text already
    return found


@test("no_untranslated_keys")
def _(env):
    problems = []
    ids = counsellor_ids(env)
    public = PUBLIC_PAGES + ["/vertrouwenspersonen/%d" % min(ids.values()), "/bestaat-niet",
                             "/login?verlopen=1", "/login?uit=1"]
    for lang in ("nl", "en"):
        anon = env.client()
        anon.cookies["vd_lang"] = lang
        answers = [(p, anon.get(p)) for p in public]
        answers.append(("DELETE /", anon.request("DELETE", "/")))
        answers.append(("GET /?a=%zz", anon.get("/?a=%zz")))
        answers.append(("POST /login (no csrf)", anon.post("/login", {"email": "x"})))
        anon.cookies.pop("vd_pre", None)
        answers.append(("POST /login (no cookie)", anon.post("/login", {"email": "x", "csrf": "y"})))
        answers.append(("POST /login (too big)", anon.post("/login", raw=b"x=" + b"y" * 17000)))
        tok = anon.csrf_for("/login", "/login")
        answers.append(("POST /login (missing)", anon.post("/login", {"csrf": tok, "email": "a@b.nl"})))
        for role in ("admin", "counsellor", "committee", "integrity", "reader"):
            s = env.session(role)
            s.cookies["vd_lang"] = lang
            try:
                paths = ["/start", "/wachtwoord"]
                if role == "admin":
                    paths += ["/beheer", "/beheer/eenheden", "/beheer/eenheden/1", "/beheer/accounts",
                              "/beheer/accounts/nieuw", "/beheer/accounts/%d" % ids[env.name("counsellor")],
                              "/beheer/accounts/%d" % env.user_id(env.email("reader")),
                              "/beheer/documenten", "/beheer/documenten/code_of_conduct",
                              "/beheer/documenten/whistleblower_regulation"]
                elif role == "counsellor":
                    paths += ["/profiel", "/beheer"]
                else:
                    paths += ["/profiel"]
                for p in paths:
                    answers.append(("%s as %s" % (p, role), s.get(p)))
                if role == "admin":
                    answers.append(("unit form error", s.submit("/beheer/eenheden", "/beheer/eenheden",
                                                                {"name": ""})))
                    answers.append(("account form error", s.submit("/beheer/accounts/nieuw", "/beheer/accounts/nieuw",
                                                                   {"name": "x", "email": "bad"})))
                    answers.append(("password form error", s.submit("/wachtwoord", "/wachtwoord",
                                                                    {"old": "a", "new": "b", "again": "c"})))
            finally:
                s.cookies.pop("vd_lang", None)
        for what, r in answers:
            keys = untranslated(r)
            if keys:
                problems.append("%s [%s]: %s" % (what, lang, ", ".join(sorted(keys)[:6])))
    check(not problems, "%d pages show translation keys: %s" % (len(problems), "; ".join(problems[:6])))


@test("confidentiality_page_states_the_configured_terms")
def _(env):
    c = env.client()
    text = re.sub(r"\s+", " ", get_ok(c, "/vertrouwelijkheid").text)
    for want in ("vertrouwenspersoon: 7 jaar nadat", "Dan 10 jaar", "klachtencommissie: 2 jaar na de beslissing",
                 "misstand: 1 jaar nadat"):
        check(want in text, "the confidentiality page does not say %r" % want)
    check("5 jaar" not in text, "the page states a default term instead of the configured one")
    c.get("/taal/en?terug=/vertrouwelijkheid")
    text = re.sub(r"\s+", " ", get_ok(c, "/vertrouwelijkheid").text)
    for want in ("counsellor: 7 years after", "Then 10 years", "committee: 2 years after the decision",
                 "wrongdoing: 1 year after"):
        check(want in text, "the English confidentiality page does not say %r" % want)
