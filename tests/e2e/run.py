#!/usr/bin/python3
"""The browser tests (issue 9): a real headless Chromium walks the main
journeys end to end at a phone width (390 px) and a desktop width, axe-core
checks every page they reach (WCAG 2.0/2.1/2.2 A and AA: 0 violations), a
keyboard-only walk fills in and sends the report form and reads the
mailbox, and the pages lose nothing at 320 px and at 200 % zoom.

Runs with Debian's python3 (python3-selenium is Debian's) against a fresh
demo data directory and server, as tests/web does. Prints one PASS or FAIL
line per test and "N passed, N failed"."""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "web"))

from browser import DESKTOP, PHONE, Browser, Failure, check  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from harness import Env  # noqa: E402

TESTS = []


def test(name):
    def register(fn):
        TESTS.append((name, fn))
        return fn
    return register


CODE_RE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){5}\b")


def code_on(b):
    m = CODE_RE.search(b.find(".secret").text)
    check(m, "no receipt code on %s" % b.path)
    return m.group(0)


def login(b, env, role, i=0):
    b.open("/login")
    b.fill("email", env.email(role, i))
    b.fill("password", env.password)
    b.submit("form[action='/login']")
    check(b.path.startswith("/start"), "logging in as %s ends on %s: %s" % (
        role, b.path, " | ".join(e.text for e in b.all(".errors, p.error"))[:300]))


def report(b, env, named=False, mark="Wat er gebeurde"):
    """The report form as a reporter fills it in; returns the code."""
    b.open("/")
    b.axe("home")
    b.link("Melden")
    check(b.path == "/melden", "the report link goes to %s" % b.path)
    b.axe("report form")
    b.choose("unit", value=str(env.unit_id("Landelijk")))
    b.fill("account", mark + " tijdens de vergadering.")
    b.tick("b-bullying")
    b.fill("when", "vorige week")
    b.choose("location", value="meeting")
    b.choose("relation", value="colleague")
    b.choose("reporter_type", value="member")
    if named:
        b.tick("named-yes")
        b.fill("name", "Iris Voorbeeld")
        b.fill("email", "iris@example.org")
    b.submit("form[action='/melden']")
    check(b.path == "/melden", "after sending: %s" % b.path)
    b.axe("report sent")
    # printed, the page is the code and what to do with it: no menu, no forms
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    check(b.find(".secret").is_displayed(), "the printed page has no code")
    check(not b.find("header.site nav").is_displayed(), "the printed page has the menu")
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return code_on(b)


def open_mailbox(b, code):
    b.open("/mijn-melding")
    b.axe("mailbox form")
    b.fill("code", code)
    b.submit("form[action='/mijn-melding']")
    check("Jouw melding" in b.find("h1").text, "the code did not open the mailbox: %s" % b.find("h1").text)
    b.axe("mailbox")


def each_width(fn):
    """Runs a journey at the phone width and at the desktop width."""
    def run(env, shots):
        for size in (PHONE, DESKTOP):
            b = Browser("http://127.0.0.1:%d" % env.port, size, shots)
            try:
                fn(env, b)
            finally:
                b.quit()
    return run


@test("e2e_report_anonymously_and_read_the_answer")
@each_width
def _(env, b):
    code = report(b, env)
    # a wrong code first: the form says so, next to nothing else
    b.open("/mijn-melding")
    b.fill("code", "ABCD")
    b.submit("form[action='/mijn-melding']")
    check("Dit is geen code" in b.text(), "a wrong code is not explained")
    b.axe("mailbox wrong code")
    open_mailbox(b, code)
    check("Nieuw." in b.find("#status + p").text, "a new report's mailbox does not say it is new")
    b.click(b.find("details summary"))
    check("Je melding is verstuurd" in b.find("ol.timeline").text, "the timeline does not start with the report")
    b.fill("reply", "Een aanvulling op mijn melding.")
    b.submit("form[action='/mijn-melding']")
    check("Een aanvulling op mijn melding." in b.text(), "the reply is not in the conversation")
    b.axe("mailbox after reply")
    # withdrawing needs a tick first, then says it is done
    b.submit("form:has(input[name=withdraw])")
    check("Vink eerst aan" in b.text(), "withdrawing without the tick is not explained")
    b.axe("mailbox withdraw refused")
    b.tick("withdraw-sure")
    b.submit("form:has(input[name=withdraw])")
    check("Je melding is ingetrokken" in b.text(), "the withdrawal is not confirmed")
    b.axe("mailbox withdrawn")


@test("e2e_report_with_name")
@each_width
def _(env, b):
    code = report(b, env, named=True)
    open_mailbox(b, code)
    check("Iris Voorbeeld" in b.text(), "the named reporter's name is not in their mailbox")


@test("e2e_report_form_errors")
@each_width
def _(env, b):
    b.open("/melden")
    b.submit("form[action='/melden']")
    check(b.find(".errors").is_displayed(), "an empty report shows no errors")
    b.axe("report form with errors")


@test("e2e_counsellor_answers_records_consent_moves_phase")
@each_width
def _(env, b):
    mark = env.unique("E2E melding ")
    code = report(b, env, mark=mark)
    login(b, env, "counsellor")
    b.axe("start counsellor")
    b.open("/overzicht")
    b.axe("dashboard")
    b.open("/dossiers")
    b.axe("case list")
    links = b.all("main table a[href^='/dossiers/']")
    check(links, "the counsellor's case list is empty")
    case = None
    for a in links:
        href = a.get_attribute("href")
        b2 = href[href.index("/dossiers/"):]
        case = b2
        break
    # the newest unopened case is the one just sent (the list puts unopened first, newest first)
    b.open(case)
    check(mark in b.text(), "the first case in the list is not the new report")
    b.axe("case")
    b.fill("message", "Dank voor je melding. Wil je bellen?")
    b.submit("form[action$='/bericht']")
    check("Dank voor je melding" in b.text(), "the answer is not shown")
    b.open(case + "/werk")
    b.axe("case work")
    b.choose("n-step", value="contact_other_party")
    b.tick("n-yes")
    b.fill("n-date", time.strftime("%m%d%Y"))
    b.choose("n-how", value="phone")
    b.submit("form[action$='/toestemming']")
    check("toestemming" in b.path or "/werk" in b.path, "after consent: %s" % b.path)
    b.axe("case work after consent")
    moves = b.all("form[action$='/fase'] button")
    check(moves, "no phase moves offered")
    b.follow(moves[0])
    b.axe("case work after phase")
    # a question of consent for the reporter's mailbox
    b.choose("q-step", value="mediation")
    b.submit("form:has(input[name=given][value=ask])")
    check("Gevraagd, wacht op antwoord" in b.text(), "the question is not shown to the counsellor")
    # the reporter reads the answer
    b.open("/")
    open_mailbox(b, code)
    check("Dank voor je melding" in b.text(), "the reporter does not see the answer")
    check("In gesprek" in b.find("#status + p").text, "the mailbox does not say the case is in conversation")
    check("Mag er een bemiddelaar bij komen?" in b.text(), "the mailbox does not ask for consent")
    b.axe("mailbox with a question of consent")
    b.follow(b.find("button[name=consent][value=yes]"))
    check("Je antwoord is bewaard" in b.text(), "the answer is not confirmed")
    b.axe("mailbox after consent")
    b.click(b.find("details summary"))
    timeline = b.find("ol.timeline").text
    check("De vertrouwenspersoon las je melding" in timeline and "De vertrouwenspersoon stuurde een bericht"
          in timeline, "the timeline does not show the reading and the answer: %s" % timeline)


@test("e2e_admin_adds_an_account")
@each_width
def _(env, b):
    login(b, env, "admin")
    b.axe("start admin")
    for path in ("/beheer", "/beheer/eenheden", "/beheer/accounts", "/beheer/documenten", "/beheer/audit"):
        b.open(path)
        b.axe("admin " + path)
    # a document's versions, and a new one refused without who adopted it
    b.open("/beheer/documenten/code_of_conduct")
    b.axe("admin a document's versions")
    b.no_sideways_scroll("admin a document's versions")
    b.fill("adopted_by", "")
    b.submit("main form[action='/beheer/documenten/code_of_conduct']")
    check(b.all(".errors"), "a version without who adopted it is not refused")
    b.axe("admin a document refused")
    b.open("/beheer/accounts/nieuw")
    b.axe("new account")
    name = env.unique("E2E Account ")
    b.fill("name", name)
    b.fill("email", env.unique("e2e") + "@example.org")
    b.choose("role", value="reader")
    b.tick("unit-%d" % env.unit_id("Landelijk"))
    b.submit("form[action='/beheer/accounts/nieuw']")
    check(name in b.text(), "the new account's page does not name it")
    b.axe("account added")


@test("e2e_language_switch")
@each_width
def _(env, b):
    b.open("/melden")
    b.link("English")
    check(b.find("html").get_attribute("lang") == "en", "after the switch the page is not in English")
    check(b.path.startswith("/melden"), "the switch did not come back to the page: %s" % b.path)
    check("Report" in b.find("h1").text or "report" in b.find("h1").text.lower(), "the heading is not English")
    b.axe("report form in English")
    b.link("Nederlands")
    check(b.find("html").get_attribute("lang") == "nl", "the switch back did not give Dutch")


@test("e2e_public_pages")
@each_width
def _(env, b):
    for path in ("/", "/vertrouwenspersonen", "/vertrouwelijkheid", "/documenten/klachtenregeling", "/login"):
        b.open(path)
        b.axe("public " + path)
    b.open("/vertrouwenspersonen")
    first = b.all("main a[href^='/vertrouwenspersonen/']")
    check(first, "the directory lists nobody")
    b.follow(first[0])
    b.axe("a counsellor's profile")


@test("e2e_complaint_filed_and_read")
@each_width
def _(env, b):
    b.open("/")
    b.link("Een klacht indienen")
    b.axe("complaint form")
    b.submit("form[action='/klacht-indienen']")
    b.axe("complaint form with errors")
    b.choose("unit", value=str(env.unit_id("Landelijk")))
    b.fill("name", "Noor Voorbeeld")
    b.fill("email", "noor@example.org")
    b.fill("accused", "Bram Voorbeeld")
    b.fill("account", "Hij riep mij na op de vergadering.")
    b.submit("form[action='/klacht-indienen']")
    b.axe("complaint filed")
    code = code_on(b)
    b.open("/mijn-klacht")
    b.axe("complaint mailbox form")
    b.fill("code", code)
    b.submit("form[action='/mijn-klacht']")
    check("Bevestiging van ontvangst" in b.text(), "the complaint mailbox has no confirmation")
    b.axe("complaint mailbox")
    login(b, env, "committee")
    b.axe("start committee")
    for path in ("/klachten", "/klachten?weergave=achterstallig", "/klachten/termijnen", "/klachten/nieuw"):
        b.open(path)
        b.axe("committee " + path)
    b.open("/klachten")
    b.follow(b.all("main table a[href^='/klachten/']")[0])
    b.axe("a complaint")
    # the one just filed: add the accused, inform them, plan a hearing
    import sqlite3
    db = sqlite3.connect(os.path.join(env.datadir, "vertrouwd.db"))
    kid = db.execute("SELECT max(id) FROM complaints").fetchone()[0]
    db.close()
    b.open("/klachten/%d" % kid)
    b.tick("to-admissible")
    b.submit("form[action$='/stap']")
    b.tick("p-role-accused")
    b.fill("p-name", "Bram Voorbeeld")
    b.submit("form[action$='/partij']")
    b.axe("the accused's code")
    acode = code_on(b)
    b.open("/klachten/%d" % kid)
    b.tick("to-accused_informed")
    b.submit("form[action$='/stap']")
    b.tick("to-hearings")
    b.submit("form[action$='/stap']")
    b.axe("a complaint at the hearings")
    b.open("/mijn-klacht")
    b.fill("code", acode)
    b.submit("form[action='/mijn-klacht']")
    check("Hij riep mij na" in b.text(), "the accused does not read the complaint")
    b.axe("the accused's mailbox")


def wb_id(env):
    import sqlite3
    db = sqlite3.connect(os.path.join(env.datadir, "vertrouwd.db"))
    try:
        return db.execute("SELECT max(id) FROM wb_reports").fetchone()[0]
    finally:
        db.close()


def wb_mailbox(b, code, what):
    b.open("/mijn-misstand")
    b.fill("code", code)
    b.submit("form[action='/mijn-misstand']")
    check("Jouw melding van een misstand" in b.find("h1").text, "the code did not open the mailbox: %s" % b.find("h1").text)
    b.axe(what)


@test("e2e_whistleblower_report_register_and_minutes")
@each_width
def _(env, b):
    # the reporter, anonymously, through the public form
    b.open("/")
    b.link("Een misstand melden")
    b.axe("whistleblower form")
    b.submit("form[action='/misstand-melden']")
    b.axe("whistleblower form with errors")
    check(len(b.all(".errors li")) >= 2, "the refused form does not list what is missing")
    b.choose("unit", value=str(env.unit_id("Landelijk")))
    b.tick("relation-volunteer")
    b.choose("category", value="fraud")
    b.fill("what", "De penningmeester declareert reizen die niet gemaakt zijn.")
    b.submit("form[action='/misstand-melden']")
    b.axe("whistleblower report sent")
    code = code_on(b)
    b.open("/mijn-misstand")
    b.axe("whistleblower mailbox form")
    wb_mailbox(b, code, "whistleblower mailbox")
    check("Je hoort uiterlijk op deze dag dat je melding binnen is" in b.text(), "the mailbox shows no clock")
    # the integrity officer: the register, the report, its forms
    wid = wb_id(env)
    login(b, env, "integrity")
    b.axe("start integrity officer")
    b.open("/meldpunt")
    b.axe("the register")
    b.follow(b.find("main table a[href='/meldpunt/%d']" % wid))
    b.axe("a report of wrongdoing")
    b.submit("form[action$='/ontvangst']")
    check(b.path.startswith("/meldpunt/%d" % wid), "after the acknowledgement: %s" % b.path)
    b.fill("minutes-text", "Gesprek op kantoor: de melder vertelde over de declaraties.")
    b.submit("form[action$='/verslag']")
    b.fill("consent-request", "Aan de onderzoeker van de kascommissie, om je te kunnen spreken.")
    b.submit("form[action$='/toestemming']")
    b.submit("form[action$='/afsluiten']")
    b.axe("a report with a refused form")
    b.fill("identity-reason", "De melder vroeg om gebeld te worden.")
    b.submit("form[action$='/identiteit']")
    b.axe("the reporter's identity")
    b.open("/meldpunt/nieuw")
    b.axe("record a report")
    b.tick("channel-oral")
    b.choose("unit", value=str(env.unit_id("Landelijk")))
    b.tick("relation-employee")
    b.fill("what", "Een melding per telefoon over een opdracht aan een neef.")
    b.d.execute_script("document.getElementById('meeting_on').value = document.getElementById('received_on').value;")
    b.fill("minutes", "Verslag van het telefoongesprek.")
    b.submit("form[action='/meldpunt/nieuw']")
    b.axe("a report recorded, its code")
    handed = code_on(b)
    b.open("/meldpunt?weergave=gesloten")
    b.axe("the register, closed")
    # the reporter of the phoned report makes a code of their own first
    wb_mailbox(b, handed, "whistleblower mailbox with a handed-over code")
    b.submit("form:has(input[name='renew'])")
    b.axe("whistleblower new code")
    own = code_on(b)
    check(own != handed, "the new code is the old one")
    b.submit("form[action='/mijn-misstand']")
    check("Jouw melding van een misstand" in b.find("h1").text, "the new code does not open the mailbox")
    check(b.all("input[id^='approve-']"), "the minutes cannot be answered with the new code")
    # the reporter approves the minutes and answers the question of consent
    wb_mailbox(b, code, "whistleblower mailbox with minutes")
    b.tick(b.find("input[id^='approve-']").get_attribute("id"))
    b.submit("form:has(input[name='minutes'])")
    check("Je antwoord op het verslag is vastgelegd." in b.text(), "the approval is not confirmed")
    b.axe("whistleblower mailbox, minutes approved")
    b.tick(b.find("input[id^='refuse-']").get_attribute("id"))
    b.submit("form:has(input[name='consent'])")
    b.axe("whistleblower mailbox, consent answered")


@test("e2e_annual_report_written_and_read")
@each_width
def _(env, b):
    import datetime
    last_year = datetime.date.today().year - 1
    # a counsellor: a short question in the log, then the reports
    login(b, env, "counsellor")
    b.open("/logboek")
    b.submit("form:has(input[name='kind'][value='question'])")
    b.axe("log, a question refused")
    check(b.all("#question-unit[aria-invalid='true']"), "the refused question does not mark its unit")
    b.choose("question-unit", value=str(env.unit_id("Landelijk")))
    b.choose("question-reporter_type", value="member")
    b.submit("form:has(input[name='kind'][value='question'])")
    check("Korte vraag" in b.text(), "the question is not in the log")
    b.open("/jaarverslagen")
    b.axe("annual reports, counsellor")
    b.submit("main form[action='/jaarverslagen']")
    check(b.path.startswith("/jaarverslagen/%d/%d" % (env.unit_id("Landelijk"), last_year)),
          "the chooser went to %s" % b.path)
    b.axe("the published annual report, counsellor")
    b.open("/jaarverslagen/%d/%d" % (env.unit_id("Landelijk"), last_year + 1))
    b.axe("this year's annual report, draft")
    b.fill("tekst", "Een eerste opzet van de trends.")
    b.submit("form:has(textarea#tekst)")
    check("De tekst is bewaard." in b.text(), "saving the text is not confirmed")
    check("nog niet voorbij" in b.text(), "the open year is not explained")
    b.axe("this year's annual report, saved")
    b.no_sideways_scroll("annual report draft")
    # the report reader: the list and the published report, with its chart
    b.open("/start")
    b.submit("form[action='/uitloggen']")
    login(b, env, "reader")
    b.axe("start report reader")
    b.open("/jaarverslagen")
    b.axe("annual reports, reader")
    b.follow(b.find("main a[href='/jaarverslagen/%d/%d']" % (env.unit_id("Landelijk"), last_year)))
    check(b.all("table.annual svg.bar"), "the published report has no chart")
    b.axe("the published annual report, reader")
    b.no_sideways_scroll("annual report")


def totp_now(key, offset=0):
    import hashlib, hmac, struct, time
    counter = int(time.time() // 30) + offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


@test("e2e_two_step_verification")
@each_width
def _(env, b):
    import base64
    # a different account at each width: the reader on a phone, the administrator on a desktop
    role = "reader" if b.size[0] < 600 else "admin"
    login(b, env, role)
    b.open("/tweestaps")
    b.axe("two-step verification, off")
    b.submit("main form[action='/tweestaps']")
    check(b.all("svg.qr"), "the setup page has no QR code")
    b.axe("two-step verification, setup")
    key = base64.b32decode(b.find("p.secret").text.replace(" ", ""))
    b.fill("code", "000000")
    b.submit("form[action='/tweestaps/bevestigen']")
    check("klopt niet" in b.text(), "a wrong code is not explained")
    b.axe("two-step verification, wrong code")
    b.fill("code", totp_now(key))
    b.submit("form[action='/tweestaps/bevestigen']")
    check(len(b.all("ul.backup-codes li")) == 10, "no backup codes shown")
    b.axe("two-step verification, backup codes")
    b.open("/start")
    b.submit("form[action='/uitloggen']")
    b.open("/login")
    b.fill("email", env.email(role))
    b.fill("password", env.password)
    b.submit("form[action='/login']")
    check(b.path.startswith("/login/code"), "the login did not ask for the code: %s" % b.path)
    b.axe("login, the code")
    b.fill("code", "999999")
    b.submit("form[action='/login/code']")
    b.axe("login, a wrong code")
    b.fill("code", totp_now(key, 1))
    b.submit("form[action='/login/code']")
    check(b.path.startswith("/start"), "the code did not log in: %s" % b.path)
    b.open("/tweestaps")
    b.axe("two-step verification, on")


@test("e2e_recovering_cases_and_handing_over_everything")
@each_width
def _(env, b):
    # a trustee: the committee's on a phone, the integrity officer on a desktop
    phone = b.size[0] < 600
    login(b, env, "committee" if phone else "integrity")
    b.open("/start")
    b.follow(b.find("main a[href='/herstel']"))
    b.axe("recovering cases")
    b.submit("main form[action='/herstel']")
    check("Er is nog niets veranderd" in b.text(), "a request without names is not explained")
    b.axe("recovering cases, refused")
    leaving, taking = ("Gerda Hoekstra", "Finn Mulder") if phone else ("Finn Mulder", "Gerda Hoekstra")
    b.choose("e-from", visible_text=leaving)
    b.choose("e-to", visible_text=taking)
    b.submit("main form[action='/herstel']")
    check("twee goedkeuringen nodig" in b.text(), "the request is not confirmed")
    b.submit("main form[action$='/goedkeuren']")
    check("nog één goedkeuring nodig" in b.text(), "the first approval is not confirmed")
    b.axe("recovering cases, one approval")
    b.no_sideways_scroll("recovering cases")
    b.open("/start")
    b.submit("form[action='/uitloggen']")
    # a counsellor's own hand-over of everything: the page, and a refusal
    login(b, env, "counsellor")
    b.follow(b.find("main a[href='/dossiers/overdragen']"))
    b.axe("handing over all cases")
    b.submit("main form[action='/dossiers/overdragen']")
    check("Vink eerst aan" in b.text(), "handing over without the tick is not explained")
    b.axe("handing over all cases, refused")
    b.no_sideways_scroll("handing over all cases")


@test("e2e_integrity_declaration")
@each_width
def _(env, b):
    # the committee's pages
    login(b, env, "candidate_committee")
    b.follow(b.find("main a[href='/kandidaten']"))
    b.axe("rounds")
    b.open("/kandidaten/nieuw")
    b.axe("new round")
    b.fill("title", "")
    b.submit("main form[action='/kandidaten/nieuw']")
    check(b.all(".errors"), "a round without a name is not refused")
    b.axe("new round, refused")
    b.open("/kandidaten")
    b.follow(b.all("main a[href^='/kandidaten/']")[-1])
    rid = b.path.split("/")[2]
    b.axe("a round")
    b.no_sideways_scroll("a round")
    email = env.unique("e2e-kandidaat-") + "@example.org"
    b.fill("name", "E2E Kandidaat")
    b.fill("email", email)
    b.submit("main form[action='/kandidaten/%s/uitnodigen']" % rid)
    link = b.find("#link").text
    check("/kandidaat/" in link, "no link shown for the new candidate")
    b.axe("a round, a candidate invited")
    b.follow(b.find("main a[href^='/kandidaten/verklaringen/']"))
    b.axe("a submitted declaration")
    b.no_sideways_scroll("a submitted declaration")
    b.open("/start")
    b.submit("form[action='/uitloggen']")
    # the candidate's pages
    b.open(link[link.index("/kandidaat/"):])
    b.axe("a candidate's link")
    pw = "E2E-kandidaat-wachtwoord"
    b.fill("password", pw)
    b.fill("again", pw)
    b.submit("main form")
    check(b.path.startswith("/verklaring"), "the link did not log the candidate in: %s" % b.path)
    b.axe("my declarations")
    b.follow(b.find("main a[href^='/verklaring/']"))
    b.axe("a declaration to fill in")
    b.no_sideways_scroll("a declaration to fill in")
    first = b.all("main textarea")[0]
    first.send_keys("Geen nevenfuncties.")
    b.navigating(lambda: b.click(b.find("main button[value='save']")))
    check("Opgeslagen" in b.text(), "saving the draft is not confirmed")
    b.axe("a declaration saved")
    b.navigating(lambda: b.click(b.find("main button[value='submit']")))
    check(b.all(".errors"), "submitting with questions open is not refused")
    b.axe("a declaration refused")
    for area in b.all("main textarea"):
        if not area.get_attribute("value"):
            area.send_keys("Nee.")
    b.tick("sign")
    b.navigating(lambda: b.click(b.find("main button[value='submit']")))
    check("ingediend" in b.text(), "the submission is not confirmed")
    b.axe("a declaration submitted")
    b.follow(b.find("main a[href^='/documenten/gedragscode/versies/']"))
    b.axe("the signed code of conduct")
    b.open("/start")
    b.submit("form[action='/uitloggen']")
    # the documents with their versions
    for path in ("/documenten/gedragscode", "/documenten/integriteitsbeleid"):
        b.open(path)
        b.axe("public " + path)


@test("e2e_keyboard_only_report_and_mailbox")
def _(env, shots):
    b = Browser("http://127.0.0.1:%d" % env.port, DESKTOP, shots)
    try:
        b.open("/melden")
        # the first Tab reaches the skip link, which is visible when focused
        first = b.tab()
        check(first.get_attribute("class") == "skip" and first.is_displayed(), "the first Tab is not the skip link")
        seen, order = set(), []
        for _ in range(300):
            el = b.tab()
            if el.tag_name == "body" or el.id in seen:
                break  # past the last control, or round again
            seen.add(el.id)
            order.append(el)
            key = el.get_attribute("id") or el.get_attribute("href") or el.tag_name
            check(b.focus_visible(el), "the focus on %s %r is not visible" % (el.tag_name, key))
            check((el.get_attribute("tabindex") or "0") in ("0", "-1"), "a positive tabindex on %r" % key)
        ids = [e.get_attribute("id") for e in order if e.get_attribute("id")]
        for want in ("unit", "counsellor", "account", "when", "named-no", "name", "email"):
            check(want in ids, "Tab never reaches #%s (reached: %s)" % (want, ids[:40]))
        check(ids.index("unit") < ids.index("account") < ids.index("name"), "the Tab order is not the reading order")
        # fill it in with the keyboard alone: focus each field by Tab, type, send with Enter
        b.open("/melden")
        while b.tab().get_attribute("id") != "unit":
            pass
        b.keys("L")  # the unit's first letter picks it in a closed select
        while b.tab().get_attribute("id") != "account":
            pass
        b.keys("Per toetsenbord gemeld.")
        while b.tab().get_attribute("id") != "b-bullying":
            pass
        b.keys(" ")
        for sel in ("location", "relation", "reporter_type"):
            while b.tab().get_attribute("id") != sel:
                pass
            b.keys(Keys.ARROW_DOWN)  # the first real choice
        el = b.active()
        while el.get_attribute("type") != "submit":
            el = b.tab()
        b.enter()
        check(b.all(".secret"), "the keyboard alone did not send the report: %s" % " | ".join(
            e.text for e in b.all(".errors li, p.error"))[:500])
        code = code_on(b)
        b.open("/mijn-melding")
        while b.tab().get_attribute("id") != "code":
            pass
        b.keys(code)
        b.enter()
        check("Jouw melding" in b.find("h1").text, "the keyboard alone did not open the mailbox")
        while b.tab().get_attribute("id") != "reply":
            pass
        b.keys("Met het toetsenbord.")
        el = b.active()
        while el.get_attribute("type") != "submit":
            el = b.tab()
            check(b.focus_visible(el), "the focus on %s is not visible in the mailbox" % el.tag_name)
        b.enter()
        check("Met het toetsenbord." in b.text(), "the keyboard alone did not send the answer")
    finally:
        b.quit()


@test("e2e_320px_and_200pct_zoom")
def _(env, shots):
    paths = ["/", "/melden", "/mijn-melding", "/vertrouwenspersonen", "/vertrouwelijkheid", "/klacht-indienen",
             "/mijn-klacht", "/login", "/documenten/klachtenregeling"]
    for size, zoom in (((320, 700), 1), ((1280, 900), 2)):
        b = Browser("http://127.0.0.1:%d" % env.port, size, shots)
        try:
            if zoom != 1:
                b.zoom(zoom)
            for p in paths:
                b.open(p)
                b.no_sideways_scroll("%s at %d px, zoom %d" % (p, size[0], zoom))
            login(b, env, "counsellor")
            for p in ("/start", "/dossiers", "/overzicht", "/logboek"):
                b.open(p)
                b.no_sideways_scroll("%s at %d px, zoom %d" % (p, size[0], zoom))
        finally:
            b.quit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--only", default="")
    ap.add_argument("--shots", default="", help="a directory to save a screenshot of every checked page in")
    args = ap.parse_args()
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vd-e2e-")
    passed = failed = 0
    env = None
    try:
        env = Env(os.path.abspath(args.bin), tmp)
        for name, fn in TESTS:
            if args.only and args.only not in name:
                continue
            try:
                fn(env, args.shots or None)
                print("PASS: e2e/%s" % name, flush=True)
                passed += 1
            except Failure as e:
                print("FAIL: e2e/%s: %s" % (name, " ".join(str(e).split())[:1500]), flush=True)
                failed += 1
            except Exception as e:  # a broken test or browser is a failure too: where, and what
                here = [f for f in traceback.extract_tb(e.__traceback__) if os.path.dirname(f.filename) == HERE]
                where = " < ".join("%s:%d %s" % (os.path.basename(f.filename), f.lineno, f.line)
                                   for f in reversed(here))
                what = str(e).split("Stacktrace:")[0]
                print("FAIL: e2e/%s: %s: %s at %s" % (name, type(e).__name__, " ".join(what.split())[:400],
                                                      where[:800]), flush=True)
                failed += 1
    finally:
        if env:
            env.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
