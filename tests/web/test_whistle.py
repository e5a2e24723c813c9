"""The whistleblower channel (issue 10): a report of suspected wrongdoing
through the public form at /misstand-melden, anonymously or by name, with a
receipt code for the mailbox at /mijn-misstand; an oral report entered by the
integrity officer at /meldpunt/nieuw, whose minutes the reporter approves or
corrects in the mailbox; the register at /meldpunt with the next deadline of
each report; the acknowledgement, messages, feedback, notes, assessment and
closing on /meldpunt/:id, with the clocks shown to the reporter; the identity
sealed apart, opened only with a recorded reason (audited), and told to no
one without the reporter's recorded consent. Every refused form: 400, the
reason beside the field, nothing stored; nothing typed is readable in the
data directory; every role but the integrity officer is refused."""

import datetime
import html
import re

from harness import ROLES, RECEIPT_RE, SEEN_SECRETS, check, expect_status, secret_text, test
from test_access import anonymous, check_403, path_for, post_matrix, session_token
from test_casework import db_rows, errors_of
from test_files import scan_datadir

FORM_ERR = {
    "unit": "Kies bij welk deel van de organisatie het speelt.",
    "relation": "Kies hoe je voor of met de organisatie werkt.",
    "category": "Kies een soort misstand uit de lijst, of 'Weet ik niet'.",
    "what": "Schrijf op wat er aan de hand is (hoogstens 20.000 tekens).",
    "when_where": "Dit is te lang: hoogstens 2.000 tekens.",
    "name": "Een naam past op één regel, hoogstens 200 tekens.",
    "email": "Dit is geen e-mailadres. Laat het leeg als je geen bericht wilt.",
    "phone": "Een telefoonnummer past op één regel, hoogstens 40 tekens.",
    "channel": "Kies hoe de melding binnenkwam.",
    "received_on": "Geef de dag van de melding: niet in de toekomst, en niet meer dan een jaar geleden.",
    "meeting_on": "Geef de dag van het gesprek: op of na de dag van de melding, en niet in de toekomst.",
    "minutes": "Schrijf het verslag van het gesprek (hoogstens 60.000 tekens).",
}


def day(n=0):
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def remember(code):
    SEEN_SECRETS.add(code)
    SEEN_SECRETS.add(code.replace("-", ""))
    return code


def field_error(r, input_id):
    m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(input_id), r.text)
    return html.unescape(m.group(1)) if m else None


def report_form(env, c=None, files=None, **kw):
    """GET and POST the public form as a visitor, with files [(name, bytes,
    type)] if given; the answer."""
    c = c or env.client()
    r = c.get("/misstand-melden")
    expect_status(r, 200, "GET /misstand-melden")
    tok = r.page.csrf("/misstand-melden")
    check(tok, "the whistleblower form has no csrf token")
    fields = {"unit": str(env.unit_id("Landelijk")), "relation": "volunteer", "category": "",
              "what": "Er wordt met declaraties gesjoemeld", "when_where": "", "involved": "", "other": "",
              "name": "", "email": "", "phone": ""}
    fields.update(kw)
    pairs = [("csrf", tok)] + list(fields.items())
    if files is None:
        return c.post("/misstand-melden", pairs)
    return c.post_multipart("/misstand-melden", pairs, [("files", n, d, t) for n, d, t in files])


def reported(env, files=None, **kw):
    """A report through the public form: (its id, the reporter's code)."""
    before = db_rows(env, "SELECT coalesce(max(id), 0) FROM wb_reports")[0][0]
    r = report_form(env, files=files, **kw)
    expect_status(r, 200, "making a report of wrongdoing")
    code = secret_text(r.page)
    check(code and RECEIPT_RE.match(code), "no receipt code on the answer")
    remember(code)
    wid = db_rows(env, "SELECT max(id) FROM wb_reports")[0][0]
    check(wid > before, "no report was stored")
    return wid, code


def mailbox(env, code, fields=None, status=200, what="the mailbox"):
    c = env.client()
    r = c.get("/mijn-misstand")
    expect_status(r, 200, "GET /mijn-misstand")
    pairs = [("csrf", r.page.csrf("/mijn-misstand")), ("code", code)] + list((fields or {}).items())
    r = c.post("/mijn-misstand", pairs)
    expect_status(r, status, what)
    return r


def officer(env):
    return env.session("integrity")


def send(c, wid, route, fields):
    return c.post("/meldpunt/%d/%s" % (wid, route), [("csrf", session_token(c))] + list(fields.items()))


def expect_back(r, wid, part, what):
    want = "/meldpunt/%d#%s" % (wid, part)
    check(r.status == 303 and r.header("Location") == want, "%s: %d to %r, want 303 to %r%s" % (
        what, r.status, r.header("Location"), want, errors_of(r)))


def expect_refused(r, wid, message, what):
    expect_status(r, 400, what)
    check("<h1>Melding %d</h1>" % wid in r.text, "%s: the answer is not the report's page" % what)
    check(message in html.unescape(r.text), "%s: the page does not say %r" % (what, message))


def row(env, wid, cols):
    return db_rows(env, "SELECT %s FROM wb_reports WHERE id = ?" % cols, (wid,))[0]


def events(env, wid):
    return [k for (k,) in db_rows(env, "SELECT kind FROM wb_events WHERE report_id = ? ORDER BY id", (wid,))]


def audited(env, action, wid):
    return db_rows(env, "SELECT count(*) FROM audit_log WHERE action = ? AND object_kind = 'wb_report'"
                        " AND object_id = ?", (action, wid))[0][0]


def event_id(env, wid, kind):
    return db_rows(env, "SELECT max(id) FROM wb_events WHERE report_id = ? AND kind = ?", (wid, kind))[0][0]


@test("wb_form_refuses_bad_input")
def _(env):
    home = env.client().get("/")
    check('href="/misstand-melden"' in home.text and 'href="/mijn-misstand"' in home.text,
          "the home page does not link to the whistleblower form and mailbox")
    r = env.client().get("/misstand-melden")
    for needle in ("Huis voor Klokkenluiders", "anoniem", "7 dagen", "3 maanden", "toestemming"):
        check(needle in r.text, "the form does not explain %r" % needle)
    n = env.db_count("wb_reports")
    cases = [("unit", {"unit": ""}), ("unit", {"unit": "999999"}), ("unit", {"unit": "abc"}),
             ("relation", {"relation": ""}), ("relation", {"relation": "boss"}),
             ("category", {"category": "murder"}), ("what", {"what": "   "}), ("what", {"what": "a" * 20001}),
             ("when_where", {"when_where": "w" * 2001}), ("name", {"name": "n" * 201}),
             ("name", {"name": "Twee\nregels"}), ("email", {"email": "geen-adres"}), ("phone", {"phone": "1" * 41})]
    for input_id, kw in cases:
        r = report_form(env, **kw)
        expect_status(r, 400, "a report with %s" % list(kw))
        got = field_error(r, input_id)
        check(got == FORM_ERR[input_id], "a report with %s: next to #%s %r" % (list(kw), input_id, got))
        check(env.db_count("wb_reports") == n, "a refused report was stored")
    # what was typed comes back
    r = report_form(env, relation="", what="Mijn lange verhaal")
    check("Mijn lange verhaal" in r.text, "a refused form loses what was typed")
    # a form without a token, and one far too large: refused, nothing stored
    a = env.client()
    expect_status(a.post("/misstand-melden", {"what": "x"}), 403, "a form without a token")
    check(env.db_count("wb_reports") == n, "a refused report was stored")


@test("wb_anonymous_report_and_mailbox")
def _(env):
    mark = env.unique("zqwbwhat")
    env.markers.add(mark)
    wid, code = reported(env, what="Declaraties " + mark, category="fraud", relation="former")
    channel, named, identity, category, relation, received, due = row(
        env, wid, "channel, named, identity IS NULL, category, relation, received_day, next_due_day")
    check((channel, named, identity, category, relation) == ("written", 0, 1, "fraud", "former"),
          "the report is not stored as made: %r" % ((channel, named, identity, category, relation),))
    check(due >= received + 7, "the acknowledgement is not due 7 days (or the next working day) after receipt")
    r = mailbox(env, code)
    text = html.unescape(r.text)
    check(mark in text, "the mailbox does not show the report")
    check("Je meldde anoniem." in text, "the mailbox does not say the report is anonymous")
    check("Je hoort uiterlijk op deze dag dat je melding binnen is" in text, "the mailbox does not show the 7-day clock")
    check("Je hoort uiterlijk op deze dag wat er met je melding is gedaan" in text,
          "the mailbox does not show the 3-month clock")
    # a typo, a code of nothing, a counsellor's case code: no report
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    r = mailbox(env, bad, status=400, what="a mistyped code")
    check("tikfout" in r.text or "geen melding" in r.text, "a wrong code is not explained")
    r = mailbox(env, "hallo", status=400, what="not a code")
    check(mark not in r.text, "a wrong code shows the report")
    # the reporter writes; an empty message is refused
    r = mailbox(env, code, {"reply": "   "}, status=400, what="an empty message")
    check("Schrijf iets op" in html.unescape(r.text), "an empty message is not explained")
    r = mailbox(env, code, {"reply": "Nog iets " + mark})
    check("Je bericht is verstuurd." in r.text, "the reporter's message is not confirmed")
    check(events(env, wid) == ["message_in"], "the reporter's message is not stored once: %r" % events(env, wid))
    mailbox(env, code, {"reply": "Nog iets " + mark})  # a reload sends it again: stored once
    check(events(env, wid) == ["message_in"], "a resent message is stored twice")
    check(audited(env, "wb.response", wid) == 1, "the reporter's message is not audited")


@test("wb_register_and_clocks")
def _(env):
    wid, code = reported(env)
    c = officer(env)
    r = c.get("/meldpunt")
    expect_status(r, 200, "the register")
    check('href="/meldpunt/%d"' % wid in r.text, "the register does not list the new report")
    check("Ontvangstbevestiging:" in r.text, "the register does not name the next clock")
    r = c.get("/meldpunt/%d" % wid)
    expect_status(r, 200, "the report's page")
    check(audited(env, "wb.open", wid) >= 1, "opening the report is not audited")
    # acknowledgement: the reporter sees it and when feedback is due
    expect_back(send(c, wid, "ontvangst", {"text": "Ontvangen, dank je."}), wid, "termijnen", "acknowledging")
    ack, fb_due = row(env, wid, "ack_day, next_due_day")
    check(ack > 0 and fb_due >= ack + 89, "the feedback clock does not run 3 months from the acknowledgement")
    expect_refused(send(c, wid, "ontvangst", {"text": ""}), wid, "De ontvangst is al bevestigd",
                   "a second acknowledgement")
    r = mailbox(env, code)
    text = html.unescape(r.text)
    check("We bevestigden dat je melding binnen is op" in text and "Ontvangen, dank je." in text,
          "the mailbox does not show the acknowledgement")
    # a message, a note, feedback
    expect_refused(send(c, wid, "bericht", {"kind": "message", "text": " "}), wid, "Schrijf een bericht",
                   "an empty message")
    expect_refused(send(c, wid, "bericht", {"kind": "gossip", "text": "x"}), wid, "Kies wat voor bericht",
                   "a message of no kind")
    expect_back(send(c, wid, "bericht", {"kind": "message", "text": "Kun je meer vertellen?"}), wid, "berichten",
                "a message")
    note = env.unique("zqwbnote")
    env.markers.add(note)
    expect_back(send(c, wid, "notitie", {"text": "Onderzoek " + note}), wid, "berichten", "a note")
    expect_back(send(c, wid, "bericht", {"kind": "feedback", "text": "We onderzoeken het."}), wid, "berichten",
                "feedback")
    fb, due = row(env, wid, "feedback_day, next_due_day")
    check(fb > 0 and due == 0, "feedback does not meet the last clock: %r" % ((fb, due),))
    r = mailbox(env, code)
    text = html.unescape(r.text)
    check("Kun je meer vertellen?" in text and "We onderzoeken het." in text, "the mailbox misses the messages")
    check("We lieten je weten wat er met je melding is gedaan op" in text, "the mailbox does not show the feedback")
    check(note not in text, "the reporter reads the officer's note")
    # assessment and closing
    expect_refused(send(c, wid, "beoordeling", {"category": "murder"}), wid, "Kies een soort misstand",
                   "a bad category")
    expect_back(send(c, wid, "beoordeling", {"category": "conflict_of_interest"}), wid, "beoordeling", "assessing")
    check(row(env, wid, "category")[0] == "conflict_of_interest", "the assessment is not stored")
    expect_refused(send(c, wid, "afsluiten", {"outcome": "maybe"}), wid, "Kies de uitkomst", "a bad outcome")
    check(row(env, wid, "open")[0] == 1, "a refused closing closed the report")
    expect_back(send(c, wid, "afsluiten", {"outcome": "referred", "text": "Doorverwezen."}), wid, "afsluiten",
                "closing")
    check(row(env, wid, "open, outcome")[:2] == (0, "referred"), "the closing is not stored")
    expect_refused(send(c, wid, "bericht", {"kind": "message", "text": "Nog een"}), wid, "Dat kan niet meer",
                   "a message after closing")
    r = c.get("/meldpunt?weergave=gesloten")
    check('href="/meldpunt/%d"' % wid in r.text, "the closed report is not in the closed view")
    check("Doorverwezen naar een andere instantie" in html.unescape(r.text), "the closed view does not show the outcome")
    check('href="/meldpunt/%d"' % wid not in c.get("/meldpunt").text, "the closed report is still open")
    expect_status(c.get("/meldpunt?weergave=raar"), 400, "an unknown view")
    r = mailbox(env, code)
    check("Afgerond op" in r.text and "Doorverwezen." in r.text, "the mailbox does not say it is closed")
    check('name="reply"' not in r.text, "a closed report still offers to write")
    n = len(events(env, wid))
    r = mailbox(env, code, {"reply": "Toch nog iets"}, status=400, what="a message to a closed report")
    check("Je melding is afgerond" in html.unescape(r.text), "the refusal does not say the report is closed")
    check(len(events(env, wid)) == n, "a message to a closed report was stored")
    for action in ("wb.ack", "wb.message", "wb.note", "wb.feedback", "wb.assess", "wb.close"):
        check(audited(env, action, wid) == 1, "%s is not audited once" % action)


@test("wb_oral_report_minutes_round_trip")
def _(env):
    c = officer(env)
    r = c.get("/meldpunt/nieuw")
    expect_status(r, 200, "the entry form")
    tok = r.page.csrf("/meldpunt/nieuw")
    mark = env.unique("zqwbminutes")
    env.markers.add(mark)
    good = {"channel": "oral", "received_on": day(-3), "meeting_on": day(-3), "unit": str(env.unit_id("Landelijk")),
            "relation": "employee", "what": "Een telefonische melding", "minutes": "Verslag " + mark,
            "name": "Wessel Melder " + mark}
    n = env.db_count("wb_reports")
    for input_id, kw in (("channel", {"channel": "fax"}), ("received_on", {"received_on": day(1)}),
                         ("received_on", {"received_on": "gisteren"}), ("meeting_on", {"meeting_on": day(-5)}),
                         ("minutes", {"minutes": ""}), ("what", {"what": ""})):
        r = c.post("/meldpunt/nieuw", [("csrf", tok)] + list(dict(good, **kw).items()))
        expect_status(r, 400, "an entry with %s" % kw)
        got = field_error(r, input_id)
        want = FORM_ERR.get(input_id) or "Schrijf op wat er aan de hand is (hoogstens 20.000 tekens)."
        check(got == want, "an entry with %s: next to #%s %r" % (kw, input_id, got))
        check(env.db_count("wb_reports") == n, "a refused entry was stored")
    r = c.post("/meldpunt/nieuw", [("csrf", tok)] + list(good.items()))
    expect_status(r, 200, "entering an oral report")
    code = remember(secret_text(r.page))
    check(code and RECEIPT_RE.match(code), "no code for the reporter")
    wid = db_rows(env, "SELECT max(id) FROM wb_reports")[0][0]
    check(row(env, wid, "channel, named")[:2] == ("oral", 1), "the oral report is not stored as such")
    check(events(env, wid) == ["minutes"], "the minutes did not go with the report")
    first = event_id(env, wid, "minutes")
    # the officer has seen the code: the reporter reads, but answers only
    # once they made a code of their own, which the old one no longer opens
    r = mailbox(env, code)
    text = html.unescape(r.text)
    check("Verslag " + mark in text and "wacht op de melder" in text, "the mailbox does not show pending minutes")
    check("Er ligt een verslag voor je klaar" in text, "the mailbox does not say minutes wait")
    check("Maak eerst een eigen code" in text and 'name="renew"' in r.text, "the mailbox does not ask for a new code")
    check('name="choice" value="approve"' not in r.text, "the minutes can be answered with the officer's code")
    r = mailbox(env, code, {"minutes": "1", "ref": str(first), "choice": "approve"}, status=400,
                what="approving with the officer's code")
    check("Maak eerst een eigen code" in html.unescape(r.text), "the refusal does not say why")
    check(events(env, wid) == ["minutes"], "an answer with the officer's code was stored")
    r = mailbox(env, code, {"renew": "1"})
    check("Je nieuwe code" in r.text, "no new code page")
    new = remember(secret_text(r.page))
    check(new and RECEIPT_RE.match(new) and new != code, "no new code shown")
    check(row(env, wid, "code_own")[0] == 1 and audited(env, "wb.code", wid) == 1, "the new code is not recorded")
    r = mailbox(env, code, status=400, what="the officer's code after the renewal")
    check("Verslag " + mark not in r.text, "the old code still opens the report")
    code = new
    r = mailbox(env, code)
    check('name="choice" value="approve"' in r.text and 'name="renew"' not in r.text,
          "the new code does not let the reporter answer")
    r = mailbox(env, code, {"minutes": "1", "ref": str(first), "choice": "correct", "correction": " "}, status=400,
                what="a correction without text")
    check("Schrijf iets op" in html.unescape(r.text), "an empty correction is not explained")
    r = mailbox(env, code, {"minutes": "1", "ref": str(first), "choice": "maybe"}, status=400, what="no choice")
    check(events(env, wid) == ["minutes"], "a refused answer was stored")
    mailbox(env, code, {"minutes": "1", "ref": str(first), "choice": "correct", "correction": "Het was dinsdag"})
    check(events(env, wid) == ["minutes", "minutes_corrected"], "the correction is not stored")
    r = c.get("/meldpunt/%d" % wid)
    check("Het was dinsdag" in r.text and "de melder wil iets veranderen" in r.text,
          "the officer does not see the correction")
    # a new version replaces them; the reporter approves it
    expect_back(send(c, wid, "verslag", {"replaces": str(first), "day": day(-3), "text": "Verslag v2 " + mark}),
                wid, "verslagen", "a new version of the minutes")
    second = event_id(env, wid, "minutes")
    r = mailbox(env, code)
    text = html.unescape(r.text)
    check("vervangen door een nieuwe versie" in text and "Verslag v2 " + mark in text,
          "the mailbox does not show the new version")
    r = mailbox(env, code, {"minutes": "1", "ref": str(first), "choice": "approve"}, status=400,
                what="approving replaced minutes")
    mailbox(env, code, {"minutes": "1", "ref": str(second), "choice": "approve"})
    check(events(env, wid)[-1] == "minutes_approved", "the approval is not stored")
    r = c.get("/meldpunt/%d" % wid)
    check("goedgekeurd" in r.text, "the officer does not see the approval")
    expect_refused(send(c, wid, "verslag", {"replaces": str(second), "day": day(0), "text": "v3"}), wid,
                   "Dat kan niet meer", "replacing approved minutes")
    expect_refused(send(c, wid, "verslag", {"day": day(2), "text": "later"}), wid, "niet in de toekomst",
                   "minutes of a day to come")
    check(audited(env, "wb.minutes_reaction", wid) == 2, "the reporter's answers are not audited")


@test("wb_identity_sealed_and_opened_with_reason")
def _(env):
    mark = env.unique("zqwbname")
    env.markers.add(mark)
    reason = env.unique("zqwbreason")
    env.markers.add(reason)
    wid, code = reported(env, name="Fenna " + mark, email=mark + "@example.org", phone="0612345678")
    check(row(env, wid, "named")[0] == 1, "a named report is not marked as such")
    c = officer(env)
    r = c.get("/meldpunt/%d" % wid)
    check(mark not in r.text, "the report's page shows the identity without a reason")
    check("Met naam of contactgegevens (verzegeld)" in r.text, "the page does not say the report is named")
    n = audited(env, "wb.identity", wid)
    r = send(c, wid, "identiteit", {"reason": "  "})
    expect_refused(r, wid, "Schrijf eerst waarom", "opening the identity without a reason")
    check(mark not in r.text, "a refused opening shows the identity")
    check(audited(env, "wb.identity", wid) == n, "a refused opening was audited as done")
    r = send(c, wid, "identiteit", {"reason": "Terugbellen " + reason})
    expect_status(r, 200, "opening the identity")
    check("Fenna " + mark in r.text and mark + "@example.org" in r.text, "the identity is not shown")
    check(audited(env, "wb.identity", wid) == n + 1, "opening the identity is not audited")
    check("identity_opened" in events(env, wid), "the reason is not recorded")
    r = c.get("/meldpunt/%d" % wid)
    check(reason in r.text, "the officer does not see the recorded reason")
    check(mark not in r.text, "the identity stays on the report's page")
    r = mailbox(env, code)
    check(reason not in r.text, "the reporter reads the officer's reason")
    check("Je gaf je naam of een manier om je te bereiken." in r.text,
          "the mailbox does not say the reporter gave a name")
    # an anonymous report has nothing to open, but the look is still recorded
    wid2, _ = reported(env)
    r = send(c, wid2, "identiteit", {"reason": "Nagaan"})
    expect_status(r, 200, "opening an anonymous report's identity")
    check("de melding is anoniem" in r.text, "an anonymous identity is not explained")


@test("wb_consent_before_disclosure")
def _(env):
    wid, code = reported(env, name="Gijs Melder")
    c = officer(env)
    expect_refused(send(c, wid, "gedeeld", {"consent": "1"}), wid, "geen toestemming", "telling without consent")
    expect_refused(send(c, wid, "toestemming", {"request": ""}), wid, "Schrijf aan wie", "an empty question")
    expect_back(send(c, wid, "toestemming", {"request": "Aan de onderzoeker van bureau Noord"}), wid, "identiteit",
                "asking consent")
    q = event_id(env, wid, "consent_asked")
    expect_refused(send(c, wid, "gedeeld", {"consent": str(q)}), wid, "geen toestemming",
                   "telling before the answer")
    r = mailbox(env, code)
    check("Aan de onderzoeker van bureau Noord" in r.text and "Er ligt een vraag om toestemming" in r.text,
          "the mailbox does not show the question")
    mailbox(env, code, {"consent": "1", "ref": str(q), "choice": "perhaps"}, status=400, what="a bad answer")
    mailbox(env, code, {"consent": "1", "ref": str(q), "choice": "give"})
    mailbox(env, code, {"consent": "1", "ref": str(q), "choice": "refuse"}, status=400, what="answering twice")
    # withdrawn before it was acted on: no telling
    mailbox(env, code, {"consent": "1", "ref": str(q), "choice": "withdraw"})
    expect_refused(send(c, wid, "gedeeld", {"consent": str(q)}), wid, "geen toestemming",
                   "telling after a withdrawal")
    expect_back(send(c, wid, "toestemming", {"request": "Aan het bestuur"}), wid, "identiteit", "asking again")
    q2 = event_id(env, wid, "consent_asked")
    mailbox(env, code, {"consent": "1", "ref": str(q2), "choice": "give"})
    expect_back(send(c, wid, "gedeeld", {"consent": str(q2)}), wid, "identiteit", "telling with consent")
    expect_refused(send(c, wid, "gedeeld", {"consent": str(q2)}), wid, "geen toestemming", "telling twice")
    mailbox(env, code, {"consent": "1", "ref": str(q2), "choice": "withdraw"}, status=400,
            what="withdrawing once told")
    r = mailbox(env, code)
    check("doorgegeven op" in r.text, "the mailbox does not say the name was passed on")
    check(events(env, wid).count("disclosed") == 1, "the telling is not recorded once")
    check(audited(env, "wb.disclose", wid) == 1 and audited(env, "wb.consent_answer", wid) == 3,
          "consent and telling are not audited")


@test("wb_other_roles_refused")
def _(env):
    wid, code = reported(env, what="Alleen voor het meldpunt " + env.unique("zqwbacc"))
    paths = ["/meldpunt", "/meldpunt/nieuw", "/meldpunt/%d" % wid]
    for role in ROLES:
        if role == "integrity":
            continue
        s = env.session(role)
        for p in paths:
            check_403(env, s.get(p), "GET %s as %s" % (p, role))
        for route in ("ontvangst", "bericht", "notitie", "verslag", "beoordeling", "afsluiten", "identiteit",
                      "toestemming", "gedeeld"):
            r = send(s, wid, route, {"text": "x", "kind": "message", "reason": "x", "request": "x",
                                     "outcome": "referred", "category": "fraud", "day": day(0), "consent": "1"})
            check_403(env, r, "POST %s as %s" % (route, role))
    check(row(env, wid, "ack_day, open")[:2] == (0, 1) and events(env, wid) == [],
          "a refused role changed the report")
    # the officer: an unknown report is 404, as for one that is not theirs
    expect_status(officer(env).get("/meldpunt/999999"), 404, "an unknown report")
    expect_status(send(officer(env), 999999, "notitie", {"text": "x"}), 404, "a note on an unknown report")
    # another reporter's code opens only their own report
    wid2, code2 = reported(env, what="Een andere melding")
    r = mailbox(env, code2)
    check("Een andere melding" in r.text and "Alleen voor het meldpunt" not in r.text,
          "a reporter's code shows another report")


@test("wb_marker_scan")
def _(env):
    m = {k: env.unique("zqwbscan%s" % k) for k in ("what", "name", "email", "minutes", "note", "reason", "reply",
                                                   "request", "correction")}
    env.markers.update(m.values())
    wid, code = reported(env, what="Wat " + m["what"], name="Naam " + m["name"], email=m["email"] + "@example.org")
    c = officer(env)
    expect_back(send(c, wid, "notitie", {"text": m["note"]}), wid, "berichten", "a note")
    expect_back(send(c, wid, "verslag", {"day": day(0), "text": m["minutes"]}), wid, "verslagen", "minutes")
    expect_status(send(c, wid, "identiteit", {"reason": m["reason"]}), 200, "opening the identity")
    expect_back(send(c, wid, "toestemming", {"request": m["request"]}), wid, "identiteit", "asking consent")
    mailbox(env, code, {"reply": m["reply"]})
    mailbox(env, code, {"minutes": "1", "ref": str(event_id(env, wid, "minutes")), "choice": "correct",
                        "correction": m["correction"]})
    found, seen = scan_datadir(env, {k: v.encode() for k, v in m.items()})
    check(seen > 0, "the scan read no files")
    check(not found, "plaintext in the data directory: %r" % found)


# ---- the access matrix for the register's routes (test_access.MATRIX) ----------------

def _no_change(env):
    wid = path_id(env)
    check(events(env, wid) == [] and row(env, wid, "ack_day, open, category")[:3] == (0, 1, ""),
          "a refused POST changed the matrix's report")


def path_id(env):
    return int(path_for(env, "/meldpunt/:id").rsplit("/", 1)[1])


def register_wb_post(route, allowed_fields, forbidden_fields):
    pattern = "/meldpunt/:id/" + route

    @test("access_post_meldpunt_id_" + route)
    def _(env):
        # the officer's own POST is bad input (400, nothing changes); every
        # other role gets 403 for one that would change the report
        post_matrix(env, pattern, lambda env, role: allowed_fields, 400, lambda env, role: forbidden_fields,
                    _no_change)


for _route, _ok, _bad in (
        ("ontvangst", {"text": "x" * 20001}, {"text": "Ontvangen"}),
        ("bericht", {"kind": "message", "text": ""}, {"kind": "message", "text": "Hallo"}),
        ("notitie", {"text": ""}, {"text": "Notitie"}),
        ("verslag", {"day": "", "text": ""}, {"day": day(0), "text": "Verslag"}),
        ("beoordeling", {"category": "x"}, {"category": "fraud"}),
        ("afsluiten", {"outcome": "x"}, {"outcome": "referred"}),
        ("identiteit", {"reason": ""}, {"reason": "Nodig"}),
        ("toestemming", {"request": ""}, {"request": "Aan wie"}),
        ("gedeeld", {"consent": "1"}, {"consent": "1"})):
    register_wb_post(_route, _ok, _bad)


@test("access_post_meldpunt_nieuw")
def _(env):
    n = env.db_count("wb_reports")

    def nothing_stored(env):
        check(env.db_count("wb_reports") == n, "a refused POST stored a report")

    fields = {"channel": "oral", "received_on": day(0), "meeting_on": day(0), "unit": str(env.unit_id("Landelijk")),
              "relation": "employee", "what": "Matrix", "minutes": "Matrix"}
    post_matrix(env, "/meldpunt/nieuw", lambda env, role: dict(fields, what=""), 400, lambda env, role: fields,
                nothing_stored)


@test("access_wb_anonymous")
def _(env):
    for method, path in (("GET", "/meldpunt"), ("GET", "/meldpunt/nieuw")):
        anonymous(env, method, path)


@test("wb_files_with_the_report_and_messages")
def _(env):
    mark = env.unique("zqwbfile")
    env.markers.add(mark)
    n = env.db_count("wb_reports")
    r = report_form(env, files=[("script.exe", b"MZ" + mark.encode(), "application/octet-stream")])
    expect_status(r, 400, "a report with a refused file")
    check((field_error(r, "files") or "").startswith("Dit soort bestand kunnen we niet aannemen"),
          "a refused file is not explained next to the file input: %r" % field_error(r, "files"))
    check(env.db_count("wb_reports") == n, "a report with a refused file was stored")
    body = ("Overzicht van de declaraties " + mark + "\n").encode()
    wid, code = reported(env, files=[("declaraties.txt", body, "text/plain")])
    rows = db_rows(env, "SELECT file_id, event_id FROM wb_attachments WHERE report_id = ?", (wid,))
    check(len(rows) == 1 and rows[0][1] == 0, "the file is not stored with the report: %r" % rows)
    fid = rows[0][0]
    c = officer(env)
    r = c.get("/meldpunt/%d" % wid)
    check('href="/meldpunt/%d/bestand/%s"' % (wid, fid) in r.text, "the officer's page does not list the file")
    r = c.get("/meldpunt/%d/bestand/%s" % (wid, fid))
    expect_status(r, 200, "the officer downloading the file")
    check(r.body == body, "the downloaded file differs from the one sent")
    expect_status(c.get("/meldpunt/%d/bestand/%s" % (wid, "0" * 32)), 404, "a file the report does not have")
    check(audited(env, "wb.file", wid) >= 1, "the download is not in the audit log")
    r = mailbox(env, code)
    check("declaraties.txt" in r.text and "/bestand" not in r.text, "the mailbox does not name the file only")
    # a message with a file; a refused file keeps what was typed
    mb = env.client()
    tok = mb.csrf_for("/mijn-misstand", "/mijn-misstand")
    r = mb.post_multipart("/mijn-misstand", [("csrf", tok), ("code", code), ("reply", "Nog een stuk")],
                          [("files", "virus.exe", b"MZ", "application/octet-stream")])
    expect_status(r, 400, "a message with a refused file")
    check("Nog een stuk" in r.text and events(env, wid) == [], "a refused message lost the text or was stored")
    check((field_error(r, "files") or "").startswith("Dit soort bestand kunnen we niet aannemen"),
          "a refused file of a message is not explained: %r" % field_error(r, "files"))
    body2 = ("Tweede stuk " + mark + "\n").encode()
    r = mb.post_multipart("/mijn-misstand", [("csrf", tok), ("code", code), ("reply", "Nog een stuk")],
                          [("files", "tweede.txt", body2, "text/plain")])
    expect_status(r, 200, "a message with a file")
    rows = db_rows(env, "SELECT file_id, event_id FROM wb_attachments WHERE report_id = ? ORDER BY id", (wid,))
    check(len(rows) == 2 and rows[1][1] == event_id(env, wid, "message_in"), "the message's file is not stored with it")
    r = c.get("/meldpunt/%d" % wid)
    check('href="/meldpunt/%d/bestand/%s"' % (wid, rows[1][0]) in r.text, "the officer does not see the message's file")
    for role in ("counsellor", "committee", "admin", "reader"):
        check_403(env, env.session(role).get("/meldpunt/%d/bestand/%s" % (wid, fid)), "a %s downloading it" % role)
    found, seen = scan_datadir(env, {"file": mark.encode()})
    check(seen > 0 and not found, "the file is readable in the data directory: %s" % found)
