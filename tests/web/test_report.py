"""The public report form (/melden) and its receipt, and the counsellor's
side (/dossiers): who can read a case, what a rejected report leaves behind
(nothing), and what the data directory and the log never hold (anything a
reporter wrote, who they are, or their receipt code)."""

import html
import os
import re

import db as database
from client import Page, encode_form, raw_response
from harness import (case_ids, case_rows, check, eventually, expect_redirect, expect_status,
                     form_pairs, new_case_id, receipt_of, report_fields, submit_report, test)

# The closed lists of src/core/cases.c.
BEHAVIOURS = ["sexual_harassment", "aggression", "threats", "bullying", "discrimination", "exclusion",
              "intimidation", "stalking", "manipulation", "integrity", "other"]
REPORTER_TYPES = ["employee", "volunteer", "member", "elected", "candidate", "board_member", "intern", "former",
                  "outsider"]
RELATIONS = ["colleague", "manager", "subordinate", "board_member", "elected", "member", "outsider", "unknown"]
LOCATIONS = ["meeting", "office", "online", "event", "other"]

# The demo counsellors (src/core/demo.c) and the unit each is attached to.
ANOUK, BRAM, CHAIMA, DAAN = "Anouk de Wit", "Bram Jansen", "Chaima El Idrissi", "Daan Verhoeven"
ESTHER, FINN, GERDA = "Esther Bakker", "Finn Mulder", "Gerda Hoekstra"
HOME = {ANOUK: "Landelijk", BRAM: "Provincie Utrecht", CHAIMA: "Provincie Utrecht",
        DAAN: "Provincie Gelderland", ESTHER: "Tweede Kamerfractie", FINN: "Jongerenorganisatie",
        GERDA: "Landelijk"}
OTHER_ROLES = ("admin", "committee", "integrity", "reader")

# Dutch (the default language) texts of the case page, from po/nl.po.
TO_ME = "<dd>Jou</dd>"
TO_UNIT = "<dd>De vertrouwenspersonen van dit deel</dd>"


def ids(env):
    """{"unit": {name: id}, "user": {counsellor name: id}}, read once from the
    administrator's pages."""
    d = getattr(env, "_report_ids", None)
    if d is None:
        accounts = env.accounts_table()
        d = {"unit": env.units_table(),
             "user": {name: accounts[email][0] for email, name in env.accounts["counsellor"]}}
        d["admin"] = accounts[env.email("admin")][0]
        env._report_ids = d
    return d


def fresh_login(env, email, activation_pw):
    """Activates a new account (its first own password makes its key pair)
    and logs in again with that password. (The session the password change
    itself starts cannot open cases: see report_case_opens_after_first_password.)"""
    _, pw = env.activate(email, activation_pw)
    c, r = env.login(email, pw)
    expect_redirect(r, "/start", "logging in with the new password")
    return c


def staff(env, name):
    """A logged-in session of the demo counsellor called name."""
    return env.session_as(env.counsellor_email(name))


def form_fragment(text):
    """The report form's own HTML (without the page around it), parsed."""
    start = text.find('<form method="post" action="/melden"')
    end = text.find("</form>", start)
    check(start >= 0 and end > start, "no report form on the page")
    return text[start:end + 7], Page(text[start:end + 7])


def selected(page, name):
    return [v for v, sel, _ in page.select_options("/melden", name) if sel]


def invalid_ids(page):
    return {a.get("id") for _, a in page.tags if a.get("aria-invalid") == "true"}


def behaviours_error(text):
    m = re.search(r'<fieldset[^>]*id="behaviours"[^>]*>(.*?)</fieldset>', text, re.S)
    return bool(m and 'class="error"' in m.group(1))


def summary_links(page_text):
    m = re.search(r'<div class="errors"(.*?)</div>', page_text, re.S)
    return re.findall(r'href="#([^"]+)"', m.group(1)) if m else []


def check_rejected(env, r, fields, what, count_before):
    """A refused report: 400, the form again with an error summary and the
    fields marked, and nothing stored."""
    expect_status(r, 400, what)
    check(r.header("Cache-Control") == "no-store", "%s: Cache-Control %r" % (what, r.header("Cache-Control")))
    check(r.page.form("/melden") is not None and r.page.csrf("/melden"), "%s: the form is not shown again" % what)
    check(r.page.classed("errors"), "%s: no .errors summary" % what)
    check(not [s for s in r.page.classed("secret") if s], "%s: a receipt code is shown" % what)
    links = summary_links(r.text)
    page_ids = {a.get("id") for _, a in r.page.tags if a.get("id")}
    for f in fields:
        check(f in links, "%s: the summary does not link to #%s (links: %s)" % (what, f, links))
    for l in links:
        check(l in page_ids, "%s: the summary links to #%s, which is not on the page" % (what, l))
    want = set(fields) - {"behaviours"}
    got = invalid_ids(r.page)
    check(got == want, "%s: aria-invalid on %s, want %s" % (what, sorted(got), sorted(want)))
    if "behaviours" in fields:
        check(behaviours_error(r.text), "%s: no .error in the behaviour fieldset" % what)
    check(len([e for e in r.page.classed("error") if e]) >= len(fields),
          "%s: %d .error messages next to fields, want %d" % (what, len(r.page.classed("error")), len(fields)))
    check(env.db_count("cases") == count_before, "%s: a case was stored" % what)


# ---- the form -------------------------------------------------------------------

@test("report_form_renders")
def _(env):
    c = env.client()
    r = c.get("/melden")
    expect_status(r, 200, "GET /melden anonymously")
    check(r.header("Cache-Control") == "no-store", "the report form may be cached: %r" % r.header("Cache-Control"))
    check("vd_pre" in r.set_cookies(), "GET /melden sets no vd_pre cookie for its csrf token")
    check("<script" not in r.text.lower(), "the report form uses a script")
    form_html, p = form_fragment(r.text)
    f = p.form("/melden")
    check(f["method"] == "post", "the report form's method is %r" % f["method"])
    tok = p.csrf("/melden")
    check(tok and len(tok) >= 16, "the report form has no csrf token")
    want = {"csrf", "unit", "counsellor", "named", "name", "email", "phone", "contact_pref", "account",
            "when", "hopes", "location", "relation", "reporter_type", "behaviour"}
    names = p.field_names("/melden")
    check(want <= names, "the report form lacks %s" % sorted(want - names))
    # Closed lists, exactly.
    for name, values in (("location", LOCATIONS), ("relation", RELATIONS), ("reporter_type", REPORTER_TYPES)):
        opts = [v for v, _, _ in p.select_options("/melden", name)]
        check(sorted(opts) == sorted(values + [""]), "%s offers %s" % (name, opts))
        check(not selected(p, name), "%s has a choice made for the visitor" % name)
    boxes = [(v, t) for n, v, t in f["fields"] + f.get("unchecked", []) if n == "behaviour"]
    check(sorted(v for v, _ in boxes) == sorted(BEHAVIOURS) and all(t == "checkbox" for _, t in boxes),
          "the behaviour checkboxes are %s" % boxes)
    check(not [v for n, v, _ in f["fields"] if n == "behaviour"], "a behaviour is checked beforehand")
    check(("named", "no", "radio") in f["fields"], "anonymous is not the default")
    units = {re.sub(r"^[–\s]+", "", l) for _, _, l in p.select_options("/melden", "unit")}
    check(set(HOME.values()) <= units, "the unit list lacks %s" % sorted(set(HOME.values()) - units))
    labels = [l for _, _, l in p.select_options("/melden", "counsellor")]
    for name in HOME:
        check(any(l.startswith(name + " (") for l in labels), "%s is not offered as counsellor" % name)
    check(p.select_options("/melden", "counsellor")[0][0] == "", "'any counsellor' is not the first choice")
    check(not selected(p, "unit") and not selected(p, "counsellor"), "a unit or counsellor is preselected")
    # Every control has an id, and a label tied to it.
    controls = [a for t, a in p.tags if t in ("input", "select", "textarea") and a.get("type") != "hidden"]
    check(len(controls) >= 14 + len(BEHAVIOURS), "only %d controls in the form" % len(controls))
    ctl_ids = [a.get("id") for a in controls]
    check(all(ctl_ids), "a control without an id: %s" % [a for a in controls if not a.get("id")][:1])
    all_ids = [a["id"] for _, a in p.tags if a.get("id")]
    check(len(all_ids) == len(set(all_ids)), "duplicate ids in the form")
    fors = [a.get("for") for t, a in p.tags if t == "label"]
    for i in ctl_ids:
        check(i in fors, "no <label for=%r> in the report form" % i)
    for i in fors:
        check(i in ctl_ids, "<label for=%r> points at nothing" % i)
    # Every aria-describedby points at something that exists.
    for a in controls:
        for ref in a.get("aria-describedby", "").split():
            check(ref in all_ids, "aria-describedby=%r of #%s points at nothing" % (ref, a.get("id")))
    expect_status(c.head("/melden"), 200, "HEAD /melden")
    # The home page and the menu lead to it.
    check("/melden" in env.client().get("/").page.links, "the home page has no link to /melden")


@test("report_form_preselects_counsellor")
def _(env):
    d = ids(env)
    for name in (BRAM, GERDA, DAAN):
        uid = d["user"][name]
        prof = env.client().get("/vertrouwenspersonen/%d" % uid)
        expect_status(prof, 200, "the public page of %s" % name)
        link = "/melden?vertrouwenspersoon=%d" % uid
        check(link in prof.page.links, "%s's public page has no link to %s" % (name, link))
        r = env.client().get(link)
        expect_status(r, 200, "GET " + link)
        _, p = form_fragment(r.text)
        check(selected(p, "counsellor") == [str(uid)], "%s: counsellor preselected %s, want %d" % (
            link, selected(p, "counsellor"), uid))
        check(selected(p, "unit") == [str(d["unit"][HOME[name]])], "%s: unit preselected %s, want %s" % (
            link, selected(p, "unit"), HOME[name]))
    # Anything that is not a counsellor preselects nothing (and is no error).
    for q in ("abc", "0", "-1", "999999", str(d["admin"]), "%d.5" % d["user"][BRAM], ""):
        r = env.client().get("/melden?vertrouwenspersoon=" + q)
        expect_status(r, 200, "GET /melden?vertrouwenspersoon=" + q)
        _, p = form_fragment(r.text)
        check(not selected(p, "counsellor") and not selected(p, "unit"),
              "?vertrouwenspersoon=%s preselects %s / %s" % (q, selected(p, "counsellor"), selected(p, "unit")))


# ---- a report end to end ------------------------------------------------------------

@test("report_end_to_end")
def _(env):
    d = ids(env)
    utrecht, bram = d["unit"]["Provincie Utrecht"], d["user"][BRAM]
    b = staff(env, BRAM)
    before = case_ids(b)
    mark = env.unique("zzverslag")
    env.markers.add(mark)
    account = 'Eerste regel <script>alert(1)</script> & "aanhalingstekens"\nTweede regel ' + mark
    hopes = "Dat het stopt.\nEn excuses."
    anon, r = submit_report(env, report_fields(
        utrecht, bram, account=account, hopes=hopes, when="vorige week dinsdag", location="meeting",
        relation="manager", reporter_type="volunteer", behaviour=["bullying", "threats"]))
    code = receipt_of(r, "a report to Bram")
    check(r.header("Cache-Control") == "no-store", "the receipt page may be cached: %r" % r.header("Cache-Control"))
    check(r.text.count(code) == 1, "the receipt code is on its page %d times" % r.text.count(code))
    check(mark not in r.text, "the receipt page repeats the account")
    # Shown once: on no later page.
    for path in ("/melden", "/", "/vertrouwenspersonen"):
        check(code not in anon.get(path).text, "the receipt code is shown again on %s" % path)
    # The counsellor: new, first in the list, without any of its text.
    cid = new_case_id(b, before, "a report to Bram")
    rows = case_rows(b)
    check(rows and rows[0] == (cid, True), "the new case is not first and marked new: %s" % rows[:3])
    lst = b.get("/dossiers")
    check(mark not in lst.text and "alert(1)" not in lst.text, "the case list shows the account")
    check(code not in lst.text, "the case list shows the receipt code")
    row = re.search(r'<tr><td><a href="/dossiers/%d">.*?</tr>' % cid, lst.text, re.S)
    check(row and "Provincie Utrecht" in row.group(0), "the case's row does not show its unit")
    # The case itself, escaped, with its line breaks.
    r = b.get("/dossiers/%d" % cid)
    expect_status(r, 200, "Bram opening the case")
    check(r.header("Cache-Control") == "no-store", "the case page may be cached: %r" % r.header("Cache-Control"))
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in r.text, "the account is not shown escaped")
    check("<script>alert(1)" not in r.text, "the account is shown unescaped")
    paras = re.findall(r'<p class="prewrap">(.*?)</p>', r.text, re.S)
    check(paras, "no prewrap paragraph on the case page")
    check(html.unescape(paras[0]) == account, "the account reads %r, want %r" % (html.unescape(paras[0])[:120], account))
    check("\nTweede regel " + mark in paras[0], "the account lost its line break")
    check(len(paras) > 1 and html.unescape(paras[1]) == hopes, "the hopes read %r" % paras[1:])
    text = r.page.text
    for want in ("vorige week dinsdag", "Pesten", "Bedreiging", "Provincie Utrecht", "Een leidinggevende",
                 "Vrijwilliger", "Bij een vergadering"):
        check(want in text, "the case page does not show %r" % want)
    check(TO_ME in r.text, "the case page does not say it was addressed to Bram")
    check(code not in r.text, "the case page shows the receipt code")
    # Opened: now marked read.
    check((cid, False) in case_rows(b), "the opened case is still marked new")
    # Nobody else: not the other counsellor of Utrecht, not the national one
    # (the reporter chose Bram), not one of another unit.
    for name in (CHAIMA, ANOUK, DAAN):
        c = staff(env, name)
        r = c.get("/dossiers/%d" % cid)
        expect_status(r, 404, "%s opening Bram's case" % name)
        check(mark not in r.text and "alert(1)" not in r.text, "the 404 page shows the case")
        check(cid not in case_ids(c), "Bram's case is in the list of %s" % name)
    for role in OTHER_ROLES:
        s = env.session(role)
        expect_status(s.get("/dossiers"), 403, "GET /dossiers as %s" % role)
        r = s.get("/dossiers/%d" % cid)
        expect_status(r, 403, "GET /dossiers/ID as %s" % role)
        check(mark not in r.text, "the 403 page shows the case")
    expect_redirect(env.client().get("/dossiers/%d" % cid), "/login", "anonymous GET /dossiers/ID")
    expect_status(b.get("/dossiers/%d" % (cid + 1000000)), 404, "a case that does not exist")
    expect_status(b.post("/dossiers/%d" % cid, {"csrf": "x"}), 405, "POST /dossiers/ID")


@test("report_any_counsellor_of_unit")
def _(env):
    d = ids(env)
    utrecht = d["unit"]["Provincie Utrecht"]
    # A new counsellor of Utrecht with a key pair, and one who has none yet.
    _, k_email, _, k_pw = env.create_account("counsellor", units=[utrecht])
    keyed = fresh_login(env, k_email, k_pw)
    _, n_email, _, n_pw = env.create_account("counsellor", units=[utrecht])
    b = staff(env, BRAM)
    before = case_ids(b)
    mark = env.unique("zzeenheid")
    env.markers.add(mark)
    _, r = submit_report(env, report_fields(utrecht, "", account="Voor iedereen van Utrecht " + mark))
    receipt_of(r, "a report to any counsellor of Utrecht")
    cid = new_case_id(b, before, "a report to Utrecht")
    check((cid, True) in case_rows(b), "the unit's case is not marked new")
    readers = [(name, staff(env, name)) for name in (BRAM, CHAIMA, ANOUK, GERDA)] + [("the new counsellor", keyed)]
    for name, c in readers:
        check(cid in case_ids(c), "the unit's case is not in the list of %s" % name)
        r = c.get("/dossiers/%d" % cid)
        expect_status(r, 200, "%s opening the unit's case" % name)
        check(mark in r.text, "%s does not see the account" % name)
        check(TO_UNIT in r.text, "the case page does not say it was addressed to the unit")
    for name in (DAAN, ESTHER, FINN):
        c = staff(env, name)
        expect_status(c.get("/dossiers/%d" % cid), 404, "%s opening a case of Utrecht" % name)
        check(cid not in case_ids(c), "a case of Utrecht is in the list of %s" % name)
    # A key pair made after the report opens nothing made before it.
    late = fresh_login(env, n_email, n_pw)
    expect_status(late.get("/dossiers/%d" % cid), 404, "a counsellor whose keys came after the report")
    check(cid not in case_ids(late), "a report made before a counsellor had keys is in their list")


@test("report_needs_a_reader")
def _(env):
    # A unit at the top of its own tree: no counsellor serves it.
    lonely = env.create_unit(env.unique("Losse eenheid "), "other", "")
    n = env.db_count("cases")
    c, r = submit_report(env, report_fields(lonely, ""))
    expect_status(r, 400, "a report to a unit nobody serves")
    check(r.page.classed("errors"), "no error summary when nobody can read the report")
    check(env.db_count("cases") == n, "a report nobody can read was stored")
    # A counsellor without a key pair (never logged in) cannot be a reader either.
    uid, email, _, pw = env.create_account("counsellor", units=[lonely])
    for counsellor in ("", str(uid)):
        _, r = submit_report(env, report_fields(lonely, counsellor))
        expect_status(r, 400, "a report to a counsellor without keys (counsellor=%r)" % counsellor)
        check(r.page.classed("errors"), "no error summary for a counsellor without keys")
        check(env.db_count("cases") == n, "a report to a counsellor without keys was stored")
    # With keys, the same report goes through, and they can read it.
    k = fresh_login(env, email, pw)
    mark = env.unique("zzlos")
    _, r = submit_report(env, report_fields(lonely, str(uid), account=mark))
    receipt_of(r, "a report to the counsellor after their first login")
    rows = case_rows(k)
    check(len(rows) == 1 and rows[0][1], "the counsellor's list is %s, want one new case" % rows)
    r = k.get("/dossiers/%d" % rows[0][0])
    expect_status(r, 200, "opening it")
    check(mark in r.text, "the counsellor does not see the account")


@test("report_case_opens_after_first_password")
def _(env):
    # A counsellor's first own password makes their key pair; the session the
    # change continues in should hold the new secret key, as it does after a
    # later password change, rather than telling them to log out and in again.
    unit = env.create_unit(env.unique("Nieuwe afdeling "), "other", ids(env)["unit"]["Landelijk"])
    uid, email, _, pw = env.create_account("counsellor", units=[unit])
    c, new_pw = env.activate(email, pw)
    mark = env.unique("zzeerste")
    _, r = submit_report(env, report_fields(unit, uid, account=mark))
    receipt_of(r, "a report to a counsellor who just set their first password")
    rows = case_rows(c)
    check(len(rows) == 1, "the new counsellor's list holds %d cases, want 1" % len(rows))
    path = "/dossiers/%d" % rows[0][0]
    again, _ = env.login(email, new_pw)
    r = again.get(path)
    expect_status(r, 200, "opening it after logging in again")
    check(mark in r.text, "the account is not shown after logging in again")
    r = c.get(path)
    expect_status(r, 200, "opening it in the session that set the first password (the page says: %s)"
                  % r.page.title.strip())
    check(mark in r.text, "the account is not shown in the first session")


@test("report_no_reader_error_next_to_field")
def _(env):
    # "Errors show next to the field (and in a summary at the top, linked to
    # the fields)": also when nobody can receive the report.
    lonely = env.create_unit(env.unique("Niemands eenheid "), "other", "")
    _, r = submit_report(env, report_fields(lonely, ""))
    expect_status(r, 400, "a report to a unit nobody serves")
    links = summary_links(r.text)
    check(links, "no error summary")
    marked = invalid_ids(r.page)
    check(marked & {"unit", "counsellor"},
          "nobody can receive it, but neither the unit nor the counsellor field is marked "
          "(aria-invalid on %s; summary links %s)" % (sorted(marked), links))
    check([e for e in r.page.classed("error") if e], "the error is only in the summary, not next to a field")


@test("report_anonymous_keeps_no_contact")
def _(env):
    d = ids(env)
    b = staff(env, BRAM)
    before = case_ids(b)
    name, phone = env.unique("zzanoniemnaam"), env.unique("zzanoniemtel")
    env.markers.update((name, phone))
    email = env.unique("zzanoniemmail") + "@example.org"
    _, r = submit_report(env, report_fields(d["unit"]["Provincie Utrecht"], d["user"][BRAM], named="no",
                                            name=name, email=email, phone=phone))
    receipt_of(r, "an anonymous report with contact details typed")
    cid = new_case_id(b, before, "an anonymous report")
    r = b.get("/dossiers/%d" % cid)
    expect_status(r, 200, "opening the anonymous case")
    check("De melder is anoniem gebleven." in r.page.text, "the case does not say the reporter is anonymous")
    for s in (name, phone, email):
        check(s not in r.text, "an anonymous case shows %r typed in a hidden field" % s)


# ---- what is stored, and what never is -----------------------------------------------

def datadir_files(env):
    """Every file of the data directory, and the database's wherever it is."""
    out = []
    for p in database.installation_files(env.datadir):
        with open(p, "rb") as fh:
            out.append((os.path.relpath(p, env.datadir), fh.read()))
    return out


@test("report_leaves_no_plaintext")
def _(env):
    d = ids(env)
    utrecht, chaima = d["unit"]["Provincie Utrecht"], d["user"][CHAIMA]
    m = {k: env.unique("zq%s" % k) for k in ("name", "email", "phone", "contact", "account", "when", "hopes",
                                              "agent", "rejected")}
    env.markers.update(m.values())
    agent = "Mozilla/5.0 " + m["agent"]
    addr = env.forwarded()
    fields = report_fields(
        utrecht, chaima, named="yes", name="Naam " + m["name"], email=m["email"] + "@example.org",
        phone="06 " + m["phone"], contact_pref="Bel na " + m["contact"],
        account="Wat er gebeurde: " + m["account"] + "\nmeer", when="Op " + m["when"],
        hopes="Ik hoop " + m["hopes"], behaviour=["intimidation", "other"], reporter_type="elected")
    c = env.client(forwarded_for=addr)
    # A refused report first: what it held must not be kept either.
    tok = c.get("/melden", headers={"User-Agent": agent}).page.csrf("/melden")
    bad = dict(fields, account="Afgewezen " + m["rejected"], behaviour=None)
    r = c.post("/melden", [("csrf", tok)] + form_pairs(bad), headers={"User-Agent": agent})
    expect_status(r, 400, "the refused report")
    cc = staff(env, CHAIMA)
    before = case_ids(cc)
    r = c.post("/melden", [("csrf", tok)] + form_pairs(fields), headers={"User-Agent": agent})
    code = receipt_of(r, "the marked report")
    # It was stored, and holds every marker (so their absence below means something).
    cid = new_case_id(cc, before, "the marked report")
    page = cc.get("/dossiers/%d" % cid)
    expect_status(page, 200, "Chaima opening the marked report")
    for k in ("name", "email", "phone", "contact", "account", "when", "hopes"):
        check(m[k] in page.text, "the case page does not show the %s marker" % k)
    chars = code.replace("-", "")
    needles = {("marker " + k): v for k, v in m.items()}
    needles.update({"the receipt code": code, "the receipt code without hyphens": chars,
                    "the receipt code in lower case": code.lower(), "the receipt secret": chars[6:22],
                    "the receipt secret in lower case": chars[6:22].lower(),
                    "the reporter's address": addr, "the reporter's user agent": agent})
    files = datadir_files(env)
    names = [f for f, _ in files]
    check(database.on_postgres() or "vertrouwd.db" in names, "no vertrouwd.db in the data directory: %s" % names)
    db = b"".join(data for _, data in files)
    # The scan does see plain text where there is some (the unit names are not secret).
    check(b"Provincie Utrecht" in db, "the scan found no known plain text in %s" % names)
    for f, data in files:
        for what, s in needles.items():
            check(s.encode() not in data, "%s holds %s (%r)" % (f, what, s))
    log = env.server.log()
    for what, s in needles.items():
        check(s not in log, "the server log holds %s" % what)


# ---- bad input ----------------------------------------------------------------------

def bad_inputs(env):
    d = ids(env)
    named = {"named": "yes", "name": "Jan Jansen"}
    return [
        ("no account", {"account": ""}, ["account"]),
        ("an account of only spaces and line breaks", {"account": "   \r\n \t\r\n  "}, ["account"]),
        ("an account over 20,000 characters", {"account": "a" * 20001}, ["account"]),
        ("an account of 20,001 two-byte characters", {"account": "é" * 20001}, ["account"]),
        ("no behaviour", {"behaviour": None}, ["behaviours"]),
        ("an unknown behaviour", {"behaviour": ["bullying", "hacking"]}, ["behaviours"]),
        ("no location", {"location": ""}, ["location"]),
        ("an unknown location", {"location": "garden"}, ["location"]),
        ("an unknown relation", {"relation": "boss"}, ["relation"]),
        ("an unknown reporter type", {"reporter_type": "king"}, ["reporter_type"]),
        ("no unit", {"unit": ""}, ["unit"]),
        ("a unit that does not exist", {"unit": "999999"}, ["unit"]),
        ("unit abc", {"unit": "abc"}, ["unit"]),
        ("a counsellor of another unit", {"counsellor": str(d["user"][DAAN])}, ["counsellor"]),
        ("counsellor abc", {"counsellor": "abc"}, ["counsellor"]),
        ("an administrator as counsellor", {"counsellor": str(d["admin"])}, ["counsellor"]),
        ("named without e-mail or phone", named, ["email", "phone"]),
        ("named with a bad e-mail", dict(named, email="geen adres"), ["email"]),
        ("named without a name", {"named": "yes", "email": "jan@example.org"}, ["name"]),
        ("named with a phone over 40 characters", dict(named, phone="0" * 41), ["phone"]),
        ("named with a name over 200 characters", dict(named, name="n" * 201, email="jan@example.org"), ["name"]),
        ("named with a name on two lines", dict(named, name="Jan\nJansen", email="jan@example.org"), ["name"]),
        ("a date on two lines", {"when": "maandag\ndinsdag"}, ["when"]),
        ("hopes over 4,000 characters", {"hopes": "h" * 4001}, ["hopes"]),
    ]


@test("report_bad_input_400")
def _(env):
    d = ids(env)
    utrecht = d["unit"]["Provincie Utrecht"]
    b, a = staff(env, BRAM), staff(env, ANOUK)
    lists = (case_ids(b), case_ids(a))
    c = env.client()
    tok = c.csrf_for("/melden", "/melden")
    n = env.db_count("cases")
    problems = []
    for what, over, fields in bad_inputs(env):
        sent = report_fields(utrecht, "")
        sent.update(over)
        sent = {k: v for k, v in sent.items() if v is not None}
        r = c.post("/melden", [("csrf", tok)] + form_pairs(sent))
        try:
            check_rejected(env, r, fields, what, n)
        except AssertionError as e:
            problems.append(str(e))
        if r.status == 200:  # stored after all: every later count would be off
            n = env.db_count("cases")
    check(not problems, "%d of %d bad reports: %s" % (len(problems), len(bad_inputs(env)), " | ".join(problems)))
    check((case_ids(b), case_ids(a)) == lists, "a refused report reached a counsellor's list")


@test("report_malformed_and_oversized")
def _(env):
    d = ids(env)
    utrecht = d["unit"]["Provincie Utrecht"]
    c = env.client()
    tok = c.csrf_for("/melden", "/melden")
    n = env.db_count("cases")
    good = encode_form([("csrf", tok)] + form_pairs(report_fields(utrecht, "", account=None)))
    # Not UTF-8 (or not a form at all): 400, and nothing stored.
    for acc in (b"%ff", b"ok%c0%af", b"%ed%a0%80", b"%zz", b"a%"):
        r = c.post("/melden", raw=good + b"&account=" + acc)
        expect_status(r, 400, "account=%s" % acc.decode())
        check(not [s for s in r.page.classed("secret") if s], "a malformed report got a receipt")
    check(env.db_count("cases") == n, "a malformed report was stored")
    # The cap is 256 KiB here, not 16 KiB: 200 KiB is read (and refused for
    # its too long account: 400, not 413).
    big = encode_form([("csrf", tok)] + form_pairs(report_fields(utrecht, "", account="a" * 20001,
                                                                 hopes="h" * 4001, pad="p" * (180 * 1024))))
    check(200 * 1024 < len(big) < 256 * 1024, "internal: body of %d bytes" % len(big))
    r = c.post("/melden", raw=big)
    expect_status(r, 400, "a report of %d bytes with a too long account" % len(big))
    check("account" in invalid_ids(r.page), "the too long account is not marked")
    # Over 256 KiB: 413, on the Content-Length alone.
    body = encode_form([("csrf", tok)] + form_pairs(report_fields(utrecht, "", pad="p" * (256 * 1024))))
    head = ("POST /melden HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: %s\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
            % (c.cookie_header(), len(body))).encode()
    r = raw_response(env.port, head + body)
    check(r is not None, "no answer to a report over 256 KiB")
    expect_status(r, 413, "a report of %d bytes" % len(body))
    check(env.db_count("cases") == n, "a refused report was stored")
    # The longest account: 20,000 characters of two bytes each (40 KB) is fine.
    _, r = submit_report(env, report_fields(utrecht, "", account="é" * 20000))
    receipt_of(r, "an account of exactly 20,000 two-byte characters")
    check(env.db_count("cases") == n + 1, "the longest account was not stored")


@test("report_csrf_403")
def _(env):
    d = ids(env)
    fields = form_pairs(report_fields(d["unit"]["Provincie Utrecht"], d["user"][BRAM],
                                      account="Met een vreemd token " + env.unique("zzcsrf")))
    a, other = env.client(), env.client()
    tok = a.csrf_for("/melden", "/melden")
    other_tok = other.csrf_for("/melden", "/melden")
    check(tok != other_tok, "two visitors got the same token")
    n = env.db_count("cases")
    r = a.post("/melden", fields)
    expect_status(r, 403, "a report without a csrf token")
    r = a.post("/melden", [("csrf", "x" * len(tok))] + fields)
    expect_status(r, 403, "a report with a made-up csrf token")
    r = a.post("/melden", [("csrf", other_tok)] + fields)
    expect_status(r, 403, "a report with another browser's token")
    bare = env.client()
    r = bare.post("/melden", [("csrf", tok)] + fields)
    expect_status(r, 403, "a report with a token but no vd_pre cookie")
    thief = env.client()
    thief.cookies["vd_pre"] = other.cookies["vd_pre"]
    r = thief.post("/melden", [("csrf", tok)] + fields)
    expect_status(r, 403, "a report replaying a token with another vd_pre cookie")
    check(env.db_count("cases") == n, "a report with a bad token was stored")
    # The same report with its own token goes through.
    r = a.post("/melden", [("csrf", tok)] + fields)
    receipt_of(r, "the same report with its own token")
    check(env.db_count("cases") == n + 1, "the report with a good token was not stored")


@test("report_keeps_typed_values")
def _(env):
    d = ids(env)
    utrecht, bram = d["unit"]["Provincie Utrecht"], d["user"][BRAM]
    account = 'Wat <b>er</b> gebeurde & "zo"\nop twee regels ' + env.unique("zzbewaard")
    env.markers.add(account.split()[-1])
    name = '"><i>Jan</i> de Vries'
    fields = report_fields(utrecht, bram, named="yes", name=name, email="jan.devries@example.org",
                           phone="06 1234 5678", contact_pref="Na 18 uur <graag>", account=account,
                           when="Op 3 maart", hopes="Een gesprek & excuses", location="",
                           relation="board_member", reporter_type="candidate",
                           behaviour=["threats", "stalking"])
    c, r = submit_report(env, fields)
    check_rejected(env, r, ["location"], "a report without a location", env.db_count("cases"))
    form_html, p = form_fragment(r.text)
    check("<i>Jan</i>" not in form_html and "<b>er</b>" not in form_html and "<graag>" not in form_html,
          "what was typed is put back unescaped")
    for k in ("name", "email", "phone", "contact_pref", "account", "when", "hopes"):
        check(p.field("/melden", k) == fields[k], "%s came back as %r, want %r" % (k, p.field("/melden", k), fields[k]))
    check(selected(p, "unit") == [str(utrecht)], "the unit came back as %s" % selected(p, "unit"))
    check(selected(p, "counsellor") == [str(bram)], "the counsellor came back as %s" % selected(p, "counsellor"))
    check(selected(p, "relation") == ["board_member"], "the relation came back as %s" % selected(p, "relation"))
    check(selected(p, "reporter_type") == ["candidate"], "the reporter type came back as %s" % selected(p, "reporter_type"))
    check(p.field("/melden", "named") == "yes", "'with my name' is no longer chosen")
    boxes = sorted(v for n, v, _ in p.form("/melden")["fields"] if n == "behaviour")
    check(boxes == ["stalking", "threats"], "the behaviours came back as %s" % boxes)
    # The form as it came back, with the one fix, goes through (no JavaScript needed).
    r = c.submit("/melden", "/melden", {"location": "event"}, page=r.page)
    receipt_of(r, "the corrected report")


@test("report_log_record_only")
def _(env):
    d = ids(env)
    b = staff(env, BRAM)
    before = case_ids(b)

    def received():
        return [l for l in env.server.log().splitlines() if 'event="report-received"' in l]

    n = len(received())
    mark = env.unique("zzlogboek")
    env.markers.add(mark)
    _, r = submit_report(env, report_fields(d["unit"]["Provincie Utrecht"], d["user"][BRAM], account=mark))
    code = receipt_of(r, "a report for the log")
    cid = new_case_id(b, before, "a report for the log")
    lines = eventually(lambda: received()[n:] or None) or []
    check(len(lines) == 1, "%d report-received lines for one report" % len(lines))
    m = re.match(r'^time=\S+ level=info event="report-received" record=(\d+)$', lines[0])
    check(m, "the report-received line holds more than a record id: %s" % lines[0])
    check(int(m.group(1)) == cid, "the log names record %s, the case is %d" % (m.group(1), cid))
    log = env.server.log()
    check(mark not in log and code not in log, "the log holds the report or its code")
    # A refused report logs no receipt.
    _, r = submit_report(env, report_fields(d["unit"]["Provincie Utrecht"], "", behaviour=None))
    expect_status(r, 400, "a refused report")
    check(len(received()) == n + 1, "a refused report logged report-received")


# ---- the case list ----------------------------------------------------------------------

@test("dossiers_list_pages")
def _(env):
    unit = env.create_unit(env.unique("Afdeling "), "other", ids(env)["unit"]["Landelijk"])
    uid, email, _, pw = env.create_account("counsellor", units=[unit])
    c = fresh_login(env, email, pw)
    r = c.get("/dossiers")
    expect_status(r, 200, "an empty case list")
    check(not case_rows(c), "a new counsellor has cases")
    check("Er zijn nog geen meldingen voor jou." in r.page.text, "an empty list does not say so")
    made = []
    for i in range(26):
        _, r = submit_report(env, report_fields(unit, uid, account="Melding %d" % i))
        receipt_of(r, "report %d of 26" % i)
    rows = case_rows(c)
    got = [i for i, _ in rows]
    check(len(got) == 26 and len(set(got)) == 26, "the list holds %d cases (%d distinct), want 26" % (
        len(got), len(set(got))))
    check(got == sorted(got, reverse=True), "the newest are not first: %s" % got)
    check(all(u for _, u in rows), "a case no one opened is not marked new")
    # 25 to a page, and a link to the rest.
    first = c.get("/dossiers")
    check(len(re.findall(r'<a href="/dossiers/\d+">', first.text)) == 25, "the first page does not show 25 cases")
    nxt = [html.unescape(l) for l in re.findall(r'href="(/dossiers\?[^"]*)"', first.text)]
    check(len(nxt) == 1, "the first page links to %s, want one next page" % nxt)
    second = c.get(nxt[0])
    expect_status(second, 200, "GET " + nxt[0])
    check(re.findall(r'<a href="/dossiers/(\d+)">', second.text) == [str(got[-1])],
          "the second page does not show just the oldest case")
    # Unopened first: the newest, once opened, goes to the end.
    expect_status(c.get("/dossiers/%d" % got[0]), 200, "opening the newest case")
    rows = case_rows(c)
    check([i for i, _ in rows] == got[1:] + got[:1], "the opened case is not last: %s" % [i for i, _ in rows][:5])
    check(rows[-1] == (got[0], False) and all(u for _, u in rows[:-1]), "new/read marks wrong after opening one")
    check(len(re.findall(r'<a href="/dossiers/\d+">', c.get("/dossiers").text)) == 25, "page 1 changed size")
    # Malformed page parameters: 400.
    m = re.match(r"/dossiers\?([a-z_]+)=", nxt[0])
    check(m, "the next-page link %r has no parameter" % nxt[0])
    for v in ("x", "0", "-1", "1.2", "9" * 80, "1.2.3.4", "1.x.5"):
        expect_status(c.get("/dossiers?%s=%s" % (m.group(1), v)), 400, "GET /dossiers?%s=%s" % (m.group(1), v))
    # Nobody else sees them.
    a = staff(env, ANOUK)
    check(not set(got) & set(case_ids(a)), "another counsellor sees cases addressed to someone else")


@test("report_flood_paused")
def _(env):
    """Reports through the public form are limited per source (reports_per_hour,
    here 3 on a server of its own): the next one gets 429 with Retry-After and
    a plain message, what was typed stays, nothing is stored; another source
    still reports."""
    from client import Client
    from harness import Server, receipt_of, report_fields, run_demo, submit_report
    data = os.path.join(env.tmp, "data-flood")
    run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\ntrust_proxy = yes\nreports_per_hour = 3\n")
    srv = Server(env.binary, data, os.path.join(env.tmp, "flood.log"))
    try:
        c = Client(srv.port, forwarded_for="203.0.113.7")
        unit = re.search(r'<option value="(\d+)">[^<]*Provincie Utrecht</option>', c.get("/melden").text).group(1)
        for i in range(3):
            _, r = submit_report(env, report_fields(unit, account="Overstroming %d" % i), client=c)
            receipt_of(r, "report %d of 3" % (i + 1))
        mark = "zzflood" + os.urandom(4).hex()
        _, r = submit_report(env, report_fields(unit, account="Te veel " + mark), client=c)
        expect_status(r, 429, "the fourth report within the hour")
        check(r.header("Retry-After") and int(r.header("Retry-After")) > 0, "no Retry-After on the 429")
        check("probeer het over een uur opnieuw" in r.text, "the 429 page does not say what to do")
        check(mark in r.text, "what was typed is not kept")
        check(r.page.classed("secret") == [], "a code was shown for a refused report")
        other = Client(srv.port, forwarded_for="198.51.100.9")
        _, r = submit_report(env, report_fields(unit, account="Van elders"), client=other)
        receipt_of(r, "a report from another source")
    finally:
        srv.stop()
    log = open(os.path.join(env.tmp, "flood.log")).read()
    check(log.count('event="report-received"') == 4, "not exactly the 4 allowed reports were stored")
    check("203.0.113.7" not in log and "198.51.100.9" not in log, "the log holds an address")
