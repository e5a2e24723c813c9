"""The complaints committee's workspace (/klachten, /klachten/:id and the
forms that post from it): a complaint a counsellor forwarded reaches the
members of the committee of its unit (or one above) and only them; the page
shows what the reporter agreed to share and nothing of the counsellor's
notes; the procedure moves by its table and only that way, with the reasons
it needs, stored sealed; the decision term can be extended once on notice
and further only with the complainant's consent; the last incident's day
flags a late complaint. Every refused form: 400, the page again with the
reason next to the field, nothing stored.

Every test works on complaints of its own, forwarded by counsellors of
these tests to the demo committee (of Landelijk), never on the demo's."""

import datetime
import html
import re

from harness import check, expect_status, test
from test_casework import (consent, db_rows, errors_of, named_fields, new_case, pair, post, section, token)
from test_files import case_write, scan_datadir

ERR = {
    "to": "Deze stap kan nu niet: kies een van de stappen hieronder. De klacht kan intussen al verder zijn; "
          "kijk opnieuw.",
    "reason": "Schrijf de redenen op (hoogstens 8.000 tekens). Bij deze stap zijn ze verplicht.",
    "x-days": "Vul het aantal dagen in, van 1 tot 366.",
    "x-basis": "Kies op grond waarvan je verlengt.",
    "x-consent-on": "Vul de datum in waarop de klager instemde (vandaag of eerder).",
    "x-consent": "Dit uitstel kan alleen met schriftelijke instemming van de klager: er is al een keer verlengd, "
                 "of het is langer dan vier weken.",
    "i-date": "Vul een bestaande datum in, niet later dan de dag waarop de klacht binnenkwam. Of laat het leeg.",
    "advice": "Kies bij het advies of de klacht gegrond is.",
    "measures": "Kies bij het besluit de maatregelen, of geen maatregel (niet samen met andere).",
}
LATE = "Deze klacht is ingediend meer dan een jaar na het laatste voorval."
STEP_NL = {"received": "Ontvangen", "incomplete": "Wacht op aanvulling", "admissible": "Ontvankelijk",
           "not_admissible": "Niet ontvankelijk", "accused_informed": "Beklaagde ingelicht",
           "hearings": "Hoorzittingen", "advice": "Advies aan het bestuur", "decided": "Besluit van het bestuur",
           "closed": "Afgesloten", "withdrawn": "Ingetrokken", "mediation": "Bemiddeling"}


def day(n=0):
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def nl_date(iso):
    return "%s-%s-%s" % (iso[8:10], iso[5:7], iso[0:4])


def forwarded(env, mark=None, note=None):
    """A named report to counsellor A, with consent forwarded to the demo
    committee: (complaint id, case id, mark)."""
    a, _ = pair(env)
    mark = mark or env.unique("zqkmark")
    env.markers.add(mark)
    cid, _ = new_case(env, a, account="Klachtverslag " + mark, **named_fields(env, mark))
    if note:
        env.markers.add(note)
        r = case_write(a["c"], cid, "notitie", note, [])
        check(r.status == 303, "the counsellor's note: %d" % r.status)
    consent(a["c"], cid, "forward_committee")
    summary = "Samenvatting " + mark
    r = post(a["c"], cid, "klacht", {"share_account": "yes", "summary": summary})
    check(r.status == 303, "forwarding: %d%s" % (r.status, errors_of(r)))
    rows = db_rows(env, "SELECT id FROM complaints WHERE case_id = ?", (cid,))
    check(len(rows) == 1, "forwarding made %d complaints" % len(rows))
    return rows[0][0], cid, mark


def member(env):
    return env.session("committee")


def page(c, kid, status=200, what=None):
    r = c.get("/klachten/%d" % kid)
    expect_status(r, status, what or "GET /klachten/%d" % kid)
    return r


def send(c, kid, route, fields):
    pairs = [("csrf", token(c))]
    for k, v in fields.items():
        pairs.append((k, v))
    return c.post("/klachten/%d/%s" % (kid, route), pairs)


def expect_back(r, kid, part, what):
    want = "/klachten/%d#%s" % (kid, part)
    check(r.status == 303 and r.header("Location") == want, "%s: %d to %r, want 303 to %r%s" % (
        what, r.status, r.header("Location"), want, errors_of(r)))


def expect_refused(r, kid, input_id, what):
    expect_status(r, 400, what)
    check("<h1>Klacht %d</h1>" % kid in r.text, "%s: the answer is not the complaint's page" % what)
    check(r.header("Cache-Control") == "no-store", "%s: Cache-Control %r" % (what, r.header("Cache-Control")))
    m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(input_id), r.text)
    check(m, "%s: no error next to #%s%s" % (what, input_id, errors_of(r)))
    check(html.unescape(m.group(1)) == ERR[input_id], "%s: the error next to #%s says %r" % (
        what, input_id, html.unescape(m.group(1))))


def step_of(env, kid):
    return db_rows(env, "SELECT step FROM complaints WHERE id = ?", (kid,))[0][0]


def moves(env, kid):
    return db_rows(env, "SELECT count(*) FROM complaint_moves WHERE complaint_id = ?", (kid,))[0][0]


def list_ids(r):
    return [int(x) for x in re.findall(r'<a href="/klachten/(\d+)">', r.text)]


@test("complaints_forwarded_reach_the_committee")
def _(env):
    note = "Eigen notitie " + env.unique("zqknote")
    kid, cid, mark = forwarded(env, note=note)
    c = member(env)
    r = c.get("/klachten")
    expect_status(r, 200, "the committee's list")
    check(kid in list_ids(r), "the forwarded complaint is not in the committee's list")
    row = re.search(r'<tr[^>]*><td><a href="/klachten/%d">.*?</tr>' % kid, r.text, re.S).group(0)
    due = db_rows(env, "SELECT next_due_day FROM complaints WHERE id = ?", (kid,))[0][0]
    due_text = nl_date((datetime.date(1970, 1, 1) + datetime.timedelta(days=due)).isoformat())
    check("Ontvangen" in row and due_text in row, "the list's row does not show the step and %s: %s" % (due_text, row))
    check(due >= (datetime.date.today() - datetime.date(1970, 1, 1)).days + 14, "the next deadline is too soon")
    check("Doorgestuurd" in row, "the list does not say it was forwarded")
    r = page(c, kid)
    for want in ("Naam " + mark, mark + "@example.org", "Klachtverslag " + mark, "Samenvatting " + mark):
        check(html.escape(want, quote=True) in r.text, "the complaint's page does not show %r" % want)
    check(note not in r.text, "the committee sees the counsellor's note")
    check("Deze klacht is nu bij: <strong>Ontvangen</strong>" in r.text, "the page does not say the step")
    terms = section(r.text, "termijnen")
    check("Besluit over ontvankelijkheid" in terms and "Besluit van het bestuur" in terms,
          "the page does not list both clocks of receipt")
    # The counsellor who forwarded it, the other roles: not theirs.
    a, _ = pair(env)
    expect_status(a["c"].get("/klachten/%d" % kid), 403, "the forwarding counsellor opening the complaint")
    expect_status(env.session("reader").get("/klachten/%d" % kid), 403, "a reader opening the complaint")
    # Another unit's committee: a member of a unit beside it does not see it,
    # and gets the same 404 as for no complaint at all.
    other = env.create_unit(env.unique("Andere commissie "), "other", "")
    uid, email, name, pw = env.create_account("committee", units=[other])
    oc, _ = env.activate(email, pw)
    check(kid not in list_ids(oc.get("/klachten")), "another unit's committee lists the complaint")
    r1, r2 = oc.get("/klachten/%d" % kid), oc.get("/klachten/%d" % (kid + 1000000))
    expect_status(r1, 404, "another unit's committee opening the complaint")
    expect_status(r2, 404, "opening a complaint that does not exist")
    check(r1.text.replace("/klachten/%d" % kid, "") == r2.text.replace("/klachten/%d" % (kid + 1000000), ""),
          "the 404 for another's complaint differs from the 404 for none")
    # A member of the committee who joined after it came in holds no key to it.
    uid, email, name, pw = env.create_account("committee", units=[env.unit_id("Landelijk")])
    lc, _ = env.activate(email, pw)
    check(kid not in list_ids(lc.get("/klachten")), "a member who joined later lists the complaint")
    expect_status(lc.get("/klachten/%d" % kid), 404, "a member who joined later opening the complaint")


@test("complaints_procedure_by_the_table")
def _(env):
    kid, _, mark = forwarded(env)
    c = member(env)
    n = moves(env, kid)
    # Not in the table, or not from where it is: refused, nothing moves.
    for what, fields in (("received -> decided", {"from": "received", "to": "decided"}),
                         ("from a step it is not at", {"from": "admissible", "to": "accused_informed"}),
                         ("to no step", {"from": "received", "to": ""}),
                         ("to an unknown step", {"from": "received", "to": "zzgeen"})):
        r = send(c, kid, "stap", fields)
        expect_refused(r, kid, "to", "a move %s" % what)
        check(step_of(env, kid) == "received" and moves(env, kid) == n, "a refused move %s changed it" % what)
    # Not admissible needs its reasons; what was chosen stays chosen.
    r = send(c, kid, "stap", {"from": "received", "to": "not_admissible", "reason": "   "})
    expect_refused(r, kid, "reason", "not admissible without reasons")
    check('id="to-not_admissible" name="to" value="not_admissible" checked' in r.text,
          "the refused move's choice was not kept")
    r = send(c, kid, "stap", {"from": "received", "to": "not_admissible", "reason": "r" * 8001})
    expect_refused(r, kid, "reason", "reasons over 8,000 characters")
    check(step_of(env, kid) == "received" and moves(env, kid) == n, "a refused move changed the complaint")
    # Mediation stops the clocks, and leads back only where it came from.
    expect_back(send(c, kid, "stap", {"from": "received", "to": "mediation"}), kid, "stap", "starting mediation")
    r = page(c, kid)
    check("De termijnen staan nu stil." in r.text, "the page does not say the terms stand still")
    row = re.search(r'<a href="/klachten/%d">.*?</tr>' % kid, c.get("/klachten").text, re.S)
    check(row and "Staat stil" in row.group(0), "the list does not say the clocks stand still")
    offered = re.findall(r'name="to" value="([a-z_]+)"', section(r.text, "stap"))
    check(offered == ["received", "withdrawn"], "out of mediation the page offers %s" % offered)
    r = send(c, kid, "stap", {"from": "mediation", "to": "admissible"})
    expect_refused(r, kid, "to", "out of mediation into another step")
    expect_back(send(c, kid, "stap", {"from": "mediation", "to": "received"}), kid, "stap", "ending mediation")
    reason = "Ontvankelijk omdat " + env.unique("zqkreason")
    env.markers.add(reason)
    expect_back(send(c, kid, "stap", {"from": "received", "to": "admissible", "reason": reason}), kid, "stap",
                "declaring it admissible")
    r = page(c, kid)
    check("Deze klacht is nu bij: <strong>Ontvankelijk</strong>" in r.text, "the page does not show the new step")
    check(html.escape(reason) in section(r.text, "stap"), "the history does not show the reasons")
    terms = section(r.text, "termijnen")
    check("Op tijd" in terms, "the admissibility term is not shown as met in time")
    check(step_of(env, kid) == "admissible" and moves(env, kid) == n + 3, "the moves were not stored")
    # informing the accused needs them as a party: refused until added
    r = send(c, kid, "stap", {"from": "admissible", "to": "accused_informed"})
    expect_status(r, 400, "informing the accused before they are a party")
    r = send(c, kid, "partij", {"role": "accused", "name": "Bram Beklaagd " + mark})
    expect_status(r, 200, "adding the accused")
    for step in ("accused_informed", "hearings"):
        frm = step_of(env, kid)
        expect_back(send(c, kid, "stap", {"from": frm, "to": step}), kid, "stap", "moving to %s" % step)
    r = send(c, kid, "stap", {"from": "hearings", "to": "advice", "reason": ""})
    expect_refused(r, kid, "reason", "the advice without its text")
    advice = "Advies: de klacht is gegrond " + env.unique("zqkadvice")
    env.markers.add(advice)
    r = send(c, kid, "stap", {"from": "hearings", "to": "advice", "reason": advice})
    expect_refused(r, kid, "advice", "the advice without saying whether it is well-founded")
    expect_back(send(c, kid, "stap", {"from": "hearings", "to": "advice", "reason": advice,
                                      "advice": "well_founded"}), kid, "stap", "advice")
    for what, fields in (("no measure", {}), ("none with another", None), ("an unknown one", {"measure": "boete"})):
        pairs = [("csrf", token(c)), ("from", "advice"), ("to", "decided"), ("reason", "Besluit " + mark)]
        pairs += [("measure", "none"), ("measure", "warning")] if fields is None else list(fields.items())
        r = c.post("/klachten/%d/stap" % kid, pairs)
        expect_refused(r, kid, "measures", "the decision with %s" % what)
    expect_back(send(c, kid, "stap", {"from": "advice", "to": "decided", "reason": "Besluit " + mark,
                                      "measure": "warning"}), kid, "stap", "the board's decision")
    r = page(c, kid)
    check("Het advies van de commissie: <strong>Gegrond</strong>" in r.text, "the page does not show the advice")
    check("<li>Een waarschuwing</li>" in r.text, "the page does not show the measure")
    check(db_rows(env, "SELECT advice, measures FROM complaints WHERE id = ?", (kid,))[0] == ("well_founded", 4),
          "the advice and measures are not stored as counts")
    expect_back(send(c, kid, "stap", {"from": "decided", "to": "closed"}), kid, "stap", "closing")
    r = page(c, kid)
    check("Deze klacht is afgerond: er zijn geen stappen meer." in r.text, "a closed complaint offers steps")
    check(kid not in list_ids(c.get("/klachten")), "a closed complaint is in the open list")
    check(kid in list_ids(c.get("/klachten?weergave=gesloten")), "a closed complaint is not in the closed list")
    # The reasons are sealed: nowhere readable in the data directory.
    found, seen = scan_datadir(env, {k: v.encode() for k, v in (
        ("reason", reason), ("advice", advice), ("decision", "Besluit " + mark), ("account", "Klachtverslag " + mark))})
    check(seen > 0 and not found, "readable in the data directory: %s" % found)


@test("complaints_extension_needs_consent_the_second_time")
def _(env):
    kid, _, _ = forwarded(env)
    c = member(env)
    term = db_rows(env, "SELECT id, due_day FROM complaint_terms WHERE complaint_id = ? AND kind = 'decision'",
                   (kid,))[0]
    ext = lambda: db_rows(env, "SELECT count(*) FROM complaint_extensions WHERE term_id = ?", (term[0],))[0][0]
    for input_id, fields in (("x-days", {"days": "0", "basis": "notice"}),
                             ("x-days", {"days": "veel", "basis": "notice"}),
                             ("x-basis", {"days": "7", "basis": "zomaar"}),
                             ("x-basis", {"days": "7"}),
                             ("x-consent-on", {"days": "7", "basis": "consent", "consent_on": day(1)}),
                             ("x-consent-on", {"days": "7", "basis": "consent", "consent_on": ""}),
                             ("x-consent", {"days": "35", "basis": "notice"})):
        fields = dict(fields, term=str(term[0]))
        r = send(c, kid, "verlengen", fields)
        expect_refused(r, kid, input_id, "an extension %s" % fields)
        check(ext() == 0, "a refused extension was stored")
    check('name="days" value="35"' in send(c, kid, "verlengen", {"term": str(term[0]), "days": "35",
                                                                 "basis": "notice"}).text,
          "the typed number of days was not kept")
    expect_back(send(c, kid, "verlengen", {"term": str(term[0]), "days": "28", "basis": "notice"}), kid,
                "termijnen", "four weeks on notice")
    due = db_rows(env, "SELECT due_day FROM complaint_terms WHERE id = ?", (term[0],))[0][0]
    check(due >= term[1] + 28, "four weeks' extension moved the due day by %d days" % (due - term[1]))
    r = send(c, kid, "verlengen", {"term": str(term[0]), "days": "7", "basis": "notice"})
    expect_refused(r, kid, "x-consent", "a second extension on notice")
    expect_back(send(c, kid, "verlengen", {"term": str(term[0]), "days": "7", "basis": "consent",
                                           "consent_on": day()}), kid, "termijnen", "a further week with consent")
    check(ext() == 2, "%d extensions stored, want 2" % ext())
    check("+ 35 dagen" in section(page(c, kid).text, "termijnen"), "the page does not show the 35 days added")


@test("complaints_late_flag")
def _(env):
    kid, _, _ = forwarded(env)
    c = member(env)
    for bad in ("gisteren", "2026-02-30", day(1)):
        r = send(c, kid, "voorval", {"date": bad})
        expect_refused(r, kid, "i-date", "the last incident %r" % bad)
    check(db_rows(env, "SELECT last_incident_day, filed_late FROM complaints WHERE id = ?", (kid,))[0] == (0, 0),
          "a refused date was stored")
    expect_back(send(c, kid, "voorval", {"date": day(-400)}), kid, "voorval", "a last incident 400 days ago")
    r = page(c, kid)
    check(LATE in r.text, "the page does not flag the late complaint")
    row = re.search(r'<a href="/klachten/%d">.*?</tr>' % kid, c.get("/klachten").text, re.S)
    check(row and "meer dan een jaar na het voorval" in row.group(0), "the list does not flag the late complaint")
    expect_back(send(c, kid, "voorval", {"date": ""}), kid, "voorval", "clearing the date")
    check(LATE not in page(c, kid).text, "the flag stays after the date was cleared")


@test("complaints_list_views")
def _(env):
    c = member(env)
    for q in ("?weergave=zzgeen", "?pagina=0", "?pagina=x", "?pagina=100001"):
        expect_status(c.get("/klachten" + q), 400, "GET /klachten%s" % q)
    for q in ("", "?weergave=achterstallig", "?weergave=gesloten", "?pagina=2"):
        r = c.get("/klachten" + q)
        expect_status(r, 200, "GET /klachten%s" % q)
        check(r.header("Cache-Control") == "no-store", "GET /klachten%s may be cached" % q)
    kid, _, _ = forwarded(env)
    check(kid not in list_ids(c.get("/klachten?weergave=achterstallig")), "a new complaint is listed as overdue")
    r = env.session("committee").get("/start")
    check('href="/klachten"' in r.text, "the committee's start page does not link to the complaints")
    check('href="/klachten/termijnen"' in r.text, "the committee's start page does not link to the clocks")
    # every running clock: the new complaint's two are there, with working days left
    rows = []
    for n in range(1, 50):
        r = c.get("/klachten/termijnen" + ("?pagina=%d" % n if n > 1 else ""))
        expect_status(r, 200, "the clocks, page %d" % n)
        rows += re.findall(r'<a href="/klachten/(\d+)#termijnen">[^<]*</a></td><td>([^<]*)</td><td>([^<]*)</td>'
                           r'<td>(\d+) werkdagen over</td>', r.text)
        if 'pagina=%d"' % (n + 1) not in r.text:
            break
    mine = [(kind, due) for k, kind, due, _ in rows if int(k) == kid]
    check(len(mine) == 2 and {k for k, _ in mine} == {"Besluit over ontvankelijkheid", "Besluit van het bestuur"},
          "the clocks page lists %s for the new complaint" % mine)
    for q in ("?pagina=0", "?pagina=x"):
        expect_status(c.get("/klachten/termijnen" + q), 400, "GET /klachten/termijnen%s" % q)


ENTRY_ERR = {
    "unit": "Kies een eenheid uit de lijst.",
    "channel": "Kies hoe de klacht binnenkwam.",
    "received_on": "Vul de dag in dat de klacht binnenkwam: een bestaande datum, vandaag of eerder, hoogstens een "
                   "jaar geleden.",
    "name": "Vul de naam van de klager in (een regel, hoogstens 200 tekens).",
    "contact": "Vul een e-mailadres of een telefoonnummer in, zodat de commissie de klager kan bereiken.",
    "email": "Vul een geldig e-mailadres in, of laat het leeg.",
    "phone": "Vul een telefoonnummer in (hoogstens 40 tekens), of laat het leeg.",
    "accused": "Vul in over wie de klacht gaat (een regel, hoogstens 200 tekens).",
    "account": "Vul in wat er gebeurde (hoogstens 20.000 tekens).",
    "when": "Schrijf wanneer het gebeurde op een regel (hoogstens 500 tekens).",
    "last_incident": "Vul een bestaande datum in, niet later dan de dag dat de klacht binnenkwam. Of laat het leeg.",
    "asks": "Wat de klager wil bereiken mag hoogstens 4.000 tekens zijn.",
}


@test("complaints_entered_by_the_secretary")
def _(env):
    c = member(env)
    r = c.get("/klachten/nieuw")
    expect_status(r, 200, "the entry form")
    check('<option value="%d"' % env.unit_id("Landelijk") in r.text, "the form does not offer Landelijk")
    mark = env.unique("zqkentry")
    env.markers.add(mark)
    good = {"unit": str(env.unit_id("Landelijk")), "channel": "letter", "received_on": day(-3),
            "name": "Klager " + mark, "email": "klager.%s@example.org" % mark, "phone": "",
            "accused": "Beklaagde " + mark, "account": "Brief over " + mark, "when": "Vorige maand",
            "last_incident": day(-40), "asks": "Excuses " + mark}
    before = env.db_count("complaints")
    for field, change in (("unit", {"unit": ""}), ("unit", {"unit": "99999999"}), ("channel", {"channel": "web"}),
                          ("received_on", {"received_on": day(1)}), ("received_on", {"received_on": day(-400)}),
                          ("received_on", {"received_on": "gisteren"}), ("name", {"name": ""}),
                          ("contact", {"email": "", "phone": ""}), ("email", {"email": "geen adres"}),
                          ("phone", {"phone": "1" * 41}), ("accused", {"accused": " "}),
                          ("account", {"account": ""}), ("account", {"account": "a" * 20001}),
                          ("last_incident", {"last_incident": day(-2)}), ("asks", {"asks": "x" * 4001})):
        fields = dict(good, **change)
        r = c.post("/klachten/nieuw", [("csrf", token(c))] + list(fields.items()))
        expect_status(r, 400, "an entry with a bad %s" % field)
        err_id = "email" if field == "contact" else field
        m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % err_id, r.text)
        check(m and html.unescape(m.group(1)) == ENTRY_ERR[field], "an entry with a bad %s: the error next to #%s "
              "says %r" % (field, err_id, m and html.unescape(m.group(1))))
        check('<a href="#%s">%s</a>' % (err_id, html.escape(ENTRY_ERR[field], quote=False)) in r.text,
              "an entry with a bad %s: the summary does not link to the field" % field)
        if field != "name":
            check('value="Klager %s"' % mark in r.text, "the typed name was not kept")
        check(env.db_count("complaints") == before, "a refused entry was stored")
    r = c.post("/klachten/nieuw", [("csrf", token(c))] + list(good.items()))
    check(r.status == 303 and re.fullmatch(r"/klachten/\d+", r.location or ""), "entering: %d to %r%s" % (
        r.status, r.location, errors_of(r)))
    kid = int(r.location.rsplit("/", 1)[1])
    r = page(c, kid)
    for want in ("Klager " + mark, "Beklaagde " + mark, "Brief over " + mark, "Excuses " + mark, "Per brief",
                 "Binnengekomen op %s" % nl_date(day(-3))):
        check(html.escape(want) in r.text, "the entered complaint's page does not show %r" % want)
    check(kid in list_ids(c.get("/klachten")), "the entered complaint is not in the list")
    # sealed: the demo committee's other members open it, nobody else
    other = env.session_as(env.email("committee", 1))
    expect_status(other.get("/klachten/%d" % kid), 200, "another member of the committee opening it")
    found, seen = scan_datadir(env, {k: v.encode() for k, v in (("name", "Klager " + mark),
                                                               ("accused", "Beklaagde " + mark),
                                                               ("account", "Brief over " + mark))})
    check(seen > 0 and not found, "readable in the data directory: %s" % found)
