"""The counsellor's own log (/logboek): advice to managers or the board,
training and peer supervision. Each kind is added through its form, listed
newest first and counted in this year's totals; bad input gets 400 with the
Dutch message next to the field, what was typed kept and nothing stored; a
counsellor deletes only their own entries (someone else's id: 404); the
subject is never in the database in the clear. Other roles are refused by the
access matrix (test_access.py)."""

import datetime
import html
import os
import re

from harness import check, expect_redirect, expect_status, test
import db as database

# Dutch texts from po/nl.po.
ERRORS = {
    "date": "Vul een datum in die echt bestaat.",
    "unit": "Kies over welk deel van de organisatie het advies ging.",
    "asked": "Kies of er om het advies was gevraagd.",
    "audience": "Kies aan wie je het advies gaf",
    "subject": "Schrijf op waar het advies over ging.",
    "topic": "Het onderwerp mag hoogstens 200 tekens lang zijn",
    "duration": "Vul in hoe lang het duurde, in hele uren en minuten.",
}
KINDS = {"advice": "Advies", "training": "Training", "supervision": "Intervisie"}

ROW_RE = re.compile(r'<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td><td><form method="post" '
                    r'action="/logboek/(\d+)/verwijderen"', re.S)
TOTAL_RE = re.compile(r'<tr><th scope="row">([^<]*)</th><td class="num">([^<]*)</td></tr>')


# ---- helpers (test_access.py uses them too) ---------------------------------------

def log_form(page, kind):
    """The form on /logboek that adds an entry of kind."""
    for f in page.forms:
        if f["action"] == "/logboek" and ("kind", kind) in [(n, v) for n, v, _ in f["fields"]]:
            return f
    return None


def add_entry(c, kind, **fields):
    """Fills in the form of kind on /logboek (its own values, such as today's
    date and the csrf token, unless given; None leaves a field out) and posts it."""
    r = c.get("/logboek")
    expect_status(r, 200, "GET /logboek")
    f = log_form(r.page, kind)
    check(f is not None, "no form for %s on /logboek" % kind)
    pairs = [(n, v) for n, v, _ in f["fields"] if n not in fields]
    pairs += [(k, v) for k, v in fields.items() if v is not None]
    return c.post("/logboek", pairs)


def entries(r):
    """[{"id", "date", "kind", "details", "subject"}] of a /logboek page, in order."""
    return [{"id": int(i), "date": d, "kind": html.unescape(k), "details": html.unescape(det),
             "subject": html.unescape(re.sub(r"<[^>]*>", "", subj))}
            for d, k, det, subj, i in ROW_RE.findall(r.text)]


def totals(r):
    """[(label, value)] of the totals table, in order: asked, unasked, to a
    manager, to the board, hours of training, supervision sessions."""
    m = re.search(r'<table class="totals">(.*?)</table>', r.text, re.S)
    check(m, "no totals table on /logboek")
    return [(html.unescape(a), b) for a, b in TOTAL_RE.findall(m.group(1))]


def total_values(c):
    r = c.get("/logboek")
    expect_status(r, 200, "GET /logboek")
    return [v for _, v in totals(r)]


def add_ok(c, kind, what, **fields):
    """Adds an entry that must be accepted; returns its id."""
    before = {e["id"] for e in entries(c.get("/logboek"))}
    r = add_entry(c, kind, **fields)
    check(r.status == 303, "%s: status %d, want 303 (errors: %s)" % (
        what, r.status, " | ".join(e for e in r.page.classed("error") if e)[:300]))
    expect_redirect(r, "/logboek?klaar=1", what)
    new = {e["id"] for e in entries(c.get("/logboek"))} - before
    check(len(new) == 1, "%s: %d new entries on the first page, want 1" % (what, len(new)))
    return new.pop()


def log_counsellor(env):
    """A counsellor of Landelijk of these tests' own (so their log and totals
    hold only what the tests put in): (client, user id)."""
    c = getattr(env, "_log_counsellor", None)
    if c is None:
        uid, email, _, pw = env.create_account("counsellor", units=[env.unit_id("Landelijk")])
        client, _ = env.activate(email, pw)
        c = env._log_counsellor = (client, uid)
    return c


def invalid_ids(page):
    return {a.get("id") for _, a in page.tags if a.get("aria-invalid") == "true"}


def db_bytes(env):
    parts = []
    for p in database.files(env.datadir):
        if os.path.exists(p):
            with open(p, "rb") as f:
                parts.append(f.read())
    return b"".join(parts)


def form_date(c):
    """Today, as the server sees it: the date forms' default."""
    r = c.get("/logboek")
    d = dict((n, v) for n, v, _ in log_form(r.page, "advice")["fields"]).get("date", "")
    check(re.fullmatch(r"\d{4}-\d\d-\d\d", d), "the date field's default is %r" % d)
    return d


# ---- the page ------------------------------------------------------------------------

@test("log_linked_from_start")
def _(env):
    c, _ = log_counsellor(env)
    r = c.get("/start")
    check("/logboek" in r.page.links, "a counsellor's start page has no link to /logboek")
    check("/logboek" not in env.admin.get("/start").page.links, "the administrator's start page links to /logboek")


@test("log_page_renders")
def _(env):
    c, _ = log_counsellor(env)
    r = c.get("/logboek")
    expect_status(r, 200, "GET /logboek")
    check(r.header("Cache-Control") == "no-store", "/logboek may be cached: %r" % r.header("Cache-Control"))
    check("<script" not in r.text.lower(), "/logboek uses a script")
    check("Mijn logboek" in r.page.title, "the title is %r" % r.page.title)
    want = {"advice": {"csrf", "kind", "date", "unit", "asked", "audience", "subject"},
            "training": {"csrf", "kind", "date", "hours", "minutes", "subject"},
            "supervision": {"csrf", "kind", "date", "hours", "minutes"},
            "question": {"csrf", "kind", "date", "unit", "reporter_type", "hours", "minutes", "subject"}}
    for kind, names in want.items():
        f = log_form(r.page, kind)
        check(f is not None and f["method"] == "post", "no POST form for %s" % kind)
        got = {n for n, _, _ in f["fields"]} | {n for n, _, _ in f.get("unchecked", [])}
        check(got == names, "the %s form has fields %s, want %s" % (kind, sorted(got), sorted(names)))
    # every input has a label; ids are unique over the three forms
    ids = [a["id"] for t, a in r.page.tags if t in ("input", "select") and a.get("type") != "hidden" and "id" in a]
    check(len(ids) == len(set(ids)), "ids on /logboek are not unique: %s" % ids)
    labels = {a.get("for") for t, a in r.page.tags if t == "label"}
    missing = [i for i in ids if i not in labels]
    check(not missing, "inputs without a label: %s" % missing)
    check(all(a.get("type") != "date" or a.get("max") for t, a in r.page.tags if t == "input"),
          "a date field without a max (today)")
    vals = [v for _, v in totals(r)]
    check(len(vals) == 7, "the totals table has %d rows" % len(vals))
    check("Je hebt nog niets vastgelegd." in r.text or entries(r), "an empty log says nothing")
    en = env.client()
    en.cookies = dict(c.cookies, vd_lang="en")
    r = en.get("/logboek")
    expect_status(r, 200, "GET /logboek in English")
    check("My log" in r.page.title and "Record advice" in r.text, "the English page is not in English")


@test("log_add_each_kind_listed_and_counted")
def _(env):
    c, _ = log_counsellor(env)
    before = total_values(c)
    today = form_date(c)
    shown = "%s-%s-%s" % (today[8:], today[5:7], today[:4])
    mark_a, mark_t = env.unique("zzadvies "), env.unique("zztraining ")
    env.markers.update((mark_a, mark_t))
    landelijk = env.unit_id("Landelijk")
    a = add_ok(c, "advice", "adding advice", unit=str(landelijk), asked="no", audience="board", subject=mark_a)
    t = add_ok(c, "training", "adding a training", hours="1", minutes="30", subject=mark_t)
    s = add_ok(c, "supervision", "adding peer supervision", hours="", minutes="45")
    r = c.get("/logboek?klaar=1")
    check("Dit staat nu in je logboek." in r.text, "no confirmation after saving")
    rows = {e["id"]: e for e in entries(r)}
    check(rows[a]["kind"] == "Advies" and rows[a]["date"] == shown, "the advice reads %r" % rows[a])
    check(rows[a]["details"] == "Ongevraagd, aan het bestuur, Landelijk", "the advice's details: %r" % rows[a]["details"])
    check(rows[a]["subject"] == mark_a, "the advice's subject: %r" % rows[a]["subject"])
    check(rows[t]["kind"] == "Training" and rows[t]["details"] == "1 uur 30 min" and rows[t]["subject"] == mark_t,
          "the training reads %r" % rows[t])
    check(rows[s]["kind"] == "Intervisie" and rows[s]["details"] == "45 min" and rows[s]["subject"] == "",
          "the supervision reads %r" % rows[s])
    # newest first: the three of today on top, the last added first
    order = [e["id"] for e in entries(r)]
    check(order[:3] == [s, t, a], "the list starts %r, want %r" % (order[:3], [s, t, a]))
    after = total_values(c)

    def num(v):
        return float(v.replace(",", "."))
    delta = [num(x) - num(y) for x, y in zip(after, before)]
    check(delta == [0, 1, 0, 1, 1.5, 1, 0], "the totals moved by %r, want [0, 1, 0, 1, 1.5, 1, 0]" % delta)
    check(re.fullmatch(r"\d+,\d", after[4]), "training hours are shown as %r, not with a decimal comma" % after[4])
    year = today[:4]
    check(("Jouw totalen in %s" % year) in r.text, "the totals do not say the year %s" % year)
    # a typed subject is sealed: not in the database file or its WAL
    data = db_bytes(env)
    for m in (mark_a, mark_t):
        check(m.encode() not in data, "the subject %r is in the database in the clear" % m)
    # the administrator's audit log has the additions, without the subject
    r = env.admin.get("/beheer/audit")
    check("Logboekregel %d" % a in r.text and "Regel in eigen logboek gezet" in r.text,
          "the audit log does not show the addition of log entry %d" % a)
    check(mark_a not in r.text, "the audit log shows the subject")


# ---- bad input --------------------------------------------------------------------------

def bad_inputs(today, tomorrow, unit):
    """(what, kind, fields, {field id: error key})"""
    good_a = {"unit": str(unit), "asked": "yes", "audience": "manager", "subject": "Getypt onderwerp"}
    return [
        ("a date that does not exist", "advice", dict(good_a, date="2026-02-30"), {"advice-date": "date"}),
        ("a date in the future", "advice", dict(good_a, date=tomorrow), {"advice-date": "date"}),
        ("a date before 2000", "advice", dict(good_a, date="1999-12-31"), {"advice-date": "date"}),
        ("a date as 14-03-2026", "advice", dict(good_a, date="14-03-2026"), {"advice-date": "date"}),
        ("no date", "advice", dict(good_a, date=""), {"advice-date": "date"}),
        ("no unit", "advice", dict(good_a, unit=""), {"advice-unit": "unit"}),
        ("a unit that does not exist", "advice", dict(good_a, unit="999999"), {"advice-unit": "unit"}),
        ("unit abc", "advice", dict(good_a, unit="abc"), {"advice-unit": "unit"}),
        ("not said whether asked", "advice", dict(good_a, asked=None), {"advice-asked": "asked"}),
        ("asked maybe", "advice", dict(good_a, asked="maybe"), {"advice-asked": "asked"}),
        ("no audience", "advice", dict(good_a, audience=None), {"advice-audience": "audience"}),
        ("an unknown audience", "advice", dict(good_a, audience="ceo"), {"advice-audience": "audience"}),
        ("no subject", "advice", dict(good_a, subject=""), {"advice-subject": "subject"}),
        ("a subject of spaces", "advice", dict(good_a, subject="    "), {"advice-subject": "subject"}),
        ("a subject over 200 characters", "advice", dict(good_a, subject="s" * 201), {"advice-subject": "subject"}),
        ("everything wrong at once", "advice", {"date": "2023-02-29", "unit": "", "subject": ""},
         {"advice-date": "date", "advice-unit": "unit", "advice-asked": "asked", "advice-audience": "audience",
          "advice-subject": "subject"}),
        ("a training of 0 minutes", "training", {"hours": "0", "minutes": "0"}, {"training-duration": "duration"}),
        ("a training without a duration", "training", {"hours": "", "minutes": ""},
         {"training-duration": "duration"}),
        ("a training of 25 hours", "training", {"hours": "25", "minutes": ""}, {"training-duration": "duration"}),
        ("a training of 24 hours and 1 minute", "training", {"hours": "24", "minutes": "1"},
         {"training-duration": "duration"}),
        ("a training of 60 minutes typed as minutes", "training", {"hours": "", "minutes": "60"},
         {"training-duration": "duration"}),
        ("a training of 1,5 hours", "training", {"hours": "1,5", "minutes": ""}, {"training-duration": "duration"}),
        ("a training of -1 hours", "training", {"hours": "-1", "minutes": "90"}, {"training-duration": "duration"}),
        ("a training topic over 200 characters", "training", {"hours": "1", "subject": "t" * 201},
         {"training-subject": "topic"}),
        ("a training in the future", "training", {"hours": "1", "date": tomorrow}, {"training-date": "date"}),
        ("supervision of 0 minutes", "supervision", {"hours": "0", "minutes": "0"},
         {"supervision-duration": "duration"}),
        ("supervision of abc hours", "supervision", {"hours": "abc", "minutes": "10"},
         {"supervision-duration": "duration"}),
    ]


def inputs_of(field_id):
    """The ids of the inputs that make up a field of the forms."""
    kind, _, field = field_id.partition("-")
    if field == "duration":
        return {kind + "-hours", kind + "-minutes"}
    if field == "asked":
        return {"advice-asked-yes", "advice-asked-no"}
    if field == "audience":
        return {"advice-audience-manager", "advice-audience-board"}
    return {field_id}


def error_next_to(r, field_id):
    """The text of the error paragraph of field_id ("<id>-error")."""
    m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(field_id), r.text)
    return html.unescape(m.group(1)) if m else None


@test("log_bad_input_400")
def _(env):
    c, _ = log_counsellor(env)
    today = form_date(c)
    tomorrow = (datetime.date.fromisoformat(today) + datetime.timedelta(days=1)).isoformat()
    n = env.db_count("counsellor_log")
    first = [e["id"] for e in entries(c.get("/logboek"))]
    problems = []
    for what, kind, fields, want in bad_inputs(today, tomorrow, env.unit_id("Landelijk")):
        r = add_entry(c, kind, **fields)
        try:
            expect_status(r, 400, what)
            check(r.header("Cache-Control") == "no-store", "%s: may be cached" % what)
            for field_id, key in want.items():
                got = error_next_to(r, field_id)
                check(got and got.startswith(ERRORS[key]), "%s: next to #%s it says %r, want %r" % (
                    what, field_id, got, ERRORS[key]))
            summary = re.search(r'<div class="errors"(.*?)</div>', r.text, re.S)
            links = set(re.findall(r'href="#([^"]+)"', summary.group(1))) if summary else set()
            check(links == set(want), "%s: the summary links to %s, want %s" % (what, sorted(links), sorted(want)))
            page_ids = {a.get("id") for _, a in r.page.tags if a.get("id")}
            check(links <= page_ids, "%s: the summary links to ids not on the page" % what)
            # aria-invalid on the marked fields' inputs, and on nothing else
            marked = invalid_ids(r.page)
            check(marked == set().union(*(inputs_of(w) for w in want)),
                  "%s: aria-invalid on %s" % (what, sorted(marked)))
            errors = [e for e in r.page.classed("error") if e]
            check(len(errors) == len(want), "%s: %d error messages, want %d" % (what, len(errors), len(want)))
            # what was typed is kept, in its own form only
            f = log_form(r.page, kind)
            kept = {n: v for n, v, _ in f["fields"]}
            for k in ("date", "subject", "hours", "minutes", "unit"):
                if k in fields and fields[k] is not None and k in kept:
                    check(kept[k] == fields[k].strip() or (k == "unit" and kept[k] == ""),
                          "%s: %s is %r after the error, was typed %r" % (what, k, kept[k], fields[k]))
            for k in ("asked", "audience"):
                if kind == "advice" and fields.get(k) in ("yes", "no", "manager", "board"):
                    check(kept.get(k) == fields[k], "%s: the %s choice is not kept" % (what, k))
            other = [o for o in ("advice", "training", "supervision") if o != kind]
            for o in other:
                of = {n: v for n, v, _ in log_form(r.page, o)["fields"]}
                check(of.get("date") == today and not of.get("subject") and not of.get("hours"),
                      "%s: the %s form was filled in too: %r" % (what, o, of))
            check(env.db_count("counsellor_log") == n, "%s: an entry was stored" % what)
        except AssertionError as e:
            problems.append(str(e))
    check(not problems, "%d of %d bad entries: %s" % (len(problems), len(bad_inputs(today, tomorrow, 1)),
                                                       " | ".join(problems)))
    check([e["id"] for e in entries(c.get("/logboek"))] == first, "a refused entry reached the list")
    # a form that is not one of ours: 400, nothing stored
    tok = c.csrf_for("/logboek", "/logboek")
    for kind in ("", "complaint", "ADVICE"):
        r = c.post("/logboek", {"csrf": tok, "kind": kind, "date": today, "hours": "1"})
        expect_status(r, 400, "POST /logboek with kind %r" % kind)
    check(env.db_count("counsellor_log") == n, "an entry of an unknown kind was stored")


# ---- deleting ------------------------------------------------------------------------

def delete_token(c, entry_id):
    r = c.get("/logboek")
    tok = r.page.csrf("/logboek/%d/verwijderen" % entry_id)
    return tok or r.page.csrf("/logboek")


@test("log_delete_own_only")
def _(env):
    c, _ = log_counsellor(env)
    mark = env.unique("zzweg ")
    env.markers.add(mark)
    own = add_ok(c, "training", "adding a training to delete", hours="2", subject=mark)
    # someone else's entry: 404, and it stays
    other = env.session_as(env.email("counsellor", 1))
    theirs = add_ok(other, "supervision", "another counsellor's entry", hours="1")
    n = env.db_count("counsellor_log")
    r = c.post("/logboek/%d/verwijderen" % theirs, {"csrf": delete_token(c, own)})
    expect_status(r, 404, "deleting another counsellor's entry")
    missing = c.post("/logboek/%d/verwijderen" % (theirs + 1000000), {"csrf": delete_token(c, own)})
    expect_status(missing, 404, "deleting an entry that does not exist")
    check(theirs in [e["id"] for e in entries(other.get("/logboek"))], "the other counsellor's entry is gone")
    check(env.db_count("counsellor_log") == n, "a refused delete removed a row")
    # without a valid token: 403, nothing deleted
    r = c.post("/logboek/%d/verwijderen" % own, {"csrf": "x" * 43})
    expect_status(r, 403, "deleting without a valid csrf token")
    check(own in [e["id"] for e in entries(c.get("/logboek"))], "a delete without a token removed the entry")
    # one's own: gone, once
    r = c.post("/logboek/%d/verwijderen" % own, {"csrf": delete_token(c, own)})
    expect_redirect(r, "/logboek?verwijderd=1", "deleting one's own entry")
    r = c.get("/logboek?verwijderd=1")
    check("De regel is uit je logboek verwijderd." in r.text, "no confirmation after deleting")
    check(own not in [e["id"] for e in entries(r)] and mark not in r.text, "the deleted entry is still listed")
    check(env.db_count("counsellor_log") == n - 1, "the row was not deleted")
    r = c.post("/logboek/%d/verwijderen" % own, {"csrf": delete_token(c, own)})
    expect_status(r, 404, "deleting it again")
    r = env.admin.get("/beheer/audit")
    check("Logboekregel %d" % own in r.text and "Regel uit eigen logboek verwijderd" in r.text,
          "the audit log does not show the deletion of entry %d" % own)


# ---- paging --------------------------------------------------------------------------

@test("log_pages_newest_date_first")
def _(env):
    uid, email, _, pw = env.create_account("counsellor", units=[env.unit_id("Landelijk")])
    c, _ = env.activate(email, pw)
    # 27 entries, written in another order than their dates (a page holds 25)
    dates = ["20%02d-%02d-15" % (10 + (i * 7) % 13, 1 + (i * 5) % 12) for i in range(27)]
    check(len(set(dates)) == 27, "internal: dates repeat")
    for d in dates:
        r = add_entry(c, "supervision", date=d, hours="1", minutes="")
        expect_redirect(r, "/logboek?klaar=1", "adding supervision on %s" % d)
    r = c.get("/logboek")
    first = entries(r)
    check(len(first) == 25, "the first page has %d entries" % len(first))
    links = [html.unescape(l) for l in r.page.links if l.startswith("/logboek?na=")]
    check(len(links) == 1, "the first page's next links: %r" % links)
    r2 = c.get(links[0])
    expect_status(r2, 200, "GET %s" % links[0])
    second = entries(r2)
    check(len(second) == 2, "the second page has %d entries" % len(second))
    check("/logboek" in r2.page.links and not [l for l in r2.page.links if "na=" in l],
          "the last page's links: %r" % r2.page.links)
    want = ["%s-%s-%s" % (d[8:], d[5:7], d[:4]) for d in sorted(dates, reverse=True)]
    check([e["date"] for e in first + second] == want, "the entries are not newest date first")
    for bad in ("abc", "2024-02-30.5", "2024-01-01", "2024-01-01.0", "2024-01-01.-1", "2024-01-01.x",
                "2024-1-01.5", "", "2024-01-01.99999999999999999999"):
        expect_status(c.get("/logboek?na=" + bad), 400, "GET /logboek?na=%s" % bad)


@test("log_short_question_without_a_case")
def _(env):
    """A short question answered without a case: its unit and who asked are
    required, its length and topic not; refused ones store nothing."""
    c, _ = log_counsellor(env)
    before = total_values(c)
    n = env.db_count("counsellor_log")
    landelijk = str(env.unit_id("Landelijk"))
    for fields, field, message in (
            ({"unit": "", "reporter_type": "member"}, "question-unit",
             "Kies over welk deel van de organisatie de vraag ging."),
            ({"unit": landelijk, "reporter_type": "dragon"}, "question-reporter_type", "Kies wie de vraag stelde."),
            ({"unit": "999999", "reporter_type": "member"}, "question-unit",
             "Kies over welk deel van de organisatie de vraag ging."),
            ({"unit": landelijk, "reporter_type": "member", "hours": "x"}, "question-hours",
             "Vul hele uren en minuten in, samen hoogstens 24 uur. Of laat beide leeg."),
            ({"unit": landelijk, "reporter_type": "member", "subject": "a\nb"}, "question-subject",
             "Het onderwerp mag hoogstens 200 tekens lang zijn, op één regel."),
            ({"unit": landelijk, "reporter_type": "member", "date": "2999-01-01"}, "question-date", None)):
        r = add_entry(c, "question", **fields)
        expect_status(r, 400, "a refused question %r" % fields)
        check(field in invalid_ids(r.page), "%r: %s is not marked invalid (%s)" % (fields, field, invalid_ids(r.page)))
        if message:
            check(message in html.unescape(r.text), "%r: the page does not say %r" % (fields, message))
    check(env.db_count("counsellor_log") == n, "a refused question was stored")
    mark = env.unique("zzvraag ")
    env.markers.add(mark)
    q = add_ok(c, "question", "a short question", unit=landelijk, reporter_type="volunteer", hours="",
               minutes="20", subject=mark)
    rows = {e["id"]: e for e in entries(c.get("/logboek"))}
    check(rows[q]["kind"] == "Korte vraag" and rows[q]["details"] == "Vrijwilliger, Landelijk, 20 min",
          "the question reads %r" % rows[q])
    q2 = add_ok(c, "question", "a question without its length", unit=landelijk, reporter_type="member")
    check(q2 != q, "the second question is the first")
    delta = [float(x.replace(",", ".")) - float(y.replace(",", ".")) for x, y in zip(total_values(c), before)]
    check(delta == [0, 0, 0, 0, 0, 0, 2], "the totals moved by %r, want two questions" % delta)
