"""The anonymised annual report (issue 11) through the pages: a counsellor
opens the report of a unit and a year at /jaarverslagen/:id/:year, writes
the trends part, sends it for review; another counsellor publishes it (the
writer cannot); a year not over, a unit too small and a published report
are refused with their reason and change nothing; the published report
keeps its counts; report readers see published reports of their units
only (another unit's: 404, as if there were none); every table has a CSV
file with no more in it than the page; small numbers read "minder dan 5"."""

import datetime
import html
import re
import os

from harness import check, expect_redirect, expect_status, test
from test_access import check_403, path_for, post_matrix, session_token
from test_counsellor_log import add_entry
import db as database

LAST_YEAR = datetime.date.today().year - 1
THIS_YEAR = datetime.date.today().year


def db(env, sql, args=()):
    con = database.connect(env.datadir)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def counsellors(env):
    """Two counsellors of the national unit of these tests' own (writer, reviewer)."""
    got = getattr(env, "_annual_counsellors", None)
    if got is None:
        got = []
        for _ in range(2):
            _, email, _, pw = env.create_account("counsellor", units=[env.unit_id("Landelijk")])
            c, _ = env.activate(email, pw)
            got.append(c)
        env._annual_counsellors = got
    return got


def unit_with_questions(env, types, year=LAST_YEAR):
    """A new unit below Landelijk with short questions from types in year: its id."""
    u = env.create_unit(env.unique("Jaarverslag-eenheid "), "other", env.unit_id("Landelijk"))
    writer = counsellors(env)[0]
    for i, t in enumerate(types):
        add_question(env, writer, u, t, "%d-03-%02d" % (year, 1 + i % 28))
    return u


def add_question(env, c, unit, reporter_type, date):
    """A short question through the log's form (dated in the past: not on the log's first page)."""
    n = env.db_count("counsellor_log")
    r = add_entry(c, "question", unit=str(unit), reporter_type=reporter_type, date=date)
    expect_redirect(r, "/logboek?klaar=1", "logging a question of %s" % date)
    check(env.db_count("counsellor_log") == n + 1, "the question was not stored")


def step(c, unit, year, fields):
    """Posts a step; publishing sends the version the page shows (a page
    without the publish form: a well-formed one that matches nothing)."""
    path = "/jaarverslagen/%d/%d" % (unit, year)
    if fields.get("stap") == "publiceren" and "versie" not in fields:
        m = re.search(r'name="versie" value="([0-9a-f]{16})"', c.get(path).text)
        fields = dict(fields, versie=m.group(1) if m else "0" * 16)
    return c.post(path, dict(fields, csrf=session_token(c)))


def reader_of(env, unit):
    _, email, _, pw = env.create_account("reader", units=[unit])
    c, _ = env.activate(email, pw)
    return c


@test("annual_write_review_publish_and_read")
def _(env):
    writer, reviewer = counsellors(env)
    u = unit_with_questions(env, ["member"] * 6 + ["employee"] * 5)
    path = "/jaarverslagen/%d/%d" % (u, LAST_YEAR)
    r = writer.get(path)
    expect_status(r, 200, "the counsellor's report page")
    check("nog niet begonnen" in r.text, "a new report does not say it is not started")
    check("<svg" in r.text and "<script" not in r.text.lower(), "no server-made chart, or a script")
    # bad input: an unknown step, a text too long or with a control character; nothing stored
    n = len(db(env, "SELECT id FROM annual_reports"))
    r = step(writer, u, LAST_YEAR, {"stap": "weg", "tekst": "x"})
    expect_status(r, 400, "an unknown step")
    check("Kies een van de knoppen" in r.text, "an unknown step is not explained")
    r = step(writer, u, LAST_YEAR, {"stap": "opslaan", "tekst": "x" * 20001})
    expect_status(r, 400, "a text too long")
    check("Er is niets bewaard." in r.text, "a text too long is not explained")
    # a control character: the form itself is refused (web/form.c), as everywhere
    r = step(writer, u, LAST_YEAR, {"stap": "opslaan", "tekst": "controle \x01 teken"})
    expect_status(r, 400, "a text with a control character")
    check(len(db(env, "SELECT id FROM annual_reports")) == n, "a refused text was stored")
    # saved, sent for review; the writer may not publish it
    text = env.unique("Trends: meer vragen van leden ")
    r = step(writer, u, LAST_YEAR, {"stap": "opslaan", "tekst": text})
    expect_redirect(r, path + "?klaar=opslaan", "saving the text")
    check(db(env, "SELECT state FROM annual_reports WHERE unit_id = ?", (u,)) == [("draft",)], "not a draft")
    r = step(writer, u, LAST_YEAR, {"stap": "beoordelen", "tekst": text})
    expect_redirect(r, path + "?klaar=beoordelen", "sending for review")
    r = step(writer, u, LAST_YEAR, {"stap": "publiceren"})
    expect_status(r, 409, "the writer publishing")
    check("Een andere vertrouwenspersoon" in r.text, "the writer's refusal is not explained")
    check(db(env, "SELECT state FROM annual_reports WHERE unit_id = ?", (u,)) == [("review",)], "it moved")
    # a reader of the unit sees nothing before it is published
    reader = reader_of(env, u)
    expect_status(reader.get(path), 404, "a reader before publishing")
    r = step(reviewer, u, LAST_YEAR, {"stap": "publiceren"})
    expect_redirect(r, path + "?klaar=publiceren", "the reviewer publishing")
    # published: the reader reads it, with its text and counts
    r = reader.get("/jaarverslagen")
    expect_status(r, 200, "the reader's list")
    check(path in r.page.links, "the reader's list does not link the report")
    r = reader.get(path)
    expect_status(r, 200, "the reader's report")
    page = html.unescape(r.text)
    check(text in page and "gepubliceerd" in page, "the published report lacks its text or state")
    check(re.search(r"Korte vragen zonder dossier</dt><dd>11<", page), "the questions are not counted")
    check("<form" not in r.text.split("<main", 1)[1].split("</main>", 1)[0],
          "the reader's page has a form")
    # a CSV file per table, as shown on the page
    r = reader.get(path + "?csv=question_type")
    expect_status(r, 200, "a CSV file")
    check(r.header("Content-Type", "").startswith("text/csv"), "the CSV is %r" % r.header("Content-Type"))
    check("attachment" in r.header("Content-Disposition", ""), "the CSV is not a download")
    lines = r.text.split("\r\n")
    check(lines[0] == "Soort,Aantal" and "Lid,6" in lines and "Medewerker,5" in lines and "Totaal,11" in lines,
          "the CSV reads %r" % lines)
    expect_status(reader.get(path + "?csv=nope"), 404, "a CSV of no such table")
    # every word translated, in Dutch and in English, on the page and in every file
    key = re.compile(r"(?:^|[>,\n])\s*(?:annual|reptype|relation|location|channel|phase|route|outcome|behaviour|"
                     r"referral|wbchannel|wbcat|cchannel|advice|measure|log)\.[a-z_.0-9]+")
    en = env.client()
    en.cookies = dict(reader.cookies, vd_lang="en")
    for c, lang in ((reader, "nl"), (en, "en")):
        r = c.get(path)
        check(not key.search(r.text), "%s: a key shows on the page: %r" % (lang, key.search(r.text)))
        for table in re.findall(r'href="%s\?csv=([a-z_]+)"' % re.escape(path), r.text):
            t = c.get(path + "?csv=" + table).text
            check(not key.search(t), "%s: a key in %s.csv: %r" % (lang, table, key.search(t)))
    check("Annual report" in en.get(path).text, "the English page is not in English")
    # it never changes: not its text, not its counts after a late question
    r = step(reviewer, u, LAST_YEAR, {"stap": "opslaan", "tekst": "Anders"})
    expect_status(r, 409, "changing a published report")
    check("al gepubliceerd" in r.text, "the refusal is not explained")
    add_question(env, writer, u, "member", "%d-12-30" % LAST_YEAR)
    r = reader.get(path)
    check(re.search(r"Korte vragen zonder dossier</dt><dd>11<", html.unescape(r.text)), "the published counts moved")
    check(text in html.unescape(r.text), "the published text changed")


@test("annual_publish_what_the_reviewer_read")
def _(env):
    writer, reviewer = counsellors(env)
    u = unit_with_questions(env, ["member"] * 5)
    step(writer, u, LAST_YEAR, {"stap": "beoordelen", "tekst": "Versie een"})
    path = "/jaarverslagen/%d/%d" % (u, LAST_YEAR)
    seen = re.search(r'name="versie" value="([0-9a-f]{16})"', reviewer.get(path).text).group(1)
    step(writer, u, LAST_YEAR, {"stap": "beoordelen", "tekst": "Versie twee"})
    r = step(reviewer, u, LAST_YEAR, {"stap": "publiceren", "versie": seen})
    expect_status(r, 409, "publishing a text changed since it was read")
    check("veranderd sinds u de pagina opende" in html.unescape(r.text), "the change is not explained: %s" % (
        re.findall(r'<div class="errors".*?</div>', r.text, re.S)[:1]))
    for bad in ("", "xyz", "g" * 16):
        expect_status(step(reviewer, u, LAST_YEAR, {"stap": "publiceren", "versie": bad}), 400,
                      "publishing with version %r" % bad)
    check(db(env, "SELECT state FROM annual_reports WHERE unit_id = ?", (u,)) == [("review",)], "it was published")
    expect_redirect(step(reviewer, u, LAST_YEAR, {"stap": "publiceren"}), path + "?klaar=publiceren",
                    "publishing what was read")
    check("Versie twee" in html.unescape(reader_of(env, u).get(path).text), "the published text is not the one read")


@test("annual_reader_of_another_unit_refused")
def _(env):
    writer, reviewer = counsellors(env)
    u = unit_with_questions(env, ["member"] * 5)
    step(writer, u, LAST_YEAR, {"stap": "beoordelen", "tekst": ""})
    expect_redirect(step(reviewer, u, LAST_YEAR, {"stap": "publiceren"}),
                    "/jaarverslagen/%d/%d?klaar=publiceren" % (u, LAST_YEAR), "publishing")
    other = env.create_unit(env.unique("Andere eenheid "), "other", env.unit_id("Landelijk"))
    stranger = reader_of(env, other)
    path = "/jaarverslagen/%d/%d" % (u, LAST_YEAR)
    expect_status(stranger.get(path), 404, "a reader of another unit")
    expect_status(stranger.get(path + "?csv=question_type"), 404, "a reader of another unit's CSV")
    check(path not in stranger.get("/jaarverslagen").page.links, "another unit's report is listed")
    r = stranger.post(path, {"csrf": session_token(stranger), "stap": "opslaan", "tekst": "x"})
    check_403(env, r, "a reader writing")
    # the committee, the integrity officer and the administrator are not let in at all
    for role in ("committee", "integrity", "admin"):
        check_403(env, env.session(role).get(path), "GET the report as %s" % role)


@test("annual_refused_with_their_reason")
def _(env):
    writer, reviewer = counsellors(env)
    # this year: not before it is over
    u = unit_with_questions(env, ["member"] * 5, THIS_YEAR)
    step(writer, u, THIS_YEAR, {"stap": "beoordelen", "tekst": ""})
    r = step(reviewer, u, THIS_YEAR, {"stap": "publiceren"})
    expect_status(r, 409, "publishing a year not over")
    check("nog niet voorbij" in r.text, "the open year is not explained")
    # 2 questions: too few, counted in the report above
    small = unit_with_questions(env, ["member", "employee"])
    step(writer, small, LAST_YEAR, {"stap": "beoordelen", "tekst": ""})
    r = reviewer.get("/jaarverslagen/%d/%d" % (small, LAST_YEAR))
    check("te weinig meldingen voor een eigen verslag" in r.text and "Eenheid: Landelijk" in r.text,
          "the small unit's page does not say it is merged upwards")
    r = step(reviewer, small, LAST_YEAR, {"stap": "publiceren"})
    expect_status(r, 409, "publishing a unit too small")
    check(db(env, "SELECT state FROM annual_reports WHERE unit_id IN (?, ?)", (u, small)) == [("review",)] * 2,
          "a refused report was published")
    # the chooser: to the report, and bad input refused
    r = writer.get("/jaarverslagen?eenheid=%d&jaar=%d" % (u, LAST_YEAR))
    expect_redirect(r, "/jaarverslagen/%d/%d" % (u, LAST_YEAR), "the chooser")
    for q in ("eenheid=x&jaar=2025", "eenheid=1&jaar=1999", "eenheid=1"):
        expect_status(writer.get("/jaarverslagen?" + q), 400, "the chooser with %s" % q)
    for bad in ("/jaarverslagen/%d/1999" % u, "/jaarverslagen/%d/twintig" % u, "/jaarverslagen/999999/%d" % LAST_YEAR):
        expect_status(writer.get(bad), 404, "GET %s" % bad)


@test("annual_small_numbers_on_the_page")
def _(env):
    writer, _ = counsellors(env)
    u = unit_with_questions(env, ["member"] * 7 + ["employee"] * 2)
    path = "/jaarverslagen/%d/%d" % (u, LAST_YEAR)
    r = writer.get(path + "?csv=question_type")
    lines = r.text.split("\r\n")
    check("Medewerker,minder dan 5" in lines or "Medewerker,niet getoond" in lines,
          "a count of 2 is in the CSV: %r" % lines)
    check("Lid,7" not in lines, "the 7 beside a small cell is shown: %r" % lines)
    check(not any(line.endswith(",2") for line in lines), "a 2 is in the CSV: %r" % lines)
    page = html.unescape(writer.get(path).text)
    check(">2<" not in page.split("Korte vragen: wie vroeg", 1)[1], "a 2 is on the page")


# ---- the access matrix for /jaarverslagen/:id/:slug (test_access.MATRIX) ----------------

@test("access_post_jaarverslagen_id_slug")
def _(env):
    n = db(env, "SELECT count(*), coalesce(max(written_at), 0) FROM annual_reports")

    def unchanged(env):
        check(db(env, "SELECT count(*), coalesce(max(written_at), 0) FROM annual_reports") == n,
              "a refused POST changed the annual reports")
    # the counsellor's own POST is bad input (400); any other role gets 403
    post_matrix(env, "/jaarverslagen/:id/:slug", lambda env, role: {"stap": "weg"}, 400,
                lambda env, role: {"stap": "opslaan", "tekst": "Anders"}, unchanged)


def demo_report_path(env):
    return "/jaarverslagen/%d/%d" % (env.unit_id("Landelijk"), LAST_YEAR)


@test("annual_demo_report_for_the_reader")
def _(env):
    r = env.session("reader").get("/start")
    check("/jaarverslagen" in r.page.links, "the reader's start page has no link to the reports")
    r = env.session("reader").get(demo_report_path(env))
    expect_status(r, 200, "the demo's published report")
    check(path_for(env, "/jaarverslagen/:id/:slug") == demo_report_path(env), "the matrix probes another report")
    # this year's national counts (the demo's cases): every table's words translated
    c = env.session("counsellor")
    path = "/jaarverslagen/%d/%d" % (env.unit_id("Landelijk"), THIS_YEAR)
    key = re.compile(r"(?:^|[>,\n])\s*[a-z_]+\.[a-z_.0-9]+\s*(?:$|[<,\r])", re.M)
    r = c.get(path)
    expect_status(r, 200, "this year's national report")
    tables = re.findall(r'href="%s\?csv=([a-z_]+)"' % re.escape(path), r.text)
    check(len(tables) >= 10, "only %d tables have a CSV link" % len(tables))
    for table in tables:
        t = c.get(path + "?csv=" + table).text
        check(not key.search(t), "a key in %s.csv: %r" % (table, key.search(t)))
        check(t.startswith("Soort,Aantal"), "%s.csv starts %r" % (table, t[:40]))
