"""Integrity declarations through the pages (issue 13): a candidate committee
opens a round, invites a candidate, the candidate chooses a password with the
one-time link, saves, comes back and submits signing the code of conduct; a
member reads it, records the interview and the decision. Another round's
committee, counsellors, the administrator and other candidates are refused;
the version signed stays the one signed; nothing written reaches the
database in the clear; every form refuses bad input and changes nothing."""

import datetime
import os
import re

from client import SEEN_SECRETS, Client
from harness import check, expect_redirect, expect_status, secret_text, test
from test_access import check_403
import db as database


def db_rows(env, sql, args=()):
    db = database.connect(env.datadir)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def db_files_contain(env, marker):
    return database.files_contain(env.datadir, marker)


def errors(r):
    return " ".join(r.page.classed("errors"))


def committee(env, i=0):
    return env.session_as(env.email("candidate_committee", i))


def open_round(env, title, members=()):
    """Opens a round as the first demo member, with the default questions: its id."""
    c = committee(env)
    form = c.get("/kandidaten/nieuw")
    expect_status(form, 200, "GET /kandidaten/nieuw")
    unit = re.search(r'<option value="(\d+)">Landelijk</option>', form.text).group(1)
    r = c.submit("/kandidaten/nieuw", "/kandidaten/nieuw",
                 {"title": title, "kind": "election", "unit": unit, "members": [str(m) for m in members]})
    check(r.status == 303 and r.location.startswith("/kandidaten/"), "opening a round: %d %s" % (r.status, errors(r)))
    return int(re.match(r"/kandidaten/(\d+)", r.location).group(1))


def invite(env, round_id, name, email):
    """Invites a candidate; returns the one-time link's path, shown once (no mail here)."""
    c = committee(env)
    path = "/kandidaten/%d" % round_id
    r = c.submit(path, path + "/uitnodigen", {"name": name, "email": email})
    expect_status(r, 200, "inviting %s" % email)
    link = secret_text(r.page)
    m = re.search(r"(/kandidaat/[0-9a-f]{64})$", link or "")
    check(m, "no one-time link shown after inviting %s: %r" % (email, link))
    SEEN_SECRETS.add(m.group(1)[len("/kandidaat/"):])
    check(c.get(path).page.classed("secret") == [], "the link is shown again on the round's page")
    return m.group(1)


def accept(env, link, password):
    """Spends the link with password: the candidate's logged-in client."""
    c = Client(env.port)
    expect_status(c.get(link), 200, "opening the candidate's link")
    r = c.submit(link, link, {"password": password, "again": password})
    expect_redirect(r, "/verklaring", "choosing a password with the link")
    SEEN_SECRETS.add(password)
    return c


def declaration_path(c):
    r = c.get("/verklaring")
    expect_status(r, 200, "GET /verklaring")
    paths = re.findall(r'href="(/verklaring/\d+)"', r.text)
    check(paths, "the candidate's list links no declaration")
    return paths[0]


def answer_fields(page, path):
    return [n for n, _, t in page.page.form(path)["fields"] if re.fullmatch(r"q\d+", n)]


def state(env, decl_id):
    return db_rows(env, "SELECT state, outcome FROM declarations WHERE id = ?", (decl_id,))[0]


@test("declaration_round_end_to_end")
def _(env):
    mark = env.unique("zzverkl")
    env.markers.add(mark)
    olaf = env.user_id(env.email("candidate_committee", 1))
    rid = open_round(env, "Ronde " + mark, members=[olaf])
    page = committee(env).get("/kandidaten/%d" % rid)
    check(env.name("candidate_committee", 1) in page.text, "the round does not list its second member")
    check("Welke nevenfuncties" in page.text, "the round does not ask the default questions")
    email = "kandidaat-%s@example.org" % mark
    link = invite(env, rid, "Kim Kandidaat " + mark, email)
    # the link: a mismatch and a weak password are refused and spend nothing
    v = Client(env.port)
    r = v.submit(link, link, {"password": "een-lang-wachtwoord", "again": "een-ander-wachtwoord"})
    expect_status(r, 400, "a password typed twice differently")
    r = v.submit(link, link, {"password": "kort", "again": "kort"})
    expect_status(r, 400, "a short password")
    check("12 tekens" in r.text, "the weak password is not explained")
    pw = "Kandidaat-" + os.urandom(6).hex()
    cand = accept(env, link, pw)
    expect_status(Client(env.port).get(link), 404, "the spent link")
    # save, come back, submit
    path = declaration_path(cand)
    form = cand.get(path)
    expect_status(form, 200, "GET the declaration")
    qs = answer_fields(form, path)
    check(len(qs) == 5, "the declaration asks %d questions, not the 5 default ones" % len(qs))
    answer = "Penningmeester %s" % mark
    r = cand.submit(path, path, {qs[0]: answer, "action": "save"}, keep=False)
    expect_redirect(r, path + "?opgeslagen=1", "saving a draft")
    again = Client(env.port)
    check(again.login(email, pw).status == 303, "the candidate cannot log in with the chosen password")
    form = again.get(path)
    check(answer in form.text, "the saved answer is not there when the candidate comes back")
    # a member sees nothing of a draft
    review = "/kandidaten/verklaringen/%s" % path.rsplit("/", 1)[1]
    check(answer not in committee(env).get(review).text, "the committee reads a draft")
    fields = {q: "Geen %s" % mark for q in qs}
    fields[qs[0]] = answer
    r = again.submit(path, path, dict(fields, action="submit"), keep=False)
    expect_status(r, 400, "submitting without signing")
    check("gedragscode" in errors(r), "not signing is not explained: %s %r" % (errors(r), fields))
    sign = re.search(r'name="sign" value="(\d+)"', form.text).group(1)
    r = again.submit(path, path, dict(fields, action="submit", sign=sign), keep=False)
    expect_redirect(r, path + "?ingediend=1", "submitting with the code signed")
    done = again.get(path)
    check("/documenten/gedragscode/versies/%s" % sign in done.text and "ondertekende" in done.text,
          "the submitted declaration does not say which version was signed")
    check(again.post(path, {"csrf": again.csrf_for(path, "/uitloggen"), "action": "save", qs[0]: "later"}).status == 400,
          "a submitted declaration can still be saved")
    # the other member reads it and records the interview and the decision
    olaf_c = committee(env, 1)
    r = olaf_c.get(review)
    expect_status(r, 200, "the second member reads the declaration")
    check(answer in r.text and "versies/%s" % sign in r.text, "the member does not see the answers and the signature")
    today = datetime.date.today().isoformat()
    r = olaf_c.submit(review, review + "/gesprek", {"day": today, "notes": "Gesprek %s" % mark})
    expect_redirect(r, review + "?klaar=1", "recording the interview")
    r = olaf_c.submit(review, review + "/besluit", {"outcome": "declined", "reasons": "Reden %s" % mark, "keep": "yes"})
    expect_redirect(r, review + "?klaar=1", "recording the decision")
    t = olaf_c.get(review).text
    check("niet gekozen" in t and "Gesprek %s" % mark in t and "Reden %s" % mark in t, "the decision is not shown")
    purge = (datetime.date.today() + datetime.timedelta(days=365)).strftime("%d-%m-%Y")
    check(purge in t, "a year's consent does not set the end of the term a year ahead")
    # the candidate never sees the committee's notes
    t = again.get(path).text
    check("Gesprek %s" % mark not in t and "Reden %s" % mark not in t, "the candidate reads the committee's notes")
    # the round lists the candidate as decided
    check("niet gekozen" in committee(env).get("/kandidaten/%d" % rid).text, "the round does not show the decision")
    # a new version of the code: the signed one stays
    r = env.admin.submit("/beheer/documenten/code_of_conduct", "/beheer/documenten/code_of_conduct",
                         {"body_nl": "# Gedragscode %s\n\nNieuw." % mark, "adopted_by": "Partijcongres",
                          "adopted_on": today, "unit": "0"})
    expect_redirect(r, "/beheer/documenten/code_of_conduct?klaar=1", "adopting a new code of conduct")
    t = again.get(path).text
    check("/documenten/gedragscode/versies/%s" % sign in t and "nieuwere versie" in t,
          "after a new version, the declaration does not keep the one signed")
    check("Gedragscode %s" % mark not in Client(env.port).get("/documenten/gedragscode/versies/%s" % sign).text,
          "the signed version's text changed")
    # nothing written is in the database in the clear
    for s in (answer, "Gesprek %s" % mark, "Reden %s" % mark, "Geen %s" % mark):
        check(not db_files_contain(env, s), "%r is in the database files" % s)


@test("declaration_refused_to_others")
def _(env):
    mark = env.unique("zzander")
    rid = open_round(env, "Ronde " + mark)
    email = "kandidaat-%s@example.org" % mark
    cand = accept(env, invite(env, rid, "Lot " + mark, email), "Kandidaat-" + os.urandom(6).hex())
    path = declaration_path(cand)
    did = int(path.rsplit("/", 1)[1])
    review = "/kandidaten/verklaringen/%d" % did
    # another round's committee: a member of the committee of another unit
    uid, oemail, _, act = env.create_account("candidate_committee", units=[env.unit_id("Provincie Utrecht")])
    other, _ = env.activate(oemail, act)
    for p in ("/kandidaten/%d" % rid, review):
        expect_status(other.get(p), 404, "another committee's member GET %s" % p)
    tok = other.csrf_for("/kandidaten", "/uitloggen")
    for p, f in (("/kandidaten/%d/uitnodigen" % rid, {"name": "X", "email": "x-%s@example.org" % mark}),
                 (review + "/gesprek", {"day": datetime.date.today().isoformat(), "notes": mark}),
                 (review + "/besluit", {"outcome": "withdrawn"})):
        expect_status(other.post(p, dict(f, csrf=tok)), 404, "another committee's member POST %s" % p)
    check(mark not in other.get("/kandidaten").text, "another committee's member lists the round")
    # ... and inviting the same address to their own round gives them no link
    # to this candidate's account, and no name they did not type
    form = other.get("/kandidaten/nieuw")
    unit = re.search(r'<option value="(\d+)"[^>]*>[^<]*Provincie Utrecht</option>', form.text).group(1)
    r = other.submit("/kandidaten/nieuw", "/kandidaten/nieuw", {"title": "Elders " + mark, "kind": "appointment",
                                                               "unit": unit})
    check(r.status == 303, "another committee opening a round: %d %s" % (r.status, errors(r)))
    theirs = r.location.split("?")[0]
    r = other.submit(theirs, theirs + "/uitnodigen", {"name": "Getypt " + mark, "email": email})
    expect_redirect(r, theirs + "?bekend=1", "another committee inviting the same address")
    t = other.get(theirs).text
    check("/kandidaat/" not in t and "Getypt " + mark in t and "Lot " + mark not in t,
          "another committee gets a link to, or the name of, a candidate another round invited")
    # counsellors, the administrator and the other roles: refused by role
    for role in ("counsellor", "committee", "integrity", "reader", "admin", "candidate"):
        c = env.session(role)
        for p in ("/kandidaten", "/kandidaten/%d" % rid, review):
            check_403(env, c.get(p), "GET %s as %s" % (p, role))
    # another candidate: not their declaration
    roos = env.session("candidate")
    expect_status(roos.get(path), 404, "another candidate GET %s" % path)
    r = roos.post(path, {"csrf": roos.csrf_for("/verklaring", "/uitloggen"), "action": "save", "q1": mark})
    expect_status(r, 404, "another candidate POST %s" % path)
    check(mark not in roos.get("/verklaring").text, "another candidate lists the declaration")
    # the candidate is not a member
    for p in ("/kandidaten/%d" % rid, review):
        check_403(env, cand.get(p), "the candidate GET %s" % p)
    # and the administrator neither lists, reads nor resets a candidate's account
    check(email not in env.admin.get("/beheer/accounts").text, "the administrator's list names a candidate")
    cid = db_rows(env, "SELECT id FROM users WHERE email = ?", (email,))[0][0]
    adm = env.admin
    expect_status(adm.get("/beheer/accounts/%d" % cid), 404, "the administrator reading a candidate's account")
    tok = adm.csrf_for("/beheer/accounts", "/uitloggen")
    expect_status(adm.post("/beheer/accounts/%d/wachtwoord" % cid, {"csrf": tok}), 404,
                  "the administrator resetting a candidate's password")
    check(state(env, did) == ("invited", ""), "a refused request changed the declaration: %r" % (state(env, did),))


@test("declaration_bad_input")
def _(env):
    mark = env.unique("zzfout")
    c = committee(env)
    # the new round's form: each bad field named, nothing opened
    before = db_rows(env, "SELECT count(*) FROM rounds")[0][0]
    form = c.get("/kandidaten/nieuw")
    unit = re.search(r'<option value="(\d+)">Landelijk</option>', form.text).group(1)
    today = datetime.date.today()
    good = {"title": "Ronde " + mark, "kind": "election", "unit": unit, "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(), "questions": "Vraag een"}
    for what, change, field in [
            ("no title", {"title": ""}, "title"),
            ("an unknown kind", {"kind": "loting"}, "kind"),
            ("no unit", {"unit": ""}, "unit"),
            ("a unit not served", {"unit": str(env.unit_id("Provincie Utrecht") + 100000)}, "unit"),
            ("no start", {"opens_on": "gisteren"}, "opens_on"),
            ("an end before the start", {"closes_on": (today - datetime.timedelta(days=1)).isoformat()}, "closes_on"),
            ("no questions", {"questions": "\n\n"}, "questions"),
            ("too many questions", {"questions": "\n".join("Vraag %d" % i for i in range(31))}, "questions"),
            ("a member who is none", {"members": "abc"}, "members"),
            ("a counsellor as member", {"members": str(env.user_id(env.email("counsellor")))}, "members")]:
        r = c.submit("/kandidaten/nieuw", "/kandidaten/nieuw", dict(good, **change), keep=False)
        expect_status(r, 400, "a round with %s" % what)
        check('href="#%s"' % field in r.text, "a round with %s: the error does not point at %s" % (what, field))
    check(db_rows(env, "SELECT count(*) FROM rounds")[0][0] == before, "a refused round was stored")
    # the invitation form
    rid = open_round(env, "Ronde " + mark)
    path = "/kandidaten/%d" % rid
    for what, f, field in [("no name", {"name": "", "email": "a-%s@example.org" % mark}, "name"),
                           ("a bad address", {"name": "A", "email": "geen adres"}, "email"),
                           ("a staff address", {"name": "A", "email": env.email("counsellor")}, "email")]:
        r = c.submit(path, path + "/uitnodigen", f)
        expect_status(r, 400, "an invitation with %s" % what)
        check('href="#%s"' % field in r.text, "an invitation with %s: the error does not point at %s" % (what, field))
    email = "kandidaat-%s@example.org" % mark
    link = invite(env, rid, "Mo " + mark, email)
    r = c.submit(path, path + "/uitnodigen", {"name": "Mo", "email": email})
    expect_status(r, 400, "inviting the same candidate twice")
    r = c.submit(path, path + "/lid", {"member": "999999"})
    expect_status(r, 400, "adding a member who is none")
    check(len(db_rows(env, "SELECT id FROM declarations WHERE round_id = ?", (rid,))) == 1,
          "a refused invitation stored a declaration")
    # a bad link
    for bad in ("0" * 64, "ab" * 31, "zz" * 32):
        expect_status(Client(env.port).get("/kandidaat/" + bad), 404, "GET an unknown link %s" % bad[:8])
    # the candidate's form
    cand = accept(env, link, "Kandidaat-" + os.urandom(6).hex())
    dpath = declaration_path(cand)
    tok = cand.csrf_for(dpath, dpath)
    for what, f in [("no button", {"q1": "x"}), ("an unknown button", {"action": "wis"}),
                    ("a question of another round", {"action": "save", "q999999": "x"}),
                    ("a field that names no question", {"action": "save", "qx": "x"}),
                    ("an answer too long", {"action": "save", answer_fields(cand.get(dpath), dpath)[0]: "a" * 5001}),
                    ("a signature that is no number", {"action": "submit", "sign": "ja"})]:
        r = cand.post(dpath, dict(f, csrf=tok))
        expect_status(r, 400, "saving with %s" % what)
        check(r.page.classed("errors"), "saving with %s: no error shown" % what)
    check(state(env, int(dpath.rsplit("/", 1)[1])) == ("invited", ""), "a refused save changed the declaration")
    # the interview and decision of a declaration not submitted
    review = "/kandidaten/verklaringen/%s" % dpath.rsplit("/", 1)[1]
    tok = c.csrf_for(review, review + "/besluit")
    for what, p, f in [("an interview before submitting", "/gesprek", {"day": today.isoformat(), "notes": "x"}),
                       ("a bad interview day", "/gesprek", {"day": "morgen", "notes": "x"}),
                       ("a decision before submitting", "/besluit", {"outcome": "accepted"}),
                       ("an unknown decision", "/besluit", {"outcome": "misschien"}),
                       ("consent that is no yes", "/besluit", {"outcome": "withdrawn", "keep": "nee"})]:
        r = c.post(review + p, dict(f, csrf=tok))
        expect_status(r, 400, "%s" % what)
        check(r.page.classed("errors"), "%s: no error shown" % what)
    check(state(env, int(dpath.rsplit("/", 1)[1])) == ("invited", ""), "a refused step changed the declaration")


@test("declaration_forgotten_password")
def _(env):
    """A candidate who forgets their password before submitting gets a new
    link from a member: a new password, the draft starts again, the old
    password and sessions no longer work."""
    mark = env.unique("zzvergeten")
    rid = open_round(env, "Ronde " + mark)
    email = "kandidaat-%s@example.org" % mark
    old_pw = "Kandidaat-" + os.urandom(6).hex()
    cand = accept(env, invite(env, rid, "Rik " + mark, email), old_pw)
    path = declaration_path(cand)
    qs = answer_fields(cand.get(path), path)
    r = cand.submit(path, path, {qs[0]: "Concept " + mark, "action": "save"}, keep=False)
    expect_redirect(r, path + "?opgeslagen=1", "saving a draft")
    c = committee(env)
    round_path = "/kandidaten/%d" % rid
    did = path.rsplit("/", 1)[1]
    page = c.get(round_path)
    tok = page.page.csrf(round_path + "/nieuwe-link")
    check(tok, "the round offers no new link for a candidate with a draft")
    r = c.post(round_path + "/nieuwe-link", {"csrf": tok, "declaration": did})
    expect_status(r, 200, "a new link for a forgotten password")
    link = re.search(r"(/kandidaat/[0-9a-f]{64})$", secret_text(r.page) or "").group(1)
    SEEN_SECRETS.add(link[len("/kandidaat/"):])
    new_pw = "Kandidaat-" + os.urandom(6).hex()
    again = accept(env, link, new_pw)
    check("Concept " + mark not in again.get(path).text, "the draft made under the old password is still there")
    gone = cand.get(path)
    check(gone.status == 303 and (gone.location or "").startswith("/login"),
          "the old session still works after a new password: %d" % gone.status)
    check(Client(env.port).login(email, old_pw).status != 303, "the old password still logs in")
    # submitted: no new link any more
    fields = {q: "Nee" for q in qs}
    sign = re.search(r'name="sign" value="(\d+)"', again.get(path).text).group(1)
    r = again.submit(path, path, dict(fields, action="submit", sign=sign), keep=False)
    expect_redirect(r, path + "?ingediend=1", "submitting after a new password")
    r = c.post(round_path + "/nieuwe-link", {"csrf": c.csrf_for(round_path, "/uitloggen"), "declaration": did})
    expect_status(r, 400, "a new link after the submission")
