"""The parties to a complaint (issue 8): a complainant files a complaint
themself at /klacht-indienen and gets a receipt code; the committee adds the
accused (with a code of their own) and a supporting counsellor; the
complainant and the accused each see exactly their part at /mijn-klacht (the
letters to and from them, their hearings, their minutes, the decision), the
counsellor at /ondersteuning. The accused never sees the complainant's
contact details unless the committee records that they may; nobody sees the
minutes of a hearing they were not heard at. Every refused form: 400, the
reason next to the field, nothing stored; nothing typed is readable in the
data directory."""

import html
import re

from harness import SEEN_SECRETS, RECEIPT_RE, check, expect_status, secret_text, test
from test_casework import db_rows, errors_of, section, token
from test_complaints import day, expect_back, member, send, step_of
from test_files import scan_datadir

FORM_ERR = {
    "unit": "Kies bij welk deel van de organisatie je klacht hoort.",
    "name": "Vul je naam in (een regel, hoogstens 200 tekens).",
    "email": "Vul een e-mailadres of een telefoonnummer in, zodat de commissie je kan bereiken.",
    "accused": "Vul in over wie de klacht gaat (een regel, hoogstens 200 tekens).",
    "account": "Vertel wat er gebeurde (hoogstens 20.000 tekens).",
    "last_incident": "Vul een geldige datum in, niet later dan vandaag, of laat het leeg.",
}


def remember(code):
    SEEN_SECRETS.add(code)
    SEEN_SECRETS.add(code.replace("-", ""))
    return code


def file_complaint(env, c=None, files=None, **kw):
    """GET and POST the public form as an anonymous visitor, with files
    [(name, bytes, type)] if given; (client, response)."""
    c = c or env.client()
    r = c.get("/klacht-indienen")
    expect_status(r, 200, "GET /klacht-indienen")
    tok = r.page.csrf("/klacht-indienen")
    check(tok, "the complaint form has no csrf token")
    fields = {"unit": str(env.unit_id("Landelijk")), "name": "Noor Klager", "email": "noor@example.org",
              "phone": "", "accused": "Bram Beklaagd", "account": "Wat er gebeurde", "when": "in mei",
              "last_incident": "", "asks": "Excuses"}
    fields.update(kw)
    pairs = [("csrf", tok)] + list(fields.items())
    if files is None:
        return c, c.post("/klacht-indienen", pairs)
    return c, c.post_multipart("/klacht-indienen", pairs, [("files", n, d, t) for n, d, t in files])


def filed(env, files=None, **kw):
    """A complaint through the public form: (complaint id, the complainant's code)."""
    before = db_rows(env, "SELECT coalesce(max(id), 0) FROM complaints")[0][0]
    _, r = file_complaint(env, files=files, **kw)
    expect_status(r, 200, "filing a complaint")
    code = secret_text(r.page)
    check(code and RECEIPT_RE.match(code), "no receipt code on the answer")
    remember(code)
    kid = db_rows(env, "SELECT max(id) FROM complaints")[0][0]
    check(kid > before, "no complaint was stored")
    return kid, code


def mailbox(env, code, fields=None, status=200, what="the mailbox"):
    c = env.client()
    r = c.get("/mijn-klacht")
    expect_status(r, 200, "GET /mijn-klacht")
    pairs = [("csrf", r.page.csrf("/mijn-klacht")), ("code", code)] + list((fields or {}).items())
    r = c.post("/mijn-klacht", pairs)
    expect_status(r, status, what)
    return r


def add_party(env, c, kid, **fields):
    r = send(c, kid, "partij", fields)
    if fields.get("role") == "supporter":
        expect_back(r, kid, "partijen", "adding a supporter")
        return None
    expect_status(r, 200, "adding a %s" % fields.get("role"))
    code = secret_text(r.page)
    check(code and RECEIPT_RE.match(code), "no code shown for the new party")
    return remember(code)


def move(env, c, kid, to, **extra):
    expect_back(send(c, kid, "stap", dict({"from": step_of(env, kid), "to": to}, **extra)), kid, "stap",
                "moving to %s" % to)


def field_error(r, input_id):
    m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(input_id), r.text)
    return html.unescape(m.group(1)) if m else None


@test("complaint_form_public")
def _(env):
    home = env.client().get("/")
    check('href="/klacht-indienen"' in home.text and 'href="/mijn-klacht"' in home.text,
          "the home page does not link to the complaint form and the complaint mailbox")
    n = env.db_count("complaints")
    cases = [("unit", {"unit": ""}), ("unit", {"unit": "999999"}), ("name", {"name": " "}),
             ("name", {"name": "n" * 201}), ("email", {"email": "", "phone": ""}),
             ("accused", {"accused": ""}), ("account", {"account": "   "}),
             ("account", {"account": "a" * 20001}), ("last_incident", {"last_incident": day(1)}),
             ("last_incident", {"last_incident": "gisteren"})]
    for input_id, kw in cases:
        _, r = file_complaint(env, **kw)
        expect_status(r, 400, "a complaint with %s" % list(kw))
        got = field_error(r, input_id)
        check(got == FORM_ERR[input_id], "a complaint with %s: next to #%s %r" % (list(kw), input_id, got))
        check(env.db_count("complaints") == n, "a refused complaint was stored")
    kid, code = filed(env, accused="Bram " + env.unique("zqpacc"))
    check(db_rows(env, "SELECT channel, step, case_id FROM complaints WHERE id = ?", (kid,))[0] ==
          ("web", "received", 0), "the complaint is not stored as filed through the web")
    r = mailbox(env, code)
    check("Bevestiging van ontvangst" in r.text, "the mailbox has no confirmation of receipt")
    check("Wat er gebeurde" in r.text and "Jij bent" in r.text and "klager" in r.text,
          "the complainant's mailbox does not show their complaint")
    # a wrong code: the mailbox form again, and a typo is told as one
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    r = mailbox(env, bad, status=400, what="a mistyped code")
    check("tikfout" in r.text or "geen klacht" in r.text, "a wrong code is not explained")
    # the committee sees it with the complainant as a party
    c = member(env)
    r = c.get("/klachten/%d" % kid)
    expect_status(r, 200, "the committee opening a filed complaint")
    check("Noor Klager" in section(r.text, "partijen") and "heeft een code" in section(r.text, "partijen"),
          "the committee does not see the complainant as a party")


@test("complaint_parties_each_see_their_part")
def _(env):
    mark = env.unique("zqpmark")
    env.markers.add(mark)
    kid, ccode = filed(env, name="Noor " + mark, email=mark + "@example.org", phone="0612" + mark[-6:],
                       account="Verslag " + mark, asks="Vraag " + mark)
    c = member(env)
    # refused party forms: nothing stored
    parties = lambda: db_rows(env, "SELECT count(*) FROM complaint_parties WHERE complaint_id = ?", (kid,))[0][0]
    for input_id, fields in (("p-name", {"role": "accused", "name": ""}),
                             ("p-email", {"role": "accused", "name": "Bram", "email": "geen-adres"}),
                             ("p-role", {"role": "complainant", "name": "Nog een klager"}),
                             ("p-role", {"role": "boss", "name": "X"}),
                             ("p-counsellor", {"role": "supporter", "counsellor": "999999"})):
        r = send(c, kid, "partij", fields)
        expect_status(r, 400, "adding a party %s" % fields)
        check(field_error(r, input_id), "adding a party %s: no error next to #%s%s" % (fields, input_id,
                                                                                    errors_of(r)))
    check(parties() == 1, "a refused party was stored")
    # informing the accused needs the accused as a party
    move(env, c, kid, "admissible", reason="Ontvankelijk")
    r = send(c, kid, "stap", {"from": "admissible", "to": "accused_informed"})
    expect_status(r, 400, "informing without an accused")
    acode = add_party(env, c, kid, role="accused", name="Bram " + mark, email="bram@example.org")
    r = send(c, kid, "partij", {"role": "accused", "name": "Bram " + mark})
    expect_status(r, 400, "adding the same accused twice (a reload)")
    counsellor_id = env.user_id(env.email("counsellor"))
    add_party(env, c, kid, role="supporter", counsellor=str(counsellor_id))
    move(env, c, kid, "accused_informed")
    # the accused reads the complaint with the complainant's name, not their contact details
    r = mailbox(env, acode)
    check("De klacht" in r.text and "Verslag " + mark in r.text and "Noor " + mark in r.text,
          "the accused did not get the complaint")
    check(mark + "@example.org" not in r.text and "0612" + mark[-6:] not in r.text,
          "the accused sees the complainant's contact details")
    check("Jij bent" in r.text and "beklaagde" in r.text, "the accused's mailbox does not say who they are")
    # their written response reaches the committee, once even when resent
    response = "Mijn reactie " + mark
    mailbox(env, acode, {"reply": response})
    mailbox(env, acode, {"reply": response})
    r = mailbox(env, acode, {"reply": " "}, status=400, what="an empty letter")
    check("Schrijf je bericht" in r.text, "an empty letter is not explained")
    r = c.get("/klachten/%d" % kid)
    check(section(r.text, "brieven").count(html.escape(response)) == 1, "the committee does not see the response once")
    check(response not in mailbox(env, ccode).text, "the complainant sees the accused's letter")
    # hearings: separately by default
    move(env, c, kid, "hearings")
    pid = dict((role, i) for i, role in db_rows(env, "SELECT id, role FROM complaint_parties WHERE complaint_id = ?",
                                                (kid,)))
    hearings = lambda: db_rows(env, "SELECT count(*) FROM complaint_hearings WHERE complaint_id = ?", (kid,))[0][0]
    for input_id, pairs in (("h-day", [("day", "morgen"), ("heard", str(pid["complainant"]))]),
                            ("h-heard", [("day", day(7))]),
                            ("h-heard", [("day", day(7)), ("heard", str(pid["supporter"]))]),
                            ("h-jointly", [("day", day(7)), ("heard", str(pid["complainant"])),
                                           ("heard", str(pid["accused"]))])):
        r = c.post("/klachten/%d/hoorzitting" % kid, [("csrf", token(c))] + pairs)
        expect_status(r, 400, "a hearing %s" % pairs)
        check(field_error(r, input_id), "a hearing %s: no error next to #%s" % (pairs, input_id))
    check(hearings() == 0, "a refused hearing was stored")
    place = "Zaal " + mark
    r = c.post("/klachten/%d/hoorzitting" % kid, [("csrf", token(c)), ("day", day(7)), ("time", "10:00"),
                                                  ("place", place), ("heard", str(pid["complainant"])),
                                                  ("supporters", "Steun " + mark)])
    expect_back(r, kid, "hoorzittingen", "planning the complainant's hearing")
    r = c.post("/klachten/%d/hoorzitting" % kid, [("csrf", token(c)), ("day", day(8)),
                                                  ("heard", str(pid["accused"]))])
    expect_back(r, kid, "hoorzittingen", "planning the accused's hearing")
    hid = dict((p, h) for h, p in db_rows(env, "SELECT d.hearing_id, d.party_id FROM complaint_heard d"
                                               " JOIN complaint_hearings h ON h.id = d.hearing_id"
                                               " WHERE h.complaint_id = ?", (kid,)))
    r = mailbox(env, ccode)
    check("Uitnodiging voor een hoorzitting" in r.text and place in r.text, "the complainant is not invited")
    check("Apart gehoord" in r.text, "the hearing does not say separately")
    check(place not in mailbox(env, acode).text, "the accused sees the complainant's hearing")
    # minutes to each heard, once
    r = send(c, kid, "verslag", {"hearing": str(hid[pid["complainant"]]), "minutes": " "})
    expect_status(r, 400, "empty minutes")
    cmin, amin = "Verslag klager " + mark, "Verslag beklaagde " + mark
    expect_back(send(c, kid, "verslag", {"hearing": str(hid[pid["complainant"]]), "minutes": cmin}), kid,
                "hoorzittingen", "sending the complainant's minutes")
    expect_back(send(c, kid, "verslag", {"hearing": str(hid[pid["accused"]]), "minutes": amin}), kid,
                "hoorzittingen", "sending the accused's minutes")
    r = send(c, kid, "verslag", {"hearing": str(hid[pid["accused"]]), "minutes": "Opnieuw"})
    expect_status(r, 400, "sending minutes twice")
    r = mailbox(env, ccode)
    check(cmin in r.text and amin not in r.text, "the complainant sees the wrong minutes")
    r = mailbox(env, acode)
    check(amin in r.text and cmin not in r.text, "the accused sees the wrong minutes")
    check(db_rows(env, "SELECT count(*) FROM complaint_terms WHERE complaint_id = ? AND kind = 'minutes'",
                  (kid,))[0][0] == 2, "the minutes terms did not start")
    # reactions: remarks need words; once only
    h = str(hid[pid["complainant"]])
    r = mailbox(env, ccode, {"hearing": h, "choice": "remarks", "remarks": ""}, status=400, what="empty remarks")
    check("Schrijf je opmerkingen op" in r.text, "empty remarks are not explained")
    r = mailbox(env, ccode, {"hearing": h}, status=400, what="a reaction without a choice")
    remarks = "Opmerking " + mark
    r = mailbox(env, ccode, {"hearing": h, "choice": "remarks", "remarks": remarks})
    check("Je reactie op het verslag is verstuurd." in r.text and "opmerkingen gegeven" in r.text,
          "the reaction is not confirmed")
    mailbox(env, ccode, {"hearing": h, "choice": "approve"}, status=400, what="reacting twice")
    mailbox(env, acode, {"hearing": h, "choice": "approve"}, status=400, what="reacting to another's minutes")
    mailbox(env, acode, {"hearing": str(hid[pid["accused"]]), "choice": "approve"})
    check(db_rows(env, "SELECT count(*) FROM complaint_terms WHERE complaint_id = ? AND kind = 'minutes'"
                       " AND met_day > 0", (kid,))[0][0] == 2, "the reactions did not meet the minutes terms")
    r = c.get("/klachten/%d" % kid)
    check("opmerkingen gegeven" in section(r.text, "hoorzittingen") and
          "goedgekeurd" in section(r.text, "hoorzittingen"), "the committee does not see the reactions")
    # an extension and the decision go to both parties
    term = db_rows(env, "SELECT id FROM complaint_terms WHERE complaint_id = ? AND kind = 'decision'", (kid,))[0][0]
    expect_back(send(c, kid, "verlengen", {"term": str(term), "days": "14", "basis": "notice"}), kid, "termijnen",
                "an extension")
    move(env, c, kid, "advice", reason="Advies " + mark, advice="well_founded")
    decision = "Besluit " + mark
    move(env, c, kid, "decided", reason=decision, measure="warning")
    for who, code in (("complainant", ccode), ("accused", acode)):
        r = mailbox(env, code)
        check("Verlenging van de termijn" in r.text, "the %s got no notice of the extension" % who)
        check(decision in r.text, "the %s did not get the decision" % who)
        check("Advies " + mark not in r.text, "the %s sees the advice to the board" % who)
    # the supporting counsellor: invitations and the decision, never the file
    a = env.session("counsellor")
    r = a.get("/ondersteuning")
    expect_status(r, 200, "the counsellor's supported complaints")
    check('href="/ondersteuning/%d"' % kid in r.text, "the supported complaint is not listed")
    r = a.get("/ondersteuning/%d" % kid)
    expect_status(r, 200, "the counsellor's view")
    check(decision in r.text and place in r.text, "the supporter does not see the decision and the invitation")
    for secret in (cmin, amin, response, remarks, "Advies " + mark):
        check(secret not in r.text, "the supporter sees %r" % secret)
    expect_status(a.get("/klachten/%d" % kid), 403, "the supporter opening the committee's file")
    other, _ = env.session("committee"), None
    uid, email, name, pw = env.create_account("counsellor", units=[env.unit_id("Landelijk")])
    oc, _ = env.activate(email, pw)
    expect_status(oc.get("/ondersteuning/%d" % kid), 404, "another counsellor opening the supporter's view")
    # nothing anyone typed is readable in the data directory
    found, seen = scan_datadir(env, {k: v.encode() for k, v in (
        ("name", "Noor " + mark), ("email", mark + "@example.org"), ("account", "Verslag " + mark),
        ("asks", "Vraag " + mark), ("accused", "Bram " + mark), ("place", place), ("supporters", "Steun " + mark),
        ("minutes", cmin), ("remarks", remarks), ("response", response), ("decision", decision))})
    check(seen > 0 and not found, "readable in the data directory: %s" % found)


@test("complaint_contact_shared_only_when_agreed")
def _(env):
    mark = env.unique("zqpshare")
    kid, _ = filed(env, email=mark + "@example.org")
    c = member(env)
    move(env, c, kid, "admissible", reason="Ontvankelijk")
    acode = add_party(env, c, kid, role="accused", name="Bram " + mark)
    move(env, c, kid, "accused_informed", share_contact="1")
    check(mark + "@example.org" in mailbox(env, acode).text,
          "the accused does not see the contact details the complainant agreed to share")


@test("complaint_files_with_the_complaint")
def _(env):
    mark = env.unique("zqpfile")
    env.markers.add(mark)
    n = env.db_count("complaints")
    # a file the form refuses: the form again, saying so, nothing stored
    _, r = file_complaint(env, files=[("script.exe", b"MZ" + mark.encode(), "application/octet-stream")])
    expect_status(r, 400, "a complaint with a refused file")
    check(field_error(r, "files"), "a refused file is not explained next to the file input%s" % errors_of(r))
    check(env.db_count("complaints") == n, "a complaint with a refused file was stored")
    body = ("Brief van de klager " + mark + "\n").encode()
    kid, code = filed(env, files=[("brief.txt", body, "text/plain")])
    rows = db_rows(env, "SELECT file_id FROM complaint_attachments WHERE complaint_id = ?", (kid,))
    check(len(rows) == 1, "%d files stored with the complaint, want 1" % len(rows))
    fid = rows[0][0]
    # the committee sees and downloads it
    c = member(env)
    r = c.get("/klachten/%d" % kid)
    check('href="/klachten/%d/bestand/%s"' % (kid, fid) in r.text, "the committee's page does not list the file")
    r = c.get("/klachten/%d/bestand/%s" % (kid, fid))
    expect_status(r, 200, "the committee downloading the file")
    check(r.body == body, "the downloaded file differs from the one sent")
    expect_status(c.get("/klachten/%d/bestand/%s" % (kid, "0" * 32)), 404, "a file the complaint does not have")
    check(db_rows(env, "SELECT count(*) FROM audit_log WHERE action = 'complaint.file' AND object_id = ?",
                  (kid,))[0][0] >= 1, "the download is not in the audit log")
    # the complainant's mailbox names it (their own key opens no file of the committee's)
    r = mailbox(env, code)
    check("brief.txt" in section(r.text, "brieven") or "brief.txt" in r.text, "the complainant's mailbox does not "
          "name the file they sent")
    check("/bestand" not in r.text, "the complainant's mailbox offers a download")
    # another unit's committee, a counsellor: not theirs
    expect_status(env.session("counsellor").get("/klachten/%d/bestand/%s" % (kid, fid)), 403,
                  "a counsellor downloading a complaint's file")
    found, seen = scan_datadir(env, {"file": mark.encode()})
    check(seen > 0 and not found, "the file is readable in the data directory: %s" % found)
