"""Case work (/dossiers/:id/werk and the forms that post from it, the
exception record /dossiers/:id/uitzondering, the dashboard /overzicht):
phase moves by the transition table and only those, what each phase asks
for, route and outcome, conversations and the reporter's consent they need,
appointments (shared ones reach the reporter's mailbox), consent records,
forwarding to the complaints committee, hand-over (the case key re-sealed:
the old counsellor is out, the new one reads, the reporter is told), a
declared conflict of interest, the write-once exception record, and the
dashboard's lists. Every refused form: 400, the page again with the reason
next to the field, what was typed kept, nothing stored. Nothing that was
written is stored readable.

Every test works on cases of its own, made through /melden for counsellors
of these tests (made through the admin pages), never on the demo
counsellors' cases."""

import datetime
import html
import os
import re

from harness import (case_ids, check, expect_redirect, expect_status, form_pairs, new_case_id, receipt_of,
                     report_fields, submit_report, test)
from test_files import scan_datadir
from test_messages import conversation, mailbox
from test_report import fresh_login, invalid_ids, summary_links
import db as database

PHASES = ["new", "intake", "consultation", "evaluation", "aftercare", "closed"]
# src/core/workflow.c: every allowed move, and only those.
MOVES = {("new", "intake"), ("new", "closed"), ("intake", "consultation"), ("intake", "closed"),
         ("consultation", "evaluation"), ("consultation", "closed"), ("evaluation", "aftercare"),
         ("evaluation", "consultation"), ("evaluation", "closed"), ("aftercare", "closed"),
         ("closed", "consultation")}

# Dutch texts (po/nl.po).
PHASE_NL = {"new": "Nieuw", "intake": "Intake", "consultation": "Overleg", "evaluation": "Evaluatie",
            "aftercare": "Nazorg", "closed": "Afgesloten"}
WAY_NL = {"phone": "Telefoon", "video": "Video", "in_person": "Persoonlijk"}
PARTY_NL = {"reporter": "De melder", "other_party": "De ander (met toestemming)",
            "manager": "Een leidinggevende (met toestemming)", "mediator": "Een bemiddelaar (met toestemming)"}
STEP_NL = {"contact_other_party": "Contact met de ander", "inform_manager": "Een leidinggevende inlichten",
           "mediation": "Bemiddeling", "forward_committee": "Doorsturen naar de klachtencommissie"}
HOW_NL = {"in_person": "In een gesprek", "phone": "Telefonisch", "video": "In een videogesprek",
          "email": "Per e-mail", "letter": "Per brief", "mailbox": "Via Mijn melding"}
GIVEN_NL = {"yes": "Toestemming gegeven", "no": "Toestemming geweigerd"}
CONDITIONS = ["consent_sought", "no_other_way", "serious_harm", "harm_prevented", "person_told", "referred"]
CONDITION_NL = {"consent_sought": "Toestemming gevraagd", "no_other_way": "Geen andere weg",
                "serious_harm": "Zwijgen geeft ernstige schade", "harm_prevented": "Doorbreken voorkomt die schade",
                "person_told": "De melder vooraf ingelicht",
                "referred": "Waar mogelijk doorverwezen naar een andere vertrouwenspersoon"}
MET_NL = {"yes": "Ja, aan deze voorwaarde is voldaan", "no": "Nee, hieraan is niet voldaan"}
ERR = {
    "phase": "Deze stap kan nu niet: de melding is intussen in een andere fase. Kijk opnieuw.",
    "inventory": "De inventarisatie mag hoogstens 4.000 tekens zijn.",
    "agreement": "Vul een bestaande datum in (vandaag of eerder), of laat het leeg.",
    "follow_up": "Kies een van de drie antwoorden.",
    "aftercare_due": "Vul een bestaande datum in, of laat het leeg.",
    "route": "Kies een route uit de lijst.",
    "outcome": "Kies een uitkomst uit de lijst.",
    "referrals": "Kies alleen uit de lijst.",
    "c-date": "Vul de datum van het gesprek in (vandaag of eerder).",
    "c-way": "Kies hoe het gesprek ging.",
    "c-with": "Kies met wie je sprak.",
    "c-minutes": "Vul de duur in minuten in (1 tot 720).",
    "c-notes": "De aantekeningen mogen hoogstens 20.000 tekens zijn.",
    "consent": "Voor dit gesprek is eerst toestemming van de melder nodig. Leg die vast onder Toestemming.",
    "a-date": "Vul een bestaande datum in.",
    "a-time": "Vul een tijd in, bijvoorbeeld 14:30.",
    "a-place": "Vul de plaats in (hoogstens 200 tekens, een regel).",
    "n-step": "Kies de stap.",
    "n-given": "Kies: gegeven of geweigerd.",
    "n-date": "Vul de datum in (vandaag of eerder).",
    "n-how": "Kies hoe de melder het liet weten.",
    "f-consent": "Eerst moet de melder toestemming geven om de melding door te sturen naar de klachtencommissie. "
                 "Leg die vast onder Toestemming.",
    "f-named": "Een klacht is niet anoniem. Deze melding is anoniem; de melder kan zelf een klacht indienen of "
               "zijn naam doorgeven.",
    "f-summary": "De samenvatting mag hoogstens 4.000 tekens zijn.",
    "f-committee": "Er is nog geen lid van een klachtencommissie voor deze eenheid dat een klacht kan ontvangen. "
                   "Vraag de beheerder om een commissie in te stellen.",
    "handover": "Kies een collega (een actieve vertrouwenspersoon die al heeft ingelogd) en een reden.",
    "x-condition": "Kies ja of nee en schrijf een toelichting (hoogstens 4.000 tekens).",
    "x-told": "Vul een bestaande datum in (vandaag of eerder), of laat het leeg.",
    "x-informed": "Schrijf op wie is ingelicht (hoogstens 4.000 tekens).",
}
FORWARDED = "De klacht staat klaar voor de klachtencommissie."
HANDOVER_NOTICE = "Je melding is overgedragen aan een andere vertrouwenspersoon:"
HANDED_OVER = "De melding is overgedragen. Jij kunt hem niet meer openen."
CONFLICTS = "Belangenconflict gemeld door:"
NO_CONTACTS, NO_APPOINTMENTS, NO_CONSENTS = ("Nog geen gesprekken vastgelegd.", "Nog geen afspraken.",
                                            "Nog niets vastgelegd.")
SHARED = "zichtbaar voor de melder"


# ---- dates --------------------------------------------------------------------------

def day(n=0):
    """YYYY-MM-DD, n days from today (the server's local time zone is ours)."""
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def nl_date(iso):
    """"YYYY-MM-DD[ HH:MM]" as the pages show it: "DD-MM-YYYY[ HH:MM]"."""
    return "%s-%s-%s%s" % (iso[8:10], iso[5:7], iso[0:4], iso[10:])


# ---- people and cases -----------------------------------------------------------------

def work_unit(env):
    """A unit of these tests under Landelijk (made once): its counsellors are
    made here, and the demo committee (of Landelijk) serves it."""
    u = getattr(env, "_casework_unit", None)
    if u is None:
        u = env._casework_unit = env.create_unit(env.unique("Dossierwerk "), "other", env.unit_id("Landelijk"))
    return u


def counsellor(env, unit=None):
    """A new counsellor of unit with a key pair, logged in: {"id", "email", "name", "c"}."""
    uid, email, name, pw = env.create_account("counsellor", units=[unit or work_unit(env)],
                                               name=env.unique("VP Werk "))
    return {"id": uid, "email": email, "name": name, "c": fresh_login(env, email, pw)}


def pair(env):
    """Two counsellors of these tests (made once; their cases are each test's
    own): A and B."""
    p = getattr(env, "_casework_pair", None)
    if p is None:
        p = env._casework_pair = (counsellor(env), counsellor(env))
    return p


def new_case(env, who, unit=None, **kw):
    """A report addressed to who (only they read it): (case id, receipt code)."""
    before = case_ids(who["c"])
    kw.setdefault("account", "Melding voor het dossierwerk " + env.unique("zqwacc"))
    _, r = submit_report(env, report_fields(unit or work_unit(env), who["id"], **kw))
    code = receipt_of(r, "a report to %s" % who["name"])
    return new_case_id(who["c"], before, "a report to %s" % who["name"]), code


def named_fields(env, mark):
    return {"named": "yes", "name": "Naam " + mark, "email": mark + "@example.org"}


# ---- requests ------------------------------------------------------------------------------

def token(c):
    """The session's CSRF token (every form of a session shares it)."""
    t = getattr(c, "_casework_token", None)
    if t is None:
        t = c._casework_token = c.csrf_for("/start", "/uitloggen")
    return t


def work_path(cid):
    return "/dossiers/%d/werk" % cid


def work(c, cid, what=None):
    r = c.get(work_path(cid))
    expect_status(r, 200, what or "GET %s" % work_path(cid))
    return r


def post(c, cid, route, fields, csrf=True):
    """POSTs fields (a dict, lists for repeated names) to /dossiers/cid/route."""
    pairs = ([("csrf", token(c))] if csrf else []) + form_pairs(fields)
    return c.post("/dossiers/%d/%s" % (cid, route), pairs)


def errors_of(r):
    e = [x for x in r.page.classed("error") if x]
    return " (errors on the page: %s)" % " | ".join(e)[:300] if e else ""


def expect_back(r, cid, part, what):
    """An accepted form: 303 back to its part of the work page."""
    want = "%s#%s" % (work_path(cid), part)
    check(r.status == 303, "%s: status %d, want 303 to %s%s" % (what, r.status, want, errors_of(r)))
    check(r.header("Location") == want, "%s: redirects to %r, want %r" % (what, r.header("Location"), want))


def expect_refused(r, what):
    """A refused form: 400 with the work page again (its forms, a fresh token)."""
    expect_status(r, 400, what)
    check("<h1>Dossierwerk</h1>" in r.text, "%s: the answer is not the work page" % what)
    check(r.page.csrf(), "%s: the page again has no form with a token" % what)
    check(r.header("Cache-Control") == "no-store", "%s: Cache-Control %r" % (what, r.header("Cache-Control")))


def without_tokens(text):
    return re.sub(r'name="csrf" value="[^"]*"', "", text)


# ---- reading pages ----------------------------------------------------------------------------

def section(text, anchor):
    """The part of the work page under <h2 id=anchor>, up to the next <h2>."""
    m = re.search(r'<h2 id="%s">(.*?)(?=<h2[ >]|</main>)' % re.escape(anchor), text, re.S)
    check(m, "the work page has no section #%s" % anchor)
    return m.group(1)


def phase_of(r):
    m = re.search(r"Deze melding is nu in de fase <strong>([^<]*)</strong>", r.text)
    check(m, "the work page does not say the phase")
    names = [p for p, nl in PHASE_NL.items() if nl == html.unescape(m.group(1))]
    check(names, "the work page shows an unknown phase %r" % m.group(1))
    return names[0]


def move_forms(r, cid):
    """{to: [(name, value)]} of the move buttons on a work page."""
    out = {}
    for f in r.page.forms:
        if f["action"] == "/dossiers/%d/fase" % cid:
            pairs = [(n, v) for n, v, _ in f["fields"]]
            out[dict(pairs).get("to")] = pairs
    return out


def history(r):
    """[(at, from, to, by)] of the phase history on a work page, as listed."""
    m = re.search(r"<details><summary>Eerdere fases</summary><ul>(.*?)</ul></details>", r.text, re.S)
    rows = re.findall(r"<li>(\d\d-\d\d-\d{4} \d\d:\d\d): ([^<]*?) → ([^<]*?) \(([^<]*)\)</li>", m.group(1)) if m else []
    return [tuple(html.unescape(x) for x in row) for row in rows]


def contacts(r):
    """[(date, way, with whom, minutes, notes)] listed under Gesprekken."""
    rows = re.findall(r'<li class="card"><p><strong>([^<]*)</strong> · ([^<·]*) · ([^<·]*) · (\d+) min\.</p>'
                      r'(?:<p class="prewrap">(.*?)</p>)?</li>', section(r.text, "gesprekken"), re.S)
    return [tuple(html.unescape(x) for x in row) for row in rows]


def appointments(r):
    """[(when, place, shared)] listed under Afspraken."""
    rows = re.findall(r'<li class="card"><p><strong>([^<]*)</strong> · (.*?)( · %s)?</p></li>' % SHARED,
                      section(r.text, "afspraken"), re.S)
    return [(html.unescape(w), html.unescape(p), bool(s)) for w, p, s in rows]


def consents(r):
    """[(step, given, date, how)] listed under Toestemming, in order."""
    rows = re.findall(r'<li class="card"><p><strong>([^<]*)</strong>: ([^<·]*) · ([^<·]*) · ([^<]*)</p></li>',
                      section(r.text, "toestemming"))
    return [tuple(html.unescape(x).strip() for x in row) for row in rows]


def conflict_names(r):
    m = re.search(r'<div class="notice" role="status"><p>%s</p><ul>(.*?)</ul></div>' % CONFLICTS, r.text, re.S)
    return [html.unescape(n) for n in re.findall(r"<li>([^<]*)</li>", m.group(1))] if m else []


def selected(r, action, name):
    return [v for v, sel, _ in r.page.select_options(action, name) if sel]


def checked(r, action, name):
    """The values of the checked boxes (or radio) called name in a form."""
    f = r.page.form(action) or {"fields": []}
    return sorted(v for n, v, t in f["fields"] if n == name and t in ("checkbox", "radio"))


def field_error(r, input_id, what):
    """The error next to input_id: its text is ERR[input_id or key], the input
    is marked and points at it."""
    key = {"inventory": "inventory", "agreement_on": "agreement", "aftercare_due": "aftercare_due",
           "route": "route", "outcome": "outcome"}.get(input_id, input_id)
    err_id = {"agreement_on": "agreement-error"}.get(input_id, input_id + "-error")
    m = re.search(r'<p class="error" id="%s">([^<]*)</p>' % re.escape(err_id), r.text)
    check(m, "%s: no error next to #%s%s" % (what, input_id, errors_of(r)))
    check(html.unescape(m.group(1)) == ERR[key], "%s: the error next to #%s says %r, want %r" % (
        what, input_id, html.unescape(m.group(1)), ERR[key]))
    attrs = [a for t, a in r.page.tags if a.get("id") == input_id]
    check(len(attrs) == 1, "%s: %d elements with id %s" % (what, len(attrs), input_id))
    check(attrs[0].get("aria-invalid") == "true", "%s: #%s is not marked aria-invalid" % (what, input_id))
    check(err_id in attrs[0].get("aria-describedby", "").split(),
          "%s: #%s does not point at its error (aria-describedby %r)" % (what, input_id,
                                                                          attrs[0].get("aria-describedby")))


def expect_marked(r, ids, what):
    got = invalid_ids(r.page)
    check(got == set(ids), "%s: aria-invalid on %s, want %s" % (what, sorted(got), sorted(ids)))


def db_rows(env, sql, args=()):
    """Rows from the database, read only."""
    db = database.connect(env.datadir, readonly=True)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def count(env, table, cid):
    return db_rows(env, "SELECT count(*) FROM %s WHERE case_id = ?" % table, (cid,))[0][0]


def consent(c, cid, step, given="yes", on_date=None, how="phone", what=None):
    r = post(c, cid, "toestemming", {"step": step, "given": given, "on_date": on_date or day(), "how": how})
    expect_back(r, cid, "toestemming", what or "recording consent %s=%s" % (step, given))


def contact_fields(**kw):
    f = {"on_date": day(), "way": "phone", "with_whom": "reporter", "minutes": "30", "notes": ""}
    f.update(kw)
    return f


def move(c, cid, frm, to):
    expect_back(post(c, cid, "fase", {"from": frm, "to": to}), cid, "fase", "moving %s -> %s" % (frm, to))


def walk(c, cid, *phases):
    """Moves a new case through phases (each allowed from the one before)."""
    at = "new"
    for p in phases:
        move(c, cid, at, p)
        at = p


# ---- phases ------------------------------------------------------------------------------

@test("casework_phase_walk")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    moves_before = env.db_count("phase_moves")
    made = 0
    # Three cases between them take every move of the table, each through
    # the button the page offers.
    routes = [["intake", "consultation", "evaluation", "consultation", "evaluation", "aftercare", "closed",
               "consultation", "closed"],
              ["closed"],
              ["intake", "closed", "consultation", "evaluation", "closed"]]
    taken = set()
    for route in routes:
        cid, _ = new_case(env, a)
        case = c.get("/dossiers/%d" % cid)
        expect_status(case, 200, "the case page")
        check(work_path(cid) in case.page.links, "the case page does not link to its work page")
        r = work(c, cid)
        check(r.header("Cache-Control") == "no-store", "the work page may be cached")
        at = "new"
        for to in route:
            check(phase_of(r) == at, "the work page says %s, want %s" % (phase_of(r), at))
            offered = move_forms(r, cid)
            want = {t for f, t in MOVES if f == at}
            check(set(offered) == want, "in phase %s the page offers moves to %s, want %s" % (
                at, sorted(offered), sorted(want)))
            for t, pairs in offered.items():
                check(dict(pairs).get("from") == at and dict(pairs).get("csrf"),
                      "the move %s -> %s does not carry from=%s and a token" % (at, t, at))
            expect_back(c.post("/dossiers/%d/fase" % cid, offered[to]), cid, "fase",
                        "pressing the move %s -> %s" % (at, to))
            taken.add((at, to))
            made += 1
            at = to
            r = work(c, cid)
            check(phase_of(r) == to, "after the move %s the page says phase %s" % (to, phase_of(r)))
            check(re.search(r"</strong> \(sinds \d\d-\d\d-\d{4} \d\d:\d\d\)", r.text),
                  "after a move the page does not say since when")
        check(set(move_forms(r, cid)) == {t for f, t in MOVES if f == at}, "the last page's moves are wrong")
        # The history: every move, newest first, with who made it.
        steps = list(zip(["new"] + route, route))
        got = [(f, t, by) for _, f, t, by in history(r)]
        want = [(PHASE_NL[f], PHASE_NL[t], a["name"]) for f, t in reversed(steps)]
        check(got == want, "the phase history lists %s, want %s" % (got, want))
    check(taken == MOVES, "internal: the walk missed %s" % sorted(MOVES - taken))
    check(env.db_count("phase_moves") == moves_before + made,
          "%d phase moves recorded, want %d" % (env.db_count("phase_moves") - moves_before, made))


@test("casework_forbidden_moves")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    before = env.db_count("phase_moves")
    for at, nxt in zip(PHASES[:-1] + ["closed"], PHASES[1:] + [None]):
        tried = 0
        # Every move the table does not have, from where the case is...
        bad = [(at, t) for t in PHASES if (at, t) not in MOVES]
        # ...every allowed move from somewhere else (a stale page)...
        bad += [(f, t) for f, t in sorted(MOVES) if f != at]
        # ...and what is no phase at all.
        bad += [(at, "bogus"), (at, ""), ("", "closed"), (at, "Closed"), ("nieuw", "intake")]
        for frm, to in bad:
            what = "the move %r -> %r while the case is in %s" % (frm, to, at)
            r = post(c, cid, "fase", {"from": frm, "to": to})
            expect_refused(r, what)
            check(ERR["phase"] in r.page.classed("error"), "%s: the page does not say why%s" % (what, errors_of(r)))
            check(phase_of(r) == at, "%s: the page then says phase %s" % (what, phase_of(r)))
            tried += 1
        check(phase_of(work(c, cid)) == at, "refused moves moved the case out of %s" % at)
        check(env.db_count("phase_moves") == before, "refused moves from %s were recorded" % at)
        check(tried >= 10, "internal: only %d refused moves from %s" % (tried, at))
        if nxt:
            move(c, cid, at, nxt)
            before += 1
    # Without the token, or by someone who is not a reader: no move.
    check(phase_of(work(c, cid)) == "closed", "internal: the case is not closed")
    expect_status(post(c, cid, "fase", {"from": "closed", "to": "consultation"}, csrf=False), 403,
                  "a move without the token")
    _, other = pair(env)
    r = post(other["c"], cid, "fase", {"from": "closed", "to": "consultation"})
    expect_status(r, 404, "a move by a counsellor who is not a reader")
    check(phase_of(work(c, cid)) == "closed", "a move without token or by a non-reader was made")


# ---- what the phases ask for, route and outcome --------------------------------------------

@test("casework_progress_saved")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    walk(c, cid, "intake")
    act = "/dossiers/%d/voortgang" % cid
    mark = env.unique("zqwinv")
    env.markers.add(mark)
    inventory = "Inventaris " + mark + "\n<b>regel twee</b> & meer"
    r = post(c, cid, "voortgang", {"inventory": inventory, "agreement_on": day(-3), "follow_up": "1",
                                   "progress_evaluated": "yes", "legal_advice": "yes", "aftercare_offered": "yes",
                                   "aftercare_due": day(30)})
    expect_back(r, cid, "voortgang", "saving the progress")
    r = work(c, cid)
    check(r.page.field(act, "inventory") == inventory, "the inventory reads %r" % r.page.field(act, "inventory"))
    check("&lt;b&gt;regel twee&lt;/b&gt;" in r.text, "the inventory is not escaped")
    check(r.page.field(act, "agreement_on") == day(-3), "the agreement date reads %r" % r.page.field(act, "agreement_on"))
    check(checked(r, act, "follow_up") == ["1"], "follow-up is %s, want 1" % checked(r, act, "follow_up"))
    for box, want in (("progress_evaluated", ["yes"]), ("legal_advice", ["yes"]), ("aftercare_offered", ["yes"]),
                      ("aftercare_done", [])):
        check(checked(r, act, box) == want, "%s is %s, want %s" % (box, checked(r, act, box), want))
    check(r.page.field(act, "aftercare_due") == day(30), "the aftercare date reads %r" % r.page.field(act, "aftercare_due"))
    # Everything can be changed back, cleared and unticked.
    r = post(c, cid, "voortgang", {"inventory": "", "agreement_on": "", "follow_up": "2", "aftercare_done": "yes",
                                   "aftercare_due": ""})
    expect_back(r, cid, "voortgang", "saving the progress again")
    r = work(c, cid)
    check(r.page.field(act, "inventory") == "" and mark not in r.text, "the inventory was not cleared")
    check(r.page.field(act, "agreement_on") == "", "the agreement date was not cleared")
    check(checked(r, act, "follow_up") == ["2"], "follow-up is %s, want 2" % checked(r, act, "follow_up"))
    for box, want in (("progress_evaluated", []), ("legal_advice", []), ("aftercare_offered", []),
                      ("aftercare_done", ["yes"])):
        check(checked(r, act, box) == want, "after clearing, %s is %s, want %s" % (box, checked(r, act, box), want))
    # Saving does not move the case.
    check(phase_of(r) == "intake", "saving the progress changed the phase to %s" % phase_of(r))


@test("casework_progress_refused")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    act = "/dossiers/%d/voortgang" % cid
    stored = "Bewaard " + env.unique("zqwinvok")
    env.markers.add(stored)
    expect_back(post(c, cid, "voortgang", {"inventory": stored, "follow_up": "1", "legal_advice": "yes"}),
                cid, "voortgang", "saving a first inventory")
    mark = env.unique("zqwinvbad")
    env.markers.add(mark)
    long_inv = mark + " " + "é" * (4001 - len(mark) - 1)
    typed = {"inventory": long_inv, "agreement_on": "2025-02-30", "follow_up": "3", "aftercare_due": "morgen",
             "progress_evaluated": "yes", "aftercare_offered": "yes"}
    r = post(c, cid, "voortgang", typed)
    what = "progress with everything wrong"
    expect_refused(r, what)
    for f in ("inventory", "agreement_on", "aftercare_due"):
        field_error(r, f, what)
    check(ERR["follow_up"] in r.page.classed("error"), "%s: no error about the follow-up" % what)
    expect_marked(r, {"inventory", "agreement_on", "aftercare_due"}, what)
    # One wrong field marks only that one.
    for f, v in (("agreement_on", "22-11-2025"), ("agreement_on", day(1)), ("aftercare_due", "2025-13-01"),
                 ("inventory", "x" * 4001)):
        r1 = post(c, cid, "voortgang", {"inventory": "ok", f: v})
        expect_refused(r1, "progress with a wrong %s" % f)
        field_error(r1, f, "progress with a wrong %s" % f)
        expect_marked(r1, {f}, "progress with a wrong %s" % f)
    # Nothing was stored.
    w = work(c, cid)
    check(w.page.field(act, "inventory") == stored, "a refused form changed the inventory")
    check(checked(w, act, "follow_up") == ["1"] and checked(w, act, "legal_advice") == ["yes"]
          and checked(w, act, "progress_evaluated") == [], "a refused form changed the stored progress")
    check(mark not in w.text, "a refused inventory was stored")
    # The typed text is kept in the form (the other fields: casework_refused_forms_keep_choices).
    check(r.page.field(act, "inventory") == long_inv, "%s: the typed inventory was not kept" % what)


@test("casework_outcome_saved")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    act = "/dossiers/%d/uitkomst" % cid
    r = work(c, cid)
    check(selected(r, act, "route") == [] and selected(r, act, "outcome") == [] and checked(r, act, "referral") == [],
          "a new case has a route, outcome or referral")
    routes = [v for v, _, _ in r.page.select_options(act, "route") if v]
    check(routes == ["support_only", "own_talk", "talk_with_counsellor", "mediation", "formal_complaint",
                     "whistleblower", "external_referral"], "the routes offered: %s" % routes)
    r = post(c, cid, "uitkomst", {"route": "mediation", "outcome": "partly_solved",
                                  "referral": ["police", "company_doctor"]})
    expect_back(r, cid, "uitkomst", "saving route and outcome")
    r = work(c, cid)
    check(selected(r, act, "route") == ["mediation"], "the route is %s" % selected(r, act, "route"))
    check(selected(r, act, "outcome") == ["partly_solved"], "the outcome is %s" % selected(r, act, "outcome"))
    check(checked(r, act, "referral") == ["company_doctor", "police"], "the referrals are %s" % checked(r, act, "referral"))
    labels = {v: l for v, s, l in r.page.select_options(act, "route")}
    check(labels.get("mediation") == "Bemiddeling", "the route's label is %r" % labels.get("mediation"))
    # Back to "not yet", and no referrals.
    expect_back(post(c, cid, "uitkomst", {"route": "", "outcome": ""}), cid, "uitkomst", "clearing the outcome")
    r = work(c, cid)
    check(selected(r, act, "route") == [] and selected(r, act, "outcome") == [] and checked(r, act, "referral") == [],
          "clearing left route %s, outcome %s, referrals %s" % (selected(r, act, "route"),
                                                              selected(r, act, "outcome"), checked(r, act, "referral")))
    expect_back(post(c, cid, "uitkomst", {"route": "own_talk", "referral": "mediator"}), cid, "uitkomst",
                "saving a route again")
    # Refused: each wrong part named next to it, nothing stored.
    for what, fields, ids, errs in (
            ("an unknown route", {"route": "bogus"}, {"route"}, ["route"]),
            ("an unknown outcome", {"route": "own_talk", "outcome": "won"}, {"outcome"}, ["outcome"]),
            ("an unknown referral", {"route": "own_talk", "referral": ["police", "priest"]}, set(), ["referrals"]),
            ("all three wrong", {"route": "x", "outcome": "y", "referral": "z"}, {"route", "outcome"},
             ["route", "outcome", "referrals"])):
        r = post(c, cid, "uitkomst", fields)
        expect_refused(r, what)
        for f in ids:
            field_error(r, f, what)
        expect_marked(r, ids, what)
        for e in errs:
            check(ERR[e] in r.page.classed("error"), "%s: the page does not say %r" % (what, ERR[e]))
    r = work(c, cid)
    check(selected(r, act, "route") == ["own_talk"] and selected(r, act, "outcome") == []
          and checked(r, act, "referral") == ["mediator"], "a refused outcome changed what was stored")


# ---- conversations and consent ---------------------------------------------------------------

@test("casework_contacts")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    act = "/dossiers/%d/gesprek" % cid
    r = work(c, cid)
    check(NO_CONTACTS in section(r.text, "gesprekken"), "a new case does not say it has no conversations")
    check(r.page.field(act, "on_date") == day(), "the date is not today by default")
    mark = env.unique("zqwnotes")
    env.markers.add(mark)
    notes = "Aantekening " + mark + "\nregel <i>twee</i>"
    expect_back(post(c, cid, "gesprek", contact_fields(way="in_person", minutes="45", notes=notes)),
                cid, "gesprekken", "a conversation with the reporter")
    expect_back(post(c, cid, "gesprek", contact_fields(on_date=day(-10), way="video", minutes="720")),
                cid, "gesprekken", "a conversation of 720 minutes without notes, ten days ago")
    r = work(c, cid)
    got = sorted(contacts(r))
    want = sorted([(nl_date(day()), WAY_NL["in_person"], PARTY_NL["reporter"], "45", notes),
                   (nl_date(day(-10)), WAY_NL["video"], PARTY_NL["reporter"], "720", "")])
    check(got == want, "the conversations listed: %r, want %r" % (got, want))
    check("&lt;i&gt;twee&lt;/i&gt;" in r.text, "the notes are not escaped")
    n = count(env, "contacts", cid)
    check(n == 2, "%d conversations stored, want 2" % n)
    # Each wrong field: 400, the reason next to it, what was typed kept, nothing stored.
    kept = "Bewaard " + env.unique("zqwnotesbad")
    env.markers.add(kept)
    cases = [("a date tomorrow", {"on_date": day(1)}, "c-date"),
             ("a date that does not exist", {"on_date": "2025-02-30"}, "c-date"),
             ("a date written the Dutch way", {"on_date": nl_date(day())}, "c-date"),
             ("no date", {"on_date": ""}, "c-date"),
             ("an unknown way", {"way": "fax"}, "c-way"),
             ("an unknown party", {"with_whom": "colleague"}, "c-with"),
             ("0 minutes", {"minutes": "0"}, "c-minutes"),
             ("721 minutes", {"minutes": "721"}, "c-minutes"),
             ("minutes that are no number", {"minutes": "een uur"}, "c-minutes"),
             ("no minutes", {"minutes": ""}, "c-minutes"),
             ("notes over 20,000 characters", {"notes": kept + "x" * 20000}, "c-notes")]
    for what, change, fid in cases:
        fields = contact_fields(minutes="25", notes=kept)
        fields.update(change)
        r = post(c, cid, "gesprek", fields)
        expect_refused(r, what)
        field_error(r, fid, what)
        expect_marked(r, {fid}, what)
        check(r.page.field(act, "notes") == fields["notes"], "%s: the typed notes were not kept" % what)
        check(r.page.field(act, "minutes") == fields["minutes"], "%s: the typed minutes were not kept" % what)
        check(r.page.field(act, "on_date") == fields["on_date"], "%s: the typed date was not kept" % what)
        if fid != "c-way":
            check(r.page.field(act, "way") == fields["way"], "%s: the chosen way was not kept" % what)
        if fid != "c-with":
            check(r.page.field(act, "with_whom") == fields["with_whom"], "%s: the chosen party was not kept" % what)
    r = post(c, cid, "gesprek", {"on_date": "gisteren", "way": "", "with_whom": "", "minutes": "-5",
                                 "notes": "y" * 20001})
    expect_refused(r, "a conversation with everything wrong")
    expect_marked(r, {"c-date", "c-way", "c-with", "c-minutes", "c-notes"}, "a conversation with everything wrong")
    check(count(env, "contacts", cid) == 2, "refused conversations were stored")
    check(kept not in work(c, cid).text, "a refused conversation's notes reached the case")


@test("casework_contact_needs_consent")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    act = "/dossiers/%d/gesprek" % cid
    stored = [0]

    def refused(party, what):
        mark = "Niet bewaard " + env.unique("zqwcons")
        env.markers.add(mark)
        r = post(c, cid, "gesprek", contact_fields(with_whom=party, notes=mark))
        expect_refused(r, what)
        sec = section(r.text, "gesprekken")
        check(re.search(r'<p class="error" role="alert">%s <a href="#toestemming">' % re.escape(ERR["consent"]), sec),
              "%s: the page does not say consent is needed (with a link to it)%s" % (what, errors_of(r)))
        check(r.page.field(act, "with_whom") == party, "%s: the chosen party was not kept" % what)
        check(r.page.field(act, "notes") == mark, "%s: the typed notes were not kept" % what)
        check(count(env, "contacts", cid) == stored[0], "%s: the conversation was stored" % what)

    def accepted(party, what):
        expect_back(post(c, cid, "gesprek", contact_fields(with_whom=party)), cid, "gesprekken", what)
        stored[0] += 1
        check(count(env, "contacts", cid) == stored[0], "%s: not stored" % what)

    for party in ("other_party", "manager", "mediator"):
        refused(party, "a conversation with %s without any consent" % party)
    accepted("reporter", "a conversation with the reporter (needs no consent)")
    # Consent to another step opens nothing.
    consent(c, cid, "forward_committee")
    refused("other_party", "a conversation with the other party after consent to forwarding only")
    # Given: that party opens, the others stay closed.
    consent(c, cid, "contact_other_party")
    accepted("other_party", "a conversation with the other party after consent")
    refused("manager", "a conversation with a manager after consent for the other party only")
    # Refused consent keeps it closed; given later opens it.
    consent(c, cid, "inform_manager", given="no")
    refused("manager", "a conversation with a manager after consent was refused")
    consent(c, cid, "inform_manager", given="yes")
    accepted("manager", "a conversation with a manager after consent")
    # A later refusal withdraws consent given before.
    consent(c, cid, "contact_other_party", given="no", how="email")
    refused("other_party", "a conversation with the other party after consent was withdrawn")
    accepted("manager", "a conversation with a manager after another step's consent was withdrawn")
    refused("mediator", "a conversation with a mediator without consent to mediation")
    consent(c, cid, "mediation", how="in_person")
    accepted("mediator", "a conversation with a mediator after consent")
    parties = sorted(p for _, _, p, _, _ in contacts(work(c, cid)))
    want = sorted(PARTY_NL[p] for p in ("reporter", "other_party", "manager", "manager", "mediator"))
    check(parties == want, "the conversations listed are with %s, want %s" % (parties, want))


@test("casework_consent_records")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    act = "/dossiers/%d/toestemming" % cid
    r = work(c, cid)
    check(NO_CONSENTS in section(r.text, "toestemming"), "a new case does not say no consent is recorded")
    steps = [v for v, _, _ in r.page.select_options(act, "step")]
    check(steps == ["contact_other_party", "inform_manager", "mediation", "forward_committee"],
          "the steps offered: %s" % steps)
    recorded = [("contact_other_party", "yes", day(-2), "phone"), ("mediation", "no", day(), "email"),
                ("forward_committee", "yes", day(-1), "mailbox"), ("contact_other_party", "no", day(), "letter")]
    for step, given, on, how in recorded:
        consent(c, cid, step, given, on, how)
    got = consents(work(c, cid))
    want = [(STEP_NL[s], GIVEN_NL[g], nl_date(o), HOW_NL[h]) for s, g, o, h in reversed(recorded)]
    check(got == want, "the consent records (newest first): %r, want %r" % (got, want))
    check(count(env, "consents", cid) == 4, "%d consent records stored, want 4" % count(env, "consents", cid))
    good = {"step": "inform_manager", "given": "no", "on_date": day(-1), "how": "video"}
    for what, change, fid in (("an unknown step", {"step": "talk_to_press"}, "n-step"),
                              ("nothing said about consent", {"given": ""}, "n-given"),
                              ("consent that is neither given nor refused", {"given": "maybe"}, "n-given"),
                              ("a date tomorrow", {"on_date": day(1)}, "n-date"),
                              ("no date", {"on_date": ""}, "n-date"),
                              ("a date that does not exist", {"on_date": "2025-04-31"}, "n-date"),
                              ("an unknown way", {"how": "pigeon"}, "n-how")):
        fields = dict(good, **change)
        r = post(c, cid, "toestemming", fields)
        expect_refused(r, "consent with " + what)
        if fid == "n-given":
            m = re.search(r'<fieldset class="field" id="n-given">(.*?)</fieldset>', r.text, re.S)
            check(m and '<p class="error">%s</p>' % ERR["n-given"] in m.group(1),
                  "consent with %s: no error in the given/refused fieldset" % what)
            expect_marked(r, set(), "consent with " + what)
        else:
            field_error(r, fid, "consent with " + what)
            expect_marked(r, {fid}, "consent with " + what)
        check(r.page.field(act, "on_date") == fields["on_date"], "consent with %s: the date was not kept" % what)
        if fid != "n-step":
            check(r.page.field(act, "step") == fields["step"], "consent with %s: the step was not kept" % what)
        if fid != "n-how":
            check(r.page.field(act, "how") == fields["how"], "consent with %s: the way was not kept" % what)
    check(count(env, "consents", cid) == 4, "refused consent records were stored")
    check(consents(work(c, cid)) == want, "refused consent records changed the list")


@test("casework_refused_forms_keep_choices")
def _(env):
    # Besides the texts (checked with each form), a refused form keeps the
    # dates, choices and ticks that were made, not what is stored.
    a, b = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a, **named_fields(env, env.unique("zqwkeep")))
    expect_back(post(c, cid, "voortgang", {"follow_up": "1", "legal_advice": "yes"}), cid, "voortgang",
                "saving the progress")
    expect_back(post(c, cid, "uitkomst", {"route": "own_talk", "referral": "mediator"}), cid, "uitkomst",
                "saving a route")
    lost = {}

    def expect(route, field, got, want):
        if got != want:
            lost.setdefault(route, []).append(field)

    def act(route):
        return "/dossiers/%d/%s" % (cid, route)

    # progress: a wrong inventory, with dates, a choice and ticks other than stored
    typed = {"inventory": "x" * 4001, "agreement_on": day(-2), "follow_up": "2", "aftercare_due": day(9),
             "progress_evaluated": "yes", "aftercare_offered": "yes"}
    r = post(c, cid, "voortgang", typed)
    expect_refused(r, "progress with a wrong inventory")
    for f in ("agreement_on", "aftercare_due"):
        expect("voortgang", f, r.page.field(act("voortgang"), f), typed[f])
    expect("voortgang", "follow_up", checked(r, act("voortgang"), "follow_up"), ["2"])
    for box in ("progress_evaluated", "aftercare_offered", "legal_advice"):
        expect("voortgang", box, checked(r, act("voortgang"), box), ["yes"] if box in typed else [])
    # outcome: an unknown outcome, with a route and referrals other than stored
    r = post(c, cid, "uitkomst", {"route": "formal_complaint", "outcome": "won", "referral": ["police", "legal_advice"]})
    expect_refused(r, "an outcome with an unknown outcome")
    expect("uitkomst", "route", selected(r, act("uitkomst"), "route"), ["formal_complaint"])
    expect("uitkomst", "referral", checked(r, act("uitkomst"), "referral"), ["legal_advice", "police"])
    # consent: a date tomorrow; refused
    r = post(c, cid, "toestemming", {"step": "mediation", "given": "no", "on_date": day(1), "how": "phone"})
    expect_refused(r, "consent with a date tomorrow")
    expect("toestemming", "given", checked(r, act("toestemming"), "given"), ["no"])
    # forward: no consent; two parts ticked to share
    r = post(c, cid, "klacht", {"share_account": "yes", "share_hopes": "yes", "summary": "kort"})
    expect_refused(r, "forwarding without consent")
    for box in ("share_account", "share_when", "share_hopes"):
        expect("klacht", box, checked(r, act("klacht"), box), [] if box == "share_when" else ["yes"])
    # hand-over: an unknown reason; a colleague chosen
    r = post(c, cid, "overdragen", {"to": str(b["id"]), "reason": "bored"})
    expect_refused(r, "a hand-over for an unknown reason")
    expect("overdragen", "to", selected(r, act("overdragen"), "to"), [str(b["id"])])
    check(not lost, "refused forms show what is stored (or nothing) instead of what was chosen: %s" % "; ".join(
        "/%s: %s" % (k, ", ".join(v)) for k, v in lost.items()))


# ---- appointments ----------------------------------------------------------------------------

@test("casework_appointments")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    cid, code = new_case(env, a)
    act = "/dossiers/%d/afspraak" % cid
    r = work(c, cid)
    check(NO_APPOINTMENTS in section(r.text, "afspraken"), "a new case does not say it has no appointments")
    shared_mark, private_mark = env.unique("zqwplace"), env.unique("zqwprivate")
    env.markers.update((shared_mark, private_mark))
    shared_place = "Kamer 3 & <b>" + shared_mark + "</b>"
    private_place = "Kantoor " + private_mark
    expect_back(post(c, cid, "afspraak", {"date": day(3), "time": "14:30", "place": shared_place, "shared": "yes"}),
                cid, "afspraken", "a shared appointment")
    expect_back(post(c, cid, "afspraak", {"date": day(4), "time": "09:05", "place": private_place}),
                cid, "afspraken", "an appointment not shared")
    got = sorted(appointments(work(c, cid)))
    want = sorted([(nl_date(day(3)) + " 14:30", shared_place, True), (nl_date(day(4)) + " 09:05", private_place, False)])
    check(got == want, "the appointments listed: %r, want %r" % (got, want))
    # The reporter sees the shared one, with date, time and place, and not the other.
    _, m = mailbox(env, code)
    expect_status(m, 200, "the reporter's mailbox")
    sec = re.search(r"<h2>Afspraken</h2>\s*<ul>(.*?)</ul>", m.text, re.S)
    check(sec, "the reporter's mailbox lists no appointments")
    items = [(w, html.unescape(p)) for w, p in re.findall(r"<li><strong>([^<]*)</strong>, (.*?)</li>", sec.group(1), re.S)]
    check(items == [(nl_date(day(3)) + " 14:30", shared_place)], "the reporter sees the appointments %r" % items)
    check("&lt;b&gt;" in sec.group(1), "the place is not escaped in the mailbox")
    check(private_mark not in m.text and nl_date(day(4)) not in m.text, "the reporter sees an appointment not shared")
    # Refused: the reason next to the field, what was typed kept, nothing stored.
    n = count(env, "appointments", cid)
    kept = "Bewaard " + env.unique("zqwplacebad")
    env.markers.add(kept)
    good = {"date": day(5), "time": "10:15", "place": kept, "shared": "yes"}
    for what, change, fid in (("a date that does not exist", {"date": "2026-02-29"}, "a-date"),
                              ("no date", {"date": ""}, "a-date"),
                              ("a date written the Dutch way", {"date": nl_date(day(5))}, "a-date"),
                              ("an hour 25", {"time": "25:00"}, "a-time"),
                              ("a time with a dot", {"time": "14.30"}, "a-time"),
                              ("no time", {"time": ""}, "a-time"),
                              ("no place", {"place": ""}, "a-place"),
                              ("a place of spaces", {"place": "   "}, "a-place"),
                              ("a place over 200 characters", {"place": kept + "p" * 200}, "a-place")):
        fields = dict(good, **change)
        r = post(c, cid, "afspraak", fields)
        expect_refused(r, "an appointment with " + what)
        field_error(r, fid, "an appointment with " + what)
        expect_marked(r, {fid}, "an appointment with " + what)
        for f in ("date", "time", "place"):
            if fields[f].strip():
                check(r.page.field(act, f) == fields[f], "an appointment with %s: the typed %s was not kept (%r)" % (
                    what, f, r.page.field(act, f)))
        check(checked(r, act, "shared") == ["yes"], "an appointment with %s: the ticked box was not kept" % what)
    r = post(c, cid, "afspraak", {"date": day(5), "time": "10:15", "place": "twee\nregels"})
    expect_refused(r, "an appointment with a place of two lines")
    field_error(r, "a-place", "an appointment with a place of two lines")
    r = post(c, cid, "afspraak", {"date": "x", "time": "y", "place": ""})
    expect_marked(r, {"a-date", "a-time", "a-place"}, "an appointment with everything wrong")
    check(count(env, "appointments", cid) == n, "refused appointments were stored")
    _, m = mailbox(env, code)
    check(kept not in m.text and kept not in work(c, cid).text, "a refused appointment reached a page")


# ---- forwarding to the committee -------------------------------------------------------------

def committee_ids(env):
    return {env.user_id(email) for email, _ in env.accounts["committee"]}


@test("casework_forward_committee")
def _(env):
    a, _ = pair(env)
    c = a["c"]
    complaints = env.db_count("complaints")

    def refused(cid, fields, err, what):
        r = post(c, cid, "klacht", fields)
        expect_refused(r, what)
        sec = section(r.text, "klacht")
        check('<p class="error" role="alert">%s</p>' % html.escape(ERR[err], quote=False) in sec,
              "%s: the page does not say %r%s" % (what, ERR[err], errors_of(r)))
        check(FORWARDED not in r.text, "%s: the page says it was forwarded" % what)
        check(env.db_count("complaints") == complaints, "%s: a complaint was stored" % what)
        return r

    # An anonymous report is never a complaint, consent or not.
    anon, _ = new_case(env, a)
    consent(c, anon, "forward_committee")
    refused(anon, {"share_account": "yes"}, "f-named", "forwarding an anonymous report")
    # A named one: not without consent, not after a refusal.
    mark = env.unique("zqwnamed")
    env.markers.add(mark)
    cid, _ = new_case(env, a, **named_fields(env, mark))
    summary = "Samenvatting " + env.unique("zqwsummary")
    env.markers.add(summary)
    r = refused(cid, {"share_account": "yes", "share_hopes": "yes", "summary": summary}, "f-consent",
                "forwarding without consent")
    check(r.page.field("/dossiers/%d/klacht" % cid, "summary") == summary, "the typed summary was not kept")
    consent(c, cid, "forward_committee", given="no")
    refused(cid, {"summary": summary}, "f-consent", "forwarding after consent was refused")
    consent(c, cid, "contact_other_party")
    refused(cid, {"summary": summary}, "f-consent", "forwarding with consent to another step only")
    consent(c, cid, "forward_committee")
    r = refused(cid, {"summary": summary + "s" * 4000}, "f-summary", "forwarding a summary over 4,000 characters")
    check(r.page.field("/dossiers/%d/klacht" % cid, "summary") == summary + "s" * 4000,
          "the too long summary was not kept")
    # With consent in force: the complaint is sealed to the committee of the
    # unit (the demo's, attached to Landelijk), and the case gets the referral.
    r = post(c, cid, "klacht", {"share_account": "yes", "share_hopes": "yes", "summary": summary})
    want = "%s?doorgestuurd=1#klacht" % work_path(cid)
    check(r.status == 303 and r.header("Location") == want, "forwarding with consent: %d to %r, want 303 to %r%s" % (
        r.status, r.header("Location"), want, errors_of(r)))
    check(env.db_count("complaints") == complaints + 1, "forwarding stored %d complaints, want 1" % (
        env.db_count("complaints") - complaints))
    r = c.get(r.location)
    expect_status(r, 200, "the work page after forwarding")
    check(FORWARDED in section(r.text, "klacht"), "the page does not say the complaint is ready")
    check(checked(r, "/dossiers/%d/uitkomst" % cid, "referral") == ["committee"],
          "after forwarding the referrals are %s, want committee" % checked(r, "/dossiers/%d/uitkomst" % cid, "referral"))
    rows = db_rows(env, "SELECT k.user_id, u.role FROM complaint_keys k JOIN complaints c ON c.id = k.complaint_id"
                        " JOIN users u ON u.id = k.user_id WHERE c.case_id = ?", (cid,))
    receivers = {uid for uid, _ in rows}
    check(committee_ids(env) <= receivers, "the complaint is sealed to %s, not to every demo committee member %s" % (
        sorted(receivers), sorted(committee_ids(env))))
    check(all(role == "committee" for _, role in rows), "the complaint is sealed to someone not on a committee: %s" % rows)
    check(a["id"] not in receivers, "the complaint is sealed to the counsellor")
    complaints += 1
    # A unit no committee serves (a tree of its own): refused, and said why.
    lone = env.create_unit(env.unique("Losse werkeenheid "), "other", "")
    b = counsellor(env, lone)
    c = b["c"]
    other, _ = new_case(env, b, unit=lone, **named_fields(env, env.unique("zqwlone")))
    consent(c, other, "forward_committee")
    refused(other, {"summary": "x"}, "f-committee", "forwarding a report of a unit no committee serves")


# ---- hand-over and conflicts -------------------------------------------------------------------

@test("casework_handover")
def _(env):
    a, b = pair(env)
    mark = env.unique("zqwhand")
    env.markers.add(mark)
    cid, code = new_case(env, a, account="Overdracht " + mark)
    case, missing = "/dossiers/%d" % cid, "/dossiers/%d" % (cid + 1000000)
    notes = "Voor de opvolger " + env.unique("zqwhandnote")
    env.markers.add(notes)
    expect_back(post(a["c"], cid, "gesprek", contact_fields(notes=notes)), cid, "gesprekken", "A's conversation")
    expect_status(b["c"].get(case), 404, "B opening A's case before the hand-over")
    # The form offers B (an active colleague) and not A.
    r = work(a["c"], cid)
    act = "/dossiers/%d/overdragen" % cid
    offered = {v for v, _, _ in r.page.select_options(act, "to")}
    check(str(b["id"]) in offered and str(a["id"]) not in offered,
          "the hand-over form offers B: %s, A: %s" % (str(b["id"]) in offered, str(a["id"]) in offered))
    reasons = [v for v, _, _ in r.page.select_options(act, "reason")]
    check(reasons == ["leaving", "conflict_of_interest", "reporter_wish"], "the reasons offered: %s" % reasons)
    # Refused: to oneself, to someone without keys, to someone not a
    # counsellor, to nobody, for no known reason. A keeps the case.
    keyless = env.create_account("counsellor", units=[work_unit(env)])
    committee = env.user_id(env.email("committee"))
    for what, fields in (("to themselves", {"to": str(a["id"]), "reason": "leaving"}),
                         ("to a counsellor without a key pair", {"to": str(keyless[0]), "reason": "leaving"}),
                         ("to a committee member", {"to": str(committee), "reason": "leaving"}),
                         ("to nobody", {"to": "", "reason": "leaving"}),
                         ("to an account that does not exist", {"to": "99999999", "reason": "leaving"}),
                         ("for an unknown reason", {"to": str(b["id"]), "reason": "bored"}),
                         ("without a reason", {"to": str(b["id"])})):
        r = post(a["c"], cid, "overdragen", fields)
        expect_refused(r, "a hand-over " + what)
        check(ERR["handover"] in r.page.classed("error"), "a hand-over %s: the page does not say why%s" % (
            what, errors_of(r)))
        expect_status(a["c"].get(case), 200, "A opening the case after a refused hand-over %s" % what)
    expect_status(b["c"].get(case), 404, "B opening the case after refused hand-overs")
    # Through the form: to B, because A leaves.
    r = a["c"].submit(work_path(cid), act, {"to": str(b["id"]), "reason": "leaving"})
    expect_redirect(r, "/dossiers?overgedragen=1", "A handing the case to B")
    r = a["c"].get(r.location)
    check(HANDED_OVER in r.page.text, "the case list does not say the case was handed over")
    # A is out: the same 404 as for no case, everywhere; not in A's list.
    for sub in ("", "/werk", "/uitzondering"):
        got, none = a["c"].get(case + sub), a["c"].get(missing + sub)
        expect_status(got, 404, "A opening %s%s after handing it over" % (case, sub))
        check(without_tokens(got.text) == without_tokens(none.text),
              "A's 404 for %s%s differs from the 404 for no case" % (case, sub))
        check(mark not in got.text, "the 404 shows the case")
    expect_status(post(a["c"], cid, "gesprek", contact_fields(notes="A na overdracht")), 404,
                  "A recording a conversation after the hand-over")
    expect_status(post(a["c"], cid, "fase", {"from": "new", "to": "intake"}), 404, "A moving the case after the hand-over")
    check(cid not in case_ids(a["c"]), "the handed-over case is still in A's list")
    # B reads all of it, A's conversation too, and can work on it.
    check(cid in case_ids(b["c"]), "the case is not in B's list")
    r = b["c"].get(case)
    expect_status(r, 200, "B opening the case")
    check(mark in r.text, "B does not see the report")
    r = work(b["c"], cid, "B opening the work page")
    check([n for _, _, _, _, n in contacts(r)] == [notes], "B does not read A's conversation notes")
    move(b["c"], cid, "new", "intake")
    # The reporter is told, with B's name.
    _, m = mailbox(env, code)
    expect_status(m, 200, "the reporter's mailbox after the hand-over")
    told = [t for _, who, t in conversation(m) if who == "Overdracht"]
    check(told == ["%s %s" % (HANDOVER_NOTICE, b["name"])], "the reporter's mailbox shows %r, want the notice with "
                                                           "B's name" % [t for _, _, t in conversation(m)])
    check(a["name"] not in m.text, "the reporter's mailbox names the old counsellor")
    # The DB holds one sealed key for the case: B's.
    keys = [u for (u,) in db_rows(env, "SELECT user_id FROM case_keys WHERE case_id = ?", (cid,))]
    check(keys == [b["id"]], "the case is sealed to %s, want only B (%d)" % (keys, b["id"]))


@test("casework_conflict_of_interest")
def _(env):
    a, b = pair(env)
    cid, _ = new_case(env, a)
    r = work(a["c"], cid)
    act = "/dossiers/%d/belangenconflict" % cid
    check(r.page.form(act), "the work page has no form to declare a conflict of interest")
    check(conflict_names(r) == [], "a new case shows a conflict of interest")
    # Someone who is not a reader: 404, nothing declared.
    expect_status(post(b["c"], cid, "belangenconflict", {}), 404, "a non-reader declaring a conflict")
    expect_status(post(a["c"], cid, "belangenconflict", {}, csrf=False), 403, "declaring without the token")
    check(conflict_names(work(a["c"], cid)) == [], "a refused declaration was recorded")
    r = a["c"].submit(work_path(cid), act, {})
    expect_back(r, cid, "overdragen", "declaring a conflict of interest")
    r = work(a["c"], cid)
    check(conflict_names(r) == [a["name"]], "the page shows conflicts declared by %s, want A" % conflict_names(r))
    check(not r.page.form(act), "the form to declare a conflict is still offered after declaring one")
    # Again is a no-op.
    expect_back(post(a["c"], cid, "belangenconflict", {}), cid, "overdragen", "declaring the conflict again")
    check(conflict_names(work(a["c"], cid)) == [a["name"]], "declaring twice lists the conflict twice")


# ---- the confidentiality exception -------------------------------------------------------------

def exception_path(cid):
    return "/dossiers/%d/uitzondering" % cid


def exception_records(text):
    return re.findall(r'<section class="card">.*?</section>', text, re.S)


@test("casework_exception_record")
def _(env):
    a, b = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    path = exception_path(cid)
    r = c.get(path)
    expect_status(r, 200, "GET the exception page")
    check(r.header("Cache-Control") == "no-store", "the exception page may be cached")
    check(not exception_records(r.text), "a new case has exception records")
    expect_status(b["c"].get(path), 404, "a non-reader opening the exception page")
    # Incomplete: three conditions unanswered or unexplained, a date tomorrow,
    # nobody informed. 400, each named next to it and in the summary.
    kept = env.unique("zqwexckept")
    env.markers.add(kept)
    fields = {"met_consent_sought": "yes", "why_consent_sought": "Gevraagd " + kept,
              "met_no_other_way": "no", "why_no_other_way": "Er was een andere weg " + kept,
              "met_serious_harm": "yes", "why_serious_harm": "  ",           # no explanation
              "met_harm_prevented": "perhaps", "why_harm_prevented": "Misschien",  # no answer
              "why_person_told": "Niet verteld " + kept,                          # no answer
              "met_referred": "no", "why_referred": "Niet doorverwezen " + kept,
              "told_on": day(1), "informed": ""}
    before = env.db_count("exceptions")
    r = post(c, cid, "uitzondering", fields)
    what = "an incomplete exception record"
    expect_status(r, 400, what)
    check(env.db_count("exceptions") == before, "%s was stored" % what)
    wrong = ["serious_harm", "harm_prevented", "person_told"]
    links = summary_links(r.text)
    check(sorted(links) == sorted(["cond-" + x for x in wrong] + ["told_on", "informed"]),
          "%s: the summary links to %s" % (what, links))
    for cond in CONDITIONS:
        m = re.search(r'<fieldset class="field" id="cond-%s">(.*?)</fieldset>' % cond, r.text, re.S)
        check(m, "%s: no fieldset for %s" % (what, cond))
        has = '<p class="error">%s</p>' % ERR["x-condition"] in m.group(1)
        check(has == (cond in wrong), "%s: the condition %s %s an error" % (what, cond, "lacks" if not has else "has"))
    check('<p class="error" id="told-error">%s</p>' % ERR["x-told"] in r.text, "%s: no error at the told date" % what)
    check('<p class="error" id="inf-error">%s</p>' % ERR["x-informed"] in r.text, "%s: no error at who was informed" % what)
    expect_marked(r, {"told", "inf"}, what)
    # What was typed is kept.
    for cond in CONDITIONS:
        got = r.page.field(path, "why_" + cond)
        check(got == fields.get("why_" + cond, ""), "%s: the explanation of %s reads %r" % (what, cond, got))
        want = [fields["met_" + cond]] if fields.get("met_" + cond) in ("yes", "no") else []
        check(checked(r, path, "met_" + cond) == want, "%s: %s shows %s, want %s" % (
            what, cond, checked(r, path, "met_" + cond), want))
    check(r.page.field(path, "told_on") == day(1), "%s: the told date was not kept" % what)
    # Complete: stored and listed, then back to the page.
    m1 = {cond: env.unique("zqwexc%s" % cond[:4]) for cond in CONDITIONS}
    informed1 = "De politie " + env.unique("zqwexcinf")
    env.markers.update(m1.values())
    env.markers.add(informed1)
    met1 = {"consent_sought": "yes", "no_other_way": "yes", "serious_harm": "yes", "harm_prevented": "yes",
            "person_told": "no", "referred": "no"}
    first = {"told_on": day(-1), "informed": informed1}
    for cond in CONDITIONS:
        first["met_" + cond] = met1[cond]
        first["why_" + cond] = "Uitleg " + m1[cond] + "\n<em>twee</em>"
    r = post(c, cid, "uitzondering", first)
    expect_redirect(r, path, "a complete exception record")
    check(env.db_count("exceptions") == before + 1, "the exception record was not stored once")
    r = c.get(path)
    recs = exception_records(r.text)
    check(len(recs) == 1, "%d records listed, want 1" % len(recs))
    rec = recs[0]
    check(a["name"] in rec, "the record does not say who made it")
    check(nl_date(day(-1)) in rec and informed1 in rec, "the record does not show the told date and who was informed")
    for cond in CONDITIONS:
        want = "<dt>%s</dt><dd>%s. <span class=\"prewrap\">%s</span></dd>" % (
            html.escape(CONDITION_NL[cond], quote=False), html.escape(MET_NL[met1[cond]], quote=False),
            html.escape(first["why_" + cond], quote=False))
        check(want in rec, "the record does not show %s as %s with its explanation" % (cond, met1[cond]))
    # It cannot be changed: no form or route for it; posting again adds a
    # second record and leaves the first as it was.
    check([f["action"] for f in r.page.forms if f["action"].startswith("/dossiers/")] == [path],
          "the exception page has forms posting to %s" % [f["action"] for f in r.page.forms])
    for method in ("PUT", "DELETE", "PATCH"):
        resp = c.request(method, path, body=b"csrf=" + token(c).encode())
        check(resp.status in (404, 405), "%s %s: status %d" % (method, path, resp.status))
    for sub in ("/1", "/wijzigen", "/verwijderen"):
        expect_status(post(c, cid, "uitzondering" + sub, first), 404, "POST %s%s" % (path, sub))
    second = dict(first, told_on="", informed="Niemand anders " + env.unique("zqwexcinf2"))
    env.markers.add(second["informed"])
    for cond in CONDITIONS:
        second["met_" + cond] = "no"
        second["why_" + cond] = "Tweede " + m1[cond]
    expect_redirect(post(c, cid, "uitzondering", second), path, "a second exception record")
    r = c.get(path)
    recs2 = exception_records(r.text)
    check(len(recs2) == 2, "%d records listed after a second one, want 2" % len(recs2))
    check(rec in recs2, "the first record changed when a second was made")
    other = [x for x in recs2 if x != rec][0]
    check(second["informed"] in other and "Niet ingelicht" in other, "the second record is not shown as made")
    check(env.db_count("exceptions") == before + 2, "two records were not stored")
    # A refused second try changes neither.
    r = post(c, cid, "uitzondering", dict(second, informed=" "))
    expect_status(r, 400, "an exception record without who was informed")
    check(exception_records(c.get(path).text) == recs2, "a refused record changed the records")
    expect_status(post(b["c"], cid, "uitzondering", first), 404, "a non-reader recording an exception")
    check(env.db_count("exceptions") == before + 2, "a refused or non-reader record was stored")


# ---- the dashboard ------------------------------------------------------------------------------

def dashboard_part(text, title):
    m = re.search(r"<h2>%s</h2>(.*?)(?=<h2>|</main>)" % re.escape(title), text, re.S)
    check(m, "the dashboard has no part %r" % title)
    return m.group(1)


@test("casework_dashboard")
def _(env):
    d = counsellor(env)
    c = d["c"]
    r = c.get("/overzicht")
    expect_status(r, 200, "a new counsellor's dashboard")
    check("Open meldingen: <strong>0</strong>" in r.text, "a new counsellor has open cases")
    cases = {}
    for k in ("new", "intake", "quiet", "recent", "aftercare_due", "aftercare_later", "aftercare_done",
              "aftercare_undated", "closed"):
        cases[k], _ = new_case(env, d)
    walk(c, cases["intake"], "intake")
    walk(c, cases["quiet"], "intake", "consultation")
    walk(c, cases["recent"], "intake", "consultation")
    for k in ("aftercare_due", "aftercare_later", "aftercare_done", "aftercare_undated"):
        walk(c, cases[k], "intake", "consultation", "evaluation", "aftercare")
    walk(c, cases["closed"], "closed")
    # Conversations: long ago (quiet), today (not), long ago but closed (not).
    for k, on in (("quiet", "2020-01-01"), ("recent", day()), ("closed", "2020-01-01")):
        expect_back(post(c, cases[k], "gesprek", contact_fields(on_date=on)), cases[k], "gesprekken", "a conversation")
    # Appointments: one today, one next week.
    expect_back(post(c, cases["intake"], "afspraak", {"date": day(), "time": "10:00", "place": "Hier"}),
                cases["intake"], "afspraken", "an appointment today")
    expect_back(post(c, cases["recent"], "afspraak", {"date": day(8), "time": "10:00", "place": "Daar"}),
                cases["recent"], "afspraken", "an appointment next week")
    # Aftercare: due yesterday (listed), due next month, done, and without a date (listed).
    for k, due, done in (("aftercare_due", day(-1), False), ("aftercare_later", day(30), False),
                         ("aftercare_done", day(-1), True), ("aftercare_undated", "", False),
                         ("recent", day(-1), False)):
        f = {"follow_up": "0", "aftercare_offered": "yes", "aftercare_due": due}
        if done:
            f["aftercare_done"] = "yes"
        expect_back(post(c, cases[k], "voortgang", f), cases[k], "voortgang", "aftercare for %s" % k)
    r = c.get("/overzicht")
    expect_status(r, 200, "the dashboard")
    counts = dict(re.findall(r"<tr><td>([^<]*)</td><td>(\d+)</td></tr>", r.text))
    want = {PHASE_NL["new"]: "1", PHASE_NL["intake"]: "1", PHASE_NL["consultation"]: "2",
            PHASE_NL["evaluation"]: "0", PHASE_NL["aftercare"]: "4", PHASE_NL["closed"]: "1"}
    check(counts == want, "the dashboard counts %s, want %s" % (counts, want))
    check("Open meldingen: <strong>8</strong>" in r.text, "the dashboard does not count 8 open cases")
    appts = re.findall(r'<li>([^<]*): <a href="/dossiers/(\d+)/werk#afspraken">',
                       dashboard_part(r.text, "Afspraken deze week"))
    check(appts == [(nl_date(day()) + " 10:00", str(cases["intake"]))],
          "this week's appointments: %s, want today's of case %d" % (appts, cases["intake"]))
    quiet = re.findall(r'<a href="/dossiers/(\d+)/werk#gesprekken">[^<]*</a>: laatste contact ([^<]*)</li>',
                       dashboard_part(r.text, "Al een tijd geen contact"))
    check(quiet == [(str(cases["quiet"]), "01-01-2020")], "the quiet cases: %s, want case %d" % (quiet, cases["quiet"]))
    after = re.findall(r'<a href="/dossiers/(\d+)/werk#voortgang">[^<]*</a>(?:: uiterlijk ([^<]*))?</li>',
                       dashboard_part(r.text, "Nazorg te doen"))
    check(sorted(after) == sorted([(str(cases["aftercare_due"]), nl_date(day(-1))),
                                   (str(cases["aftercare_undated"]), "")]),
          "aftercare due: %s, want cases %d (due yesterday) and %d (no date)" % (
              after, cases["aftercare_due"], cases["aftercare_undated"]))
    # Every link goes to one of this counsellor's cases.
    mine = set(case_ids(c))
    linked = {int(i) for i in re.findall(r'href="/dossiers/(\d+)/werk', r.text)}
    check(linked <= mine, "the dashboard links to cases of others: %s" % sorted(linked - mine))
    # Another counsellor sees their own dashboard, not this one's.
    _, other = pair(env)
    r = other["c"].get("/overzicht")
    expect_status(r, 200, "another counsellor's dashboard")
    linked = {int(i) for i in re.findall(r'href="/dossiers/(\d+)/werk', r.text)}
    check(not linked & set(cases.values()), "another counsellor's dashboard shows these cases")


# ---- tokens, readers, and what is stored ---------------------------------------------------------

def every_post(env, other_id, mark):
    """A valid form for each POST route of a new case (each would change it)."""
    full = {"told_on": "", "informed": "Informed " + mark}
    for cond in CONDITIONS:
        full["met_" + cond] = "yes"
        full["why_" + cond] = "Why " + mark
    return [("fase", {"from": "new", "to": "intake"}),
            ("voortgang", {"inventory": "Inv " + mark, "follow_up": "1"}),
            ("uitkomst", {"route": "mediation", "referral": "police"}),
            ("gesprek", contact_fields(notes="Notes " + mark)),
            ("afspraak", {"date": day(1), "time": "10:00", "place": "Place " + mark, "shared": "yes"}),
            ("toestemming", {"step": "mediation", "given": "yes", "on_date": day(), "how": "phone"}),
            ("klacht", {"summary": "Summary " + mark}),
            ("overdragen", {"to": str(other_id), "reason": "leaving"}),
            ("belangenconflict", {}),
            ("uitzondering", full)]


def untouched(env, c, cid, reader, mark, what):
    """Nothing of what a refused POST carried changed the case."""
    r = work(c, cid, "the reader's work page after %s" % what)
    check(phase_of(r) == "new", "%s moved the case" % what)
    check(mark not in r.text, "%s reached the work page" % what)
    for t in ("contacts", "appointments", "conflicts", "exceptions", "phase_moves"):
        check(count(env, t, cid) == 0, "%s stored a row in %s" % (what, t))
    check(count(env, "consents", cid) == 1, "%s recorded consent" % what)
    check(count(env, "complaints", cid) == 0, "%s stored a complaint" % what)
    act = "/dossiers/%d/uitkomst" % cid
    check(selected(r, act, "route") == [] and checked(r, act, "referral") == [], "%s changed the outcome" % what)
    check(conflict_names(r) == [], "%s declared a conflict" % what)
    keys = [u for (u,) in db_rows(env, "SELECT user_id FROM case_keys WHERE case_id = ?", (cid,))]
    check(keys == [reader], "%s changed who reads the case (%s)" % (what, keys))


@test("casework_needs_token_and_reader")
def _(env):
    a, b = pair(env)
    cid, _ = new_case(env, a, **named_fields(env, env.unique("zqwtok")))
    mark = env.unique("zqwrefused")
    env.markers.add(mark)
    # Consent to forward is in force, so a forward with a token would go through.
    consent(a["c"], cid, "forward_committee")
    missing = cid + 1000000
    for route, fields in every_post(env, b["id"], mark):
        path = "/dossiers/%d/%s" % (cid, route)
        # The reader without a token, and with another session's token.
        expect_status(post(a["c"], cid, route, fields, csrf=False), 403, "POST %s without a token" % path)
        r = a["c"].post(path, [("csrf", token(b["c"]))] + form_pairs(fields))
        expect_status(r, 403, "POST %s with another session's token" % path)
        # A counsellor who is not a reader: the 404 of a case that does not exist.
        r, none = post(b["c"], cid, route, fields), post(b["c"], missing, route, fields)
        expect_status(r, 404, "POST %s by a non-reader" % path)
        expect_status(none, 404, "POST %s to a case that does not exist" % path.replace(str(cid), str(missing)))
        check(without_tokens(r.text) == without_tokens(none.text),
              "POST %s: a non-reader's 404 differs from the 404 for no case" % path)
        untouched(env, a["c"], cid, a["id"], mark, "POST %s without a token or by a non-reader" % path)
    for sub in ("werk", "uitzondering"):
        r, none = b["c"].get("/dossiers/%d/%s" % (cid, sub)), b["c"].get("/dossiers/%d/%s" % (missing, sub))
        expect_status(r, 404, "GET /dossiers/%d/%s by a non-reader" % (cid, sub))
        check(without_tokens(r.text) == without_tokens(none.text),
              "GET /dossiers/:id/%s: a non-reader's 404 differs from the 404 for no case" % sub)


@test("casework_leaves_no_plaintext")
def _(env):
    a, b = pair(env)
    c = a["c"]
    m = {k: env.unique("zqwp%s" % k) for k in ("inventory", "notes", "place", "privateplace", "summary", "why",
                                               "informed", "refusednotes", "refusedplace", "refusedwhy", "name")}
    env.markers.update(m.values())
    cid, code = new_case(env, a, **named_fields(env, m["name"]))
    expect_back(post(c, cid, "voortgang", {"inventory": "Inventaris " + m["inventory"]}), cid, "voortgang", "inventory")
    expect_back(post(c, cid, "gesprek", contact_fields(notes="Notities " + m["notes"])), cid, "gesprekken", "notes")
    expect_back(post(c, cid, "afspraak", {"date": day(2), "time": "11:00", "place": "Plek " + m["place"],
                                          "shared": "yes"}), cid, "afspraken", "a shared appointment")
    expect_back(post(c, cid, "afspraak", {"date": day(2), "time": "12:00", "place": "Plek " + m["privateplace"]}),
                cid, "afspraken", "an appointment")
    consent(c, cid, "forward_committee")
    r = post(c, cid, "klacht", {"share_account": "yes", "summary": "Samenvatting " + m["summary"]})
    check(r.status == 303, "forwarding: status %d%s" % (r.status, errors_of(r)))
    exc = {"told_on": "", "informed": "Ingelicht " + m["informed"]}
    for cond in CONDITIONS:
        exc["met_" + cond] = "yes"
        exc["why_" + cond] = "Waarom %s %s" % (cond, m["why"])
    expect_redirect(post(c, cid, "uitzondering", exc), exception_path(cid), "an exception record")
    # Refused forms leave nothing either.
    expect_status(post(c, cid, "gesprek", contact_fields(minutes="0", notes="Geweigerd " + m["refusednotes"])), 400,
                  "a refused conversation")
    expect_status(post(c, cid, "afspraak", {"date": "", "time": "10:00", "place": "Geweigerd " + m["refusedplace"]}),
                  400, "a refused appointment")
    expect_status(post(c, cid, "uitzondering", dict(exc, informed="", why_referred="Geweigerd " + m["refusedwhy"])),
                  400, "a refused exception record")
    # Then a hand-over, so the case is sealed anew.
    expect_redirect(post(c, cid, "overdragen", {"to": str(b["id"]), "reason": "reporter_wish"}),
                    "/dossiers?overgedragen=1", "the hand-over")
    # The texts are all there for the new reader (so their absence below means something).
    page = work(b["c"], cid).text + b["c"].get(exception_path(cid)).text
    for k in ("inventory", "notes", "place", "privateplace", "why", "informed"):
        check(m[k] in page, "the new reader does not see the %s marker" % k)
    _, mb = mailbox(env, code)
    check(m["place"] in mb.text, "the reporter does not see the shared place")
    needles = {k: v.encode() for k, v in m.items()}
    needles["known"] = b"Dossierwerk "  # the unit's name is not secret: the scan must find it
    found, seen = scan_datadir(env, needles)
    check(seen >= 3, "the scan read only %d files" % seen)
    check(any(w == "known" for _, w in found), "the scan finds no known plain text (the unit's name)")
    found = [(f, w) for f, w in found if w != "known"]
    check(not found, "the data directory holds in the clear: %s" % ", ".join("%s in %s" % (w, f) for f, w in found[:6]))


@test("casework_unknown_phase_is_an_error_page")
def _(env):
    # A phase this version does not know (written by a newer version, or a
    # damaged row) answers a plain error page, moves nothing, and leaves the
    # server running: it once became an index past the end of the phase table.
    a, _ = pair(env)
    c = a["c"]
    cid, _ = new_case(env, a)
    db = database.connect(env.datadir, timeout=10)
    try:
        db.execute("UPDATE cases SET phase = 'mediation2' WHERE id = ?", (cid,))
        db.commit()
    finally:
        db.close()
    r = c.get(work_path(cid))
    expect_status(r, 500, "the work page of a case in an unknown phase")
    check("mediation2" not in r.text, "the error page shows the stored phase")
    # the move is refused, and the page it would return to cannot be shown either
    r = post(c, cid, "fase", {"from": "new", "to": "intake"})
    expect_status(r, 500, "moving a case in an unknown phase")
    check(db_rows(env, "SELECT phase FROM cases WHERE id = ?", (cid,))[0][0] == "mediation2",
          "the stored phase changed")
    check(count(env, "phase_moves", cid) == 0, "a move was recorded")
    # the server still answers, and the dashboard counts what it knows
    expect_status(c.get("/overzicht"), 200, "the dashboard with a case in an unknown phase")
